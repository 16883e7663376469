package ari_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/pbxsim"
)

// TestUnknownEventTypesAreSkipped: Asterisk 20 sends event types the v5
// client has no struct for; they are counted and skipped, mid-call, and the
// call goes on as if nothing happened.
func TestUnknownEventTypesAreSkipped(t *testing.T) {
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 100 * time.Millisecond, Script: []pbxsim.Action{{At: 100 * time.Millisecond, Do: pbxsim.Hangup}}})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	for _, raw := range []string{
		`{"type":"ApplicationRegistered","application":"callcare","timestamp":"2026-11-24T09:00:00.000+0000","asterisk_id":"x"}`,
		`{"type":"ChannelTransfer","application":"callcare","timestamp":"2026-11-24T09:00:00.000+0000","asterisk_id":"x","refer_to":{},"referred_by":{},"state":"channel_declined"}`,
		`{"type":"StasisStart","channel":{"id":12}}`, // a known type with a bad field
		`not json at all`,
	} {
		e.pbx.InjectEvent("callcare", []byte(raw))
	}
	if rec := e.record(t, call); rec.AnsweredBy != "anowak" {
		t.Errorf("answered by %q", rec.AnsweredBy)
	}
	if st := e.svc.Stats().Link; st.Unknown < 2 || st.Undecodable < 2 {
		t.Errorf("link stats %+v, want 2 unknown and 2 undecodable", st)
	}
	e.settled(t)
}

// TestWebSocketDropDuringRinging: the socket drops while Anna rings and she
// answers during the gap. The service notices, reconnects, looks at the
// channels again and bridges the call it would otherwise have lost.
func TestWebSocketDropDuringRinging(t *testing.T) {
	e := startEnv(t)
	// Piotr, the overflow, has no phone: without the resync the call
	// would end missed.
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 60 * time.Millisecond, Script: []pbxsim.Action{{At: 300 * time.Millisecond, Do: pbxsim.Hangup}}})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	time.Sleep(30 * time.Millisecond)
	e.pbx.DropWebSocket() // the service redials after 50 ms at least
	rec := e.record(t, call)
	if rec.Outcome != callcare.OutcomeAnswered || rec.AnsweredBy != "anowak" {
		t.Errorf("after the drop: %s by %q", rec.Outcome, rec.AnsweredBy)
	}
	e.settled(t)
}

// TestRESTRequestsHaveADeadline: an Asterisk that accepts a request and
// never answers does not hang the call.
func TestRESTRequestsHaveADeadline(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	defer srv.Close()
	defer close(release)
	c := ari.NewClient(srv.URL+"/ari", "u", "p", "callcare", 50*time.Millisecond)
	start := time.Now()
	err := c.Answer(context.Background(), "x")
	if err == nil {
		t.Fatal("a request that got no answer succeeded")
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("gave up after %s", took)
	}
}

// TestNotFoundIsRecognised: Asterisk's 404 for a channel already gone is
// told apart from real failures.
func TestNotFoundIsRecognised(t *testing.T) {
	pbx := pbxsim.NewServer(pbxsim.Options{})
	defer pbx.Close()
	c := ari.NewClient(pbx.URL(), "callcare", "callcare", "callcare", time.Second)
	err := c.Hangup(context.Background(), "no-such-channel", "normal")
	if !ari.IsNotFound(err) {
		t.Errorf("hangup of a missing channel: %v, want a 404", err)
	}
	bad := ari.NewClient(pbx.URL(), "callcare", "wrong", "callcare", time.Second)
	if err := bad.Answer(context.Background(), "x"); err == nil || ari.IsNotFound(err) {
		t.Errorf("wrong password: %v, want a 401", err)
	}
}

// TestManyCallsAtOnce: calls are independent: fifty at once all end as
// they should, none waits for another.
func TestManyCallsAtOnce(t *testing.T) {
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.Busy})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 20 * time.Millisecond, Script: []pbxsim.Action{{At: 50 * time.Millisecond, Do: pbxsim.Hangup}}})
	var calls []*pbxsim.Call
	for range 50 {
		calls = append(calls, e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"}))
	}
	for _, c := range calls {
		if rec := e.record(t, c); rec.AnsweredBy != "pwisniewski" {
			t.Errorf("call %s: %s by %q", c.ChannelID(), rec.Outcome, rec.AnsweredBy)
		}
	}
	e.settled(t)
	e.quiet(t)
	_ = callcare.OutcomeAnswered
}
