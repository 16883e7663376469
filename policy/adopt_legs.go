package policy

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/callcare/callcare"
)

// adoption is what Adopt gathers on its way: the legs that still ring
// or talk for the call, and the actions so far.
type adoption struct {
	c    *Inbound
	now  time.Time
	live []*leg
	acts []Action
}

// placeLegs takes the legs Asterisk has, numbered as the earlier run
// numbered them, so a new leg never takes a used id. A leg of a step of
// the chain is live; any other is hung up. Those of a transfer under way
// are its own steps' (the clerk rung back's, once it came back).
func (a *adoption) placeLegs(found []FoundLeg) {
	c, now := a.c, a.now
	first := 0
	if c.xfer.on {
		first = c.xferStart
		if c.xfer.back {
			first = len(c.steps) - 1
		}
	}
	for range c.rec.Attempts { // each rang a leg, which may be gone
		c.legs = append(c.legs, &leg{id: fmt.Sprintf("%s-old%d", c.rec.ID, len(c.legs)+1), step: -1, attempt: -1, state: legGone})
	}
	for _, fl := range found {
		l := &leg{id: fl.ID, step: -1, attempt: -1, state: legGone}
		// A leg not ringing a ring cycle after it was made never will (a
		// busy phone leaves its channel so): nobody to wait for.
		dead := fl.State == "" || fl.State == "Down" && now.Sub(fl.Created) > c.proc.RingCycle
		if step, ok := c.stepOf(fl.Clerk, first); ok && !dead {
			a.revive(l, fl, step)
		} else {
			// A dead leg, or one of no step of today's chain.
			a.acts = append(a.acts, HangupLeg{Leg: fl.ID, Reason: "normal"})
		}
		c.placeLeg(l, fl.ID)
	}
}

// revive makes a found leg one of step's again, with its attempt: the
// record may have it already (saved when the clerk answered, or as a
// transfer rang), else it is added.
func (a *adoption) revive(l *leg, fl FoundLeg, step int) {
	c := a.c
	l.step = step
	l.state = legDialing
	l.attempt = slices.IndexFunc(c.rec.Attempts, func(at callcare.Attempt) bool { return at.Clerk == fl.Clerk && at.EndedAt.IsZero() })
	if l.attempt < 0 {
		l.attempt = len(c.rec.Attempts)
		at := callcare.Attempt{Clerk: fl.Clerk, Via: c.steps[step].Via, DialedAt: fl.Created}
		if c.xfer.on && !c.xfer.back {
			at.TransferredBy = c.xfer.from.ID
		}
		c.rec.Attempts = append(c.rec.Attempts, at)
	}
	switch fl.State {
	case "Ringing":
		l.state = legRinging
		if c.rec.Attempts[l.attempt].RingingAt.IsZero() {
			c.rec.Attempts[l.attempt].RingingAt = fl.Created
		}
	case "Up":
		l.state = legAnswered
		if c.rec.Attempts[l.attempt].RingingAt.IsZero() {
			// Answered while nobody watched: its rings count to
			// now, as the caller's do, never fewer than it rang.
			c.rec.Attempts[l.attempt].RingingAt = fl.Created
		}
	}
	a.live = append(a.live, l)
}

// hangupOthers hangs up the live legs keep does not keep, ending their
// attempts as cancelled.
func (a *adoption) hangupOthers(keep func(*leg) bool) {
	for _, l := range a.live {
		if !keep(l) {
			a.acts = append(a.acts, HangupLeg{Leg: l.id, Reason: "normal"})
			if l.attempt >= 0 {
				a.c.endLeg(l, "cancelled", a.now)
			}
			l.state = legGone
		}
	}
}

// stepOf finds the step of the chain, from step first on, that rings
// clerk: each clerk rings at most once per call, but for a transfer.
func (c *Inbound) stepOf(clerk callcare.ClerkID, first int) (int, bool) {
	for i, s := range c.steps {
		if i < first {
			continue
		}
		for _, k := range s.Clerks {
			if k.ID == clerk {
				return i, true
			}
		}
	}
	return 0, false
}

// placeLeg puts a found leg at the index its id names ("<call>-<n>"),
// filling the numbers before it with legs long gone: new legs then get
// new numbers.
func (c *Inbound) placeLeg(l *leg, id string) {
	n, err := strconv.Atoi(id[strings.LastIndexByte(id, '-')+1:])
	if err != nil || n < 1 || n > 1000 {
		c.legs = append(c.legs, l)
		return
	}
	for len(c.legs) < n-1 {
		c.legs = append(c.legs, &leg{id: fmt.Sprintf("%s-old%d", c.rec.ID, len(c.legs)+1), step: -1, attempt: -1, state: legGone})
	}
	if len(c.legs) >= n {
		// The number is taken by a gone placeholder: replace it.
		if old := c.legs[n-1]; old.step == -1 && old.attempt == -1 && old.state == legGone {
			c.legs[n-1] = l
			return
		}
		c.legs = append(c.legs, l)
		return
	}
	c.legs = append(c.legs, l)
}
