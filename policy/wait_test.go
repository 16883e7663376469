package policy_test

import (
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

// table is one call of a rule's table: the events in, the actions wanted.
// Every step is also checked against P4p: while the caller waits, the
// policy's deadline is never further away than the wait's bound.
type table struct {
	rule, name string
	set        policy.InboundSettings // zero: inboundSet
	arrival    policy.Arrival         // zero: a call for Anna
	start      string                 // brief of the first actions; "" not checked
	steps      []step
	check      func(t *testing.T, r callcare.CallRecord, acts []policy.Action)
}

func (tc table) run(t *testing.T) {
	t.Helper()
	t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
		set := tc.set
		if set.Procedure.RingCycle == 0 {
			set = inboundSet
		}
		a := tc.arrival
		if a.CallID == "" {
			a = arrival([]callcare.Clerk{anna})
		}
		call, acts := policy.Start(a, set, t0)
		all := append([]policy.Action(nil), acts...)
		if got := brief(acts); tc.start != "" && got != tc.start {
			t.Fatalf("start: actions %q, want %q", got, tc.start)
		}
		checkBound(t, call, t0, "start")
		all = append(all, stepThrough(t, call, tc.steps, brief, func(i int, s step) { checkBound(t, call, at(s.at), i) })...)
		if tc.check != nil {
			tc.check(t, call.Record(), all)
		}
	})
}

// checkBound is P4p's invariant: a caller who waits has a deadline no
// further away than the wait's bound.
func checkBound(t *testing.T, call *policy.Inbound, now time.Time, step any) {
	t.Helper()
	w, bound := call.Waiting()
	if w == policy.WaitNone || call.Done() {
		return
	}
	d := call.Deadline()
	switch {
	case d.IsZero():
		t.Fatalf("step %v: the caller waits (%s) with no deadline: nothing would ever be said", step, w)
	case d.Sub(now) > bound:
		t.Fatalf("step %v: the caller waits (%s) %s until the next thing, longer than its bound %s", step, w, d.Sub(now), bound)
	}
}
