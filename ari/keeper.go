package ari

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/callcare/callcare/clock"
)

// endLater keeps trying to end a channel the service is done with (hang
// it up, or hand it to the dialplan's fallback) after Asterisk refused:
// a citizen must never be left in the application on a silent line. It
// tries until Asterisk says the channel is gone (404) or no longer the
// application's (409), or the link is down: then the reconciliation that
// follows the link's return finds the channel. Meanwhile the channel
// counts as owned, so the reconciliation leaves it to this.
func (s *Service) endLater(id, what string, end func(ctx context.Context) error) {
	s.mu.Lock()
	if s.ending[id] {
		s.mu.Unlock()
		return
	}
	s.ending[id] = true
	s.mu.Unlock()
	s.spawn(func() {
		defer func() {
			s.mu.Lock()
			delete(s.ending, id)
			s.mu.Unlock()
		}()
		ctx := s.ctx
		retry := clock.Backoff{Clock: s.sleeper, Min: 100 * time.Millisecond, Max: 2 * time.Second}
		for ctx.Err() == nil {
			err := end(ctx)
			if err == nil || IsNotFound(err) || isConflict(err) {
				if retry.Failures() > 0 {
					s.log.Info(what+": done at last", "channel", id, "tries", retry.Failures()+1)
				}
				return
			}
			if !s.linked.Load() {
				s.log.Warn(what+": left to the reconciliation once Asterisk is back", "channel", id, "err", err)
				return
			}
			if retry.Failures() == 0 {
				s.log.Warn(what+": Asterisk refused; trying again until the channel is gone", "channel", id, "err", err)
			}
			retry.BackOff(ctx, err)
		}
	})
}

// isConflict: the channel is in a state that forbids the request (for a
// hangup or a continue: it has left the application already).
func isConflict(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == http.StatusConflict
}

// hangupLater hangs a stray channel up off the reading goroutine, until
// it is gone.
func (s *Service) hangupLater(id string) {
	s.stray.Add(1)
	s.hangupUntilGone(id, "hang up a stray channel")
}

// hangupUntilGone hangs a channel up off the caller's goroutine, until it
// is gone.
func (s *Service) hangupUntilGone(id, what string) {
	s.endLater(id, what, func(ctx context.Context) error { return s.client.Hangup(ctx, id, "normal") })
}

// fallbackLater hands a citizen's channel to the dialplan's fallback, until
// it has left the application.
func (s *Service) fallbackLater(id, exten string) {
	s.endLater(id, "hand a call to the dialplan's fallback", func(ctx context.Context) error {
		err := s.client.Continue(ctx, id, FallbackContext, exten)
		if err == nil {
			s.handOver(id)
		}
		return err
	})
}
