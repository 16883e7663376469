package clock

import (
	"context"
	"math/rand/v2"
	"time"
)

// Sleep waits d on c, or until ctx ends. It returns ctx.Err() if ctx ended
// first, nil otherwise; a d <= 0 returns at once.
func Sleep(ctx context.Context, c Clock, d time.Duration) error {
	if err := ctx.Err(); err != nil || d <= 0 {
		return err
	}
	fired := make(chan struct{})
	t := c.AfterFunc(d, func() { close(fired) })
	select {
	case <-fired:
		return nil
	case <-ctx.Done():
		t.Stop()
		return ctx.Err()
	}
}

// Backoff spaces out the tries of something that keeps failing, in the
// shape of tailscale's logtail/backoff: each failure in a row waits longer,
// up to Max; a success starts over; a wait ends at once with its context.
// Waits are jittered (between half and all of the nominal wait) so the
// clients of a restarted server do not all come back at the same moment.
//
// The zero value retries at once, forever; a Backoff is for one goroutine.
type Backoff struct {
	// Clock waits; nil is the wall clock.
	Clock Clock
	// Min is the nominal wait after the first failure; each further
	// failure doubles it, up to Max. A zero Min retries at once after the
	// first failure, then waits from Max/16 up.
	Min, Max time.Duration

	failures int
}

// BackOff records the outcome of a try: nil resets, an error waits the
// next wait on the clock. It returns ctx.Err() if ctx ended, nil otherwise.
func (b *Backoff) BackOff(ctx context.Context, err error) error {
	if err == nil {
		b.failures = 0
		return ctx.Err()
	}
	b.failures++
	c := b.Clock
	if c == nil {
		c = Real{}
	}
	return Sleep(ctx, c, b.wait())
}

// Failures counts the failures in a row so far.
func (b *Backoff) Failures() int { return b.failures }

// wait is the jittered wait after the failures so far.
func (b *Backoff) wait() time.Duration {
	start, n := b.Min, b.failures-1
	if start <= 0 {
		if n == 0 {
			return 0
		}
		start, n = b.Max/16, n-1
	}
	w := start
	for ; n > 0 && w < b.Max; n-- {
		w *= 2
	}
	if b.Max > 0 {
		w = min(w, b.Max)
	}
	if w <= 0 {
		return 0
	}
	return w/2 + rand.N(w/2+1)
}
