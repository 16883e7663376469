package ari

import (
	"context"
	"fmt"
	"time"

	"github.com/CyCoreSystems/ari/v5"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

// The phone matters of P3.2 in the shell: the voice menu on the office's
// main numbers, the desk phone's documents-ready code, and the calls the
// service makes to citizens (notices: documents ready, reminders), which
// the agreed-time scheduler starts within office hours, a few at a time.

// startMenu takes a citizen's call to a menu number: the dialplan sends it
// with Stasis(callcare,menu,${EXTEN}). A number the configuration gives no
// menu is taken as an office number.
func (s *Service) startMenu(st *ari.StasisStart) {
	set := s.settings.Load()
	a := policy.Arrival{CallID: st.Channel.ID}
	if len(st.Args) > 1 {
		a.Dialed = st.Args[1]
	}
	if !set.Menu.Menu.Has(a.Dialed) {
		s.startCall(st)
		return
	}
	if st.Channel.Caller != nil {
		a.CallerID, a.CallerName = callcare.Number(st.Channel.Caller.Number), st.Channel.Caller.Name
	}
	a.Needs = set.Needs.NeedsOf(a.CallerID, a.Dialed)
	f := s.newFlow(st.Channel.ID, st.Channel.ID, policy.CallerGone{}, nil)
	f.start = func(now time.Time) (machine, []policy.Action) {
		f.log.Info("call arrives at the menu", "caller", a.CallerID, "dialed", dialedForLog(a.Dialed), "needs", a.Needs)
		return policy.StartMenu(a, f.set.Directory, s.book(f.set, now), f.set.Menu, f.set.Inbound, now)
	}
	s.start(f, st.Channel.ID)
}

// startNoticeCode takes a clerk who dialed the documents-ready code (P3.2
// (3)): Stasis(callcare,documents,<TECH/endpoint>), as for the callback
// queue.
func (s *Service) startNoticeCode(st *ari.StasisStart) {
	set, clerk, ok := s.codeClerk(st, "documents")
	if !ok {
		return
	}
	id := st.Channel.ID
	f := s.newFlow(id, id, policy.ClerkGone{}, func(now time.Time) (machine, []policy.Action) {
		return policy.StartNoticeCode(id, clerk, set.Notices, now)
	})
	f.log.Info("clerk dials the documents-ready code", "clerk", clerk.ID)
	s.start(f, id)
}

// fireNotices starts the notices due, within office hours only, at most
// NoticesAtOnce at a time: each is claimed first, so neither a second
// service nor a second tick starts it twice.
func (s *Service) fireNotices(ctx context.Context, set *Settings) {
	if s.store.Notices == nil || set.NoticesAtOnce <= 0 {
		return
	}
	now := s.clock.Now()
	if !set.Notices.Rules.Hours.IsOpen(now) {
		return // P3.2: within office hours; the schedule's waits count office time
	}
	due, err := s.store.Notices.DueNotices(ctx, now, set.NoticesAtOnce)
	if err != nil {
		s.log.Warn("look for notices due", "err", err)
		return
	}
	for _, t := range due {
		// Long enough to ring, say it twice and hand over to a clerk.
		claimed, ok, err := s.store.Queue.ClaimTask(ctx, t.ID, callcare.Notifier, now, 4*set.Notices.Procedure.RingLimit()+set.ClaimFor)
		if err != nil {
			s.log.Warn("claim a notice", "task", t.ID, "err", err)
			continue
		}
		if ok {
			s.startNotice(set, claimed)
		}
	}
}

// startNotice makes one attempt at a notice. The flow's id, and so the
// citizen's channel's, names the attempt: never the same twice, across
// runs too.
func (s *Service) startNotice(set *Settings, t callcare.CallbackTask) {
	id := fmt.Sprintf("notice-%d-%d", t.ID, t.Attempts+1)
	f := s.newFlow(id, "", policy.CallerGone{}, func(now time.Time) (machine, []policy.Action) {
		return policy.StartNotice(id, t, set.Directory, s.book(set, now), set.Notices, set.Inbound, now)
	})
	f.claimer = callcare.Notifier
	f.log.Info("calling a citizen with a notice", "task", t.ID, "kind", t.Kind, "attempt", t.Attempts+1, "number", t.Number)
	s.start(f)
}

// executeMatters carries out the store's part of the phone matters.
func (f *flow) executeMatters(ctx context.Context, a policy.Action) {
	store := f.svc.store.Notices
	switch a := a.(type) {
	case policy.AddNotice:
		var (
			t   callcare.CallbackTask
			err error
		)
		if store != nil {
			t, err = store.AddNotice(ctx, a.Task)
		} else {
			err = fmt.Errorf("no store for notices")
		}
		if f.check("record a notice", err) {
			f.log.Info("documents-ready notice recorded", "task", t.ID, "number", t.Number, "by", a.Task.Target.ID)
		}
		f.in.push(policy.NoticeAdded{Task: t, OK: err == nil})
	case policy.AgreeMeeting:
		if store == nil {
			return
		}
		r, reminded, err := store.AgreeMeeting(ctx, a.Task, a.At, string(a.By), f.svc.clock.Now(), a.RemindAt)
		if f.check("record a meeting", err) {
			f.log.Info("meeting agreed on an appointment request", "task", a.Task, "at", a.At, "reminder", r.ID, "reminded", reminded)
		}
	}
}

// outboundAttempt tells whether a pending attempt was a notice's: its
// citizen is never left talking after a restart, as nobody is on the
// service's side of it.
func (s *Service) outboundAttempt(ctx context.Context, a callcare.CallbackAttempt) bool {
	t, err := s.store.Callbacks.Callback(ctx, a.TaskID)
	return err == nil && t.Kind.Outbound()
}
