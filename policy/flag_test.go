package policy_test

import (
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

// TestFlagNeeds_DueSooner: a clerk flags a caller during the call (P5.3):
// the caller's open tasks go first and are due within the special needs
// promise from now at the latest.
func TestFlagNeeds_DueSooner(t *testing.T) {
	call, _ := policy.Start(arrival([]callcare.Clerk{anna}), inboundSet, t0)
	call.Step(policy.LegRinging{Leg: "c-1"}, t0)
	call.Step(policy.LegAnswered{Leg: "c-1"}, t0.Add(2*time.Second))
	now := t0.Add(9 * time.Second)
	var flag *policy.FlagNeeds
	for _, a := range call.Step(policy.LegKeyPressed{Leg: "c-1", Digit: "*"}, now) {
		if f, ok := a.(policy.FlagNeeds); ok {
			flag = &f
		}
	}
	want := now.Add(time.Hour) // the tables' office is open all day; their special needs promise is 1 h
	if flag == nil || flag.Needs != callcare.NeedsClerk || !flag.Due.Equal(want) {
		t.Errorf("flag %+v; want the clerk's, due by %s", flag, want)
	}
}
