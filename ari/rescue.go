package ari

import (
	"context"
	"runtime/debug"
	"time"

	"github.com/CyCoreSystems/ari/v5"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

// Event times: ring counts use Asterisk's own time of an event; the
// service's clock says only when to act.
const (
	// lateEvent: an event later than this is logged (a busy Asterisk, a
	// slow network).
	lateEvent = 500 * time.Millisecond
	// untrustedSkew: an event time this far from the service's clock is
	// a clock set wrong, not a late event: it is not used.
	untrustedSkew = 10 * time.Second
)

// stamp reads an event's time for the policy; zero when the policy should
// take its own now.
func (f *flow) stamp(ts ari.DateTime, what string) time.Time {
	at := time.Time(ts)
	if at.IsZero() {
		return time.Time{}
	}
	late := f.svc.clock.Now().Sub(at)
	switch {
	case late > untrustedSkew || late < -untrustedSkew:
		if !f.skewWarned {
			f.skewWarned = true
			f.log.Warn("Asterisk's clock and the service's disagree: event times are not used", "event", what, "off_by", late.Round(time.Millisecond))
		}
		return time.Time{}
	case late > lateEvent:
		f.log.Warn("an event came late; rings are counted from Asterisk's time of it", "event", what, "late", late.Round(time.Millisecond))
	}
	return at
}

// rescue ends a call whose goroutine panicked, and only that call: the
// citizen goes to the dialplan's fallback, everything else of the call is
// hung up, and the log says what happened. The process goes on.
func (f *flow) rescue(ctx context.Context, p any) {
	f.log.Error("a call failed inside the service; it goes to the dialplan's fallback", "panic", p, "stack", string(debug.Stack()))
	if f.m != nil && f.tryStep(ctx, policy.Stuck{Why: "panic"}) {
		return
	}
	// The policy cannot say what to do: the shell ends the call itself.
	legs := map[string]bool{}
	for id := range f.originated {
		legs[id] = true
	}
	for id := range f.legClerk {
		legs[id] = true
	}
	for id := range legs {
		if id != f.own {
			f.svc.hangupUntilGone(id, "hang up a leg of a failed call")
		}
	}
	if f.own != "" {
		if _, citizen := f.ownGone.(policy.CallerGone); citizen {
			f.svc.fallbackLater(f.own, "")
		} else {
			f.svc.hangupUntilGone(f.own, "hang up a failed session")
		}
	}
	if f.bridge != "" {
		f.svc.logErr("destroy a failed call's bridge", f.svc.client.DestroyBridge(ctx, f.bridge))
	}
	f.saveFailed(ctx)
}

// tryStep feeds the machine one more event after a panic, guarded; it
// tells whether the machine ended.
func (f *flow) tryStep(ctx context.Context, ev policy.Event) (ended bool) {
	defer func() {
		if p := recover(); p != nil {
			f.log.Error("the call failed again on its way out", "panic", p)
			ended = false
		}
	}()
	f.execute(ctx, f.m.Step(ev, f.svc.clock.Now()))
	return f.m.Done()
}

// saveFailed records a failed citizen's call as handed to the fallback,
// as far as its record can still be read.
func (f *flow) saveFailed(ctx context.Context) {
	defer func() {
		if p := recover(); p != nil {
			f.log.Error("the failed call's record cannot be saved", "panic", p)
		}
	}()
	r, ok := f.m.(recorder)
	if !ok {
		return
	}
	rec := r.Record()
	if rec.ID == "" {
		return
	}
	rec.Outcome, rec.EndedAt, rec.HungUpBy = callcare.OutcomeFallback, f.svc.clock.Now(), callcare.PartyService
	f.svc.saver.save(rec) // after any version still waiting to be written
}
