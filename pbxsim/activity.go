package pbxsim

import (
	"context"
	"sort"
)

// Activity is what the simulator has under way at one moment. A test that
// moves a fake clock waits until nothing is (and until its client has read
// every event written to it) before it fires the next timer: then each
// timer's consequences have all happened, over real sockets, first.
type Activity struct {
	// Requests counts REST and /sim requests being served, and a
	// restart's return under way.
	Requests int
	// Unsent counts events queued for open WebSockets and not yet
	// written, except those SetEventDelay holds back until the clock
	// moves.
	Unsent int
	// Sent is, for each open WebSocket by its client's address
	// ("127.0.0.1:53211"), the events written to it so far. A socket that
	// is closing or cut is not open.
	Sent map[string]int64
}

// Idle tells whether nothing is under way: what remains waits for the clock
// (or for a client to read what was written).
func (a Activity) Idle() bool { return a.Requests == 0 && a.Unsent == 0 }

// Sockets lists the addresses of the open WebSockets, sorted.
func (a Activity) Sockets() []string {
	out := make([]string, 0, len(a.Sent))
	for addr := range a.Sent {
		out = append(out, addr)
	}
	sort.Strings(out)
	return out
}

// WaitApp waits until a client's WebSocket holds the application (held
// true), or until none does (false), or ctx ends: a test or the demo
// places calls once the service is there (Call fails before, as Stasis()
// does), or sees that a killed one is gone.
func (s *Server) WaitApp(ctx context.Context, name string, held bool) error {
	for {
		s.mu.Lock()
		a := s.apps[name]
		now := a != nil && a.client != nil
		moved := s.appsMoved
		s.mu.Unlock()
		if now == held {
			return nil
		}
		select {
		case <-moved:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// appsChangedLocked wakes WaitApp; call with s.mu held.
func (s *Server) appsChangedLocked() {
	close(s.appsMoved)
	s.appsMoved = make(chan struct{})
}

// Activity reports what is under way now.
func (s *Server) Activity() Activity {
	a := Activity{Requests: int(s.busy.Load()), Sent: map[string]int64{}}
	s.mu.Lock()
	clients := s.allClientsLocked()
	s.mu.Unlock()
	for _, c := range clients {
		c.mu.Lock()
		open := !c.closed && !(c.closing && len(c.queue) == 0)
		if open {
			a.Sent[c.addr] = int64(c.sent)
			if !c.holding {
				a.Unsent += int(c.enq - c.sent)
			}
		}
		c.mu.Unlock()
	}
	return a
}
