package report

import (
	"time"

	"github.com/callcare/callcare"
)

// What the call record does not hold yet. Issue 14 (waiting) adds to
// callcare.CallRecord the times a clerk put the caller on hold, the
// caller's waits in a department's waiting line, and the transfers. Each
// is read by one function here; while it is nil, no call can say, the
// figure counts no call (HoldCalls, LineCalls, TransferCalls stay 0), and
// the report shows "no data yet". When the fields land, each function is
// a few lines, for example:
//
//	holdsOf = func(r callcare.CallRecord) []Period {
//		ps := make([]Period, 0, len(r.Holds))
//		for _, h := range r.Holds {
//			ps = append(ps, Period{Clerk: h.Clerk, From: h.From, To: h.To})
//		}
//		return ps
//	}
var (
	// holdsOf gives each time a clerk put the caller on hold (P4h, P4p),
	// Clerk the one who held; To zero when the call ended on hold.
	holdsOf func(callcare.CallRecord) []Period
	// lineWaitsOf gives each of the caller's waits in a department's
	// waiting line (P4p, P5.3), Department the line's.
	lineWaitsOf func(callcare.CallRecord) []Period
	// transfersOf gives each transfer a clerk made (P4o).
	transfersOf func(callcare.CallRecord) []Transfer
)

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
	CameBack bool             // nobody took it, and the call came back (to the clerk or the caller's line)
}
