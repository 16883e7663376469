package ari_test

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/pbxsim"
)

// Each test here is one of the failures of issue 10, on the simulator,
// and each bounds how long any caller waits in silence: never more than
// one ring cycle.

// heardNoSilence fails the test if the caller spent more than one ring
// cycle in the application hearing nothing.
func heardNoSilence(t testing.TB, calls ...*pbxsim.Call) {
	t.Helper()
	for _, c := range calls {
		if d := c.LongestSilence(); d > testProc.RingCycle {
			t.Errorf("the caller %s heard nothing for %s, more than a ring cycle (%s)", c.ChannelID(), d, testProc.RingCycle)
		}
	}
}

// quickRetries: a call's requests are tried again for 100 ms of real
// time, so a test of a refusal that lasts takes no long.
func quickRetries(o *ari.Options) { o.RetryFor = 100 * time.Millisecond }

// startQuickRetries starts the service with quickRetries.
func startQuickRetries(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	e.options = quickRetries
	e.run(t, testSettings(), ari.Stores{Calls: e.db, Callbacks: e.db, Queue: e.db})
	return e
}

func tasksOf(t testing.TB, e *env, number callcare.Number) []callcare.CallbackTask {
	t.Helper()
	ts, err := e.db.Callbacks(context.Background(), callcare.CallbackFilter{Number: number})
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// TestFault_RefusedHangupIsRetried (issue 10, 1): Asterisk answers 503 to
// the hangup of a caller who heard that nobody can answer; the hangup is
// tried again until the channel is gone, and nobody sits in silence.
func TestFault_RefusedHangupIsRetried(t *testing.T) {
	t.Parallel()
	e := startQuickRetries(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{Mode: pbxsim.Unavailable})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.pbx.FailRequests("DELETE", "/channels/"+call.ChannelID(), 503, 6)
	e.advance(t, time.Minute)
	ended(t, call)
	if rec := e.record(t, call); rec.Outcome != callcare.OutcomeMissed || len(tasksOf(t, e, "48600100200")) != 1 {
		t.Errorf("record %+v; want missed, with a task", rec)
	}
	if !strings.Contains(e.logs.String(), "hang up the caller: done at last") {
		t.Errorf("the hangup was not tried until it went through:\n%s", e.logs)
	}
	heardNoSilence(t, call)
	e.settled(t)
}

// TestFault_RefusedHangupAcrossAReconnect (issue 10, 1): the hangup is
// still refused when the event socket drops; the reconciliation after
// the reconnect finds the caller and ends the call.
func TestFault_RefusedHangupAcrossAReconnect(t *testing.T) {
	t.Parallel()
	e := startQuickRetries(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{Mode: pbxsim.Unavailable})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.pbx.FailRequests("DELETE", "/channels/"+call.ChannelID(), 503, 1000)
	e.advance(t, 19*time.Second) // 15 s of Anna, 2 s of the message, the refusals begin
	if rec := e.record(t, call); rec.Outcome != callcare.OutcomeMissed {
		t.Fatalf("record %+v", rec)
	}
	// The link stays down some 4 s: the keeper gives up meanwhile.
	e.pbx.FailRequests("GET", "/events", 503, 8)
	e.pbx.DropWebSocket()
	e.advance(t, 6*time.Second)
	if !strings.Contains(e.logs.String(), "left to the reconciliation") {
		t.Fatalf("the hangup went on while the link was down:\n%s", e.logs)
	}
	// Back, the reconciliation found the caller; Asterisk answers again.
	e.pbx.ClearFailures()
	e.advance(t, 3*time.Second)
	ended(t, call)
	e.settled(t)
}

// TestFault_RefusedOriginateSkipsNoClerk (issue 10, 2): two 500s on
// originates (POST /channels) are tried again; both clerks free, the first answers.
func TestFault_RefusedOriginateSkipsNoClerk(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(10 * time.Second)})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 3 * time.Second})
	e.pbx.FailRequests("POST", "/channels$", 500, 2)
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, time.Minute)
	rec := e.record(t, call)
	if rec.AnsweredBy != "anowak" || len(rec.Attempts) != 1 {
		t.Errorf("answered by %q after %+v; want Anna, the first rung", rec.AnsweredBy, rec.Attempts)
	}
	heardNoSilence(t, call)
	e.settled(t)
	e.quiet(t)
}

