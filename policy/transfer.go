package policy

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/callcare/callcare"
)

// Transfers (P4o): a clerk passes the caller to a colleague with the desk
// phone's own transfer key (a blind transfer; Asterisk swaps a Local
// channel pair in for the phone, which the service hangs up at once) or
// with the DTMF fallback (the prefix, the number, then # or a pause). Both
// give the same: the caller hears that they are being transferred, then
// music, and every Waiting.AnnounceEvery a request for patience; the
// target is rung by the procedure's rings along its overflow chain; the
// one who answers first hears, alone, who transfers (the extension), the
// caller's number digit by digit and, if so, that the caller has special
// needs; only then are the two connected. Nobody answers: the
// transferring clerk is rung back and, answering, told so and
// reconnected; nobody at all: the caller is told and called back by the
// target (a missed call of the target). Never dropped.

type transferState struct {
	on        bool
	from      callcare.Clerk // who transfers
	to        callcare.Target
	back      bool      // the transferring clerk is being rung back
	next      time.Time // the next request for patience
	whisper   string    // the whisper playing to the leg that answered
	leg       *leg      // that leg
	held      bool      // that leg's phone is on hold: the caller is not connected to it
	heldAt    time.Time // since when
	whispered bool      // the whisper ended while the phone was on hold
	n         int
	said      string      // the announcement playing to the caller now
	keyed     keyedNumber // a clerk's keys of the DTMF fallback so far
}

// clerkKeys collects the DTMF fallback (keyedNumber). It tells whether
// the key was taken.
func (c *Inbound) clerkKeys(ev LegKeyPressed, now time.Time) ([]Action, bool) {
	prefix := c.set.TransferPrefix
	if prefix == "" || c.answered == nil || ev.Leg != c.answered.id || c.phase != phaseConnected {
		return nil, false
	}
	taken, complete := c.xfer.keyed.add(ev.Digit, prefix, now, c.set.KeyTimeout)
	if complete {
		return c.keyedTransfer(), true
	}
	if taken {
		c.talkDeadline()
	}
	return nil, taken
}

// keyedTransfer: the number is complete.
func (c *Inbound) keyedTransfer() []Action {
	number := c.xfer.keyed.number(c.set.TransferPrefix)
	c.talkDeadline()
	if number == "" {
		return nil
	}
	return []Action{ResolveTransfer{Leg: c.answered.id, To: number}}
}

// transferred: the clerk transfers the call.
func (c *Inbound) transferred(ev Transferred, now time.Time) []Action {
	acts := hangupLocals(ev.Locals)
	if c.phase != phaseConnected || c.answered == nil || ev.Leg != c.answered.id {
		return acts
	}
	from := c.answered
	fromClerk := c.clerkOf(from)
	acts = append(acts, c.stopHoldPrompt()...)
	c.hold.on = false
	c.endHold(now)
	from.state = legGone                      // its end is no P4l: the clerk passed the call on
	if !slices.Contains(ev.Locals, from.id) { // a Local ;1 is hung up once
		acts = append(acts, HangupLeg{Leg: from.id, Reason: "normal"})
	}
	if !c.undoStandIn(from) {
		a := &c.rec.Attempts[from.attempt]
		a.EndedAt = now
		if a.Clerk == "" {
			a.Result = "transferred" // Asterisk's Local channel that stood in for the clerk
		}
	}
	c.answered = nil
	c.xfer = transferState{on: true, from: fromClerk, to: ev.Target, n: c.xfer.n}
	c.rec.Transfers = append(c.rec.Transfers, callcare.Transfer{By: fromClerk.ID, To: ev.Target, At: now})
	c.xfer.next = now.Add(c.set.Waiting.AnnounceEvery)
	c.phase = phaseRinging
	if !ev.Found || len(ev.Steps) == 0 {
		c.xfer.back = true
	} else {
		c.steps = append(c.steps, ev.Steps...)
		c.step = len(c.steps) - len(ev.Steps)
		c.xferStart = c.step
	}
	acts = append(acts, StartMusic{Class: c.musicOrDefault(fromClerk.Department)})
	acts = append(acts, c.sayTransfer(c.set.Prompts.Transferring)...)
	if c.xfer.back {
		c.xfer.back = false
		return append(acts, c.transferBack(now)...)
	}
	return append(acts, c.dialTransfer(now)...)
}

