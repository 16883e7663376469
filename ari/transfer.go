package ari

import (
	"context"
	"strings"
	"time"

	"github.com/CyCoreSystems/ari/v5"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/clock"
	"github.com/callcare/callcare/dialplan"
	"github.com/callcare/callcare/policy"
)

// A clerk's transfer with the desk phone's own key (P4o), as Asterisk 20
// carries it out in the application's bridge on chan_sip and on PJSIP
// alike (traces blind-transfer, blind-transfer-pjsip): a Local channel
// pair is swapped in for the phone. Its ;2 half runs the clerks' dialplan
// and re-enters the application as a new inbound call for the number
// dialed, with an empty caller id; its ;1 half enters with no args and
// replace_channel naming the phone's channel, which a call owns. The
// dispatcher pairs the two halves by their names (the same but for ;1 and
// ;2) and gives both to the call that owned the phone's channel: the
// transfer is that call's, never a new anonymous call. ;2 comes first: it
// waits a moment for its ;1; a Local channel whose ;1 never comes (an
// office's own dialplan sending a Local channel in) is then an ordinary
// call.
//
// PJSIP's PJSIP_TRANSFER_HANDLING(ari-only) would hand the REFER to the
// application instead (a ChannelTransfer event), but chan_sip cannot, and
// a channel made with /channels/create runs no dialplan that could set it:
// it would cost a request on every answered call. The Local pair costs
// nothing until a clerk transfers, and both drivers behave the same.

// localPairWait is how long a ;2 waits for its ;1.
const localPairWait = time.Second

// Inputs a flow gets from the dispatcher about a transfer.
type (
	// localTransfer: the phone on clerk transferred the call to exten;
	// one and two are Asterisk's Local pair. clerk is empty when ;1 came
	// first (reported as localReplaced).
	localTransfer struct{ clerk, one, two, exten string }
	// localReplaced: ;1 took the phone's place; no ;2 (yet).
	localReplaced struct{ clerk, one string }
)

type pendingHalf struct {
	st    *ari.StasisStart
	timer clock.Timer
}

// localPair splits a Local channel's name into what its halves share and
// which half it is.
func localPair(name string) (base string, half byte, ok bool) {
	i := strings.LastIndexByte(name, ';')
	if !strings.HasPrefix(name, "Local/") || i < 0 || i+2 != len(name) {
		return "", 0, false
	}
	return name[:i], name[i+1], true
}

