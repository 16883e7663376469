package callcare

import (
	"context"
	"time"
)

// The store's contracts: what must survive a restart, split by concern. The
// sqlite package implements them all; the ARI shell, the FastAGI hooks and
// the command line each take the parts they use. Failures a user must tell
// apart are *Error: ENOTFOUND for a record that does not exist, ECONFLICT for
// one whose state forbids the change (a task already closed).

// CallService keeps the call log: the record the Secretary shows to prove
// the procedure was kept.
type CallService interface {
	// SaveCall writes the record as it stands (at the start and at the
	// end), with its attempts, holds, waits in line and transfers.
	SaveCall(ctx context.Context, rec CallRecord) error
	Call(ctx context.Context, id string) (CallRecord, error)
	// Calls lists the calls that match f, newest first.
	Calls(ctx context.Context, f CallFilter) ([]CallRecord, error)
	// ClerksHungUpFirst counts, per clerk, the calls started in f's window
	// that the clerk hung up before the caller (P4l).
	ClerksHungUpFirst(ctx context.Context, f CallFilter) (map[ClerkID]int, error)
}

// CallFilter selects calls by their start time and outcome.
type CallFilter struct {
	Since   time.Time // started at or after; zero for no lower bound
	Until   time.Time // started before; zero for no upper bound
	Limit   int       // at most this many, the newest; 0 for all
	Outcome Outcome   // only calls that ended so; empty for any, in progress included
	// InProgress selects only the calls not recorded as ended: after a
	// crash, the ones the previous run left open.
	InProgress bool
}

// CallbackService keeps the callback tasks (P4c, P4m): created from missed
// calls, closed when the citizen is reached, read and changed by the admin.
type CallbackService interface {
	// MissedCall records a missed call in the open task of its number, or
	// creates one; it tells whether it created it.
	MissedCall(ctx context.Context, t CallbackTask) (CallbackTask, bool, error)
	Callback(ctx context.Context, id int64) (CallbackTask, error)
	// Callbacks lists the tasks that match f in queue order.
	Callbacks(ctx context.Context, f CallbackFilter) ([]CallbackTask, error)
	CallbackAttempts(ctx context.Context, id int64) ([]CallbackAttempt, error)
	// CloseCallbacks closes every open task of a number; it says how many.
	CloseCallbacks(ctx context.Context, number Number, res Resolution, by string, at time.Time) (int, error)
	MarkDone(ctx context.Context, id int64, res Resolution, by string, at time.Time) error
	// Schedule sets (or, with a zero time, clears) the time agreed with the
	// citizen (P4m).
	Schedule(ctx context.Context, id int64, agreed time.Time) error
	// RaisePriority marks a number's open tasks as for a person with special
	// needs (P5.3).
	RaisePriority(ctx context.Context, number Number, needs NeedsSource, dueBy time.Time) error
	// SetOverdue flags a task nobody took at its agreed time; escalatedAt is
	// zero when it was only reported.
	SetOverdue(ctx context.Context, id int64, escalatedAt time.Time) error
	// NotesToDelete lists the tasks closed before cutoff that still name a
	// voice note; ClearNote forgets a deleted one.
	NotesToDelete(ctx context.Context, cutoff time.Time) ([]CallbackTask, error)
	ClearNote(ctx context.Context, id int64) error
}

// CallbackFilter selects callback tasks. Zero fields select everything.
type CallbackFilter struct {
	Status CallbackStatus // open or done; empty for both
	// Clerk selects tasks whose Target is that clerk, Department those whose
	// Target is that department. Given both, a task matching either is
	// selected: the clerk's queue.
	Clerk      ClerkID
	Department string
	Number     Number // exactly this number
	// Since and Until select the tasks first missed in [Since, Until): the
	// callbacks of a report's period. Zero for no bound.
	Since, Until time.Time
	Limit        int // at most this many, the first in queue order; 0 for all
}

// CallbackActivity is what the metrics read of the callback tasks at each
// scrape: what happened to them in a window of time. Windows that tile the
// time line count each closing and each attempt once.
type CallbackActivity interface {
	// ClosedCallbacks lists the tasks closed in [since, until).
	ClosedCallbacks(ctx context.Context, since, until time.Time) ([]CallbackTask, error)
	// AgreedAttempts lists the tasks with an agreed time (P4m) that have
	// an attempt started in [since, until), with all their attempts, by
	// task id, in order.
	AgreedAttempts(ctx context.Context, since, until time.Time) ([]CallbackTask, map[int64][]CallbackAttempt, error)
}