// hangupLocals hangs up Asterisk's Local channels of a transfer by the
// phone's key: Asterisk never cleans them up.
func hangupLocals(locals []string) []Action {
	var acts []Action
	for _, l := range locals {
		acts = append(acts, HangupLeg{Leg: l, Reason: "normal"})
	}
	return acts
}

// dialTransfer rings the current step of a transfer, the record saved
// first with the transfer and the attempts it makes: a run that dies
// while they ring leaves the next one what it needs to carry the
// transfer on (Adopt), rather than a call it takes for still talking.
func (c *Inbound) dialTransfer(now time.Time) []Action {
	dial := c.dialStep(now)
	return append([]Action{SaveNow{c.rec}}, dial...)
}

// undoStandIn: a transfer by the phone's key reached the service in two
// halves, ;1 first (LegReplaced), then ;2 (Transferred), as the real
// Asterisk sometimes delivers them. The Local channel that stood in for
// the clerk a moment was the transfer itself, not a party to the call:
// its attempt and its transfer without a target are taken back, so that
// the record is the one a transfer reported whole makes. It tells whether
// it did.
func (c *Inbound) undoStandIn(l *leg) bool {
	last, n := len(c.rec.Attempts)-1, len(c.rec.Transfers)-1
	if l.replaced == nil || l.attempt != last || n < 0 || c.rec.Transfers[n].To != (callcare.Target{}) {
		return false
	}
	c.rec.Attempts = c.rec.Attempts[:last]
	c.rec.Transfers = c.rec.Transfers[:n]
	l.attempt = l.replaced.attempt
	return true
}

// sayTransfer plays an announcement to the waiting caller, over the music.
func (c *Inbound) sayTransfer(sound string) []Action {
	var acts []Action
	if c.xfer.said != "" {
		acts = append(acts, StopPlayback{Playback: c.xfer.said})
	}
	c.xfer.n++
	c.xfer.said = fmt.Sprintf("%s-xfer%d", c.rec.ID, c.xfer.n)
	return append(acts, Say{Playback: c.xfer.said, Media: []string{"sound:" + sound}})
}

// transferTimer: a request for patience is due, or the ring limit passed.
func (c *Inbound) transferTimer(now time.Time) []Action {
	var acts []Action
	if !now.Before(c.xfer.next) {
		c.xfer.next = now.Add(c.set.Waiting.AnnounceEvery)
		acts = append(acts, c.sayTransfer(c.set.Prompts.TransferWait)...)
	}
	if !c.deadline.IsZero() && !now.Before(c.deadline) {
		acts = append(acts, c.ringLimitPassed(now)...)
	}
	return acts
}

// transferNext: the target's chain is used up (or the clerk rung back did
// not answer either).
func (c *Inbound) transferNext(now time.Time) []Action {
	if !c.xfer.back {
		return c.transferBack(now)
	}
	// Nobody: the caller is told and called back by the target.
	c.xfer.on = false
	c.rec.Outcome = callcare.OutcomeAnswered
	var acts []Action
	if c.xfer.said != "" {
		acts = append(acts, StopPlayback{Playback: c.xfer.said})
		c.xfer.said = ""
	}
	acts = append(acts, StopMusic{})
	acts = append(acts, c.taskWith(callcare.ReasonMissed, now, func(t *callcare.CallbackTask) {
		if c.xfer.to.Kind != "" {
			t.Target = c.xfer.to
		}
	})...)
	return append(acts, c.close(c.promising(c.set.Prompts.NobodyAvailable), now)...)
}

// transferBack rings the transferring clerk again.
func (c *Inbound) transferBack(now time.Time) []Action {
	c.xfer.back = true
	if n := len(c.rec.Transfers); n > 0 {
		c.rec.Transfers[n-1].CameBack = true // nobody of the target took it
	}
	c.steps = append(c.steps, backStep(c.xfer.from))
	c.step = len(c.steps) - 1
	return c.dialTransfer(now)
}

// backStep rings the clerk who transferred, when nobody of the target took
// the call.
func backStep(from callcare.Clerk) callcare.Step {
	return callcare.Step{Clerks: []callcare.Clerk{from}, Via: callcare.Target{Kind: callcare.TargetClerk, ID: string(from.ID)}}
}

