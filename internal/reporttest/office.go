// Package reporttest is a known office for the compliance report's tests:
// a staff directory, a fortnight of calls and callbacks with the edge cases
// the report must get right, loaded into a store through the root's
// contracts, and every figure the report must show for it, counted by
// hand (expected.go).
//
// The edge cases: a call answered exactly on the 3rd ring, one answered on
// the 4th after an overflow, one given up within the rings and one after
// them; a callback due exactly at the end of office hours and made at that
// second; calls on a public holiday (11 November) whose callbacks fall due
// at the next opening after it; a call that goes on past midnight; a call
// the service never finished; a clerk who is no longer in the directory;
// a number that reaches nobody; callbacks made late, overdue and not yet
// due; agreed-time callbacks on time, late, missed and ahead; a task the
// citizen's own call closed; holds (one of exactly the 2 minutes after
// which a callback is offered, one the call ended during), waits in line
// (one the caller hung up during, one in a call the service never
// finished) and transfers (taken, and come back). Retention tests purge
// 9-11 November: the longest hold is in them, the longest wait in line
// after them.
package reporttest

import (
	"context"
	"fmt"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
	"github.com/callcare/callcare/report"
)

// Period is the report's period: from the first day of calls to the day
// the report is made.
const From, To = "2026-11-09", "2026-11-30"

// Warsaw is the office's zone.
var Warsaw = mustZone("Europe/Warsaw")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// At is a moment of November 2026 in the office's zone: At(9, "13:30:00").
func At(day int, clock string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", fmt.Sprintf("2026-11-%02d %s", day, clock), Warsaw)
	if err != nil {
		panic(err)
	}
	return t
}

// Now is when the report is made: Monday 30 November 2026, noon.
var Now = At(30, "12:00:00")

// Directory is the office: the secretariat (100) and the department of
// transport (200), which overflows to it.
func Directory() *callcare.Directory {
	return &callcare.Directory{
		Departments: []callcare.Department{
			{Number: "100", Name: "Sekretariat", Members: []callcare.ClerkID{"jkowalska", "mzielinski"}, Ring: callcare.RingTogether},
			{Number: "200", Name: "Wydział Komunikacji", Members: []callcare.ClerkID{"anowak", "pwisniewska"}, Ring: callcare.RingTogether, Overflow: "100"},
		},
		Clerks: []callcare.Clerk{
			{ID: "jkowalska", Name: "Joanna", Surname: "Kowalska", Position: "Sekretarz", Department: "100", Extension: "101", Endpoint: "PJSIP/101", Overflow: "100"},
			{ID: "mzielinski", Name: "Marek", Surname: "Zieliński", Position: "Referent", Department: "100", Extension: "102", Endpoint: "PJSIP/102", Overflow: "100"},
			{ID: "anowak", Name: "Anna", Surname: "Nowak", Position: "Kierownik", Department: "200", Extension: "111", Endpoint: "PJSIP/111", Overflow: "200"},
			{ID: "pwisniewska", Name: "Paulina", Surname: "Wiśniewska", Position: "Inspektor", Department: "200", Extension: "112", Endpoint: "PJSIP/112"},
		},
	}
}

// Options are the report's options for the office: 3 rings, Monday to
// Friday 07:30-15:30 with Poland's holidays, made at Now.
func Options() report.Options {
	return report.Options{
		Directory: Directory(),
		Procedure: callcare.DefaultProcedure,
		Hours:     callcare.DefaultOfficeHours(),
		Now:       Now,
	}
}

// rules are the office's callback promises: 2 hours of office time, 1 for
// people with special needs.
func rules() policy.CallbackRules {
	return policy.CallbackRules{Hours: callcare.DefaultOfficeHours(), Promise: 2 * time.Hour, SpecialNeedsPromise: time.Hour, MaxAttempts: 4}
}

// Store is what Load writes through: the store's contracts.
type Store interface {
	callcare.CallService
	callcare.CallbackService
	callcare.CallbackQueue
}

