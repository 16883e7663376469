package policy

import (
	"fmt"
	"time"

	"github.com/callcare/callcare"
)

// Waiting in line (P5.3, P4p): a busy clerk's caller who pressed 1 waits in
// the department's line with music. They hear their place at once, when
// it changes and every Waiting.AnnounceEvery, with the key that leaves the
// line for a callback (2) at any time; past Waiting.LineMaxWait the
// announcement offers the callback instead. A caller who cannot be called
// back hears their place and patience, and has no such key. The line's
// owner hands the call to a clerk who frees up (LineTurn): the clerk is
// rung while the caller keeps the music, and answered, the two are
// connected; not, the call waits again in its place. People with special
// needs are first.

// joinLine: the caller chose to wait.
func (c *Inbound) joinLine(now time.Time) []Action {
	c.phase = phaseLine
	c.inLine = true
	c.lineSince = now
	c.linePos = 0
	c.deadline = now.Add(c.set.Waiting.AnnounceEvery)
	dept := c.firstDepartment()
	c.rec.LineWaits = append(c.rec.LineWaits, callcare.LineWait{Department: dept, From: now})
	return []Action{c.lineMusic(),
		JoinLine{Department: dept, Target: c.busyFor(), Needs: c.rec.Needs != callcare.NeedsNone}}
}

// lineMusic (re)starts the line's department's music. Asterisk turns the
// music off to play an announcement and, to a caller in no bridge, does
// not turn it back on (trace line-moh): each announcement's end, or its
// being cut short, starts it again.
func (c *Inbound) lineMusic() Action {
	return StartMusic{Class: c.musicOrDefault(c.lineDepartment())}
}

// lineDepartment is the department whose line the call waits in.
func (c *Inbound) lineDepartment() string {
	return c.rec.LineWaits[len(c.rec.LineWaits)-1].Department
}

// lineStep handles the events of a call waiting in line.
func (c *Inbound) lineStep(ev Event, now time.Time) []Action {
	switch ev := ev.(type) {
	case LinePosition:
		if ev.Position == c.linePos {
			return nil
		}
		c.linePos = ev.Position
		return c.announceLine(now)
	case LineTurn:
		return c.lineTurn(ev.Clerk, now)
	case PlaybackDone:
		if ev.Playback == c.playing {
			c.playing = ""
			return []Action{c.lineMusic()}
		}
	case TimerFired:
		if c.linkDown || c.deadline.IsZero() || now.Before(c.deadline) {
			return nil
		}
		return c.announceLine(now)
	case KeyPressed:
		if ev.Digit == "2" && c.callable() {
			return c.leaveLine(now)
		}
		return c.announceLine(now) // another key: the choice again
	case CallerGone:
		// P4c: a caller who gives up waiting is called back all the same.
		c.rec.Outcome = callcare.OutcomeAbandoned
		acts := []Action{LeaveLine{}}
		acts = append(acts, c.task(callcare.ReasonAbandoned, "", now)...)
		return c.finish(callcare.PartyCaller, now, acts...)
	case LinkLost:
		c.linkDown = true
	case LinkBack:
		c.linkDown = false
		// An announcement's end lost with the link would leave the music
		// off until the next one; Asterisk holds this behind one playing.
		return []Action{Resync{}, c.lineMusic()}
	}
	return nil
}

// announceLine says the caller's place and the key that leaves the line;
// past the line's longest wait, it offers the callback.
func (c *Inbound) announceLine(now time.Time) []Action {
	c.deadline = now.Add(c.set.Waiting.AnnounceEvery)
	var acts []Action
	if c.playing != "" {
		acts = append(acts, StopPlayback{Playback: c.playing})
	}
	var media []string
	switch max := c.set.Waiting.LineMaxWait; {
	case !c.callable():
		// No callback to offer: the place, and patience.
		if c.linePos > 0 {
			media = append([]string{"sound:" + c.set.Prompts.LinePosition}, c.set.Say.Number(c.linePos)...)
		}
		media = append(media, "sound:"+c.set.Prompts.LinePatience)
	case max > 0 && now.Sub(c.lineSince) >= max:
		media = []string{"sound:" + c.set.Prompts.LineOffer}
	default:
		if c.linePos > 0 {
			media = append([]string{"sound:" + c.set.Prompts.LinePosition}, c.set.Say.Number(c.linePos)...)
		}
		media = append(media, "sound:"+c.set.Prompts.LineLeave)
	}
	c.menuN++
	c.playing = fmt.Sprintf("%s-line%d", c.rec.ID, c.menuN)
	return append(acts, Say{Playback: c.playing, Media: media})
}

// leaveLine: the caller pressed 2: called back instead of waiting.
func (c *Inbound) leaveLine(now time.Time) []Action {
	acts := []Action{LeaveLine{}, StopMusic{}}
	if c.playing != "" {
		acts = append(acts, StopPlayback{Playback: c.playing})
		c.playing = ""
	}
	c.inLine = false
	c.endLineWait(now)
	c.rec.Outcome = callcare.OutcomeCallback
	acts = append(acts, c.taskWith(callcare.ReasonRequested, now, func(t *callcare.CallbackTask) { t.Target = c.busyFor() })...)
	return append(acts, c.close(c.set.Prompts.CallbackThanks, now)...)
}

// lineTurn rings the clerk the line's owner offers the call to; the caller
// keeps the music.
func (c *Inbound) lineTurn(clerk callcare.Clerk, now time.Time) []Action {
	var acts []Action
	if c.playing != "" {
		acts = append(acts, StopPlayback{Playback: c.playing}, c.lineMusic())
		c.playing = ""
	}
	c.phase = phaseRinging
	c.steps = append(c.steps, callcare.Step{Clerks: []callcare.Clerk{clerk}, Via: c.busyFor()})
	c.step = len(c.steps) - 1
	return append(acts, c.dialStep(now)...)
}

// lineTurnOver: the clerk of the turn did not take the call: it waits
// again, in its place.
func (c *Inbound) lineTurnOver(now time.Time) []Action {
	c.phase = phaseLine
	return append([]Action{LineTurnOver{Clerk: c.turnClerk(), Answered: false}}, c.announceLine(now)...)
}

// endLineWait ends the record's wait in line under way, if any.
func (c *Inbound) endLineWait(now time.Time) {
	if n := len(c.rec.LineWaits); n > 0 && c.rec.LineWaits[n-1].To.IsZero() {
		c.rec.LineWaits[n-1].To = now
	}
}

// turnClerk is the clerk the line's turn rang.
func (c *Inbound) turnClerk() callcare.ClerkID {
	if s := c.steps[c.step]; len(s.Clerks) > 0 {
		return s.Clerks[0].ID
	}
	return ""
}
