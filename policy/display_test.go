package policy_test

import (
	"testing"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

func TestDisplayName(t *testing.T) {
	joanna := callcare.Clerk{ID: "jkowalska", Name: "Joanna", Surname: "Kowalska"}
	lukasz := callcare.Clerk{ID: "lzielinski", Name: "Łukasz", Surname: "Żółtowski-Wiśniewski"}
	for _, tc := range []struct {
		rule, name string
		lang       string
		why        policy.Why
		from       callcare.Clerk
		needs      bool
		max        int
		want       string
	}{
		{"P4d", "a direct call shows what came with it", "pl", policy.WhyDirect, callcare.Clerk{}, false, 20, ""},
		{"P4d", "a direct call of a person with special needs says so", "pl", policy.WhyDirect, callcare.Clerk{}, true, 20, "SP"},
		{"P4d", "overflow from whom", "pl", policy.WhyOverflow, joanna, false, 0, "Przekier. od J. Kowalska"},
		{"P4d", "transfer from whom, in English", "en", policy.WhyTransfer, joanna, false, 0, "Transfer from J. Kowalska"},
		{"P4d", "a callback at an agreed time", "pl", policy.WhyCallback, callcare.Clerk{}, false, 20, "Oddzwonienie"},
		{"P4d", "special needs first, then why", "pl", policy.WhyTransfer, joanna, true, 0, "SP Przek. od J. Kowalska"},
		{"P4d", "cut to what the phone displays, by letters not bytes", "pl", policy.WhyTransfer, lukasz, false, 20, "Przek. od Ł. Żółtows"},
		{"P4d", "the transfer came back", "pl", policy.WhyBack, callcare.Clerk{}, false, 20, "Powrót przek."},
		{"P4d", "a clerk without a name in the directory: the id", "en", policy.WhyOverflow, callcare.Clerk{ID: "anowak"}, false, 0, "Overflow from anowak"},
	} {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			if got := policy.DisplayName(tc.lang, tc.why, tc.from, tc.needs, tc.max); got != tc.want {
				t.Errorf("%q, want %q", got, tc.want)
			}
		})
	}
}
