package report

import (
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare"
)

var warsaw = callcare.DefaultOfficeHours().Location

// at is a moment of Tuesday 24 November 2026 (or another day of November
// with "DD HH:MM:SS") in Warsaw.
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", "2026-11-"+s, warsaw)
	if err != nil {
		panic(err)
	}
	return t
}

var dir = &callcare.Directory{
	Departments: []callcare.Department{{Number: "100", Name: "Sekretariat", Members: []callcare.ClerkID{"a", "b"}}},
	Clerks: []callcare.Clerk{
		{ID: "a", Name: "Anna", Surname: "A", Department: "100"},
		{ID: "b", Name: "Bogdan", Surname: "B", Department: "100"},
	},
}

func opts() Options {
	return Options{Directory: dir, Procedure: callcare.DefaultProcedure, Hours: callcare.DefaultOfficeHours(), Now: at("30 12:00:00")}
}

func answered(rings int, by callcare.ClerkID, hungUp callcare.Party) callcare.CallRecord {
	start := at("24 10:00:00")
	return callcare.CallRecord{ID: "c", Target: callcare.Target{Kind: callcare.TargetDepartment, ID: "100"},
		StartedAt: start, AnsweredAt: start.Add(time.Duration(rings) * 5 * time.Second), EndedAt: start.Add(time.Minute),
		Outcome: callcare.OutcomeAnswered, RingsHeard: rings, AnsweredBy: by, HungUpBy: hungUp,
		Attempts: []callcare.Attempt{{Clerk: by, Result: "answered", Rings: rings}}, HungUpClerk: clerkIf(hungUp, by)}
}

func clerkIf(p callcare.Party, c callcare.ClerkID) callcare.ClerkID {
	if p == callcare.PartyClerk {
		return c
	}
	return ""
}

func ended(o callcare.Outcome, rings int) callcare.CallRecord {
	start := at("24 10:00:00")
	return callcare.CallRecord{ID: "c", Target: callcare.Target{Kind: callcare.TargetDepartment, ID: "100"},
		StartedAt: start, EndedAt: start.Add(time.Minute), Outcome: o, RingsHeard: rings}
}

func task(first, due string) callcare.CallbackTask {
	return callcare.CallbackTask{ID: 1, Number: "48600000001", Target: callcare.Target{Kind: callcare.TargetClerk, ID: "a"},
		FirstAt: at(first), Due: at(due), Status: callcare.CallbackOpen}
}

func closed(t callcare.CallbackTask, res callcare.Resolution, when string) callcare.CallbackTask {
	t.Status, t.Resolution, t.ClosedAt = callcare.CallbackDone, res, at(when)
	return t
}

func agreed(t callcare.CallbackTask, when string) callcare.CallbackTask {
	t.AgreedAt = at(when)
	return t
}

func try(when string, res callcare.AttemptResult) callcare.CallbackAttempt {
	return callcare.CallbackAttempt{TaskID: 1, Clerk: "a", StartedAt: at(when), Result: res}
}

