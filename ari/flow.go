package ari

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"github.com/CyCoreSystems/ari/v5"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/clock"
	"github.com/callcare/callcare/policy"
)

// machine is a policy state machine a flow carries: a citizen's call or a
// clerk's callback session.
type machine interface {
	Step(ev policy.Event, now time.Time) []policy.Action
	Deadline() time.Time
	Done() bool
}

// flow owns one call or session: its goroutine is the only one that
// changes its state. It takes inputs from its inbox one at a time (ARI
// events, timer fires, link changes, results of its own requests), asks the
// policy what to do, and does it, in order, so a hangup never overtakes the
// create it cancels.
type flow struct {
	svc     *Service
	id      string
	set     *Settings
	in      *inbox
	log     *slog.Logger
	m       machine
	start   func(now time.Time) (machine, []policy.Action)
	claimer callcare.ClerkID // who holds the flow's callback task
	logged  bool             // its call record has been written once (saver.go)
	// halves are the Local channels of a phone's transfer routed to the
	// flow before it heard of them (Service.transferHalf); guarded by
	// Service.mu.
	halves []string

	own      string           // the channel the flow talks to; "" until there is one
	ownClerk callcare.ClerkID // whose desk phone own is, in a clerk's flow
	ownGone  policy.Event     // what the end of own means: CallerGone or ClerkGone
	ownEnded bool             // Asterisk said own is gone: no reconciliation asks again
	answered bool             // own is up
	bridge   string
	routes   []string
	// originated legs enter the application only once answered: their
	// StasisStart, not their Dial ANSWER, says they can be bridged.
	originated map[string]bool
	legClerk   map[string]callcare.ClerkID // clerks' legs, for who is busy
	// answeredAt is when an originated leg's phone answered (its Dial
	// ANSWER, by Asterisk's clock), for its StasisStart that follows.
	answeredAt map[string]time.Time
	// endsItself are originated legs the phone refused (busy,
	// unavailable, congested): Asterisk ends them by itself.
	endsItself map[string]bool
	rung       bool               // the dialplan rang the caller before Stasis (Ringing())
	busy       []callcare.ClerkID // clerks this flow counts as on a call
	unmade     map[string]bool    // legs never made: their clerk was on a call through the service
	line       *lineOwner         // the waiting line the call is in, if any
	replaced   string             // the Local channel that took a clerk's place, if any
	timer      clock.Timer
	armed      time.Time
	// endedByPBX are channels Asterisk itself asked to hang up (a soft
	// hangup the service did not request: a restart, an admin); asked
	// are those the service asked to hang up.
	endedByPBX, asked map[string]bool
	skewWarned        bool     // Asterisk's clock and ours disagree: said once
	decision          decision // the event being answered, timed (decision.go)

	wait policy.Wait // what the caller waited through at the last step observed (meter.go)
}

func (s *Service) newFlow(id, own string, ownGone policy.Event, start func(time.Time) (machine, []policy.Action)) *flow {
	return &flow{
		svc: s, id: id, own: own, ownGone: ownGone, start: start,
		set: s.settings.Load(), in: newInbox(), log: s.log.With("flow", id),
		originated: map[string]bool{}, legClerk: map[string]callcare.ClerkID{},
		answeredAt: map[string]time.Time{}, endsItself: map[string]bool{},
		endedByPBX: map[string]bool{}, asked: map[string]bool{},
		unmade: map[string]bool{},
	}
}

