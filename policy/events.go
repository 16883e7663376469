package policy

// Event is something that happened to a call: reported by the PBX, by the
// shell's timer, or as the result of an action the shell carried out.
type Event interface{ event() }

// LegRinging: the clerk's phone is ringing (ARI Dial RINGING).
type LegRinging struct{ Leg string }

// LegAnswered: the clerk picked up (ARI Dial ANSWER, or found Up on resync).
type LegAnswered struct{ Leg string }

// LegFailed: the leg will not be answered: the phone is busy, unreachable or
// congested (ARI Dial BUSY, CHANUNAVAIL, CONGESTION), or creating or dialing
// it failed. Result says which, for the call log.
type LegFailed struct {
	Leg    string
	Result string
}

// LegGone: the clerk's channel ended (hung up, or left the application).
type LegGone struct{ Leg string }

// CallerGone: the citizen's channel ended.
type CallerGone struct{}

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
