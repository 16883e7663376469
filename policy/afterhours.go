package policy

import (
	"time"

	"github.com/callcare/callcare"
)

// closedOffice: outside office hours the caller hears that the office is
// closed and when it opens, and may press 1 to be called back (P4c). Whoever
// hangs up instead is called back all the same.
func (c *Inbound) closedOffice(now time.Time) []Action {
	c.phase = phaseAfterHours
	c.rec.Outcome = callcare.OutcomeAfterHours
	c.playing = c.rec.ID + "-closed"
	media := []string{"sound:" + c.set.Prompts.OfficeClosed}
	media = append(media, c.set.Say.Time(c.set.Rules.Hours.NextOpening(now), now)...)
	media = append(media, "sound:"+c.set.Prompts.Press1Callback)
	return []Action{Answer{}, Say{Playback: c.playing, Media: media}}
}

func (c *Inbound) afterHoursKey(d string, now time.Time) []Action {
	c.deadline = time.Time{}
	stop := append([]Action{StopPlayback{Playback: c.playing}}, c.keys.stop()...)
	if d != "1" {
		c.timeouts = 0
		return append(stop, c.repeatAfterHours())
	}
	// P4i, P4j: a few words on what it is about help the clerk prepare.
	c.phase = phaseRecording
	c.playing = c.rec.ID + "-note-prompt"
	return append(stop, Say{Playback: c.playing, Media: []string{"sound:" + c.set.Prompts.RecordNote, "sound:beep"}})
}

func (c *Inbound) repeatAfterHours() Action {
	c.playing = c.rec.ID + "-closed-again"
	return Say{Playback: c.playing, Media: []string{"sound:" + c.set.Prompts.Press1Callback}}
}

// afterHoursSilence: one silence repeats the offer; after a second one the
// caller is still called back (a missed call), and told so.
func (c *Inbound) afterHoursSilence(now time.Time) []Action {
	c.deadline = time.Time{}
	c.timeouts++
	if c.timeouts < 2 {
		return []Action{c.repeatAfterHours()}
	}
	acts := c.task(c.unansweredReason(), "", now)
	return append(acts, c.close(c.set.Prompts.CallbackThanks, now)...)
}

func (c *Inbound) noteName() string { return "callcare-note-" + c.rec.ID }

// recordingNote names the note being recorded, if one is.
func (c *Inbound) recordingNote() string {
	if c.phase == phaseRecording {
		return c.noteName()
	}
	return ""
}

func (c *Inbound) noteRecorded(ev RecordingDone, now time.Time) []Action {
	note := ev.Name
	if ev.Seconds == 0 {
		note = "" // nothing said
	}
	acts := c.task(callcare.ReasonRequested, note, now)
	return append(acts, c.close(c.set.Prompts.CallbackThanks, now)...)
}

// clerkKey: the clerk flags the caller as having special needs (P5.3) by a
// key during the call; their callbacks then go first.
func (c *Inbound) clerkKey(ev LegKeyPressed, now time.Time) []Action {
	if c.answered == nil || ev.Leg != c.answered.id || ev.Digit != c.set.FlagKey || c.rec.Needs != callcare.NeedsNone {
		return nil
	}
	c.rec.Needs = callcare.NeedsClerk
	acts := []Action{Save{c.rec}}
	if n, ok := callcare.CallableNumber(c.rec.CallerID); ok {
		acts = append(acts, FlagNeeds{Number: n, Needs: callcare.NeedsClerk, Due: c.set.Rules.SpecialDue(now)})
	}
	return acts
}