// TestFault_RefusedDuringTheOverflowTone: Anna does not answer; as the
// call overflows, with the ringing tone playing to the caller, Asterisk
// refuses to ring Piotr. The caller is handed to the fallback at once:
// the tone is stopped first, since Asterisk holds the hand-over behind a
// playback, and the tone plays until it is stopped.
func TestFault_RefusedDuringTheOverflowTone(t *testing.T) {
	t.Parallel()
	e := startQuickRetries(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, 10*time.Second)
	e.pbx.FailRequests("POST", "/channels$", 500, 1000)
	e.advance(t, 20*time.Second)
	ended(t, call)
	if rec := e.record(t, call); rec.Outcome != callcare.OutcomeFallback || len(tasksOf(t, e, "48600100200")) != 1 {
		t.Errorf("record %+v; want fallback, with a task", rec)
	}
	e.settled(t)
}

// TestFault_UnreachablePhoneIsNotRetried: Piotr's phone does not exist for
// Asterisk (500 Allocation failed, as for an unregistered phone): it is
// skipped at the first answer, not retried, and the caller hears no more
// ringing for it.
func TestFault_UnreachablePhoneIsNotRetried(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, time.Minute)
	if n := e.pbx.Stats().RequestsByPath["POST /channels"]; n != 2 {
		t.Errorf("%d originates, want 2: Anna's, and one for Piotr's phone that Asterisk cannot reach", n)
	}
	if rec := e.record(t, call); len(rec.Attempts) != 2 || rec.Attempts[1].Result != "unavailable" {
		t.Errorf("attempts %+v: want Piotr's unavailable", rec.Attempts)
	}
	e.settled(t)
}

// TestFault_RefusedCallGoesToTheFallback (issue 10, 2): Asterisk refuses
// every originate: the call is handed to the dialplan's fallback,
// recorded as such, with a callback task; nobody is told "nobody
// available" while both clerks were free.
func TestFault_RefusedCallGoesToTheFallback(t *testing.T) {
	t.Parallel()
	e := startQuickRetries(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 3 * time.Second})
	e.pbx.FailRequests("POST", "/channels$", 500, 1000)
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, 10*time.Second)
	ended(t, call)
	rec := e.record(t, call)
	if rec.Outcome != callcare.OutcomeFallback || rec.HungUpBy != callcare.PartyService || len(tasksOf(t, e, "48600100200")) != 1 {
		t.Errorf("record %+v; want fallback, with a task", rec)
	}
	if n := e.pbx.Stats().RequestsByPath["POST /channels/{channelId}/continue"]; n != 1 {
		t.Errorf("%d continues, want the caller handed to the fallback once", n)
	}
	if slices.Contains(call.Heard(), "sound:callcare/nobody-available") {
		t.Errorf("the caller heard nobody is available: %v", call.Heard())
	}
	heardNoSilence(t, call)
	e.pbx.ClearFailures()
	e.settled(t)
}

// crash stops the service as a kill -9 would (nothing cleaned up, the
// calls left in Asterisk), lets d pass, and starts it again on the same
// store.
func (e *env) crash(t testing.TB, d time.Duration) {
	t.Helper()
	e.stop()
	e.advance(t, d)
	e.run(t, testSettings(), ari.Stores{Calls: e.db, Callbacks: e.db, Queue: e.db})
}

