package ari_test

import (
	"testing"
	"time"

	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/pbxsim"
)

// TestRequestsStayInsideAsteriskSessions: Asterisk's HTTP server closes a
// connection beyond its session limit unanswered (http.conf sessionlimit),
// so a client that opens one per request at once fails past it. The
// service keeps to its own bound, well under: a hundred calls arriving
// together through a PBX that takes six sessions are all answered, their
// requests waiting their turn.
func TestRequestsStayInsideAsteriskSessions(t *testing.T) {
	t.Parallel()
	e := newEnvPBX(t, func(o *pbxsim.Options) { o.SessionLimit = 6 })
	e.options = func(o *ari.Options) { o.MaxConnections = 4 }
	e.run(t, testSettings(), ari.Stores{Calls: e.db, Callbacks: e.db, Queue: e.db})
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(20 * time.Second)})
	calls := e.callsAtOnce(t, 100, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, time.Minute)
	e.answeredBy(t, calls, "anowak")
	st := e.pbx.Stats()
	if st.SessionsRefused > 0 || st.MostSessions > 4 {
		t.Errorf("Asterisk refused %d sessions, had %d at once; want none refused, at most 4", st.SessionsRefused, st.MostSessions)
	}
	e.settled(t)
	e.quiet(t)
}

// TestRingingFromTheDialplan: the rendered dialplan rings the caller
// before Stasis (Ringing(), the "ringing" argument): the caller hears
// ringing from the first moment, and the service asks Asterisk for
// nothing more. A dialplan that does not is rung by the service.
func TestRingingFromTheDialplan(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(10 * time.Second)})
	for _, rung := range []bool{true, false} {
		before := e.pbx.Stats().RequestsByPath["POST /channels/{channelId}/ring"]
		call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101", Ringing: rung})
		e.advance(t, time.Minute)
		if rec := e.record(t, call); rec.AnsweredBy != "anowak" {
			t.Errorf("ringing %v: %s by %q", rung, rec.Outcome, rec.AnsweredBy)
		}
		heardNoSilence(t, call)
		want := 1
		if rung {
			want = 0
		}
		if n := e.pbx.Stats().RequestsByPath["POST /channels/{channelId}/ring"] - before; n != want {
			t.Errorf("ringing from the dialplan %v: %d ring requests, want %d", rung, n, want)
		}
	}
	e.settled(t)
	e.quiet(t)
}

// TestBusyLegIsNotHungUp: a clerk's leg is originated, so a phone that
// answers busy ends it in Asterisk by itself (trace originate-busy): the
// service sends no hang-up for it, and the call goes on to the next clerk.
func TestBusyLegIsNotHungUp(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.Busy})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 3 * time.Second})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101", Ringing: true, HangupAfter: 20 * time.Second})
	e.advance(t, time.Minute)
	if rec := e.record(t, call); rec.AnsweredBy != "pwisniewski" || rec.Attempts[0].Result != "busy" {
		t.Errorf("%s by %q after %+v; want Piotr after Anna's busy", rec.Outcome, rec.AnsweredBy, rec.Attempts)
	}
	// One hang-up: Piotr's leg, once the caller has gone.
	if n := e.pbx.Stats().RequestsByPath["DELETE /channels/{channelId}"]; n != 1 {
		t.Errorf("%d hang-ups, want 1", n)
	}
	e.settled(t)
	e.quiet(t)
}
