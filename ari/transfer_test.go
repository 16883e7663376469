package ari_test

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/pbxsim"
)

// transferKey is the desk phone's own transfer key to number, at a time
// from the answer.
func transferKey(at time.Duration, number string) pbxsim.Action {
	return pbxsim.Action{At: at, Do: pbxsim.Transfer, Digits: number}
}

// whisperOf is what a target hears of a transfer by Anna (101) of
// 48600100200's call.
var whisperOf = []string{"sound:callcare/whisper-from", "sound:digits/1", "sound:digits/0", "sound:digits/1",
	"sound:callcare/whisper-caller", "sound:digits/6", "sound:digits/0", "sound:digits/0", // the Polish number, without 48
	"sound:digits/1", "sound:digits/0", "sound:digits/0", "sound:digits/2", "sound:digits/0", "sound:digits/0"}

// transferred checks a call Anna transferred to Piotr, who took it.
func transferred(t *testing.T, e *env, call *pbxsim.Call) {
	t.Helper()
	rec := e.record(t, call)
	if len(rec.Attempts) != 2 || rec.Attempts[1].Clerk != "pwisniewski" || rec.Attempts[1].TransferredBy != "anowak" || rec.Attempts[1].Result != "answered" {
		t.Errorf("attempts %+v: want Anna, then Piotr by her transfer", rec.Attempts)
	}
	calls, err := e.db.Calls(context.Background(), callcare.CallFilter{})
	if err != nil || len(calls) != 1 {
		t.Errorf("%d calls recorded (%v): the transfer made a call of its own", len(calls), err)
	}
	heard := call.Heard()
	if i := slices.Index(heard, "sound:callcare/transferring"); i < 0 || !slices.Contains(heard[i:], "moh:sekretariat") {
		t.Errorf("the caller heard %v: want being transferred, then music", heard)
	}
	piotr := e.pbx.Offers()[1]
	if piotr.Endpoint != "PJSIP/102" || piotr.CallerID != "48600100200" {
		t.Errorf("Piotr was offered %+v: want the caller's number", piotr)
	}
	if h := e.pbx.Heard(piotr.Channel); !slices.Equal(h, whisperOf) {
		t.Errorf("Piotr heard %v before being connected, want %v", h, whisperOf)
	}
}

// TestP4o_PhoneKeyTransfer: Anna transfers the call to Piotr with her desk
// phone's own key (a blind transfer: Asterisk swaps its Local channel pair
// in for her phone, which hangs up a moment later). The caller hears they
// are being transferred, then music; Piotr rings, hears who transfers and
// who calls, and is connected. One call in the log, nothing left over.
func TestP4o_PhoneKeyTransfer(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 2 * time.Second,
		Script: []pbxsim.Action{transferKey(10*time.Second, "102"), {At: 11 * time.Second, Do: pbxsim.Hangup}}})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(20 * time.Second)})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, time.Minute)
	transferred(t, e, call)
	if r := e.record(t, call); r.HungUpClerk != "pwisniewski" {
		t.Errorf("hung up first by %q, want Piotr (P4l)", r.HungUpClerk)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4p_TargetHoldsDuringWhisper: Piotr puts the phone on hold as he
// answers, while he hears who transfers. The caller is not joined to a
// phone on hold, which would be silence (Asterisk plays no music for a
// hold that came before the bridge: the lab, chan_sip); they wait on the
// transfer's music, hear requests for patience, and are connected when
// Piotr resumes.
func TestP4p_TargetHoldsDuringWhisper(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 2 * time.Second,
		Script: []pbxsim.Action{transferKey(10*time.Second, "102"), {At: 11 * time.Second, Do: pbxsim.Hangup}}})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: []pbxsim.Action{
		hold(500 * time.Millisecond), {At: 70 * time.Second, Do: pbxsim.Unhold}, {At: 90 * time.Second, Do: pbxsim.Hangup}}})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, 3*time.Minute)
	transferred(t, e, call)
	heard := call.Heard()
	if i := slices.Index(heard, "sound:callcare/transferring"); i < 0 || count(heard[i+1:], "sound:callcare/transfer-wait") < 2 {
		t.Errorf("the caller heard %v: want requests for patience while Piotr held", heard)
	}
	heardNoSilence(t, call)
	e.settled(t)
}

