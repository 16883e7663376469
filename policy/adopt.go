package policy

import (
	"fmt"
	"time"

	"github.com/callcare/callcare"
)

// Found is a citizen's call the shell found in Asterisk with nobody
// handling it: left by a run of the service that died, or lost track of.
// Asterisk keeps such calls in the application and replays nothing; the
// shell tells what it sees, the policy decides.
type Found struct {
	// Arrival is the call as it would arrive now: its number resolved
	// with today's directory.
	Arrival Arrival
	// Record is the call as the store has it; a zero ID when it has none.
	Record callcare.CallRecord
	// Started is when Asterisk created the caller's channel.
	Started time.Time
	// Bridged is the leg the caller is bridged with: they are talking.
	Bridged string
	// Legs are the call's clerk legs Asterisk still has.
	Legs []FoundLeg
	// Transfer is the call's last transfer as today's directory has it,
	// when its record has one (P4o).
	Transfer FoundTransfer
	// HandedOver: the voice menu answered the caller and handed the call
	// to ringing (handover.go): the caller hears the service's ringing
	// tone, which plays until it is stopped, and rings count from the
	// hand-over, not from the call's start.
	HandedOver bool
}

// FoundLeg is a clerk's leg of a found call.
type FoundLeg struct {
	ID    string
	Clerk callcare.ClerkID
	// Created is when Asterisk created the channel: the ring count goes
	// on from there, which never gives a clerk more rings than P4a allows.
	Created time.Time
	State   string // Asterisk's: Down, Ringing, Up...
}

// FoundTransfer is the last transfer of a found call: the clerk who made
// it and its target's overflow chain (RouteCall, with today's absences;
// none when the number reached nobody).
type FoundTransfer struct {
	By    callcare.Clerk
	Steps []callcare.Step
}

// Adopt takes over a found call from where it stood:
//   - a caller talking with a clerk is watched until one hangs up (P4l:
//     goodbye to the one left);
//   - a caller still being put through goes on ringing the step whose
//     legs are up, counted from when they were created; a clerk who
//     answered meanwhile is connected at once;
//   - a caller being transferred goes on being transferred: the target's
//     legs ring on, and nobody answering, the transferring clerk is rung
//     back, then the caller is called back (P4o);
//   - a caller left alone after a clerk hung up hears goodbye;
//   - anything else (nobody rung, a number that reaches nobody, an
//     after-hours menu) goes to the dialplan's fallback, recorded as such.
//
// The store's record goes on if it has one, else one is made from what
// Asterisk shows.
func Adopt(f Found, set InboundSettings, now time.Time) (*Inbound, []Action) {
	c := adoptedCall(f, set, now)
	if !c.rec.EndedAt.IsZero() {
		return c, c.adoptEnded(f.Legs)
	}
	c.rec.Outcome, c.rec.HungUpBy = "", ""
	a := &adoption{c: c, now: now}
	if f.Record.ID == "" {
		a.acts = append(a.acts, Save{c.rec})
	}
	if !f.Arrival.Found || len(f.Arrival.Steps) == 0 {
		// A number that reaches nobody: the caller is told so, as at the
		// start (P4p), wherever the message had got to.
		for _, fl := range f.Legs {
			a.acts = append(a.acts, HangupLeg{Leg: fl.ID, Reason: "normal"})
		}
		c.rec.Outcome = callcare.OutcomeUnrouted
		return c, append(a.acts, c.close(c.set.Prompts.UnknownNumber, now)...)
	}
	if len(c.rec.Transfers) > 0 {
		c.adoptTransfer(f.Transfer, now)
	}
	a.placeLegs(f.Legs)
	switch {
	case a.talking(f.Bridged):
	case !c.rec.AnsweredAt.IsZero() && !c.xfer.on:
		a.clerkGone()
	case len(a.live) > 0:
		a.ringing()
	case c.xfer.on:
		a.transferRingsNobody()
	default:
		// Whether a tone still plays is not known (the call may have
		// overflowed): Asterisk would hold the hand-over to the fallback
		// behind it, for ever.
		a.acts = append(a.acts, c.staleTones()...)
		a.acts = append(a.acts, c.toFallback(now)...)
	}
	return c, a.acts
}

