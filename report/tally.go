package report

import (
	"slices"
	"time"

	"github.com/callcare/callcare"
)

// Options are what the report needs besides the records.
type Options struct {
	// Directory names the clerks and departments, and says which
	// department a clerk belongs to.
	Directory *callcare.Directory
	// Procedure gives P4a's count of rings.
	Procedure callcare.Procedure
	// Hours are the office hours, in which callback times are counted;
	// their Location draws the office's days.
	Hours callcare.OfficeHours
	// Now is when the figures are counted: a callback not made yet is
	// overdue once its promise has passed Now, pending before.
	Now time.Time
}

func (o Options) loc() *time.Location {
	if o.Hours.Location == nil {
		return time.UTC
	}
	return o.Hours.Location
}

// Day is the office's calendar day of t, YYYY-MM-DD.
func (o Options) Day(t time.Time) string { return t.In(o.loc()).Format(time.DateOnly) }

// DaySpan is the span of the office's day (YYYY-MM-DD): [start, end), 23
// or 25 hours when the clocks change.
func (o Options) DaySpan(day string) (start, end time.Time, err error) {
	d, err := time.ParseInLocation(time.DateOnly, day, o.loc())
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, o.loc()), time.Date(y, m, dd+1, 0, 0, 0, 0, o.loc()), nil
}

func (o Options) ringLimit() int {
	if o.Procedure.AnswerWithinRings < 1 {
		return callcare.DefaultProcedure.AnswerWithinRings
	}
	return o.Procedure.AnswerWithinRings
}

// Records are the records the figures are counted from.
type Records struct {
	Calls    []callcare.CallRecord
	Tasks    []callcare.CallbackTask
	Attempts map[int64][]callcare.CallbackAttempt // by task id
}

// Tally counts records into figures, by the office's day and by scope:
//
//   - A call counts on the day it started, in the office's scope, in its
//     department's (the department it was for, or the department of the
//     clerk it was for) and in its group of callers (special needs or
//     not): the caller's view. A call that spans midnight counts once, on
//     the day it started.
//   - Each time a clerk's phone was rung counts in the clerk's scope: the
//     phone's view. So does P4l, for the clerk who answered.
//   - A callback task counts on the day of its first missed call, in the
//     office's scope, in the scope of whoever owes the callback (the
//     clerk, and the clerk's department; or the department) and in its
//     group of callers.
func Tally(r Records, o Options) Days {
	d := Days{}
	for _, c := range r.Calls {
		tallyCall(d, c, o)
	}
	for _, t := range r.Tasks {
		tallyTask(d, t, r.Attempts[t.ID], o)
	}
	return d
}

func groupOf(needs callcare.NeedsSource, p callcare.Priority) Scope {
	if needs != callcare.NeedsNone || p > callcare.PriorityNormal {
		return Scope{Kind: ScopeGroup, Key: GroupSpecial}
	}
	return Scope{Kind: ScopeGroup, Key: GroupOthers}
}

// scopesOf are the office, the target's department (and the clerk, if
// withClerk and the target is one), and the group.
func scopesOf(t callcare.Target, group Scope, withClerk bool, o Options) []Scope {
	s := []Scope{office}
	switch t.Kind {
	case callcare.TargetDepartment:
		s = append(s, Scope{Kind: ScopeDepartment, Key: t.ID})
	case callcare.TargetClerk:
		if withClerk {
			s = append(s, Scope{Kind: ScopeClerk, Key: t.ID})
		}
		if dep := departmentOf(callcare.ClerkID(t.ID), o); dep != "" {
			s = append(s, Scope{Kind: ScopeDepartment, Key: dep})
		}
	}
	return append(s, group)
}

func departmentOf(id callcare.ClerkID, o Options) string {
	if o.Directory == nil {
		return ""
	}
	if c, ok := o.Directory.Clerk(id); ok {
		return c.Department
	}
	return ""
}

