package ari

import (
	"context"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

// execute carries out the policy's actions in order. A failure that changes
// the call comes back as an event through the inbox; a channel already gone
// is the normal end of a race and says nothing.
func (c *call) execute(ctx context.Context, acts []policy.Action) {
	for _, a := range acts {
		switch a := a.(type) {
		case policy.Save:
			c.save(ctx, a.Record)
		case policy.RingCaller:
			c.check("ring caller", c.svc.client.Ring(ctx, c.caller))
		case policy.DialClerk:
			c.dial(ctx, a)
		case policy.HangupLeg:
			c.check("hang up clerk", c.svc.client.Hangup(ctx, a.Leg, a.Reason))
		case policy.Connect:
			c.connect(ctx, a.Leg)
		case policy.Play:
			c.play(ctx, a)
		case policy.HangupCaller:
			c.check("hang up caller", c.svc.client.Hangup(ctx, c.caller, a.Reason))
		case policy.Resync:
			c.resync(ctx, a.Legs)
		case policy.Finish:
			c.finish(ctx)
		}
	}
}

func (c *call) save(ctx context.Context, rec callcare.CallRecord) {
	if c.svc.store == nil {
		return
	}
	if err := c.svc.store.SaveCall(ctx, rec); err != nil {
		c.log.Error("cannot save the call record", "err", err)
	}
}

func (c *call) dial(ctx context.Context, a policy.DialClerk) {
	// Route the leg before creating it: its StasisStart and Dial events can
	// come before the answer to the request.
	c.route(a.Leg)
	c.log.Info("ringing clerk", "clerk", a.Clerk.ID, "endpoint", a.Clerk.Endpoint, "leg", a.Leg)
	err := c.svc.client.Create(ctx, a.Leg, a.Clerk.Endpoint, c.caller, "dialed")
	if err == nil {
		// Asterisk ends the ringing by itself after this, should the
		// service be gone; the policy leaves the leg long before.
		limit := 2*c.settings.Procedure.RingLimit() + 5*time.Second
		err = c.svc.client.Dial(ctx, a.Leg, c.caller, limit)
	}
	if err != nil {
		c.log.Warn("cannot ring clerk", "clerk", a.Clerk.ID, "err", err)
		c.in.push(policy.LegFailed{Leg: a.Leg, Result: "failed"})
	}
}

func (c *call) connect(ctx context.Context, leg string) {
	if err := c.answer(ctx); err != nil {
		return // the caller is gone: StasisEnd is on its way
	}
	bridge := c.id + "-bridge"
	err := c.svc.client.CreateBridge(ctx, bridge)
	if err == nil {
		c.bridge = bridge
		err = c.svc.client.AddChannels(ctx, bridge, c.caller, leg)
	}
	if err != nil && !IsNotFound(err) {
		// Without a bridge the two cannot talk: end the call rather than
		// leave both on a dead line.
		c.log.Error("cannot connect caller and clerk", "err", err)
		c.check("hang up caller", c.svc.client.Hangup(ctx, c.caller, "normal"))
		c.in.push(policy.CallerGone{})
	}
	c.log.Info("connected", "leg", leg)
}

func (c *call) answer(ctx context.Context) error {
	if c.answered {
		return nil
	}
	err := c.svc.client.Answer(ctx, c.caller)
	c.check("answer caller", err)
	c.answered = err == nil
	return err
}

func (c *call) play(ctx context.Context, p policy.Play) {
	c.route(p.Playback)
	err := c.answer(ctx)
	if err == nil {
		c.log.Info("playing to caller", "sound", p.Sound)
		err = c.svc.client.Play(ctx, c.caller, p.Playback, "sound:"+p.Sound)
		c.check("play", err)
	}
	if err != nil {
		c.in.push(policy.PlaybackDone{Playback: p.Playback})
	}
}

// resync looks at the channels again after a gap in the events.
func (c *call) resync(ctx context.Context, legs []string) {
	if _, err := c.svc.client.Channel(ctx, c.caller); IsNotFound(err) {
		c.in.push(policy.CallerGone{})
	}
	for _, leg := range legs {
		ch, err := c.svc.client.Channel(ctx, leg)
		switch {
		case IsNotFound(err):
			c.in.push(policy.LegGone{Leg: leg})
		case err != nil:
		case ch.State == "Up":
			c.in.push(policy.LegAnswered{Leg: leg})
		case ch.State == "Ringing":
			c.in.push(policy.LegRinging{Leg: leg})
		}
	}
}

func (c *call) finish(ctx context.Context) {
	rec := c.pol.Record()
	c.log.Info("call ends", "outcome", rec.Outcome, "answered_by", rec.AnsweredBy, "ring", rec.AnsweredRing, "hung_up_by", rec.HungUpBy)
	if c.bridge != "" {
		c.check("destroy bridge", c.svc.client.DestroyBridge(ctx, c.bridge))
	}
}

func (c *call) route(id string) {
	c.routes = append(c.routes, id)
	c.svc.addRoute(id, c)
}

// check logs a failed request, except a resource already gone.
func (c *call) check(what string, err error) {
	if err != nil && !IsNotFound(err) {
		c.log.Warn(what, "err", err)
	}
}
