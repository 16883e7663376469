package policy

import "github.com/callcare/callcare"

// Action is something the shell must do. Actions of one call are carried out
// in the order given, one after another.
type Action interface{ action() }

// RingCaller makes the citizen hear ringing while the clerks are rung.
type RingCaller struct{}

// DialClerk creates a channel to the clerk's desk phone with the id Leg,
// showing the citizen's number, and dials it.
type DialClerk struct {
	Leg   string
	Clerk callcare.Clerk
}

// HangupLeg ends a clerk's channel. A channel already gone is fine.
type HangupLeg struct {
	Leg    string
	Reason string // ARI hangup reason: normal, no_answer, busy...
}

// Connect answers the citizen and bridges them with the clerk's leg.
type Connect struct{ Leg string }

// Play plays a sound to the caller (answering the channel first if needed);
// PlaybackDone comes back when it ends.
type Play struct {
	Playback string // id chosen by the policy
	Sound    string // Asterisk sound name, without "sound:"
}

// HangupCaller ends the citizen's channel.
type HangupCaller struct{ Reason string }

// Save persists the call record as it stands (at the start and at the end).
type Save struct{ Record callcare.CallRecord }

// Resync asks the shell to look up the caller's and the live legs' channels
// after a gap in the events, and report what changed as events.
type Resync struct{ Legs []string }

// Finish: the call is over; the shell removes what is left (the bridge) and
// forgets the call.
type Finish struct{}

func (RingCaller) action()   {}
func (DialClerk) action()    {}
func (HangupLeg) action()    {}
func (Connect) action()      {}
func (Play) action()         {}
func (HangupCaller) action() {}
func (Save) action()         {}
func (Resync) action()       {}
func (Finish) action()       {}