// rung is one ringing of a clerk's phone during a call.
type rung struct {
	clerk  callcare.ClerkID
	result string
	rings  int
}

// call is one call of the fortnight and what followed it.
type call struct {
	id, caller, dialed string
	target             callcare.Target
	start              time.Time
	length             time.Duration // until the call ended
	outcome            callcare.Outcome
	rings              int // heard by the caller in all
	answeredBy         callcare.ClerkID
	wait               time.Duration // until answered
	hungUpBy           callcare.Party
	needs              callcare.NeedsSource
	rung               []rung
	// task is what the missed call's callback task went through; nil for
	// none.
	task *task
	// How the caller waited, from the call's start; a zero end: until the
	// call ended.
	holds     []span
	lineWaits []span
	transfers []transfer
}

// span is a hold (who held) or a wait in line (whose line), from the
// call's start.
type span struct {
	who      string
	from, to time.Duration
}

// transfer is a transfer by a clerk, from the call's start.
type transfer struct {
	by       callcare.ClerkID
	to       callcare.Target
	at       time.Duration
	cameBack bool
}

// task is what happened to a callback task.
type task struct {
	reason   callcare.CallbackReason
	agreed   time.Time
	attempts []attempt
	// gotThrough closes it at that moment, the citizen's own call answered.
	gotThrough time.Time
}

type attempt struct {
	clerk  callcare.ClerkID
	at     time.Time
	length time.Duration
	result callcare.AttemptResult
}

func clerk(id string) callcare.Target { return callcare.Target{Kind: callcare.TargetClerk, ID: id} }
func dept(n string) callcare.Target   { return callcare.Target{Kind: callcare.TargetDepartment, ID: n} }

