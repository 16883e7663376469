package policy_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

// townHall is the directory of callcare.example.yaml: the secretariat (100)
// takes what nobody else does.
var townHall = &callcare.Directory{
	Clerks: []callcare.Clerk{
		{ID: "jkowalska", Department: "100", Extension: "101", Endpoint: "PJSIP/101", Overflow: "100", Substitute: "mzielinski"},
		{ID: "mzielinski", Department: "100", Extension: "102", Endpoint: "PJSIP/102", Overflow: "100", Substitute: "jkowalska"},
		{ID: "anowak", Department: "200", Extension: "111", Endpoint: "PJSIP/111", Overflow: "pwisniewska", Substitute: "pwisniewska"},
		{ID: "pwisniewska", Department: "200", Extension: "112", Endpoint: "PJSIP/112", Overflow: "100"},
		{ID: "kwojcik", Department: "300", Extension: "121", Endpoint: "PJSIP/121", Overflow: "ekaminska", Substitute: "ekaminska"},
		{ID: "ekaminska", Department: "300", Extension: "122", Endpoint: "PJSIP/122", Overflow: "300"},
	},
	Departments: []callcare.Department{
		{Number: "100", Members: []callcare.ClerkID{"jkowalska", "mzielinski"}, Ring: callcare.RingTogether, Head: "jkowalska"},
		{Number: "200", Members: []callcare.ClerkID{"anowak", "pwisniewska"}, Ring: callcare.RingTogether, Overflow: "100", Head: "anowak"},
		{Number: "300", Members: []callcare.ClerkID{"kwojcik", "ekaminska"}, Ring: callcare.RingInOrder, Overflow: "100", Head: "kwojcik"},
	},
}

// loopingHall is townHall with department 200 overflowing to jkowalska.
func loopingHall() *callcare.Directory {
	d := *townHall
	d.Departments = slices.Clone(d.Departments)
	d.Departments[1].Overflow = "jkowalska"
	return &d
}

// memberOverflowHall is townHall with department 200 overflowing to its
// own member pwisniewska.
func memberOverflowHall() *callcare.Directory {
	d := *townHall
	d.Departments = slices.Clone(d.Departments)
	d.Departments[1].Overflow = "pwisniewska"
	return &d
}

var warsaw = callcare.DefaultOfficeHours().Location

// officeWeek is a town hall's week in Warsaw: Monday to Friday 07:30-15:30.
var officeWeek = callcare.DefaultOfficeHours()

// wed is a Wednesday at 10:00 in Warsaw, the office open.
var wed = time.Date(2026, 11, 25, 10, 0, 0, 0, warsaw)

func clerkT(id string) callcare.Target { return callcare.Target{Kind: callcare.TargetClerk, ID: id} }
func deptT(n string) callcare.Target   { return callcare.Target{Kind: callcare.TargetDepartment, ID: n} }

// away is an absence of the file, in force all the time unless changed.
func away(clerk string, to callcare.Target, reason callcare.AbsenceReason) callcare.Absence {
	return callcare.Absence{Clerk: callcare.ClerkID(clerk), To: to, Reason: reason, Source: callcare.SetInFile}
}

// byPhone is a forward set from the desk phone.
func byPhone(clerk string, to callcare.Target) callcare.Absence {
	return callcare.Absence{Clerk: callcare.ClerkID(clerk), To: to, Source: callcare.SetByPhone, SetBy: clerk, SetAt: wed.Add(-time.Hour)}
}

// steps writes a route's steps: "a | b+c" (b and c rung together).
func steps(ss []callcare.Step) string {
	var out []string
	for _, s := range ss {
		var ids []string
		for _, c := range s.Clerks {
			ids = append(ids, string(c.ID))
		}
		out = append(out, strings.Join(ids, "+"))
	}
	return strings.Join(out, " | ")
}

func fwdString(f callcare.Forwarding) string {
	if !f.Forwarded() {
		return ""
	}
	s := fmt.Sprintf("%s->%s by %s", f.For.ID, f.To.ID, f.By)
	if f.Reason != "" {
		s += " (" + string(f.Reason) + ")"
	}
	if f.Loop {
		s += " loop"
	}
	return s
}

