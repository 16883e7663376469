package policy

import (
	"slices"
	"time"

	"github.com/callcare/callcare"
)

// CallbackRules are the office's promises about calling back (P4c, P4m).
type CallbackRules struct {
	Hours callcare.OfficeHours
	// Promise is the office time within which a missed call is called back;
	// SpecialNeedsPromise the shorter one for people with special needs (P5.3).
	Promise             time.Duration
	SpecialNeedsPromise time.Duration
	Retry               []Retry // after the 1st, 2nd... failed attempt; the last repeats
	MaxAttempts         int
}

// Retry is one step of the retry schedule: office time to wait, or the next
// office day.
type Retry struct {
	After   time.Duration
	NextDay bool
}

// SpecialNeeds is how the service knows a caller has special needs (P5.3):
// the registry of numbers kept with consent, and the dedicated lines.
type SpecialNeeds struct {
	Numbers []callcare.Number // in CallableNumber form
	Lines   []string          // dialed numbers of the dedicated lines
}

// NeedsOf tells whether a call comes from a person with special needs, and
// how the service knows.
func (s SpecialNeeds) NeedsOf(callerID callcare.Number, dialed string) callcare.NeedsSource {
	if slices.Contains(s.Lines, dialed) {
		return callcare.NeedsLine
	}
	if n, ok := callcare.CallableNumber(callerID); ok && slices.Contains(s.Numbers, n) {
		return callcare.NeedsRegistry
	}
	return callcare.NeedsNone
}

// TaskFor is P4c: every call nobody answered becomes a callback task, due
// within the promise in office time, or at the next opening when the office
// is closed. An anonymous or malformed caller id cannot be called back, and
// a number that reaches nobody has nobody to call back: no task.
func (r CallbackRules) TaskFor(rec callcare.CallRecord, reason callcare.CallbackReason, needs callcare.NeedsSource, now time.Time) (callcare.CallbackTask, bool) {
	number, ok := callcare.CallableNumber(rec.CallerID)
	if !ok || rec.Target.Kind == "" {
		return callcare.CallbackTask{}, false
	}
	t := callcare.CallbackTask{
		Number: number, Dialed: rec.Dialed, Target: rec.Target, Reason: reason,
		Needs: needs, CallID: rec.ID, FirstAt: rec.StartedAt, LastAt: rec.StartedAt, Tries: 1,
		Status: callcare.CallbackOpen,
	}
	promise := r.Promise
	if needs != callcare.NeedsNone {
		t.Priority = callcare.PrioritySpecialNeeds
		promise = r.SpecialNeedsPromise
	}
	t.Due = r.dueWithin(now, promise)
	return t, true
}

// dueWithin is a promise counted from now in office time, or the next
// opening when the office is closed.
func (r CallbackRules) dueWithin(now time.Time, promise time.Duration) time.Time {
	if r.Hours.IsOpen(now) {
		return r.Hours.AddOfficeTime(now, promise)
	}
	return r.Hours.NextOpening(now)
}

// SpecialDue is when a task of a person with special needs is due at the
// latest, counted from now (P5.3): the special needs promise in office
// time, or the next opening when the office is closed. A task whose
// caller is flagged later becomes due no later than this.
func (r CallbackRules) SpecialDue(now time.Time) time.Time {
	return r.dueWithin(now, r.SpecialNeedsPromise)
}

// AfterAttempt decides what follows a callback attempt: the task closes
// (reached, wrong number, or unreachable once the schedule is used up), or
// the next attempt waits by the retry schedule, within office hours.
func (r CallbackRules) AfterAttempt(t callcare.CallbackTask, res callcare.AttemptResult, now time.Time) (next time.Time, close callcare.Resolution) {
	switch res {
	case callcare.AttemptReached:
		return time.Time{}, callcare.ResolvedReached
	case callcare.AttemptWrongNumber:
		return time.Time{}, callcare.ResolvedWrongNumber
	}
	if res != callcare.AttemptClerkAbsent && t.Attempts >= r.MaxAttempts {
		return time.Time{}, callcare.ResolvedUnreachable
	}
	if len(r.Retry) == 0 {
		return r.Hours.NextOpening(now), ""
	}
	step := r.Retry[min(max(t.Attempts-1, 0), len(r.Retry)-1)]
	if step.NextDay {
		return r.Hours.NextOfficeDay(now), ""
	}
	return r.Hours.AddOfficeTime(r.Hours.NextOpening(now), step.After), ""
}
