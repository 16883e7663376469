package ari_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/dialplan"
	"github.com/callcare/callcare/pbxsim"
)

// TestOverload_CallsBeyondCapacityGoToTheFallback: the service carries
// two calls at most; of five arriving together, three go at once to the
// dialplan's fallback (a continue each), are never left in the
// application and never recorded (whoever answers them there answered
// them), and the log says so once, not once a call. When calls end the
// service takes new ones again.
func TestOverload_CallsBeyondCapacityGoToTheFallback(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.options = func(o *ari.Options) { o.MaxCalls = 2 }
	e.run(t, testSettings(), ari.Stores{Calls: e.db, Callbacks: e.db, Queue: e.db})
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(10 * time.Second)})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(10 * time.Second)})
	var calls []*pbxsim.Call
	for i := range 5 {
		c, err := e.pbx.Call(pbxsim.Caller{Number: "48600100200", Exten: []string{"101", "102"}[i%2], App: "callcare", Ringing: true})
		if err != nil {
			t.Fatal(err)
		}
		calls = append(calls, c)
	}
	e.advance(t, time.Minute)
	served, toFallback := 0, 0
	for _, c := range calls {
		ended(t, c)
		_, err := e.db.Call(context.Background(), c.ChannelID())
		switch callcare.ErrorCode(err) {
		case "":
			served++
		case callcare.ENOTFOUND:
			toFallback++
		default:
			t.Fatal(err)
		}
	}
	if served != 2 || toFallback != 3 || e.svc.Stats().ToFallback != 3 {
		t.Errorf("%d served, %d not recorded, %d counted to the fallback; want 2, 3, 3", served, toFallback, e.svc.Stats().ToFallback)
	}
	if n := e.pbx.Stats().RequestsByPath["POST /channels/{channelId}/continue"]; n != 3 {
		t.Errorf("%d continues, want 3", n)
	}
	// Said at once, then at most once a second: the three came together.
	if n := strings.Count(e.logs.String(), "overloaded: new calls go to the dialplan's fallback"); n < 1 || n > 2 {
		t.Errorf("said %d times, want once or twice:\n%s", n, e.logs)
	}
	if n := toFallbackSaid(e.logs.String()); n != 3 {
		t.Errorf("the log counts %d calls to the fallback, want 3:\n%s", n, e.logs)
	}
	if tasks, _ := e.db.Callbacks(context.Background(), callcare.CallbackFilter{}); len(tasks) != 0 {
		t.Errorf("%d callback tasks; want none", len(tasks))
	}
	// Capacity again.
	call := e.call(t, pbxsim.Caller{Number: "48600100201", Exten: "101", Ringing: true})
	e.advance(t, time.Minute)
	if rec := e.record(t, call); rec.AnsweredBy != "anowak" {
		t.Errorf("after the calls ended: %s by %q", rec.Outcome, rec.AnsweredBy)
	}
	if !strings.Contains(e.logs.String(), "capacity again") {
		t.Errorf("the log does not say the service takes calls again:\n%s", e.logs)
	}
	e.settled(t)
}

// TestOverload_SlowAsteriskSendsCallsToTheFallback: Asterisk's answers
// slower on average than the bound (here any time at all) say the PBX is
// saturated: a new call goes to the fallback rather than waiting on it.
func TestOverload_SlowAsteriskSendsCallsToTheFallback(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.options = func(o *ari.Options) { o.MaxLatency = time.Nanosecond }
	e.run(t, testSettings(), ari.Stores{Calls: e.db, Callbacks: e.db, Queue: e.db})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101", Ringing: true})
	e.advance(t, 10*time.Second)
	wentToFallback(t, e, call, "latency")
	if st := e.svc.Stats(); st.ToFallback != 1 || st.Latency <= 0 {
		t.Errorf("stats %+v; want one call to the fallback, a latency", st)
	}
	e.settled(t)
}

