package metrics

import (
	"strconv"
	"time"
)

// The ARI shell's Meter (ari.Options.Metrics).

// LinkUp: the event stream is up; after the first time, a reconnect.
func (m *Metrics) LinkUp() {
	m.connected.Set(1)
	if m.ups.Add(1) > 1 {
		m.reconnects.Inc()
	}
}

// LinkDown: the event stream is lost.
func (m *Metrics) LinkDown() { m.connected.Set(0) }

// Request counts one REST request: its answer's class and its time.
func (m *Metrics) Request(method, route string, status int, took time.Duration, err error) {
	code := "error"
	if err == nil && status > 0 {
		code = strconv.Itoa(status/100) + "xx"
	}
	m.requests.WithLabelValues(method, route, code).Inc()
	m.latency.WithLabelValues(method, route).Observe(took.Seconds())
}
