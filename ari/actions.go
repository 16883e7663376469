package ari

import (
	"context"
	"strings"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

// execute carries out the policy's actions in order. A result the policy
// needs (a failure, a claimed task) comes back as an event through the
// inbox; a channel already gone is the normal end of a race and says
// nothing.
func (f *flow) execute(ctx context.Context, acts []policy.Action) {
	for _, a := range acts {
		switch a := a.(type) {
		case policy.Save:
			if f.logged {
				f.svc.saver.save(a.Record)
			} else {
				f.svc.saver.saveNow(ctx, a.Record)
				f.logged = true
			}
		case policy.SaveNow:
			f.svc.saver.saveNow(ctx, a.Record)
			f.logged = true
		case policy.RingCaller:
			if !f.rung { // the dialplan rang it before Stasis: nothing to do
				f.stuckUnless("ring the caller", f.svc.client.Ring(ctx, f.own))
			}
		case policy.DialClerk:
			f.dialClerk(ctx, a)
		case policy.HangupLeg:
			if f.neverMade(a.Leg) {
				continue // found busy before it was made: nothing to hang up
			}
			f.log.Info("leaving leg", "leg", a.Leg, "reason", a.Reason)
			if f.endsItself[a.Leg] {
				continue // the phone refused an originated leg: Asterisk ends it (trace originate-busy)
			}
			f.asked[a.Leg] = true
			if err := f.svc.client.Hangup(ctx, a.Leg, a.Reason); !f.check("hang up leg", err) && !IsNotFound(err) {
				f.svc.hangupUntilGone(a.Leg, "hang up a clerk's leg")
			}
		case policy.Connect:
			f.join(ctx, a.Leg, true)
		case policy.Join:
			f.join(ctx, a.Leg, false)
		case policy.Answer:
			f.answer(ctx)
		case policy.Play:
			f.say(ctx, a.Playback, "sound:"+a.Sound)
		case policy.Say:
			f.say(ctx, a.Playback, a.Media...)
		case policy.StopPlayback:
			f.check("stop playback", f.svc.client.StopPlayback(ctx, a.Playback))
		case policy.HangupCaller:
			f.asked[f.own] = true
			if err := f.svc.client.Hangup(ctx, f.own, a.Reason); !f.check("hang up", err) && !IsNotFound(err) {
				f.svc.hangupUntilGone(f.own, "hang up the caller")
			}
		case policy.Fallback:
			f.fallback(ctx, a.Exten)
		case policy.Originate:
			f.originate(ctx, a)
		case policy.Record:
			f.record(ctx, a)
		case policy.Resync:
			f.resync(ctx, a.Legs)
		case policy.OwnChannel:
			f.ownChannel(a)
		case policy.Finish:
			f.finish(ctx)
		case policy.Routed:
			for _, w := range a.Warnings {
				f.log.Warn("forwards loop at call time", "why", w)
			}
			logForwarded(f.log, a.Forwarded)
		default:
			if !f.executeWaiting(ctx, a) {
				f.executeTask(ctx, a)
			}
		}
	}
}

// executeTask carries out what concerns callback tasks: the store's work.
func (f *flow) executeTask(ctx context.Context, a policy.Action) {
	cb, q, now := f.svc.store.Callbacks, f.svc.store.Queue, f.svc.clock.Now()
	switch a := a.(type) {
	case policy.CreateTask:
		if a.Record.ID != "" {
			f.svc.saver.saveNow(ctx, a.Record) // the record says how the call ended first
		}
		t, created, err := cb.MissedCall(ctx, a.Task)
		if err != nil {
			// The caller may have been told already that they will be
			// called back (P4c): the task is not given up.
			f.svc.recordTaskLater(a.Task, err, f.log.With("number", a.Task.Number))
			return
		}
		f.svc.taskRecorded(ctx, a.Task, t, created, f.log)
	case policy.CloseTasks:
		f.svc.tasksClosed(a.Number)
		f.write(ctx, "close callback tasks", func(ctx context.Context) error {
			n, err := cb.CloseCallbacks(ctx, a.Number, a.Resolution, "citizen", now)
			if err == nil && n > 0 {
				f.log.Info("callback tasks closed: the citizen got through", "tasks", n)
			}
			return err
		})
	case policy.FlagNeeds:
		f.write(ctx, "flag special needs", func(ctx context.Context) error { return cb.RaisePriority(ctx, a.Number, a.Needs, a.Due) })
	case policy.CountQueue:
		own, dept, err := q.CountWaiting(ctx, a.Clerk, a.Department, now, a.Covering...)
		f.check("count callbacks", err)
		f.in.push(policy.QueueCounted{Own: own, Department: dept})
	case policy.ClaimNext:
		t, ok, err := q.ClaimNext(ctx, a.Clerk, a.Department, a.Skip, now, f.set.ClaimFor, a.Covering...)
		f.check("claim a callback", err)
		f.in.push(policy.TaskClaimed{Task: t, OK: ok && err == nil})
	case policy.ReleaseTask:
		f.check("release a callback", q.Release(ctx, a.Task, f.claimer))
	case policy.MarkDone:
		f.write(ctx, "mark a callback done", func(ctx context.Context) error { return cb.MarkDone(ctx, a.Task, a.Resolution, string(a.By), now) })
	case policy.StartAttempt:
		att, err := q.StartAttempt(ctx, a.Task, a.Clerk, a.Channel, now)
		f.check("journal a callback attempt", err)
		f.in.push(policy.AttemptStarted{Attempt: att, OK: err == nil})
	case policy.FinishAttempt:
		_, err := q.FinishAttempt(ctx, a.Task, a.Seq, a.Result, now, a.Next, a.Close)
		f.check("record a callback attempt", err)
		if a.Close == "" {
			f.check("release a callback", q.Release(ctx, a.Task, f.claimer))
		}
		f.log.Info("callback attempt", "task", a.Task, "attempt", a.Seq, "result", a.Result, "closed", a.Close)
	case policy.Schedule:
		// The clerk heard the time said back: it is not lost to a refusal.
		f.write(ctx, "agree a callback time", func(ctx context.Context) error {
			err := cb.Schedule(ctx, a.Task, a.At)
			if err == nil {
				f.log.Info("callback time agreed", "task", a.Task, "at", a.At)
			}
			return err
		})
	case policy.SetForward, policy.ClearForward:
		f.executeForward(ctx, a)
	case policy.AddNotice, policy.AgreeMeeting:
		f.executeMatters(ctx, a)
	case policy.MarkOverdue:
		f.log.Warn("agreed callback overdue: nobody took it", "task", a.Task)
		var escalated time.Time // the report only, unless the head was rung
		if f.set.EscalateToHead {
			escalated = now
		}
		f.check("mark a callback overdue", cb.SetOverdue(ctx, a.Task, escalated))
	}
}

func (f *flow) dialClerk(ctx context.Context, a policy.DialClerk) {
	if f.busyHere(a) {
		return
	}
	// Route the leg before making it: its Dial events can come before the
	// answer to the request.
	f.route(a.Leg)
	f.legClerk[a.Leg] = a.Clerk.ID
	f.originated[a.Leg] = true
	f.log.Info("ringing clerk", "clerk", a.Clerk.ID, "endpoint", a.Clerk.Endpoint, "leg", a.Leg)
	// One request: originated, the leg rings at once and enters the
	// application only when answered (create and dial are two, and the
	// dial must wait for the created channel's StasisStart). Asterisk
	// rings it for at most the limit counted from now: a safety net, the
	// policy leaves the leg long before. The leg names its call and
	// clerk: a later run adopts it by them.
	err := f.svc.client.Originate(ctx, a.Leg, Outbound{
		Endpoint: a.Clerk.Endpoint, CallerID: shownAs(a.CallerName, string(a.CallerID)), Args: "dialed",
		Timeout: 2*f.set.Inbound.Procedure.RingLimit() + 5*time.Second, Originator: f.own,
		Vars: map[string]string{legCallVar: f.callID(), legClerkVar: string(a.Clerk.ID)},
	})
	if err != nil {
		if IsAllocationFailed(err) {
			// The phone cannot be reached (not registered): skipped.
			f.log.Info("the clerk's phone cannot be reached", "clerk", a.Clerk.ID, "err", err)
			f.endsItself[a.Leg] = true // never made
			f.in.push(policy.LegFailed{Leg: a.Leg, Result: "unavailable"})
			return
		}
		if IsOriginatorGone(err) {
			// The caller hung up meanwhile: nothing rang, their end is on
			// its way.
			f.endsItself[a.Leg] = true
			return
		}
		f.stuckUnless("ring clerk "+string(a.Clerk.ID), err)
	}
}

// shownAs is a caller id for a desk phone to show (P4d): `"name" <number>`,
// the name alone for a caller without a number. Both came from the
// caller's network or the directory: quotes, angle brackets and
// backslashes, which would end or escape a part, and control characters
// are left out.
func shownAs(name, number string) string {
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r == '"' || r == '<' || r == '>' || r == '\\' || r < ' ' || r == 0x7f {
				return -1
			}
			return r
		}, s)
	}
	name, number = clean(name), clean(number)
	switch {
	case name == "":
		return number
	case number == "":
		return `"` + name + `"`
	}
	return `"` + name + `" <` + number + ">"
}

