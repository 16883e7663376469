package ari

import (
	"context"
	"testing"
	"time"
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