// TestP4o_KeyedTransfer: the same with the DTMF fallback, ##102#.
func TestP4o_KeyedTransfer(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: []pbxsim.Action{press(10*time.Second, "##102#")}})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(20 * time.Second)})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, time.Minute)
	transferred(t, e, call)
	e.settled(t)
	e.quiet(t)
}

// TestP4o_TransferToAnOutsideNumberIsMasked: a clerk who transfers to a
// number that is not the office's (a citizen's mobile, keyed in by
// mistake) is rung back; the log shows the number masked, as any
// citizen's.
func TestP4o_TransferToAnOutsideNumberIsMasked(t *testing.T) {
	t.Parallel()
	for name, script := range map[string][]pbxsim.Action{
		"phone key": {transferKey(10*time.Second, "48600777777"), {At: 11 * time.Second, Do: pbxsim.Hangup}},
		"keys":      {press(10*time.Second, "##48600777777#")},
	} {
		e := startEnv(t)
		e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: script})
		call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
		e.advance(t, time.Minute)
		call.Hangup()
		e.advance(t, time.Second)
		for _, r := range e.logs.records(slog.LevelDebug) {
			var text strings.Builder
			text.WriteString(r.Message)
			r.Attrs(func(a slog.Attr) bool { text.WriteString(" " + a.Key + "=" + a.Value.Resolve().String()); return true })
			if strings.Contains(text.String(), "600777") {
				t.Errorf("%s: the number reached a log line unmasked: %q", name, text.String())
			}
		}
		e.settled(t)
	}
}

// TestP4o_UnansweredTransferComesBack: Piotr does not answer; Anna's phone
// is rung back, she hears nobody took it and talks with the caller again.
// When she does not answer either, the caller is told and Piotr owes a
// callback.
func TestP4o_UnansweredTransferComesBack(t *testing.T) {
	t.Parallel()
	for _, annaBack := range []bool{true, false} {
		e := startEnv(t)
		e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 2 * time.Second,
			Script: []pbxsim.Action{transferKey(10*time.Second, "102"), {At: 11 * time.Second, Do: pbxsim.Hangup}}})
		e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
		call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
		e.advance(t, 15*time.Second)
		if annaBack {
			e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: talk(20 * time.Second)})
		} else {
			e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
		}
		e.advance(t, 2*time.Minute)
		rec := e.record(t, call)
		// P4p: music and patience while the target rings, never silence.
		if d := call.LongestSilence(); d > time.Second {
			t.Errorf("the caller heard nothing for %s", d)
		}
		var who []string
		for _, a := range rec.Attempts {
			who = append(who, string(a.Clerk)+"/"+a.Result)
		}
		tasks, _ := e.db.Callbacks(context.Background(), callcare.CallbackFilter{Number: "48600100200"})
		if annaBack {
			if strings.Join(who, " ") != "anowak/answered pwisniewski/noanswer anowak/answered" || len(tasks) != 0 {
				t.Errorf("Anna back: attempts %v, tasks %+v", who, tasks)
			}
			if h := e.pbx.Heard(e.pbx.Offers()[2].Channel); !slices.Equal(h, []string{"sound:callcare/transfer-back"}) {
				t.Errorf("Anna, rung back, heard %v", h)
			}
		} else {
			if len(tasks) != 1 || tasks[0].Target.ID != "pwisniewski" || !slices.Contains(call.Heard(), "sound:callcare/nobody-available") {
				t.Errorf("nobody: attempts %v, tasks %+v, heard %v", who, tasks, call.Heard())
			}
		}
		e.settled(t)
		e.quiet(t)
	}
}