func (f *flow) run(ctx context.Context) {
	ctx = withLogger(ctx, f.log) // the requests of this flow log with its id
	// What Asterisk refuses for a moment is tried again, within the
	// silence a caller may hear.
	ctx = withRetry(ctx, f.svc.retryFor)
	f.decision.report = f.svc.decided
	ctx = withDecision(ctx, &f.decision)
	defer f.cleanup()
	defer f.settle(ctx)
	defer func() {
		if p := recover(); p != nil {
			f.rescue(ctx, p)
		}
	}()
	now := f.svc.clock.Now()
	m, acts := f.start(now)
	f.m = m
	f.step(ctx, nil, acts, now)
	for !f.m.Done() {
		f.arm()
		items := f.in.wait(ctx)
		if items == nil {
			return // the service stops; Asterisk keeps the call
		}
		for _, item := range items {
			f.decision.from = time.Time{}
			if h, ok := item.(heard); ok {
				item = h.ev
				f.decision.start(h.at)
			}
			switch it := item.(type) {
			case abandon:
				return // another instance holds the application: its call now
			case recheck:
				f.recheckOwn(ctx, it)
				continue
			}
			ev := f.translate(item)
			if ev == nil {
				continue
			}
			if _, ok := ev.(policy.TimerFired); ok {
				f.armed = time.Time{} // fired: arm again if still needed
			}
			now := f.svc.clock.Now()
			f.step(ctx, ev, f.m.Step(ev, now), now)
			if f.m.Done() {
				break
			}
		}
	}
}

func (f *flow) step(ctx context.Context, ev policy.Event, acts []policy.Action, now time.Time) {
	if f.log.Enabled(ctx, slog.LevelDebug) {
		// --debug: every step of every call, event in and decision out
		// (the requests that follow are logged by the client).
		names := make([]string, len(acts))
		for i, a := range acts {
			names[i] = brief(a)
		}
		f.log.Debug("step", "event", brief(ev), "actions", names)
	}
	f.execute(ctx, acts)
	if f.svc.observe != nil {
		f.observe(ev, acts, now) // meter.go
	}
}

// recorder is a machine that keeps a call record: a citizen's call.
type recorder interface{ Record() callcare.CallRecord }

// ownChannel: the machine talks to another channel from now on (an agreed
// callback's clerk answered, or left without taking it; a transferred
// callback's citizen, whose end is then a caller's).
func (f *flow) ownChannel(a policy.OwnChannel) {
	if f.own != "" && f.ownClerk != "" {
		f.unmarkBusy(f.ownClerk)
	}
	if f.own != "" && f.own != a.Channel {
		f.routes = append(f.routes, f.own) // still routed here: forgotten with the flow
	}
	f.own, f.answered, f.ownClerk, f.ownEnded = a.Channel, a.Up, a.Clerk, false
	if a.Caller {
		f.ownGone = policy.CallerGone{} // a callback the clerk transferred: a citizen's call now
	}
	if f.own != "" && f.ownClerk != "" {
		f.markBusy(f.ownClerk)
	}
}

// callID is the id of the citizen's call the flow carries, which its
// record and its clerks' legs are named by (CALLCARE_CALL): the citizen's
// channel. A call a notice or a transferred callback handed on is the
// citizen's leg, not the flow's first channel.
func (f *flow) callID() string {
	if _, citizen := f.ownGone.(policy.CallerGone); citizen && f.own != "" {
		return f.own
	}
	return f.id
}

// isNews tells the events an observer hears of even when nothing is done.
func isNews(ev policy.Event) bool {
	switch ev.(type) {
	case policy.LegRinging, policy.LinkLost, policy.LinkBack, policy.KeyPressed:
		return true
	}
	return false
}

// settle gives an ended machine the results of its own requests that were
// still in the inbox: a task claimed or an attempt journaled just as the
// clerk hung up must be released or finished, not forgotten.
func (f *flow) settle(ctx context.Context) {
	if f.m == nil || !f.m.Done() {
		return
	}
	for _, item := range f.in.take() {
		switch ev := item.(type) {
		case policy.AttemptStarted, policy.TaskClaimed:
			f.execute(ctx, f.m.Step(ev.(policy.Event), f.svc.clock.Now()))
		}
	}
}

// arm keeps one timer on the policy's deadline.
func (f *flow) arm() {
	d := f.m.Deadline()
	if d.Equal(f.armed) {
		return
	}
	if f.timer != nil {
		f.timer.Stop()
	}
	f.armed = d
	if d.IsZero() {
		f.timer = nil
		return
	}
	f.timer = f.svc.clock.AfterFunc(d.Sub(f.svc.clock.Now()), func() { f.in.push(policy.TimerFired{}) })
}

func (f *flow) cleanup() {
	if f.timer != nil {
		f.timer.Stop()
	}
	f.cleanupWaiting()
	for _, c := range f.busy {
		f.svc.setBusy(c, false)
	}
	f.svc.forget(f, append(f.routes, f.own))
}