// TestCrash_RingingCallGoesOn (issue 10, 3): the service dies while Anna
// rings; started again, it adopts the call and goes on from where the
// ring count stood: Anna is left 15 s after her leg was made (never
// later), Piotr answers, nobody is dialed twice.
func TestCrash_RingingCallGoesOn(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.NeverAnswers, RingAfter: 500 * time.Millisecond})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: talk(20 * time.Second)})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	made := e.clk.Now()
	e.advance(t, 5*time.Second)
	e.crash(t, 3*time.Second)
	e.advance(t, time.Minute)
	rec := e.record(t, call)
	if rec.Outcome != callcare.OutcomeAnswered || rec.AnsweredBy != "pwisniewski" || rec.HungUpBy != callcare.PartyClerk {
		t.Errorf("record %+v; want answered by Piotr, who hung up first", rec)
	}
	if len(rec.Attempts) != 2 || rec.Attempts[0].Clerk != "anowak" || rec.Attempts[0].Result != "noanswer" {
		t.Fatalf("attempts %+v; want Anna left, then Piotr", rec.Attempts)
	}
	if left := rec.Attempts[0].EndedAt.Sub(made); left > limit+50*time.Millisecond || left < limit-time.Second {
		t.Errorf("Anna was left %s after her leg was made, want about %s", left, limit)
	}
	for _, ep := range []string{"PJSIP/101", "PJSIP/102"} {
		if n := len(offersTo(e, ep)); n != 1 {
			t.Errorf("%s was rung %d times", ep, n)
		}
	}
	if !slices.Contains(call.Heard(), "sound:callcare/goodbye") {
		t.Errorf("the caller heard %v, want goodbye after Piotr hung up", call.Heard())
	}
	heardNoSilence(t, call)
	e.settled(t)
}

// TestCrash_ConversationGoesOn (issue 10, 3): the service dies during a
// conversation; started again, it watches the pair: when the clerk hangs
// up, the citizen hears goodbye (P4l) and the record ends.
func TestCrash_ConversationGoesOn(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: talk(30 * time.Second)})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, 10*time.Second)
	e.crash(t, 5*time.Second)
	e.advance(t, time.Minute)
	ended(t, call)
	rec := e.record(t, call)
	if rec.Outcome != callcare.OutcomeAnswered || rec.AnsweredBy != "anowak" || rec.HungUpBy != callcare.PartyClerk {
		t.Errorf("record %+v; want answered by Anna, who hung up first", rec)
	}
	if len(rec.Attempts) != 1 || rec.Attempts[0].EndedAt.IsZero() {
		t.Errorf("attempts %+v; want Anna's one, ended", rec.Attempts)
	}
	if heard := call.Heard(); !slices.Equal(heard, []string{"sound:callcare/goodbye"}) {
		t.Errorf("the caller heard %v, want goodbye", heard)
	}
	heardNoSilence(t, call)
	e.settled(t)
}

// TestCrash_RecordsLeftOpenAreClosed (issue 10, 3): calls that ended while
// the service was down are closed when it is back: the one nobody
// answered as missed, with its callback task; the answered one as
// interrupted. What Asterisk still had of them is hung up.
func TestCrash_RecordsLeftOpenAreClosed(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	e.pbx.SetPhone("PJSIP/103", pbxsim.Phone{AnswerAfter: time.Second})
	ringing := e.call(t, pbxsim.Caller{Number: "48600100201", Exten: "101", HangupAfter: 6 * time.Second})
	talking := e.call(t, pbxsim.Caller{Number: "48600100202", Exten: "103", HangupAfter: 8 * time.Second})
	e.advance(t, 4*time.Second)
	e.crash(t, 10*time.Second) // both callers hang up meanwhile
	e.advance(t, 10*time.Second)
	if rec := e.record(t, ringing); rec.Outcome != callcare.OutcomeMissed || len(tasksOf(t, e, "48600100201")) != 1 {
		t.Errorf("the call nobody answered: %+v; want missed, with a task", rec)
	}
	if rec := e.record(t, talking); rec.Outcome != callcare.OutcomeInterrupted || len(tasksOf(t, e, "48600100202")) != 0 {
		t.Errorf("the answered call: %+v; want interrupted, no task", rec)
	}
	e.settled(t)
}

