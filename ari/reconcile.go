package ari

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

// The reconciliation compares the service's calls with what Asterisk
// has, every few seconds and after every (re)connect: Asterisk replays
// nothing, and an event lost in a gap, a request refused, or the
// service's own crash can leave a channel nobody handles. What it finds:
//   - a call of the service whose channel Asterisk no longer has ends
//     (the call looks once more, then closes its record);
//   - a channel in the application that no call owns, seen so twice (a
//     call arriving right now is owned by the second look), is finished
//     sensibly: a citizen's call is adopted (adopt.go), two parties
//     talking are watched, a lone clerk's leg is hung up, a lone citizen
//     hears goodbye first; an empty bridge is removed;
//   - after a (re)connect, records an earlier run left "in progress" for
//     calls Asterisk no longer has are closed (policy.Interrupted).

// leftOverAfter: a channel nobody owned at two looks this far apart is
// left over, not a call whose StasisStart is still on its way.
const leftOverAfter = 500 * time.Millisecond

// recheck asks a flow to look whether its own channel is still there:
// chans are the application's channels at one moment.
type recheck struct{ chans map[string]bool }

// reconcileEveryFew runs the reconciliation every ReconcileEvery while
// the service takes calls.
func (s *Service) reconcileEveryFew(ctx context.Context) {
	if s.reconcileEvery < 0 {
		return
	}
	for ctx.Err() == nil {
		s.pause(ctx, s.reconcileEvery)
		if ctx.Err() == nil && s.Ready() {
			s.reconcile(ctx, false, false)
		}
	}
}

// reconcileAfterConnect looks at once (what nobody owns is noted), and
// again a moment later, when it acts and closes the records left open.
func (s *Service) reconcileAfterConnect(ctx context.Context) {
	s.spawn(func() {
		s.reconcile(ctx, false, true)
		s.pause(ctx, time.Second)
		if ctx.Err() == nil && s.Ready() {
			s.reconcile(ctx, true, true)
		}
	})
}

// reconcile is one look; closeStale also closes the records left open.
// With outside, it also looks at Asterisk's channels outside the
// application: a clerk's leg still ringing was originated, and enters
// Stasis only when answered (after a (re)connect: an earlier run, or the
// other instance, may have left one). Asterisk lists such a leg among the
// application's channels all the same, subscribed from the originate.
func (s *Service) reconcile(ctx context.Context, closeStale, outside bool) {
	s.reconciling.Lock()
	defer s.reconciling.Unlock()
	ctx = withRetry(ctx, s.retryFor)
	start := s.clock.Now()
	app, err := s.client.Application(ctx)
	if err != nil {
		s.log.Warn("reconcile with Asterisk: cannot list the application's channels", "err", err)
		return
	}
	chans := map[string]bool{}
	for _, id := range app.ChannelIDs {
		chans[id] = true
	}
	ringing := map[string]channelInfo{} // legs outside the application
	if outside {
		all, err := s.client.channels(ctx)
		if err != nil {
			s.log.Warn("reconcile with Asterisk: cannot list its channels", "err", err)
		}
		for _, ch := range all {
			if !chans[ch.ID] && isLegID(ch.ID) {
				ringing[ch.ID] = ch
			}
		}
	}
	s.mu.Lock()
	for f := range s.flows {
		f.in.push(recheck{chans})
	}
	for id := range s.handedOver {
		if !chans[id] { // its StasisEnd was lost with the link
			delete(s.handedOver, id)
		}
	}
	s.mu.Unlock()

	// What nobody owns, now and at the last look.
	var left []string
	seen := map[string]bool{}
	for _, id := range slices.Concat(app.ChannelIDs, app.BridgeIDs, slices.Collect(maps.Keys(ringing))) {
		if s.owns(id) {
			continue
		}
		seen[id] = true
		first, noted := s.unowned[id]
		switch {
		case !noted:
			s.unowned[id] = start
		case start.Sub(first) >= leftOverAfter:
			left = append(left, id)
		}
	}
	for id := range s.unowned {
		if !seen[id] {
			delete(s.unowned, id)
		}
	}
	if len(left) > 0 {
		s.finishLeftOvers(ctx, left, chans, ringing)
	}
	if closeStale {
		s.closeStale(ctx, start, chans)
	}
}