// adoptedCall is the found call's Inbound: the store's record, or one
// made from what Asterisk shows, and the menu's hand-over.
func adoptedCall(f Found, set InboundSettings, now time.Time) *Inbound {
	a := f.Arrival
	rec := f.Record.Clone() // its lists are the call's from now on
	if rec.ID == "" {
		rec = callcare.CallRecord{ID: a.CallID, CallerID: a.CallerID, CallerName: a.CallerName,
			Dialed: a.Dialed, Target: a.Target, StartedAt: f.Started, Needs: a.Needs}
		if rec.StartedAt.IsZero() || rec.StartedAt.After(now) {
			rec.StartedAt = now
		}
	}
	c := &Inbound{set: set, proc: set.Procedure, steps: a.Steps, rec: rec}
	if f.HandedOver {
		c.handed = handover{on: true, ringFrom: handedOverAt(f, rec, now)}
	}
	return c
}

// handedOverAt is when the menu handed the call to ringing, as far as
// can be told: the first leg it made, or the first attempt on record
// (after an overflow the first one's leg is gone, not its rings). What
// kind of task the menu's choice leaves is not known any more: a
// callback's.
func handedOverAt(f Found, rec callcare.CallRecord, now time.Time) time.Time {
	at := now
	for _, fl := range f.Legs {
		if !fl.Created.IsZero() && fl.Created.Before(at) {
			at = fl.Created
		}
	}
	for _, a := range rec.Attempts {
		if !a.DialedAt.IsZero() && a.DialedAt.Before(at) {
			at = a.DialedAt
		}
	}
	return at
}

// adoptEnded: the call's story is told (its end was refused, or lost):
// end what Asterisk still has of it, as the record says.
func (c *Inbound) adoptEnded(legs []FoundLeg) []Action {
	c.phase = phaseDone
	var acts []Action
	for _, fl := range legs {
		acts = append(acts, HangupLeg{Leg: fl.ID, Reason: "normal"})
	}
	if c.rec.Outcome == callcare.OutcomeFallback {
		acts = append(acts, Fallback{Exten: c.rec.Dialed})
	} else {
		acts = append(acts, HangupCaller{Reason: "normal"})
	}
	return append(acts, Finish{})
}

// talking: the caller is bridged with a leg of the call: watch them. It
// tells whether they were.
func (a *adoption) talking(bridged string) bool {
	if bridged == "" {
		return false
	}
	c := a.c
	l := c.leg(bridged)
	if l == nil || l.attempt < 0 {
		return false
	}
	a.hangupOthers(func(o *leg) bool { return o == l })
	l.state = legAnswered
	c.answered, c.phase, c.step = l, phaseConnected, l.step
	c.xfer.on = false // a transfer's target connected, its record not yet saved so
	if at := &c.rec.Attempts[l.attempt]; c.rec.AnsweredAt.IsZero() || at.Result != "answered" {
		at.Result = "answered"
		if c.rec.AnsweredAt.IsZero() {
			c.rec.AnsweredAt, c.rec.AnsweredBy = a.now, at.Clerk
		}
		c.rec.Outcome = callcare.OutcomeAnswered
		a.acts = append(a.acts, Save{c.rec})
	}
	c.rec.Outcome = callcare.OutcomeAnswered
	return true
}

// clerkGone: the clerk hung up while nobody watched: goodbye to the one
// left.
func (a *adoption) clerkGone() {
	c := a.c
	a.hangupOthers(func(*leg) bool { return false })
	c.rec.Outcome = callcare.OutcomeAnswered
	c.rec.HungUpBy = callcare.PartyClerk
	c.rec.HungUpClerk = lastAnswered(c.rec.Attempts) // counted against them (P4l)
	a.acts = append(a.acts, c.close(c.set.Prompts.Goodbye, a.now)...)
}

