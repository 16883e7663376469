package ari_test

import (
	"slices"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/pbxsim"
)

// TestP4p_OverflowIsAnnounced: Anna does not answer in three rings; the
// caller hears once that they are being connected to another person, then
// the ringing tone, as early media: the call is answered only by Piotr.
func TestP4p_OverflowIsAnnounced(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 8 * time.Second, Script: talk(20 * time.Second)})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, limit+time.Second)
	if chans := e.pbx.Channels(); chans[0].State != "Ring" {
		t.Errorf("the caller's channel is %s while Piotr rings: answered too early", chans[0].State)
	}
	e.advance(t, time.Minute)
	rec := e.record(t, call)
	if rec.AnsweredBy != "pwisniewski" || rec.Outcome != callcare.OutcomeAnswered {
		t.Errorf("answered by %q: %s", rec.AnsweredBy, rec.Outcome)
	}
	want := []string{"sound:callcare/overflowing", "tone:ring;tonezone=pl", "sound:callcare/goodbye"}
	if heard := call.Heard(); !slices.Equal(heard, want) {
		t.Errorf("the caller heard %v, want %v", heard, want)
	}
	e.settled(t)
	e.quiet(t)
}
