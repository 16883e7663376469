package policy

import (
	"fmt"
	"strconv"
	"time"

	"github.com/callcare/callcare"
)

// A busy clerk (P4b): the clerk the caller asked for is on another call
// (the service knows its own calls; the phone says 486 Busy for others).
// By the department's policy the call overflows at once (the default), or
// the caller is answered and hears that the clerk is talking with another
// client, and may press 1 to wait in the department's line (inline.go), 2
// for a callback as soon as possible or 3 to pick one of the next free
// times. The choice is a callback task for that
// clerk (or department); a picked time is agreed (P4m: the existing
// agreed-time machinery rings the clerk then). A silent caller hears the
// choices once more, then is called back as soon as possible: silence
// never loses a caller. A caller who cannot be called back is offered the
// line alone, and silence puts them in it.

// slotsOffered is how many free times are read out: one key each.
const slotsOffered = 3

// busyOffered tells whether the caller is offered the busy clerk's choices:
// whoever the caller asked for was rung and every one of them was busy,
// and their department offers a choice. A department ringing its members
// one after another (in_order) is busy only once its last member was: a
// free colleague is rung first.
func (c *Inbound) busyOffered() bool {
	if len(c.steps) == 0 || c.phase != phaseRinging {
		return false
	}
	asked := c.steps[0].Via
	if c.steps[c.step].Via != asked || c.step > 0 && asked.Kind != callcare.TargetDepartment {
		return false
	}
	if c.step+1 < len(c.steps) && c.steps[c.step+1].Via == asked && asked.Kind == callcare.TargetDepartment {
		return false // the department's next member
	}
	for _, l := range c.legs {
		if l.step >= 0 && l.step <= c.step && c.rec.Attempts[l.attempt].Result != "busy" {
			return false
		}
	}
	return c.set.WhenBusy[c.firstDepartment()] == callcare.BusyOffer
}

// firstDepartment is the department of the call's first step: the one
// dialed, or the clerk's.
func (c *Inbound) firstDepartment() string {
	s := c.steps[0]
	if s.Via.Kind == callcare.TargetDepartment {
		return s.Via.ID
	}
	if len(s.Clerks) > 0 {
		return s.Clerks[0].Department
	}
	return ""
}

// busyFor is who a callback of a busy clerk's caller is for.
func (c *Inbound) busyFor() callcare.Target {
	if s := c.steps[0]; s.Via.Kind == callcare.TargetClerk || s.Via.Kind == callcare.TargetDepartment {
		return s.Via
	}
	return c.rec.Target
}

func (c *Inbound) offerBusy(now time.Time) []Action {
	if c.offeredAt.IsZero() {
		c.offeredAt = now // the caller hears no more rings from here
	}
	c.phase = phaseBusyMenu
	c.timeouts = 0
	c.deadline = now.Add(promptLimit)
	// A handed-over caller hears the ringing tone: it stops first.
	return append(c.stopOverflow(), Answer{}, c.sayMenu("busy", append([]string{"sound:" + c.set.Prompts.ClerkBusy}, c.busyChoices()...)...))
}

// busyChoices are the busy clerk's choices: the line, and the callbacks
// (2, 3) to a caller who can be called back. One who cannot waits in line.
func (c *Inbound) busyChoices() []string {
	if !c.callable() {
		return []string{"sound:" + c.set.Prompts.BusyWait}
	}
	return []string{"sound:" + c.set.Prompts.BusyWait, "sound:" + c.set.Prompts.BusyChoices}
}

// sayMenu plays a menu's prompts; the key timeout starts when they end.
func (c *Inbound) sayMenu(what string, media ...string) Action {
	c.menuN++
	c.playing = fmt.Sprintf("%s-%s%d", c.rec.ID, what, c.menuN)
	return Say{Playback: c.playing, Media: media}
}

