package report

import (
	"time"

	"github.com/callcare/callcare"
)

// How the caller waited: the call record keeps each hold, each wait in a
// department's waiting line and each transfer (callcare.Hold, LineWait,
// Transfer); the report reads them through these three, as periods and
// transfers. A record written before they were kept says none; a day
// archived before then has no hold.calls, line.calls or transfers.calls,
// and a period of such days only shows "no data yet".

// holdsOf gives each time a clerk put the caller on hold (P4h, P4p),
// Clerk the one who held; To zero when the call ended on hold.
func holdsOf(r callcare.CallRecord) []Period {
	ps := make([]Period, 0, len(r.Holds))
	for _, h := range r.Holds {
		ps = append(ps, Period{Clerk: h.Clerk, From: h.From, To: h.To})
	}
	return ps
}

// lineWaitsOf gives each of the caller's waits in a department's waiting
// line (P4p, P5.3), Department the line's.
func lineWaitsOf(r callcare.CallRecord) []Period {
	ps := make([]Period, 0, len(r.LineWaits))
	for _, w := range r.LineWaits {
		ps = append(ps, Period{Department: w.Department, From: w.From, To: w.To})
	}
	return ps
}

// transfersOf gives each transfer a clerk made (P4o).
func transfersOf(r callcare.CallRecord) []Transfer {
	ts := make([]Transfer, 0, len(r.Transfers))
	for _, t := range r.Transfers {
		ts = append(ts, Transfer{From: t.By, CameBack: t.CameBack})
	}
	return ts
}

// Period is a stretch of a call: on hold, or in a waiting line.
type Period struct {
	Clerk      callcare.ClerkID // who held the caller
	Department string           // whose line the caller waited in
	From, To   time.Time        // To zero: the call ended during it
}

// length is how long the period lasted; one the call ended during lasted
// until the call ended.
func (p Period) length(end time.Time) time.Duration {
	to := p.To
	if to.IsZero() {
		to = end
	}
	if to.IsZero() || !to.After(p.From) {
		return 0
	}
	return to.Sub(p.From)
}

// Transfer is one transfer by a clerk (P4o).
type Transfer struct {
	From     callcare.ClerkID // the clerk who transferred
	CameBack bool             // nobody of the target took it: the clerk was rung again
}
