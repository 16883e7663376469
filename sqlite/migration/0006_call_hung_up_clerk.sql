-- P4l: the clerk who hung up before the caller, counted per clerk for the
-- compliance report; '' when the caller or the service ended the call.
ALTER TABLE calls ADD COLUMN hung_up_clerk TEXT NOT NULL DEFAULT '';
CREATE INDEX calls_hung_up_clerk_started_at_idx ON calls (hung_up_clerk, started_at) WHERE hung_up_clerk <> '';