// CallbackQueue is how clerks' phones work the callbacks: claims that keep
// two clerks off one task, and attempts journaled before a citizen is
// dialed, so a restart never dials one twice.
type CallbackQueue interface {
	// CountWaiting counts the tasks ready for a clerk: own, and the
	// department's. The tasks of the clerks in covering (absent, with this
	// clerk taking their calls: P4c) count as the clerk's own.
	CountWaiting(ctx context.Context, clerk ClerkID, department string, now time.Time, covering ...ClerkID) (own, dept int, err error)
	// ClaimNext claims the first ready task of the clerk's queue, skipping
	// those in skip; ok is false when none waits. The tasks of the clerks
	// in covering are in the clerk's queue as their own.
	ClaimNext(ctx context.Context, clerk ClerkID, department string, skip []int64, now time.Time, lease time.Duration, covering ...ClerkID) (t CallbackTask, ok bool, err error)
	// ClaimTask claims one task; ok is false when it is closed or claimed.
	ClaimTask(ctx context.Context, id int64, by ClerkID, now time.Time, lease time.Duration) (t CallbackTask, ok bool, err error)
	// Release gives a task back, unchanged, if clerk holds it.
	Release(ctx context.Context, id int64, clerk ClerkID) error
	// StartAttempt journals an attempt before the citizen is dialed on
	// channel; ECONFLICT when the task closed meanwhile.
	StartAttempt(ctx context.Context, id int64, clerk ClerkID, channel string, at time.Time) (CallbackAttempt, error)
	// FinishAttempt records how an attempt ended and when the next may
	// start (zero for at once), or closes the task.
	FinishAttempt(ctx context.Context, id int64, seq int, res AttemptResult, at, next time.Time, close Resolution) (bool, error)
	// PendingAttempts are the attempts started and never finished: a run
	// died during them.
	PendingAttempts(ctx context.Context) ([]CallbackAttempt, error)
	// DueAgreed lists the open tasks whose agreed time has come.
	DueAgreed(ctx context.Context, now time.Time) ([]CallbackTask, error)
}

// ArchiveService keeps the figures of the compliance report for the days
// whose records the retention purged (GDPR), and purges. A day is archived
// whole: its figures are stored and its call records deleted in one
// transaction, so a report reads either a day's figures or its records,
// never a day counted twice or lost.
type ArchiveService interface {
	// ArchiveDay stores the figures of day (YYYY-MM-DD), which spans
	// [start, end), replacing any stored before for it, and deletes the
	// calls that started in it, in one transaction; it says how many calls
	// it deleted.
	ArchiveDay(ctx context.Context, day string, start, end time.Time, figs []DayFigure) (int, error)
	// ArchivedDays lists the archived days from..to (YYYY-MM-DD, both
	// included), in order.
	ArchivedDays(ctx context.Context, from, to string) ([]string, error)
	// DayFigures lists the figures of the archived days from..to.
	DayFigures(ctx context.Context, from, to string) ([]DayFigure, error)
	// Oldest is the start of the oldest call, or first missed call of a
	// callback task, the store holds; zero when it holds none.
	Oldest(ctx context.Context) (time.Time, error)
	// DeleteClosedCallbacks deletes the closed tasks first missed before
	// before that no longer name a voice note, with their attempts; dry
	// only counts them.
	DeleteClosedCallbacks(ctx context.Context, before time.Time, dry bool) (int, error)
	// EraseNumbers replaces callers' numbers and names by ErasedNumber in
	// the calls started in [since, before), and in the closed tasks first
	// missed from since on and closed before before; an open task keeps
	// its number. since is where the records a purge deletes end (zero for
	// no bound), so a dry run counts only what stays. dry only counts them.
	EraseNumbers(ctx context.Context, since, before time.Time, dry bool) (int, error)
}

// ForwardService keeps the forwards set from desk phones and from the
// command line (P4c): each is an Absence with Source SetByPhone or
// SetByCLI, and wins over callcare.yaml's absences while it is in force.
// A clerk has at most one; setting another ends the one before.
type ForwardService interface {
	// SetForward records f from f.SetAt, ending the clerk's forward
	// before it (ended by f.SetBy).
	SetForward(ctx context.Context, f Absence) error
	// ClearForward ends the clerk's forward at at; it tells whether there
	// was one in force or to come.
	ClearForward(ctx context.Context, clerk ClerkID, by string, at time.Time) (bool, error)
	// Forwards lists the forwards not ended at at: in force, or to come.
	Forwards(ctx context.Context, at time.Time) ([]Absence, error)
}

// ServiceStatus is what the running service tells the command line
// (`callcare status`) through the store: when it started, and how its last
// reload of the configuration went.
type ServiceStatus struct {
	PID       int
	Config    string // the configuration's path
	StartedAt time.Time
	// ReloadedAt is the last reload, zero for none yet; ReloadOK says
	// whether it was taken, ReloadError why it was refused.
	ReloadedAt  time.Time
	ReloadOK    bool
	ReloadError string
	Reloads     int // reloads taken since the start
	StoppedAt   time.Time
}

// StatusService keeps the service's status.
type StatusService interface {
	SaveStatus(ctx context.Context, s ServiceStatus) error
	// Status is the last status saved; ENOTFOUND when no service ever
	// saved one.
	Status(ctx context.Context) (ServiceStatus, error)
}
