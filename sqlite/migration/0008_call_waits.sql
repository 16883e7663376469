-- How the caller waited (P4h, P4p, P5.3, P4o): each time a clerk put the
-- call on hold, each wait in a department's waiting line, each transfer by
-- a clerk, in order. Rewritten whole on every save of the call, deleted
-- with it (the retention's purge deletes calls). No number and no name of
-- a citizen: the compliance report keeps their figures after a purge.
CREATE TABLE call_holds (
	call_id   TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
	seq       INTEGER NOT NULL CHECK (seq >= 1),
	clerk     TEXT NOT NULL DEFAULT '',  -- who held the call
	from_at   TEXT NOT NULL,
	to_at     TEXT,                      -- NULL: until the call's end
	PRIMARY KEY (call_id, seq)
) WITHOUT ROWID;

CREATE TABLE call_line_waits (
	call_id    TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
	seq        INTEGER NOT NULL CHECK (seq >= 1),
	department TEXT NOT NULL DEFAULT '', -- whose line
	from_at    TEXT NOT NULL,
	to_at      TEXT,                     -- NULL: until the call's end
	PRIMARY KEY (call_id, seq)
) WITHOUT ROWID;

CREATE TABLE call_transfers (
	call_id   TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
	seq       INTEGER NOT NULL CHECK (seq >= 1),
	by_clerk  TEXT NOT NULL DEFAULT '',  -- who transferred
	to_kind   TEXT NOT NULL DEFAULT '',  -- whom to: '' when nobody, or outside the service
	to_id     TEXT NOT NULL DEFAULT '',
	at        TEXT NOT NULL,
	came_back INTEGER NOT NULL DEFAULT 0 CHECK (came_back IN (0, 1)), -- nobody of the target took it
	PRIMARY KEY (call_id, seq)
) WITHOUT ROWID;
