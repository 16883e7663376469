package policy

import (
	"time"

	"github.com/callcare/callcare"
)

// Watch keeps an eye on two parties talking in a bridge that no call of
// the service owns (a clerk's callback conversation a dead run left): they
// talk on; when one hangs up, the other hears goodbye and the line ends
// (P4l, no dead line). It records nothing: the attempt was settled when
// the service found it.
type Watch struct {
	id       string
	own, leg string // own: the party the flow talks to; leg: the other
	goodbye  string
	phase    phase
	playing  string
	deadline time.Time
	linkDown bool
}

// StartWatch watches own and leg, talking in a bridge.
func StartWatch(id, own, leg string, prompts callcare.Prompts) *Watch {
	return &Watch{id: id, own: own, leg: leg, goodbye: prompts.Goodbye, phase: phaseConnected}
}

// Deadline is when the watch wants a TimerFired: the end of the goodbye,
// should it never be heard of.
func (w *Watch) Deadline() time.Time {
	if w.linkDown {
		return time.Time{}
	}
	return w.deadline
}

// Done tells whether both are gone.
func (w *Watch) Done() bool { return w.phase == phaseDone }

// Step takes what happened to the two.
func (w *Watch) Step(ev Event, now time.Time) []Action {
	if w.phase == phaseDone {
		return nil
	}
	switch ev := ev.(type) {
	case LegGone:
		if ev.Leg == w.leg && w.phase == phaseConnected {
			w.phase = phaseClosing
			w.playing = w.id + "-goodbye"
			w.deadline = now.Add(promptLimit)
			return []Action{Play{Playback: w.playing, Sound: w.goodbye}}
		}
	case CallerGone, ClerkGone:
		acts := []Action{}
		if w.phase == phaseConnected {
			acts = append(acts, HangupLeg{Leg: w.leg, Reason: "normal"})
		}
		return w.finish(acts...)
	case PlaybackDone:
		if ev.Playback == w.playing && w.phase == phaseClosing {
			return w.finish(HangupCaller{Reason: "normal"})
		}
	case TimerFired:
		if w.phase == phaseClosing && !w.linkDown && !now.Before(w.deadline) {
			return w.finish(HangupCaller{Reason: "normal"})
		}
	case LinkLost:
		w.linkDown = true
	case LinkBack:
		w.linkDown = false
		if w.phase == phaseConnected {
			return []Action{Resync{Legs: []string{w.leg}}}
		}
		return []Action{Resync{}}
	}
	return nil
}

func (w *Watch) finish(acts ...Action) []Action {
	w.phase = phaseDone
	w.deadline = time.Time{}
	return append(acts, Finish{})
}
