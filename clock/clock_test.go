package clock_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/callcare/callcare/clock"
)

var start = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

// TestFake_AdvanceFiresInDeadlineOrder: timers fire earliest first, each
// seeing its own time as now; one a fired timer sets within the span fires
// too; a stopped one never does.
func TestFake_AdvanceFiresInDeadlineOrder(t *testing.T) {
	c := clock.NewFake(start)
	var got []string
	at := func(name string) func() {
		return func() { got = append(got, name+"@"+c.Now().Sub(start).String()) }
	}
	c.AfterFunc(3*time.Second, at("c"))
	c.AfterFunc(time.Second, func() {
		at("a")()
		c.AfterFunc(time.Second, at("b")) // at 2 s: inside the span
		c.AfterFunc(time.Hour, at("late"))
	})
	stopped := c.AfterFunc(2*time.Second, at("stopped"))
	if !stopped.Stop() || stopped.Stop() {
		t.Error("Stop: want true once, then false")
	}
	if now := c.Advance(5 * time.Second); !now.Equal(start.Add(5 * time.Second)) {
		t.Errorf("Advance returned %s", now)
	}
	if want := []string{"a@1s", "b@2s", "c@3s"}; !slices.Equal(got, want) {
		t.Errorf("fired %v, want %v", got, want)
	}
	if c.Pending() != 1 {
		t.Errorf("pending %d, want the hour's timer", c.Pending())
	}
	if next, ok := c.Next(); !ok || !next.Equal(start.Add(time.Hour+time.Second)) {
		t.Errorf("next %s %v", next, ok)
	}
}

// TestFake_StepFiresOneAtATime: Step fires only the earliest timer due by
// its limit, moving the clock to that timer's time; due-now timers (d <= 0)
// fire at the next Step; the same instant keeps the order of setting.
func TestFake_StepFiresOneAtATime(t *testing.T) {
	c := clock.NewFake(start)
	var got []int
	for i := range 3 {
		c.AfterFunc(time.Second, func() { got = append(got, i) })
	}
	c.AfterFunc(0, func() { got = append(got, -1) })
	limit := start.Add(time.Second)
	for c.Step(limit) {
		if len(got) == 1 && !c.Now().Equal(start) {
			t.Errorf("the due-now timer fired at %s", c.Now())
		}
	}
	if !slices.Equal(got, []int{-1, 0, 1, 2}) || !c.Now().Equal(limit) {
		t.Errorf("fired %v, now %s", got, c.Now())
	}
	if c.Step(start.Add(time.Hour)) {
		t.Error("Step fired with no timer pending")
	}
	c.AdvanceTo(start) // never back
	if !c.Now().Equal(limit) {
		t.Errorf("time went back to %s", c.Now())
	}
}

// TestFake_ConcurrentUse: timers set and stopped from many goroutines
// while the clock moves (run with -race).
func TestFake_ConcurrentUse(t *testing.T) {
	c := clock.NewFake(start)
	var wg sync.WaitGroup
	var mu sync.Mutex
	fired := 0
	for range 8 {
		wg.Go(func() {
			for i := range 200 {
				tm := c.AfterFunc(time.Duration(i)*time.Millisecond, func() { mu.Lock(); fired++; mu.Unlock() })
				if i%2 == 0 {
					tm.Stop()
				}
				_ = c.Now()
			}
		})
	}
	wg.Go(func() {
		for range 100 {
			c.Advance(time.Millisecond)
		}
	})
	wg.Wait()
	c.Advance(time.Second)
	if c.Pending() != 0 || fired == 0 {
		t.Errorf("pending %d, fired %d", c.Pending(), fired)
	}
}

// TestSleep: Sleep waits on the clock and ends at once with its context.
func TestSleep(t *testing.T) {
	c := clock.NewFake(start)
	done := make(chan error)
	go func() { done <- clock.Sleep(context.Background(), c, time.Minute) }()
	for c.Pending() == 0 {
		time.Sleep(time.Millisecond)
	}
	c.Advance(time.Minute)
	if err := <-done; err != nil {
		t.Errorf("after a minute: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { done <- clock.Sleep(ctx, c, time.Minute) }()
	for c.Pending() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) || c.Pending() != 0 {
		t.Errorf("cancelled: %v, %d timers left", err, c.Pending())
	}
}

// TestBackoff: waits grow from Min to Max within their jitter, a success
// starts over; Min 0 retries at once first.
func TestBackoff(t *testing.T) {
	for _, tc := range []struct {
		name     string
		min, max time.Duration
		want     []float64 // nominal waits in ms after failures 1, 2, ...
	}{
		{"doubling", 100 * time.Millisecond, time.Second, []float64{100, 200, 400, 800, 1000, 1000}},
		{"at once first", 0, time.Second, []float64{0, 62.5, 125, 250, 500, 1000, 1000}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := clock.NewFake(start)
			b := clock.Backoff{Clock: c, Min: tc.min, Max: tc.max}
			ctx := context.Background()
			for round := range 2 {
				for i, ms := range tc.want {
					nominal := time.Duration(float64(ms) * float64(time.Millisecond))
					done := make(chan struct{})
					go func() { b.BackOff(ctx, errors.New("down")); close(done) }()
					if nominal > 0 {
						for c.Pending() == 0 {
							time.Sleep(100 * time.Microsecond)
						}
						next, _ := c.Next()
						if w := next.Sub(c.Now()); w < nominal/2 || w > nominal {
							t.Errorf("round %d, failure %d: wait %s, want %s/2 to %s", round, i+1, w, nominal, nominal)
						}
						c.AdvanceTo(next)
					}
					<-done
				}
				b.BackOff(ctx, nil)
				if b.Failures() != 0 {
					t.Errorf("failures %d after a success", b.Failures())
				}
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	b := clock.Backoff{Min: time.Hour, Max: time.Hour}
	if err := b.BackOff(ctx, errors.New("down")); !errors.Is(err, context.Canceled) {
		t.Errorf("an ended context: %v, want at once", err)
	}
}
