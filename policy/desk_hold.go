package policy

import (
	"fmt"
	"time"
)

// A clerk who called a citizen back may put them on hold, as during any
// call (P4h, P4p): Asterisk plays the music of the class set on the
// citizen's channel when the two were bridged (the clerk's department's),
// and the citizen hears, 3 s in and then every Waiting.AnnounceEvery, that
// the clerk will be back. A long hold offers no callback: this is one.

type deskHold struct {
	on      bool
	playing string    // the announcement playing now, "" for none
	n       int       // announcements so far, for their ids
	next    time.Time // when the next announcement is due
	since   time.Time // when the hold began
}

// musicClass is the class the citizen hears on the clerk's hold (the
// department's, else the office's); "" for Asterisk's default.
func (d *desk) musicClass() string { return d.set.Inbound.holdClass(d.clerk.Department) }

// holdStep takes the clerk's hold and resume, and the end of an
// announcement; it tells whether the event was one of these.
func (d *desk) holdStep(ev Event) ([]Action, bool) {
	switch ev := ev.(type) {
	case LegHeld:
		if ev.Leg != d.own || d.phase != phTalking || !d.joined || d.hold.on {
			return nil, ev.Leg == d.own
		}
		d.hold.on, d.hold.since = true, d.now
		// A hold of a moment to look something up is not talked over.
		d.hold.next = d.now.Add(min(holdGrace, d.set.Inbound.Waiting.AnnounceEvery))
		d.talkDeadline()
		return nil, true
	case LegUnheld:
		if ev.Leg != d.own || !d.hold.on {
			return nil, ev.Leg == d.own
		}
		d.hold.on = false
		if d.phase == phOutcome {
			// The citizen hung up during the hold: now the question.
			return d.say(d.outcomeMenu()...), true
		}
		d.talkDeadline()
		return d.stopHoldPrompt(), true
	case PlaybackDone:
		if ev.Playback == "" || ev.Playback != d.hold.playing {
			return nil, false
		}
		d.hold.playing = ""
		return nil, true
	}
	return nil, false
}

// announceHold tells the citizen the clerk will be back, and asks to be
// woken at the next interval.
func (d *desk) announceHold() []Action {
	d.hold.next = d.now.Add(d.set.Inbound.Waiting.AnnounceEvery)
	d.talkDeadline()
	if d.hold.playing != "" {
		return nil // the last one still plays
	}
	d.hold.n++
	d.hold.playing = fmt.Sprintf("%s-hold%d", d.citizen, d.hold.n)
	return []Action{SayLeg{Leg: d.citizen, Playback: d.hold.playing, Media: []string{"sound:" + d.set.Prompts.HoldPatience}}}
}

// stopHoldPrompt cuts an announcement short: the clerk is back, or the
// conversation ends.
func (d *desk) stopHoldPrompt() []Action {
	if d.hold.playing == "" {
		return nil
	}
	p := d.hold.playing
	d.hold.playing = ""
	return []Action{StopPlayback{Playback: p}}
}

// endHold: the conversation ended or changed hands during a hold.
func (d *desk) endHold() []Action {
	d.hold.on = false
	return d.stopHoldPrompt()
}
