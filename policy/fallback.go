package policy

import (
	"time"

	"github.com/callcare/callcare"
)

// stuck: the shell cannot carry the call on. A caller nobody is talking to
// goes to the dialplan's fallback, which rings a person without the
// service; a last message that cannot be played is skipped.
func (c *Inbound) stuck(ev Stuck, now time.Time) []Action {
	switch c.phase {
	case phaseDone:
		return nil
	case phaseClosing:
		return c.finish(callcare.PartyService, now, HangupCaller{Reason: "normal"})
	}
	return c.toFallback(now)
}

// toFallback leaves every leg still up and hands the caller to the
// dialplan's fallback. The call is recorded as such, with a callback task:
// nobody knows whether the fallback reached anyone (P4c, nothing is
// forgotten).
func (c *Inbound) toFallback(now time.Time) []Action {
	// Asterisk holds the hand-over behind a playback (the ringing tone
	// plays until it is stopped): whatever plays to the caller is cut.
	acts := c.stopSaying()
	for _, l := range c.legs {
		if l.state == legGone {
			continue
		}
		if l != c.answered {
			c.endLeg(l, "cancelled", now)
		} else {
			l.state = legGone
			c.rec.Attempts[l.attempt].EndedAt = now
		}
		acts = append(acts, HangupLeg{Leg: l.id, Reason: "normal"})
	}
	if c.inLine {
		c.inLine = false
		c.endLineWait(now)
		acts = append(acts, LeaveLine{}, StopMusic{})
	}
	reason := callcare.ReasonMissed
	if c.phase == phaseAfterHours || c.phase == phaseRecording {
		reason = callcare.ReasonAfterHours
	}
	c.rec.Outcome = callcare.OutcomeFallback
	if c.rec.RingsHeard == 0 {
		c.rec.RingsHeard = c.ringsHeard(now)
	}
	acts = append(acts, c.task(reason, "", now)...)
	acts = append(acts, Fallback{Exten: c.rec.Dialed})
	return c.finish(callcare.PartyService, now, acts...)
}

// stopSaying stops every playback the call has going to the caller.
func (c *Inbound) stopSaying() []Action {
	acts := append(c.stopOverflow(), c.stopHoldPrompt()...)
	for _, p := range []*string{&c.playing, &c.xfer.said} {
		if *p != "" {
			acts = append(acts, StopPlayback{Playback: *p})
			*p = ""
		}
	}
	return acts
}

// eventTime is when Asterisk says an event happened, or now when it does
// not say or says a time still to come.
func eventTime(at, now time.Time) time.Time {
	if at.IsZero() || at.After(now) {
		return now
	}
	return at
}

// orParty is by, or def when by is empty.
func orParty(by, def callcare.Party) callcare.Party {
	if by == "" {
		return def
	}
	return by
}

// Interrupted closes the record of a call a previous run left in progress
// and Asterisk no longer has: an answered call ends "interrupted"; one
// nobody answered is missed, with the callback task it is owed (P4c).
// Who hung up is not known (the service was away): it stays empty. It
// returns the record to save and, when one is owed, the task.
func Interrupted(rec callcare.CallRecord, rules CallbackRules, now time.Time) (callcare.CallRecord, *callcare.CallbackTask) {
	rec.EndedAt = now
	if !rec.AnsweredAt.IsZero() {
		rec.Outcome = callcare.OutcomeInterrupted
		return rec, nil
	}
	rec.Outcome = callcare.OutcomeMissed
	if rec.Target.Kind == "" {
		rec.Outcome = callcare.OutcomeUnrouted // nobody could have answered
		return rec, nil
	}
	t, ok := rules.TaskFor(rec, callcare.ReasonMissed, rec.Needs, now)
	if !ok {
		return rec, nil
	}
	return rec, &t
}
