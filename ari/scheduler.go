package ari

import (
	"context"
	"time"

	"github.com/callcare/callcare"
)

// schedule looks for agreed callbacks whose time has come (P4m), and for
// voice notes past their retention, until ctx ends.
func (s *Service) schedule(ctx context.Context) {
	s.spawn(func() { s.purgeDaily(ctx) })
	for ctx.Err() == nil {
		set := s.settings.Load()
		tick := set.SchedulerTick
		if tick <= 0 {
			tick = time.Second
		}
		if s.linked.Load() { // no decision on a view that may be old
			s.fireAgreed(ctx, set)
			s.fireNotices(ctx, set)
		}
		s.deleteOldNotes(ctx, set)
		s.pause(ctx, tick)
	}
}

func (s *Service) fireAgreed(ctx context.Context, set *Settings) {
	now := s.clock.Now()
	due, err := s.store.Queue.DueAgreed(ctx, now)
	if err != nil {
		s.log.Warn("look for agreed callbacks", "err", err)
		return
	}
	for _, t := range due {
		if t.Overdue {
			continue // already escalated: it waits in the queue
		}
		// The claim is the guard: a clerk working the queue, or a second
		// service, cannot take the same task meanwhile.
		// Long enough to ring every step, busy clerks again and again,
		// and to talk: a second flow for the same task must never start.
		steps := s.agreedSteps(set, t, now)
		ringing := 8 * set.Session.Procedure.RingLimit() * time.Duration(len(steps))
		claimed, ok, err := s.store.Queue.ClaimTask(ctx, t.ID, scheduler, now, ringing+set.ClaimFor)
		if err != nil {
			s.log.Warn("claim an agreed callback", "task", t.ID, "err", err)
			continue
		}
		if ok {
			s.startAgreed(set, claimed, steps)
		}
	}
}

// deleteOldNotes removes voice notes the retention no longer allows: they
// are personal data, kept only while the callback needs them. A retention
// of 0 deletes a note at the first tick after its task closes.
func (s *Service) deleteOldNotes(ctx context.Context, set *Settings) {
	if set.NoteRetention < 0 {
		return
	}
	tasks, err := s.store.Callbacks.NotesToDelete(ctx, s.clock.Now().Add(-set.NoteRetention))
	if err != nil {
		s.log.Warn("look for old voice notes", "err", err)
		return
	}
	for _, t := range tasks {
		if err := s.client.DeleteRecording(ctx, t.Note); err != nil && !IsNotFound(err) {
			s.log.Warn("delete a voice note", "task", t.ID, "err", err)
			continue
		}
		if err := s.store.Callbacks.ClearNote(ctx, t.ID); err != nil {
			s.log.Warn("forget a voice note", "task", t.ID, "err", err)
		}
	}
}

// recover finishes the callback attempts a previous run left under way: it
// died between journaling an attempt and recording its end. A citizen who
// answered is talking with the clerk: they talk on (the reconciliation
// watches them) and the attempt is recorded as reached. A citizen's phone
// still ringing is hung up; the attempt ends as interrupted and is never
// dialed again. The next attempt follows the retry schedule.
func (s *Service) recover(ctx context.Context) {
	pending, err := s.store.Queue.PendingAttempts(ctx)
	if err != nil {
		s.log.Error("look for interrupted callback attempts", "err", err)
		return
	}
	set := s.settings.Load()
	now := s.clock.Now()
	for _, a := range pending {
		result := callcare.AttemptInterrupted
		if ch, err := s.client.Channel(ctx, a.Channel); err == nil && ch.State == "Up" && !s.outboundAttempt(ctx, a) {
			result = callcare.AttemptReached
		} else if err := s.client.Hangup(ctx, a.Channel, "normal"); err != nil && !IsNotFound(err) {
			s.log.Warn("hang up an interrupted callback", "task", a.TaskID, "err", err)
		}
		t, err := s.store.Callbacks.Callback(ctx, a.TaskID)
		if err != nil {
			s.log.Warn("read an interrupted callback", "task", a.TaskID, "err", err)
			continue
		}
		rules := set.Session.Rules
		if t.Kind.Outbound() {
			rules = set.Notices.Rules // a notice's own attempts
		}
		next, close := rules.AfterAttempt(t, result, now)
		if _, err := s.store.Queue.FinishAttempt(ctx, a.TaskID, a.Seq, result, now, next, close); err != nil {
			s.log.Warn("finish an interrupted callback", "task", a.TaskID, "err", err)
			continue
		}
		_ = s.store.Queue.Release(ctx, a.TaskID, t.ClaimedBy)
		if result == callcare.AttemptReached {
			s.log.Info("a callback conversation an earlier run left goes on: the citizen was reached", "task", a.TaskID, "attempt", a.Seq)
			continue
		}
		s.log.Info("callback attempt interrupted by a restart; not dialed again", "task", a.TaskID, "attempt", a.Seq)
	}
}
