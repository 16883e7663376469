-- Absences and forwards (issue 9; P4c, P4d).
--
-- A call that rang a substitute because the clerk it was meant for was away
-- keeps who took it instead and why: target_kind/target_id stay whom it was
-- meant for. '' everywhere when it was not forwarded.
ALTER TABLE calls ADD COLUMN forwarded_kind TEXT NOT NULL DEFAULT '';   -- the substitute: 'clerk' or 'department'
ALTER TABLE calls ADD COLUMN forwarded_id   TEXT NOT NULL DEFAULT '';
ALTER TABLE calls ADD COLUMN forwarded_by   TEXT NOT NULL DEFAULT '';   -- 'yaml', 'phone', 'cli'
ALTER TABLE calls ADD COLUMN absence_reason TEXT NOT NULL DEFAULT '';   -- 'leave', 'sick_leave', 'training', 'field_work'
ALTER TABLE calls ADD COLUMN forward_loop   INTEGER NOT NULL DEFAULT 0 CHECK (forward_loop IN (0, 1));

-- Forwards set from a desk phone (*21) or the command line. They win over
-- callcare.yaml's absences while in force. A forward is never deleted:
-- clearing it, or setting another, ends it (ended_at, ended_by), so the
-- office can tell later who forwarded whose calls, when.
CREATE TABLE forwards (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	clerk       TEXT NOT NULL CHECK (clerk <> ''),
	target_kind TEXT NOT NULL CHECK (target_kind <> ''),  -- 'clerk' or 'department'
	target_id   TEXT NOT NULL CHECK (target_id <> ''),
	reason      TEXT NOT NULL DEFAULT '',
	source      TEXT NOT NULL,                  -- 'phone' or 'cli'
	set_by      TEXT NOT NULL DEFAULT '',       -- the clerk whose phone set it, or 'admin'
	set_at      TEXT NOT NULL,
	from_at     TEXT,                           -- NULL: from set_at
	until_at    TEXT,                           -- NULL: until cleared
	ended_at    TEXT,                           -- cleared, or replaced; NULL while it stands
	ended_by    TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL
);

-- One standing forward per clerk, whatever process writes.
CREATE UNIQUE INDEX forwards_standing_uq ON forwards (clerk) WHERE ended_at IS NULL;

-- What the running service tells `callcare status`: one row.
CREATE TABLE service_status (
	id           INTEGER PRIMARY KEY CHECK (id = 1),
	pid          INTEGER NOT NULL DEFAULT 0,
	config       TEXT NOT NULL DEFAULT '',
	started_at   TEXT,
	reloaded_at  TEXT,
	reload_ok    INTEGER NOT NULL DEFAULT 0,
	reload_error TEXT NOT NULL DEFAULT '',
	reloads      INTEGER NOT NULL DEFAULT 0,
	stopped_at   TEXT,
	updated_at   TEXT NOT NULL
);
