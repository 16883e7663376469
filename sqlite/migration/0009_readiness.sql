-- The service's readiness (/readyz) writes here to show the database takes
-- writes: one row, the time of the last check.
CREATE TABLE readiness (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	checked_at TEXT NOT NULL
);