func TestTally(t *testing.T) {
	office := Scope{Kind: ScopeOffice}
	clerkA := Scope{Kind: ScopeClerk, Key: "a"}
	dep := Scope{Kind: ScopeDepartment, Key: "100"}
	special := Scope{Kind: ScopeGroup, Key: GroupSpecial}
	d := func(n int64, sum, max time.Duration) Durations { return Durations{N: n, Sum: sum, Max: max} }
	for _, tc := range []struct {
		rule, name string
		recs       Records
		scope      Scope
		want       Figures
	}{
		{rule: "P4a", name: "answered on the 3rd ring is within", recs: Records{Calls: []callcare.CallRecord{answered(3, "a", callcare.PartyCaller)}},
			scope: office, want: Figures{Calls: 1, Answered: 1, Due: 1, InRings: 1, AnsweredOn: [10]int64{0, 0, 1}, AnswerWait: d(1, 15*time.Second, 15*time.Second)}},
		{rule: "P4a", name: "answered on the 4th ring is late", recs: Records{Calls: []callcare.CallRecord{answered(4, "a", callcare.PartyCaller)}},
			scope: office, want: Figures{Calls: 1, Answered: 1, Due: 1, AnsweredOn: [10]int64{0, 0, 0, 1}, AnswerWait: d(1, 20*time.Second, 20*time.Second)}},
		{rule: "P4a", name: "answered before any ring counts as the 1st", recs: Records{Calls: []callcare.CallRecord{answered(0, "a", callcare.PartyCaller)}},
			scope: office, want: Figures{Calls: 1, Answered: 1, Due: 1, InRings: 1, AnsweredOn: [10]int64{1}, AnswerWait: d(1, 0, 0)}},
		{rule: "P4a", name: "the 12th ring falls in the last bucket", recs: Records{Calls: []callcare.CallRecord{answered(12, "a", callcare.PartyCaller)}},
			scope: office, want: Figures{Calls: 1, Answered: 1, Due: 1, AnsweredOn: [10]int64{9: 1}, AnswerWait: d(1, time.Minute, time.Minute)}},
		{rule: "P4a", name: "given up within the rings is not due", recs: Records{Calls: []callcare.CallRecord{ended(callcare.OutcomeAbandoned, 3)}},
			scope: office, want: Figures{Calls: 1, Abandoned: 1}},
		{rule: "P4a", name: "given up after the rings is due", recs: Records{Calls: []callcare.CallRecord{ended(callcare.OutcomeAbandoned, 4)}},
			scope: office, want: Figures{Calls: 1, Abandoned: 1, Due: 1}},
		{rule: "P4a", name: "missed is due", recs: Records{Calls: []callcare.CallRecord{ended(callcare.OutcomeMissed, 3)}},
			scope: dep, want: Figures{Calls: 1, Missed: 1, Due: 1}},
		{rule: "P4a", name: "after hours, unrouted, failed and unfinished are not due", recs: Records{Calls: []callcare.CallRecord{
			ended(callcare.OutcomeAfterHours, 0), ended(callcare.OutcomeUnrouted, 0), ended(callcare.OutcomeFailed, 0), ended("", 0)}},
			scope: office, want: Figures{Calls: 4, AfterHours: 1, Unrouted: 1, Failed: 1, Unfinished: 1}},
		{rule: "P4b", name: "a busy clerk's caller who asked for a callback is not answered and is owed one", recs: Records{Calls: []callcare.CallRecord{ended(callcare.OutcomeCallback, 0)}},
			scope: office, want: Figures{Calls: 1, CallbackAsked: 1}},
		{rule: "P4a", name: "an interrupted call was answered; one handed to the fallback is the service's failure", recs: Records{Calls: []callcare.CallRecord{
			ended(callcare.OutcomeInterrupted, 2), ended(callcare.OutcomeFallback, 0)}},
			scope: office, want: Figures{Calls: 2, Answered: 1, Due: 1, InRings: 1, AnsweredOn: [10]int64{0, 1}, AnswerWait: Durations{N: 1}, Failed: 1}},
		{rule: "P4a", name: "the clerk's phone", recs: Records{Calls: []callcare.CallRecord{{StartedAt: at("24 10:00:00"), Attempts: []callcare.Attempt{
			{Clerk: "a", Result: "answered", Rings: 3}, {Clerk: "a", Result: "answered", Rings: 4}, {Clerk: "a", Result: "noanswer", Rings: 3},
			{Clerk: "a", Result: "busy"}, {Clerk: "a", Result: "unavailable"}, {Clerk: "a", Result: "congestion"}, {Clerk: "a", Result: "failed"},
			{Clerk: "a", Result: "cancelled", Rings: 2}, {Clerk: "b", Result: "answered", Rings: 1}}}}},
			scope: clerkA, want: Figures{Rung: 8, RungAnswered: 2, RungInRings: 1, RungNotAnswered: 1, RungBusy: 1, RungUnreachable: 3}},
		{rule: "P4l", name: "the clerk hung up first, in the answering clerk's scope", recs: Records{Calls: []callcare.CallRecord{answered(1, "a", callcare.PartyClerk)}},
			scope: clerkA, want: Figures{Rung: 1, RungAnswered: 1, RungInRings: 1, ClerkHungUp: 1}},
		{rule: "P4l", name: "after a transfer, in the scope of the clerk who hung up, not the one who answered", recs: Records{Calls: []callcare.CallRecord{
			func() callcare.CallRecord {
				c := answered(1, "b", callcare.PartyClerk)
				c.HungUpClerk = "a" // b answered, transferred to a, and a hung up first
				return c
			}()}},
			scope: clerkA, want: Figures{ClerkHungUp: 1}},
		{rule: "P4l", name: "a party outside the service who hung up (after a phone's transfer elsewhere) is no clerk's", recs: Records{Calls: []callcare.CallRecord{
			func() callcare.CallRecord {
				c := answered(1, "a", callcare.PartyClerk)
				c.HungUpClerk = ""
				c.Attempts = append(c.Attempts, callcare.Attempt{Result: "answered", TransferredBy: "a"}) // Asterisk's Local channel
				return c
			}()}},
			scope: clerkA, want: Figures{Rung: 1, RungAnswered: 1, RungInRings: 1}},
		{rule: "P4l", name: "and in the call's", recs: Records{Calls: []callcare.CallRecord{answered(1, "a", callcare.PartyClerk), answered(1, "a", callcare.PartyCaller)}},
			scope: dep, want: Figures{Calls: 2, Answered: 2, Due: 2, InRings: 2, AnsweredOn: [10]int64{2}, AnswerWait: d(2, 10*time.Second, 5*time.Second), ClerkHungUp: 1}},
		{rule: "P5.3", name: "a caller with special needs is in their group", recs: Records{Calls: []callcare.CallRecord{
			func() callcare.CallRecord {
				c := ended(callcare.OutcomeMissed, 3)
				c.Needs = callcare.NeedsClerk
				return c
			}()}},
			scope: special, want: Figures{Calls: 1, Missed: 1, Due: 1}},
		{rule: "P4c", name: "called back at the due second is on time", recs: Records{
			Tasks:    []callcare.CallbackTask{task("24 13:30:00", "24 15:30:00")},
			Attempts: map[int64][]callcare.CallbackAttempt{1: {try("24 15:30:00", callcare.AttemptNoAnswer)}}},
			scope: clerkA, want: Figures{Callbacks: 1, CallbackOnTime: 1, CallbackTime: d(1, 2*time.Hour, 2*time.Hour), CallbackTimes: [7]int64{3: 1}}},
		{rule: "P4c", name: "a second later is late", recs: Records{
			Tasks:    []callcare.CallbackTask{task("24 13:30:00", "24 15:30:00")},
			Attempts: map[int64][]callcare.CallbackAttempt{1: {try("24 15:30:01", callcare.AttemptReached)}}},
			scope: dep, want: Figures{Callbacks: 1, CallbackLate: 1, CallbackTime: d(1, 2*time.Hour, 2*time.Hour), CallbackTimes: [7]int64{3: 1}}},
		{rule: "P4c", name: "an agreed-time ring nobody took is no callback", recs: Records{
			Tasks:    []callcare.CallbackTask{task("24 13:30:00", "24 15:30:00")},
			Attempts: map[int64][]callcare.CallbackAttempt{1: {try("24 14:00:00", callcare.AttemptClerkAbsent), try("25 08:00:00", callcare.AttemptReached)}}},
			scope: office, want: Figures{Callbacks: 1, CallbackLate: 1, CallbackTime: d(1, 2*time.Hour+30*time.Minute, 2*time.Hour+30*time.Minute), CallbackTimes: [7]int64{4: 1}}},
		{rule: "P4c", name: "over the night counts office time only", recs: Records{
			Tasks:    []callcare.CallbackTask{task("24 20:00:00", "25 07:30:00")},
			Attempts: map[int64][]callcare.CallbackAttempt{1: {try("25 07:40:00", callcare.AttemptReached)}}},
			scope: office, want: Figures{Callbacks: 1, CallbackLate: 1, CallbackTime: d(1, 10*time.Minute, 10*time.Minute), CallbackTimes: [7]int64{1}}},
		{rule: "P4c", name: "the citizen got through: closed is called back", recs: Records{
			Tasks: []callcare.CallbackTask{closed(task("24 09:00:00", "24 11:00:00"), callcare.ResolvedGotThrough, "24 09:20:00")}},
			scope: office, want: Figures{Callbacks: 1, CallbackOnTime: 1, CallbackTime: d(1, 20*time.Minute, 20*time.Minute), CallbackTimes: [7]int64{1: 1}}},
		{rule: "P4c", name: "not called back, promise passed: overdue", recs: Records{Tasks: []callcare.CallbackTask{task("24 09:00:00", "24 11:00:00")}},
			scope: office, want: Figures{Callbacks: 1, CallbackOverdue: 1}},
		{rule: "P4c", name: "not called back, promise ahead: pending", recs: Records{Tasks: []callcare.CallbackTask{task("30 11:00:00", "30 13:00:00")}},
			scope: office, want: Figures{Callbacks: 1, CallbackPending: 1}},
		{rule: "P4c", name: "unreachable after every attempt", recs: Records{
			Tasks:    []callcare.CallbackTask{closed(task("24 09:00:00", "24 11:00:00"), callcare.ResolvedUnreachable, "25 09:00:00")},
			Attempts: map[int64][]callcare.CallbackAttempt{1: {try("24 09:30:00", callcare.AttemptNoAnswer)}}},
			scope: office, want: Figures{Callbacks: 1, CallbackOnTime: 1, CallbackGaveUp: 1, CallbackTime: d(1, 30*time.Minute, 30*time.Minute), CallbackTimes: [7]int64{1: 1}}},
		{rule: "P4m", name: "within the grace is on time", recs: Records{
			Tasks:    []callcare.CallbackTask{agreed(task("23 09:00:00", "23 11:00:00"), "24 10:00:00")},
			Attempts: map[int64][]callcare.CallbackAttempt{1: {try("24 10:05:00", callcare.AttemptReached)}}},
			scope: clerkA, want: Figures{Agreed: 1, AgreedOnTime: 1, AgreedLateness: d(1, 5*time.Minute, 5*time.Minute)}},
		{rule: "P4m", name: "after the grace is late", recs: Records{
			Tasks:    []callcare.CallbackTask{agreed(task("23 09:00:00", "23 11:00:00"), "24 10:00:00")},
			Attempts: map[int64][]callcare.CallbackAttempt{1: {try("24 10:05:01", callcare.AttemptReached)}}},
			scope: office, want: Figures{Agreed: 1, AgreedLate: 1, AgreedLateness: d(1, 5*time.Minute+time.Second, 5*time.Minute+time.Second)}},
		{rule: "P4m", name: "an attempt before the agreement does not keep it", recs: Records{
			Tasks:    []callcare.CallbackTask{agreed(task("23 09:00:00", "23 11:00:00"), "24 10:00:00")},
			Attempts: map[int64][]callcare.CallbackAttempt{1: {try("23 09:30:00", callcare.AttemptReached), try("24 09:57:00", callcare.AttemptReached)}}},
			scope: office, want: Figures{Agreed: 1, AgreedOnTime: 1, AgreedLateness: d(1, 0, 0)}},
		{rule: "P4m", name: "never called, the time passed: missed", recs: Records{
			Tasks: []callcare.CallbackTask{agreed(task("23 09:00:00", "23 11:00:00"), "24 10:00:00")}},
			scope: office, want: Figures{Agreed: 1, AgreedMissed: 1}},
		{rule: "P4m", name: "the time still ahead: pending", recs: Records{
			Tasks: []callcare.CallbackTask{agreed(task("23 09:00:00", "23 11:00:00"), "30 12:04:00")}},
			scope: office, want: Figures{Agreed: 1, AgreedPending: 1}},
		{rule: "P5.3", name: "a task for special needs is in their group", recs: Records{
			Tasks: []callcare.CallbackTask{func() callcare.CallbackTask {
				t := task("30 11:00:00", "30 13:00:00")
				t.Priority = callcare.PrioritySpecialNeeds
				return t
			}()}},
			scope: special, want: Figures{Callbacks: 1, CallbackPending: 1}},
	} {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			days := Tally(tc.recs, opts())
			got := Figures{}
			for _, byScope := range days {
				if f := byScope[tc.scope]; f != nil {
					got.Add(*f)
				}
			}
			want := tc.want
			if tc.scope.Kind != ScopeClerk {
				// Every call counted from its record says how its caller
				// waited (TestTally_Waits).
				want.HoldCalls, want.LineCalls, want.TransferCalls = want.Calls, want.Calls, want.Calls
			}
			if got != want {
				t.Errorf("%s %s:\n got %+v\nwant %+v", tc.scope.Kind, tc.scope.Key, got, want)
			}
		})
	}
}

