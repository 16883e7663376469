package ari

import (
	"context"
	"time"

	"github.com/CyCoreSystems/ari/v5"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

// What a waiting caller needs of the shell (P4h, P4p): the clerks' hold
// key reported, the department's music set on the caller's channel, and
// prompts a clerk alone hears.

// waitingSubject is the id the waiting events are about.
func waitingSubject(ev ari.Event) string {
	switch e := ev.(type) {
	case *ari.ChannelHold:
		return e.Channel.ID
	case *ari.ChannelUnhold:
		return e.Channel.ID
	}
	return ""
}

// translateWaiting reads the events of waiting: a clerk's hold and
// resume. A citizen's own hold is the citizen's business.
func (f *flow) translateWaiting(item any) policy.Event {
	switch ev := item.(type) {
	case *ari.ChannelHold:
		if ev.Channel.ID != f.own || f.ownIsClerk() {
			return policy.LegHeld{Leg: ev.Channel.ID}
		}
	case *ari.ChannelUnhold:
		if ev.Channel.ID != f.own || f.ownIsClerk() {
			return policy.LegUnheld{Leg: ev.Channel.ID}
		}
	}
	return f.translateTransfer(item)
}

// ownIsClerk: the flow's own channel is a clerk's desk phone (the callback
// queue, an agreed callback), whose hold is the clerk's.
func (f *flow) ownIsClerk() bool {
	_, ok := f.ownGone.(policy.ClerkGone)
	return ok
}

// executeWaiting carries out the actions of waiting; false for others.
func (f *flow) executeWaiting(ctx context.Context, a policy.Action) bool {
	switch a := a.(type) {
	case policy.SetMusicClass:
		// The class Asterisk plays by itself on the clerk's hold: the
		// held channel's own class wins (musiconhold.conf's
		// preferchannelclass, the default).
		ch := f.own
		if a.Leg != "" {
			ch = a.Leg
		}
		f.check("set the music class", f.svc.client.SetVariable(ctx, ch, "CHANNEL(musicclass)", a.Class))
	case policy.SayLeg:
		f.route(a.Playback)
		if err := f.svc.client.Play(ctx, a.Leg, a.Playback, a.Media...); err != nil {
			f.check("play to a clerk", err)
			f.in.push(policy.PlaybackDone{Playback: a.Playback})
		}
	case policy.StartMusic:
		// Without it the waiting caller hears nothing between the
		// announcements: the fallback rings a person instead.
		f.stuckUnless("start music on hold", f.svc.client.StartMusic(ctx, f.own, a.Class))
	case policy.StopMusic:
		f.check("stop music on hold", f.svc.client.StopMusic(ctx, f.own))
	case policy.JoinLine:
		f.line = f.svc.line(a.Department)
		f.line.in.push(lineJoin{f: f, target: a.Target, needs: a.Needs})
	case policy.LeaveLine:
		f.leaveLine()
	case policy.LineTurnOver:
		if f.line != nil {
			f.line.in.push(lineTurnOver{call: f.id, clerk: a.Clerk, answered: a.Answered})
			if a.Answered {
				f.line = nil
			}
		}
	case policy.ResolveTransfer:
		f.log.Info("the clerk transfers the call with keys", "to", f.numberForLog(a.To))
		f.in.push(f.transferTo(a.Leg, a.To, nil))
	case policy.AddToBridge:
		f.addToBridge(ctx, a.Leg, f.legClerk[a.Leg], func() error { return f.svc.client.AddChannels(ctx, f.bridge, a.Leg) })
		f.log.Info("connected", "leg", a.Leg)
	case policy.ListAgreed:
		f.listAgreed(ctx, a.Target)
	case policy.EarlyMedia:
		// Played before the caller is answered: Asterisk sends it as early
		// media (trace ring-early-media).
		f.route(a.Playback)
		if err := f.svc.client.Play(ctx, f.own, a.Playback, a.Media...); err != nil {
			f.check("play early media", err)
			f.in.push(policy.PlaybackDone{Playback: a.Playback})
		}
	default:
		return false
	}
	return true
}

// busyHere: a clerk on a call through the service is busy (P4b): the
// phone is not rung at all, which costs Asterisk nothing.
func (f *flow) busyHere(a policy.DialClerk) bool {
	if !f.svc.isBusy(a.Clerk.ID) {
		return false
	}
	f.log.Info("clerk is on another call", "clerk", a.Clerk.ID, "leg", a.Leg)
	f.unmade[a.Leg] = true
	f.in.push(policy.LegFailed{Leg: a.Leg, Result: "busy"})
	return true
}

// neverMade tells a leg busyHere never made.
func (f *flow) neverMade(leg string) bool { return f.unmade[leg] }

// listAgreed reads the times agreed for a clerk's or department's open
// callbacks: a caller picking a time is not offered those (P4b).
func (f *flow) listAgreed(ctx context.Context, t callcare.Target) {
	filter := callcare.CallbackFilter{Status: callcare.CallbackOpen}
	if t.Kind == callcare.TargetClerk {
		filter.Clerk = callcare.ClerkID(t.ID)
	} else {
		filter.Department = t.ID
	}
	tasks, err := f.svc.store.Callbacks.Callbacks(ctx, filter)
	f.check("list agreed callbacks", err)
	var times []time.Time
	for _, tk := range tasks {
		if !tk.AgreedAt.IsZero() {
			times = append(times, tk.AgreedAt)
		}
	}
	f.in.push(policy.AgreedListed{Times: times})
}

// cleanupWaiting lets go of the call's place in a line. A transfer's
// Local pair half that never came is let go by Service.forget, under the
// same lock as the call itself.
func (f *flow) cleanupWaiting() {
	f.leaveLine()
}

// leaveLine takes the call out of its line, if it is in one.
func (f *flow) leaveLine() {
	if f.line != nil {
		f.line.in.push(lineLeave{call: f.id})
		f.line = nil
	}
}
