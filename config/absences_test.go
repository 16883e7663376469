package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/config"
)

// withAbsences is base with an absences: section (and more) at its end.
func withAbsences(section string) string { return base + section }

func TestParse_Absences(t *testing.T) {
	c := mustParse(t, withAbsences(`absences:
  - clerk: anowak
    from: 2026-07-01
    to: 2026-07-14
    substitute: sek2
    reason: leave
  - clerk: sek1
    every: [friday]
    hours: "13:00-24:00"
    substitute: "200"
    reason: field_work
  - clerk: sek2
    from: "2026-03-28 22:00"
    to: "2026-03-29 06:00"
  - clerk: anowak
    outside_office_hours: true
    substitute: sek1
forwarding:
  set_code: "*31"
  clear_code: "*30"
  max_days: 10
secretariat: "100"
`))
	zone := c.TimeZone
	if len(c.Absences) != 4 {
		t.Fatalf("absences: %+v", c.Absences)
	}
	leave := c.Absences[0]
	want := callcare.Absence{Clerk: "anowak", To: callcare.Target{Kind: callcare.TargetClerk, ID: "sek2"}, Reason: callcare.AbsenceLeave,
		From: time.Date(2026, 7, 1, 0, 0, 0, 0, zone), Until: time.Date(2026, 7, 15, 0, 0, 0, 0, zone), // the last day is whole
		Source: callcare.SetInFile, Where: "absences[0], line 38"}
	if leave.Clerk != want.Clerk || leave.To != want.To || leave.Reason != want.Reason || !leave.From.Equal(want.From) ||
		!leave.Until.Equal(want.Until) || leave.Source != want.Source || leave.Where != want.Where {
		t.Errorf("leave = %+v\nwant    %+v", leave, want)
	}
	friday := c.Absences[1]
	if friday.Weekly == nil || friday.Weekly.String() != "fri 13:00-24:00" || friday.To.Kind != callcare.TargetDepartment {
		t.Errorf("every Friday = %+v %v", friday, friday.Weekly)
	}
	// A night across the change to summer time: 22:00 CET to 06:00 CEST,
	// seven hours.
	night := c.Absences[2]
	if got := night.Until.Sub(night.From); got != 7*time.Hour {
		t.Errorf("the night of the change to summer time lasts %s, want 7h", got)
	}
	if night.To != (callcare.Target{Kind: callcare.TargetClerk, ID: "sek1"}) && night.To.Kind != callcare.TargetDepartment {
		t.Errorf("default substitute: %+v", night.To)
	}
	if duty := c.Absences[3]; !duty.OutsideHours {
		t.Errorf("outside office hours: %+v", duty)
	}
	if c.Forwarding != (config.Forwarding{SetCode: "*31", ClearCode: "*30", MaxDays: 10}) || c.Secretariat != "100" {
		t.Errorf("forwarding %+v secretariat %q", c.Forwarding, c.Secretariat)
	}
}

// The clerk's substitute is the default; without one, the department.
func TestParse_AbsenceDefaultSubstitute(t *testing.T) {
	c := mustParse(t, edit(t, "    overflow: sek1\n", "    overflow: sek1\n    substitute: sek2\n")+`absences:
  - clerk: anowak
  - clerk: sek1
`)
	if got := c.Absences[0].To; got != (callcare.Target{Kind: callcare.TargetClerk, ID: "sek2"}) {
		t.Errorf("anowak's default substitute = %v, want clerks[].substitute sek2", got)
	}
	if got := c.Absences[1].To; got != (callcare.Target{Kind: callcare.TargetDepartment, ID: "100"}) {
		t.Errorf("sek1's default substitute = %v, want the department", got)
	}
	if c.Forwarding != (config.Forwarding{SetCode: "*21", ClearCode: "*20", MaxDays: 60}) || c.Secretariat != "100" {
		t.Errorf("defaults: forwarding %+v secretariat %q", c.Forwarding, c.Secretariat)
	}
}

