package ari

import (
	"context"
	"log/slog"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/clock"
)

// recordTaskLater keeps trying to record a callback task the store
// refused with err (a full disk, a lock held too long), until it is
// written or the service stops: a missed call is always called back
// (P4c), and its caller may have been told so already. A citizen who gets
// through meanwhile is owed nothing: the task is then let go.
func (s *Service) recordTaskLater(task callcare.CallbackTask, err error, log *slog.Logger) {
	s.mu.Lock()
	if _, already := s.taskLater[task.Number]; already {
		s.mu.Unlock()
		return // the number's one task is being written already
	}
	s.taskLater[task.Number] = false
	s.mu.Unlock()
	s.storeLater("record the callback task", err, log, func(ctx context.Context) error {
		if s.gotThrough(task.Number) {
			return callcare.Errorf(callcare.ECONFLICT, "the citizen got through meanwhile")
		}
		t, created, err := s.store.Callbacks.MissedCall(ctx, task)
		if err == nil {
			s.taskRecorded(ctx, task, t, created, log)
		}
		return err
	}, func() {
		s.mu.Lock()
		delete(s.taskLater, task.Number)
		s.mu.Unlock()
	})
}

// tasksClosed notes that the citizen of number got through: a task of
// theirs being written again is no longer owed.
func (s *Service) tasksClosed(number callcare.Number) {
	s.mu.Lock()
	if _, pending := s.taskLater[number]; pending {
		s.taskLater[number] = true
	}
	s.mu.Unlock()
}

func (s *Service) gotThrough(number callcare.Number) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.taskLater[number]
}

// taskRecorded logs a recorded task and deletes a voice note it did not
// keep: the task kept an earlier one, and this one is personal data
// nobody would hear.
func (s *Service) taskRecorded(ctx context.Context, asked, t callcare.CallbackTask, created bool, log *slog.Logger) {
	log.Info("callback task", "task", t.ID, "new", created, "tries", t.Tries, "due", t.Due, "priority", t.Priority)
	if asked.Note != "" && t.Note != asked.Note {
		if err := s.client.DeleteRecording(ctx, asked.Note); err != nil && !IsNotFound(err) {
			log.Warn("delete a surplus voice note", "err", err)
		}
	}
}

// storeLater keeps trying a write to the store that was refused with err
// (what it is, for the log): the time agreed with a citizen, a task
// closed or flagged. It stops when the write goes in, when the store says
// it never will (the task is gone or closed: nothing left to do), or when
// the service stops; then done, if any.
func (s *Service) storeLater(what string, err error, log *slog.Logger, write func(ctx context.Context) error, done func()) {
	log.Warn(what+": refused; trying again until it is written", "err", err)
	s.spawn(func() {
		if done != nil {
			defer done()
		}
		ctx := s.ctx
		retry := clock.Backoff{Clock: s.sleeper, Min: time.Second, Max: time.Minute}
		for retry.BackOff(ctx, err) == nil {
			if err = write(ctx); err == nil {
				log.Info(what+": written at last", "tries", retry.Failures()+1)
				return
			}
			if code := callcare.ErrorCode(err); code != callcare.EINTERNAL {
				log.Info(what+": not needed any more", "why", err)
				return
			}
			if retry.Failures() == 10 {
				log.Error(what+": still refused; trying on", "err", err)
			}
		}
		log.Error(what+": not written: the service stopped first", "err", err)
	})
}
