package ari

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/CyCoreSystems/ari/v5"
)

// Past its capacity the service bends instead of breaking: while it carries
// as many calls as it may (Options.MaxCalls), or Asterisk answers its
// requests slowly or sends its events late (their recent average above
// Options.MaxLatency: the PBX, or the service, is saturated; Asterisk's
// queue of the application's events backs up before its answers slow
// down), or the machine's processors are busier than Options.MaxHostCPU
// (beside Asterisk, the first sign: hostcpu.go), a new citizen's call is
// handed at once to
// the dialplan's fallback, which rings a person with a plain Dial(), as
// when the service is down. It is never failed, never left in the
// application, and never recorded here: whoever answers it in the fallback
// answered it, and nothing says otherwise; one nobody answers there is
// reported by the fallback's FastAGI hook (missed) and called back. One
// request, no record, no goroutine of its own: what a saturated PBX and
// service can still afford.
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

// overload says when calls go to the fallback, and keeps the log quiet.
type overload struct {
	maxCalls   int           // <= 0: no bound
	maxLatency time.Duration // <= 0: no bound
	maxCPU     float64       // the machine's busy share; <= 0: no bound
	cpu        cpuMeter
	shed       atomic.Int64 // calls handed to the fallback for want of capacity
	lag        lagMeter     // how late new calls' StasisStart came, on average

	mu       sync.Mutex
	on       bool      // calls are being shed
	since    time.Time // the last line of the log about it
	lastShed time.Time // the last call shed
	unsaid   int64     // shed since that line
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
	if o.maxLatency > 0 && o.lag.get() > o.maxLatency {
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
	m.mu.Unlock()
	m.avg.addWeighted(max(late-onTime, 0), lagWeight)
}

func (m *lagMeter) get() time.Duration { return m.avg.get() }

// admit tells whether a citizen's call entering the application is the
// service's to carry; if not, it is on its way to the fallback.
func (s *Service) admit(st *ari.StasisStart) bool {
	s.heardLate(st)
	why := s.full()
	o := &s.overload
	now := s.clock.Now()
	o.mu.Lock()
	defer o.mu.Unlock()
	if why == "" {
		// Capacity again only once no call was shed for a second: at the
		// bound, calls ending let others in one by one.
		if o.on && now.Sub(o.lastShed) >= time.Second {
			o.on = false
			s.log.Info("capacity again: new calls are the service's", "to_fallback", o.unsaid)
			o.unsaid = 0
		}
		return true
	}
	o.shed.Add(1)
	o.unsaid++
	o.lastShed = now
	if !o.on || now.Sub(o.since) >= time.Second {
		// Said at once, then at most once a second while it lasts.
		args := []any{"why", why, "calls", s.Stats().ActiveCalls, "latency", s.client.latency.get().Round(time.Millisecond),
			"events_late", o.lag.get().Round(time.Millisecond)}
		if busy, known, _ := o.cpu.get(now); known && o.maxCPU > 0 {
			args = append(args, "host_cpu", fmt.Sprintf("%.0f%%", busy*100))
		}
		s.log.Warn("overloaded: new calls go to the dialplan's fallback", append(args, "to_fallback", o.unsaid)...)
		o.on, o.since, o.unsaid = true, now, 0
	}
	exten := ""
	if len(st.Args) > 1 {
		exten = st.Args[1]
	}
	s.fallbackLater(st.Channel.ID, exten)
	return false
}