// TestOverload_LateEventsSendCallsToTheFallback: Asterisk's events come
// late (its queue of the application's events backs up before its answers
// slow down): new calls go to the fallback until they come on time again.
func TestOverload_LateEventsSendCallsToTheFallback(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// A bound no REST request of a busy test machine reaches.
	e.options = func(o *ari.Options) { o.MaxLatency = 400 * time.Millisecond }
	e.run(t, testSettings(), ari.Stores{Calls: e.db, Callbacks: e.db, Queue: e.db})
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(5 * time.Second)})
	// A call on time first: what on time looks like.
	onTime := e.call(t, pbxsim.Caller{Number: "48600100100", Exten: "101", Ringing: true})
	e.advance(t, 20*time.Second)
	if rec := e.record(t, onTime); rec.AnsweredBy != "anowak" {
		t.Fatalf("on time: %s by %q", rec.Outcome, rec.AnsweredBy)
	}
	e.pbx.SetEventDelay(2 * time.Second)
	late := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101", Ringing: true})
	e.advance(t, 30*time.Second)
	wentToFallback(t, e, late, "late events")
	// On time again: after a few calls the average is under the bound.
	e.pbx.SetEventDelay(0)
	var served *pbxsim.Call
	for i := range 10 {
		c := e.call(t, pbxsim.Caller{Number: fmt.Sprintf("4860010030%d", i), Exten: "101", Ringing: true})
		e.advance(t, 20*time.Second)
		if _, err := e.db.Call(context.Background(), c.ChannelID()); err == nil {
			served = c
			break
		}
	}
	if served == nil {
		t.Fatal("calls on time still go to the fallback")
	}
	if rec := e.record(t, served); rec.AnsweredBy != "anowak" {
		t.Errorf("on time again: %s by %q", rec.Outcome, rec.AnsweredBy)
	}
	if st := e.svc.Stats(); st.ToFallback < 1 || st.EventsLate >= 400*time.Millisecond {
		t.Errorf("stats %+v; want a call to the fallback, events on time now", st)
	}
	e.settled(t)
}

// TestOverload_BusyMachineSendsCallsToTheFallback: the machine's
// processors busier than the bound (Asterisk beside the service is short
// of CPU, though it answers quickly) send new calls to the fallback; once
// they are well under it, calls are the service's again. The counters are
// looked at every half second on the service's clock.
func TestOverload_BusyMachineSendsCallsToTheFallback(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	setShare := fakeCPU(e, 0.95)
	e.run(t, testSettings(), ari.Stores{Calls: e.db, Callbacks: e.db, Queue: e.db})
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(5 * time.Second)})
	// The first look has nothing to compare with: the call is served.
	anna := func(number string) *pbxsim.Call {
		c := e.call(t, pbxsim.Caller{Number: number, Exten: "101", Ringing: true})
		e.advance(t, 20*time.Second)
		return c
	}
	if rec := e.record(t, anna("48600100100")); rec.AnsweredBy != "anowak" {
		t.Fatalf("first call: %s by %q", rec.Outcome, rec.AnsweredBy)
	}
	wentToFallback(t, e, anna("48600100200"), "cpu")
	// Under the bound, but not by enough to take calls again.
	setShare(0.80)
	e.advance(t, 2*time.Second)
	wentToFallback(t, e, anna("48600100250"), "cpu")
	setShare(0.40)
	e.advance(t, 2*time.Second)
	if rec := e.record(t, anna("48600100300")); rec.AnsweredBy != "anowak" {
		t.Errorf("the machine idle again: %s by %q", rec.Outcome, rec.AnsweredBy)
	}
	if st := e.svc.Stats(); st.ToFallback != 2 {
		t.Errorf("%d calls to the fallback; want 2", st.ToFallback)
	}
	e.settled(t)
}

// TestOverload_CallsPastTheRateGoToTheFallback: the service takes so many
// new calls a second (here 4: one at once, then one each quarter second);
// from the first call past that, new calls go to the fallback, and the
// dialplan is told to send the next ones there, though the service has
// room: a flood is turned away before it saturates the PBX. The dialplan's
// share stays up while calls still come too fast (here a dialplan
// rendered before the share, so all reach the service), and comes down
// once they do not.
func TestOverload_CallsPastTheRateGoToTheFallback(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.options = func(o *ari.Options) { o.MaxCallsPerSecond = 4 }
	e.run(t, testSettings(), ari.Stores{Calls: e.db, Callbacks: e.db, Queue: e.db})
	for _, phone := range []string{"PJSIP/101", "PJSIP/102", "PJSIP/103"} {
		e.pbx.SetPhone(phone, pbxsim.Phone{AnswerAfter: time.Second, Script: talk(2 * time.Second)})
	}
	flood := e.callsAtOnce(t, 3, pbxsim.Caller{Number: "48600100100", Exten: "101", Ringing: true})
	e.settle(t)
	wantShare(t, e, "past the rate", "100")
	e.advance(t, 300*time.Millisecond)
	later := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "102", Ringing: true})
	e.advance(t, 900*time.Millisecond) // past the first look
	flood = append(flood, e.callsAtOnce(t, 3, pbxsim.Caller{Number: "48600100300", Exten: "103", Ringing: true})...)
	e.advance(t, 1300*time.Millisecond) // past the second
	wantShare(t, e, "calls came too fast since the last look", "100")
	e.advance(t, time.Second)
	wantShare(t, e, "they did not", "90")
	e.advance(t, time.Minute)
	served := 0
	for _, c := range flood {
		ended(t, c)
		if _, err := e.db.Call(context.Background(), c.ChannelID()); err == nil {
			served++
		}
	}
	if served != 2 || e.svc.Stats().ToFallback != 4 {
		t.Errorf("of two floods of three: %d served, %d to the fallback; want 2, 4", served, e.svc.Stats().ToFallback)
	}
	if rec := e.record(t, later); rec.AnsweredBy != "pwisniewski" {
		t.Errorf("a quarter second later: %s by %q; want the service to take it", rec.Outcome, rec.AnsweredBy)
	}
	if !strings.Contains(e.logs.String(), "why=rate") || !strings.Contains(e.logs.String(), "capacity again") {
		t.Errorf("the log does not say why, or that calls are the service's again:\n%s", e.logs)
	}
	e.settled(t)
}