// leftOver is what the service knows of a channel it found.
type leftOver struct {
	info    channelInfo
	bridge  string // the bridge it is in, "" if none
	outside bool   // an originated leg, not in the application until answered
}

// finishLeftOvers deals with channels and bridges nobody owns; ringing are
// the legs found outside the application.
func (s *Service) finishLeftOvers(ctx context.Context, ids []string, inApp map[string]bool, ringing map[string]channelInfo) {
	found := map[string]*leftOver{}
	var bridges []string
	for _, id := range ids {
		if ch, ok := ringing[id]; ok {
			found[id] = &leftOver{info: ch, outside: true}
			continue
		}
		if !inApp[id] {
			bridges = append(bridges, id)
			continue
		}
		ch, err := s.client.channelInfo(ctx, id)
		if err != nil {
			if !IsNotFound(err) {
				s.log.Warn("reconcile: look at a channel nobody owns", "channel", id, "err", err)
			}
			continue
		}
		found[id] = &leftOver{info: ch, outside: ch.ringingLeg()}
	}
	members := map[string][]string{}
	for _, b := range bridges {
		m, err := s.client.Bridge(ctx, b)
		if err != nil {
			continue
		}
		members[b] = m.Channels
		for _, ch := range m.Channels {
			if l := found[ch]; l != nil {
				l.bridge = b
			}
		}
	}
	// A citizen's call is adopted with its legs and its bridge.
	taken := map[string]bool{}
	legsOf := s.legsByCall(ctx, found)
	s.saver.flush(ctx) // the records read below are as the calls left them
	for id, l := range found {
		if k := l.info.args().kind; k == "inbound" || k == "menu" || s.handedOn(ctx, l) { // a caller in the menu too
			for _, leg := range legsOf[id] {
				taken[leg.info.ID] = true
			}
			taken[id] = true
			s.adoptCall(ctx, l, legsOf[id], members[l.bridge])
		}
	}
	// Two parties talking, no call of ours: watch them.
	for b, ms := range members {
		if len(ms) == 2 && found[ms[0]] != nil && found[ms[1]] != nil && !taken[ms[0]] && !taken[ms[1]] {
			taken[ms[0]], taken[ms[1]] = true, true
			s.watchPair(b, found[ms[0]].info, found[ms[1]].info)
		}
	}
	// The rest: a clerk's leg of no call, a lone party.
	for id, l := range found {
		if taken[id] {
			continue
		}
		if l.info.args().kind == "callback-citizen" && l.info.State == "Up" {
			s.log.Info("reconcile: a citizen left alone on a callback hears goodbye", "channel", id)
			s.watchAlone(l.info)
			continue
		}
		s.log.Info("reconcile: a channel nobody owns is hung up", "channel", id, "state", l.info.State, "args", l.info.Dialplan.AppData)
		s.hangupUntilGone(id, "hang up a channel nobody owns")
	}
	// Bridges left empty, or left with nobody the service watches.
	for b, ms := range members {
		if s.owns(b) {
			continue
		}
		if len(ms) == 0 || !slices.ContainsFunc(ms, func(id string) bool { return taken[id] || s.owns(id) }) {
			s.logErr("remove a bridge nobody owns", s.client.DestroyBridge(ctx, b))
		}
	}
}

// handedOn: a citizen the service called (a callback, a notice) whose
// line became a citizen's call (a clerk transferred it, the notice put
// them through): it has a call record under its channel's id, not ended.
// Such a call is adopted as any citizen's call.
func (s *Service) handedOn(ctx context.Context, l *leftOver) bool {
	if k := l.info.args().kind; k != "callback-citizen" && k != "notice-citizen" {
		return false
	}
	rec, err := s.store.Calls.Call(ctx, l.info.ID)
	return err == nil && rec.EndedAt.IsZero()
}

