package policy

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
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
		// Rings counted from the first leg the hand-over made; what kind
		// of task the menu's choice leaves is not known any more: a
		// callback's.
		c.handed = handover{on: true, ringFrom: now}
		for _, fl := range f.Legs {
			if !fl.Created.IsZero() && fl.Created.Before(c.handed.ringFrom) {
				c.handed.ringFrom = fl.Created
			}
		}
		// Every attempt on record came after the hand-over: after an
		// overflow, the first one's leg is gone, not its rings.
		for _, at := range rec.Attempts {
			if !at.DialedAt.IsZero() && at.DialedAt.Before(c.handed.ringFrom) {
				c.handed.ringFrom = at.DialedAt
			}
		}
	}
	if !rec.EndedAt.IsZero() {
		// The call's story is told (its end was refused, or lost): end
		// what Asterisk still has of it, as the record says.
		c.phase = phaseDone
		var acts []Action
		for _, fl := range f.Legs {
			acts = append(acts, HangupLeg{Leg: fl.ID, Reason: "normal"})
		}
		if rec.Outcome == callcare.OutcomeFallback {
			acts = append(acts, Fallback{Exten: rec.Dialed})
		} else {
			acts = append(acts, HangupCaller{Reason: "normal"})
		}
		return c, append(acts, Finish{})
	}
	c.rec.Outcome, c.rec.HungUpBy = "", ""
	var acts []Action
	if f.Record.ID == "" {
		acts = append(acts, Save{c.rec})
	}
	if !a.Found || len(a.Steps) == 0 {
		// A number that reaches nobody: the caller is told so, as at the
		// start (P4p), wherever the message had got to.
		for _, fl := range f.Legs {
			acts = append(acts, HangupLeg{Leg: fl.ID, Reason: "normal"})
		}
		c.rec.Outcome = callcare.OutcomeUnrouted
		return c, append(acts, c.close(c.set.Prompts.UnknownNumber, now)...)
	}

	if len(c.rec.Transfers) > 0 {
		c.adoptTransfer(f.Transfer, now)
	}

	// The legs Asterisk has, numbered as the earlier run numbered them,
	// so a new leg never takes a used id. Those of a transfer under way
	// are its own steps' (the clerk rung back's, once it came back).
	first := 0
	if c.xfer.on {
		first = c.xferStart
		if c.xfer.back {
			first = len(c.steps) - 1
		}
	}
	var live []*leg
	for range c.rec.Attempts { // each rang a leg, which may be gone
		c.legs = append(c.legs, &leg{id: fmt.Sprintf("%s-old%d", c.rec.ID, len(c.legs)+1), step: -1, attempt: -1, state: legGone})
	}
	for _, fl := range f.Legs {
		l := &leg{id: fl.ID, step: -1, attempt: -1, state: legGone}
		// A leg not ringing a ring cycle after it was made never will (a
		// busy phone leaves its channel so): nobody to wait for.
		dead := fl.State == "" || fl.State == "Down" && now.Sub(fl.Created) > c.proc.RingCycle
		if step, ok := c.stepOf(fl.Clerk, first); ok && !dead {
			l.step = step
			l.state = legDialing
			// The record may have the attempt already (saved when the
			// clerk answered, or as a transfer rang): it goes on.
			l.attempt = slices.IndexFunc(c.rec.Attempts, func(a callcare.Attempt) bool { return a.Clerk == fl.Clerk && a.EndedAt.IsZero() })
			if l.attempt < 0 {
				l.attempt = len(c.rec.Attempts)
				a := callcare.Attempt{Clerk: fl.Clerk, Via: c.steps[step].Via, DialedAt: fl.Created}
				if c.xfer.on && !c.xfer.back {
					a.TransferredBy = c.xfer.from.ID
				}
				c.rec.Attempts = append(c.rec.Attempts, a)
			}
			switch fl.State {
			case "Ringing":
				l.state = legRinging
				if c.rec.Attempts[l.attempt].RingingAt.IsZero() {
					c.rec.Attempts[l.attempt].RingingAt = fl.Created
				}
			case "Up":
				l.state = legAnswered
				if c.rec.Attempts[l.attempt].RingingAt.IsZero() {
					// Answered while nobody watched: its rings count to
					// now, as the caller's do, never fewer than it rang.
					c.rec.Attempts[l.attempt].RingingAt = fl.Created
				}
			}
			live = append(live, l)
		} else {
			// A dead leg, or one of no step of today's chain.
			acts = append(acts, HangupLeg{Leg: fl.ID, Reason: "normal"})
		}
		c.placeLeg(l, fl.ID)
	}
	hangupOthers := func(keep func(*leg) bool) {
		for _, l := range live {
			if !keep(l) {
				acts = append(acts, HangupLeg{Leg: l.id, Reason: "normal"})
				if l.attempt >= 0 {
					c.endLeg(l, "cancelled", now)
				}
				l.state = legGone
			}
		}
	}

	// Talking: watch them.
	if f.Bridged != "" {
		if l := c.leg(f.Bridged); l != nil && l.attempt >= 0 {
			hangupOthers(func(o *leg) bool { return o == l })
			l.state = legAnswered
			c.answered, c.phase, c.step = l, phaseConnected, l.step
			c.xfer.on = false // a transfer's target connected, its record not yet saved so
			if at := &c.rec.Attempts[l.attempt]; c.rec.AnsweredAt.IsZero() || at.Result != "answered" {
				at.Result = "answered"
				if c.rec.AnsweredAt.IsZero() {
					c.rec.AnsweredAt, c.rec.AnsweredBy = now, at.Clerk
				}
				c.rec.Outcome = callcare.OutcomeAnswered
				acts = append(acts, Save{c.rec})
			}
			c.rec.Outcome = callcare.OutcomeAnswered
			return c, acts
		}
	}
	// The clerk hung up while nobody watched: goodbye to the one left.
	if !c.rec.AnsweredAt.IsZero() && !c.xfer.on {
		hangupOthers(func(*leg) bool { return false })
		c.rec.Outcome = callcare.OutcomeAnswered
		c.rec.HungUpBy = callcare.PartyClerk
		c.rec.HungUpClerk = lastAnswered(c.rec.Attempts) // counted against them (P4l)
		return c, append(acts, c.close(c.set.Prompts.Goodbye, now)...)
	}
	// Still being put through: the step whose legs are up goes on.
	if len(live) > 0 {
		step := live[0].step
		for _, l := range live {
			step = min(step, l.step)
		}
		hangupOthers(func(l *leg) bool { return l.step == step && l.state != legGone })
		c.step, c.phase = step, phaseRinging
		c.deadline = time.Time{}
		var answered *leg
		for _, l := range live {
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
			return c, append(acts, c.transferTaken(answered, now)...)
		case c.xfer.on:
			// The caller heard only music while nobody watched.
			return c, append(acts, c.sayTransfer(c.set.Prompts.TransferWait)...)
		case step > 0 || c.handed.on:
			acts = append(acts, c.restartTone()...)
		}
		if answered != nil {
			// The clerk picked up while nobody watched: connect at once.
			answered.state = legRinging
			return c, append(acts, c.legAnswered(answered.id, now)...)
		}
		return c, acts
	}
	hangupOthers(func(*leg) bool { return false })
	if c.xfer.on {
		// Nobody of the transfer rings any more (a phone refused it
		// meanwhile): on as when its chain is used up, the transferring
		// clerk rung back, or, rung back already, the caller told and
		// called back (P4o). Never the fallback's dialed number, which
		// would ring the clerk who passed the call on without a word.
		c.phase = phaseRinging
		if !c.xfer.back {
			acts = append(acts, c.sayTransfer(c.set.Prompts.TransferWait)...)
		}
		return c, append(acts, c.transferNext(now)...)
	}
	// Whether a tone still plays is not known (the call may have
	// overflowed): Asterisk would hold the hand-over to the fallback
	// behind it, for ever.
	acts = append(acts, c.staleTones()...)
	return c, append(acts, c.toFallback(now)...)
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