// takeTransferLeg: l, a leg of the transfer, answered; the others are let
// go.
func (c *Inbound) takeTransferLeg(l *leg, now time.Time) []Action {
	l.state = legAnswered
	acts := c.leaveLegs(now, now, "cancelled", "answered_elsewhere")
	a := &c.rec.Attempts[l.attempt]
	a.Result = "answered"
	a.Rings = c.ringsAt(*a, now)
	c.xfer.leg = l
	return acts
}

// transferAnswered: a leg of the transfer answered; it hears, alone, who
// transfers and who calls (or, the clerk rung back, that nobody took it),
// and only then is connected.
func (c *Inbound) transferAnswered(l *leg, now time.Time) []Action {
	acts := c.takeTransferLeg(l, now)
	c.phase = phaseWhisper
	c.deadline = now.Add(promptLimit)
	c.xfer.held, c.xfer.whispered = false, false
	c.xfer.n++
	c.xfer.whisper = fmt.Sprintf("%s-whisper%d", c.rec.ID, c.xfer.n)
	var media []string
	if c.xfer.back {
		media = []string{"sound:" + c.set.Prompts.TransferBack}
	} else {
		media = append([]string{"sound:" + c.set.Prompts.WhisperFrom}, sayDigits(c.xfer.from.Extension)...)
		if n, ok := callcare.CallableNumber(c.rec.CallerID); ok {
			media = append(media, "sound:"+c.set.Prompts.WhisperCaller)
			media = append(media, sayDigits(national(n))...)
		}
		if c.rec.Needs != callcare.NeedsNone {
			media = append(media, "sound:"+c.set.Prompts.WhisperNeeds)
		}
	}
	return append(acts, SayLeg{Leg: l.id, Playback: c.xfer.whisper, Media: media})
}

// whisperStep handles the whisper to the leg that answered.
func (c *Inbound) whisperStep(ev Event, now time.Time) []Action {
	l := c.xfer.leg
	switch ev := ev.(type) {
	case PlaybackDone:
		switch ev.Playback {
		case c.xfer.said:
			c.xfer.said = ""
		case c.xfer.whisper:
			if c.xfer.held {
				c.xfer.whispered = true
				return nil
			}
			return c.whispered(now)
		}
	case LegHeld:
		// The target put the phone on hold while hearing who calls. Asterisk
		// pauses the whisper, or plays it to nobody, until the resume (the
		// lab: both, by the hold's length); the caller waits on the
		// transfer's music with its requests for patience, and is connected
		// only after the resume: joined to a phone on hold, they would hear
		// silence (Asterisk plays no music for a hold that came before the
		// bridge).
		if ev.Leg == l.id && !c.xfer.held {
			c.xfer.held, c.xfer.heldAt = true, now
			c.deadline = now.Add(min(c.set.Waiting.AnnounceEvery, c.set.Waiting.HoldOfferAfter))
		}
	case LegUnheld:
		if ev.Leg != l.id || !c.xfer.held {
			return nil
		}
		c.xfer.held = false
		if c.xfer.whispered {
			return c.whispered(now)
		}
		c.deadline = now.Add(promptLimit) // the whisper goes on
	case LegGone:
		if ev.Leg != l.id {
			c.legGone(ev, now)
			return nil
		}
		// Hung up before being connected: as if nobody answered.
		c.endLeg(l, "cancelled", now)
		c.xfer.whisper = ""
		c.phase = phaseRinging
		return c.next(now)
	case CallerGone:
		c.rec.HungUpBy = callcare.PartyCaller
		c.endLeg(l, "cancelled", now)
		return c.finish(callcare.PartyCaller, now, StopPlayback{Playback: c.xfer.whisper}, HangupLeg{Leg: l.id, Reason: "normal"})
	case TimerFired:
		if c.linkDown || c.deadline.IsZero() || now.Before(c.deadline) {
			return nil
		}
		if c.xfer.held {
			return c.heldInWhisper(now)
		}
		return c.whispered(now) // the whisper's end was never heard of
	case LinkLost:
		c.linkDown = true
	case LinkBack:
		c.linkDown = false
		acts := []Action{Resync{Legs: c.liveLegs()}}
		if c.xfer.held {
			// The resume may have been lost with the link, and Asterisk
			// cannot be asked whether a phone holds: taken as resumed, rather
			// than the caller kept waiting on a target who took the call.
			c.xfer.held = false
			if c.xfer.whispered {
				return append(acts, c.whispered(now)...)
			}
			c.deadline = now.Add(promptLimit)
		}
		return acts
	}
	return nil
}

