package policy

import (
	"time"

	"github.com/callcare/callcare"
)

// Keys the clerk presses while talking with a citizen called back, as
// during any call: the flag key marks the citizen as having special needs
// (P5.3), and the transfer prefix, a number, then # or a pause transfer
// them (P4o: the DTMF fallback of a phone without a transfer key). Any
// other key belongs to the conversation.

// talkKey takes a key of the clerk's during the conversation.
func (d *desk) talkKey(k string) []Action {
	in := d.set.Inbound
	if in.TransferPrefix != "" {
		taken, complete := d.keyed.add(k, in.TransferPrefix, d.now, d.set.KeyTimeout)
		if complete {
			return d.keyedTransfer()
		}
		if taken {
			d.talkDeadline()
			return nil
		}
	}
	if k != in.FlagKey || in.FlagKey == "" || d.task.Needs != callcare.NeedsNone {
		return nil
	}
	d.task.Needs, d.task.Priority = callcare.NeedsClerk, callcare.PrioritySpecialNeeds
	n, ok := callcare.CallableNumber(d.task.Number)
	if !ok {
		return nil
	}
	return []Action{FlagNeeds{Number: n, Needs: callcare.NeedsClerk, Due: d.set.Rules.SpecialDue(d.now)}}
}

// keyedTransfer: the number is complete; the shell says what it reaches
// (Transferred), and the desk hands the citizen over (desk_transfer.go).
func (d *desk) keyedTransfer() []Action {
	number := d.keyed.number(d.set.Inbound.TransferPrefix)
	d.talkDeadline()
	if number == "" {
		return nil
	}
	return []Action{ResolveTransfer{Leg: d.own, To: number}}
}

// talkDeadline: while talking, the hold's next announcement and the pause
// that ends a keyed number both wait; the earlier wakes the desk.
func (d *desk) talkDeadline() {
	var next time.Time
	if d.hold.on {
		next = d.hold.next
	}
	d.deadline = sooner(next, d.keyed.done)
}