// TestOverload_TheDialplanSendsNewCallsWhileFull: once a call has gone to
// the fallback, the service has the dialplan send the next ones there
// before Stasis() (a plain Dial costs Asterisk less than entering the
// application and a continue), counts them from the dialplan's own count,
// and says so once a second; when the service has room again the
// dialplan sends calls to it again.
func TestOverload_TheDialplanSendsNewCallsWhileFull(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.options = func(o *ari.Options) { o.MaxCalls = 1 }
	e.pbx.SetGlobal(dialplan.OverloadedVar+"_CALLS", "40") // earlier episodes': Asterisk's count goes on
	e.run(t, testSettings(), ari.Stores{Calls: e.db, Callbacks: e.db, Queue: e.db})
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(10 * time.Second)})
	rendered := func(number string) pbxsim.Caller {
		return pbxsim.Caller{Number: number, Exten: "101", Ringing: true, Overloaded: dialplan.OverloadedVar}
	}
	first := e.call(t, rendered("48600100100"))
	e.advance(t, 4*time.Second)
	second := e.call(t, rendered("48600100200")) // full: the service sends it on
	if !wantShare(t, e, "the service full", "100") {
		t.FailNow()
	}
	third := e.call(t, rendered("48600100300"))
	if second.ShedByDialplan() || !third.ShedByDialplan() {
		t.Fatalf("shed by the dialplan: second %v, third %v; want the third only", second.ShedByDialplan(), third.ShedByDialplan())
	}
	e.advance(t, 2*time.Second)
	if st := e.svc.Stats(); st.ToFallback != 2 {
		t.Errorf("%d calls counted to the fallback; want 2 (one sent on by the service, one by the dialplan)", st.ToFallback)
	}
	if n := e.pbx.Stats().RequestsByPath["POST /channels/{channelId}/continue"]; n != 1 {
		t.Errorf("%d continues, want 1", n)
	}
	e.advance(t, time.Minute) // the first call ends: room again
	if rec := e.record(t, first); rec.AnsweredBy != "anowak" {
		t.Errorf("first call: %s by %q", rec.Outcome, rec.AnsweredBy)
	}
	wantShare(t, e, "room again", "0")
	if n := toFallbackSaid(e.logs.String()); n != 2 {
		t.Errorf("the log counts %d calls to the fallback, want 2:\n%s", n, e.logs)
	}
	next := e.call(t, rendered("48600100400"))
	e.advance(t, time.Minute)
	if rec := e.record(t, next); rec.AnsweredBy != "anowak" {
		t.Errorf("with room again: %s by %q", rec.Outcome, rec.AnsweredBy)
	}
	for _, c := range []*pbxsim.Call{second, third} {
		if _, err := e.db.Call(context.Background(), c.ChannelID()); callcare.ErrorCode(err) != callcare.ENOTFOUND {
			t.Errorf("a call sent to the fallback is recorded: %v", err)
		}
	}
	e.settled(t)
}

// TestOverload_AStaleFullIsClearedAtStart: a run that ended while full
// left the dialplan sending calls to the fallback; the next run clears it
// as it connects, and takes calls.
func TestOverload_AStaleFullIsClearedAtStart(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.pbx.SetGlobal(dialplan.OverloadedVar, "100")
	e.run(t, testSettings(), ari.Stores{Calls: e.db, Callbacks: e.db, Queue: e.db})
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(5 * time.Second)})
	call := e.call(t, pbxsim.Caller{Number: "48600100100", Exten: "101", Ringing: true, Overloaded: dialplan.OverloadedVar})
	e.advance(t, 20*time.Second)
	if rec := e.record(t, call); rec.AnsweredBy != "anowak" {
		t.Errorf("%s by %q; want the service to take it", rec.Outcome, rec.AnsweredBy)
	}
	e.settled(t)
}