// heldInWhisper: the target still holds. The caller hears a request for
// patience at each interval; past Waiting.HoldOfferAfter (how long a held
// caller waits before a callback is offered), the target is taken as not
// answering, and the transfer goes on as then: the next of the target's
// chain, the clerk who transferred, then a callback.
func (c *Inbound) heldInWhisper(now time.Time) []Action {
	giveUp := c.xfer.heldAt.Add(c.set.Waiting.HoldOfferAfter)
	if now.Before(giveUp) {
		c.deadline = now.Add(min(c.set.Waiting.AnnounceEvery, giveUp.Sub(now)))
		return c.sayTransfer(c.set.Prompts.TransferWait)
	}
	l := c.xfer.leg
	c.endLeg(l, "noanswer", now)
	acts := []Action{StopPlayback{Playback: c.xfer.whisper}, HangupLeg{Leg: l.id, Reason: "no_answer"}}
	c.xfer.whisper, c.xfer.held, c.xfer.whispered = "", false, false
	c.phase = phaseRinging
	return append(acts, c.next(now)...)
}

// whispered connects the caller with the leg that heard the whisper.
func (c *Inbound) whispered(now time.Time) []Action {
	l := c.xfer.leg
	c.xfer.whisper, c.xfer.whispered = "", false
	c.phase = phaseConnected
	c.deadline = time.Time{}
	c.answered = l
	c.xfer.on = false
	var acts []Action
	if c.xfer.said != "" {
		acts = append(acts, StopPlayback{Playback: c.xfer.said})
		c.xfer.said = ""
	}
	acts = append(acts, StopMusic{}, AddToBridge{Leg: l.id})
	acts = append(acts, c.setMusic(c.rec.Attempts[l.attempt].Clerk)...)
	return append(acts, Save{c.rec})
}

// clerkOf is the clerk a leg rang.
func (c *Inbound) clerkOf(l *leg) callcare.Clerk {
	id := c.rec.Attempts[l.attempt].Clerk
	if id == "" { // Asterisk's Local channel in a clerk's place: that clerk's
		id = c.rec.Attempts[l.attempt].TransferredBy
	}
	for _, s := range c.steps {
		for _, cl := range s.Clerks {
			if cl.ID == id {
				return cl
			}
		}
	}
	return callcare.Clerk{ID: id}
}

// musicOrDefault is a department's music class, the office's, or Asterisk's default.
func (c *Inbound) musicOrDefault(dept string) string { return c.set.musicOf(dept) }

// musicOf is the music a department's callers wait on: its own class,
// else the office's, else Asterisk's default.
func (s InboundSettings) musicOf(dept string) string {
	if class := s.Music[dept]; class != "" {
		return class
	}
	if s.Waiting.MusicClass != "" {
		return s.Waiting.MusicClass
	}
	return callcare.DefaultMusicClass
}

// holdClass is the class to set on a caller's channel for the hold of a
// clerk of dept: "" when it is Asterisk's default, which needs no request.
func (s InboundSettings) holdClass(dept string) string {
	if class := s.musicOf(dept); class != callcare.DefaultMusicClass {
		return class
	}
	return ""
}

// legReplaced: the clerk's phone transferred the call outside the service;
// the caller goes on through Asterisk's Local channel.
func (c *Inbound) legReplaced(ev LegReplaced, now time.Time) []Action {
	if c.phase != phaseConnected || c.answered == nil || ev.Leg != c.answered.id {
		return nil
	}
	from := c.answered
	from.state = legGone
	c.rec.Attempts[from.attempt].EndedAt = now
	by := c.rec.Attempts[from.attempt].Clerk
	c.rec.Attempts = append(c.rec.Attempts, callcare.Attempt{DialedAt: now, Result: "answered", TransferredBy: by})
	c.rec.Transfers = append(c.rec.Transfers, callcare.Transfer{By: by, At: now}) // to whom, only Asterisk knows
	l := &leg{id: ev.By, step: c.step, attempt: len(c.rec.Attempts) - 1, state: legAnswered, replaced: from}
	c.legs = append(c.legs, l)
	c.answered = l
	return []Action{HangupLeg{Leg: from.id, Reason: "normal"}, Save{c.rec}}
}

// national is a Polish number as a Polish clerk dials it, without 48:
// two digits fewer to hear.
func national(n callcare.Number) string {
	if s := string(n); len(s) == 11 && strings.HasPrefix(s, "48") {
		return s[2:]
	}
	return string(n)
}
