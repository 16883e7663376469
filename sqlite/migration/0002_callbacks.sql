-- Callback tasks (issue 5; P4b, P4c, P4i, P4m, P5.3). A task is a promise to
-- call a citizen back: every missed call makes one, a second missed call of
-- the same number while it is open updates it.
--
-- Times are as in 0001_calls.sql: UTC text, 'YYYY-MM-DDTHH:MM:SS.sssZ', NULL
-- for "none". Enumerations (status, resolution, reason, needs, result) carry
-- no CHECK, for the same reason as there; status is only ever 'open' or
-- 'done', and the partial unique index below depends on 'open'.
CREATE TABLE callbacks (
	-- AUTOINCREMENT: an id is never reused, so an attempt, a log line or a
	-- clerk's "task 42" cannot come to mean another citizen.
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	number          TEXT NOT NULL CHECK (number <> ''), -- to be dialed; stored verbatim, any text
	dialed          TEXT NOT NULL DEFAULT '',
	target_kind     TEXT NOT NULL DEFAULT '',           -- 'clerk' or 'department': who calls back
	target_id       TEXT NOT NULL DEFAULT '',
	reason          TEXT NOT NULL DEFAULT '',
	priority        INTEGER NOT NULL DEFAULT 0,         -- higher first (P5.3)
	needs           TEXT NOT NULL DEFAULT '',
	-- The call that created the task. No foreign key: the call log and the
	-- tasks are written by different steps, and neither must fail the other.
	call_id         TEXT NOT NULL DEFAULT '',
	first_at        TEXT NOT NULL,
	last_at         TEXT NOT NULL,
	tries           INTEGER NOT NULL DEFAULT 1 CHECK (tries >= 1),
	due_at          TEXT,
	agreed_at       TEXT,                               -- P4m
	next_attempt_at TEXT,                               -- NULL: at once
	attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	status          TEXT NOT NULL DEFAULT 'open',
	resolution      TEXT NOT NULL DEFAULT '',
	closed_at       TEXT,
	closed_by       TEXT NOT NULL DEFAULT '',
	note            TEXT NOT NULL DEFAULT '',           -- personal data: cleared after closed_at + retention
	overdue         INTEGER NOT NULL DEFAULT 0 CHECK (overdue IN (0, 1)),
	escalated_at    TEXT,
	claimed_by      TEXT NOT NULL DEFAULT '',
	claimed_until   TEXT,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL
);

-- P4c: one open task per number, whatever process writes. MissedCall upserts
-- against this index, so two simultaneous missed calls of one number make one
-- task with two tries.
CREATE UNIQUE INDEX callbacks_open_number_uq ON callbacks (number) WHERE status = 'open';
-- History of one number, open or closed (CLI, CloseCallbacks).
CREATE INDEX callbacks_number_idx ON callbacks (number, id);
-- The clerks' queues: open tasks of one clerk or department, by priority.
CREATE INDEX callbacks_queue_idx ON callbacks (target_kind, target_id, priority) WHERE status = 'open';
-- The scheduler's agreed-time callbacks (P4m).
CREATE INDEX callbacks_agreed_idx ON callbacks (agreed_at) WHERE status = 'open' AND agreed_at IS NOT NULL;
-- Retention of voice notes: closed tasks that still name a recording.
CREATE INDEX callbacks_note_idx ON callbacks (closed_at) WHERE note <> '';

-- Every try at calling a citizen back, written BEFORE anything is dialed
-- (result '' = pending), with the channel id the dial will use. A service
-- killed mid-attempt finds it pending on restart, finishes it as interrupted
-- and never dials it again.
CREATE TABLE callback_attempts (
	task_id    INTEGER NOT NULL REFERENCES callbacks (id) ON DELETE CASCADE,
	seq        INTEGER NOT NULL CHECK (seq >= 1),  -- 1 = first attempt of the task
	clerk      TEXT NOT NULL DEFAULT '',
	channel    TEXT NOT NULL CHECK (channel <> ''),
	started_at TEXT NOT NULL,
	ended_at   TEXT,
	result     TEXT NOT NULL DEFAULT '',           -- '' while pending
	PRIMARY KEY (task_id, seq)
) WITHOUT ROWID;

-- A channel id names one dial: an attempt can never be started twice with it.
CREATE UNIQUE INDEX callback_attempts_channel_uq ON callback_attempts (channel);
-- Attempts the service died during.
CREATE INDEX callback_attempts_pending_idx ON callback_attempts (started_at) WHERE result = '';
