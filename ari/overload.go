package ari

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/CyCoreSystems/ari/v5"
	"github.com/callcare/callcare/dialplan"
)

// Past its capacity the service bends instead of breaking: while it carries
// as many calls as it may (Options.MaxCalls), or new calls come faster
// than it takes them (Options.MaxCallsPerSecond: rate.go), or Asterisk
// answers its requests slowly or sends its events late (their recent
// average above Options.MaxLatency: the PBX, or the service, is saturated;
// Asterisk's queue of the application's events backs up before its answers
// slow down), or the machine's processors are busier than
// Options.MaxHostCPU (beside Asterisk, the first sign: hostcpu.go), a new
// citizen's call is handed at once to the dialplan's fallback, which rings
// a person with a plain Dial(), as when the service is down. It is never
// failed, never left in the application, and never recorded here: whoever
// answers it in the fallback answered it, and nothing says otherwise; one
// nobody answers there is reported by the fallback's FastAGI hook (missed)
// and called back. One request (a short-lived keeper makes it), no record,
// no call goroutine: what a saturated PBX and service can still afford.
// Then the dialplan itself sends a share of new calls to the fallback
// before Stasis() (dialplan.OverloadedVar, in percent): a plain Dial costs
// Asterisk less than entering the application and a continue. The share
// starts at all of them. Once a second the service looks: still full (or
// calls came faster than its rate since the last look), it sends shareUp
// points more; room, shareDown points fewer, and at 0 it
// takes every call again. So the calls it lets in come back gradually,
// not in a burst of a second's worth that a PBX at its edge would drop
// (measured on the lab's VM: with all-or-nothing, calls came back every
// 1.5 s at 150 calls/s, and 43-269 of 1,600 failed at 200; with the share,
// 10-40). It counts the calls the dialplan sent, and says so in the log.
// Calls already under way go on as they were.

// Defaults of the capacity bounds.
const (
	DefaultMaxCalls   = 500
	DefaultMaxLatency = 300 * time.Millisecond
)

// latencyWeight is the weight of the newest request in the average: about
// the last 16 requests count, a few milliseconds of a busy service.
const latencyWeight = 1.0 / 16

// lagWeight is the weight of the newest call's arrival in the average lag
// of Asterisk's events: about the last 4 calls count.
const lagWeight = 1.0 / 4

// lagWindow: the least lateness seen within the last one or two of these
// is what an on-time event looks like (the two clocks' offset).
const lagWindow = 10 * time.Minute

// How the dialplan's share of new calls sent to the fallback moves, in
// percentage points a second: up fast while the service is full, down
// slowly while it has room.
const (
	shareUp   = 30
	shareDown = 10
)

// lagStale: an average of new calls' lateness older than this says
// nothing of now. While the dialplan sends new calls to the fallback, none
// comes to be timed.
const lagStale = 3 * time.Second

// overload says when calls go to the fallback, and keeps the log quiet.
type overload struct {
	maxCalls   int           // <= 0: no bound
	maxLatency time.Duration // <= 0: no bound
	maxCPU     float64       // the machine's busy share; <= 0: no bound
	cpu        cpuMeter
	rate       callRate
	shed       atomic.Int64 // calls handed to the fallback for want of capacity
	lag        lagMeter     // how late new calls' StasisStart came, on average

	mu     sync.Mutex
	on     bool      // calls are being shed: shedInDialplan runs
	share  int       // percent of new calls the dialplan sends to the fallback
	since  time.Time // the last line of the log about it
	unsaid int64     // shed since that line
}

// latency keeps the average time of REST requests (ns), with their wait
// for a free connection.
type latency struct{ avg atomic.Int64 }

func (l *latency) add(d time.Duration) { l.addWeighted(d, latencyWeight) }

func (l *latency) addWeighted(d time.Duration, weight float64) {
	for {
		old := l.avg.Load()
		next := old + int64(float64(int64(d)-old)*weight)
		if l.avg.CompareAndSwap(old, next) {
			return
		}
	}
}

