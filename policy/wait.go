package policy

import "time"

// Wait names what a caller waits through, for P4p: whoever waits hears
// why at once and then at intervals, and no wait lasts longer than its
// bound without the caller hearing something, being offered a choice, or
// reaching a person. The P4p tables check every state against it.
type Wait string

const (
	WaitNone     Wait = ""         // talking, or the call is not waiting for anything
	WaitRinging  Wait = "ringing"  // clerks are rung; the caller hears ringing (P4a)
	WaitHold     Wait = "hold"     // the clerk holds the call (P4h)
	WaitLine     Wait = "line"     // in a department's waiting line (P5.3)
	WaitTransfer Wait = "transfer" // a clerk transfers the call (P4o)
	WaitMenu     Wait = "menu"     // a choice is offered; a key is awaited (P5.1)
)

// Waiting tells what the caller waits through now, and the longest the
// policy lets pass before the caller hears something again or the wait
// ends: its Deadline is never further away.
func (c *Inbound) Waiting() (Wait, time.Duration) {
	switch c.phase {
	case phaseRinging:
		if c.xfer.on {
			return WaitTransfer, c.set.Waiting.AnnounceEvery
		}
		return WaitRinging, 2 * c.proc.RingLimit()
	case phaseWhisper:
		return WaitTransfer, promptLimit // the target hears who and why
	case phaseConnected:
		if c.hold.on {
			return WaitHold, c.set.Waiting.AnnounceEvery
		}
	case phaseLine:
		return WaitLine, c.set.Waiting.AnnounceEvery
	case phaseBusyMenu, phaseSlots:
		if c.playing != "" || c.keys.reminding != "" {
			return WaitNone, 0 // the choices, or the reminder, are being said
		}
		return WaitMenu, keySilence(c.set.KeyTimeout, c.proc.RingCycle)
	case phaseAfterHours:
		if c.playing != "" || c.keys.reminding != "" {
			return WaitNone, 0 // the offer, or the reminder, is being said
		}
		return WaitMenu, keySilence(c.set.KeyTimeout, c.proc.RingCycle)
	}
	return WaitNone, 0
}

// keySilence is the longest silence after a menu: a ring cycle (P4p), or
// the key timeout if that is shorter; the key timeout itself is longer
// (P5.1), broken by reminders (keywait.go).
func keySilence(timeout, cycle time.Duration) time.Duration {
	if cycle > 0 && cycle < timeout {
		return cycle
	}
	return timeout
}