// TestFault_AsteriskRestart (issue 10, 4 and 6): Asterisk restarts and
// stays away 15 s. The calls it cut are recorded as ended by the PBX (the
// ringing one as failed, owed a callback), and the service is back within
// a second of Asterisk, saying in its log when it is not ready.
func TestFault_AsteriskRestart(t *testing.T) {
	t.Parallel()
	e := startQuickRetries(t) // the requests of the calls cut fail while Asterisk is away
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: time.Second})
	e.pbx.SetPhone("PJSIP/103", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	e.pbx.SetPhone("PJSIP/104", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	talking := e.call(t, pbxsim.Caller{Number: "48600100201", Exten: "101"})
	ringing := e.call(t, pbxsim.Caller{Number: "48600100202", Exten: "300"})
	e.advance(t, 5*time.Second)
	e.pbx.Restart(15 * time.Second)
	back := e.clk.Now().Add(15 * time.Second)
	e.settle(t)
	for !e.svc.Stats().Linked {
		next, ok := e.clk.Next()
		if !ok || next.Sub(back) > 5*time.Second {
			t.Fatalf("not back 5 s after Asterisk:\n%s", e.logs)
		}
		e.advanceTo(t, next, "")
	}
	if late := e.clk.Now().Sub(back); late > time.Second {
		t.Errorf("the service was back %s after Asterisk, want at most a second", late)
	}
	if rec := e.record(t, talking); rec.Outcome != callcare.OutcomeAnswered || rec.HungUpBy != callcare.PartyPBX {
		t.Errorf("the conversation: %s, hung up by %q; want answered, by the PBX", rec.Outcome, rec.HungUpBy)
	}
	if rec := e.record(t, ringing); rec.Outcome != callcare.OutcomeFailed || rec.HungUpBy != callcare.PartyPBX || len(tasksOf(t, e, "48600100202")) != 1 {
		t.Errorf("the ringing call: %s, hung up by %q; want failed, by the PBX, with a task", rec.Outcome, rec.HungUpBy)
	}
	log := e.logs.String()
	for _, want := range []string{"not ready: lost Asterisk events", "Asterisk events reachable again", "ready: taking calls"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log does not say %q:\n%s", want, log)
		}
	}
	e.advance(t, time.Minute)
	e.settled(t)
}

// TestFault_AsteriskUnreachableAtStart: the service starts before
// Asterisk; it keeps trying, says so (not at every try), and takes calls
// within a second of Asterisk being there.
func TestFault_AsteriskUnreachableAtStart(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.pbx.Restart(40 * time.Second)
	back := e.clk.Now().Add(40 * time.Second)
	e.settle(t)
	e.start(t, testSettings(), ari.Stores{Calls: e.db, Callbacks: e.db, Queue: e.db})
	e.settle(t)
	for !e.svc.Stats().Linked {
		next, ok := e.clk.Next()
		if !ok || next.Sub(back) > 5*time.Second {
			t.Fatalf("not connected 5 s after Asterisk:\n%s", e.logs)
		}
		e.advanceTo(t, next, "")
	}
	if late := e.clk.Now().Sub(back); late > time.Second {
		t.Errorf("connected %s after Asterisk was there, want at most a second", late)
	}
	log := e.logs.String()
	if n := strings.Count(log, "not ready: cannot reach Asterisk events"); n != 1 {
		t.Errorf("said it cannot reach Asterisk %d times, want once", n)
	}
	if n := strings.Count(log, "not ready: still cannot reach Asterisk events"); n != 1 {
		t.Errorf("said it still cannot reach Asterisk %d times in 40 s, want once (every 30 s)", n)
	}
}

