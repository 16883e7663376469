package ari

import (
	"context"
	"sync"
	"sync/atomic"
)

// inbox is a call's unbounded queue of inputs. The dispatcher never blocks
// on it, so a call that is slow (waiting on a REST answer) never delays or
// loses another call's events.
//
// Once tracked it counts toward the service's work (see work.go) the
// inputs queued and those handed out, until the flow comes back for more:
// then it has handled them.
type inbox struct {
	mu     sync.Mutex
	items  []any
	ready  chan struct{} // holds a token while items is not empty
	work   *atomic.Int64 // the service's count of work; nil until tracked
	out    int           // handed out and not yet handled; the start counts as one
	closed bool          // the flow has ended: pushes are dropped
}

func newInbox() *inbox { return &inbox{ready: make(chan struct{}, 1)} }

// track counts the inbox, and the start of its flow, as the service's work.
func (b *inbox) track(work *atomic.Int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.work = work
	b.out++
	work.Add(int64(b.out + len(b.items)))
}

func (b *inbox) push(item any) {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	b.items = append(b.items, item)
	b.count(1)
	b.mu.Unlock()
	select {
	case b.ready <- struct{}{}:
	default:
	}
}

// count adds n to the service's work; call with b.mu held.
func (b *inbox) count(n int) {
	if b.work != nil && n != 0 {
		b.work.Add(int64(n))
	}
}

// wait returns what has arrived, blocking until something has; nil when ctx
// ends. What it handed out before counts as handled.
func (b *inbox) wait(ctx context.Context) []any {
	for {
		b.mu.Lock()
		b.count(-b.out)
		items := b.items
		b.items = nil
		b.out = len(items)
		b.mu.Unlock()
		if len(items) > 0 {
			return items
		}
		select {
		case <-ctx.Done():
			return nil
		case <-b.ready:
		}
	}
}

// take returns what has arrived, without waiting.
func (b *inbox) take() []any {
	b.mu.Lock()
	defer b.mu.Unlock()
	items := b.items
	b.items = nil
	b.out += len(items)
	return items
}

// close ends the inbox with its flow: what it holds is handled or never
// will be, and later pushes are dropped.
func (b *inbox) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.count(-(b.out + len(b.items)))
	b.items, b.out, b.closed = nil, 0, true
}

// backlog counts the inputs queued or handed out and not yet handled.
func (b *inbox) backlog() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.out + len(b.items)
}