// legsByCall finds the calls of the clerk legs among the found channels:
// a leg carries its call's id (CALLCARE_CALL), or, made by an older run,
// has it before its last "-".
func (s *Service) legsByCall(ctx context.Context, found map[string]*leftOver) map[string][]*leftOver {
	legs := map[string][]*leftOver{}
	for id, l := range found {
		if l.info.args().kind != "dialed" && !l.outside {
			continue
		}
		call, err := s.client.Variable(ctx, id, legCallVar)
		if err != nil || call == "" {
			if l.outside {
				delete(found, id) // not the service's: somebody else's channel
				continue
			}
			call = id[:max(strings.LastIndexByte(id, '-'), 0)]
		}
		legs[call] = append(legs[call], l)
	}
	for _, ls := range legs {
		slices.SortFunc(ls, func(a, b *leftOver) int { return strings.Compare(a.info.ID, b.info.ID) })
	}
	return legs
}

// closeStale closes the records an earlier run (or a flow that died) left
// in progress for calls Asterisk no longer has, started before the look
// began. Calls still in the application are adopted instead.
func (s *Service) closeStale(ctx context.Context, before time.Time, inApp map[string]bool) {
	s.saver.flush(ctx) // the records of calls just ended are final first
	recs, err := s.store.Calls.Calls(ctx, callcare.CallFilter{InProgress: true, Until: before})
	if err != nil {
		s.log.Warn("look for calls left in progress", "err", err)
		return
	}
	set := s.settings.Load()
	for _, rec := range recs {
		if inApp[rec.ID] || s.owns(rec.ID) {
			continue
		}
		now := s.clock.Now()
		closed, task := policy.Interrupted(rec, set.Inbound.Rules, now)
		if task != nil {
			if _, _, err := s.store.Callbacks.MissedCall(ctx, *task); err != nil {
				s.log.Warn("record the callback task of a call left in progress", "call", rec.ID, "err", err)
				continue
			}
		}
		if err := s.store.Calls.SaveCall(ctx, closed); err != nil {
			s.log.Warn("close a call left in progress", "call", rec.ID, "err", err)
			continue
		}
		s.log.Info("a call left in progress by an earlier run is closed", "call", rec.ID, "outcome", closed.Outcome,
			"callback", task != nil)
	}
}

// recheckOwn: the reconciliation did not see the flow's own channel in
// the application; a look at the channel itself decides.
func (f *flow) recheckOwn(ctx context.Context, r recheck) {
	if f.own == "" || f.ownEnded || r.chans[f.own] {
		return
	}
	if _, err := f.svc.client.Channel(ctx, f.own); IsNotFound(err) {
		f.log.Info("reconcile: the call's channel is gone without a word from Asterisk", "channel", f.own)
		f.in.push(f.ownGone)
	}
}

// ringingLeg: a clerk's leg originated and not answered yet, so not in
// Stasis (Asterisk's dialplan shows the dial's "AppDial2").
func (ch channelInfo) ringingLeg() bool {
	return isLegID(ch.ID) && ch.Dialplan.AppName != "Stasis"
}

// isLegID tells the ids the service gives clerks' legs: the call's id (an
// Asterisk unique id, "1795478171.12") and "-" with the leg's number.
func isLegID(id string) bool {
	call, n, ok := strings.Cut(id, "-")
	if !ok || n == "" || strings.Trim(n, "0123456789") != "" {
		return false
	}
	sec, seq, ok := strings.Cut(call, ".")
	return ok && sec != "" && seq != "" && strings.Trim(sec+seq, "0123456789") == ""
}

// channels lists every channel Asterisk has, in the application or not.
func (c *Client) channels(ctx context.Context) ([]channelInfo, error) {
	var chs []channelInfo
	err := c.do(ctx, http.MethodGet, "/channels", nil, nil, &chs)
	return chs, err
}