// ringing: still being put through, the earliest step whose legs are up
// goes on, its rings counted from when its legs were made.
func (a *adoption) ringing() {
	c, now := a.c, a.now
	step := a.live[0].step
	for _, l := range a.live {
		step = min(step, l.step)
	}
	a.hangupOthers(func(l *leg) bool { return l.step == step && l.state != legGone })
	c.step, c.phase = step, phaseRinging
	c.deadline = time.Time{}
	var answered *leg
	for _, l := range a.live {
		if l.step != step || l.state == legGone {
			continue
		}
		created := c.rec.Attempts[l.attempt].DialedAt
		if created.IsZero() || created.After(now) {
			created = now
		}
		if l.state == legAnswered && answered == nil {
			answered = l
		}
		if l.state == legRinging && (c.ringingAt.IsZero() || created.Before(c.ringingAt)) {
			c.ringingAt = created
		}
		if d := created.Add(2 * c.proc.RingLimit()); c.deadline.IsZero() || d.Before(c.deadline) {
			c.deadline = d
		}
	}
	if !c.ringingAt.IsZero() {
		c.deadline = c.ringingAt.Add(c.proc.RingLimit())
	}
	switch {
	case c.xfer.on && answered != nil:
		a.acts = append(a.acts, c.transferTaken(answered, now)...)
		return
	case c.xfer.on:
		// The caller heard only music while nobody watched.
		a.acts = append(a.acts, c.sayTransfer(c.set.Prompts.TransferWait)...)
		return
	case step > 0 || c.handed.on:
		a.acts = append(a.acts, c.restartTone()...)
	}
	if answered != nil {
		// The clerk picked up while nobody watched: connect at once.
		answered.state = legRinging
		a.acts = append(a.acts, c.legAnswered(answered.id, now)...)
	}
}

// transferRingsNobody: nobody of a transfer under way rings any more (a
// phone refused it meanwhile): on as when its chain is used up, the
// transferring clerk rung back, or, rung back already, the caller told
// and called back (P4o). Never the fallback's dialed number, which would
// ring the clerk who passed the call on without a word.
func (a *adoption) transferRingsNobody() {
	c := a.c
	c.phase = phaseRinging
	if !c.xfer.back {
		a.acts = append(a.acts, c.sayTransfer(c.set.Prompts.TransferWait)...)
	}
	a.acts = append(a.acts, c.transferNext(a.now)...)
}

// lastAnswered is the clerk who took the call last: after transfers, the
// one the caller talked with; "" when that was no clerk of the service.
func lastAnswered(as []callcare.Attempt) callcare.ClerkID {
	for i := len(as) - 1; i >= 0; i-- {
		if as[i].Result == "answered" {
			return as[i].Clerk
		}
	}
	return ""
}

// restartTone: a call adopted after it overflowed, or after the menu
// handed it over, may still hear the dead run's ringing tone, which plays
// until it is stopped, and Asterisk holds every request on the caller's
// channel (a variable, a goodbye, the fallback) behind a playback. The
// tone is stopped and plays afresh, under the id an adoption's tone always
// has, which the next adoption, after another crash, stops in its turn.
func (c *Inbound) restartTone() []Action {
	c.overflowSaid = true
	acts := c.staleTones()
	c.overflowing = c.rec.ID + "-tone-adopted"
	return append(acts, EarlyMedia{Playback: c.overflowing, Media: []string{ringTone}})
}

// staleTones stops whatever ringing tone a dead run may have left
// playing. Its ids are the call's own: the hand-over's, the overflow's, a
// tone after each change of what the phones show (one a step, and a few
// for a transfer's), and an earlier adoption's.
func (c *Inbound) staleTones() []Action {
	acts := []Action{StopPlayback{Playback: c.rec.ID + "-overflow"}, StopPlayback{Playback: c.rec.ID + "-tone-adopted"}}
	if c.handed.on {
		acts = append(acts, StopPlayback{Playback: c.rec.ID + "-connecting"})
	}
	for range len(c.steps) + 4 {
		c.menuN++
		acts = append(acts, StopPlayback{Playback: fmt.Sprintf("%s-tone%d", c.rec.ID, c.menuN)})
	}
	return acts
}
