package ari_test

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/pbxsim"
	"github.com/callcare/callcare/policy"
)

var forPiotr = callcare.Target{Kind: callcare.TargetClerk, ID: "pwisniewski"}

// The forward prompts last what the built ones do.
func init() {
	for name, d := range map[string]time.Duration{
		"callcare/forward-set": 2 * time.Second, "callcare/forward-until": time.Second,
		"callcare/forward-off": 1500 * time.Millisecond, "callcare/forward-for": 1200 * time.Millisecond,
		"callcare/forward-refused": 4 * time.Second, "callcare/forward-not-allowed": 4 * time.Second,
	} {
		pbxOptions.Sounds[name] = d
	}
}

// annaOnLeave: Anna (101) is on leave; Piotr (102) takes her calls.
func annaOnLeave(set *ari.Settings) {
	set.Absences.Rules = []callcare.Absence{{Clerk: "anowak", To: forPiotr, Reason: callcare.AbsenceLeave,
		Source: callcare.SetInFile, Where: "absences[0], line 1"}}
}

// withForwarding: the forward codes of callcare.example.yaml; department 200
// is the secretariat.
func withForwarding(set *ari.Settings) {
	set.Absences.Hours = alwaysOpen
	set.Forwarding = policy.ForwardSettings{Prompts: testPrompts, Hours: alwaysOpen,
		SetCode: "*21", ClearCode: "*20", Secretariat: "300", MaxDays: 60}
}

// startAbsenceEnv runs the service with the forward codes, the store's
// forwards, and change.
func startAbsenceEnv(t *testing.T, change func(*ari.Settings)) *env {
	t.Helper()
	e := newEnv(t)
	set := testSettings()
	withForwarding(&set)
	if change != nil {
		change(&set)
	}
	e.run(t, set, ari.Stores{Calls: e.db, Callbacks: e.db, Queue: e.db, Forwards: e.db})
	return e
}

// forwardCode is a clerk dialing a forward code on the desk phone at
// endpoint, showing callerID (a phone may show anything).
func forwardCode(endpoint, callerID, code string) pbxsim.Caller {
	return pbxsim.Caller{Number: callerID, Exten: code, Endpoint: endpoint, Args: []string{"forward", endpoint, code}}
}

