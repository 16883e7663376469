package metrics

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

// Step is one step of a call or a clerk's session as the ARI shell tells
// its observer (ari.Step, field for field: convert one with Step(st)).
type Step struct {
	Call      string
	At        time.Time
	Event     policy.Event
	Actions   []policy.Action
	Record    callcare.CallRecord
	Clerk     callcare.ClerkID
	Wait      policy.Wait
	WaitBound time.Duration
}

// call is what the metrics keep of a call under way: what of its record
// they have counted, and how its caller waits (waits.go).
type call struct {
	target     callcare.Target // whom the call was for, when last looked at
	department string          // the department it was for
	answered   bool
	overflows  int // steps of the chain moved on to, counted
	holds      int // holds ended, counted
	lineWaits  int // waits in line ended, counted
	waiting
}

// Observe takes one step of a call or session. It must be quick: it runs
// on the call's own goroutine.
func (m *Metrics) Observe(st Step) {
	if st.Record.ID == "" {
		m.session(st)
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.live[st.Call]
	r := st.Record
	if c == nil {
		// What the record held at its first step here happened before
		// this run (a call adopted after a crash): counted by the run
		// that saw it.
		c = &call{target: r.Target, department: m.departmentOf(r.Target), answered: !r.AnsweredAt.IsZero(), overflows: overflowsOf(r),
			holds:     ended(r.Holds, func(h callcare.Hold) time.Time { return h.To }),
			lineWaits: ended(r.LineWaits, func(w callcare.LineWait) time.Time { return w.To })}
		m.live[st.Call] = c
	}
	if !c.answered && r.Target != c.target {
		// A call handed on before anyone answered (the voice menu to a
		// matter's department) counts for where it goes now, as the
		// report counts it.
		c.target, c.department = r.Target, m.departmentOf(r.Target)
	}
	if !c.answered && !r.AnsweredAt.IsZero() {
		c.answered = true
		m.rings.WithLabelValues(c.department).Observe(float64(r.RingsHeard))
	}
	if n := overflowsOf(r); n > c.overflows {
		m.overflows.WithLabelValues(c.department).Add(float64(n - c.overflows))
		c.overflows = n
	}
	for ; c.holds < len(r.Holds) && !r.Holds[c.holds].To.IsZero(); c.holds++ {
		h := r.Holds[c.holds]
		dept := m.clerkDepartment(h.Clerk)
		if dept == "" {
			dept = c.department
		}
		m.hold.WithLabelValues(dept).Observe(h.To.Sub(h.From).Seconds())
	}
	for ; c.lineWaits < len(r.LineWaits) && !r.LineWaits[c.lineWaits].To.IsZero(); c.lineWaits++ {
		w := r.LineWaits[c.lineWaits]
		m.line.WithLabelValues(w.Department).Observe(w.To.Sub(w.From).Seconds())
	}
	m.judgeWait(c, st)
	if finished(st.Actions) {
		m.calls.WithLabelValues(string(r.Outcome)).Inc()
		if r.Outcome == callcare.OutcomeMissed || r.Outcome == callcare.OutcomeAbandoned {
			m.missed.WithLabelValues(c.department).Inc()
		}
		for _, x := range r.Transfers {
			m.transfers.WithLabelValues(strconv.FormatBool(x.CameBack)).Inc()
		}
		delete(m.live, st.Call)
	}
}

// session takes a step of a clerk's session: an agreed-time callback
// nobody took is marked overdue (P4m).
func (m *Metrics) session(st Step) {
	for _, a := range st.Actions {
		if _, ok := a.(policy.MarkOverdue); ok {
			m.agreedOverdue.Inc()
		}
	}
}

func finished(acts []policy.Action) bool {
	for _, a := range acts {
		if _, ok := a.(policy.Finish); ok {
			return true
		}
	}
	return false
}

// ended counts the periods at the start of ps that have ended.
func ended[P any](ps []P, to func(P) time.Time) int {
	n := 0
	for n < len(ps) && !to(ps[n]).IsZero() {
		n++
	}
	return n
}

// overflowsOf counts the steps of the overflow chain a call moved on to:
// the moments clerks were rung for it, but the first, the turns of a
// waiting line (a clerk freed up for the caller) and all that followed a
// transfer (the transfers' own figures). It only grows as the call goes on.
func overflowsOf(r callcare.CallRecord) int {
	var cut time.Time
	if len(r.Transfers) > 0 {
		cut = r.Transfers[0].At
	}
	// The clerks of one step are dialed at one moment, one after another
	// in the record: a new moment is a new step.
	moments := 0
	var last time.Time
	for _, a := range r.Attempts {
		if a.DialedAt.IsZero() || a.TransferredBy != "" || !cut.IsZero() && !a.DialedAt.Before(cut) || inLine(r, a.DialedAt) {
			continue
		}
		if moments == 0 || !a.DialedAt.Equal(last) {
			moments++
			last = a.DialedAt
		}
	}
	return max(moments-1, 0)
}

// inLine tells whether the caller waited in a line at t.
func inLine(r callcare.CallRecord, t time.Time) bool {
	for _, w := range r.LineWaits {
		if !t.Before(w.From) && (w.To.IsZero() || t.Before(w.To)) {
			return true
		}
	}
	return false
}

// departmentOf is the department a call for t is for: the department
// itself, or the clerk's; "" for nobody's.
func (m *Metrics) departmentOf(t callcare.Target) string {
	switch t.Kind {
	case callcare.TargetDepartment:
		return t.ID
	case callcare.TargetClerk:
		return m.clerkDepartment(callcare.ClerkID(t.ID))
	}
	return ""
}

func (m *Metrics) clerkDepartment(id callcare.ClerkID) string {
	if d := m.o.Directory(); d != nil {
		if c, ok := d.Clerk(id); ok {
			return c.Department
		}
	}
	return ""
}

// callsCollector gives the figures kept of the calls under way: how many,
// and the waits without an announcement, looked at once more as they are
// scraped (a caller left in silence may have no step to show it).
type callsCollector struct{ m *Metrics }

var (
	inProgressDesc  = prometheus.NewDesc("callcare_calls_in_progress", "Citizens' calls under way.", nil, nil)
	unannouncedDesc = prometheus.NewDesc("callcare_waits_unannounced_total",
		"Waits that passed the policy's bound with the caller hearing nothing, offered nothing and reaching nobody (P4p), by what the caller waited through: ringing, hold, line, transfer, menu. Must stay 0.",
		[]string{"wait"}, nil)
)

func (c callsCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- inProgressDesc
	ch <- unannouncedDesc
}

func (c callsCollector) Collect(ch chan<- prometheus.Metric) {
	m := c.m
	now := m.o.Clock.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, call := range m.live {
		m.sweep(call, now)
	}
	ch <- prometheus.MustNewConstMetric(inProgressDesc, prometheus.GaugeValue, float64(len(m.live)))
	for _, w := range []policy.Wait{policy.WaitRinging, policy.WaitHold, policy.WaitLine, policy.WaitTransfer, policy.WaitMenu} {
		ch <- prometheus.MustNewConstMetric(unannouncedDesc, prometheus.CounterValue, m.unannounced[string(w)], string(w))
	}
}