// adoptTransfer: the record has a transfer. Its target's chain goes after
// the call's own, as the dead run had it, so that its legs, ringing or
// talking, belong to a step. One under way (nobody took it yet) goes on:
// the caller waits with the music Asterisk still plays, and, nobody
// answering, the transferring clerk is rung back, then the target owes a
// callback (P4o, transfer.go).
func (c *Inbound) adoptTransfer(ft FoundTransfer, now time.Time) {
	t := c.rec.Transfers[len(c.rec.Transfers)-1]
	c.xferStart = len(c.steps)
	c.steps = slices.Concat(c.steps, ft.Steps)
	if !transferUnderWay(c.rec) {
		return
	}
	by := ft.By
	if by.ID == "" {
		by = callcare.Clerk{ID: t.By}
	}
	// The ids of its announcements and whispers go on past any the dead
	// run could have used (a few per transfer, one per interval), so
	// none is refused as taken.
	n := 3*len(c.rec.Transfers) + int(now.Sub(c.rec.StartedAt)/max(c.set.Waiting.AnnounceEvery, time.Second))
	c.xfer = transferState{on: true, from: by, to: t.To, back: t.CameBack, n: n, next: now.Add(c.set.Waiting.AnnounceEvery)}
	if t.CameBack {
		c.steps = append(c.steps, backStep(by))
	}
	c.rec.Outcome = callcare.OutcomeAnswered
}