// TestFault_WrongPassword: Asterisk refuses the credentials: the service
// stops at once with an error that names the settings to check.
func TestFault_WrongPassword(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.options = func(o *ari.Options) { o.Password = "wrong" }
	e.start(t, testSettings(), ari.Stores{Calls: e.db, Callbacks: e.db, Queue: e.db})
	e.settle(t)
	e.stop()
	var cred *ari.CredentialsError
	if !errors.As(e.runErr, &cred) {
		t.Fatalf("Run returned %v, want a credentials error", e.runErr)
	}
	for _, want := range []string{"asterisk.user", "asterisk.password_env", "asterisk.password_file"} {
		if !strings.Contains(cred.Error(), want) || !strings.Contains(e.logs.String(), want) {
			t.Errorf("the error %q (and the log) does not name %s", cred, want)
		}
	}
}

// TestFault_LateEvents (issue 10, 5): every event comes 2 s late; rings
// are counted by Asterisk's time of the RINGING, so Anna is left three
// rings after her phone began to ring, not after the event came; the
// lateness is logged.
func TestFault_LateEvents(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetEventDelay(2 * time.Second)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.NeverAnswers, RingAfter: time.Second})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(10 * time.Second)})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, time.Minute)
	rec := e.record(t, call)
	anna := rec.Attempts[0]
	rang := offersTo(e, "PJSIP/101")[0].At.Add(time.Second)
	if !anna.RingingAt.Equal(rang) {
		t.Errorf("Anna's ringing recorded at %s, her phone rang at %s", anna.RingingAt.Format("15:04:05.000"), rang.Format("15:04:05.000"))
	}
	if left := anna.EndedAt.Sub(rang); left < limit || left > limit+50*time.Millisecond {
		t.Errorf("Anna was left %s after her phone began to ring, want %s (within 50 ms)", left, limit)
	}
	if rec.AnsweredBy != "pwisniewski" {
		t.Errorf("answered by %q", rec.AnsweredBy)
	}
	if !strings.Contains(e.logs.String(), "an event came late") {
		t.Errorf("the lateness is not logged:\n%s", e.logs)
	}
	heardNoSilence(t, call)
	e.pbx.SetEventDelay(0)
	e.advance(t, 5*time.Second)
	e.settled(t)
}

// TestFault_HungAsterisk: Asterisk's process stops (SIGSTOP): the socket
// stays open and nothing is answered, pings included. The service notices
// within a few seconds, handles it as a drop, and when Asterisk goes on
// the call it was ringing is found answered and bridged.
func TestFault_HungAsterisk(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.options = func(o *ari.Options) { o.PingEvery, o.PongWait = 20*time.Millisecond, 200*time.Millisecond }
	e.run(t, testSettings(), ari.Stores{Calls: e.db, Callbacks: e.db, Queue: e.db})
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 5 * time.Second, Script: talk(20 * time.Second)})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, 3*time.Second)
	e.pbx.Freeze()
	frozen := time.Now()
	for e.svc.Stats().Linked {
		if time.Since(frozen) > 5*time.Second {
			t.Fatalf("a hung Asterisk was not noticed in 5 s")
		}
		time.Sleep(5 * time.Millisecond) // the wall clock is what pings measure
	}
	if e.svc.Stats().Link.Hung == 0 || !strings.Contains(e.logs.String(), "answers no ping") {
		t.Errorf("the link was lost but not for the pings:\n%s", e.logs)
	}
	e.clk.Advance(5 * time.Second) // meanwhile Anna answers; nothing is decided on a timer
	e.pbx.Thaw()
	e.advance(t, time.Minute)
	if rec := e.record(t, call); rec.AnsweredBy != "anowak" {
		t.Errorf("after the hang: %s by %q", rec.Outcome, rec.AnsweredBy)
	}
	heardNoSilence(t, call)
	e.settled(t)
}

