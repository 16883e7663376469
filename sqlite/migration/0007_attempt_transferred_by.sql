-- P4o: the clerk who transferred the call to this attempt; '' for the
-- call's own ringing.
ALTER TABLE call_attempts ADD COLUMN transferred_by TEXT NOT NULL DEFAULT '';