// write does a write to the store a task's rules depend on; a refusal
// (a full disk, a lock held too long) is tried again until it goes in
// (storeLater), one the store gives a reason for (the task is gone or
// closed) is logged.
func (f *flow) write(ctx context.Context, what string, w func(ctx context.Context) error) {
	err := w(ctx)
	switch {
	case err == nil:
	case callcare.ErrorCode(err) == callcare.EINTERNAL:
		f.svc.storeLater(what, err, f.log, w, nil)
	default:
		f.log.Warn(what, "err", err)
	}
}

// stuckUnless: a request the call cannot do without failed for good (it
// was tried again meanwhile): the call goes to the dialplan's fallback. A
// channel already gone says nothing: its end is on its way.
func (f *flow) stuckUnless(what string, err error) {
	if err == nil || IsNotFound(err) {
		return
	}
	f.log.Warn(what+": Asterisk refused; the call goes to the dialplan's fallback", "err", err)
	f.in.push(policy.Stuck{Why: what + ": " + err.Error()})
}

// fallback hands the caller to the dialplan's fallback, which rings a
// person without the service.
func (f *flow) fallback(ctx context.Context, exten string) {
	f.log.Info("the call goes to the dialplan's fallback", "context", FallbackContext, "exten", exten)
	err := f.svc.client.Continue(ctx, f.own, FallbackContext, exten)
	switch {
	case err == nil:
		f.svc.handOver(f.own)
	case !IsNotFound(err) && !isConflict(err):
		f.svc.fallbackLater(f.own, exten)
	}
}

