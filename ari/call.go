package ari

import (
	"context"
	"log/slog"
	"time"

	"github.com/CyCoreSystems/ari/v5"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/clock"
	"github.com/callcare/callcare/policy"
)

// call owns one citizen's call: its goroutine is the only one that changes
// the call's state. It takes inputs from its inbox one at a time (ARI
// events, timer fires, link changes, results of its own requests), asks the
// policy what to do, and does it, in order.
type call struct {
	svc      *Service
	id       string // the call's id: the caller's channel id
	caller   string // the citizen's channel
	settings *Settings
	arrival  policy.Arrival
	in       *inbox
	log      *slog.Logger

	pol      *policy.Inbound
	answered bool   // the caller's channel is up
	bridge   string // set once created
	routes   []string
	timer    clock.Timer
	armed    time.Time // the deadline the timer is set for
}

func (c *call) run(ctx context.Context) {
	defer c.cleanup()
	if err := c.settings.resolve(&c.arrival); err != nil {
		// Config validation refuses broken chains; ring what could be expanded.
		c.log.Error("overflow chain", "err", err)
	}
	c.log.Info("call arrives", "caller", callcare.MaskNumber(c.arrival.CallerID), "dialed", c.arrival.Dialed,
		"target", c.arrival.Target.String(), "steps", len(c.arrival.Steps))
	now := c.svc.clock.Now()
	pol, acts := policy.Start(c.arrival, c.settings.Procedure, c.settings.Sounds, now)
	c.pol = pol
	c.step(ctx, nil, acts, now)
	for !c.pol.Done() {
		c.arm()
		items := c.in.wait(ctx)
		if items == nil {
			return // the service stops; Asterisk keeps the call
		}
		for _, item := range items {
			ev := c.translate(item)
			if ev == nil {
				continue
			}
			if _, ok := ev.(policy.TimerFired); ok {
				c.armed = time.Time{} // fired: arm again if still needed
			}
			now := c.svc.clock.Now()
			c.step(ctx, ev, c.pol.Step(ev, now), now)
			if c.pol.Done() {
				break
			}
		}
	}
}

func (c *call) step(ctx context.Context, ev policy.Event, acts []policy.Action, now time.Time) {
	if c.svc.observe != nil && (ev == nil || len(acts) > 0 || isNews(ev)) {
		c.svc.observe(Step{Call: c.id, At: now, Event: ev, Actions: acts, Record: c.pol.Record()})
	}
	c.execute(ctx, acts)
}

// isNews tells the events an observer hears of even when nothing is done.
func isNews(ev policy.Event) bool {
	switch ev.(type) {
	case policy.LegRinging, policy.LinkLost, policy.LinkBack:
		return true
	}
	return false
}

// arm keeps one timer on the policy's deadline.
func (c *call) arm() {
	d := c.pol.Deadline()
	if d.Equal(c.armed) {
		return
	}
	if c.timer != nil {
		c.timer.Stop()
	}
	c.armed = d
	if d.IsZero() {
		c.timer = nil
		return
	}
	c.timer = c.svc.clock.AfterFunc(d.Sub(c.svc.clock.Now()), func() { c.in.push(policy.TimerFired{}) })
}

func (c *call) cleanup() {
	if c.timer != nil {
		c.timer.Stop()
	}
	c.svc.forget(c, append(c.routes, c.caller))
}

// translate turns an ARI event into what the policy understands.
func (c *call) translate(item any) policy.Event {
	switch ev := item.(type) {
	case policy.Event:
		return ev
	case *ari.Dial:
		return dialEvent(ev)
	case *ari.StasisEnd:
		return c.gone(ev.Channel.ID)
	case *ari.ChannelDestroyed:
		return c.gone(ev.Channel.ID)
	case *ari.PlaybackFinished:
		return policy.PlaybackDone{Playback: ev.Playback.ID}
	}
	return nil
}

// dialEvent reads a Dial event of a clerk's leg. The first Dial of a dial
// has an empty status: the start, not a result.
func dialEvent(ev *ari.Dial) policy.Event {
	leg := ev.Peer.ID
	switch ev.Dialstatus {
	case "RINGING":
		return policy.LegRinging{Leg: leg}
	case "ANSWER":
		return policy.LegAnswered{Leg: leg}
	case "BUSY":
		return policy.LegFailed{Leg: leg, Result: "busy"}
	case "CHANUNAVAIL":
		return policy.LegFailed{Leg: leg, Result: "unavailable"}
	case "CONGESTION":
		return policy.LegFailed{Leg: leg, Result: "congestion"}
	case "NOANSWER":
		return policy.LegFailed{Leg: leg, Result: "noanswer"}
	}
	return nil
}

func (c *call) gone(channel string) policy.Event {
	if channel == c.caller {
		return policy.CallerGone{}
	}
	return policy.LegGone{Leg: channel}
}