// TestFault_SecondInstance: a second service takes the application. The
// first says so loudly and stands by (it does not take it back in a
// loop); the second adopts the call under way. When the second stops,
// the first takes the application back.
func TestFault_SecondInstance(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: talk(10 * time.Second)})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, 2*time.Second)

	first, firstLogs, firstStop := e.svc, e.logs, e.stop
	e.others = []*ari.Service{first}
	e.logs = &logRecorder{}
	e.run(t, testSettings(), ari.Stores{Calls: e.db, Callbacks: e.db, Queue: e.db})
	e.advance(t, time.Minute)
	if rec := e.record(t, call); rec.AnsweredBy != "pwisniewski" {
		t.Errorf("the call under way: %s by %q; want Piotr, through the second", rec.Outcome, rec.AnsweredBy)
	}
	heardNoSilence(t, call)
	if first.Ready() || !strings.Contains(firstLogs.String(), "another client took the Stasis application") {
		t.Errorf("the first did not stand by:\n%s", firstLogs)
	}
	if n := strings.Count(firstLogs.String(), "connected to Asterisk events"); n != 1 {
		t.Errorf("the first connected %d times, want once: no fight", n)
	}
	e.settled(t)

	e.stop() // the second goes
	e.svc, e.stop, e.others = first, firstStop, nil
	e.advance(t, 15*time.Second)
	if !first.Ready() {
		t.Errorf("the first did not take the application back:\n%s", firstLogs)
	}
	e.logs = firstLogs
}

// panicStore is the real store, but settling the callbacks of one
// caller, which a call does on its own goroutine when a clerk answers,
// panics: a bug in a call's goroutine.
type panicStore struct {
	callcare.CallbackService
	caller callcare.Number
}

func (p *panicStore) CloseCallbacks(ctx context.Context, n callcare.Number, r callcare.Resolution, by string, at time.Time) (int, error) {
	if n == p.caller {
		panic("a bug")
	}
	return p.CallbackService.CloseCallbacks(ctx, n, r, by, at)
}

// TestFault_PanicEndsOnlyThatCall: a call whose goroutine panics goes to
// the dialplan's fallback and is logged; the other calls and the process
// go on.
func TestFault_PanicEndsOnlyThatCall(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.run(t, testSettings(), ari.Stores{Calls: e.db, Callbacks: &panicStore{e.db, "48600999999"}, Queue: e.db})
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(10 * time.Second)})
	bad := e.call(t, pbxsim.Caller{Number: "48600999999", Exten: "101"})
	good := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, time.Minute)
	ended(t, bad)
	if n := e.pbx.Stats().RequestsByPath["POST /channels/{channelId}/continue"]; n != 1 {
		t.Errorf("%d continues, want the failed call handed to the fallback", n)
	}
	if rec := e.record(t, good); rec.AnsweredBy != "anowak" {
		t.Errorf("the other call: %s by %q", rec.Outcome, rec.AnsweredBy)
	}
	var failed bool
	for _, r := range e.logs.records(slog.LevelError) {
		failed = failed || strings.Contains(r.Message, "a call failed inside the service")
	}
	if !failed {
		t.Errorf("the failure is not logged as an error:\n%s", e.logs)
	}
	heardNoSilence(t, bad, good)
	e.settled(t)
}

// TestCrash_CallbackConversationGoesOn: the service dies while a clerk
// talks with a citizen called back. Started again, it leaves them
// talking, records the citizen as reached (the task closes), watches the
// pair, and ends the clerk's line when the citizen hangs up.
func TestCrash_CallbackConversationGoesOn(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	ctx := context.Background()
	tk := e.openTask(t, "48600100200", forAnna, 1)
	e.pbx.SetPhone(citizen, pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(40 * time.Second)})
	clerk := e.call(t, deskPhone("PJSIP/101", press(readOut, "1")))
	e.advance(t, readOut+15*time.Second)
	if len(e.pbx.Bridges()) != 1 {
		t.Fatalf("not talking: %+v", e.pbx.Channels())
	}
	e.crash(t, 5*time.Second)
	if len(e.pbx.Bridges()) != 1 {
		t.Fatalf("the restart cut the conversation: %+v", e.pbx.Channels())
	}
	e.advance(t, time.Minute)
	if got := e.closed(t, tk.ID); got.Resolution != callcare.ResolvedReached {
		t.Errorf("closed as %q, want reached", got.Resolution)
	}
	if atts, _ := e.db.CallbackAttempts(ctx, tk.ID); len(atts) != 1 || atts[0].Result != callcare.AttemptReached {
		t.Errorf("attempts %+v, want one, reached", atts)
	}
	if n := len(offersTo(e, citizen)); n != 1 {
		t.Errorf("the citizen was dialed %d times", n)
	}
	ended(t, clerk)
	e.settled(t)
}

