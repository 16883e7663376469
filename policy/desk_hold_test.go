package policy_test

import (
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

// TestSession_Hold (P4h, P4p): a clerk holds the citizen they called back.
// The department's music is set on the citizen's channel as the two are
// bridged; 3 s into a hold, then every interval, the citizen hears the
// clerk will be back; a resume or the clerk's hang-up cuts it short.
func TestSession_Hold(t *testing.T) {
	anna := callcare.Clerk{ID: "anowak", Department: "200", Endpoint: "PJSIP/101", Extension: "101"}
	set := sessionSet
	set.Inbound = inboundSet
	set.Inbound.Music = map[string]string{"200": "komunikacja"}
	talking := append(callbackTalking("join:s-cb3 music:komunikacja"), []sstep{
		{20 * time.Second, policy.LegHeld{Leg: "s"}, ""},
		{23 * time.Second, policy.TimerFired{}, "sayleg:s-cb3(sound:patience)"},
		{26 * time.Second, policy.PlaybackDone{Playback: "s-cb3-hold1"}, ""},
		{53 * time.Second, policy.TimerFired{}, "sayleg:s-cb3(sound:patience)"},
	}...)
	for _, tc := range []struct {
		name  string
		steps []sstep
	}{
		{"the resume cuts the announcement short; the talk goes on", []sstep{
			{54 * time.Second, policy.LegUnheld{Leg: "s"}, "stop"},
			{90 * time.Second, policy.TimerFired{}, ""},
			{90 * time.Second, policy.LegGone{Leg: "s-cb3"}, "say(sound:outcome)"},
		}},
		{"the citizen hangs up on hold: the clerk hears the question at the resume, not into the held phone", []sstep{
			{60 * time.Second, policy.LegGone{Leg: "s-cb3"}, ""},
			{70 * time.Second, policy.TimerFired{}, ""},
			{75 * time.Second, policy.LegUnheld{Leg: "s"}, "say(sound:outcome)"},
		}},
		{"the clerk hangs up on hold: the announcement stops, the citizen hears goodbye", []sstep{
			{54 * time.Second, policy.ClerkGone{}, "finish:reached/reached stop sayleg:s-cb3(sound:vm-goodbye)"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := policy.StartQueue("s", anna, set, t0)
			stepSession(t, s, append(append([]sstep(nil), talking...), tc.steps...))
		})
	}
}
