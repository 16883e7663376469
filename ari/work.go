package ari

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/callcare/callcare/clock"
)

// The service counts the work it has under way (Stats.Work): each input a
// call or session has not finished handling (counted by its inbox, from
// the push until the flow comes back for more), each helper goroutine
// (a stray hang-up, the orphans, the scheduler, the link) while it is not
// waiting. A goroutine waiting for the clock or for the socket does no
// work. A count is always taken before the one it replaces is given up,
// so Work is never 0 while something is still to happen; a test on a fake
// clock fires the next timer only at 0 (with the socket read up to what
// the PBX wrote), and so sees every consequence of one timer before the
// next.

// spawn runs f in a goroutine of the service, counted as work until it
// waits for the clock or returns.
func (s *Service) spawn(f func()) {
	s.wg.Add(1)
	s.work.Add(1)
	go func() {
		defer s.wg.Done()
		defer s.work.Add(-1)
		f()
	}()
}

// pause waits d on the service's clock, or until ctx ends, as no work.
func (s *Service) pause(ctx context.Context, d time.Duration) {
	_ = clock.Sleep(ctx, s.sleeper, d)
}

// sleepClock is the clock for a goroutine that waits on it and holds a
// count of work (the scheduler, the orphans, the link's redial): the count
// is given up while it waits, and taken again by the timer's own function
// (before the waiter wakes) or by Stop. Use it only to wait: every
// AfterFunc must be followed by waiting for the fire or by Stop.
type sleepClock struct {
	clock.Clock
	work *atomic.Int64
}

func (c sleepClock) AfterFunc(d time.Duration, f func()) clock.Timer {
	t := c.Clock.AfterFunc(d, func() {
		c.work.Add(1)
		f()
	})
	// Only now: a test that sees no work must find the timer set.
	c.work.Add(-1)
	return sleepTimer{t, c.work}
}

type sleepTimer struct {
	clock.Timer
	work *atomic.Int64
}

func (t sleepTimer) Stop() bool {
	if t.Timer.Stop() {
		t.work.Add(1) // awake again: the context ended
		return true
	}
	return false
}

// Backlog counts, per call or clerk's session, the inputs it has not
// finished handling: a call stuck on a slow request shows a backlog that
// grows.
func (s *Service) Backlog() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.flows))
	for f := range s.flows {
		out[f.id] = f.in.backlog()
	}
	return out
}
