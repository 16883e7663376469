package ari_test

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/pbxsim"
)

// TestP4l_CountedPerClerk: who hung up before the caller is kept with the
// call and counted per clerk for the compliance report; a caller who
// hangs up first counts against nobody.
func TestP4l_CountedPerClerk(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: talk(20 * time.Second)})
	e.pbx.SetPhone("PJSIP/103", pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: talk(20 * time.Second)})
	e.pbx.SetPhone("PJSIP/104", pbxsim.Phone{Mode: pbxsim.Busy})
	a := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, time.Minute)
	b := e.call(t, pbxsim.Caller{Number: "48600300300", Exten: "101", HangupAfter: 10 * time.Second})
	e.advance(t, time.Minute)
	c := e.call(t, pbxsim.Caller{Number: "48600400400", Exten: "300"})
	e.advance(t, time.Minute)
	if r := e.record(t, a); r.HungUpBy != callcare.PartyClerk || r.HungUpClerk != "anowak" {
		t.Errorf("a: hung up by %s, %q", r.HungUpBy, r.HungUpClerk)
	}
	if r := e.record(t, b); r.HungUpBy != callcare.PartyCaller || r.HungUpClerk != "" {
		t.Errorf("b: hung up by %s, %q", r.HungUpBy, r.HungUpClerk)
	}
	e.record(t, c)
	got, err := e.db.ClerksHungUpFirst(context.Background(), callcare.CallFilter{Since: epoch})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[callcare.ClerkID]int{"anowak": 1, "ezielinska": 1}; !maps.Equal(got, want) {
		t.Errorf("counted %v, want %v", got, want)
	}
	e.settled(t)
	e.quiet(t)
}