// originate calls out: a clerk for an agreed callback, or a citizen. A
// clerk already on a call through the service is not rung: that is busy.
func (f *flow) originate(ctx context.Context, a policy.Originate) {
	if c, ok := clerkAt(f.set.Directory, a.Endpoint); ok {
		if f.svc.isBusy(c.ID) {
			f.in.push(policy.LegFailed{Leg: a.Leg, Result: "busy"})
			return
		}
		f.legClerk[a.Leg] = c.ID
	}
	f.route(a.Leg)
	f.originated[a.Leg] = true
	f.log.Info("calling out", "leg", a.Leg, "endpoint", maskEndpoint(a.Endpoint))
	err := f.svc.client.Originate(ctx, a.Leg, Outbound{Endpoint: a.Endpoint, CallerID: shownAs(a.CallerName, a.CallerID), Args: a.Args, Timeout: a.Timeout})
	if err != nil {
		f.log.Warn("cannot call out", "leg", a.Leg, "err", err)
		// A request that timed out may still have rung the phone.
		f.check("hang up", f.svc.client.Hangup(ctx, a.Leg, "normal"))
		f.in.push(policy.LegFailed{Leg: a.Leg, Result: "failed"})
	}
}

// maskEndpoint hides a citizen's number inside a dial string.
func maskEndpoint(e string) string {
	tech, rest, ok := strings.Cut(e, "/")
	if !ok {
		return callcare.MaskNumber(e)
	}
	return tech + "/" + callcare.MaskNumber(rest)
}