// TestRoute is where a call goes while clerks are away (P4c): straight to
// who covers them, for the same rings, then on with the absent clerk's
// overflow; nobody rung twice, nobody who is away rung at all.
func TestRoute(t *testing.T) {
	fridayAfternoon := &callcare.Weekly{From: 13 * 60, To: 24 * 60}
	fridayAfternoon.Days[time.Friday] = true
	tests := []struct {
		rule, name string
		dir        *callcare.Directory // townHall unless set
		rules      []callcare.Absence
		forwards   []callcare.Absence
		target     callcare.Target
		at         time.Time
		want       string // the steps
		forwarded  string // fwdString of the route
		onDuty     bool
		warnings   int
	}{
		{rule: "P4c", name: "a clerk who is in rings as the chain has it",
			target: clerkT("anowak"), want: "anowak | pwisniewska | jkowalska+mzielinski"},
		{rule: "P4c", name: "an absent clerk's call rings the substitute at once, then the clerk's own overflow",
			rules:  []callcare.Absence{away("anowak", clerkT("mzielinski"), callcare.AbsenceLeave)},
			target: clerkT("anowak"), want: "mzielinski | pwisniewska | jkowalska",
			forwarded: "anowak->mzielinski by yaml (leave)"},
		{rule: "P4c", name: "A away to B, B away to C: C rings, and nobody twice",
			rules: []callcare.Absence{away("anowak", clerkT("pwisniewska"), callcare.AbsenceTraining),
				away("pwisniewska", clerkT("jkowalska"), callcare.AbsenceSickLeave)},
			target: clerkT("anowak"), want: "jkowalska | mzielinski",
			forwarded: "anowak->jkowalska by yaml (training)"},
		{rule: "P4c", name: "a forward set by phone wins over the file",
			rules:    []callcare.Absence{away("anowak", clerkT("mzielinski"), callcare.AbsenceLeave)},
			forwards: []callcare.Absence{byPhone("anowak", clerkT("ekaminska"))},
			target:   clerkT("anowak"), want: "ekaminska | pwisniewska | jkowalska+mzielinski",
			forwarded: "anowak->ekaminska by phone"},
		{rule: "P4c", name: "forwards that loop at call time go to the department, with a warning",
			forwards: []callcare.Absence{byPhone("anowak", clerkT("pwisniewska")), byPhone("pwisniewska", clerkT("anowak"))},
			target:   clerkT("anowak"), want: "jkowalska+mzielinski",
			forwarded: "anowak->200 by phone loop", warnings: 1},
		{rule: "P4c", name: "a department whose members are all away passes the call to its overflow",
			forwards: []callcare.Absence{byPhone("kwojcik", deptT("200")), byPhone("anowak", clerkT("kwojcik")),
				byPhone("pwisniewska", deptT("300"))},
			target: clerkT("kwojcik"), want: "jkowalska+mzielinski | ekaminska",
			forwarded: "kwojcik->100 by phone"},
		{rule: "P4c", name: "a loop through a department: its overflow leads back",
			dir: loopingHall(),
			forwards: []callcare.Absence{byPhone("kwojcik", deptT("200")), byPhone("anowak", deptT("100")), byPhone("pwisniewska", deptT("100")),
				byPhone("jkowalska", clerkT("kwojcik"))},
			target: clerkT("kwojcik"), want: "ekaminska | mzielinski",
			forwarded: "kwojcik->300 by phone loop", warnings: 1},
		{rule: "P4c", name: "forwards that loop, the department rung already: the chain goes on with the clerk's overflow",
			dir:      memberOverflowHall(),
			forwards: []callcare.Absence{byPhone("pwisniewska", clerkT("ekaminska")), byPhone("ekaminska", clerkT("pwisniewska"))},
			target:   deptT("200"), want: "anowak | jkowalska+mzielinski", warnings: 1},
		{rule: "P4c", name: "a substitute department rings its members who are in, in its order",
			rules:  []callcare.Absence{away("anowak", deptT("300"), callcare.AbsenceFieldWork)},
			target: clerkT("anowak"), want: "kwojcik | ekaminska | pwisniewska | jkowalska+mzielinski",
			forwarded: "anowak->300 by yaml (field_work)"},
		{rule: "P4c", name: "a department rings only its members who are in",
			rules:  []callcare.Absence{away("jkowalska", clerkT("mzielinski"), callcare.AbsenceLeave)},
			target: deptT("100"), want: "mzielinski"},
		{rule: "P4c", name: "a department whose members are all away rings its overflow",
			rules:  []callcare.Absence{away("anowak", clerkT("pwisniewska"), ""), away("pwisniewska", deptT("100"), "")},
			target: deptT("200"), want: "jkowalska+mzielinski"},
		{rule: "P4c", name: "an absent clerk in an overflow chain is covered there too",
			rules:  []callcare.Absence{away("pwisniewska", clerkT("ekaminska"), callcare.AbsenceLeave)},
			target: clerkT("anowak"), want: "anowak | ekaminska | jkowalska+mzielinski"},
		{rule: "P4c", name: "every Friday from 13:00: at 12:59 the clerk rings",
			rules:  []callcare.Absence{{Clerk: "kwojcik", To: clerkT("ekaminska"), Weekly: fridayAfternoon, Source: callcare.SetInFile}},
			target: clerkT("kwojcik"), at: time.Date(2026, 11, 27, 12, 59, 0, 0, warsaw), want: "kwojcik | ekaminska | jkowalska+mzielinski"},
		{rule: "P4c", name: "every Friday from 13:00: at 13:00 the substitute rings",
			rules:  []callcare.Absence{{Clerk: "kwojcik", To: clerkT("ekaminska"), Weekly: fridayAfternoon, Source: callcare.SetInFile}},
			target: clerkT("kwojcik"), at: time.Date(2026, 11, 27, 13, 0, 0, 0, warsaw), want: "ekaminska | jkowalska+mzielinski",
			forwarded: "kwojcik->ekaminska by yaml"},
		{rule: "P4c", name: "outside office hours the duty substitute answers: the call is on duty",
			rules:  []callcare.Absence{{Clerk: "jkowalska", To: clerkT("anowak"), OutsideHours: true, Source: callcare.SetInFile}},
			target: clerkT("jkowalska"), at: time.Date(2026, 11, 25, 20, 0, 0, 0, warsaw), want: "anowak | mzielinski",
			forwarded: "jkowalska->anowak by yaml", onDuty: true},
		{rule: "P4c", name: "outside-office-hours rule: in office hours the clerk rings",
			rules:  []callcare.Absence{{Clerk: "jkowalska", To: clerkT("anowak"), OutsideHours: true, Source: callcare.SetInFile}},
			target: clerkT("jkowalska"), want: "jkowalska | mzielinski"},
		{rule: "P4c", name: "an absence that ended is no longer followed",
			rules:  []callcare.Absence{{Clerk: "anowak", To: clerkT("mzielinski"), Until: wed, Source: callcare.SetInFile}},
			target: clerkT("anowak"), want: "anowak | pwisniewska | jkowalska+mzielinski"},
		{rule: "P4c", name: "an absence that has not begun is not followed yet",
			rules:  []callcare.Absence{{Clerk: "anowak", To: clerkT("mzielinski"), From: wed.Add(time.Minute), Source: callcare.SetInFile}},
			target: clerkT("anowak"), want: "anowak | pwisniewska | jkowalska+mzielinski"},
		{rule: "P4c", name: "a chain of absences longer than the limit goes to the department",
			forwards: []callcare.Absence{byPhone("anowak", clerkT("pwisniewska")), byPhone("pwisniewska", clerkT("kwojcik")),
				byPhone("kwojcik", clerkT("ekaminska")), byPhone("ekaminska", clerkT("jkowalska")), byPhone("jkowalska", clerkT("mzielinski")),
				byPhone("mzielinski", deptT("300"))},
			target: clerkT("anowak"), want: "", // everyone is away: missed, and called back
			forwarded: "anowak->200 by phone loop", warnings: 1},
		{rule: "P4c", name: "a forward to somebody the directory no longer has goes to the department",
			forwards: []callcare.Absence{byPhone("anowak", clerkT("left-the-office"))},
			target:   clerkT("anowak"), want: "pwisniewska | jkowalska+mzielinski",
			forwarded: "anowak->200 by phone loop", warnings: 1},
	}
	for _, tc := range tests {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			at := tc.at
			if at.IsZero() {
				at = wed
			}
			book := &callcare.Absences{Rules: tc.rules, Forwards: tc.forwards, Hours: officeWeek}
			dir := tc.dir
			if dir == nil {
				dir = townHall
			}
			r, err := policy.RouteCall(dir, book, tc.target, at)
			if err != nil {
				t.Fatal(err)
			}
			if got := steps(r.Steps); got != tc.want {
				t.Errorf("steps %q, want %q", got, tc.want)
			}
			if got := fwdString(r.Forwarded); got != tc.forwarded {
				t.Errorf("forwarded %q, want %q", got, tc.forwarded)
			}
			if r.OnDuty != tc.onDuty || len(r.Warnings) != tc.warnings {
				t.Errorf("on duty %v, warnings %q; want %v, %d", r.OnDuty, r.Warnings, tc.onDuty, tc.warnings)
			}
			rung := map[callcare.ClerkID]bool{}
			for _, s := range r.Steps {
				if len(s.Clerks) == 0 {
					t.Errorf("an empty step: %+v", s)
				}
				for _, c := range s.Clerks {
					if _, out := book.Away(c.ID, at); out {
						t.Errorf("%s is away and rung", c.ID)
					}
					if rung[c.ID] {
						t.Errorf("%s rung twice", c.ID)
					}
					rung[c.ID] = true
				}
			}
			if tc.forwarded != "" && !r.Forwarded.Loop && r.Steps[0].Forward != r.Forwarded {
				t.Errorf("the first step's forward %+v, want the route's %+v: the substitute's phone is told why", r.Steps[0].Forward, r.Forwarded)
			}
			if tc.forwarded != "" && !r.Forwarded.Loop && string(r.Steps[0].Absent.ID) != r.Forwarded.For.ID {
				t.Errorf("the first step is for %q, want %q: the substitute's phone shows whose call it takes", r.Steps[0].Absent.ID, r.Forwarded.For.ID)
			}
		})
	}
}