// calls are the fortnight, in the order they happened.
func calls() []call {
	s := time.Second
	na := func(c string) rung { return rung{callcare.ClerkID(c), "noanswer", 3} }
	return []call{
		{id: "c01", caller: "48600000001", dialed: "101", target: clerk("jkowalska"), start: At(9, "09:00:00"), length: 3 * time.Minute,
			outcome: callcare.OutcomeAnswered, rings: 2, answeredBy: "jkowalska", wait: 8 * s, hungUpBy: callcare.PartyCaller,
			rung:  []rung{{"jkowalska", "answered", 2}},
			holds: []span{{"jkowalska", 40 * s, 70 * s}, {"jkowalska", 120 * s, 165 * s}}},
		// Answered exactly on the 3rd ring: within the procedure.
		{id: "c02", caller: "48600000002", dialed: "100", target: dept("100"), start: At(9, "09:10:00"), length: 2 * time.Minute,
			outcome: callcare.OutcomeAnswered, rings: 3, answeredBy: "mzielinski", wait: 14 * s, hungUpBy: callcare.PartyClerk,
			rung: []rung{{"jkowalska", "cancelled", 3}, {"mzielinski", "answered", 3}},
			// Transferred to transport, where nobody answered: back to him.
			transfers: []transfer{{"mzielinski", dept("200"), 60 * s, true}}},
		// A registered person with special needs, answered on the 4th
		// ring after anowak's three: not within the procedure.
		{id: "c03", caller: "48600000003", dialed: "111", target: clerk("anowak"), start: At(9, "10:00:00"), length: 5 * time.Minute,
			outcome: callcare.OutcomeAnswered, rings: 4, answeredBy: "pwisniewska", wait: 17 * s, hungUpBy: callcare.PartyCaller,
			needs: callcare.NeedsRegistry, rung: []rung{na("anowak"), {"pwisniewska", "answered", 1}},
			// Held exactly the 2 minutes after which a callback is offered,
			// then transferred to anowak, who took it.
			holds:     []span{{"pwisniewska", 60 * s, 180 * s}},
			transfers: []transfer{{"pwisniewska", clerk("anowak"), 200 * s, false}}},
		// Missed; its callback falls due exactly at closing, 15:30, and is
		// made at that second.
		{id: "c04", caller: "48600000004", dialed: "200", target: dept("200"), start: At(9, "13:29:30"), length: 30 * s,
			outcome: callcare.OutcomeMissed, rings: 6, hungUpBy: callcare.PartyService,
			rung: []rung{na("anowak"), na("pwisniewska"), na("jkowalska"), {"mzielinski", "busy", 0}},
			task: &task{reason: callcare.ReasonMissed, attempts: []attempt{{"pwisniewska", At(9, "15:30:00"), time.Minute, callcare.AttemptReached}}}},
		// Given up on the 2nd ring: not a failure of P4a; called back the
		// next morning, after its due time.
		{id: "c05", caller: "48600000005", dialed: "111", target: clerk("anowak"), start: At(9, "14:00:00"), length: 10 * s,
			outcome: callcare.OutcomeAbandoned, rings: 2, hungUpBy: callcare.PartyCaller,
			rung: []rung{{"anowak", "cancelled", 2}},
			// Hung up in the department's line, 6 s in.
			lineWaits: []span{{"200", 4 * s, 0}},
			task: &task{reason: callcare.ReasonAbandoned, attempts: []attempt{
				{"anowak", At(10, "09:00:00"), 30 * s, callcare.AttemptNoAnswer},
				{"anowak", At(10, "10:00:00"), 5 * time.Minute, callcare.AttemptReached}}}},
		// After hours on Tuesday; the next opening is Thursday, the 11th
		// being Independence Day; called back at the opening minute.
		{id: "c06", caller: "48600000006", dialed: "100", target: dept("100"), start: At(10, "16:30:00"), length: 40 * s,
			outcome: callcare.OutcomeAfterHours, hungUpBy: callcare.PartyCaller,
			task: &task{reason: callcare.ReasonAfterHours, attempts: []attempt{{"jkowalska", At(12, "07:30:00"), 3 * time.Minute, callcare.AttemptReached}}}},
		// On the holiday, through the dedicated line (special needs).
		{id: "c07", caller: "48600000007", dialed: "500", target: dept("100"), start: At(11, "10:00:00"), length: 30 * s,
			outcome: callcare.OutcomeAfterHours, hungUpBy: callcare.PartyCaller, needs: callcare.NeedsLine,
			task: &task{reason: callcare.ReasonAfterHours, attempts: []attempt{{"mzielinski", At(12, "08:00:00"), 2 * time.Minute, callcare.AttemptReached}}}},
		// Goes on past midnight: it counts on Thursday, the day it began.
		// Anonymous: nobody to call back.
		{id: "c08", caller: "anonymous", dialed: "100", target: dept("100"), start: At(12, "23:59:50"), length: 50 * s,
			outcome: callcare.OutcomeAfterHours, hungUpBy: callcare.PartyCaller},
		{id: "c09", caller: "48600000009", dialed: "111", target: clerk("anowak"), start: At(13, "09:00:00"), length: 4 * time.Minute,
			outcome: callcare.OutcomeAnswered, rings: 1, answeredBy: "anowak", wait: 3 * s, hungUpBy: callcare.PartyClerk,
			rung: []rung{{"anowak", "answered", 1}},
			// The clerk hung up on hold: the hold lasted until the end.
			holds: []span{{"anowak", 3 * time.Minute, 0}}},
		{id: "c10", caller: "48600000010", dialed: "999", start: At(13, "09:30:00"), length: 10 * s,
			outcome: callcare.OutcomeUnrouted, hungUpBy: callcare.PartyService},
		// For a clerk who has left since: no longer in the directory.
		{id: "c11", caller: "48600000011", dialed: "119", target: clerk("xformer"), start: At(13, "10:00:00"), length: time.Minute,
			outcome: callcare.OutcomeAnswered, rings: 2, answeredBy: "xformer", wait: 9 * s, hungUpBy: callcare.PartyCaller,
			rung:      []rung{{"xformer", "answered", 2}},
			lineWaits: []span{{"100", 0, 8 * s}},
			transfers: []transfer{{"xformer", dept("100"), 30 * s, true}}},
		// The service stopped during it: no outcome, ever.
		{id: "c12", caller: "48600000012", dialed: "101", target: clerk("jkowalska"), start: At(13, "11:00:00"),
			rung: []rung{{"jkowalska", "", 1}},
			// In line when the service stopped: how long is not known.
			lineWaits: []span{{"100", 2 * s, 0}}},
		// Missed; the citizen agreed a time; called 40 s after it.
		{id: "c13", caller: "48600000013", dialed: "102", target: clerk("mzielinski"), start: At(12, "12:00:00"), length: 30 * s,
			outcome: callcare.OutcomeMissed, rings: 6, hungUpBy: callcare.PartyService,
			rung: []rung{na("mzielinski"), na("jkowalska")},
			task: &task{reason: callcare.ReasonMissed, agreed: At(13, "10:00:00"), attempts: []attempt{{"mzielinski", At(13, "10:00:40"), 6 * time.Minute, callcare.AttemptReached}}}},
		// Given up on the 5th ring, after the procedure's three: counts
		// against P4a. Agreed time; called 20 minutes late.
		{id: "c14", caller: "48600000014", dialed: "101", target: clerk("jkowalska"), start: At(12, "12:30:00"), length: 25 * s,
			outcome: callcare.OutcomeAbandoned, rings: 5, hungUpBy: callcare.PartyCaller,
			rung: []rung{na("jkowalska"), {"mzielinski", "cancelled", 2}},
			task: &task{reason: callcare.ReasonAbandoned, agreed: At(13, "11:00:00"), attempts: []attempt{{"jkowalska", At(13, "11:20:00"), 4 * time.Minute, callcare.AttemptReached}}}},
		// Agreed for a time still ahead when the report is made.
		{id: "c15", caller: "48600000015", dialed: "200", target: dept("200"), start: At(13, "14:00:00"), length: 30 * s,
			outcome: callcare.OutcomeMissed, rings: 6, hungUpBy: callcare.PartyService,
			rung: []rung{na("anowak"), na("pwisniewska"), na("jkowalska"), na("mzielinski")},
			task: &task{reason: callcare.ReasonMissed, agreed: At(30, "14:00:00")}},
		// Special needs; agreed for 15:00 and never called.
		{id: "c16", caller: "48600000016", dialed: "100", target: dept("100"), start: At(13, "14:30:00"), length: 15 * s,
			outcome: callcare.OutcomeMissed, rings: 3, hungUpBy: callcare.PartyService, needs: callcare.NeedsRegistry,
			rung: []rung{na("jkowalska"), na("mzielinski")},
			task: &task{reason: callcare.ReasonMissed, agreed: At(13, "15:00:00")}},
		// Never called back: overdue since Monday the 16th.
		{id: "c17", caller: "48600000017", dialed: "111", target: clerk("anowak"), start: At(13, "15:00:00"), length: 45 * s,
			outcome: callcare.OutcomeMissed, rings: 9, hungUpBy: callcare.PartyService,
			rung: []rung{na("anowak"), na("pwisniewska"), na("jkowalska"), na("mzielinski")},
			task: &task{reason: callcare.ReasonMissed}},
		// This morning: due at 13:30, after the report is made.
		{id: "c18", caller: "48600000018", dialed: "200", target: dept("200"), start: At(30, "11:30:00"), length: 30 * s,
			outcome: callcare.OutcomeMissed, rings: 6, hungUpBy: callcare.PartyService,
			rung: []rung{na("anowak"), na("pwisniewska"), {"jkowalska", "busy", 0}, na("mzielinski")},
			task: &task{reason: callcare.ReasonMissed}},
		// The citizen called again 40 minutes later and got through.
		{id: "c19", caller: "48600000019", dialed: "100", target: dept("100"), start: At(10, "09:00:00"), length: 15 * s,
			outcome: callcare.OutcomeMissed, rings: 3, hungUpBy: callcare.PartyService,
			rung: []rung{na("jkowalska"), na("mzielinski")},
			task: &task{reason: callcare.ReasonMissed, gotThrough: At(10, "09:40:00")}},
	}
}