func TestTally_Days(t *testing.T) {
	o := opts()
	late := ended(callcare.OutcomeAfterHours, 0)
	late.StartedAt, late.EndedAt = at("24 23:59:59"), at("25 00:10:00")
	early := ended(callcare.OutcomeAfterHours, 0)
	early.StartedAt = at("25 00:00:00")
	days := Tally(Records{Calls: []callcare.CallRecord{late, early}}, o)
	if days["2026-11-24"][office].Calls != 1 || days["2026-11-25"][office].Calls != 1 {
		t.Errorf("a call counts on the day it started: %+v", days)
	}
	// In the office's zone, not UTC: 00:30 in Warsaw is 23:30 UTC the day before.
	utc := ended(callcare.OutcomeAfterHours, 0)
	utc.StartedAt = at("26 00:30:00").UTC()
	if d := Tally(Records{Calls: []callcare.CallRecord{utc}}, o); d["2026-11-26"] == nil {
		t.Errorf("days are the office's: %v", d)
	}
	// The day the clocks go back lasts 25 hours.
	start, end, err := o.DaySpan("2026-10-25")
	if err != nil || end.Sub(start) != 25*time.Hour {
		t.Errorf("DaySpan(2026-10-25) = %s..%s (%s), %v", start, end, end.Sub(start), err)
	}
}

