package policy

import (
	"slices"
	"time"

	"github.com/callcare/callcare"
)

// adoptTransfer: the record has a transfer. Its target's chain goes after
// the call's own, as the dead run had it, so that its legs, ringing or
// talking, belong to a step. One under way (nobody took it yet) goes on:
// the caller waits with the music Asterisk still plays, and, nobody
// answering, the transferring clerk is rung back, then the target owes a
// callback (P4o, transfer.go).
func (c *Inbound) adoptTransfer(ft FoundTransfer, now time.Time) {
	t := c.rec.Transfers[len(c.rec.Transfers)-1]
	c.xferStart = len(c.steps)
	c.steps = slices.Concat(c.steps, ft.Steps)
	if !transferUnderWay(c.rec) {
		return
	}
	by := ft.By
	if by.ID == "" {
		by = callcare.Clerk{ID: t.By}
	}
	// The ids of its announcements and whispers go on past any the dead
	// run could have used (a few per transfer, one per interval), so
	// none is refused as taken.
	n := 3*len(c.rec.Transfers) + int(now.Sub(c.rec.StartedAt)/max(c.set.Waiting.AnnounceEvery, time.Second))
	c.xfer = transferState{on: true, from: by, to: t.To, back: t.CameBack, n: n, next: now.Add(c.set.Waiting.AnnounceEvery)}
	if t.CameBack {
		c.steps = append(c.steps, backStep(by))
	}
	c.rec.Outcome = callcare.OutcomeAnswered
}

// transferUnderWay tells whether the record's last transfer still waits
// for somebody to take it: nobody answered since it was made.
func transferUnderWay(rec callcare.CallRecord) bool {
	n := len(rec.Transfers)
	if n == 0 {
		return false
	}
	t := rec.Transfers[n-1]
	if t.To == (callcare.Target{}) && !t.CameBack {
		return false // made by the phone outside the service: nothing to ring
	}
	return !slices.ContainsFunc(rec.Attempts, func(a callcare.Attempt) bool {
		return a.Result == "answered" && !a.DialedAt.Before(t.At)
	})
}

// transferTaken: a leg of the transfer was answered while nobody watched.
// Whether its clerk heard the whisper is not known, and the caller has
// waited the longest: connected at once. The desk phone showed who
// transfers and the caller's number as it rang (P4d).
func (c *Inbound) transferTaken(l *leg, now time.Time) []Action {
	return append(c.takeTransferLeg(l, now), c.whispered(now)...)
}