// TestP4c_AbsentClerksCallRingsTheSubstituteAtOnce: Anna is on leave; her
// call rings Piotr at once (no rings wasted on her phone), for the same
// three rings; the call log keeps that it was meant for Anna and why it
// went to Piotr.
func TestP4c_AbsentClerksCallRingsTheSubstituteAtOnce(t *testing.T) {
	t.Parallel()
	e := startAbsenceEnv(t, annaOnLeave)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: time.Second})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 7 * time.Second, Script: talk(20 * time.Second)})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, time.Minute)
	rec := e.record(t, call)
	if len(rec.Attempts) != 1 || rec.AnsweredBy != "pwisniewski" || rec.AnsweredRing != 2 {
		t.Fatalf("attempts %+v answered by %s on ring %d; want Piotr alone, on ring 2", rec.Attempts, rec.AnsweredBy, rec.AnsweredRing)
	}
	if wait := rec.Attempts[0].DialedAt.Sub(rec.StartedAt); wait > 100*time.Millisecond {
		t.Errorf("Piotr was dialed %s after the call came in, want at once", wait)
	}
	want := callcare.Forwarding{For: forAnna, To: forPiotr, By: callcare.SetInFile, Reason: callcare.AbsenceLeave}
	if rec.Target != forAnna || rec.Forwarded != want {
		t.Errorf("record: for %v, forwarded %+v; want for Anna, %+v", rec.Target, rec.Forwarded, want)
	}
	if len(offersTo(e, "PJSIP/101")) != 0 {
		t.Error("Anna's phone rang while she is on leave")
	}
	if o := offersTo(e, "PJSIP/102"); len(o) != 1 || o[0].CallerName != "Za A. Nowak, urlop" || o[0].CallerID != "48600100200" {
		t.Errorf("Piotr's phone was offered %+v: want the citizen's number, and whose call it is and why (P4d)", o)
	}
	if !strings.Contains(e.logs.String(), "meant_for=clerk:anowak rings=clerk:pwisniewski set_by=yaml reason=leave") {
		t.Errorf("the log does not say why the call went to Piotr:\n%s", e.logs)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4c_ForwardFromTheDeskPhone: Anna dials *21102 on her desk phone and
// hears that her calls go to 102; a citizen's call then rings Piotr; *20
// ends it and her phone rings again.
func TestP4c_ForwardFromTheDeskPhone(t *testing.T) {
	t.Parallel()
	e := startAbsenceEnv(t, nil)
	ctx := context.Background()
	phone := e.call(t, forwardCode("PJSIP/101", "101", "*21102"))
	e.advance(t, 30*time.Second)
	ended(t, phone)
	if heard := strings.Join(phone.Heard(), " "); heard != "sound:callcare/forward-set sound:digits/1 sound:digits/0 sound:digits/2" {
		t.Errorf("the phone said %q, want that calls go to 102", heard)
	}
	fwds, _ := e.db.Forwards(ctx, e.clk.Now())
	if len(fwds) != 1 || fwds[0].Clerk != "anowak" || fwds[0].To != forPiotr || fwds[0].Source != callcare.SetByPhone || fwds[0].SetBy != "anowak" {
		t.Fatalf("forwards %+v, want Anna's to Piotr, set by her phone", fwds)
	}

	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: talk(10 * time.Second)})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, time.Minute)
	if rec := e.record(t, call); rec.AnsweredBy != "pwisniewski" || rec.Forwarded.By != callcare.SetByPhone || len(offersTo(e, "PJSIP/101")) != 0 {
		t.Errorf("after *21: answered by %s, forwarded %+v; want Piotr, by phone", rec.AnsweredBy, rec.Forwarded)
	}

	phone = e.call(t, forwardCode("PJSIP/101", "101", "*20"))
	e.advance(t, 30*time.Second)
	if heard := strings.Join(phone.Heard(), " "); heard != "sound:callcare/forward-off" {
		t.Errorf("after *20 the phone said %q, want forwarding off", heard)
	}
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: talk(10 * time.Second)})
	call = e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, time.Minute)
	if rec := e.record(t, call); rec.AnsweredBy != "anowak" || rec.Forwarded.Forwarded() {
		t.Errorf("after *20: answered by %s, forwarded %+v; want Anna herself", rec.AnsweredBy, rec.Forwarded)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4c_ForwardCodeKnowsThePhoneNotTheCallerID: the clerk is the one of
// the endpoint the dialplan passes (Asterisk authenticated it); a caller id
// set to a colleague's extension changes nothing of the colleague's, and a
// phone that is nobody's is hung up. Hostile codes are refused.
func TestP4c_ForwardCodeKnowsThePhoneNotTheCallerID(t *testing.T) {
	t.Parallel()
	e := startAbsenceEnv(t, nil)
	ctx := context.Background()
	// Anna's phone claims to be Piotr's (102): Anna's forward is set.
	phone := e.call(t, pbxsim.Caller{Number: "102", Name: "Piotr Wiśniewski", Exten: "*21103", Endpoint: "PJSIP/101",
		Args: []string{"forward", "PJSIP/101", "*21103"}})
	e.advance(t, 30*time.Second)
	ended(t, phone)
	fwds, _ := e.db.Forwards(ctx, e.clk.Now())
	if len(fwds) != 1 || fwds[0].Clerk != "anowak" {
		t.Fatalf("forwards %+v, want only Anna's: the phone is hers, whatever it shows", fwds)
	}
	// Anna (200, not the secretariat 300) may not forward Piotr's calls.
	phone = e.call(t, forwardCode("PJSIP/101", "101", "*21102*104"))
	e.advance(t, 30*time.Second)
	if heard := strings.Join(phone.Heard(), " "); heard != "sound:callcare/forward-not-allowed" {
		t.Errorf("another's forward: the phone said %q, want not allowed", heard)
	}
	// An endpoint that is nobody's desk phone, and codes no phone sends.
	for _, c := range []pbxsim.Caller{
		forwardCode("PJSIP/999", "101", "*21102"),
		forwardCode("PJSIP/101", "101", "*21102&SIP/x"),
		forwardCode("PJSIP/101", "101", "*21\"102\"\n"),
		forwardCode("PJSIP/101", "101", "*21"+strings.Repeat("1", 2048)),
	} {
		phone := e.call(t, c)
		e.advance(t, 10*time.Second)
		ended(t, phone)
		if len(phone.Heard()) != 0 {
			t.Errorf("%q: heard %v, want the line hung up", c.Args[2][:min(len(c.Args[2]), 20)], phone.Heard())
		}
	}
	if fwds, _ := e.db.Forwards(ctx, e.clk.Now()); len(fwds) != 1 || fwds[0].To.ID != "ezielinska" {
		t.Errorf("forwards %+v, want Anna's alone, unchanged", fwds)
	}
	for _, r := range e.logs.records(0) {
		var text strings.Builder
		r.Attrs(func(a slog.Attr) bool { text.WriteString(a.Value.String()); return true })
		if strings.Contains(text.String(), "SIP/x") || strings.Contains(text.String(), "\n") || strings.Contains(text.String(), "11111111") {
			t.Errorf("a code reached the log raw: %s %s", r.Message, text.String())
		}
	}
	e.settled(t)
}

// TestP4c_SubstituteWorksTheAbsentClerksQueue: Anna is on leave; Piotr's
// *70 holds her callbacks, and her agreed-time callback rings him, not her.
func TestP4c_SubstituteWorksTheAbsentClerksQueue(t *testing.T) {
	t.Parallel()
	e := startAbsenceEnv(t, annaOnLeave)
	tk := e.openTask(t, "48600100200", forAnna, 1)
	e.pbx.SetPhone(citizen, pbxsim.Phone{AnswerAfter: 5 * time.Second, Script: talk(30 * time.Second)})
	clerk := e.call(t, deskPhone("PJSIP/102", press(readOut, "1")))
	e.advance(t, 2*time.Minute)
	ended(t, clerk)
	if got := e.closed(t, tk.ID); got.ClosedBy != "" && got.Resolution != callcare.ResolvedReached {
		t.Errorf("closed as %q", got.Resolution)
	}
	atts, _ := e.db.CallbackAttempts(context.Background(), tk.ID)
	if len(atts) != 1 || atts[0].Clerk != "pwisniewski" {
		t.Errorf("attempts %+v, want one by Piotr", atts)
	}

	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: time.Second})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 5 * time.Second, Script: []pbxsim.Action{press(agreedReadOut, "1")}})
	agreed := e.openTask(t, "48600100300", forAnna, 1)
	if err := e.db.Schedule(context.Background(), agreed.ID, e.clk.Now()); err != nil {
		t.Fatal(err)
	}
	cit := "PJSIP/48600100300@trunk"
	e.pbx.SetPhone(cit, pbxsim.Phone{AnswerAfter: 5 * time.Second, Script: talk(30 * time.Second)})
	e.advance(t, 3*time.Minute)
	e.closed(t, agreed.ID)
	if len(offersTo(e, "PJSIP/101")) != 0 {
		t.Error("Anna's phone rang for her agreed callback while she is on leave")
	}
	atts, _ = e.db.CallbackAttempts(context.Background(), agreed.ID)
	if len(atts) != 1 || atts[0].Clerk != "pwisniewski" {
		t.Errorf("agreed callback attempts %+v, want one by Piotr", atts)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4c_ForwardLoopAtCallTime: Anna forwards to Piotr and Piotr to Anna by
// phone: a call for Anna goes on to her department's chain, with a
// warning; nobody is rung twice.
func TestP4c_ForwardLoopAtCallTime(t *testing.T) {
	t.Parallel()
	e := startAbsenceEnv(t, nil)
	ctx := context.Background()
	for _, f := range []callcare.Absence{
		{Clerk: "anowak", To: forPiotr, Source: callcare.SetByPhone, SetBy: "anowak", SetAt: e.clk.Now()},
		{Clerk: "pwisniewski", To: forAnna, Source: callcare.SetByPhone, SetBy: "pwisniewski", SetAt: e.clk.Now()},
	} {
		if err := e.db.SetForward(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	e.pbx.SetPhone("PJSIP/103", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, time.Minute)
	rec := e.record(t, call)
	if rec.Outcome != callcare.OutcomeMissed || !rec.Forwarded.Loop {
		t.Errorf("outcome %s, forwarded %+v; want missed (both of 200 away, no overflow), the loop recorded", rec.Outcome, rec.Forwarded)
	}
	if n := len(e.logs.records(slog.LevelWarn)); n != 1 || !strings.Contains(e.logs.String(), "anowak -> pwisniewski -> anowak") {
		t.Errorf("%d warnings; want one naming the loop:\n%s", n, e.logs)
	}
	e.settled(t)
}

// TestP4c_ReloadUnderLoad: while calls come in, the settings are replaced
// again and again (what a reload of callcare.yaml does); every call is
// routed entirely by the rules it started with: the old (Anna on leave,
// three rings) or the new (Anna in, two rings), never a mix.
func TestP4c_ReloadUnderLoad(t *testing.T) {
	t.Parallel()
	old := testSettings()
	withForwarding(&old)
	annaOnLeave(&old)
	next := testSettings()
	withForwarding(&next)
	next.Inbound.Procedure = callcare.Procedure{AnswerWithinRings: 2, RingCycle: 5 * time.Second}
	e := newEnv(t)
	e.run(t, old, ari.Stores{Calls: e.db, Callbacks: e.db, Queue: e.db, Forwards: e.db})
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{Mode: pbxsim.NeverAnswers})

	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if i%2 == 0 {
				e.svc.SetSettings(next)
			} else {
				e.svc.SetSettings(old)
			}
			runtime.Gosched()
		}
	})
	var calls []*pbxsim.Call
	for i := range 40 {
		c, err := e.pbx.Call(pbxsim.Caller{Number: fmt.Sprintf("48600100%03d", i), Exten: "101", App: "callcare"})
		if err != nil {
			t.Fatal(err)
		}
		calls = append(calls, c)
		if i%4 == 0 {
			e.settle(t)
		}
	}
	close(stop)
	wg.Wait()
	e.advance(t, 2*time.Minute)
	byOld, byNew := 0, 0
	for _, c := range calls {
		rec := e.record(t, c)
		var rung []string
		for _, a := range rec.Attempts {
			rung = append(rung, fmt.Sprintf("%s@%d", a.Clerk, a.Rings))
		}
		switch got := strings.Join(rung, " "); {
		case got == "pwisniewski@3" && rec.Forwarded.Reason == callcare.AbsenceLeave:
			byOld++
		case got == "anowak@2 pwisniewski@2" && !rec.Forwarded.Forwarded():
			byNew++
		default:
			t.Errorf("call %s rang %q, forwarded %+v: neither the old rules nor the new", c.ChannelID(), got, rec.Forwarded)
		}
	}
	if byOld == 0 || byNew == 0 {
		t.Logf("old %d, new %d: the reloads did not interleave with the calls this time", byOld, byNew)
	}
	e.settled(t)
}