func (l *latency) get() time.Duration { return time.Duration(l.avg.Load()) }

// full tells why the service takes no new call now: "" when it takes it.
func (s *Service) full() string {
	o := &s.overload
	if o.maxCalls > 0 {
		s.mu.Lock()
		n := len(s.flows)
		s.mu.Unlock()
		if n >= o.maxCalls {
			return "calls"
		}
	}
	if o.maxLatency > 0 && s.client.latency.get() > o.maxLatency {
		return "latency"
	}
	if o.maxLatency > 0 && o.lag.fresh(s.clock.Now()) > o.maxLatency {
		return "late events"
	}
	if o.maxCPU > 0 {
		busy, known, err := o.cpu.get(s.clock.Now())
		if err != nil {
			s.log.Warn("cannot see the machine's CPU use; asterisk.max_host_cpu has no effect", "err", err)
		}
		bound := o.maxCPU
		if o.shedding() {
			bound -= cpuHysteresis
		}
		if known && busy > bound {
			return "cpu"
		}
	}
	return ""
}

// shedding tells whether new calls are going to the fallback now.
func (o *overload) shedding() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.on
}

// heardLate adds how late a new call's StasisStart came (Asterisk's time
// of it against the service's clock) to the average; a time off by more
// than untrustedSkew is a clock set wrong, not a late event.
func (s *Service) heardLate(st *ari.StasisStart) {
	at := time.Time(st.Timestamp)
	if at.IsZero() {
		return
	}
	now := s.clock.Now()
	late := now.Sub(at)
	if late > untrustedSkew || late < -untrustedSkew {
		return
	}
	s.overload.lag.add(now, late)
}

// lagMeter averages how much later than on time events come. On time is
// the least lateness seen lately, not zero: Asterisk on another machine
// may keep a clock a little off the service's, and an offset that stays
// is no saturation.
type lagMeter struct {
	avg latency

	mu          sync.Mutex
	since       time.Time     // the current window's start
	least, prev time.Duration // the least lateness of the current and the last window
	seen        bool
	last        time.Time // the newest call's arrival
}

func (m *lagMeter) add(now time.Time, late time.Duration) {
	m.mu.Lock()
	switch {
	case !m.seen:
		m.seen, m.since, m.least, m.prev = true, now, late, late
	case now.Sub(m.since) >= lagWindow:
		m.since, m.prev, m.least = now, m.least, late
	default:
		m.least = min(m.least, late)
	}
	onTime := min(m.least, m.prev)
	m.last = now
	m.mu.Unlock()
	m.avg.addWeighted(max(late-onTime, 0), lagWeight)
}

func (m *lagMeter) get() time.Duration { return m.avg.get() }

// fresh is the average, or 0 when no new call came for lagStale.
func (m *lagMeter) fresh(now time.Time) time.Duration {
	m.mu.Lock()
	stale := now.Sub(m.last) > lagStale
	m.mu.Unlock()
	if stale {
		return 0
	}
	return m.get()
}

// admit tells whether a citizen's call entering the application is the
// service's to carry; if not, it is on its way to the fallback.
func (s *Service) admit(st *ari.StasisStart) bool {
	s.heardLate(st)
	why := s.full()
	o := &s.overload
	now := s.clock.Now()
	if why == "" && !o.rate.take(now) {
		why = "rate"
	}
	if why == "" {
		return true // capacity again is shedInDialplan's to say
	}
	o.mu.Lock()
	o.shed.Add(1)
	o.unsaid++
	if !o.on || now.Sub(o.since) >= time.Second {
		s.sayOverloaded(why, now)
	}
	if !o.on {
		o.on, o.share = true, 100
		s.spawn(func() { s.shedInDialplan(s.ctx) })
	}
	o.mu.Unlock()
	exten := ""
	if len(st.Args) > 1 {
		exten = st.Args[1]
	}
	s.fallbackLater(st.Channel.ID, exten)
	return false
}