// TestFault_AfterHoursPromptEndLost (P4p): after hours, the event stream
// drops while the caller hears that the office is closed, and the end of
// that prompt is lost with it (the resync looks at channels, not at
// playbacks). The caller is not left waiting for it for ever: at the
// prompt's limit the call goes on as if it had ended (the reminder, the
// offer once more), and ends with the callback promised and its task.
func TestFault_AfterHoursPromptEndLost(t *testing.T) {
	t.Parallel()
	e := startEnvWith(t, closeTheOffice)
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, 2*time.Second)
	e.pbx.FailRequests("GET", "/events", 503, 16) // back 6.5 to 13 s later: the prompt ends meanwhile
	e.pbx.DropWebSocket()
	e.advance(t, 20*time.Second)
	if !e.svc.Stats().Linked {
		t.Fatal("the link is not back")
	}
	if heard := call.Heard(); slices.Contains(heard, "sound:callcare/key-reminder") {
		t.Fatalf("heard %v: the prompt's end was not lost", heard)
	}
	e.advance(t, 3*time.Minute)
	ended(t, call)
	heard := call.Heard()
	for _, want := range []string{"sound:callcare/key-reminder", "sound:callcare/callback-thanks"} {
		if !slices.Contains(heard, want) {
			t.Errorf("heard %v, want %s", heard, want)
		}
	}
	// The prompt's limit is the longest the lost end can cost.
	if d := call.LongestSilence(); d > 2*time.Minute {
		t.Errorf("the caller heard nothing for %s", d)
	}
	if tk := e.task(t, "48600100200"); tk.Reason != callcare.ReasonAfterHours {
		t.Errorf("task %+v, want an after-hours callback", tk)
	}
	e.settled(t)
}

// refusingStore is the real store, but its first write of a callback task
// is refused, as a full disk or a lock held too long would.
// While refusing is set, every write of a task is refused.
type refusingStore struct {
	callcare.CallbackService
	refused, refusing atomic.Bool
}

func (r *refusingStore) MissedCall(ctx context.Context, t callcare.CallbackTask) (callcare.CallbackTask, bool, error) {
	if r.refused.CompareAndSwap(false, true) || r.refusing.Load() {
		return callcare.CallbackTask{}, false, errors.New("database is locked")
	}
	return r.CallbackService.MissedCall(ctx, t)
}

// TestFault_TaskWriteRefusedThenGotThrough (P4c): the task of a missed
// call cannot be written for a while; meanwhile the citizen calls again
// and Anna answers. Nothing is owed any more: no task appears later.
func TestFault_TaskWriteRefusedThenGotThrough(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	store := &refusingStore{CallbackService: e.db}
	store.refusing.Store(true)
	e.run(t, testSettings(), ari.Stores{Calls: e.db, Callbacks: store, Queue: e.db})
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.Busy})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{Mode: pbxsim.Busy})
	e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, time.Minute)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: talk(10 * time.Second)})
	e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, 30*time.Second)
	store.refusing.Store(false)
	e.advance(t, 3*time.Minute)
	if ts := tasksOf(t, e, "48600100200"); len(ts) != 0 {
		t.Errorf("tasks %+v: the citizen got through, nothing is owed", ts)
	}
	e.settled(t)
}

