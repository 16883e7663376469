package policy_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

// TestLineOrder: people with special needs first (P5.3), then by arrival;
// a clerk takes only calls for them or their department; a call is
// offered to one clerk at a time.
func TestLineOrder(t *testing.T) {
	dept := callcare.Target{Kind: callcare.TargetDepartment, ID: "100"}
	forAnna := callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"}
	type join struct {
		call   string
		target callcare.Target
		needs  bool
	}
	type op struct {
		offer    callcare.Clerk // offer to this clerk...
		want     string         // ...expecting this call ("" for none)
		decline  string         // or: this call was not taken
		leave    string         // or: this call left
		join     *join          // or: a call joins
		wantLine []string       // the order after the step, if given
	}
	for _, tc := range []struct {
		rule, name string
		joins      []join
		ops        []op
	}{
		{
			rule: "P5.3", name: "special needs first, then arrival",
			joins: []join{{"a", dept, false}, {"b", dept, true}, {"c", dept, false}, {"d", dept, true}},
			ops:   []op{{wantLine: []string{"b", "d", "a", "c"}}, {offer: anna, want: "b"}, {offer: piotr, want: ""}},
		},
		{
			rule: "P5.3", name: "a later caller with special needs overtakes everyone waiting",
			joins: []join{{"a", dept, false}, {"b", dept, false}},
			ops:   []op{{join: &join{"c", dept, true}, wantLine: []string{"c", "a", "b"}}, {offer: anna, want: "c"}},
		},
		{
			rule: "P5.3", name: "a caller flagged while waiting (the menu's 9) goes before those without, after those with",
			joins: []join{{"a", dept, true}, {"b", dept, false}, {"c", dept, false}},
			ops: []op{{join: &join{"c", dept, true}, wantLine: []string{"a", "c", "b"}},
				{join: &join{"c", dept, false}, wantLine: []string{"a", "c", "b"}}, {offer: anna, want: "a"}},
		},
		{
			rule: "P5.3", name: "two clerks freeing up at once never take the same caller",
			joins: []join{{"a", dept, false}, {"b", dept, false}},
			ops: []op{{offer: anna, want: "a"}, {offer: anna2, want: "b"}, {offer: anna3, want: ""},
				{decline: "a"}, {offer: anna3, want: "a"}},
		},
		{
			rule: "P5.3", name: "a call for a clerk waits for that clerk; the department's calls for anyone",
			joins: []join{{"a", forAnna, false}, {"b", dept, false}},
			ops:   []op{{offer: anna2, want: "b"}, {offer: anna2, want: ""}, {offer: anna, want: "a"}},
		},
		{
			rule: "P5.3", name: "a clerk being offered a call is offered no second one",
			joins: []join{{"a", dept, false}, {"b", dept, false}},
			ops:   []op{{offer: anna, want: "a"}, {offer: anna, want: ""}, {leave: "a", wantLine: []string{"b"}}, {offer: anna, want: "b"}},
		},
		{
			rule: "P5.3", name: "a declined call keeps its place",
			joins: []join{{"a", dept, false}, {"b", dept, false}},
			ops:   []op{{offer: anna, want: "a"}, {decline: "a", wantLine: []string{"a", "b"}}, {offer: anna, want: "a"}},
		},
	} {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			var l policy.Line
			for _, j := range tc.joins {
				l.Join(j.call, j.target, j.needs)
			}
			for i, o := range tc.ops {
				switch {
				case o.join != nil:
					l.Join(o.join.call, o.join.target, o.join.needs)
				case o.decline != "":
					l.Declined(o.decline)
				case o.leave != "":
					l.Leave(o.leave)
				case o.offer.ID != "":
					got, ok := l.Offer(o.offer)
					if got != o.want || ok != (o.want != "") {
						t.Fatalf("op %d: %s was offered %q (%v), want %q", i, o.offer.ID, got, ok, o.want)
					}
				}
				if o.wantLine != nil {
					pos := l.Positions()
					order := slices.SortedFunc(maps.Keys(pos), func(a, b string) int { return pos[a] - pos[b] })
					if !slices.Equal(order, o.wantLine) {
						t.Fatalf("op %d: line %v, want %v", i, order, o.wantLine)
					}
				}
			}
		})
	}
}

// Three clerks of department 100.
var (
	anna2 = callcare.Clerk{ID: "mzielinski", Department: "100"}
	anna3 = callcare.Clerk{ID: "jkowalska", Department: "100"}
)
