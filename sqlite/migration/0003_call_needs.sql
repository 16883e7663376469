-- P5.3: how the caller of a call is known to have special needs (registry,
-- dedicated line, or a clerk's flag during the call); '' for not known.
ALTER TABLE calls ADD COLUMN needs TEXT NOT NULL DEFAULT '';
