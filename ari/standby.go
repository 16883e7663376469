package ari

import "context"

// One instance owns the application. Asterisk gives a Stasis application
// to the last client that connected for it and tells the one before
// (ApplicationReplaced), without closing its socket. Should both redial
// to take it back, each would take it from the other in turn, for ever,
// and calls would land on either. So the replaced instance says so loudly,
// lets go of its calls (the other adopts them as after a crash), closes
// its socket, and stands by: it looks now and then whether the
// application is free again (nobody holds it: 404) and only then takes it
// back.

// replaced handles ApplicationReplaced, on the reading goroutine.
func (s *Service) replaced() {
	if s.standby.Swap(true) {
		return
	}
	s.log.Error("not ready: another client took the Stasis application (a second callcare serve against this Asterisk?); "+
		"this instance stands by and takes no calls until the application is free again: stop one of the two",
		"app", s.app, "looks_every", s.standbyPoll)
	s.abandonFlows()
	s.link.Drop()
}

// holdWhileReplaced waits, before a dial, while another client holds the
// application.
func (s *Service) holdWhileReplaced(ctx context.Context) {
	for s.standby.Load() && ctx.Err() == nil {
		s.pause(ctx, s.standbyPoll)
		if ctx.Err() != nil {
			return
		}
		_, err := s.client.Application(ctx)
		if IsNotFound(err) {
			s.log.Warn("the Stasis application is free again: this instance takes it back", "app", s.app)
			s.standby.Store(false)
			return
		}
		if err != nil {
			s.log.Debug("look whether the application is free", "err", err)
		}
	}
}

// abandon is an input that makes a flow stop at once, as if the service
// stopped: its calls are another instance's now.
type abandon struct{}

// abandonFlows lets go of every call and session, touching nothing in
// Asterisk.
func (s *Service) abandonFlows() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for f := range s.flows {
		f.in.push(abandon{})
	}
}