// TestParse_AbsenceDefaultSubstitute_Membership: without a substitute,
// the department takes the calls when it rings somebody else; whether the
// absent clerk is among its members does not matter (a83f89d only warns of
// that).
func TestParse_AbsenceDefaultSubstitute_Membership(t *testing.T) {
	dep100 := callcare.Target{Kind: callcare.TargetDepartment, ID: "100"}
	for _, tc := range []struct {
		name    string
		members string          // department 100's, whose clerks sek1 and sek2 are
		want    callcare.Target // sek1's absence goes there, or
		refused string          // config check says so
	}{
		{"AMember", "members: [sek1, sek2]", dep100, ""},
		{"NotAMemberButAnotherIs", "members: [sek2]", dep100, ""},
		{"TheOnlyMember", "members: [sek1]", callcare.Target{}, "nobody else in department 100"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			y := edit(t, "members: [sek1, sek2]", tc.members) + "absences:\n  - clerk: sek1\n"
			c, err := config.Parse("callcare.yaml", []byte(y), noEnv)
			switch {
			case tc.refused != "":
				if err == nil || !strings.Contains(err.Error(), tc.refused) {
					t.Errorf("err = %v, want %q", err, tc.refused)
				}
			case err != nil:
				t.Errorf("refused: %v", err)
			case c.Absences[0].To != tc.want:
				t.Errorf("sek1's absence goes to %v, want %v", c.Absences[0].To, tc.want)
			}
		})
	}
}

