package ari

import (
	"context"
	"time"

	"github.com/CyCoreSystems/ari/v5"
)

// Decision latency: how long the service takes from reading an event off
// the socket to sending the first request it causes (Options.Decided;
// `callcare bench` reports it). It spans the decoding, the routing, the
// call's queue, the policy and the request's wait for a pooled
// connection: what the service adds to what Asterisk takes.

// heard is an ARI event for a call, with the moment it was read.
type heard struct {
	ev ari.Event
	at time.Time // wall clock
}

// decision times one flow's answer to the event it handles now.
type decision struct {
	from   time.Time // when that event was read; zero: nothing to time
	report func(time.Duration)
}

type decisionKey struct{}

// withDecision makes the first request made with ctx after d.start end
// d's timing.
func withDecision(ctx context.Context, d *decision) context.Context {
	return context.WithValue(ctx, decisionKey{}, d)
}

func (d *decision) start(at time.Time) {
	if d.report != nil {
		d.from = at
	}
}

// sent: a request goes out now; the first after an event ends its timing.
func sent(ctx context.Context) {
	d, _ := ctx.Value(decisionKey{}).(*decision)
	if d == nil || d.from.IsZero() {
		return
	}
	took := time.Since(d.from)
	d.from = time.Time{}
	d.report(took)
}
