package ari_test

import (
	"testing"
	"time"

	"github.com/callcare/callcare/pbxsim"
)

// TestP4d_DeskPhoneShowsWhy: a ringing desk phone shows the caller's
// number, and as its name why the call comes: a direct call what came
// with it, an overflow from whom, a transfer by whom, special needs.
func TestP4d_DeskPhoneShowsWhy(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 2 * time.Second,
		Script: []pbxsim.Action{transferKey(5*time.Second, "103"), {At: 6 * time.Second, Do: pbxsim.Hangup}}})
	e.pbx.SetPhone("PJSIP/103", pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: talk(10 * time.Second)})
	call := e.call(t, pbxsim.Caller{Number: "48600555555", Name: "Jan Kowalski", Exten: "101"}) // in the special-needs registry
	e.advance(t, 2*time.Minute)
	e.record(t, call)
	want := []struct{ endpoint, name string }{
		{"PJSIP/101", "SP"},                   // direct, special needs
		{"PJSIP/102", "SP Przekier. od A. N"}, // overflowed from Anna, cut to 20
		{"PJSIP/103", "SP Przek. od P. Wiśn"}, // transferred by Piotr
	}
	offers := e.pbx.Offers()
	if len(offers) != len(want) {
		t.Fatalf("offers %+v", offers)
	}
	for i, w := range want {
		if o := offers[i]; o.Endpoint != w.endpoint || o.CallerName != w.name || o.CallerID != "48600555555" {
			t.Errorf("offer %d: %s showed %q <%s>, want %s showing %q <48600555555>", i, o.Endpoint, o.CallerName, o.CallerID, w.endpoint, w.name)
		}
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4d_DirectCallCostsNothing: a direct call of a caller without
// known needs shows what came with it, and costs no request.
func TestP4d_DirectCallCostsNothing(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/103", pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: talk(10 * time.Second)})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Name: "Jan Kowalski", Exten: "103"})
	e.advance(t, time.Minute)
	e.record(t, call)
	if o := e.pbx.Offers()[0]; o.CallerName != "Jan Kowalski" || o.CallerID != "48600100200" {
		t.Errorf("offered as %q <%s>", o.CallerName, o.CallerID)
	}
	if n := e.pbx.Stats().RequestsByPath["POST /channels/{channelId}/variable"]; n != 0 {
		t.Errorf("%d variable requests", n)
	}
	e.settled(t)
	e.quiet(t)
}
