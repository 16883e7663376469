package policy

import (
	"fmt"
	"time"

	"github.com/callcare/callcare"
)

// Hold (P4h, P4p): the clerk presses the desk phone's hold key. Asterisk
// itself plays music to the caller at once, of the class set on the
// caller's channel when the clerk was connected (the department's), and
// stops it at the resume; the service adds what Asterisk cannot: the
// caller hears 3 s into the hold, then every Waiting.AnnounceEvery, that
// the clerk will be back; a hold longer than Waiting.HoldOfferAfter offers a
// callback instead (press 1), to a caller who can be called back. A caller
// who takes it is called back by that clerk; the clerk, back from hold,
// hears that the caller chose a callback.
//
// On a real Asterisk 20 (traces hold-moh-class, hold-moh-class-pjsip) an
// announcement on the caller's channel replaces the music while it plays
// and the music comes back by itself after it; a resume does not stop an
// announcement (the service stops it), and a hold during one starts the
// music once it ends.

type holdState struct {
	on      bool
	since   time.Time
	playing string    // the announcement playing now, "" for none
	offered bool      // the callback offer has been made: 1 takes it
	n       int       // announcements so far, for their ids
	next    time.Time // when the next announcement is due
}

// heldLimit bounds how long a clerk's phone may stay on hold once its
// caller has left: the line is then ended.
const heldLimit = 10 * time.Minute

// musicFor is the class the caller hears on the hold of clerk: the
// clerk's department's, else the office's; "" when it is Asterisk's
// default, which needs no request.
func (c *Inbound) musicFor(clerk callcare.ClerkID) string {
	dept := ""
	for _, s := range c.steps {
		for _, cl := range s.Clerks {
			if cl.ID == clerk {
				dept = cl.Department
			}
		}
	}
	return c.set.holdClass(dept)
}

// setMusic makes the caller's hold music the class of the clerk who took
// the call, if it differs from what is set.
func (c *Inbound) setMusic(clerk callcare.ClerkID) []Action {
	class := c.musicFor(clerk)
	if class == c.music {
		return nil
	}
	c.music = class
	if class == "" {
		class = callcare.DefaultMusicClass
	}
	return []Action{SetMusicClass{Class: class}}
}

func (c *Inbound) legHeld(id string, now time.Time) []Action {
	if c.phase != phaseConnected || c.answered == nil || id != c.answered.id || c.hold.on {
		return nil
	}
	c.hold = holdState{on: true, since: now, n: c.hold.n}
	c.rec.Holds = append(c.rec.Holds, callcare.Hold{Clerk: c.clerkOf(c.answered).ID, From: now})
	// P4p: the department's music at once (Asterisk's own), the reason
	// after a moment, then at the interval. A hold of a moment to look
	// something up is not talked over.
	c.hold.next = now.Add(min(holdGrace, c.set.Waiting.AnnounceEvery))
	c.talkDeadline()
	return nil
}

// holdGrace is how long the caller hears only the department's music
// before the first "the clerk will be back".
const holdGrace = 3 * time.Second

func (c *Inbound) legUnheld(id string, now time.Time) []Action {
	if c.answered == nil || id != c.answered.id || !c.hold.on {
		return nil
	}
	switch c.phase {
	case phaseConnected:
		c.hold.on = false
		c.endHold(now)
		c.talkDeadline()
		return c.stopHoldPrompt()
	case phaseHoldCallback:
		// The caller has chosen a callback: the clerk hears so, then the
		// line ends.
		c.hold.on = false
		c.clerkNotice = fmt.Sprintf("%s-left", c.rec.ID)
		c.deadline = now.Add(promptLimit)
		return []Action{SayLeg{Leg: id, Playback: c.clerkNotice, Media: []string{"sound:" + c.set.Prompts.CallerLeft}}}
	}
	return nil
}

// talkDeadline: during a conversation two things wait for a moment, the
// hold's next announcement and the pause that ends a transfer keyed in by
// the clerk (keyedNumber); the earlier wakes the call, and neither is
// lost to the other.
func (c *Inbound) talkDeadline() {
	var next time.Time
	if c.hold.on {
		next = c.hold.next
	}
	c.deadline = sooner(next, c.xfer.keyed.done)
}