// How the caller waited: each hold counts in the caller's scopes and the
// holding clerk's, a hold the call ended during until the call's end; each
// wait in line in the caller's; each transfer in the caller's and the
// transferring clerk's. With the figures there, "no data yet" goes.
func TestTally_Waits(t *testing.T) {
	c := answered(1, "a", callcare.PartyCaller)
	s := c.StartedAt
	c.Holds = []callcare.Hold{{Clerk: "a", From: s.Add(10 * time.Second), To: s.Add(40 * time.Second)},
		{Clerk: "a", From: s.Add(50 * time.Second)}} // until the call ended, at 1 min
	c.LineWaits = []callcare.LineWait{{Department: "100", From: s, To: s.Add(2 * time.Second)}}
	c.Transfers = []callcare.Transfer{{By: "a", To: callcare.Target{Kind: callcare.TargetClerk, ID: "b"}, CameBack: true}, {By: "b"}}
	plain := answered(2, "b", callcare.PartyCaller)
	days := Tally(Records{Calls: []callcare.CallRecord{c, plain}}, opts())
	f := days["2026-11-24"][office]
	if f.HoldCalls != 2 || f.Hold != (Durations{2, 40 * time.Second, 30 * time.Second}) ||
		f.LineCalls != 2 || f.Line != (Durations{1, 2 * time.Second, 2 * time.Second}) ||
		f.TransferCalls != 2 || f.Transfers != 2 || f.TransfersBack != 1 {
		t.Errorf("office: %+v", f)
	}
	a := days["2026-11-24"][Scope{Kind: ScopeClerk, Key: "a"}]
	if a.HoldCalls != 1 || a.Hold.N != 2 || a.Line.N != 0 || a.Transfers != 1 || a.TransfersBack != 1 {
		t.Errorf("clerk a: %d calls, hold %+v, line %+v, transfers %d back %d", a.HoldCalls, a.Hold, a.Line, a.Transfers, a.TransfersBack)
	}
	if b := days["2026-11-24"][Scope{Kind: ScopeClerk, Key: "b"}]; b.Hold.N != 0 || b.Transfers != 1 || b.TransfersBack != 0 {
		t.Errorf("clerk b: hold %+v, transfers %d back %d", b.Hold, b.Transfers, b.TransfersBack)
	}
	r, err := Build(Source{Live: days}, "2026-11-24", "2026-11-24", opts())
	if err != nil {
		t.Fatal(err)
	}
	html, err := r.HTMLString("en")
	if err != nil {
		t.Fatal(err)
	}
	if contains(html, "no data yet") {
		t.Error(`"no data yet" shown with the data there`)
	}
	// A period of days archived before the call log kept waits only.
	old := Days{"2026-11-24": {office: &Figures{Calls: 1, Answered: 1}}}
	if r, err = Build(Source{Archived: old, ArchivedDays: []string{"2026-11-24"}}, "2026-11-24", "2026-11-24", opts()); err != nil {
		t.Fatal(err)
	}
	if html, err = r.HTMLString("en"); err != nil || !contains(html, "no data yet") {
		t.Errorf(`a period without the data: "no data yet" not shown (%v)`, err)
	}
}

