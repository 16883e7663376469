package clock

import (
	"container/heap"
	"sync"
	"time"
)

// Fake is a clock that moves only when a test moves it, in the shape of
// tailscale's tstest.Clock: Advance and AdvanceTo fire the timers that fall
// due, earliest first, in the caller's goroutine, so a 15-second ring limit
// passes without sleeping. Step fires one timer at a time, for a test that
// lets the system settle between timers.
//
// It is safe for concurrent use: timers may be set and stopped from any
// goroutine while the clock moves. One goroutine moves it at a time; a
// timer's function must not move it.
type Fake struct {
	move sync.Mutex // held while the clock moves and fires

	mu     sync.Mutex // guards the fields below
	now    time.Time
	seq    uint64
	timers fakeHeap
}

// NewFake returns a fake clock that reads start until it is moved.
func NewFake(start time.Time) *Fake { return &Fake{now: start} }

// Now is the fake time.
func (c *Fake) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc calls f when the clock has been moved d past now. A timer with
// d <= 0 is due at once: it fires at the next Advance, AdvanceTo or Step.
func (c *Fake) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	t := &fakeTimer{c: c, at: c.now.Add(max(d, 0)), seq: c.seq, f: f}
	heap.Push(&c.timers, t)
	return t
}

// Advance moves the clock d forward, firing every timer due by then (those
// the fired timers set within the span too), and returns the new time.
func (c *Fake) Advance(d time.Duration) time.Time {
	c.move.Lock()
	defer c.move.Unlock()
	end := c.Now().Add(d)
	c.advanceTo(end)
	return c.Now()
}

// AdvanceTo moves the clock to t as Advance does. A t before now fires
// what is due now and leaves the time as it is: time never goes back.
func (c *Fake) AdvanceTo(t time.Time) {
	c.move.Lock()
	defer c.move.Unlock()
	c.advanceTo(t)
}

func (c *Fake) advanceTo(end time.Time) {
	for c.fireNext(end) {
	}
	c.mu.Lock()
	if end.After(c.now) {
		c.now = end
	}
	c.mu.Unlock()
}

// Step fires the earliest timer due by limit, first moving the clock to its
// time if that is later than now, and tells whether there was one. Timers
// due at the same instant fire one per Step, in the order they were set.
func (c *Fake) Step(limit time.Time) bool {
	c.move.Lock()
	defer c.move.Unlock()
	return c.fireNext(limit)
}

// fireNext fires the earliest timer due by limit, outside the lock, so its
// function may set and stop timers.
func (c *Fake) fireNext(limit time.Time) bool {
	c.mu.Lock()
	if len(c.timers) == 0 || c.timers[0].at.After(limit) {
		c.mu.Unlock()
		return false
	}
	t := heap.Pop(&c.timers).(*fakeTimer)
	if t.at.After(c.now) {
		c.now = t.at
	}
	c.mu.Unlock()
	t.f()
	return true
}

// Next is the time of the earliest pending timer; false when none is.
func (c *Fake) Next() (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.timers) == 0 {
		return time.Time{}, false
	}
	return c.timers[0].at, true
}

// Pending counts the timers set and neither fired nor stopped: a test that
// ends with some left started something it did not finish.
func (c *Fake) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

type fakeTimer struct {
	c     *Fake
	at    time.Time
	seq   uint64
	f     func()
	index int // in the heap; -1 once fired or stopped
}

// Stop prevents the timer from firing; false if it fired or was stopped.
func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	if t.index < 0 {
		return false
	}
	heap.Remove(&t.c.timers, t.index)
	return true
}

// fakeHeap orders timers by time, then by the order they were set.
type fakeHeap []*fakeTimer

func (h fakeHeap) Len() int { return len(h) }
func (h fakeHeap) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].seq < h[j].seq
}
func (h fakeHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *fakeHeap) Push(x any) {
	t := x.(*fakeTimer)
	t.index = len(*h)
	*h = append(*h, t)
}
func (h *fakeHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	t.index = -1
	return t
}
