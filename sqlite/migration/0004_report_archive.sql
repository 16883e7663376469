-- The compliance report's archive (issue 13; GDPR). When the retention
-- purges a day's records, the report's figures of that day are kept here
-- first, in the same transaction: counts, sums and maxima per scope (the
-- office, a department, a clerk, a group of callers), no number and no
-- citizen's name. A report reads a day's figures from here once it is
-- archived, and from the records before.
CREATE TABLE archived_days (
	day         TEXT PRIMARY KEY NOT NULL CHECK (length(day) = 10), -- YYYY-MM-DD, the office's calendar day
	start_at    TEXT NOT NULL,  -- the day's span in UTC, [start_at, end_at): 23 or 25 hours on a DST change
	end_at      TEXT NOT NULL,
	calls       INTEGER NOT NULL DEFAULT 0 CHECK (calls >= 0), -- call records deleted with it
	archived_at TEXT NOT NULL
) WITHOUT ROWID;

-- One figure of an archived day. What scope, key and measure mean is the
-- report's (package report); the store keeps them as given.
CREATE TABLE day_figures (
	day     TEXT NOT NULL REFERENCES archived_days (day) ON DELETE CASCADE,
	scope   TEXT NOT NULL CHECK (scope <> ''),
	key     TEXT NOT NULL DEFAULT '',
	measure TEXT NOT NULL CHECK (measure <> ''),
	value   INTEGER NOT NULL,
	PRIMARY KEY (day, scope, key, measure)
) WITHOUT ROWID;

-- The purge of closed tasks by the day of their first missed call.
CREATE INDEX callbacks_first_at_idx ON callbacks (first_at) WHERE status = 'done';
