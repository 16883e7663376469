package ari_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/pbxsim"
)

const limit = 15 * time.Second // three rings of testProc

// talk is a person hanging up after d on the line.
func talk(d time.Duration) []pbxsim.Action { return []pbxsim.Action{{At: d, Do: pbxsim.Hangup}} }

// TestP4a_AnswerOnSecondRing: the clerk picks up on the 2nd ring; caller and
// clerk are bridged until the caller hangs up, then everything is removed.
func TestP4a_AnswerOnSecondRing(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{RingAfter: 500 * time.Millisecond, AnswerAfter: 7 * time.Second})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101", HangupAfter: time.Minute})
	e.advance(t, 90*time.Second)
	rec := e.record(t, call)
	if rec.Outcome != callcare.OutcomeAnswered || rec.AnsweredBy != "anowak" || rec.AnsweredRing != 2 || rec.HungUpBy != callcare.PartyCaller {
		t.Errorf("record: outcome %s by %s on ring %d, hung up by %s", rec.Outcome, rec.AnsweredBy, rec.AnsweredRing, rec.HungUpBy)
	}
	if len(rec.Attempts) != 1 {
		t.Errorf("attempts %+v, want only Anna", rec.Attempts)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4a_OverflowCountsFromRinging: Anna's phone starts ringing late and
// never answers; the overflow comes three rings after her first RINGING,
// never before, and Piotr takes the call.
func TestP4a_OverflowCountsFromRinging(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	ringAfter := 4 * time.Second
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.NeverAnswers, RingAfter: ringAfter})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 5 * time.Second, Script: talk(30 * time.Second)})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, 2*time.Minute)
	rec := e.record(t, call)
	if len(rec.Attempts) != 2 {
		t.Fatalf("attempts %+v, want Anna then Piotr", rec.Attempts)
	}
	anna := rec.Attempts[0]
	if anna.RingingAt.Sub(anna.DialedAt) < ringAfter {
		t.Errorf("Anna rang %s after the dial, want >= %s", anna.RingingAt.Sub(anna.DialedAt), ringAfter)
	}
	if rang := anna.EndedAt.Sub(anna.RingingAt); rang != limit {
		t.Errorf("Anna was left %s after her first ring, want %s", rang, limit)
	}
	if anna.Result != "noanswer" || anna.Rings != 3 {
		t.Errorf("Anna: %s at ring %d, want noanswer at ring 3", anna.Result, anna.Rings)
	}
	if rec.AnsweredBy != "pwisniewski" || rec.HungUpBy != callcare.PartyClerk {
		t.Errorf("answered by %q, hung up by %s; want Piotr, clerk", rec.AnsweredBy, rec.HungUpBy)
	}
	ended(t, call)
	if heard := call.Heard(); !slices.Equal(heard, []string{"sound:callcare/overflowing", "tone:ring;tonezone=pl", "sound:callcare/goodbye"}) {
		t.Errorf("the caller heard %v, want the overflow told (P4p), then goodbye after Piotr hung up (P4l)", heard)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4a_AnswerInTheLastMomentWins: Anna answers 20 ms before the third
// ring ends. She gets the call; Piotr is never rung; one bridge, no drop.
func TestP4a_AnswerInTheLastMomentWins(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: limit - 20*time.Millisecond, Script: talk(30 * time.Second)})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, time.Minute)
	rec := e.record(t, call)
	if rec.AnsweredBy != "anowak" || len(rec.Attempts) != 1 || rec.AnsweredRing != 3 {
		t.Errorf("answered by %q on ring %d after %d attempts; want Anna on ring 3, alone", rec.AnsweredBy, rec.AnsweredRing, len(rec.Attempts))
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4a_BusyOverflowsAtOnce: a busy phone does not cost the caller rings.
func TestP4a_BusyOverflowsAtOnce(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.Busy})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(30 * time.Second)})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, time.Minute)
	rec := e.record(t, call)
	if rec.Attempts[0].Result != "busy" || rec.AnsweredBy != "pwisniewski" {
		t.Errorf("attempts %+v", rec.Attempts)
	}
	if wait := rec.Attempts[1].DialedAt.Sub(rec.Attempts[0].DialedAt); wait > 100*time.Millisecond {
		t.Errorf("Piotr was dialed %s after Anna's busy phone", wait)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4a_DepartmentRingsTogetherThenOverflows: department 300 rings Ewa and
// Jan at once, neither answers in three rings, Anna (its overflow) does.
func TestP4a_DepartmentRingsTogetherThenOverflows(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/103", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	e.pbx.SetPhone("PJSIP/104", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 3 * time.Second})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "300", HangupAfter: time.Minute})
	e.advance(t, 90*time.Second)
	rec := e.record(t, call)
	var who []callcare.ClerkID
	for _, a := range rec.Attempts {
		who = append(who, a.Clerk)
	}
	if !slices.Equal(who, []callcare.ClerkID{"ezielinska", "jkowalski", "anowak"}) || rec.AnsweredBy != "anowak" {
		t.Errorf("rung %v, answered by %q", who, rec.AnsweredBy)
	}
	if rec.Attempts[0].DialedAt != rec.Attempts[1].DialedAt {
		t.Errorf("Ewa and Jan were not rung together")
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4a_ChainExhaustedIsMissed: nobody answers; the caller is told so
// before the line ends, and the call is kept for the callback queue.
func TestP4a_ChainExhaustedIsMissed(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{Mode: pbxsim.Unavailable})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, time.Minute)
	rec := e.record(t, call)
	if rec.Outcome != callcare.OutcomeMissed || rec.CallerID != "48600100200" || rec.Dialed != "101" ||
		rec.Target != (callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"}) || rec.RingsHeard < 3 {
		t.Errorf("missed call kept as %+v", rec)
	}
	ended(t, call)
	if heard := call.Heard(); !slices.Contains(heard, "sound:callcare/nobody-available") {
		t.Errorf("caller heard %v, want the nobody-available message", heard)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4a_CallerGivesUp: the caller hangs up while Anna rings: abandoned,
// Anna's phone stops ringing.
func TestP4a_CallerGivesUp(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101", HangupAfter: 8 * time.Second})
	e.advance(t, 30*time.Second)
	rec := e.record(t, call)
	if rec.Outcome != callcare.OutcomeAbandoned || rec.HungUpBy != callcare.PartyCaller || rec.Attempts[0].Result != "cancelled" {
		t.Errorf("record %+v", rec)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4a_CallerHangsUpDuringOverflow: the caller gives up just as the call
// moves to the next clerk; the new leg is not left ringing. Anna's three
// rings end limit+3ms after the caller entered (her leg enters the
// application 2 ms after it is created, and rings a millisecond later):
// the caller hangs up before, at that instant, once Piotr's leg is created
// and before it enters, as it enters, and as it rings.
func TestP4a_CallerHangsUpDuringOverflow(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	for _, after := range []time.Duration{limit - 2*time.Millisecond, limit + 3*time.Millisecond, limit + 4*time.Millisecond, limit + 5*time.Millisecond, limit + 6*time.Millisecond} {
		call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101", HangupAfter: after})
		e.advance(t, time.Minute)
		if rec := e.record(t, call); rec.Outcome != callcare.OutcomeAbandoned {
			t.Errorf("hang up after %s: outcome %s", after, rec.Outcome)
		}
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4a_BothHangUpAtOnce: clerk and caller hang up in the same instant,
// before the service hears of either.
func TestP4a_BothHangUpAtOnce(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{RingAfter: time.Second, AnswerAfter: 4 * time.Second, Script: talk(30 * time.Second)})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, 100*time.Millisecond)
	offered := e.pbx.Offers()[0].At
	e.advanceTo(t, offered.Add(35*time.Second-time.Millisecond), "")
	if len(e.pbx.Bridges()) != 1 {
		t.Fatalf("not talking: %+v", e.pbx.Channels())
	}
	e.clk.AdvanceTo(offered.Add(35 * time.Second)) // Anna hangs up, and no settling before:
	call.Hangup()
	e.advance(t, 10*time.Second)
	if rec := e.record(t, call); rec.Outcome != callcare.OutcomeAnswered {
		t.Errorf("outcome %s", rec.Outcome)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4a_UnknownNumberHearsAMessage: a number that reaches nobody gets a
// short message, never silence, and the call is logged.
func TestP4a_UnknownNumberHearsAMessage(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	call := e.call(t, pbxsim.Caller{Number: "anonymous", Exten: "999"})
	e.advance(t, 10*time.Second)
	rec := e.record(t, call)
	if rec.Outcome != callcare.OutcomeUnrouted || rec.Dialed != "999" || rec.CallerID != "anonymous" {
		t.Errorf("record %+v", rec)
	}
	if heard := call.Heard(); !slices.Equal(heard, []string{"sound:callcare/unknown-number"}) {
		t.Errorf("caller heard %v", heard)
	}
	e.settled(t)
	e.quiet(t)
}

// TestHostileCallerIDIsKeptAsGiven: caller-controlled text reaches the store
// as given, and the logs only masked.
func TestHostileCallerIDIsKeptAsGiven(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.Busy})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{Mode: pbxsim.Busy})
	hostile := `48600100200'); DROP TABLE calls;--,"x"` + "\n$"
	call := e.call(t, pbxsim.Caller{Number: hostile, Name: `Robert"; Hangup()`, Exten: "101"})
	e.advance(t, 30*time.Second)
	rec := e.record(t, call)
	if string(rec.CallerID) != hostile || rec.CallerName != `Robert"; Hangup()` {
		t.Errorf("caller id stored as %q / %q", rec.CallerID, rec.CallerName)
	}
	if strings.Contains(e.logs.String(), "48600100200") {
		t.Errorf("a caller's number reached the log unmasked:\n%s", e.logs)
	}
	e.settled(t)
}

// TestDebugLogsEveryStep: --debug shows each step of a call with its id:
// the event in, the decision, and the requests out, numbers masked.
func TestDebugLogsEveryStep(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 3 * time.Second})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101", HangupAfter: 10 * time.Second})
	e.advance(t, 30*time.Second)
	e.record(t, call)
	log := e.logs.String()
	for _, want := range []string{
		"step event=nil actions=[Save{", "RingCaller", "DialClerk{Leg=",
		"step event=LegAnswered{Leg=", "Connect{Leg=",
		"request method=POST path=/channels status=",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("the debug log lacks %q:\n%s", want, log)
		}
	}
	if !regexp.MustCompile(`request method=POST path=/channels status=\d+ took=\S+ flow=` + regexp.QuoteMeta(call.ChannelID())).MatchString(log) {
		t.Errorf("a request is not logged with its call's id:\n%s", log)
	}
	if strings.Contains(log, "600100") {
		t.Errorf("a number reached the debug log unmasked:\n%s", log)
	}
	e.settled(t)
}