// TestP4o_TransferAdoptedAfterCrash: Anna transfers the call to Ewa (103)
// and the service dies, while Ewa's phone rings or while she talks.
// Started again, it carries the transfer on as the record saved it: Ewa
// rings on and, answering, hears who transfers and is connected; nobody
// answering, Anna is rung back, then Ewa owes a callback. The caller is
// never dropped, and a clerk's hang-up is counted against the one who
// took the call, never against Anna, who passed it on (P4l).
func TestP4o_TransferAdoptedAfterCrash(t *testing.T) {
	t.Parallel()
	ringing := pbxsim.Phone{Mode: pbxsim.NeverAnswers, RingAfter: 500 * time.Millisecond}
	attempts := func(r callcare.CallRecord) string {
		var who []string
		for _, a := range r.Attempts {
			who = append(who, string(a.Clerk)+"/"+a.Result)
		}
		return strings.Join(who, " ")
	}
	for _, tc := range []struct {
		name    string
		ewa     pbxsim.Phone
		crashAt time.Duration
		anna    *pbxsim.Phone // Anna's phone after the crash, rung back
		check   func(t *testing.T, e *env, call *pbxsim.Call, r callcare.CallRecord)
	}{
		{
			name: "Ewa rings, then answers", crashAt: 15 * time.Second,
			ewa: pbxsim.Phone{RingAfter: 500 * time.Millisecond, AnswerAfter: 9 * time.Second, Script: talk(20 * time.Second)},
			check: func(t *testing.T, e *env, call *pbxsim.Call, r callcare.CallRecord) {
				if got := attempts(r); got != "anowak/answered ezielinska/answered" || r.Attempts[1].TransferredBy != "anowak" || r.HungUpClerk != "ezielinska" {
					t.Errorf("attempts %s, hung up first by %q: want Ewa, by Anna's transfer, counted for her hang-up", got, r.HungUpClerk)
				}
				if h := e.pbx.Heard(offersTo(e, "PJSIP/103")[0].Channel); !slices.Equal(h, whisperOf) {
					t.Errorf("Ewa heard %v before being connected, want %v", h, whisperOf)
				}
				if !slices.Contains(call.Heard(), "sound:callcare/goodbye") {
					t.Errorf("the caller heard %v, want goodbye after Ewa hung up", call.Heard())
				}
			},
		},
		{
			name: "Ewa does not answer; Anna, rung back, does", crashAt: 15 * time.Second, ewa: ringing,
			anna: &pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: talk(20 * time.Second)},
			check: func(t *testing.T, e *env, call *pbxsim.Call, r callcare.CallRecord) {
				if got := attempts(r); got != "anowak/answered ezielinska/noanswer anowak/answered" || !r.Transfers[0].CameBack || r.HungUpClerk != "anowak" {
					t.Errorf("attempts %s, transfers %+v, hung up first by %q: want the transfer back to Anna, who hung up", got, r.Transfers, r.HungUpClerk)
				}
			},
		},
		{
			name: "nobody answers: Ewa owes a callback", crashAt: 15 * time.Second, ewa: ringing,
			anna: &pbxsim.Phone{Mode: pbxsim.NeverAnswers},
			check: func(t *testing.T, e *env, call *pbxsim.Call, r callcare.CallRecord) {
				if ts := tasksOf(t, e, "48600100200"); len(ts) != 1 || ts[0].Target.ID != "ezielinska" {
					t.Errorf("tasks %+v: want one, Ewa's", ts)
				}
				if !slices.Contains(call.Heard(), "sound:callcare/nobody-available") || r.HungUpClerk != "" {
					t.Errorf("heard %v, hung up first by %q: want told nobody can answer, no clerk counted", call.Heard(), r.HungUpClerk)
				}
			},
		},
		{
			name: "Ewa talks with the caller, then hangs up", crashAt: 35 * time.Second,
			ewa: pbxsim.Phone{RingAfter: 500 * time.Millisecond, AnswerAfter: 5 * time.Second, Script: talk(30 * time.Second)},
			check: func(t *testing.T, e *env, call *pbxsim.Call, r callcare.CallRecord) {
				if got := attempts(r); got != "anowak/answered ezielinska/answered" || r.HungUpClerk != "ezielinska" {
					t.Errorf("attempts %s, hung up first by %q: want Ewa's conversation, her hang-up counted", got, r.HungUpClerk)
				}
				// She talks 30 s from her answer: the restart did not cut her off.
				if ended := r.Attempts[1].EndedAt; ended.Before(r.Attempts[1].RingingAt.Add(30 * time.Second)) {
					t.Errorf("Ewa's attempt %+v: her conversation was cut", r.Attempts[1])
				}
				if !slices.Contains(call.Heard(), "sound:callcare/goodbye") {
					t.Errorf("the caller heard %v, want goodbye after Ewa hung up", call.Heard())
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t)
			e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 2 * time.Second,
				Script: []pbxsim.Action{transferKey(10*time.Second, "103"), {At: 11 * time.Second, Do: pbxsim.Hangup}}})
			e.pbx.SetPhone("PJSIP/103", tc.ewa)
			call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
			e.advance(t, tc.crashAt)
			if tc.anna != nil {
				e.pbx.SetPhone("PJSIP/101", *tc.anna)
			}
			e.crash(t, 2*time.Second)
			e.advance(t, 2*time.Minute)
			ended(t, call)
			rec := e.record(t, call)
			if rec.Outcome != callcare.OutcomeAnswered || len(rec.Transfers) != 1 || rec.Transfers[0].By != "anowak" || rec.Transfers[0].To.ID != "ezielinska" {
				t.Errorf("record %+v: want answered, with Anna's transfer to Ewa", rec)
			}
			if n := len(offersTo(e, "PJSIP/103")); n != 1 {
				t.Errorf("Ewa was rung %d times, want once", n)
			}
			tc.check(t, e, call, rec)
			heardNoSilence(t, call)
			e.settled(t)
		})
	}
}