func (f *flow) route(id string) {
	f.routes = append(f.routes, id)
	f.svc.addRoute(id, f)
}

func (f *flow) markBusy(c callcare.ClerkID) {
	f.busy = append(f.busy, c)
	f.svc.setBusy(c, true)
}

func (f *flow) unmarkBusy(c callcare.ClerkID) {
	if i := slices.Index(f.busy, c); i >= 0 {
		f.busy = slices.Delete(f.busy, i, i+1)
		f.svc.setBusy(c, false)
	}
}

// translate turns an ARI event into what the policy understands.
func (f *flow) translate(item any) policy.Event {
	switch ev := item.(type) {
	case policy.Event:
		return ev
	case *ari.Dial:
		if f.originated[ev.Peer.ID] {
			switch ev.Dialstatus {
			case "ANSWER":
				// StasisStart follows: only then can it be bridged.
				f.answeredAt[ev.Peer.ID] = f.stamp(ev.Timestamp, "Dial ANSWER")
				return nil
			case "BUSY", "CHANUNAVAIL", "CONGESTION", "NOANSWER":
				f.endsItself[ev.Peer.ID] = true
			}
		}
		switch ev.Dialstatus {
		case "RINGING":
			return policy.LegRinging{Leg: ev.Peer.ID, At: f.stamp(ev.Timestamp, "Dial RINGING")}
		case "ANSWER":
			return policy.LegAnswered{Leg: ev.Peer.ID, At: f.stamp(ev.Timestamp, "Dial ANSWER")}
		}
		return dialEvent(ev)
	case *ari.ChannelHangupRequest:
		// Soft: Asterisk's own hangup flag, not a person's BYE. Cause 4
		// is Asterisk shutting down; any other soft hangup the service
		// did not ask for is Asterisk's (an admin, a dial's timeout).
		if ev.Soft && (ev.Cause == 4 || !f.asked[ev.Channel.ID]) {
			f.endedByPBX[ev.Channel.ID] = true
		}
		return nil
	case *ari.StasisStart:
		if f.originated[ev.Channel.ID] {
			return policy.LegAnswered{Leg: ev.Channel.ID, At: f.answeredAt[ev.Channel.ID]}
		}
	case *ari.StasisEnd:
		return f.gone(ev.Channel.ID)
	case *ari.ChannelDestroyed:
		return f.gone(ev.Channel.ID)
	case *ari.ChannelDtmfReceived:
		if ev.Channel.ID == f.own {
			return policy.KeyPressed{Digit: ev.Digit}
		}
		return policy.LegKeyPressed{Leg: ev.Channel.ID, Digit: ev.Digit}
	case *ari.PlaybackFinished:
		if ev.Playback.State == "failed" {
			// Either the line ended under it, or the sound is missing on
			// the PBX: worth seeing when a caller says they heard nothing.
			f.log.Info("a prompt failed: the line ended, or the sound is not installed", "media", ev.Playback.MediaURI)
		}
		return policy.PlaybackDone{Playback: ev.Playback.ID}
	case *ari.RecordingFinished:
		return policy.RecordingDone{Name: ev.Recording.Name, Seconds: int(ev.Recording.Duration)}
	case *ari.RecordingFailed:
		f.log.Warn("a voice note could not be recorded", "cause", ev.Recording.Cause)
		return policy.RecordingDone{Name: ev.Recording.Name}
	}
	return f.translateWaiting(item)
}

// dialEvent reads a Dial event of a leg. The first Dial of a dial has an
// empty status: the start, not a result.
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

func (f *flow) gone(channel string) policy.Event {
	var by callcare.Party
	if f.endedByPBX[channel] {
		by = callcare.PartyPBX
	}
	if channel == f.own && channel != "" {
		f.ownEnded = true
		if g, ok := f.ownGone.(policy.CallerGone); ok {
			g.By = by
			return g
		}
		return f.ownGone
	}
	f.unmarkBusy(f.legClerk[channel]) // a clerk whose leg ended is free (P4b, P5.3)
	return policy.LegGone{Leg: channel, By: by}
}