// announceHold plays the patience announcement, or past the limit the
// callback offer, and asks to be woken at the next interval.
func (c *Inbound) announceHold(now time.Time) []Action {
	c.hold.next = now.Add(c.set.Waiting.AnnounceEvery)
	c.talkDeadline()
	if c.hold.playing != "" {
		return nil // the last one still plays: the next waits its turn
	}
	sound := c.set.Prompts.HoldPatience
	// A caller who cannot be called back keeps waiting for the clerk.
	if now.Sub(c.hold.since) >= c.set.Waiting.HoldOfferAfter && c.callable() {
		sound = c.set.Prompts.HoldOffer
		c.hold.offered = true
	}
	c.hold.n++
	c.hold.playing = fmt.Sprintf("%s-hold%d", c.rec.ID, c.hold.n)
	return []Action{Say{Playback: c.hold.playing, Media: []string{"sound:" + sound}}}
}

func (c *Inbound) stopHoldPrompt() []Action {
	if c.hold.playing == "" {
		return nil
	}
	p := c.hold.playing
	c.hold.playing = ""
	return []Action{StopPlayback{Playback: p}}
}

// holdKey: during the offer, 1 takes the callback; another key repeats the
// choice (P5.1). Before the offer, keys are the caller's own business.
func (c *Inbound) holdKey(d string, now time.Time) []Action {
	if !c.hold.offered {
		return nil
	}
	acts := c.stopHoldPrompt()
	if d != "1" {
		c.hold.n++
		c.hold.playing = fmt.Sprintf("%s-hold%d", c.rec.ID, c.hold.n)
		c.hold.next = now.Add(c.set.Waiting.AnnounceEvery)
		c.talkDeadline()
		return append(acts, Say{Playback: c.hold.playing, Media: []string{"sound:" + c.set.Prompts.HoldOffer}})
	}
	// The callback is the clerk's, who knows the matter (P4b, P4i). The
	// caller's wait ends here; the clerk's phone may stay on hold.
	c.endHold(now)
	c.phase = phaseHoldCallback
	c.deadline = now.Add(heldLimit)
	acts = append(acts, c.taskWith(callcare.ReasonLongHold, now, func(t *callcare.CallbackTask) {
		t.Target = callcare.Target{Kind: callcare.TargetClerk, ID: string(c.clerkOf(c.answered).ID)} // after a transfer, its clerk
	})...)
	c.playing = c.rec.ID + "-closing"
	return append(acts, Play{Playback: c.playing, Sound: c.set.Prompts.CallbackThanks})
}

// endHold ends the record's hold under way, if any: the caller no longer
// waits on it.
func (c *Inbound) endHold(now time.Time) {
	if n := len(c.rec.Holds); n > 0 && c.rec.Holds[n-1].To.IsZero() {
		c.rec.Holds[n-1].To = now
	}
}

// holdCallbackStep runs the end of a call whose caller took the callback
// on hold: the caller hears the thanks and is hung up; the clerk, back
// from hold, hears why the caller is gone; then the call is over.
func (c *Inbound) holdCallbackStep(ev Event, now time.Time) []Action {
	switch ev := ev.(type) {
	case PlaybackDone:
		switch ev.Playback {
		case c.playing:
			c.playing = ""
			if !c.callerLeft {
				c.callerLeft = true
				c.rec.HungUpBy = callcare.PartyService
				return append([]Action{HangupCaller{Reason: "normal"}}, c.holdCallbackOver(now)...)
			}
		case c.clerkNotice:
			c.clerkNotice = ""
			return []Action{HangupLeg{Leg: c.answered.id, Reason: "normal"}}
		}
	case CallerGone:
		if !c.callerLeft {
			c.callerLeft = true
			c.rec.HungUpBy = callcare.PartyCaller
		}
		return c.holdCallbackOver(now)
	case LegUnheld:
		return c.legUnheld(ev.Leg, now)
	case LegGone:
		if c.answered != nil && ev.Leg == c.answered.id && c.answered.state != legGone {
			c.answered.state = legGone
			c.rec.Attempts[c.answered.attempt].EndedAt = now
		}
		return c.holdCallbackOver(now)
	case TimerFired:
		if c.linkDown || now.Before(c.deadline) {
			return nil
		}
		// A phone left on hold, or a prompt never heard of: end what is left.
		var acts []Action
		if !c.callerLeft {
			c.callerLeft = true
			acts = append(acts, HangupCaller{Reason: "normal"})
		}
		if c.answered.state != legGone {
			c.answered.state = legGone
			c.rec.Attempts[c.answered.attempt].EndedAt = now
			acts = append(acts, HangupLeg{Leg: c.answered.id, Reason: "normal"})
		}
		return append(acts, c.holdCallbackOver(now)...)
	}
	return nil
}

// holdCallbackOver finishes the call once both sides are gone.
func (c *Inbound) holdCallbackOver(now time.Time) []Action {
	if !c.callerLeft || c.answered.state != legGone {
		return nil
	}
	return c.finish(callcare.PartyService, now)
}
