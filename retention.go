package callcare

import "time"

// Retention is how long the office keeps personal data (GDPR): the
// records of calls and callbacks, the callers' numbers in them, and the
// callers' voice notes. What the compliance report needs of a purged day
// is kept as that day's figures (DayFigure): counts, sums and maxima, no
// number, no name of a citizen.
type Retention struct {
	// Calls is how long the call log and the closed callback tasks are
	// kept, counted from their day: a day's calls, and the closed tasks
	// first missed that day, go once the whole day is older than this. An
	// open task is never deleted: the office still owes that call. 0
	// keeps them for ever.
	Calls time.Duration
	// Numbers is how long callers' numbers (and the names their phones
	// sent) stay in the records that are kept: a call's from its start, a
	// closed task's from its closing. A number with an open task stays. 0
	// keeps them as long as the records.
	Numbers time.Duration
	// Notes is how long a caller's voice note is kept after its task
	// closes.
	Notes time.Duration
}

// ErasedNumber stands for a caller's number the retention erased from a
// record that is kept.
const ErasedNumber Number = "(erased)"

// DayFigure is one figure of the compliance report for one of the office's
// days: kept when the day's records are purged, so the report still shows
// the day. The store keeps them as it gets them; what Scope, Key and Measure
// mean is the report's (package report).
type DayFigure struct {
	Day     string // the office's calendar day, YYYY-MM-DD in its time zone
	Scope   string // what the figure is about: the office, a department, a clerk, a group of callers
	Key     string // which department, clerk or group; "" for the office
	Measure string // what is counted, e.g. "calls" or "answer_wait.max"
	Value   int64
}

// Purge says what a purge deleted or erased, or, dry, would.
type Purge struct {
	Calls     int // call records deleted
	Callbacks int // closed callback tasks deleted, with their attempts
	Numbers   int // records whose caller's number was erased
}
