package pbxsim

import "time"

// The simulator measures, for every citizen's call, how long the caller
// hears nothing while the call is in the application: no ringing (the
// app's ring), no prompt, no music, nobody else in the bridge. A test
// proves with it that no failure leaves anyone on a dead line (P4p).

// audible tells whether the caller on ch hears something now.
func (ch *channel) audible() bool {
	if ch.rung && ch.state != "Up" || ch.playing != nil || ch.moh != "" || ch.rec != nil {
		return true
	}
	if b := ch.bridge; b != nil {
		return len(b.members) > 1 || b.playing != nil || b.moh != ""
	}
	return false
}

// trackSilence updates the silence of every citizen's call in the
// application; call it with s.mu held after anything that may change what
// a caller hears.
func (s *Server) trackSilence() {
	now := s.clock.Now()
	for _, ch := range s.channels {
		if ch.inbound && ch.call != nil {
			ch.call.hear(now, ch.inStasis && !ch.gone && !ch.left && !ch.audible())
		}
	}
}

// hear notes whether the caller is silent from now on. Call with s.mu held.
func (c *Call) hear(now time.Time, silent bool) {
	switch {
	case silent && c.silentSince.IsZero():
		c.silentSince = now
	case !silent && !c.silentSince.IsZero():
		c.longest = max(c.longest, now.Sub(c.silentSince))
		c.silentSince = time.Time{}
	}
}

// LongestSilence is the longest time the caller spent in the application
// hearing nothing: no ringing, prompt or music, and nobody else in the
// bridge. A silence still going on counts up to now.
func (c *Call) LongestSilence() time.Duration {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	longest := c.longest
	if !c.silentSince.IsZero() {
		longest = max(longest, c.s.clock.Now().Sub(c.silentSince))
	}
	return longest
}
