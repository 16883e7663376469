package policy_test

import (
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

const overflowTone = "early(sound:overflowing,tone:ring;tonezone=pl)"

func TestOverflow(t *testing.T) {
	chain := arrival([]callcare.Clerk{anna}, []callcare.Clerk{piotr}, []callcare.Clerk{ewa})
	for _, tc := range []table{
		{
			rule: "P4p", name: "the first overflow is said once, then the ringing tone; a later one says nothing more",
			arrival: chain, start: "save ring dial:c-1",
			steps: []step{
				{at: 0, ev: policy.LegRinging{Leg: "c-1"}},
				{at: 15 * time.Second, ev: policy.TimerFired{}, want: "hangup:c-1/no_answer " + overflowTone + " dial:c-2/Overflow from anowak"},
				{at: 15 * time.Second, ev: policy.LegRinging{Leg: "c-2"}},
				{at: 30 * time.Second, ev: policy.TimerFired{}, want: "hangup:c-2/no_answer dial:c-3/Overflow from pwisniewski"},
				{at: 31 * time.Second, ev: policy.LegAnswered{Leg: "c-3"}, want: "stop connect:c-3 save close-tasks:48600100200"},
				{at: 31 * time.Second, ev: policy.PlaybackDone{Playback: "c-overflow"}, want: ""},
			},
		},
		{
			rule: "P4p", name: "a busy first clerk: the next is rung at once, and the caller told",
			arrival: chain, start: "save ring dial:c-1",
			steps: []step{
				{at: 10 * time.Millisecond, ev: policy.LegFailed{Leg: "c-1", Result: "busy"}, want: "hangup:c-1/normal " + overflowTone + " dial:c-2/Overflow from anowak"},
			},
		},
		{
			rule: "P4p", name: "nobody answers after an overflow: the tone stops before the last message",
			arrival: arrival([]callcare.Clerk{anna}, []callcare.Clerk{piotr}), start: "save ring dial:c-1",
			steps: []step{
				{at: 0, ev: policy.LegFailed{Leg: "c-1", Result: "unavailable"}, want: "hangup:c-1/normal " + overflowTone + " dial:c-2/Overflow from anowak"},
				{at: 1 * time.Second, ev: policy.LegFailed{Leg: "c-2", Result: "busy"}, want: "hangup:c-2/normal task:missed/48600100200/p0 stop play:vm-nobodyavail"},
			},
		},
		{
			rule: "P4p", name: "the caller hangs up during the overflow announcement",
			arrival: chain, start: "save ring dial:c-1",
			steps: []step{
				{at: 0, ev: policy.LegFailed{Leg: "c-1", Result: "busy"}, want: "hangup:c-1/normal " + overflowTone + " dial:c-2/Overflow from anowak"},
				{at: 1 * time.Second, ev: policy.CallerGone{}, want: "hangup:c-2/normal task:abandoned/48600100200/p0 save finish"},
				{at: 1 * time.Second, ev: policy.PlaybackDone{Playback: "c-overflow"}, want: ""},
			},
		},
	} {
		tc.run(t)
	}
}