func TestFigures_Aggregate(t *testing.T) {
	a := Figures{Calls: 2, AnswerWait: Durations{2, 10 * time.Second, 8 * time.Second}, CallbackTimes: [7]int64{1}}
	b := Figures{Calls: 3, AnswerWait: Durations{1, 9 * time.Second, 9 * time.Second}, CallbackTimes: [7]int64{1, 2}}
	a.Add(b)
	if want := (Figures{Calls: 5, AnswerWait: Durations{3, 19 * time.Second, 9 * time.Second}, CallbackTimes: [7]int64{2, 2}}); a != want {
		t.Errorf("Add: %+v", a)
	}
	// Through the archive and back, every figure is the same.
	days := Days{"2026-11-24": {office: &a, {Kind: ScopeClerk, Key: "a"}: &b}}
	back, err := FromArchive(days.Archive())
	if err != nil {
		t.Fatal(err)
	}
	if *back["2026-11-24"][office] != a || *back["2026-11-24"][Scope{Kind: ScopeClerk, Key: "a"}] != b {
		t.Errorf("round trip: %+v", back)
	}
	if _, err := FromArchive([]callcare.DayFigure{{Day: "2026-11-24", Scope: "office", Measure: "calls_by_magic"}}); err == nil {
		t.Error("an unknown measure read silently")
	}
}

