package ari

import (
	"context"
	"sync"
)

// inbox is a call's unbounded queue of inputs. The dispatcher never blocks
// on it, so a call that is slow (waiting on a REST answer) never delays or
// loses another call's events.
type inbox struct {
	mu    sync.Mutex
	items []any
	ready chan struct{} // holds a token while items is not empty
}

func newInbox() *inbox { return &inbox{ready: make(chan struct{}, 1)} }

func (b *inbox) push(item any) {
	b.mu.Lock()
	b.items = append(b.items, item)
	b.mu.Unlock()
	select {
	case b.ready <- struct{}{}:
	default:
	}
}

// wait returns what has arrived, blocking until something has; nil when ctx ends.
func (b *inbox) wait(ctx context.Context) []any {
	for {
		b.mu.Lock()
		items := b.items
		b.items = nil
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
	return items
}
