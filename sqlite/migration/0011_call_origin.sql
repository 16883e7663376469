-- Who placed a call (P4a counts only the citizens' own): '' the citizen
-- called the office; 'callback' a clerk's callback the clerk passed on to a
-- colleague; 'notice' a notice the office made, put through to a clerk.
ALTER TABLE calls ADD COLUMN origin TEXT NOT NULL DEFAULT '';