// TestFault_TaskWriteRefused (P4c): the store refuses the task of a call
// nobody answered, once. The caller was told they will be called back:
// the task is written a moment later, not lost.
func TestFault_TaskWriteRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.run(t, testSettings(), ari.Stores{Calls: e.db, Callbacks: &refusingStore{CallbackService: e.db}, Queue: e.db})
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.Busy})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{Mode: pbxsim.Busy})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, time.Minute)
	ended(t, call)
	if tk := e.task(t, "48600100200"); tk.Status != callcare.CallbackOpen || tk.Target.ID != "anowak" {
		t.Errorf("task %+v", tk)
	}
	e.settled(t)
}

// fallbackNotSilence checks that the caller, whom Asterisk kept refusing
// what their wait needs, was handed to the dialplan's fallback once, and
// heard no long silence before; then that nothing is left.
func fallbackNotSilence(t *testing.T, e *env, call *pbxsim.Call) {
	t.Helper()
	ended(t, call)
	if n := e.pbx.Stats().RequestsByPath["POST /channels/{channelId}/continue"]; n != 1 {
		t.Errorf("%d continues, want the caller handed to the fallback", n)
	}
	heardNoSilence(t, call)
	e.pbx.ClearFailures()
	e.settled(t)
}

// TestFault_TransferTargetNotBridged: Asterisk refuses to add a keyed
// transfer's target, who heard the whisper, to the caller's bridge. The
// caller does not wait alone in the bridge with the music stopped: the
// fallback rings a person.
func TestFault_TransferTargetNotBridged(t *testing.T) {
	t.Parallel()
	e := startQuickRetries(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: []pbxsim.Action{press(10*time.Second, "##102#")}})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(30 * time.Second)})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, 8*time.Second) // Anna is connected
	e.pbx.FailRequests("POST", "/bridges/"+call.ChannelID()+"-bridge/addChannel", 500, 1000)
	e.advance(t, 2*time.Minute)
	fallbackNotSilence(t, e, call)
}

// TestFault_MusicRefused: Asterisk refuses the music of a caller being
// transferred. Between the announcements they would hear nothing: the
// fallback rings a person instead.
func TestFault_MusicRefused(t *testing.T) {
	t.Parallel()
	e := startQuickRetries(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: []pbxsim.Action{press(10*time.Second, "##102#")}})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 30 * time.Second})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.pbx.FailRequests("POST", "/channels/"+call.ChannelID()+"/moh", 500, 1000)
	e.advance(t, 2*time.Minute)
	fallbackNotSilence(t, e, call)
}

// scheduleRefusingStore refuses the first agreed time written.
type scheduleRefusingStore struct {
	callcare.CallbackService
	refused atomic.Bool
}

func (r *scheduleRefusingStore) Schedule(ctx context.Context, id int64, at time.Time) error {
	if r.refused.CompareAndSwap(false, true) {
		return errors.New("database is locked")
	}
	return r.CallbackService.Schedule(ctx, id, at)
}

// TestFault_AgreedTimeRefused (P4m): the store refuses the time a clerk
// keyed in after a callback, once. The clerk heard it said back: it is
// written a moment later, not lost.
func TestFault_AgreedTimeRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.run(t, testSettings(), ari.Stores{Calls: e.db, Callbacks: &scheduleRefusingStore{CallbackService: e.db}, Queue: e.db})
	tk := e.openTask(t, "48600100200", forAnna, 1)
	e.pbx.SetPhone(citizen, pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(10 * time.Second)})
	e.call(t, deskPhone("PJSIP/101", press(readOut, "1"), press(readOut+20*time.Second, "4"), press(readOut+26*time.Second, "0830")))
	e.advance(t, 2*time.Minute)
	got, err := e.db.Callback(context.Background(), tk.ID)
	if err != nil || got.AgreedAt.IsZero() || got.AgreedAt.Hour() != 8 || got.AgreedAt.Minute() != 30 {
		t.Errorf("task %+v (%v): want the time agreed, 08:30", got, err)
	}
}