// TestOverload_CallsComeBackGradually: the dialplan sends every new call
// to the fallback at first; each second the service has room it takes 10
// points more of them, and each second it is full again 30 points fewer.
// Calls let in all at once at the first dip would come in a burst a PBX
// at its edge drops.
func TestOverload_CallsComeBackGradually(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	setShare := fakeCPU(e, 0.95)
	e.run(t, testSettings(), ari.Stores{Calls: e.db, Callbacks: e.db, Queue: e.db})
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(5 * time.Second)})
	rendered := pbxsim.Caller{Number: "48600100100", Exten: "101", Ringing: true, Overloaded: dialplan.OverloadedVar}
	want := func(when, share string) {
		t.Helper()
		if !wantShare(t, e, when, share) {
			t.FailNow()
		}
	}
	e.call(t, rendered) // the first look: nothing to compare with
	e.advance(t, 20*time.Second)
	e.call(t, rendered)
	want("busy", "100")
	setShare(0.40)
	e.advance(t, 3*time.Second)
	want("three seconds idle", "70")
	setShare(0.95)
	e.advance(t, time.Second)
	want("busy again", "100")
	setShare(0.40)
	e.advance(t, 10*time.Second)
	want("ten seconds idle", "0")
	if n := strings.Count(e.logs.String(), "capacity again"); n != 1 {
		t.Errorf("said capacity again %d times, want once:\n%s", n, e.logs)
	}
	e.advance(t, time.Minute)
	e.settled(t)
}

// fakeCPU bounds the service at 85 % of the machine's CPU and has the
// machine busy share of each look's ticks (0.95: 95 %); set changes it.
func fakeCPU(e *env, share float64) (set func(float64)) {
	var mu sync.Mutex
	var busy, total uint64 = 0, 1000
	e.options = func(o *ari.Options) {
		o.MaxHostCPU = 0.85
		o.HostCPU = func() (uint64, uint64, error) {
			mu.Lock()
			defer mu.Unlock()
			busy, total = busy+uint64(share*100), total+100
			return busy, total, nil
		}
	}
	return func(v float64) { mu.Lock(); share = v; mu.Unlock() }
}

// wantShare checks the dialplan's share of new calls sent to the fallback,
// as the service last set it; false (an error reported) if it differs.
func wantShare(t *testing.T, e *env, when, want string) bool {
	t.Helper()
	if got := e.pbx.Global(dialplan.OverloadedVar); got != want {
		t.Errorf("%s: %s = %q, want %q", when, dialplan.OverloadedVar, got, want)
		return false
	}
	return true
}

// toFallbackSaid adds up the to_fallback counts of the log's lines.
func toFallbackSaid(log string) int {
	n := 0
	for _, l := range strings.Split(log, "\n") {
		if _, after, ok := strings.Cut(l, "to_fallback="); ok {
			v, _ := strconv.Atoi(strings.Fields(after)[0])
			n += v
		}
	}
	return n
}

// wentToFallback checks that call was handed to the dialplan's fallback,
// which the simulator then ended, for why: unrecorded, and said in the log.
func wentToFallback(t *testing.T, e *env, call *pbxsim.Call, why string) {
	t.Helper()
	ended(t, call)
	if _, err := e.db.Call(context.Background(), call.ChannelID()); callcare.ErrorCode(err) != callcare.ENOTFOUND {
		t.Errorf("the call went to the fallback, yet is recorded: %v", err)
	}
	if !strings.Contains(e.logs.String(), "why="+why) {
		t.Errorf("the log does not say why (%s):\n%s", why, e.logs)
	}
}

// TestOverload_MenuCallsToo: a call to the main number (the voice menu)
// counts against the capacity as any other: past it, it goes to the
// dialplan's fallback at once, without entering the menu.
func TestOverload_MenuCallsToo(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.options = func(o *ari.Options) { o.MaxLatency = time.Nanosecond }
	e.run(t, matterSettings(), e.matterStores())
	call := e.call(t, menuCaller())
	e.advance(t, 10*time.Second)
	wentToFallback(t, e, call, "latency")
	if heard := call.Heard(); len(heard) != 0 {
		t.Errorf("the caller heard %v: want the fallback at once, no menu", heard)
	}
	e.settled(t)
}
