package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/agi"
	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/clock"
	"github.com/callcare/callcare/config"
	"github.com/callcare/callcare/dialplan"
	"github.com/callcare/callcare/policy"
	"github.com/callcare/callcare/sqlite"
)

// hooks answers the dialplan's FastAGI hooks with the store and the
// configuration in force (replaced on reload).
type hooks struct {
	db    *sqlite.DB
	cfg   atomic.Pointer[config.Config]
	clock clock.Clock
	log   *slog.Logger
}

// OutboundAnswered: a clerk's own call to a citizen was answered, so the
// citizen's callbacks are settled (P4c).
func (h *hooks) OutboundAnswered(ctx context.Context, number callcare.Number, endpoint string) error {
	by := endpoint
	for _, c := range h.cfg.Load().Directory.Clerks {
		if c.Endpoint == endpoint {
			by = string(c.ID)
		}
	}
	n, err := h.db.CloseCallbacks(ctx, number, callcare.ResolvedOutbound, by, h.clock.Now())
	if err != nil {
		return fmt.Errorf("close callbacks after an outbound call: %w", err)
	}
	if n > 0 {
		h.log.Info("callbacks closed: a clerk's call reached the citizen", "tasks", n, "by", by)
	}
	return nil
}

// Route: whom a call for dialed rings first, after absences and forwards
// (P4c), for an office that keeps its own dialplan.
func (h *hooks) Route(ctx context.Context, dialed string) (agi.Route, error) {
	c := h.cfg.Load()
	now := h.clock.Now()
	fwds, err := h.db.Forwards(ctx, now)
	if err != nil {
		h.log.Warn("read the forwards set by phone; routing by the file's absences alone", "err", err)
	}
	book := &callcare.Absences{Rules: c.Absences, Forwards: fwds, Hours: c.OfficeHours}
	t, ok := lineTarget(c, dialed)
	if !ok {
		t, ok = dialplan.Resolve(&c.Directory, dialed)
	}
	if !ok {
		return agi.Route{}, nil
	}
	r, err := policy.RouteCall(&c.Directory, book, t, now)
	if err != nil {
		return agi.Route{}, err
	}
	for _, w := range r.Warnings {
		h.log.Warn("forwards loop at call time", "why", w)
	}
	ring := c.Procedure.RingLimit()
	out := agi.Route{RingSeconds: int((ring + time.Second - 1) / time.Second), Reason: r.Forwarded.Reason}
	if len(r.Steps) > 0 {
		var eps []string
		for _, cl := range r.Steps[0].Clerks {
			eps = append(eps, cl.Endpoint)
		}
		out.Dial = strings.Join(eps, "&")
	}
	return out, nil
}

func lineTarget(c *config.Config, dialed string) (callcare.Target, bool) {
	for _, l := range c.SpecialNeeds.Lines {
		if l.Number == dialed {
			return l.Target, true
		}
	}
	return callcare.Target{}, false
}

// Missed: a call the office's own dialplan rang and nobody answered is
// called back (P4c): it goes into the call log and the callback queue, as
// a call through the service would. The shipped fallback asks too: a call
// the service handed there itself already has its record (by the channel's
// id), is not counted twice, and is owed a task only if it has none open.
func (h *hooks) Missed(ctx context.Context, m agi.Missed) error {
	c := h.cfg.Load()
	now := h.clock.Now()
	if m.UniqueID != "" {
		switch rec, err := h.db.Call(ctx, m.UniqueID); {
		case err == nil:
			return h.owed(ctx, settings(c), rec, now)
		case callcare.ErrorCode(err) != callcare.ENOTFOUND:
			return fmt.Errorf("look for the service's record of the call: %w", err)
		}
	}
	t, ok := lineTarget(c, m.Dialed)
	if !ok {
		t, ok = dialplan.Resolve(&c.Directory, m.Dialed)
	}
	if !ok {
		return fmt.Errorf("%s is no office number", callcare.MaskNumber(m.Dialed))
	}
	// Nobody answered: the dialplan ended the line after its Dial (the
	// PBX's doing); a caller who gave up first hung up themselves.
	outcome, reason, by := callcare.OutcomeMissed, callcare.ReasonMissed, callcare.PartyPBX
	if m.Status == "CANCEL" || m.Status == "" {
		outcome, reason, by = callcare.OutcomeAbandoned, callcare.ReasonAbandoned, callcare.PartyCaller
	}
	id := "agi-" + m.UniqueID
	if m.UniqueID == "" {
		id = fmt.Sprintf("agi-%d", now.UnixNano())
	}
	set := settings(c)
	rec := callcare.CallRecord{ID: id, CallerID: m.CallerID, CallerName: m.CallerName, Dialed: m.Dialed, Target: t,
		StartedAt: now, EndedAt: now, Outcome: outcome, HungUpBy: by,
		Needs: set.Needs.NeedsOf(m.CallerID, m.Dialed)}
	if err := h.db.SaveCall(ctx, rec); err != nil {
		return fmt.Errorf("save the missed call: %w", err)
	}
	task, ok := set.Inbound.Rules.TaskFor(rec, reason, rec.Needs, now)
	if !ok {
		return nil // anonymous: nobody to call back
	}
	if _, _, err := h.db.MissedCall(ctx, task); err != nil {
		return fmt.Errorf("record the callback task: %w", err)
	}
	return nil
}

// owed makes sure a call the service handed to the fallback, which nobody
// answered there, has a callback task: the service made one when it gave
// up on the call, except after a failure of its own.
func (h *hooks) owed(ctx context.Context, set ari.Settings, rec callcare.CallRecord, now time.Time) error {
	task, ok := set.Inbound.Rules.TaskFor(rec, callcare.ReasonMissed, rec.Needs, now)
	if !ok {
		return nil // anonymous: nobody to call back
	}
	open, err := h.db.Callbacks(ctx, callcare.CallbackFilter{Status: callcare.CallbackOpen, Number: task.Number})
	if err != nil {
		return fmt.Errorf("look for the caller's open callback: %w", err)
	}
	if len(open) > 0 {
		return nil
	}
	if _, _, err := h.db.MissedCall(ctx, task); err != nil {
		return fmt.Errorf("record the callback task: %w", err)
	}
	return nil
}