// The measures' names are stored in archives: a name changed would make
// an archived day's figure unreadable. Add names; never change one.
func TestMeasures_Names(t *testing.T) {
	want := "calls answered due in_rings missed abandoned after_hours unrouted failed unfinished " +
		"answered_on_ring.1 answered_on_ring.2 answered_on_ring.3 answered_on_ring.4 answered_on_ring.5 " +
		"answered_on_ring.6 answered_on_ring.7 answered_on_ring.8 answered_on_ring.9 answered_on_ring.10 " +
		"answer_wait.n answer_wait.sum_ns answer_wait.max_ns clerk_hung_up " +
		"rung rung.answered rung.in_rings rung.not_answered rung.busy rung.unreachable " +
		"callbacks callbacks.on_time callbacks.late callbacks.overdue callbacks.pending callbacks.gave_up " +
		"callback_time.n callback_time.sum_ns callback_time.max_ns callback_time.le_15m callback_time.le_30m " +
		"callback_time.le_1h callback_time.le_2h callback_time.le_4h callback_time.le_8h callback_time.over_8h " +
		"agreed agreed.on_time agreed.late agreed.missed agreed.pending " +
		"agreed_lateness.n agreed_lateness.sum_ns agreed_lateness.max_ns " +
		"hold.calls hold.n hold.sum_ns hold.max_ns line.calls line.n line.sum_ns line.max_ns " +
		"transfers.calls transfers transfers.back callback_asked"
	if got := strings.Join(Measures(), " "); got != want {
		t.Errorf("measures:\n got %s\nwant %s", got, want)
	}
}