// transferUnderWay tells whether the record's last transfer still waits
// for somebody to take it: nobody answered since it was made.
func transferUnderWay(rec callcare.CallRecord) bool {
	n := len(rec.Transfers)
	if n == 0 {
		return false
	}
	t := rec.Transfers[n-1]
	if t.To == (callcare.Target{}) && !t.CameBack {
		return false // made by the phone outside the service: nothing to ring
	}
	return !slices.ContainsFunc(rec.Attempts, func(a callcare.Attempt) bool {
		return a.Result == "answered" && !a.DialedAt.Before(t.At)
	})
}

// transferTaken: a leg of the transfer was answered while nobody watched.
// Whether its clerk heard the whisper is not known, and the caller has
// waited the longest: connected at once. The desk phone showed who
// transfers and the caller's number as it rang (P4d).
func (c *Inbound) transferTaken(l *leg, now time.Time) []Action {
	return append(c.takeTransferLeg(l, now), c.whispered(now)...)
}

// stepOf finds the step of the chain, from step first on, that rings
// clerk: each clerk rings at most once per call, but for a transfer.
func (c *Inbound) stepOf(clerk callcare.ClerkID, first int) (int, bool) {
	for i, s := range c.steps {
		if i < first {
			continue
		}
		for _, k := range s.Clerks {
			if k.ID == clerk {
				return i, true
			}
		}
	}
	return 0, false
}

// placeLeg puts a found leg at the index its id names ("<call>-<n>"),
// filling the numbers before it with legs long gone: new legs then get
// new numbers.
func (c *Inbound) placeLeg(l *leg, id string) {
	n, err := strconv.Atoi(id[strings.LastIndexByte(id, '-')+1:])
	if err != nil || n < 1 || n > 1000 {
		c.legs = append(c.legs, l)
		return
	}
	for len(c.legs) < n-1 {
		c.legs = append(c.legs, &leg{id: fmt.Sprintf("%s-old%d", c.rec.ID, len(c.legs)+1), step: -1, attempt: -1, state: legGone})
	}
	if len(c.legs) >= n {
		// The number is taken by a gone placeholder: replace it.
		if old := c.legs[n-1]; old.step == -1 && old.attempt == -1 && old.state == legGone {
			c.legs[n-1] = l
			return
		}
		c.legs = append(c.legs, l)
		return
	}
	c.legs = append(c.legs, l)
}