// menuStep handles the events of the busy menu and the free times.
func (c *Inbound) menuStep(ev Event, now time.Time) []Action {
	switch ev := ev.(type) {
	case PlaybackDone:
		switch {
		case c.keys.reminded(ev.Playback):
			c.deadline = c.keys.next(now, c.proc.RingCycle)
		case ev.Playback == c.playing:
			c.playing = ""
			c.deadline = c.keys.begin(now, c.set.KeyTimeout, c.proc.RingCycle)
		}
	case KeyPressed:
		return append(c.keys.stop(), c.menuKey(ev.Digit, now)...)
	case TimerFired:
		if c.linkDown || c.deadline.IsZero() || now.Before(c.deadline) {
			return nil
		}
		if c.phase == phaseSlots && c.slots == nil {
			return c.busyCallback(time.Time{}, now) // the store never answered
		}
		if acts := c.remindKey(now); acts != nil {
			return acts
		}
		c.timeouts++
		if c.timeouts < 2 {
			return c.repeatMenu(now)
		}
		// A second silence: called back as soon as possible, or, with no
		// number to call back, in line for the next free clerk.
		if !c.callable() {
			return c.joinLine(now)
		}
		return c.busyCallback(time.Time{}, now)
	case AgreedListed:
		if c.phase == phaseSlots && c.slots == nil {
			return c.offerSlots(ev.Times, now)
		}
	case CallerGone:
		// P4c: a caller who hangs up unanswered is called back all the same.
		c.rec.Outcome = callcare.OutcomeAbandoned
		return c.finish(callcare.PartyCaller, now, c.task(callcare.ReasonAbandoned, "", now)...)
	case LinkLost:
		c.linkDown = true
	case LinkBack:
		c.linkDown = false
		return []Action{Resync{}}
	}
	return nil
}

func (c *Inbound) repeatMenu(now time.Time) []Action {
	c.deadline = now.Add(promptLimit)
	stop := []Action{}
	if c.playing != "" {
		stop = append(stop, StopPlayback{Playback: c.playing})
	}
	if c.phase == phaseSlots {
		return append(stop, c.saySlots(now))
	}
	return append(stop, c.sayMenu("busy", c.busyChoices()...))
}

func (c *Inbound) menuKey(d string, now time.Time) []Action {
	if c.phase == phaseSlots {
		if c.slots == nil {
			return nil // the free times are being looked up
		}
		i, err := strconv.Atoi(d)
		if err != nil || i < 1 || i > len(c.slots) {
			c.timeouts = 0
			return c.repeatMenu(now)
		}
		return c.busyCallback(c.slots[i-1], now)
	}
	var acts []Action
	if c.playing != "" {
		acts = append(acts, StopPlayback{Playback: c.playing})
		c.playing = ""
	}
	switch {
	case d == "1":
		return append(acts, c.joinLine(now)...)
	case d == "2" && c.callable():
		return append(acts, c.busyCallback(time.Time{}, now)...)
	case d == "3" && c.callable():
		c.phase = phaseSlots
		c.timeouts = 0
		// The free times are looked up in the store: milliseconds. Should
		// it not answer within a ring cycle, the caller is not kept in
		// silence: called back as soon as possible.
		c.deadline = now.Add(keySilence(c.set.KeyTimeout, c.proc.RingCycle))
		return append(acts, ListAgreed{Target: c.busyFor()})
	}
	c.timeouts = 0
	return append(acts, c.repeatMenu(now)...)
}

func (c *Inbound) offerSlots(taken []time.Time, now time.Time) []Action {
	c.slots = FreeSlots(c.set.Rules.Hours, now, c.set.Waiting.SlotLength, taken, slotsOffered)
	if len(c.slots) == 0 {
		return c.busyCallback(time.Time{}, now) // no time free: as soon as possible
	}
	c.deadline = now.Add(promptLimit)
	return []Action{c.saySlots(now)}
}

// saySlots reads the free times out: the key, then the time.
func (c *Inbound) saySlots(now time.Time) Action {
	media := []string{"sound:" + c.set.Prompts.Slots}
	for i, t := range c.slots {
		media = append(media, c.set.Say.Number(i+1)...)
		media = append(media, c.set.Say.Time(t.In(c.zone()), now)...)
	}
	return c.sayMenu("slots", media...)
}

// busyCallback records the caller's choice: a callback for the busy clerk
// or department, at the agreed time if one was picked; then thanks.
func (c *Inbound) busyCallback(agreed time.Time, now time.Time) []Action {
	var acts []Action
	if c.playing != "" {
		acts = append(acts, StopPlayback{Playback: c.playing})
		c.playing = ""
	}
	c.rec.Outcome = callcare.OutcomeCallback
	acts = append(acts, c.taskWith(callcare.ReasonRequested, now, func(t *callcare.CallbackTask) {
		t.Target, t.AgreedAt = c.busyFor(), agreed
	})...)
	if agreed.IsZero() {
		return append(acts, c.close(c.set.Prompts.CallbackThanks, now)...)
	}
	media := append([]string{"sound:" + c.set.Prompts.AgreedFor}, c.set.Say.Time(agreed.In(c.zone()), now)...)
	media = append(media, "sound:"+c.set.Prompts.CallbackThanks)
	return append(acts, c.closeSaying(media, now)...)
}

func (c *Inbound) zone() *time.Location {
	if l := c.set.Rules.Hours.Location; l != nil {
		return l
	}
	return time.UTC
}
