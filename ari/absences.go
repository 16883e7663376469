package ari

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"time"

	"github.com/CyCoreSystems/ari/v5"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

// book is every absence in force or to come at now: the file's, from the
// settings a flow started with, and the forwards set by phone or the
// command line, read from the store, which win over the file's (P4c). A
// store that cannot be read leaves the file's: the call still rings.
func (s *Service) book(set *Settings, now time.Time) *callcare.Absences {
	b := set.Absences
	if s.store.Forwards == nil {
		return &b
	}
	fwds, err := s.store.Forwards.Forwards(s.ctx, now)
	if err != nil {
		s.log.Warn("read the forwards set by phone; routing by the file's absences alone", "err", err)
		return &b
	}
	b.Forwards = fwds
	return &b
}

// logForwarded says why a call rings somebody else (P4c, P4d): for whom it
// was meant, who takes it, and the reason the substitute's phone is told.
func logForwarded(log *slog.Logger, fwd callcare.Forwarding) {
	if !fwd.Forwarded() {
		return
	}
	log.Info("the clerk is away: the call goes to who covers them", "meant_for", fwd.For.String(),
		"rings", fwd.To.String(), "set_by", fwd.By, "reason", fwd.Reason, "loop", fwd.Loop)
}

// dialedForLog is what a log line may show of the number dialed: a Stasis
// argument, the dialplan's ${EXTEN}, which a trunk or a phone may fill with
// anything. An office number is digits; anything else shows as its length.
func dialedForLog(s string) string {
	if officeNumber.MatchString(s) {
		return s
	}
	return fmt.Sprintf("(%d bytes, not digits)", len(s))
}

var officeNumber = regexp.MustCompile(`^[0-9]{1,20}$`)

// featureDigits is what the dialplan passes of a forward code: digits, *
// and #, as FILTER(0-9*#,...) leaves them. Anything else is not a code.
var featureDigits = regexp.MustCompile(`^[0-9*#]{1,40}$`)

// startForward takes a clerk who dialed a forward code (P4c): the dialplan
// sends it with Stasis(callcare,forward,<TECH/endpoint>,<the code>), the
// endpoint Asterisk authenticated, never a caller id a phone can set. A
// channel that names no clerk's endpoint, or a code that is no code, is
// hung up.
func (s *Service) startForward(st *ari.StasisStart) {
	set, clerk, ok := s.codeClerk(st, "forward")
	if !ok {
		return
	}
	dialed := ""
	if len(st.Args) > 2 {
		dialed = st.Args[2]
	}
	id := st.Channel.ID
	if !featureDigits.MatchString(dialed) {
		s.log.Warn("forward code that is not digits, * and #; hanging up", "clerk", clerk.ID, "length", len(dialed))
		s.hangupLater(id)
		return
	}
	f := s.newFlow(id, id, policy.ClerkGone{}, func(now time.Time) (machine, []policy.Action) {
		return policy.StartForward(id, clerk, dialed, set.Directory, &set.Absences, set.Forwarding, now)
	})
	f.log.Info("clerk dials a forward code", "clerk", clerk.ID)
	s.start(f, id)
}

// executeForward keeps a forward set, or cleared, from a desk phone, and
// tells the flow how it went.
func (f *flow) executeForward(ctx context.Context, a policy.Action) {
	store := f.svc.store.Forwards
	ok := false
	switch a := a.(type) {
	case policy.SetForward:
		if store != nil {
			ok = f.check("set a forward", store.SetForward(ctx, a.Forward))
		}
		if ok {
			fw := a.Forward
			f.log.Info("forward set by phone", "clerk", fw.Clerk, "to", fw.To.String(), "until", fw.Until, "by", fw.SetBy)
		}
	case policy.ClearForward:
		if store != nil {
			had, err := store.ClearForward(ctx, a.Clerk, string(a.By), f.svc.clock.Now())
			if ok = f.check("clear a forward", err); ok {
				f.log.Info("forward cleared by phone", "clerk", a.Clerk, "by", a.By, "had_one", had)
			}
		}
	}
	f.in.push(policy.ForwardSaved{OK: ok})
}