// TestP4o_Races: a transfer at the worst moments leaves nothing behind.
func TestP4o_Races(t *testing.T) {
	t.Parallel()
	// Anna transfers 10 s after her answer (2.003 s into the call); Piotr's
	// leg is made 2 ms after, rings 1 ms later: his three rings end 12.009
	// + 15 s into the call. The whisper lasts 2 + 10 x 1... as said.
	annaTransfers := pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: []pbxsim.Action{transferKey(10*time.Second, "102"), {At: 11 * time.Second, Do: pbxsim.Hangup}}}
	for _, tc := range []struct {
		name   string
		piotr  pbxsim.Phone
		caller pbxsim.Caller
	}{
		{"the caller hangs up during the whisper", pbxsim.Phone{AnswerAfter: 2 * time.Second}, pbxsim.Caller{HangupAfter: 16 * time.Second}},
		{"the caller hangs up while the transfer rings", pbxsim.Phone{Mode: pbxsim.NeverAnswers}, pbxsim.Caller{HangupAfter: 14 * time.Second}},
		{"the target answers as the ring limit passes", pbxsim.Phone{AnswerAfter: limit, Script: talk(10 * time.Second)}, pbxsim.Caller{}},
		{"the target answers just before the ring limit", pbxsim.Phone{AnswerAfter: limit - time.Millisecond, Script: talk(10 * time.Second)}, pbxsim.Caller{}},
		{"the target hangs up during the whisper", pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: talk(time.Second)}, pbxsim.Caller{}},
		{"both hang up at once after the transfer", pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: talk(20 * time.Second)}, pbxsim.Caller{HangupAfter: 12*time.Second + 3*time.Millisecond + 2*time.Second + 20*time.Second}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t)
			e.pbx.SetPhone("PJSIP/101", annaTransfers)
			e.pbx.SetPhone("PJSIP/102", tc.piotr)
			c := tc.caller
			c.Number, c.Exten = "48600100200", "101"
			call := e.call(t, c)
			e.advance(t, 20*time.Second)
			e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.NeverAnswers}) // Anna, rung back, is gone
			e.advance(t, 2*time.Minute)
			e.record(t, call)
			ended(t, call)
			e.settled(t)
			e.quiet(t)
		})
	}
}

// TestP4o_TransferHalvesSwapped: Asterisk's threads may deliver the Local
// pair's ;1 before its ;2 (the lab's chan_sip did): the transfer is the
// call's all the same, and its record is the one ;2 first makes, with no
// attempt for the Local channel and one transfer.
func TestP4o_TransferHalvesSwapped(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetTransferOneFirst(true)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 2 * time.Second,
		Script: []pbxsim.Action{transferKey(10*time.Second, "102"), {At: 11 * time.Second, Do: pbxsim.Hangup}}})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(20 * time.Second)})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, time.Minute)
	transferred(t, e, call)
	if ts := e.record(t, call).Transfers; len(ts) != 1 || ts[0].By != "anowak" || ts[0].To.ID != "pwisniewski" {
		t.Errorf("transfers %+v: want one, by Anna to Piotr", ts)
	}
	e.settled(t)
	e.quiet(t)
}