// transferHalf takes the StasisStart of a half of a transfer's Local pair;
// it tells whether it did.
func (s *Service) transferHalf(st *ari.StasisStart) bool {
	base, half, ok := localPair(st.Channel.Name)
	if !ok {
		return false
	}
	switch half {
	case '1':
		if st.ReplaceChannel.ID == "" {
			return false
		}
		s.mu.Lock()
		f := s.route[st.ReplaceChannel.ID] // an ended call's routes went with it (forget)
		if f == nil {
			s.mu.Unlock()
			return false // it replaced a channel nobody owns
		}
		s.route[st.Channel.ID] = f
		f.halves = append(f.halves, st.Channel.ID)
		p := s.pendingLocal[base]
		delete(s.pendingLocal, base)
		if p == nil {
			s.localFlows[base] = f
		} else {
			s.route[p.st.Channel.ID] = f
			f.halves = append(f.halves, p.st.Channel.ID)
		}
		s.mu.Unlock()
		if p == nil {
			f.in.push(localReplaced{clerk: st.ReplaceChannel.ID, one: st.Channel.ID})
			return true
		}
		p.timer.Stop()
		f.in.push(localTransfer{clerk: st.ReplaceChannel.ID, one: st.Channel.ID, two: p.st.Channel.ID, exten: p.st.Args[1]})
		return true
	case '2':
		if len(st.Args) < 2 || st.Args[0] != "inbound" {
			return false
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if f := s.localFlows[base]; f != nil {
			delete(s.localFlows, base) // forget drops a call's with the call
			s.route[st.Channel.ID] = f
			f.halves = append(f.halves, st.Channel.ID)
			f.in.push(localTransfer{two: st.Channel.ID, exten: st.Args[1]})
			return true
		}
		p := &pendingHalf{st: st}
		s.pendingLocal[base] = p
		p.timer = s.clock.AfterFunc(localPairWait, func() { s.lonelyHalf(base, p) })
		return true
	}
	return false
}

// lonelyHalf: no ;1 came for a ;2: it is an ordinary call.
func (s *Service) lonelyHalf(base string, p *pendingHalf) {
	s.mu.Lock()
	mine := s.pendingLocal[base] == p
	if mine {
		delete(s.pendingLocal, base)
	}
	s.mu.Unlock()
	if mine && s.ctx.Err() == nil {
		s.startCall(p.st)
	}
}

// translateTransfer reads the dispatcher's news about a transfer.
func (f *flow) translateTransfer(item any) policy.Event {
	switch ev := item.(type) {
	case localReplaced:
		f.routes = append(f.routes, ev.one)
		f.replaced = ev.one
		return policy.LegReplaced{Leg: ev.clerk, By: ev.one}
	case localTransfer:
		f.routes = append(f.routes, ev.two)
		locals := []string{ev.two}
		clerk := ev.clerk
		if clerk == "" {
			// ;1 came first and was reported: the call talks through it.
			clerk = f.replaced
			locals = append(locals, f.replaced)
		} else {
			f.routes = append(f.routes, ev.one)
			locals = append([]string{ev.one}, locals...)
		}
		f.log.Info("the clerk transfers the call with the phone's key", "to", f.numberForLog(ev.exten))
		return f.transferTo(clerk, ev.exten, locals)
	}
	return nil
}

// numberForLog is what a log line may show of a number a clerk keyed or
// dialed: the office's numbers as they are; anything else, a citizen's
// number perhaps, masked.
func (f *flow) numberForLog(number string) any {
	if _, ok := dialplan.Resolve(f.set.Directory, number); ok {
		return number
	}
	return callcare.Number(number)
}

// transferTo says what a transfer's number reaches, with the absences as
// a call dialed to it would have them (P4c): a colleague who is away is
// not rung, whoever covers them is.
func (f *flow) transferTo(leg, number string, locals []string) policy.Transferred {
	ev := policy.Transferred{Leg: leg, To: number, Locals: locals}
	t, ok := dialplan.Resolve(f.set.Directory, number)
	if !ok {
		f.log.Warn("a transfer to a number that reaches nobody: the clerk is rung back", "to", callcare.Number(number))
		return ev
	}
	now := f.svc.clock.Now()
	r, err := policy.RouteCall(f.set.Directory, f.svc.book(f.set, now), t, now)
	if err != nil {
		f.log.Error("overflow chain", "err", err)
	}
	for _, w := range r.Warnings {
		f.log.Warn("forwards loop at call time", "why", w)
	}
	logForwarded(f.log, r.Forwarded)
	ev.Target, ev.Found, ev.Steps = t, len(r.Steps) > 0, r.Steps
	return ev
}

// dropPendingHalves forgets the ;2 halves still waiting for their ;1 when
// the service stops: Asterisk keeps them, as it keeps every call.
func (s *Service) dropPendingHalves() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for base, p := range s.pendingLocal {
		p.timer.Stop()
		delete(s.pendingLocal, base)
	}
}

// addToBridge adds a transfer's target to the caller's bridge.
func (f *flow) addToBridge(ctx context.Context, leg string, clerk callcare.ClerkID, add func() error) {
	if clerk != "" {
		f.markBusy(clerk)
	}
	err := add()
	if err != nil && !IsNotFound(err) {
		// The target hanging up at that instant makes Asterisk refuse
		// (not in the application any more): its end is on its way.
		if _, gone := f.svc.client.Channel(ctx, leg); IsNotFound(gone) {
			return
		}
	}
	// Not joined, the caller would wait alone in the bridge, the music
	// stopped: the fallback rings a person instead.
	f.stuckUnless("bridge the transfer's target", err)
}
