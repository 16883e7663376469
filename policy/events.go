package policy

import (
	"time"

	"github.com/callcare/callcare"
)

// Event is something that happened to a call: reported by the PBX, by the
// shell's timer, or as the result of an action the shell carried out.
type Event interface{ event() }

// LegRinging: the clerk's phone is ringing (ARI Dial RINGING). At is when
// Asterisk says it began (the event's timestamp): rings are counted from
// there however late the event arrives; zero when unknown.
type LegRinging struct {
	Leg string
	At  time.Time
}

// LegAnswered: the clerk picked up (ARI Dial ANSWER, or found Up on resync).
// At is when Asterisk says it happened; zero when unknown.
type LegAnswered struct {
	Leg string
	At  time.Time
}

// LegFailed: the leg will not be answered: the phone is busy, unreachable or
// congested (ARI Dial BUSY, CHANUNAVAIL, CONGESTION), or creating or dialing
// it failed. Result says which, for the call log.
type LegFailed struct {
	Leg    string
	Result string
}

// LegGone: the clerk's channel ended (hung up, or left the application).
// By is callcare.PartyPBX when Asterisk ended it itself (a restart);
// empty when a person did.
type LegGone struct {
	Leg string
	By  callcare.Party
}

// CallerGone: the citizen's channel ended. By as in LegGone.
type CallerGone struct{ By callcare.Party }

// Stuck: the shell cannot carry the call on (Asterisk keeps refusing what
// the call needs, or the shell failed); the call goes to the dialplan's
// fallback. Why is for the log.
type Stuck struct{ Why string }

func (Stuck) event() {}

// PlaybackDone: what the service played to the caller has finished (or
// failed, or the channel went away: either way it is no longer playing).
type PlaybackDone struct{ Playback string }

// TimerFired: the deadline the policy asked for has come. It carries no
// data: the policy compares the current time with its own deadline, so a
// stale timer does nothing.
type TimerFired struct{}

// LinkLost: the connection to Asterisk dropped; events may be lost until
// LinkBack.
type LinkLost struct{}

// LinkBack: the connection is back. Events of the gap are gone; the policy
// asks the shell to look at the channels again.
type LinkBack struct{}

func (LegRinging) event()   {}
func (LegAnswered) event()  {}
func (LegFailed) event()    {}
func (LegGone) event()      {}
func (CallerGone) event()   {}
func (PlaybackDone) event() {}
func (TimerFired) event()   {}
func (LinkLost) event()     {}
func (LinkBack) event()     {}

// KeyPressed: a key was pressed on the phone the flow talks to.
type KeyPressed struct{ Digit string }

// ClerkGone: the clerk's own channel of a desk-phone flow ended.
type ClerkGone struct{}

// QueueCounted: how many callbacks wait for the clerk (result of CountQueue).
type QueueCounted struct{ Own, Department int }

// TaskClaimed: the result of ClaimNext or ClaimTask; OK false when nothing
// waits (or the task was taken meanwhile).
type TaskClaimed struct {
	Task callcare.CallbackTask
	OK   bool
}

// AttemptStarted: the attempt is journaled (result of StartAttempt); OK
// false when the task closed meanwhile.
type AttemptStarted struct {
	Attempt callcare.CallbackAttempt
	OK      bool
}

func (KeyPressed) event()     {}
func (ClerkGone) event()      {}
func (QueueCounted) event()   {}
func (TaskClaimed) event()    {}
func (AttemptStarted) event() {}

// RecordingDone: a voice note finished recording (by #, silence, the time
// limit or a hangup: Asterisk does not say which). Seconds is its length.
type RecordingDone struct {
	Name    string
	Seconds int
}

func (RecordingDone) event() {}

// LegKeyPressed: a key was pressed on a clerk's leg (during a call).
type LegKeyPressed struct {
	Leg   string
	Digit string
}

func (LegKeyPressed) event() {}

// LegHeld: the clerk put the call on hold with the desk phone's own key
// (ARI ChannelHold on the clerk's channel). Asterisk itself plays music to
// the other party meanwhile (P4h).
type LegHeld struct{ Leg string }

// LegUnheld: the clerk took the call back (ARI ChannelUnhold).
type LegUnheld struct{ Leg string }

func (LegHeld) event()   {}
func (LegUnheld) event() {}

// AgreedListed: the times already agreed for a clerk or department
// (result of ListAgreed).
type AgreedListed struct{ Times []time.Time }

func (AgreedListed) event() {}

// LinePosition: the call's place in its department's waiting line, sent
// by the line's owner whenever it changes (1 is the next to be served).
type LinePosition struct{ Position int }

// LineTurn: a clerk the call may go to is free; the line's owner offers
// the call to that clerk, and to nobody else meanwhile.
type LineTurn struct{ Clerk callcare.Clerk }

func (LinePosition) event() {}
func (LineTurn) event()     {}

// Transferred: the clerk on Leg transfers the call to the number To (P4o):
// with the desk phone's own key (Asterisk swapped its Local channel pair
// Locals in for the phone, which the service hangs up), or with the keys
// of the DTMF fallback (after ResolveTransfer). Target and Steps are what
// the number reaches, Found false when it reaches nobody.
type Transferred struct {
	Leg    string
	To     string
	Target callcare.Target
	Found  bool
	Steps  []callcare.Step
	Locals []string
}

// LegReplaced: a clerk's phone transferred the call somewhere outside the
// service: Asterisk's Local channel By took the clerk's place in the
// bridge, and the caller now talks through it.
type LegReplaced struct{ Leg, By string }

func (Transferred) event() {}
func (LegReplaced) event() {}
