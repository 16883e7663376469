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
		{"P4m", "an agreed callback another takes: whose", "pl", policy.WhyCallback, joanna, false, 20, "Oddzw. za J. Kowalsk"},
		{"P4m", "an agreed callback another takes, in English", "en", policy.WhyCallback, joanna, false, 0, "Callback for J. Kowalska"},
	} {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			if got := policy.DisplayName(tc.lang, tc.why, tc.from, tc.needs, tc.max); got != tc.want {
				t.Errorf("%q, want %q", got, tc.want)
			}
		})
	}
}

func TestAwayName(t *testing.T) {
	anna := callcare.Clerk{ID: "anowak", Name: "Anna", Surname: "Nowak"}
	for _, tc := range []struct {
		rule, name string
		lang       string
		reason     callcare.AbsenceReason
		needs      bool
		max        int
		want       string
	}{
		{"P4d", "a substitute is told whose call it takes, and why", "pl", callcare.AbsenceLeave, false, 20, "Za A. Nowak, urlop"},
		{"P4d", "sick leave, short", "pl", callcare.AbsenceSickLeave, false, 20, "Za A. Nowak, L4"},
		{"P4d", "no reason given: whose call only", "pl", "", false, 20, "Za A. Nowak"},
		{"P4d", "in English", "en", callcare.AbsenceFieldWork, false, 20, "For A. Nowak, field"},
		{"P4d", "special needs first; the cut takes the reason before the name", "pl", callcare.AbsenceTraining, true, 20, "SP Za A. Nowak, szko"},
	} {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			if got := policy.AwayName(tc.lang, anna, tc.reason, tc.needs, tc.max); got != tc.want {
				t.Errorf("%q, want %q", got, tc.want)
			}
		})
	}
}

func TestDepartmentName(t *testing.T) {
	for _, tc := range []struct {
		rule, name string
		lang, dept string
		needs      bool
		max        int
		want       string
	}{
		{"P4d", "a department's number: its name, so the clerk answers as its", "pl", "Wydział Komunikacji", false, 20, "Wydział Komunikacji"},
		{"P4d", "special needs first, cut to the display", "pl", "Wydział Komunikacji", true, 20, "SP Wydział Komunikac"},
		{"P4d", "in English", "en", "Registry Office", true, 0, "SN Registry Office"},
	} {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			if got := policy.DepartmentName(tc.lang, tc.dept, tc.needs, tc.max); got != tc.want {
				t.Errorf("%q, want %q", got, tc.want)
			}
		})
	}
}