func tallyCall(d Days, c callcare.CallRecord, o Options) {
	day := o.Day(c.StartedAt)
	limit := o.ringLimit()
	// A callback a clerk passed on to a colleague is the office's call,
	// answered by no ring: P4a's counts leave it and its first attempt
	// out; how its citizen waited (holds, transfers) and the transfer's
	// rings count as any call's.
	callback := c.Origin == callcare.OriginCallback
	for _, s := range scopesOf(c.Target, groupOf(c.Needs, 0), false, o) {
		if !callback {
			countCall(d.at(day, s), c, limit)
		}
		countLater(d.at(day, s), c, func(Period) bool { return true }, func(Transfer) bool { return true })
	}
	for i, a := range c.Attempts {
		if a.Clerk == "" {
			continue // Asterisk's Local channel after a transfer out of the service: no clerk's phone
		}
		if callback && i == 0 {
			continue // the callback itself
		}
		countRung(d.at(day, Scope{Kind: ScopeClerk, Key: string(a.Clerk)}), a, limit)
	}
	if c.Outcome == callcare.OutcomeAnswered && c.AnsweredBy != "" {
		d.at(day, Scope{Kind: ScopeClerk, Key: string(c.AnsweredBy)}) // a row, even for a record without attempts
	}
	if c.Outcome == callcare.OutcomeAnswered && c.HungUpBy == callcare.PartyClerk && c.HungUpClerk != "" {
		// P4l counts against whoever hung up: after a transfer, the clerk
		// it went to, not the one who answered first; nobody's when the
		// party who hung up was outside the service (a phone's transfer
		// elsewhere).
		d.at(day, Scope{Kind: ScopeClerk, Key: string(c.HungUpClerk)}).ClerkHungUp++
	}
	// A clerk's holds and transfers count in that clerk's scope.
	clerks := map[callcare.ClerkID]bool{}
	for _, p := range holdsOf(c) {
		clerks[p.Clerk] = true
	}
	for _, t := range transfersOf(c) {
		clerks[t.From] = true
	}
	for id := range clerks {
		countLater(d.at(day, Scope{Kind: ScopeClerk, Key: string(id)}), c,
			func(p Period) bool { return p.Clerk == id }, func(t Transfer) bool { return t.From == id })
	}
}

// countCall counts a call in the caller's view.
func countCall(f *Figures, c callcare.CallRecord, limit int) {
	f.Calls++
	switch c.Outcome {
	case callcare.OutcomeAnswered, callcare.OutcomeInterrupted:
		// Interrupted: answered, and the service lost sight of the end.
		f.Answered++
		f.Due++
		if c.RingsHeard <= limit {
			f.InRings++
		}
		f.AnsweredOn[min(max(c.RingsHeard, 1), len(f.AnsweredOn))-1]++
		f.AnswerWait.Add(c.WaitToAnswer())
		if c.HungUpBy == callcare.PartyClerk {
			f.ClerkHungUp++
		}
	case callcare.OutcomeMissed:
		f.Missed++
		f.Due++
	case callcare.OutcomeAbandoned:
		f.Abandoned++
		// A caller who gave up within the rings was not kept waiting past
		// them; one who gave up later was.
		if c.RingsHeard > limit {
			f.Due++
		}
	case callcare.OutcomeAfterHours:
		f.AfterHours++
	case callcare.OutcomeUnrouted:
		f.Unrouted++
	case callcare.OutcomeCallback:
		f.CallbackAsked++
	case callcare.OutcomeFailed, callcare.OutcomeFallback:
		// Fallback: the service could not carry the call and the dialplan
		// rang a person without it; whether one answered is not known.
		f.Failed++
	default:
		f.Unfinished++
	}
}

// countLater counts how the caller waited (later.go): the periods and
// transfers keep selects.
func countLater(f *Figures, c callcare.CallRecord, keep func(Period) bool, keepT func(Transfer) bool) {
	end := c.EndedAt
	if c.Outcome == callcare.OutcomeInterrupted {
		// Closed when the service came back: how long a wait still open
		// then lasted is not known, and the outage is no hold.
		end = time.Time{}
	}
	f.HoldCalls++
	for _, p := range holdsOf(c) {
		if keep(p) {
			f.Hold.Add(p.length(end))
		}
	}
	f.LineCalls++
	for _, p := range lineWaitsOf(c) {
		if keep(p) {
			f.Line.Add(p.length(end))
		}
	}
	f.TransferCalls++
	for _, t := range transfersOf(c) {
		if keepT(t) {
			f.Transfers++
			if t.CameBack {
				f.TransfersBack++
			}
		}
	}
}

