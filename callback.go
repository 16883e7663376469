package callcare

import "time"

// CallbackStatus is where a callback task stands.
type CallbackStatus string

const (
	CallbackOpen CallbackStatus = "open" // somebody must still call the citizen back
	CallbackDone CallbackStatus = "done" // the matter is closed (see Resolution)
)

// Resolution says how a callback task was closed.
type Resolution string

const (
	ResolvedReached     Resolution = "reached"      // a clerk's callback reached the citizen
	ResolvedGotThrough  Resolution = "got_through"  // the citizen's own later call was answered
	ResolvedOutbound    Resolution = "outbound"     // a clerk's own outbound call to the number was answered
	ResolvedByClerk     Resolution = "marked_done"  // a clerk or the admin marked it done
	ResolvedWrongNumber Resolution = "wrong_number" // the number reached somebody else
	ResolvedUnreachable Resolution = "unreachable"  // every attempt of the retry schedule failed
)

// CallbackReason says why a task exists.
type CallbackReason string

const (
	ReasonMissed     CallbackReason = "missed"      // nobody answered in time (P4c)
	ReasonAbandoned  CallbackReason = "abandoned"   // the caller hung up before an answer (P4c)
	ReasonAfterHours CallbackReason = "after_hours" // called outside office hours
	ReasonRequested  CallbackReason = "requested"   // the caller asked for it (pressed 1)
	ReasonLongHold   CallbackReason = "long_hold"   // held too long, the caller asked for it (P4h, P4p)
)

// Priority orders callbacks: people with special needs go first (P5.3).
type Priority int

const (
	PriorityNormal       Priority = 0
	PrioritySpecialNeeds Priority = 1
)

// NeedsSource says how the service knows a caller has special needs. One
// flag for the whole service: the registry of numbers (kept with consent),
// a dedicated line, or a clerk's key during the call.
type NeedsSource string

const (
	NeedsNone     NeedsSource = ""
	NeedsRegistry NeedsSource = "registry" // the number is in the consented list
	NeedsLine     NeedsSource = "line"     // the caller dialed the dedicated line
	NeedsClerk    NeedsSource = "clerk"    // a clerk flagged the call
)

// CallbackTask is a promise to call a citizen back.
type CallbackTask struct {
	ID       int64
	Number   Number // the citizen's number, in CallableNumber's form
	Dialed   string // the number the citizen dialed
	Target   Target // the clerk or department who should call back
	Reason   CallbackReason
	Priority Priority
	Needs    NeedsSource
	CallID   string    // the call that created it
	FirstAt  time.Time // the first missed call
	LastAt   time.Time // the last one
	Tries    int       // how many times the citizen called without getting through
	// Due is when the office promised to call back by (office hours count).
	Due time.Time
	// AgreedAt is the time agreed with the citizen (P4m); zero if none.
	AgreedAt time.Time
	// NextAttemptAt is when the next attempt may start (after a failed one,
	// by the retry schedule); zero for at once.
	NextAttemptAt time.Time
	Attempts      int // callback attempts made so far
	Status        CallbackStatus
	Resolution    Resolution
	ClosedAt      time.Time
	ClosedBy      string // clerk id, "citizen", "admin"
	// Note names the caller's recorded voice note (an Asterisk stored
	// recording), empty if none. Personal data: deleted after the task
	// closes plus the retention.
	Note string
	// Overdue is set when the agreed time or the due time passed with nobody
	// taking the callback; EscalatedAt when it was escalated.
	Overdue     bool
	EscalatedAt time.Time
	// ClaimedBy is the clerk working the task now; ClaimedUntil ends the claim
	// should that clerk's phone flow die.
	ClaimedBy    ClerkID
	ClaimedUntil time.Time

	// What the task asks of the office (P3.2, matters.go): a callback by
	// a clerk, an appointment request, or a call the service makes.
	Kind TaskKind
	// Case is the case number a documents-ready notice says, digit by
	// digit, after the citizen pressed 1; Place the sound that says
	// where and when the documents can be collected ("" for the
	// office's default).
	Case, Place string
	// MeetingAt is the meeting agreed on an appointment request, and the
	// one a reminder reminds of; OfTask the appointment request a
	// reminder comes from.
	MeetingAt time.Time
	OfTask    int64
}

// AttemptResult is how one callback attempt ended.
type AttemptResult string

const (
	AttemptPending     AttemptResult = ""             // written before dialing; the dial may be under way
	AttemptReached     AttemptResult = "reached"      // the citizen answered
	AttemptNoAnswer    AttemptResult = "no_answer"    // the citizen did not answer
	AttemptBusy        AttemptResult = "busy"         // the citizen's line was busy
	AttemptWrongNumber AttemptResult = "wrong_number" // the clerk says the number reached somebody else
	AttemptFailed      AttemptResult = "failed"       // the PBX could not dial
	AttemptClerkAbsent AttemptResult = "clerk_absent" // nobody took the agreed-time callback
	AttemptInterrupted AttemptResult = "interrupted"  // the service stopped during the attempt
)

// CallbackAttempt is one try at calling a citizen back. It is written before
// anything is dialed, with the channel id the dial will use, so a restarted
// service never dials the same attempt twice.
type CallbackAttempt struct {
	TaskID    int64
	Seq       int
	Clerk     ClerkID
	Channel   string // the id of the citizen's channel, chosen before the dial
	StartedAt time.Time
	EndedAt   time.Time
	Result    AttemptResult
}

// Promise is the time the office must call back by: the agreed time when
// there is one (P4m), else the due time (P4c); zero for none.
func (t CallbackTask) Promise() time.Time {
	if !t.AgreedAt.IsZero() {
		return t.AgreedAt
	}
	return t.Due
}

// Late tells whether an open task broke its promise: the service marked it
// overdue (nobody took it at its agreed time), or its promise passed.
func (t CallbackTask) Late(now time.Time) bool {
	if t.Status != CallbackOpen {
		return false
	}
	p := t.Promise()
	return t.Overdue || (!p.IsZero() && p.Before(now))
}

// Claimed tells whether a clerk (or the agreed-time scheduler) works the
// task at now: a claim holds until ClaimedUntil, so a claim whose holder
// died lapses by itself.
func (t CallbackTask) Claimed(now time.Time) bool {
	return t.ClaimedBy != "" && t.ClaimedUntil.After(now)
}