func TestParse_AbsenceProblems(t *testing.T) {
	for _, tc := range []struct {
		name string
		yaml string
		path string
		msg  string
	}{
		{"UnknownClerk", "absences:\n  - clerk: nobody #!\n", "absences[0].clerk", `no clerk has the id "nobody"`},
		{"UnknownSubstitute", "absences:\n  - clerk: sek1\n    substitute: sek9 #!\n", "absences[0].substitute", "neither a clerk id nor a department"},
		{"OwnSubstitute", "absences:\n  - clerk: sek1\n    substitute: sek1 #!\n", "absences[0].substitute", "own substitute"},
		{"Reason", "absences:\n  - clerk: sek1\n    reason: holiday #!\n", "absences[0].reason", "sick_leave"},
		{"BadDate", "absences:\n  - clerk: sek1\n    from: 2026-02-30 #!\n", "absences[0].from", "not a date of the calendar"},
		{"BadMoment", "absences:\n  - clerk: sek1\n    to: next week #!\n", "absences[0].to", "want a date"},
		{"BadTime", "absences:\n  - clerk: sek1\n    from: \"2026-07-01 25:00\" #!\n", "absences[0].from", "00:00 to 23:59"},
		{"EndsBeforeBegins", "absences:\n  - clerk: sek1\n    from: 2026-07-10\n    to: 2026-07-01 #!\n", "absences[0].to", "ends before it begins"},
		{"SameDayIsFine...", "absences:\n  - clerk: sek1\n    from: \"2026-07-10 12:00\"\n    to: \"2026-07-10 12:00\" #!\n", "absences[0].to", "ends before"},
		{"Weekday", "absences:\n  - clerk: sek1\n    every: [piątek] #!\n", "absences[0].every[0]", "not a day of the week"},
		{"Hours", "absences:\n  - clerk: sek1\n    hours: afternoon #!\n", "absences[0].hours", "13:00-24:00"},
		{"WhenAList", "absences:\n  - clerk: sek1\n    from: [2026-07-01] #!\n", "absences[0].from", "must be a date"},
		{"SetCode", "forwarding:\n  set_code: \"21\" #!\n", "forwarding.set_code", "feature code"},
		{"CodesOverlap", "forwarding:\n  set_code: \"*2\"\n  clear_code: \"*20\" #!\n", "forwarding.clear_code", "begin the other"},
		{"CodeIsCallbacks", "forwarding:\n  set_code: \"*70\" #!\n", "forwarding.set_code", "clashes with callbacks.feature_code"},
		{"CallbacksIsDefaultCode", "callbacks:\n  feature_code: \"*21\" #!\n", "callbacks.feature_code", "the forwards' default set_code"},
		{"MaxDays", "forwarding:\n  max_days: 0 #!\n", "forwarding.max_days", "1 to 366"},
		{"Secretariat", "secretariat: \"900\" #!\n", "secretariat", `no department has the number "900"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := withAbsences(tc.yaml)
			_, err := config.Parse("callcare.yaml", []byte(data), nil)
			assertProblem(t, err, tc.path, marked(t, data), tc.msg)
		})
	}
	t.Run("NoSubstitute", func(t *testing.T) {
		// anowak is alone in 200, which has no overflow here.
		data := edit(t, "    overflow: \"100\"\n", "") + "absences:\n  - clerk: anowak #!\n"
		_, err := config.Parse("callcare.yaml", []byte(data), nil)
		assertProblem(t, err, "absences[0]", marked(t, data), "no substitute")
	})
}

// assertProblem checks that err lists a problem at path and line whose
// message holds msg.
func assertProblem(t *testing.T, err error, path string, line int, msg string) {
	t.Helper()
	ps, ok := err.(config.Problems)
	if !ok {
		t.Fatalf("err = %v (%T), want Problems", err, err)
	}
	for _, p := range ps {
		if p.Path == path && p.Line == line && strings.Contains(p.Message, msg) {
			return
		}
	}
	t.Errorf("no problem at %s line %d with %q in:\n%v", path, line, msg, ps)
}

// TestParse_AbsenceLoops: a loop the file makes is refused, naming both
// lines and a moment it happens; absences that cover each other at
// different times are fine.
func TestParse_AbsenceLoops(t *testing.T) {
	t.Run("P4c/LoopRefusedWithBothLines", func(t *testing.T) {
		data := withAbsences(`absences:
  - clerk: sek1 #!
    from: 2026-07-01
    to: 2026-07-14
    substitute: sek2
  - clerk: sek2
    from: 2026-07-10
    to: 2026-07-20
    substitute: sek1
`)
		_, err := config.Parse("callcare.yaml", []byte(data), nil)
		assertProblem(t, err, "absences[0]", marked(t, data), "sek1 -> sek2 -> sek1: the absences make a loop when they hold at once (with absences[1], line 42), e.g. at 2026-07-10 00:00")
		if n := len(err.(config.Problems)); n != 1 {
			t.Errorf("%d problems, want the loop once:\n%v", n, err)
		}
	})
	t.Run("P4c/LoopThroughADepartment", func(t *testing.T) {
		// sek1 away to 200, whose only member anowak is away too, so 200's
		// overflow 100 takes it; both of 100 are away, so its overflow
		// anowak; anowak is away to sek1.
		data := edit(t, "    members: [sek1, sek2]\n", "    members: [sek1, sek2]\n    overflow: anowak\n") + `absences:
  - clerk: anowak #!
    substitute: sek1
  - clerk: sek1
    substitute: "200"
  - clerk: sek2
    substitute: "200"
`
		_, err := config.Parse("callcare.yaml", []byte(data), nil)
		assertProblem(t, err, "absences[0]", marked(t, data), "a loop")
	})
	t.Run("P4c/MutualSubstitutesAtDifferentTimes", func(t *testing.T) {
		mustParse(t, withAbsences(`absences:
  - clerk: sek1
    from: 2026-07-01
    to: 2026-07-14
    substitute: sek2
  - clerk: sek2
    from: 2026-07-15
    to: 2026-07-31
    substitute: sek1
  - clerk: anowak
    every: [friday]
    substitute: sek1
  - clerk: sek1
    every: [monday]
    substitute: anowak
`))
	})
	t.Run("P4c/WeeklyRulesThatMeet", func(t *testing.T) {
		data := withAbsences(`absences:
  - clerk: anowak #!
    every: [friday]
    hours: "12:00-15:00"
    substitute: sek1
  - clerk: sek1
    every: [friday]
    hours: "14:00-16:00"
    substitute: anowak
`)
		_, err := config.Parse("callcare.yaml", []byte(data), nil)
		assertProblem(t, err, "absences[0]", marked(t, data), "14:00")
	})
}

// A file of many absences is still checked quickly: the loop check looks
// only at the rules that can loop.
func BenchmarkParse_ManyAbsences(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(base + "absences:\n")
	for i := range 500 {
		d := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
		who, sub := "sek1", "sek2"
		if i%2 == 1 {
			who, sub = "sek2", "sek1"
		}
		sb.WriteString("  - {clerk: " + who + ", substitute: " + sub + ", from: " + d.Format(time.DateOnly) + ", to: " + d.Format(time.DateOnly) + "}\n")
	}
	data := []byte(sb.String())
	for b.Loop() {
		if _, err := config.Parse("callcare.yaml", data, nil); err != nil {
			b.Fatal(err)
		}
	}
}
