package callcare_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare"
)

func TestDirectoryChain(t *testing.T) {
	dir := &callcare.Directory{
		Clerks: []callcare.Clerk{
			{ID: "a", Overflow: "b"},
			{ID: "b", Overflow: "20"},
			{ID: "c"}, {ID: "d"},
			{ID: "x", Overflow: "y"}, {ID: "y", Overflow: "x"},
			{ID: "lost", Overflow: "nobody"},
		},
		Departments: []callcare.Department{
			{Number: "20", Members: []callcare.ClerkID{"b", "c", "d"}, Ring: callcare.RingTogether, Overflow: "30"},
			{Number: "30", Members: []callcare.ClerkID{"c", "a", "d"}, Ring: callcare.RingInOrder},
		},
	}
	steps := func(ss []callcare.Step) string {
		var out []string
		for _, s := range ss {
			var ids []string
			for _, c := range s.Clerks {
				ids = append(ids, string(c.ID))
			}
			out = append(out, strings.Join(ids, "+"))
		}
		return strings.Join(out, " > ")
	}
	for _, tc := range []struct {
		name, from string
		kind       callcare.TargetKind
		want, err  string
	}{
		{name: "a clerk, her overflow, then a department rung together, each clerk once", from: "a", kind: callcare.TargetClerk, want: "a > b > c+d"},
		{name: "a department in order: members only, not their own overflows", from: "30", kind: callcare.TargetDepartment, want: "c > a > d"},
		{name: "a loop is refused", from: "x", kind: callcare.TargetClerk, want: "x > y", err: "loops: x -> y -> x"},
		{name: "an overflow to nobody is refused", from: "lost", kind: callcare.TargetClerk, want: "lost", err: `"nobody"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := dir.Chain(callcare.Target{Kind: tc.kind, ID: tc.from})
			if steps(got) != tc.want {
				t.Errorf("chain %q, want %q", steps(got), tc.want)
			}
			if (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
				t.Errorf("error %v, want %q", err, tc.err)
			}
		})
	}
}

func TestRingsHeard(t *testing.T) {
	p := callcare.DefaultProcedure
	var got []int
	for _, d := range []time.Duration{0, time.Millisecond, 5 * time.Second, 5*time.Second + 1, 7 * time.Second, 15 * time.Second} {
		got = append(got, p.RingsHeard(d))
	}
	if want := []int{0, 1, 1, 2, 2, 3}; !slices.Equal(got, want) {
		t.Errorf("rings %v, want %v", got, want)
	}
	if p.RingLimit() != 15*time.Second {
		t.Errorf("ring limit %s, want 15s: three Polish rings", p.RingLimit())
	}
}