// TestRoute_SameRingsAndOverflow: the substitute is rung for the same
// rings as the absent clerk would have been (P4a holds for them too), and
// the call overflows on as the clerk's would.
func TestRoute_SameRingsAndOverflow(t *testing.T) {
	book := &callcare.Absences{Rules: []callcare.Absence{away("anowak", clerkT("mzielinski"), callcare.AbsenceLeave)}, Hours: officeWeek}
	r, err := policy.RouteCall(townHall, book, clerkT("anowak"), wed)
	if err != nil {
		t.Fatal(err)
	}
	a := policy.Arrival{CallID: "c", CallerID: "48600100200", Dialed: "111", Target: clerkT("anowak"), Found: true,
		Steps: r.Steps, Forwarded: r.Forwarded}
	call, acts := policy.Start(a, inboundSet, t0)
	dial := acts[len(acts)-1].(policy.DialClerk)
	if dial.Clerk.ID != "mzielinski" || dial.Forward.Reason != callcare.AbsenceLeave || dial.Forward.For != clerkT("anowak") {
		t.Fatalf("first dial %+v, want mzielinski told it is anowak's call, on leave (P4d)", dial)
	}
	if rec := call.Record(); rec.Forwarded != r.Forwarded || rec.Target != clerkT("anowak") {
		t.Errorf("the call log keeps %+v for %v, want %+v for anowak", rec.Forwarded, rec.Target, r.Forwarded)
	}
	call.Step(policy.LegRinging{Leg: "c-1"}, t0)
	if got := call.Deadline().Sub(t0); got != proc.RingLimit() {
		t.Errorf("the substitute rings for %s, want the procedure's %s", got, proc.RingLimit())
	}
	next := call.Step(policy.TimerFired{}, t0.Add(proc.RingLimit()))
	if d, ok := next[len(next)-1].(policy.DialClerk); !ok || d.Clerk.ID != "pwisniewska" || d.Forward.Forwarded() {
		t.Errorf("after the substitute: %s, want anowak's overflow pwisniewska, as a plain overflow", brief(next))
	}
}

