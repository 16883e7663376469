package ari

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/CyCoreSystems/ari/v5"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

// Adoption: after its own crash (or a lost track) the service finds
// citizens' calls in the application that no call of its own handles.
// What it knows of them comes from Asterisk and the store: the caller's
// channel (its dialed number, caller id, creation time, whether it is
// answered and bridged), the legs the earlier run made (each carries the
// call's id and the clerk's, set as channel variables when it was
// created, and its creation time), and the call's record. The policy
// decides (policy.Adopt); a new flow carries the call on.

// The channel variables a call's clerk legs carry, set when they are
// created.
const (
	legCallVar  = "CALLCARE_CALL"
	legClerkVar = "CALLCARE_CLERK"
)

// adoptCall takes over a citizen's call found in the application.
func (s *Service) adoptCall(ctx context.Context, caller *leftOver, legs []*leftOver, bridged []string) {
	id := caller.info.ID
	set := s.settings.Load()
	a := policy.Arrival{CallID: id, Dialed: caller.info.args().dialed,
		CallerID: callcare.Number(caller.info.Caller.Number), CallerName: caller.info.Caller.Name}
	now := s.clock.Now()
	book := s.book(set, now)
	if _, err := set.resolve(&a, book, now); err != nil {
		s.log.Error("overflow chain", "err", err)
	}
	// A caller of the voice menu: handed over to ringing (or still
	// choosing, and then nobody rings).
	found := policy.Found{Started: caller.info.created(), HandedOver: caller.info.args().kind == "menu"}
	rec, err := s.store.Calls.Call(ctx, id) // the saver was flushed before the adoptions (finishLeftOvers)
	switch {
	case err == nil:
		found.Record = rec
	case callcare.ErrorCode(err) != callcare.ENOTFOUND:
		s.log.Warn("adopt a call: read its record", "call", id, "err", err)
	}
	if t := found.Record.Target; t.Kind != "" && t != a.Target {
		// Where the call was going, not where its number goes: the
		// menu's choice (a matter's department, a person), or the
		// directory as it was when the call came.
		r, err := policy.RouteCall(set.Directory, book, t, now)
		if err != nil {
			s.log.Error("overflow chain", "err", err)
		}
		a.Target, a.Found, a.Steps, a.Forwarded, a.OnDuty = t, true, r.Steps, r.Forwarded, r.OnDuty
	}
	found.Arrival = a
	if n := len(found.Record.Transfers); n > 0 {
		found.Transfer = s.lastTransfer(set, book, found.Record.Transfers[n-1], now)
	}
	ids := []string{id}
	clerks := map[string]callcare.ClerkID{}
	var originated []string // legs still ringing: they enter the application when answered
	for _, l := range legs {
		clerk, err := s.client.Variable(ctx, l.info.ID, legClerkVar)
		if err != nil && !IsNotFound(err) { // 404: no such variable, or the leg is gone
			s.log.Warn("adopt a call: read a leg's clerk", "leg", l.info.ID, "err", err)
		}
		fl := policy.FoundLeg{ID: l.info.ID, Clerk: callcare.ClerkID(clerk), Created: l.info.created(), State: l.info.State}
		found.Legs = append(found.Legs, fl)
		clerks[l.info.ID] = fl.Clerk
		ids = append(ids, l.info.ID)
		if l.outside {
			originated = append(originated, l.info.ID)
		}
		if caller.bridge != "" && l.bridge == caller.bridge {
			found.Bridged = l.info.ID
		}
	}
	f := s.newFlow(id, id, policy.CallerGone{}, nil)
	f.answered = caller.info.State == "Up"
	if caller.bridge != "" && (found.Bridged != "" || len(bridged) <= 1) {
		f.bridge = caller.bridge // the call's own: removed when it ends
		ids = append(ids, caller.bridge)
	}
	for leg, c := range clerks {
		f.legClerk[leg] = c
	}
	for _, leg := range originated {
		f.originated[leg] = true
	}
	f.start = func(now time.Time) (machine, []policy.Action) {
		c, acts := policy.Adopt(found, f.set.Inbound, now)
		rec := c.Record()
		f.log.Info("a call found in Asterisk is adopted", "caller", rec.CallerID, "dialed", dialedForLog(rec.Dialed),
			"legs", len(found.Legs), "talking", found.Bridged != "", "record", found.Record.ID != "", "now", phaseOf(c))
		if found.Bridged != "" && !c.Done() {
			f.markBusy(clerks[found.Bridged])
		}
		return c, acts
	}
	f.routes = append(f.routes, ids[1:]...)
	s.start(f, ids...)
	// Events between the look and now went to nobody: look again.
	f.in.push(policy.LinkBack{})
}

