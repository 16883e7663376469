-- The call log (issue 4). A call is written when it starts (outcome '' = in
-- progress) and again when it ends, so a crash mid-call leaves a trace.
--
-- Times are UTC text with millisecond precision in one fixed width,
-- 'YYYY-MM-DDTHH:MM:SS.sssZ', so text order is time order and the sqlite3
-- shell shows them readably. NULL stands for "did not happen" (never rang,
-- never answered, not ended yet).
--
-- Enumerations (outcome, target kind, result, hung_up_by) carry no CHECK on
-- purpose: SQLite cannot alter a CHECK without rebuilding the table, and the
-- root package owns these values.
CREATE TABLE calls (
	id            TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
	caller_id     TEXT NOT NULL DEFAULT '',  -- as Asterisk gave it: may be empty, 'anonymous' or junk
	caller_name   TEXT NOT NULL DEFAULT '',
	dialed        TEXT NOT NULL DEFAULT '',
	target_kind   TEXT NOT NULL DEFAULT '',  -- '' when the number reaches nobody, 'clerk', 'department'
	target_id     TEXT NOT NULL DEFAULT '',
	started_at    TEXT NOT NULL,
	answered_at   TEXT,
	ended_at      TEXT,
	answered_by   TEXT NOT NULL DEFAULT '',
	answered_ring INTEGER NOT NULL DEFAULT 0 CHECK (answered_ring >= 0),
	rings_heard   INTEGER NOT NULL DEFAULT 0 CHECK (rings_heard >= 0),
	outcome       TEXT NOT NULL DEFAULT '',  -- '' while the call is in progress
	hung_up_by    TEXT NOT NULL DEFAULT '',
	created_at    TEXT NOT NULL,             -- first write (DB.Now), for forensics after a crash
	updated_at    TEXT NOT NULL              -- last write (DB.Now)
);

-- Listing newest first, with or without a time window.
CREATE INDEX calls_started_at_idx ON calls (started_at);
-- Listing one outcome (e.g. missed calls) in a time window.
CREATE INDEX calls_outcome_started_at_idx ON calls (outcome, started_at);
-- Callbacks (issue 5): earlier calls of one number, e.g. "did this caller get
-- through since the task was opened?".
CREATE INDEX calls_caller_id_started_at_idx ON calls (caller_id, started_at);

-- Every clerk rung during a call, in order. Rewritten whole on every save of
-- the call.
CREATE TABLE call_attempts (
	call_id    TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
	seq        INTEGER NOT NULL CHECK (seq >= 1),  -- 1 = first clerk rung
	clerk      TEXT NOT NULL DEFAULT '',
	via_kind   TEXT NOT NULL DEFAULT '',           -- the target this step came from
	via_id     TEXT NOT NULL DEFAULT '',
	dialed_at  TEXT,
	ringing_at TEXT,                               -- NULL when the phone never rang
	ended_at   TEXT,
	result     TEXT NOT NULL DEFAULT '',           -- answered, noanswer, busy, unavailable, ...
	rings      INTEGER NOT NULL DEFAULT 0 CHECK (rings >= 0),
	PRIMARY KEY (call_id, seq)
) WITHOUT ROWID;

-- Per-clerk compliance reports: at which ring each clerk answered or was left.
CREATE INDEX call_attempts_clerk_dialed_at_idx ON call_attempts (clerk, dialed_at);
