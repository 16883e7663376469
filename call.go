package callcare

import (
	"slices"
	"time"
)

// Outcome is how a call ended.
type Outcome string

const (
	OutcomeAnswered   Outcome = "answered"    // a clerk took it
	OutcomeMissed     Outcome = "missed"      // the overflow chain was exhausted
	OutcomeAbandoned  Outcome = "abandoned"   // the caller hung up before anyone answered
	OutcomeAfterHours Outcome = "after_hours" // the office was closed
	OutcomeUnrouted   Outcome = "unrouted"    // the dialed number reaches nobody
	OutcomeFailed     Outcome = "failed"      // the PBX failed us (lost link, errors)
	// OutcomeFallback: the service could not carry the call on (Asterisk
	// refused its requests, or it found the call after its own crash) and
	// handed it to the dialplan's fallback, which rings a person without
	// it. Whether somebody answered there is not known: a callback task
	// is kept.
	OutcomeFallback Outcome = "fallback"
	// OutcomeInterrupted: an answered call the service lost track of (it
	// crashed, and the call had ended by the time it was back).
	OutcomeInterrupted Outcome = "interrupted"
	OutcomeCallback    Outcome = "callback" // the clerk was busy; the caller chose a callback (P4b)
)

// Party names who hung up first.
type Party string

const (
	PartyCaller  Party = "caller"
	PartyClerk   Party = "clerk"
	PartyService Party = "service"
	// PartyPBX: Asterisk ended the call itself (a restart or shutdown, an
	// administrator's hangup, a dial's own timeout), not a person.
	PartyPBX Party = "pbx"
)

// Attempt is one clerk rung during a call.
type Attempt struct {
	Clerk     ClerkID
	Via       Target
	DialedAt  time.Time
	RingingAt time.Time // zero when the phone never rang
	EndedAt   time.Time
	Result    string // answered, noanswer, busy, unavailable, congestion, cancelled, failed
	Rings     int    // rings heard at that phone when it was left or answered
	// TransferredBy is the clerk who transferred the call to this attempt
	// (P4o); empty for the call's own ringing.
	TransferredBy ClerkID
}

// CallRecord is what the service keeps of one call: the log the Secretary
// shows to prove the procedure was kept, and what a callback will need.
// CallOrigin is who placed a call.
type CallOrigin string

const (
	OriginCitizen  CallOrigin = ""         // the citizen called the office
	OriginCallback CallOrigin = "callback" // a clerk's callback, transferred to a colleague (P4o)
	OriginNotice   CallOrigin = "notice"   // a notice the office made, put through to a clerk (P3.2)
)

type CallRecord struct {
	ID         string
	CallerID   Number // as Asterisk gave it: may be empty, "anonymous" or junk
	CallerName string
	Dialed     string
	Target     Target // zero when the number reaches nobody
	StartedAt  time.Time
	AnsweredAt time.Time // zero when nobody answered
	EndedAt    time.Time
	AnsweredBy ClerkID
	// AnsweredRing is the ring on which the answering clerk picked up.
	AnsweredRing int
	// RingsHeard is how many rings the caller heard in all, over every step.
	RingsHeard int
	Outcome    Outcome
	HungUpBy   Party
	// HungUpClerk is the clerk who hung up before the caller (P4l): the one
	// the compliance report counts it against; empty otherwise.
	HungUpClerk ClerkID
	// Needs says whether and how the caller is known to have special needs
	// (P5.3): registry, dedicated line, or a clerk's key during the call.
	Needs NeedsSource
	// Forwarded says why the call rang somebody other than Target: the
	// clerk was away (P4c); zero when it was not forwarded.
	Forwarded Forwarding
	// Origin is who placed the call: the citizen (the zero value), or the
	// office, whose callback or notice was put through to a clerk. P4a's
	// rings are the citizens' own calls' only.
	Origin   CallOrigin
	Attempts []Attempt
	// Holds, LineWaits and Transfers are how the caller waited (P4h, P4p,
	// P5.3, P4o): each time a clerk put them on hold, each wait in a
	// department's line, each transfer by a clerk; in order.
	Holds     []Hold
	LineWaits []LineWait
	Transfers []Transfer
}

// Hold is one time a clerk put the caller on hold (P4h): from the phone's
// hold to its resume, or to whatever ended the caller's wait first (a
// callback taken, a hang-up, a transfer).
type Hold struct {
	Clerk ClerkID
	From  time.Time
	To    time.Time // zero while it lasts, or when the service lost the call during it
}

// LineWait is one wait of the caller in a department's waiting line
// (P5.3, P4p): from joining it to a clerk's answer, a callback chosen or
// a hang-up. A clerk rung for the caller's turn who does not answer does
// not end it.
type LineWait struct {
	Department string
	From       time.Time
	To         time.Time // zero while it lasts, or when the service lost the call during it
}

// Transfer is one transfer of the call by a clerk (P4o).
type Transfer struct {
	By ClerkID   // the clerk who transferred
	To Target    // whom to; zero when the number reached nobody, or the phone transferred outside the service
	At time.Time // when the clerk transferred
	// CameBack: nobody of the target took the call, and the transferring
	// clerk was rung again.
	CameBack bool
}

// Clone is r with lists of its own: a version that may be written while
// the call's owner goes on changing the record.
func (r CallRecord) Clone() CallRecord {
	r.Attempts = slices.Clone(r.Attempts)
	r.Holds = slices.Clone(r.Holds)
	r.LineWaits = slices.Clone(r.LineWaits)
	r.Transfers = slices.Clone(r.Transfers)
	return r
}

// WaitToAnswer is how long the caller waited before a clerk picked up.
func (r CallRecord) WaitToAnswer() time.Duration {
	if r.AnsweredAt.IsZero() {
		return 0
	}
	return r.AnsweredAt.Sub(r.StartedAt)
}