// Record is call c as the service keeps it.
func (c call) record() callcare.CallRecord {
	r := callcare.CallRecord{
		ID: c.id, CallerID: callcare.Number(c.caller), Dialed: c.dialed, Target: c.target,
		StartedAt: c.start, Outcome: c.outcome, RingsHeard: c.rings, HungUpBy: c.hungUpBy, Needs: c.needs,
		AnsweredBy: c.answeredBy,
	}
	if c.hungUpBy == callcare.PartyClerk {
		r.HungUpClerk = c.answeredBy
	}
	if c.outcome != "" {
		r.EndedAt = c.start.Add(c.length)
	}
	if c.answeredBy != "" {
		r.AnsweredAt = c.start.Add(c.wait)
	}
	at := c.start.Add(100 * time.Millisecond)
	for _, g := range c.rung {
		a := callcare.Attempt{Clerk: g.clerk, Via: c.target, DialedAt: at, Result: g.result, Rings: g.rings}
		if g.rings > 0 {
			a.RingingAt = at.Add(500 * time.Millisecond)
		}
		if g.result != "" {
			a.EndedAt = at.Add(time.Second + time.Duration(g.rings)*5*time.Second)
		}
		if g.clerk == c.answeredBy {
			r.AnsweredRing = g.rings
		}
		r.Attempts = append(r.Attempts, a)
	}
	end := func(d time.Duration) time.Time {
		if d == 0 {
			return time.Time{}
		}
		return c.start.Add(d)
	}
	for _, h := range c.holds {
		r.Holds = append(r.Holds, callcare.Hold{Clerk: callcare.ClerkID(h.who), From: c.start.Add(h.from), To: end(h.to)})
	}
	for _, w := range c.lineWaits {
		r.LineWaits = append(r.LineWaits, callcare.LineWait{Department: w.who, From: c.start.Add(w.from), To: end(w.to)})
	}
	for _, x := range c.transfers {
		r.Transfers = append(r.Transfers, callcare.Transfer{By: x.by, To: x.to, At: c.start.Add(x.at), CameBack: x.cameBack})
	}
	return r
}

