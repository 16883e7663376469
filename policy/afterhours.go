package policy

import (
	"time"

	"github.com/callcare/callcare"
)

// closedOffice: outside office hours the caller hears that the office is
// closed and when it opens, and may press 1 to be called back (P4c). Whoever
// hangs up instead is called back all the same. A caller who cannot be
// called back is told to call again instead, and records no note: a note
// no task refers to would never be deleted.
func (c *Inbound) closedOffice(now time.Time) []Action {
	c.rec.Outcome = callcare.OutcomeAfterHours
	media := []string{"sound:" + c.set.Prompts.OfficeClosed}
	media = append(media, c.set.Say.Time(c.set.Rules.Hours.NextOpening(now), now)...)
	if !c.callable() {
		media = append(media, "sound:"+c.set.Prompts.CallAgain)
		return append([]Action{Answer{}}, c.closeSaying(media, now)...)
	}
	c.phase = phaseAfterHours
	media = append(media, "sound:"+c.set.Prompts.Press1Callback)
	return []Action{Answer{}, c.sayAfterHours(c.rec.ID+"-closed", now, media...)}
}

// sayAfterHours plays a prompt of the after-hours offer or the note. Its
// end starts the wait for a key, or the recording (afterHoursSaid); should
// that end never be heard of (an event lost with the link), promptLimit
// carries the call on all the same: a caller is never left in silence.
func (c *Inbound) sayAfterHours(playback string, now time.Time, media ...string) Action {
	c.playing = playback
	c.deadline = now.Add(promptLimit)
	return Say{Playback: playback, Media: media}
}

// afterHoursSaid: the prompt playing has ended, or is taken as ended.
func (c *Inbound) afterHoursSaid(now time.Time) []Action {
	c.playing = ""
	if c.phase == phaseRecording {
		// Asterisk ends the recording at NoteMax; should its end never be
		// heard of, the note is taken as it is.
		c.deadline = now.Add(c.set.NoteMax + 5*time.Second)
		return []Action{Record{Name: c.noteName(), MaxFor: c.set.NoteMax}}
	}
	c.deadline = c.keys.begin(now, c.set.KeyTimeout, c.proc.RingCycle)
	return nil
}

func (c *Inbound) afterHoursKey(d string, now time.Time) []Action {
	stop := c.keys.stop()
	if c.playing != "" {
		stop = append([]Action{StopPlayback{Playback: c.playing}}, stop...)
	}
	if d != "1" {
		c.timeouts = 0
		return append(stop, c.repeatAfterHours(now))
	}
	// P4i, P4j: a few words on what it is about help the clerk prepare.
	c.phase = phaseRecording
	return append(stop, c.sayAfterHours(c.rec.ID+"-note-prompt", now, "sound:"+c.set.Prompts.RecordNote, "sound:beep"))
}

func (c *Inbound) repeatAfterHours(now time.Time) Action {
	return c.sayAfterHours(c.rec.ID+"-closed-again", now, "sound:"+c.set.Prompts.Press1Callback)
}

// afterHoursSilence: one silence repeats the offer; after a second one the
// caller is still called back (a missed call), and told so.
func (c *Inbound) afterHoursSilence(now time.Time) []Action {
	c.timeouts++
	if c.timeouts < 2 {
		return []Action{c.repeatAfterHours(now)}
	}
	acts := c.task(c.unansweredReason(), "", now)
	return append(acts, c.close(c.set.Prompts.CallbackThanks, now)...)
}

func (c *Inbound) noteName() string { return "callcare-note-" + c.rec.ID }

// recordingNote names the note being recorded, if one is: not while its
// prompt plays, before Asterisk was asked to record anything.
func (c *Inbound) recordingNote() string {
	if c.phase == phaseRecording && c.playing == "" {
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
