package ari

import (
	"sync"
	"time"
)

// DefaultMaxCallsPerSecond is how many new citizens' calls a second the
// service takes at most; the rest go to the fallback at once. No town hall
// gets 50 new calls a second: past that it is a flood or a load test, and
// the plain dialplan carries it for less. The other bounds see saturation
// only once it is there (on the lab's machine the CPU's saw a jump to 1.5
// or 2 × the service's ceiling with 70-100 calls already in: docs/LOAD.md);
// this one turns the excess away from the first call past it.
const DefaultMaxCallsPerSecond = 50

// rateBurst is how much of a second's worth of calls may come at once: a
// quarter, so that a load that jumps is turned away within its first
// quarter second, not after its first second.
const rateBurst = 250 * time.Millisecond

// callRate lets in perSecond new calls a second on the service's clock,
// as a bucket of tokens holding rateBurst's worth, and counts the calls
// it turned away since the last look.
type callRate struct {
	perSecond float64 // <= 0: no bound

	mu      sync.Mutex
	tokens  float64
	at      time.Time // tokens as of then
	refused int
}

// take tells whether a new call at now is within the rate, and uses up
// its share of it if so.
func (r *callRate) take(now time.Time) bool {
	if r.perSecond <= 0 {
		return true
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	burst := max(1, r.perSecond*rateBurst.Seconds())
	switch {
	case r.at.IsZero():
		r.tokens, r.at = burst, now
	case now.After(r.at):
		r.tokens = min(burst, r.tokens+now.Sub(r.at).Seconds()*r.perSecond)
		r.at = now
	}
	if r.tokens >= 1 {
		r.tokens--
		return true
	}
	r.refused++
	return false
}

// over tells whether calls were turned away since the last look, and
// starts the next one.
func (r *callRate) over() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	over := r.refused > 0
	r.refused = 0
	return over
}