// Load writes the fortnight into s as the service would have: each call,
// each missed call's task (made by the policy at the call's end), its
// agreed time, its attempts journaled before and finished after, and the
// citizen's own call closing a task.
func Load(ctx context.Context, s Store) error {
	r := rules()
	for _, c := range calls() {
		rec := c.record()
		if err := s.SaveCall(ctx, rec); err != nil {
			return err
		}
		if c.task == nil {
			continue
		}
		t, ok := r.TaskFor(rec, c.task.reason, c.needs, rec.EndedAt)
		if !ok {
			return fmt.Errorf("call %s makes no task", c.id)
		}
		t, _, err := s.MissedCall(ctx, t)
		if err != nil {
			return err
		}
		if !c.task.agreed.IsZero() {
			if err := s.Schedule(ctx, t.ID, c.task.agreed); err != nil {
				return err
			}
		}
		for i, a := range c.task.attempts {
			at, err := s.StartAttempt(ctx, t.ID, a.clerk, fmt.Sprintf("%s-callback-%d", c.id, i+1), a.at)
			if err != nil {
				return err
			}
			cur, err := s.Callback(ctx, t.ID)
			if err != nil {
				return err
			}
			next, close := r.AfterAttempt(cur, a.result, a.at.Add(a.length))
			if _, err := s.FinishAttempt(ctx, t.ID, at.Seq, a.result, a.at.Add(a.length), next, close); err != nil {
				return err
			}
		}
		if !c.task.gotThrough.IsZero() {
			if _, err := s.CloseCallbacks(ctx, t.Number, callcare.ResolvedGotThrough, "citizen", c.task.gotThrough); err != nil {
				return err
			}
		}
	}
	return nil
}