// TestP4c_ReloadMidCall: a call that started under the old rules finishes
// under them, whatever was loaded meanwhile.
func TestP4c_ReloadMidCall(t *testing.T) {
	t.Parallel()
	e := startAbsenceEnv(t, annaOnLeave)
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, 5*time.Second)
	set := testSettings()
	withForwarding(&set)
	set.Inbound.Procedure.AnswerWithinRings = 1
	e.svc.SetSettings(set)
	e.advance(t, time.Minute)
	rec := e.record(t, call)
	if len(rec.Attempts) != 1 || rec.Attempts[0].Clerk != "pwisniewski" || rec.Attempts[0].Rings != 3 {
		t.Errorf("attempts %+v, want Piotr for the old three rings", rec.Attempts)
	}
	e.settled(t)
}

// TestP4c_HostileCallerData: what a caller controls (the caller id number
// and name, the number dialed as the dialplan passes it) never reaches a
// log line raw, whatever it holds.
func TestP4c_HostileCallerData(t *testing.T) {
	t.Parallel()
	e := startAbsenceEnv(t, annaOnLeave)
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: time.Second, Script: talk(5 * time.Second)})
	long := strings.Repeat("A", 2048)
	for _, c := range []pbxsim.Caller{
		{Number: `100&SIP/x"`, Name: "Jan\nKowalski \"" + long, Exten: "101"},
		{Number: "48600100200", Name: long, Exten: "100&SIP/x", Args: []string{"inbound", "100&SIP/x\n\"" + long}},
	} {
		call := e.call(t, c)
		e.advance(t, time.Minute)
		ended(t, call)
	}
	for _, r := range e.logs.records(slog.LevelDebug) {
		var text strings.Builder
		text.WriteString(r.Message)
		r.Attrs(func(a slog.Attr) bool { text.WriteString(" " + a.Key + "=" + a.Value.Resolve().String()); return true })
		line := text.String()
		switch {
		case strings.Contains(line, "\n"):
			t.Errorf("a caller's newline reached a log line: %q", line)
		case strings.Contains(line, strings.Repeat("A", 100)):
			t.Errorf("a caller's 2 KB reached a log line whole: %.200q", line)
		case strings.Contains(line, "600100"):
			t.Errorf("a caller's number reached a log line unmasked: %q", line)
		case r.Level >= slog.LevelInfo && strings.Contains(line, "dialed=100&SIP"):
			t.Errorf("the number dialed reached a log line raw: %q", line)
		}
	}
	e.settled(t)
}

