package policy_test

import (
	"testing"
	"time"

	"github.com/callcare/callcare/policy"
)

// machine is any of the policy's machines.
type machine interface {
	Step(policy.Event, time.Time) []policy.Action
	Deadline() time.Time
	Done() bool
}

// runSteps feeds steps to m, checking each answer (as mbrief says it) and
// deadline; it returns every action.
func runSteps(t *testing.T, m machine, steps []step) []policy.Action {
	t.Helper()
	return stepThrough(t, m, steps, mbrief, nil)
}

// stepThrough feeds steps to m, checking each answer as say puts it and
// each deadline, then calls each (nil: nothing more) after the step; it
// returns every action.
func stepThrough(t *testing.T, m machine, steps []step, say func([]policy.Action) string, each func(i int, s step)) []policy.Action {
	t.Helper()
	var all []policy.Action
	for i, s := range steps {
		acts := m.Step(s.ev, at(s.at))
		all = append(all, acts...)
		if got := say(acts); got != s.want {
			t.Fatalf("step %d (%T at %s): actions %q, want %q", i, s.ev, s.at, got, s.want)
		}
		switch {
		case s.deadline < 0 && !m.Deadline().IsZero():
			t.Fatalf("step %d: deadline %s, want none", i, m.Deadline().Sub(t0))
		case s.deadline > 0 && !m.Deadline().Equal(at(s.deadline)):
			t.Fatalf("step %d: deadline %s, want %s", i, m.Deadline().Sub(t0), s.deadline)
		}
		if each != nil {
			each(i, s)
		}
	}
	return all
}