func TestBuild_Period(t *testing.T) {
	for _, tc := range [][2]string{{"2026-11-30", "2026-11-01"}, {"1.11.2026", "2026-11-30"}, {"2026-11-01", "tomorrow"}} {
		if _, err := Build(Source{}, tc[0], tc[1], opts()); err == nil {
			t.Errorf("Build(%s, %s): no error", tc[0], tc[1])
		}
	}
	r, err := Build(Source{}, "2026-11-01", "2026-11-30", opts())
	if err != nil || len(r.Days) != 30 || len(r.Clerks) != 2 || len(r.Departments) != 1 {
		t.Fatalf("empty November: %+v, %v", r, err)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// TestTally_LocalChannelIsNoClerk: after a phone's transfer out of the
// service, the record's attempt for Asterisk's Local channel names no
// clerk: the report has no row for it.
func TestTally_LocalChannelIsNoClerk(t *testing.T) {
	c := answered(1, "a", callcare.PartyCaller)
	c.Attempts = append(c.Attempts, callcare.Attempt{Result: "answered", TransferredBy: "a"})
	for _, scopes := range Tally(Records{Calls: []callcare.CallRecord{c}}, opts()) {
		if _, ok := scopes[Scope{Kind: ScopeClerk, Key: ""}]; ok {
			t.Errorf("a row for a clerk without a name: %v", scopes)
		}
	}
}

// TestTally_OutageIsNoHold: a call closed as interrupted when the service
// came back an hour later, on hold when it went down: how long the hold
// lasted is not known; the outage does not become the longest hold.
func TestTally_OutageIsNoHold(t *testing.T) {
	c := answered(1, "a", callcare.PartyCaller)
	c.Outcome = callcare.OutcomeInterrupted
	c.Holds = []callcare.Hold{{Clerk: "a", From: c.AnsweredAt.Add(10 * time.Second)}}
	c.EndedAt = c.StartedAt.Add(time.Hour)
	for _, scopes := range Tally(Records{Calls: []callcare.CallRecord{c}}, opts()) {
		if f := scopes[Scope{Kind: ScopeOffice}]; f != nil && f.Hold.Max > 0 {
			t.Errorf("longest hold %s: want the unknown length left out", f.Hold.Max)
		}
	}
}

// TestTally_TransferredCallbackIsNoCitizensCall (P4a, P4o): a clerk's
// callback passed on to a colleague is in the call log, but it is the
// office's call, answered by no ring: neither the office's calls nor the
// clerk's rings count it. The colleague's ring for the transfer does.
func TestTally_TransferredCallbackIsNoCitizensCall(t *testing.T) {
	c := answered(0, "a", callcare.PartyCaller)
	c.Origin = callcare.OriginCallback
	c.Attempts = append(c.Attempts, callcare.Attempt{Clerk: "b", Result: "answered", Rings: 1, TransferredBy: "a"})
	for _, scopes := range Tally(Records{Calls: []callcare.CallRecord{c}}, opts()) {
		if f := scopes[Scope{Kind: ScopeOffice}]; f != nil && (f.Calls != 0 || f.InRings != 0) {
			t.Errorf("office: %d calls, %d in rings: want none", f.Calls, f.InRings)
		}
		if f := scopes[Scope{Kind: ScopeClerk, Key: "a"}]; f != nil && f.Rung != 0 {
			t.Errorf("the clerk who called back: rung %d, want 0", f.Rung)
		}
		if f := scopes[Scope{Kind: ScopeClerk, Key: "b"}]; f == nil || f.Rung != 1 {
			t.Errorf("the colleague: %+v, want the transfer's ring", f)
		}
	}
}