func clerkAt(dir *callcare.Directory, endpoint string) (callcare.Clerk, bool) {
	for _, c := range dir.Clerks {
		if c.Endpoint == endpoint {
			return c, true
		}
	}
	return callcare.Clerk{}, false
}

// join bridges the flow's channel with a leg; connect answers the caller
// first (a citizen's call) and marks the clerk of the leg busy.
func (f *flow) join(ctx context.Context, leg string, connect bool) {
	if connect {
		if err := f.answer(ctx); err != nil {
			f.stuckUnless("answer the caller", err) // gone: StasisEnd is on its way
			return
		}
	}
	if c := f.legClerk[leg]; c != "" {
		f.markBusy(c)
	}
	bridge := f.id + "-bridge"
	var err error
	if f.bridge == "" {
		if err = f.svc.client.CreateBridge(ctx, bridge); err == nil {
			f.bridge = bridge
			f.route(bridge) // the reconciliation sees it is a call's
		}
	}
	if err == nil {
		err = f.svc.client.AddChannels(ctx, f.bridge, f.own, leg)
	}
	if err != nil && !IsNotFound(err) {
		if !connect { // a callback: the clerk stays, the attempt failed
			f.log.Warn("cannot bridge", "err", err)
			f.in.push(policy.LegFailed{Leg: leg, Result: "failed"})
			return
		}
		// Without a bridge the two cannot talk: the caller goes to the
		// fallback rather than stay on a dead line.
		f.stuckUnless("bridge the caller with the clerk", err)
		return
	}
	f.log.Info("connected", "leg", leg)
}

func (f *flow) answer(ctx context.Context) error {
	if f.answered {
		return nil
	}
	err := f.svc.client.Answer(ctx, f.own)
	f.check("answer", err)
	f.answered = err == nil
	return err
}

// say plays media to the flow's channel as one playback.
func (f *flow) say(ctx context.Context, playback string, media ...string) {
	f.route(playback)
	err := f.answer(ctx)
	if err == nil {
		err = f.svc.client.Play(ctx, f.own, playback, media...)
		f.check("play", err)
	}
	if err != nil {
		f.in.push(policy.PlaybackDone{Playback: playback})
	}
}

func (f *flow) record(ctx context.Context, a policy.Record) {
	f.route(a.Name)
	err := f.svc.client.Record(ctx, f.own, a.Name, a.MaxFor)
	if f.check("record a note", err); err != nil {
		f.in.push(policy.RecordingDone{Name: a.Name})
	}
}

// resync looks at the channels again after a gap in the events.
func (f *flow) resync(ctx context.Context, legs []string) {
	if _, err := f.svc.client.Channel(ctx, f.own); IsNotFound(err) {
		f.in.push(f.ownGone)
	}
	for _, leg := range legs {
		ch, err := f.svc.client.Channel(ctx, leg)
		switch {
		case IsNotFound(err):
			f.in.push(policy.LegGone{Leg: leg})
		case err != nil:
		case ch.State == "Up":
			f.in.push(policy.LegAnswered{Leg: leg})
		case ch.State == "Ringing":
			f.in.push(policy.LegRinging{Leg: leg})
		}
	}
}

func (f *flow) finish(ctx context.Context) {
	if r, ok := f.m.(recorder); ok && r.Record().ID != "" { // a notice without a conversation keeps none
		rec := r.Record()
		f.log.Info("call ends", "outcome", rec.Outcome, "answered_by", rec.AnsweredBy, "ring", rec.AnsweredRing, "hung_up_by", rec.HungUpBy)
	}
	if f.bridge != "" {
		f.check("destroy bridge", f.svc.client.DestroyBridge(ctx, f.bridge))
	}
}

// check logs a failed request, except a resource already gone; it tells
// whether all went well.
func (f *flow) check(what string, err error) bool {
	if err != nil && !IsNotFound(err) {
		f.log.Warn(what, "err", err)
	}
	return err == nil
}
