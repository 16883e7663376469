package pbxsim

import (
	"net"
	"net/http"
	"time"
)

// Restart behaves like `core restart now`: every channel gets
// ChannelHangupRequest (soft, cause 4), then leaves its bridge and Stasis
// and is destroyed; bridges vanish without BridgeDestroyed; the WebSockets
// drop without a close frame (1006); REST refuses connections for downFor,
// then answers with a new startup time and empty state. Applications exist
// again once their clients reconnect.
func (s *Server) Restart(downFor time.Duration) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	chans := s.sortedChannels()
	for _, ch := range chans {
		if ch.inStasis {
			s.emitChannel(ch, "ChannelHangupRequest", event{"soft": true, "cause": 4})
		}
	}
	for _, ch := range chans {
		if ch.left {
			s.removeChannel(ch)
			continue
		}
		s.endChannel(ch, ending{cause: 16})
	}
	s.trackSilence()
	s.epoch++
	for t := range s.timers {
		t.t.Stop()
	}
	s.timers = map[*simTimer]struct{}{}
	s.bridges = map[string]*bridge{}
	s.globals = map[string]string{} // set by the application at run time, not by [globals]
	s.playbacks = map[string]*playback{}
	s.liveRecs = map[string]*recording{}
	clients := s.allClientsLocked()
	s.apps = map[string]*app{}
	s.appsChangedLocked()
	s.started = s.clock.Now()
	s.mu.Unlock()

	for _, c := range clients {
		c.closeAfterFlush()
	}
	s.lnMu.Lock()
	ln := s.ln
	addr := s.addr
	s.ln = nil
	s.lnMu.Unlock()
	if ln == nil {
		return
	}
	_ = ln.Close()
	s.closeIdle()
	s.mu.Lock()
	s.after(downFor, func() {
		s.wg.Add(1)
		s.busy.Add(1)
		go s.relisten(addr)
	})
	s.mu.Unlock()
}

// closeIdle cuts the keep-alive REST connections, not the WebSockets
// (they drain their last events first).
func (s *Server) closeIdle() {
	s.lnMu.Lock()
	var conns []net.Conn
	for c, st := range s.connStates {
		if st != http.StateHijacked {
			conns = append(conns, c)
		}
	}
	s.lnMu.Unlock()
	for _, c := range conns {
		_ = c.Close()
	}
}

func (s *Server) relisten(addr string) {
	defer s.wg.Done()
	defer s.busy.Add(-1)
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return
	}
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ {
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		s.log.Error("pbxsim: cannot listen again after restart", "addr", addr, "err", err)
		return
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = ln.Close()
		return
	}
	s.lnMu.Lock()
	s.ln = ln
	s.lnMu.Unlock()
	s.serve(ln)
	s.mu.Unlock()
}