// countRung counts one ringing of a clerk's phone.
func countRung(f *Figures, a callcare.Attempt, limit int) {
	f.Rung++
	switch a.Result {
	case "answered":
		f.RungAnswered++
		if a.Rings <= limit {
			f.RungInRings++
		}
	case "noanswer":
		f.RungNotAnswered++
	case "busy":
		f.RungBusy++
	case "unavailable", "congestion", "failed":
		f.RungUnreachable++
	}
}

func tallyTask(d Days, t callcare.CallbackTask, attempts []callcare.CallbackAttempt, o Options) {
	day := o.Day(t.FirstAt)
	attempts = slices.Clone(attempts)
	slices.SortFunc(attempts, func(a, b callcare.CallbackAttempt) int { return a.Seq - b.Seq })
	var count func(*Figures)
	if t.AgreedAt.IsZero() {
		count = callbackCounter(t, attempts, o)
	} else {
		count = agreedCounter(t, attempts, o)
	}
	for _, s := range scopesOf(t.Target, groupOf(t.Needs, t.Priority), true, o) {
		count(d.at(day, s))
	}
}

// calledBack is when the office called the citizen back: its first
// attempt from, an attempt nobody took aside; else, for a closed task, its
// closing (the citizen got through, a clerk's own call reached them, a
// clerk closed it).
func calledBack(t callcare.CallbackTask, attempts []callcare.CallbackAttempt, from time.Time) (time.Time, bool) {
	for _, a := range attempts {
		if a.Result != callcare.AttemptClerkAbsent && !a.StartedAt.Before(from) {
			return a.StartedAt, true
		}
	}
	if t.Status == callcare.CallbackDone && !t.ClosedAt.IsZero() {
		return t.ClosedAt, true
	}
	return time.Time{}, false
}

// callbackCounter counts a task without an agreed time (P4c): called back
// within its promise (Due), or late, or not yet.
func callbackCounter(t callcare.CallbackTask, attempts []callcare.CallbackAttempt, o Options) func(*Figures) {
	at, ok := calledBack(t, attempts, time.Time{})
	took := o.Hours.OfficeTime(t.FirstAt, at)
	bucket := len(CallbackBounds)
	for i, b := range CallbackBounds {
		if took <= b {
			bucket = i
			break
		}
	}
	return func(f *Figures) {
		f.Callbacks++
		if t.Resolution == callcare.ResolvedUnreachable {
			f.CallbackGaveUp++
		}
		switch {
		case ok && (t.Due.IsZero() || !at.After(t.Due)):
			f.CallbackOnTime++
		case ok:
			f.CallbackLate++
		case !t.Due.IsZero() && o.Now.After(t.Due):
			f.CallbackOverdue++
		default:
			f.CallbackPending++
		}
		if ok {
			f.CallbackTime.Add(took)
			f.CallbackTimes[bucket]++
		}
	}
}

// agreedCounter counts a task with an agreed time (P4m): the first attempt
// from AgreedGrace before that time on, or the task's closing, is how late
// it was called.
func agreedCounter(t callcare.CallbackTask, attempts []callcare.CallbackAttempt, o Options) func(*Figures) {
	at, ok := calledBack(t, attempts, t.AgreedAt.Add(-AgreedGrace))
	late := max(at.Sub(t.AgreedAt), 0)
	return func(f *Figures) {
		f.Agreed++
		switch {
		case ok && late <= AgreedGrace:
			f.AgreedOnTime++
		case ok:
			f.AgreedLate++
		case o.Now.After(t.AgreedAt.Add(AgreedGrace)):
			f.AgreedMissed++
		default:
			f.AgreedPending++
		}
		if ok {
			f.AgreedLateness.Add(late)
		}
	}
}