// TestP4c_TransferToAbsentClerk: Piotr is on leave and Ewa takes his
// calls; Anna transfers a call to 102 with ##102#: Ewa's phone rings, told
// it is a transfer from Anna, and Piotr's phone stays quiet, as for a call
// dialed to him.
func TestP4c_TransferToAbsentClerk(t *testing.T) {
	t.Parallel()
	e := startAbsenceEnv(t, func(set *ari.Settings) {
		set.Absences.Rules = []callcare.Absence{{Clerk: "pwisniewski", To: callcare.Target{Kind: callcare.TargetClerk, ID: "ezielinska"},
			Reason: callcare.AbsenceLeave, Source: callcare.SetInFile, Where: "absences[0], line 1"}}
	})
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: []pbxsim.Action{press(10*time.Second, "##102#")}})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: time.Second})
	e.pbx.SetPhone("PJSIP/103", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(20 * time.Second)})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, time.Minute)
	if o := offersTo(e, "PJSIP/102"); len(o) != 0 {
		t.Errorf("Piotr's phone rang while he is on leave: %+v", o)
	}
	rec := e.record(t, call)
	if len(rec.Attempts) != 2 || rec.Attempts[1].Clerk != "ezielinska" || rec.Attempts[1].TransferredBy != "anowak" {
		t.Errorf("attempts %+v: want Anna, then Ewa by her transfer", rec.Attempts)
	}
	e.settled(t)
	e.quiet(t)
}