// TestRoute_OnDutyRingsAfterHours: an outside-office-hours absence makes a
// call ring while the office is closed; any other absence does not.
func TestRoute_OnDutyRingsAfterHours(t *testing.T) {
	set := inboundSet
	set.Rules.Hours = officeWeek
	evening := time.Date(2026, 11, 25, 20, 0, 0, 0, warsaw)
	for _, tc := range []struct {
		outside bool
		want    string
	}{{true, "save ring dial:c-1"}, {false, "save answer"}} {
		rule := callcare.Absence{Clerk: "jkowalska", To: clerkT("anowak"), OutsideHours: tc.outside, Source: callcare.SetInFile}
		book := &callcare.Absences{Rules: []callcare.Absence{rule}, Hours: officeWeek}
		r, _ := policy.RouteCall(townHall, book, clerkT("jkowalska"), evening)
		a := policy.Arrival{CallID: "c", CallerID: "48600100200", Dialed: "101", Target: clerkT("jkowalska"), Found: true,
			Steps: r.Steps, Forwarded: r.Forwarded, OnDuty: r.OnDuty}
		_, acts := policy.Start(a, set, evening)
		if got := brief(acts); !strings.HasPrefix(got, tc.want) {
			t.Errorf("outside hours %v: %s, want %s...", tc.outside, got, tc.want)
		}
	}
}

