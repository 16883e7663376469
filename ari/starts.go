package ari

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/CyCoreSystems/ari/v5"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

// startCall takes a citizen's call that entered the application with
// Stasis(callcare,inbound,${EXTEN},ringing), or without "ringing" when the
// dialplan does not ring the caller itself.
func (s *Service) startCall(st *ari.StasisStart) {
	a := policy.Arrival{CallID: st.Channel.ID}
	if len(st.Args) > 1 {
		a.Dialed = st.Args[1]
	}
	if st.Channel.Caller != nil {
		a.CallerID, a.CallerName = callcare.Number(st.Channel.Caller.Number), st.Channel.Caller.Name
	}
	f := s.newFlow(st.Channel.ID, st.Channel.ID, policy.CallerGone{}, nil)
	// Stasis(callcare,inbound,${EXTEN},ringing): the dialplan's Ringing()
	// came first, so the caller hears ringing before the service is asked.
	f.rung = len(st.Args) > 2 && st.Args[2] == "ringing"
	f.start = func(now time.Time) (machine, []policy.Action) {
		warnings, err := f.set.resolve(&a, s.book(f.set, now), now)
		if err != nil {
			// Config validation refuses broken chains; ring what could be expanded.
			f.log.Error("overflow chain", "err", err)
		}
		for _, w := range warnings {
			f.log.Warn("forwards loop at call time", "why", w)
		}
		if a.Found {
			f.log.Info("call arrives", "caller", a.CallerID, "dialed", dialedForLog(a.Dialed),
				"target", a.Target.String(), "steps", len(a.Steps), "needs", a.Needs)
			logForwarded(f.log, a.Forwarded)
		} else {
			f.log.Info("call for a number that reaches nobody", "caller", a.CallerID, "dialed", dialedForLog(a.Dialed))
		}
		return policy.Start(a, f.set.Inbound, now)
	}
	s.start(f, st.Channel.ID)
}

// codeClerk is the clerk whose desk phone dialed a feature code
// (Stasis(callcare,<code>,<TECH/endpoint>,...): the endpoint Asterisk
// authenticated, never a caller id a phone can set). A channel that names
// no clerk's endpoint is hung up, and false returned.
func (s *Service) codeClerk(st *ari.StasisStart, code string) (*Settings, callcare.Clerk, bool) {
	endpoint := ""
	if len(st.Args) > 1 {
		endpoint = st.Args[1]
	}
	set := s.settings.Load()
	clerk, ok := clerkAt(set.Directory, endpoint)
	if !ok {
		s.log.Warn(code+" code from a phone that is no clerk's; hanging up", "endpoint", callcare.MaskNumber(endpoint))
		s.hangupLater(st.Channel.ID)
	}
	return set, clerk, ok
}

// startQueue takes a clerk who dialed the feature code: the dialplan sends
// it with Stasis(callcare,clerk,PJSIP/${CHANNEL(endpoint)}) (codeClerk).
func (s *Service) startQueue(st *ari.StasisStart) {
	set, clerk, ok := s.codeClerk(st, "callback queue")
	if !ok {
		return
	}
	id := st.Channel.ID
	f := s.newFlow(id, id, policy.ClerkGone{}, func(now time.Time) (machine, []policy.Action) {
		covering := policy.Covering(set.Directory, s.book(set, now), clerk, now)
		if len(covering) > 0 {
			s.log.Info("the clerk's queue holds the callbacks of absent colleagues", "clerk", clerk.ID, "covering", covering)
		}
		return policy.StartQueueCovering(id, clerk, covering, set.session(), now)
	})
	f.claimer = clerk.ID
	f.log.Info("clerk works the callback queue", "clerk", clerk.ID)
	s.start(f, id)
}

var agreedSeq atomic.Int64

// scheduler is who holds an agreed callback's task while clerks are rung.
const scheduler callcare.ClerkID = "(agreed-time)"

// startAgreed rings a clerk for a callback whose agreed time has come
// (P4m): the clerk, the substitute, the department, and the department's
// head if escalation goes there.
func (s *Service) startAgreed(set *Settings, t callcare.CallbackTask, steps [][]callcare.Clerk) {
	id := fmt.Sprintf("callback-%d-%d", t.ID, agreedSeq.Add(1))
	f := s.newFlow(id, "", policy.ClerkGone{}, func(now time.Time) (machine, []policy.Action) {
		return policy.StartAgreed(id, t, steps, set.session(), now)
	})
	f.claimer = scheduler
	f.log.Info("agreed callback: ringing the clerk first", "task", t.ID)
	s.start(f)
}

// agreedSteps: who is rung for an agreed callback at now, in turn; each
// clerk once, and nobody who is away: who covers an absent clerk first
// (P4c, P4m).
func (s *Service) agreedSteps(set *Settings, t callcare.CallbackTask, now time.Time) [][]callcare.Clerk {
	return policy.AgreedSteps(set.Directory, s.book(set, now), t, set.EscalateToHead, now)
}
