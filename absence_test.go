package callcare_test

import (
	"testing"
	"time"

	"github.com/callcare/callcare"
)

var officeHours = callcare.DefaultOfficeHours()
var warsaw = officeHours.Location

func local(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, warsaw)
}

func weekly(from, to int, days ...time.Weekday) *callcare.Weekly {
	w := &callcare.Weekly{From: from, To: to}
	for _, d := range days {
		w.Days[d] = true
	}
	return w
}

// TestAbsence_InForce: absences hold by the office's clock: across the
// changes to and from summer time (the last Sundays of March and October)
// and across midnight.
func TestAbsence_InForce(t *testing.T) {
	sub := callcare.Target{Kind: callcare.TargetClerk, ID: "mzielinski"}
	for _, tc := range []struct {
		name string
		a    callcare.Absence
		at   time.Time
		want bool
	}{
		// A day of leave on the Sunday that has 23 hours: [00:00, next 00:00) local.
		{"a leave day of 23 hours: its first minute", callcare.Absence{From: local(2026, 3, 29, 0, 0), Until: local(2026, 3, 30, 0, 0)}, local(2026, 3, 29, 0, 0), true},
		{"a leave day of 23 hours: its last minute", callcare.Absence{From: local(2026, 3, 29, 0, 0), Until: local(2026, 3, 30, 0, 0)}, local(2026, 3, 29, 23, 59), true},
		{"a leave day of 23 hours: over at midnight", callcare.Absence{From: local(2026, 3, 29, 0, 0), Until: local(2026, 3, 30, 0, 0)}, local(2026, 3, 30, 0, 0), false},
		{"a leave day of 25 hours: its last minute", callcare.Absence{From: local(2026, 10, 25, 0, 0), Until: local(2026, 10, 26, 0, 0)}, local(2026, 10, 25, 23, 59), true},
		{"a leave day of 25 hours: over at midnight", callcare.Absence{From: local(2026, 10, 25, 0, 0), Until: local(2026, 10, 26, 0, 0)}, local(2026, 10, 26, 0, 0), false},
		// The second 02:30 of the night the clocks go back is in force too.
		{"the repeated hour of October, first time", callcare.Absence{Weekly: weekly(2*60, 3*60, time.Sunday)}, time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), true},
		{"the repeated hour of October, second time", callcare.Absence{Weekly: weekly(2*60, 3*60, time.Sunday)}, time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), true},
		{"every Sunday from 13:00 in summer time: 12:59", callcare.Absence{Weekly: weekly(13*60, 24*60, time.Sunday)}, local(2026, 3, 29, 12, 59), false},
		{"every Sunday from 13:00 in summer time: 13:00", callcare.Absence{Weekly: weekly(13*60, 24*60, time.Sunday)}, local(2026, 3, 29, 13, 0), true},
		{"every Sunday from 13:00 in winter time: 13:00", callcare.Absence{Weekly: weekly(13*60, 24*60, time.Sunday)}, local(2026, 10, 25, 13, 0), true},
		// Across midnight: Saturday 22:00 to Sunday 06:00, over the spring change.
		{"over midnight: Saturday 21:59", callcare.Absence{Weekly: weekly(22*60, 6*60, time.Saturday)}, local(2026, 3, 28, 21, 59), false},
		{"over midnight: Saturday 23:30", callcare.Absence{Weekly: weekly(22*60, 6*60, time.Saturday)}, local(2026, 3, 28, 23, 30), true},
		{"over midnight: Sunday 03:30, an hour after the clocks jumped", callcare.Absence{Weekly: weekly(22*60, 6*60, time.Saturday)}, local(2026, 3, 29, 3, 30), true},
		{"over midnight: Sunday 06:00", callcare.Absence{Weekly: weekly(22*60, 6*60, time.Saturday)}, local(2026, 3, 29, 6, 0), false},
		{"over midnight: not on Friday night", callcare.Absence{Weekly: weekly(22*60, 6*60, time.Saturday)}, local(2026, 3, 27, 23, 0), false},
		{"a date-time period across midnight: before", callcare.Absence{From: local(2026, 11, 24, 18, 0), Until: local(2026, 11, 25, 8, 0)}, local(2026, 11, 24, 17, 59), false},
		{"a date-time period across midnight: at midnight", callcare.Absence{From: local(2026, 11, 24, 18, 0), Until: local(2026, 11, 25, 8, 0)}, local(2026, 11, 25, 0, 0), true},
		{"a date-time period across midnight: at its end", callcare.Absence{From: local(2026, 11, 24, 18, 0), Until: local(2026, 11, 25, 8, 0)}, local(2026, 11, 25, 8, 0), false},
		{"open-ended", callcare.Absence{From: local(2026, 11, 24, 0, 0)}, local(2036, 1, 1, 0, 0), true},
		{"outside office hours: Wednesday 15:30", callcare.Absence{OutsideHours: true}, local(2026, 11, 25, 15, 30), true},
		{"outside office hours: Wednesday 15:29", callcare.Absence{OutsideHours: true}, local(2026, 11, 25, 15, 29), false},
		{"outside office hours: a holiday", callcare.Absence{OutsideHours: true}, local(2026, 11, 11, 10, 0), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.a.Clerk, tc.a.To = "jkowalska", sub
			if got := tc.a.InForce(tc.at, officeHours); got != tc.want {
				t.Errorf("InForce(%s) = %v, want %v", tc.at.In(warsaw).Format("Mon 2006-01-02 15:04 MST"), got, tc.want)
			}
		})
	}
}