// sayOverloaded logs that new calls go to the fallback, with the calls
// sent there since the last line: at once, then at most once a second
// while it lasts. Call with o.mu held.
func (s *Service) sayOverloaded(why string, now time.Time) {
	o := &s.overload
	args := []any{"why", why, "calls", s.Stats().ActiveCalls, "latency", s.client.latency.get().Round(time.Millisecond),
		"events_late", o.lag.get().Round(time.Millisecond)}
	if busy, known, _ := o.cpu.get(now); known && o.maxCPU > 0 {
		args = append(args, "host_cpu", fmt.Sprintf("%.0f%%", busy*100))
	}
	if o.on {
		args = append(args, "dialplan_share", fmt.Sprintf("%d%%", o.share))
	}
	s.log.Warn("overloaded: new calls go to the dialplan's fallback", append(args, "to_fallback", o.unsaid)...)
	o.since, o.unsaid = now, 0
}

// shedInDialplan has the dialplan send a share of new calls to the
// fallback while the service is full, and looks once a second: it moves
// the share, counts the calls the dialplan sent, says so, and ends when
// the share is back to 0. It sets the variable at each look: an Asterisk
// restarted meanwhile has forgotten it.
func (s *Service) shedInDialplan(ctx context.Context) {
	o := &s.overload
	s.tellDialplan(ctx, 100)
	seen, known := s.shedByDialplan(ctx) // the count goes on across episodes
	for {
		s.pause(ctx, time.Second)
		if ctx.Err() != nil || s.standby.Load() {
			// Stopped, or another instance holds the application: the
			// variable is the next owner's (linkUp sets it).
			o.mu.Lock()
			o.on, o.share = false, 0
			o.mu.Unlock()
			return
		}
		n, ok := s.shedByDialplan(ctx)
		why := s.full()
		if over := o.rate.over(); why == "" && over {
			why = "rate"
		}
		now := s.clock.Now()
		o.mu.Lock()
		if ok && known {
			if n < seen { // Asterisk restarted: counting again from 0
				seen = 0
			}
			o.shed.Add(n - seen)
			o.unsaid += n - seen
		}
		if ok {
			seen, known = n, true
		}
		if why != "" {
			o.share = min(100, o.share+shareUp)
			if o.unsaid > 0 && now.Sub(o.since) >= time.Second {
				s.sayOverloaded(why, now)
			}
		} else {
			o.share = max(0, o.share-shareDown)
		}
		if o.share > 0 {
			share := o.share
			o.mu.Unlock()
			s.tellDialplan(ctx, share)
			continue
		}
		s.log.Info("capacity again: new calls are the service's", "to_fallback", o.unsaid)
		o.unsaid = 0
		o.mu.Unlock()
		s.tellDialplan(ctx, 0)
		o.mu.Lock()
		if o.unsaid == 0 {
			o.on = false
			o.mu.Unlock()
			return
		}
		o.share = 100 // admit sent a call on meanwhile: full again
		o.mu.Unlock()
		s.tellDialplan(ctx, 100)
	}
}

// tellDialplan sets dialplan.OverloadedVar: the share of new calls, in
// percent, the dialplan sends to the fallback before Stasis().
func (s *Service) tellDialplan(ctx context.Context, share int) {
	if s.standby.Load() {
		return // another instance holds the application: the share is its own
	}
	if err := s.client.SetGlobal(ctx, dialplan.OverloadedVar, strconv.Itoa(share)); err != nil && ctx.Err() == nil {
		s.log.Warn("cannot tell the dialplan how many calls to send to the fallback", "share", share, "err", err)
	}
}

// shedByDialplan reads how many calls the dialplan has sent to the
// fallback since Asterisk started.
func (s *Service) shedByDialplan(ctx context.Context) (int64, bool) {
	v, err := s.client.Global(ctx, dialplan.OverloadedVar+"_CALLS")
	if err != nil {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil || v == ""
}
