package pbxsim

import (
	"net"
	"sync"
	"sync/atomic"
)

// Freeze makes the simulator hang as an Asterisk process stopped with
// SIGSTOP does: connections are still accepted (the kernel does that for
// a stopped process), but nothing more is read or written on any of them:
// no REST answer, no event, no pong to a WebSocket ping. Thaw lets
// everything go on where it stood. (The simulated phones and callers go
// on meanwhile; their events wait to be written.)
//
// While frozen, Activity does not settle: what is under way waits.
func (s *Server) Freeze() {
	ch := make(chan struct{})
	if s.frozen.CompareAndSwap(nil, &ch) {
		s.log.Info("pbxsim: frozen")
	}
}

// Thaw ends a Freeze.
func (s *Server) Thaw() {
	if ch := s.frozen.Swap(nil); ch != nil {
		close(*ch)
		s.log.Info("pbxsim: thawed")
	}
}

// waitThaw blocks while the server is frozen, or until done is closed.
func (s *Server) waitThaw(done <-chan struct{}) {
	if ch := s.frozen.Load(); ch != nil {
		select {
		case <-*ch:
		case <-done:
		}
	}
}

// freezeListener hands out connections that stand still while the server
// is frozen.
type freezeListener struct {
	net.Listener
	s *Server
}

func (l freezeListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &freezeConn{Conn: c, s: l.s, done: make(chan struct{})}, nil
}

type freezeConn struct {
	net.Conn
	s      *Server
	once   sync.Once
	done   chan struct{}
	closed atomic.Bool
}

func (c *freezeConn) Read(p []byte) (int, error) {
	c.s.waitThaw(c.done)
	n, err := c.Conn.Read(p)
	// What arrived while frozen is not looked at before the thaw.
	c.s.waitThaw(c.done)
	return n, err
}

func (c *freezeConn) Write(p []byte) (int, error) {
	c.s.waitThaw(c.done)
	if c.closed.Load() {
		return 0, net.ErrClosed
	}
	return c.Conn.Write(p)
}

func (c *freezeConn) Close() error {
	c.once.Do(func() {
		c.closed.Store(true)
		close(c.done)
	})
	return c.Conn.Close()
}
