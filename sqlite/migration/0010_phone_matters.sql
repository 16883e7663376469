-- The phone matters of P3.2 (issue 11): appointment requests, and the calls
-- the service makes itself (documents ready, reminders of meetings), kept as
-- callback tasks of other kinds so they share the claims, the attempts
-- journaled before dialing and the retry schedule.
--
-- kind: '' a clerk's callback (P4c); 'appointment' a request for a meeting,
-- in the person's queue; 'documents_ready' and 'reminder' calls the service
-- makes, in no clerk's queue.
ALTER TABLE callbacks ADD COLUMN kind       TEXT NOT NULL DEFAULT '';
ALTER TABLE callbacks ADD COLUMN case_ref   TEXT NOT NULL DEFAULT '';  -- a notice's case number, digits; personal data
ALTER TABLE callbacks ADD COLUMN place      TEXT NOT NULL DEFAULT '';  -- the sound saying where to collect; '' the default
ALTER TABLE callbacks ADD COLUMN meeting_at TEXT;                      -- the meeting agreed, and the one a reminder is for
ALTER TABLE callbacks ADD COLUMN of_task    INTEGER;                   -- a reminder's appointment request

-- P4c stays one open callback per number; an appointment request is one
-- per number and person; notices are one per case, however many.
DROP INDEX callbacks_open_number_uq;
CREATE UNIQUE INDEX callbacks_open_number_uq ON callbacks (number) WHERE status = 'open' AND kind = '';
CREATE UNIQUE INDEX callbacks_open_appointment_uq ON callbacks (number, target_kind, target_id)
	WHERE status = 'open' AND kind = 'appointment';
-- The scheduler's notices due.
CREATE INDEX callbacks_notices_idx ON callbacks (kind, next_attempt_at) WHERE status = 'open' AND kind IN ('documents_ready', 'reminder');
-- A meeting's reminder, replaced when the meeting moves.
CREATE INDEX callbacks_of_task_idx ON callbacks (of_task) WHERE of_task IS NOT NULL;