func TestWeekly_String(t *testing.T) {
	if got := weekly(13*60, 24*60, time.Friday, time.Monday, time.Sunday).String(); got != "mon,fri,sun 13:00-24:00" {
		t.Errorf("String = %q", got)
	}
}

// TestAbsences_Cover: who takes an absent clerk's calls, and when nobody
// can be found.
func TestAbsences_Cover(t *testing.T) {
	dir := &callcare.Directory{
		Clerks: []callcare.Clerk{{ID: "a", Department: "1"}, {ID: "b", Department: "1"}, {ID: "c", Department: "2"}},
		Departments: []callcare.Department{
			{Number: "1", Members: []callcare.ClerkID{"a", "b"}, Overflow: "c"},
			{Number: "2", Members: []callcare.ClerkID{"c"}},
		},
	}
	clerk := func(id string) callcare.Target { return callcare.Target{Kind: callcare.TargetClerk, ID: id} }
	dep := func(n string) callcare.Target { return callcare.Target{Kind: callcare.TargetDepartment, ID: n} }
	at := local(2026, 11, 25, 10, 0)
	for _, tc := range []struct {
		name     string
		file     []callcare.Absence
		forwards []callcare.Absence
		to       callcare.Target
		problem  string
		path     string
	}{
		{"to a clerk who is in", []callcare.Absence{{Clerk: "a", To: clerk("b")}}, nil, clerk("b"), "", "a -> b"},
		{"the forward wins over the file", []callcare.Absence{{Clerk: "a", To: clerk("b")}}, []callcare.Absence{{Clerk: "a", To: clerk("c")}}, clerk("c"), "", "a -> c"},
		{"through an absent substitute", []callcare.Absence{{Clerk: "a", To: clerk("b")}, {Clerk: "b", To: clerk("c")}}, nil, clerk("c"), "", "a -> b -> c"},
		{"a department with one member in", []callcare.Absence{{Clerk: "a", To: dep("1")}}, nil, dep("1"), "", "a -> 1"},
		{"a department all away: its overflow", []callcare.Absence{{Clerk: "a", To: dep("1")}, {Clerk: "b", To: clerk("a")}}, nil, clerk("c"), "", "a -> 1 -> c"},
		{"a loop", []callcare.Absence{{Clerk: "a", To: clerk("b")}, {Clerk: "b", To: clerk("a")}}, nil, callcare.Target{}, "loop", "a -> b -> a"},
		{"a loop through a department", []callcare.Absence{{Clerk: "a", To: dep("1")}, {Clerk: "b", To: clerk("c")}, {Clerk: "c", To: clerk("a")}}, nil, callcare.Target{}, "loop", "a -> 1 -> c -> a"},
		{"unknown", nil, []callcare.Absence{{Clerk: "a", To: clerk("gone")}}, callcare.Target{}, "unknown", "a -> gone"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			book := &callcare.Absences{Rules: tc.file, Forwards: tc.forwards, Hours: officeHours}
			c, away := book.Cover(dir, "a", at)
			if !away || c.To != tc.to || c.Problem != tc.problem || c.PathString() != tc.path {
				t.Errorf("Cover = %v to %v problem %q path %q; want %v %q %q", away, c.To, c.Problem, c.PathString(), tc.to, tc.problem, tc.path)
			}
		})
	}
	var none *callcare.Absences
	if _, away := none.Cover(dir, "a", at); away {
		t.Error("nobody is away in no absences")
	}
}
