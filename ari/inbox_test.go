package ari

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/callcare/callcare/clock"
)

// TestInboxNeverBlocksTheDispatcher: a call that does not take its inputs
// (stuck on a slow request) neither blocks the pushing side nor loses what
// was pushed.
func TestInboxNeverBlocksTheDispatcher(t *testing.T) {
	slow, other := newInbox(), newInbox()
	done := make(chan struct{})
	go func() {
		for i := range 10000 {
			slow.push(i)
		}
		other.push("for the other call")
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("pushing to a call that does not read blocked")
	}
	if got := other.wait(context.Background()); len(got) != 1 {
		t.Errorf("other call got %v", got)
	}
	if got := slow.wait(context.Background()); len(got) != 10000 || got[9999] != 9999 {
		t.Errorf("slow call got %d inputs, want all 10000 in order", len(got))
	}
}

// TestInboxCountsWorkUntilHandled: a tracked inbox counts its flow's start
// and each input as the service's work from the push until the flow comes
// back for more; a closed one gives back what it held and drops the rest.
func TestInboxCountsWorkUntilHandled(t *testing.T) {
	var work atomic.Int64
	b := newInbox()
	b.push("before the start")
	b.track(&work)
	if n := work.Load(); n != 2 {
		t.Fatalf("work %d after the start, want the start and the input", n)
	}
	ctx := context.Background()
	if got := b.wait(ctx); len(got) != 1 || work.Load() != 1 {
		t.Fatalf("handed out %v, work %d: want the input still counted, the start handled", got, work.Load())
	}
	b.push("a result of its own")
	b.push("an event")
	if work.Load() != 3 || b.backlog() != 3 {
		t.Fatalf("work %d, backlog %d, want 3", work.Load(), b.backlog())
	}
	if got := b.wait(ctx); len(got) != 2 || work.Load() != 2 {
		t.Fatalf("handed out %v, work %d", got, work.Load())
	}
	b.push("late")
	if got := b.take(); len(got) != 1 || work.Load() != 3 {
		t.Fatalf("took %v, work %d", got, work.Load())
	}
	b.close()
	b.push("after the end")
	if work.Load() != 0 || b.backlog() != 0 {
		t.Errorf("after close: work %d, backlog %d, want 0", work.Load(), b.backlog())
	}
}

// TestSleepClockCountsTheSleeperIdle: a goroutine waiting on the sleep
// clock gives up its count of work once its timer is set, and has it back
// when the timer fires (before it wakes) or is stopped.
func TestSleepClockCountsTheSleeperIdle(t *testing.T) {
	var work atomic.Int64
	fake := clock.NewFake(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	c := sleepClock{fake, &work}
	work.Add(1) // the sleeper's
	var seen int64 = -1
	tm := c.AfterFunc(time.Second, func() { seen = work.Load() })
	if work.Load() != 0 || fake.Pending() != 1 {
		t.Fatalf("asleep: work %d, %d timers", work.Load(), fake.Pending())
	}
	fake.Advance(time.Second)
	if seen != 1 || work.Load() != 1 || tm.Stop() {
		t.Fatalf("woken: the timer saw work %d, now %d", seen, work.Load())
	}
	tm = c.AfterFunc(time.Second, func() {})
	if !tm.Stop() || work.Load() != 1 {
		t.Errorf("stopped: work %d, want the sleeper's count back", work.Load())
	}
}