// TestAgreedSteps: an agreed callback of an absent clerk rings who covers
// them first; nobody who is away is rung (P4c, P4m).
func TestAgreedSteps(t *testing.T) {
	task := callcare.CallbackTask{ID: 1, Target: clerkT("anowak")}
	names := func(ss [][]callcare.Clerk) string {
		var out []string
		for _, s := range ss {
			var ids []string
			for _, c := range s {
				ids = append(ids, string(c.ID))
			}
			out = append(out, strings.Join(ids, "+"))
		}
		return strings.Join(out, " | ")
	}
	for _, tc := range []struct {
		rule, name string
		rules      []callcare.Absence
		toHead     bool
		want       string
	}{
		{"P4c", "a clerk who is in: the clerk, the substitute, the department", nil, false, "anowak | pwisniewska"},
		{"P4c", "the head when escalation goes there", nil, true, "anowak | pwisniewska"},
		{"P4c", "an absent clerk's callback rings who covers them first",
			[]callcare.Absence{away("anowak", clerkT("mzielinski"), callcare.AbsenceLeave)}, false, "mzielinski | pwisniewska"},
		{"P4c", "covered by a department: its members who are in",
			[]callcare.Absence{away("anowak", deptT("100"), ""), away("jkowalska", clerkT("mzielinski"), "")}, false, "mzielinski | pwisniewska"},
		{"P4c", "the substitute away too: the department's members who are in",
			[]callcare.Absence{away("anowak", clerkT("pwisniewska"), ""), away("pwisniewska", clerkT("jkowalska"), "")}, true, "jkowalska"},
	} {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			book := &callcare.Absences{Rules: tc.rules, Hours: officeWeek}
			if got := names(policy.AgreedSteps(townHall, book, task, tc.toHead, wed)); got != tc.want {
				t.Errorf("steps %q, want %q", got, tc.want)
			}
		})
	}
}

// TestCovering: the substitute's callback queue holds the absent clerks'
// callbacks (P4c).
func TestCovering(t *testing.T) {
	book := &callcare.Absences{Rules: []callcare.Absence{
		away("anowak", clerkT("mzielinski"), callcare.AbsenceLeave),
		away("kwojcik", deptT("100"), callcare.AbsenceTraining),
		away("ekaminska", clerkT("anowak"), ""), // anowak is away: mzielinski covers her too
	}, Hours: officeWeek}
	mz, _ := townHall.Clerk("mzielinski")
	if got, want := policy.Covering(townHall, book, mz, wed), []callcare.ClerkID{"anowak", "kwojcik", "ekaminska"}; !slices.Equal(got, want) {
		t.Errorf("mzielinski covers %v, want %v", got, want)
	}
	pw, _ := townHall.Clerk("pwisniewska")
	if got := policy.Covering(townHall, book, pw, wed); len(got) != 0 {
		t.Errorf("pwisniewska covers %v, want nobody", got)
	}
}

// TestRoute_EveryoneAway: when everyone who could take a call is away, the
// caller is told nobody can answer now, and is called back (P4c, P4p):
// never "this number is not in use".
func TestRoute_EveryoneAway(t *testing.T) {
	a := policy.Arrival{CallID: "c", CallerID: "48600100200", Dialed: "200", Found: true, Target: deptT("200")}
	_, acts := policy.Start(a, inboundSet, t0)
	if got := brief(acts); got != "save task:missed/48600100200/p0 play:vm-nobodyavail" {
		t.Errorf("everyone away: %s", got)
	}
}
