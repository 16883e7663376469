package reporttest

import (
	"time"

	"github.com/callcare/callcare/report"
)

// Expected are the figures of the whole period, From..To, by scope,
// counted by hand from calls(): every figure of every scope the report
// shows. A scope not listed has no figure.
func Expected() map[report.Scope]report.Figures {
	s, m, h := time.Second, time.Minute, time.Hour
	d := func(n int64, sum, max time.Duration) report.Durations {
		return report.Durations{N: n, Sum: sum, Max: max}
	}
	return map[report.Scope]report.Figures{
		{Kind: report.ScopeOffice}: {
			Calls: 19, Answered: 5, Due: 13, InRings: 4, Missed: 7, Abandoned: 2, AfterHours: 3, Unrouted: 1, Unfinished: 1,
			AnsweredOn: [10]int64{1, 2, 1, 1}, AnswerWait: d(5, 51*s, 17*s), ClerkHungUp: 2,
			// t04 t05 t06 t07 t17 t18 t19
			Callbacks: 7, CallbackOnTime: 3, CallbackLate: 2, CallbackOverdue: 1, CallbackPending: 1,
			CallbackTime: d(5, 6*h+10*m+30*s, 3*h), CallbackTimes: [7]int64{1, 1, 1, 0, 2},
			// t13 t14 t15 t16
			Agreed: 4, AgreedOnTime: 1, AgreedLate: 1, AgreedMissed: 1, AgreedPending: 1, AgreedLateness: d(2, 20*m+40*s, 20*m),
			// c01 30 s + 45 s, c03 2 min, c09 1 min until its end; c05 6 s
			// until its end, c11 8 s, c12 unknown (0); c02 and c11 came back.
			HoldCalls: 19, Hold: d(4, 4*m+15*s, 2*m), LineCalls: 19, Line: d(3, 14*s, 8*s),
			TransferCalls: 19, Transfers: 3, TransfersBack: 2,
		},
		{Kind: report.ScopeDepartment, Key: "100"}: {
			Calls: 10, Answered: 2, Due: 6, InRings: 2, Missed: 3, Abandoned: 1, AfterHours: 3, Unfinished: 1,
			AnsweredOn: [10]int64{0, 1, 1}, AnswerWait: d(2, 22*s, 14*s), ClerkHungUp: 1,
			Callbacks: 3, CallbackOnTime: 2, CallbackLate: 1, CallbackTime: d(3, h+10*m, 40*m), CallbackTimes: [7]int64{1, 1, 1},
			Agreed: 3, AgreedOnTime: 1, AgreedLate: 1, AgreedMissed: 1, AgreedLateness: d(2, 20*m+40*s, 20*m),
			// c01; c12; c02
			HoldCalls: 10, Hold: d(2, 75*s, 45*s), LineCalls: 10, Line: d(1, 0, 0), TransferCalls: 10, Transfers: 1, TransfersBack: 1,
		},
		{Kind: report.ScopeDepartment, Key: "200"}: {
			Calls: 7, Answered: 2, Due: 6, InRings: 1, Missed: 4, Abandoned: 1,
			AnsweredOn: [10]int64{1, 0, 0, 1}, AnswerWait: d(2, 20*s, 17*s), ClerkHungUp: 1,
			Callbacks: 4, CallbackOnTime: 1, CallbackLate: 1, CallbackOverdue: 1, CallbackPending: 1,
			CallbackTime: d(2, 5*h+30*s, 3*h), CallbackTimes: [7]int64{0, 0, 0, 0, 2},
			Agreed: 1, AgreedPending: 1,
			// c03, c09; c05; c03
			HoldCalls: 7, Hold: d(2, 3*m, 2*m), LineCalls: 7, Line: d(1, 6*s, 6*s), TransferCalls: 7, Transfers: 1,
		},
		{Kind: report.ScopeGroup, Key: report.GroupSpecial}: {
			Calls: 3, Answered: 1, Due: 2, Missed: 1, AfterHours: 1,
			AnsweredOn: [10]int64{0, 0, 0, 1}, AnswerWait: d(1, 17*s, 17*s),
			Callbacks: 1, CallbackLate: 1, CallbackTime: d(1, 30*m, 30*m), CallbackTimes: [7]int64{0, 1},
			Agreed: 1, AgreedMissed: 1,
			// c03
			HoldCalls: 3, Hold: d(1, 2*m, 2*m), LineCalls: 3, TransferCalls: 3, Transfers: 1,
		},
		{Kind: report.ScopeGroup, Key: report.GroupOthers}: {
			Calls: 16, Answered: 4, Due: 11, InRings: 4, Missed: 6, Abandoned: 2, AfterHours: 2, Unrouted: 1, Unfinished: 1,
			AnsweredOn: [10]int64{1, 2, 1}, AnswerWait: d(4, 34*s, 14*s), ClerkHungUp: 2,
			Callbacks: 6, CallbackOnTime: 3, CallbackLate: 1, CallbackOverdue: 1, CallbackPending: 1,
			CallbackTime: d(4, 5*h+40*m+30*s, 3*h), CallbackTimes: [7]int64{1, 0, 1, 0, 2},
			Agreed: 3, AgreedOnTime: 1, AgreedLate: 1, AgreedPending: 1, AgreedLateness: d(2, 20*m+40*s, 20*m),
			// c01, c09; c05, c11, c12; c02, c11
			HoldCalls: 16, Hold: d(3, 2*m+15*s, 60*s), LineCalls: 16, Line: d(3, 14*s, 8*s),
			TransferCalls: 16, Transfers: 2, TransfersBack: 2,
		},
		// A clerk's *Calls count the calls in which the clerk held or
		// transferred; a wait in line is nobody's.
		{Kind: report.ScopeClerk, Key: "jkowalska"}: {
			Rung: 11, RungAnswered: 1, RungInRings: 1, RungNotAnswered: 7, RungBusy: 1,
			Agreed: 1, AgreedLate: 1, AgreedLateness: d(1, 20*m, 20*m),
			HoldCalls: 1, Hold: d(2, 75*s, 45*s), LineCalls: 1, TransferCalls: 1, // c01
		},
		{Kind: report.ScopeClerk, Key: "mzielinski"}: {
			Rung: 9, RungAnswered: 1, RungInRings: 1, RungNotAnswered: 6, RungBusy: 1, ClerkHungUp: 1,
			Agreed: 1, AgreedOnTime: 1, AgreedLateness: d(1, 40*s, 40*s),
			HoldCalls: 1, LineCalls: 1, TransferCalls: 1, Transfers: 1, TransfersBack: 1, // c02
		},
		{Kind: report.ScopeClerk, Key: "anowak"}: {
			Rung: 7, RungAnswered: 1, RungInRings: 1, RungNotAnswered: 5, ClerkHungUp: 1,
			Callbacks: 2, CallbackLate: 1, CallbackOverdue: 1, CallbackTime: d(1, 3*h, 3*h), CallbackTimes: [7]int64{0, 0, 0, 0, 1},
			HoldCalls: 1, Hold: d(1, m, m), LineCalls: 1, TransferCalls: 1, // c09
		},
		{Kind: report.ScopeClerk, Key: "pwisniewska"}: {
			Rung: 5, RungAnswered: 1, RungInRings: 1, RungNotAnswered: 4,
			HoldCalls: 1, Hold: d(1, 2*m, 2*m), LineCalls: 1, TransferCalls: 1, Transfers: 1, // c03
		},
		{Kind: report.ScopeClerk, Key: "xformer"}: {
			Rung: 1, RungAnswered: 1, RungInRings: 1,
			HoldCalls: 1, LineCalls: 1, TransferCalls: 1, Transfers: 1, TransfersBack: 1, // c11
		},
	}
}

// PurgedDays are the days the retention tests purge: the calls of 9-11
// November, and the tasks first missed then.
var PurgedDays = []string{"2026-11-09", "2026-11-10", "2026-11-11"}

// PurgeNow is when a retention of 18 days purges them: every day before
// 12 November is older than that. (Calls: 18 days; numbers: 7 days.)
var PurgeNow = At(30, "02:00:00")
