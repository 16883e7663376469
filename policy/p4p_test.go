package policy_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

// TestEveryWaitHasABoundAndAnExit is P4p for every state a caller can
// wait in: ringing (and overflowing), on hold, in a department's line, at
// a busy clerk's choices, being transferred. The call is brought into the
// state, then nothing happens but time: no clerk answers, the caller says
// nothing, every prompt plays to its end. At every step the caller has a
// deadline within the wait's bound (checkBound); the caller never goes
// longer than the bound without hearing something (an announcement, a
// prompt, the ringing tone); and the wait has an exit: the call ends (a
// person was not found, a callback is promised) or a callback is offered.
func TestEveryWaitHasABoundAndAnExit(t *testing.T) {
	three := arrival([]callcare.Clerk{anna}, []callcare.Clerk{piotr}, []callcare.Clerk{ewa})
	answered := []policy.Event{policy.LegRinging{Leg: "c-1"}, policy.LegAnswered{Leg: "c-1"}}
	for _, tc := range []struct {
		rule, name string
		set        policy.InboundSettings
		arrival    policy.Arrival
		into       []policy.Event // what brings the call into the state
		exit       string         // a sound that must have been said; "" for: the call ends
		within     time.Duration  // the exit comes within this long
	}{
		{"P4p", "ringing through an overflow chain nobody answers", inboundSet, three,
			[]policy.Event{policy.LegRinging{Leg: "c-1"}}, "", 2 * time.Minute},
		{"P4p", "ringing phones that never even ring", inboundSet, three,
			[]policy.Event{}, "", 2 * time.Minute},
		{"P4p", "on hold, the clerk never comes back", holdSet, arrival([]callcare.Clerk{anna}),
			append(slices.Clone(answered), policy.LegHeld{Leg: "c-1"}), "sound:holdoffer", 3 * time.Minute},
		{"P4p", "at the busy clerk's choices, the caller silent", busySet, arrival([]callcare.Clerk{anna}),
			[]policy.Event{policy.LegFailed{Leg: "c-1", Result: "busy"}}, "", time.Minute},
		{"P4p", "in line, nobody frees up", busySet, arrival([]callcare.Clerk{anna}),
			[]policy.Event{policy.LegFailed{Leg: "c-1", Result: "busy"}, policy.KeyPressed{Digit: "1"}, policy.LinePosition{Position: 3}}, "sound:lineoffer", 6 * time.Minute},
		{"P4p", "being transferred, nobody answers, the clerk not rung back in time", inboundSet, arrival([]callcare.Clerk{anna}),
			append(slices.Clone(answered), toPiotr(0, "L1", "L2").ev), "", 3 * time.Minute},
	} {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			call, acts := policy.Start(tc.arrival, tc.set, t0)
			now := t0
			said := map[string]bool{}
			lastHeard := now
			var feed func(acts []policy.Action)
			feed = func(acts []policy.Action) {
				for _, a := range acts {
					var id string
					var media []string
					switch a := a.(type) {
					case policy.Say:
						id, media = a.Playback, a.Media
					case policy.Play:
						id, media = a.Playback, []string{"sound:" + a.Sound}
					case policy.EarlyMedia:
						media = a.Media // ends with the ringing tone: plays on
					case policy.RingCaller, policy.StartMusic:
						media = []string{"ringing or music"}
					}
					for _, m := range media {
						said[m] = true
						lastHeard = now
					}
					if id != "" && !call.Done() {
						feed(call.Step(policy.PlaybackDone{Playback: id}, now)) // every prompt plays to its end
					}
				}
			}
			feed(acts)
			for _, ev := range tc.into {
				feed(call.Step(ev, now))
			}
			for i := 0; !call.Done(); i++ {
				checkBound(t, call, now, i)
				d := call.Deadline()
				if d.IsZero() {
					t.Fatalf("after %s the call waits for nothing: no deadline, not over", now.Sub(t0))
				}
				w, bound := call.Waiting()
				if w != policy.WaitNone && w != policy.WaitRinging && d.Sub(lastHeard) > bound {
					t.Fatalf("at %s the caller (%s) last heard something %s ago: longer than %s", d.Sub(t0), w, d.Sub(lastHeard), bound)
				}
				now = d
				feed(call.Step(policy.TimerFired{}, now))
				if tc.exit != "" && said[tc.exit] {
					break
				}
				if now.Sub(t0) > tc.within {
					t.Fatalf("no exit within %s: said %v", tc.within, keys(said))
				}
			}
			if tc.exit == "" && !call.Done() {
				t.Errorf("the call never ended")
			}
		})
	}
}

func keys(m map[string]bool) string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}