// lastTransfer is a found call's last transfer as today's directory has
// it: the clerk who made it, and its target's chain with today's absences,
// as a transfer made now would ring (transferTo).
func (s *Service) lastTransfer(set *Settings, book *callcare.Absences, t callcare.Transfer, now time.Time) policy.FoundTransfer {
	by, ok := set.Directory.Clerk(t.By)
	if !ok {
		by = callcare.Clerk{ID: t.By}
	}
	ft := policy.FoundTransfer{By: by}
	if t.To.Kind == "" {
		return ft // to a number that reached nobody: the clerk was rung back
	}
	r, err := policy.RouteCall(set.Directory, book, t.To, now)
	if err != nil {
		s.log.Error("overflow chain", "err", err)
	}
	ft.Steps = r.Steps
	return ft
}

// phaseOf says, for the log, where an adopted call goes on.
func phaseOf(c *policy.Inbound) string {
	r := c.Record()
	w, _ := c.Waiting()
	switch {
	case c.Done():
		return string(r.Outcome)
	case w == policy.WaitTransfer:
		return "transferring"
	case !r.AnsweredAt.IsZero():
		return "talking"
	}
	return "ringing"
}

// watchPair watches two parties talking in a bridge of no call.
func (s *Service) watchPair(bridge string, a, b channelInfo) {
	own, leg := a, b
	if b.args().kind == "callback-citizen" {
		own, leg = b, a
	}
	id := "watch-" + own.ID
	prompts := s.settings.Load().Inbound.Prompts
	f := s.newFlow(id, own.ID, policy.CallerGone{}, func(time.Time) (machine, []policy.Action) {
		return policy.StartWatch(id, own.ID, leg.ID, prompts), nil
	})
	f.answered, f.bridge = true, bridge
	f.routes = append(f.routes, leg.ID, bridge)
	s.log.Info("reconcile: two parties talking with no call of the service are watched", "channel", own.ID, "with", leg.ID)
	s.start(f, own.ID, leg.ID, bridge)
	f.in.push(policy.LinkBack{})
}

// watchAlone says goodbye to a party alone on a line nobody handles, then
// ends it.
func (s *Service) watchAlone(ch channelInfo) {
	id := "watch-" + ch.ID
	prompts := s.settings.Load().Inbound.Prompts
	f := s.newFlow(id, ch.ID, policy.CallerGone{}, func(now time.Time) (machine, []policy.Action) {
		w := policy.StartWatch(id, ch.ID, "", prompts)
		return w, w.Step(policy.LegGone{}, now)
	})
	f.answered = true
	s.start(f, ch.ID)
}

// channelInfo is what the service reads of a channel it found: the v5
// model drops app_data, which tells a citizen's call from a clerk's leg.
type channelInfo struct {
	ID     string `json:"id"`
	State  string `json:"state"`
	Caller struct {
		Name   string `json:"name"`
		Number string `json:"number"`
	} `json:"caller"`
	Creation string `json:"creationtime"`
	Dialplan struct {
		Exten   string `json:"exten"`
		AppName string `json:"app_name"`
		AppData string `json:"app_data"`
	} `json:"dialplan"`
}

func (c *Client) channelInfo(ctx context.Context, id string) (channelInfo, error) {
	var ch channelInfo
	err := c.do(ctx, http.MethodGet, chanPath(id), nil, nil, &ch)
	return ch, err
}

// created is when Asterisk created the channel; zero if it does not say.
func (ch channelInfo) created() time.Time {
	t, err := time.Parse(ari.DateFormat, ch.Creation)
	if err != nil {
		return time.Time{}
	}
	return t
}

// stasisArgs are a channel's Stasis() arguments: what kind of channel of
// the service it is (inbound, dialed, clerk, callback-citizen,
// callback-clerk) and, for a citizen's call, the number dialed.
type stasisArgs struct{ kind, dialed string }

func (ch channelInfo) args() stasisArgs {
	parts := strings.Split(ch.Dialplan.AppData, ",")
	var a stasisArgs
	if len(parts) > 1 {
		a.kind = parts[1]
	}
	if len(parts) > 2 {
		a.dialed = parts[2]
	}
	if (a.kind == "inbound" || a.kind == "menu") && a.dialed == "" {
		a.dialed = ch.Dialplan.Exten
	}
	return a
}
