package policy_test

import (
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

func TestInLine(t *testing.T) {
	annaThenPiotr := arrival([]callcare.Clerk{anna}, []callcare.Clerk{piotr})
	busy := step{at: 0, ev: policy.LegFailed{Leg: "c-1", Result: "busy"}, want: "hangup:c-1/normal " + busyMenu}
	wait := step{at: 2 * time.Second, ev: policy.KeyPressed{Digit: "1"}, want: "stop moh:default join-line:100/clerk:anowak", deadline: 32 * time.Second}
	place2 := step{at: 2 * time.Second, ev: policy.LinePosition{Position: 2}, want: "say(sound:linepos,sound:digits/2,sound:lineleave)", deadline: 32 * time.Second}
	// Asterisk does not bring back the music after an announcement to a
	// caller in no bridge (trace line-moh): the service does.
	said := step{at: 8 * time.Second, ev: policy.PlaybackDone{Playback: "c-line2"}, want: "moh:default"}
	needy := annaThenPiotr
	needy.Needs = callcare.NeedsRegistry
	for _, tc := range []table{
		{
			rule: "P5.3", name: "the caller waits in line with music, hears the place, and is put through when a clerk frees up",
			arrival: annaThenPiotr,
			steps: []step{busy, wait, place2, said,
				{at: 32 * time.Second, ev: policy.TimerFired{}, want: "say(sound:linepos,sound:digits/2,sound:lineleave)", deadline: 62 * time.Second},
				{at: 38 * time.Second, ev: policy.PlaybackDone{Playback: "c-line3"}, want: "moh:default"},
				{at: 40 * time.Second, ev: policy.LinePosition{Position: 1}, want: "say(sound:linepos,sound:digits/1,sound:lineleave)"},
				{at: 40 * time.Second, ev: policy.LinePosition{Position: 1}, want: ""},
				{at: 50 * time.Second, ev: policy.LineTurn{Clerk: anna}, want: "stop moh:default dial:c-2"},
				{at: 51 * time.Second, ev: policy.LegRinging{Leg: "c-2"}},
				{at: 53 * time.Second, ev: policy.LegAnswered{Leg: "c-2"}, want: "moh-stop turn-over:answered connect:c-2 save close-tasks:48600100200", deadline: -1},
				{at: 90 * time.Second, ev: policy.CallerGone{}, want: "hangup:c-2/normal save finish"},
			},
			check: wantWaits("line:100@2s-53s", func(t *testing.T, r callcare.CallRecord, _ []policy.Action) {
				if r.Outcome != callcare.OutcomeAnswered || r.AnsweredBy != "anowak" {
					t.Errorf("outcome %s by %s", r.Outcome, r.AnsweredBy)
				}
				// P4a is about the ringing: the wait in line is a wait of
				// its own, reported as such, not rings the caller heard.
				if r.RingsHeard != 0 {
					t.Errorf("%d rings heard, counting the wait in line", r.RingsHeard)
				}
			}),
		},
		{
			rule: "P5.3", name: "a caller with special needs joins the line as such: served first",
			arrival: needy,
			steps: []step{busy,
				{at: 2 * time.Second, ev: policy.KeyPressed{Digit: "1"}, want: "stop moh:default join-line:100/clerk:anowak/needs"},
			},
		},
		{
			rule: "P5.3", name: "the clerk of the turn does not answer: the call waits again, in its place",
			arrival: annaThenPiotr,
			steps: []step{busy, wait, place2, said,
				{at: 10 * time.Second, ev: policy.LineTurn{Clerk: anna}, want: "dial:c-2"},
				{at: 10 * time.Second, ev: policy.LegRinging{Leg: "c-2"}},
				{at: 25 * time.Second, ev: policy.TimerFired{}, want: "hangup:c-2/no_answer turn-over:declined say(sound:linepos,sound:digits/2,sound:lineleave)", deadline: 55 * time.Second},
				{at: 30 * time.Second, ev: policy.LineTurn{Clerk: anna}, want: "stop moh:default dial:c-3"},
				{at: 30 * time.Second, ev: policy.LegFailed{Leg: "c-3", Result: "busy"}, want: "hangup:c-3/normal turn-over:declined say(sound:linepos,sound:digits/2,sound:lineleave)"},
			},
			check: wantWaits("line:100@2s-…"), // one wait, the turns within it
		},
		{
			rule: "P4p", name: "offered a clerk as it joins, the call learns its place while the clerk rings, and says it when it waits again",
			arrival: annaThenPiotr,
			steps: []step{busy, wait,
				{at: 2 * time.Second, ev: policy.LineTurn{Clerk: anna}, want: "dial:c-2"},
				{at: 2 * time.Second, ev: policy.LinePosition{Position: 1}, want: ""},
				{at: 3 * time.Second, ev: policy.LegFailed{Leg: "c-2", Result: "busy"}, want: "hangup:c-2/normal turn-over:declined say(sound:linepos,sound:digits/1,sound:lineleave)"},
			},
		},
		{
			rule: "P4p", name: "a call the service cannot carry on leaves the line for a person in the fallback, never stays",
			arrival: annaThenPiotr,
			steps: []step{busy, wait, place2,
				{at: 4 * time.Second, ev: policy.Stuck{Why: "panic"}, want: "stop leave-line moh-stop task:missed/48600100200/p0 fallback:101 save finish"},
			},
		},
		{
			rule: "P5.3", name: "2 leaves the line for a callback at any time",
			arrival: annaThenPiotr,
			steps: []step{busy, wait, place2,
				{at: 4 * time.Second, ev: policy.KeyPressed{Digit: "2"}, want: "leave-line moh-stop stop task:requested/48600100200/p0 play:thanks"},
				{at: 5 * time.Second, ev: policy.PlaybackDone{Playback: "c-closing"}, want: "hangup-caller save finish"},
			},
			check: wantWaits("line:100@2s-4s", func(t *testing.T, r callcare.CallRecord, _ []policy.Action) {
				if r.Outcome != callcare.OutcomeCallback {
					t.Errorf("outcome %s", r.Outcome)
				}
			}),
		},
		{
			rule: "P5.1", name: "another key says the choice again",
			arrival: annaThenPiotr,
			steps: []step{busy, wait, place2, said,
				{at: 9 * time.Second, ev: policy.KeyPressed{Digit: "5"}, want: "say(sound:linepos,sound:digits/2,sound:lineleave)"},
			},
		},
		{
			rule: "P4p", name: "past the longest wait in line, every announcement offers a callback",
			arrival: annaThenPiotr,
			steps: []step{busy, wait, place2, said,
				{at: 302 * time.Second, ev: policy.TimerFired{}, want: "say(sound:lineoffer)", deadline: 332 * time.Second},
				{at: 310 * time.Second, ev: policy.KeyPressed{Digit: "2"}, want: "leave-line moh-stop stop task:requested/48600100200/p0 play:thanks"},
			},
		},
		{
			rule: "P4c", name: "the caller hangs up in line: called back all the same",
			arrival: annaThenPiotr,
			steps: []step{busy, wait, place2,
				{at: 60 * time.Second, ev: policy.CallerGone{}, want: "leave-line task:abandoned/48600100200/p0 save finish"},
			},
			check: wantWaits("line:100@2s-1m0s"),
		},
		{
			rule: "P4c", name: "the caller hangs up as the turn rings",
			arrival: annaThenPiotr,
			steps: []step{busy, wait, place2,
				{at: 10 * time.Second, ev: policy.LineTurn{Clerk: anna}, want: "stop moh:default dial:c-2"},
				{at: 11 * time.Second, ev: policy.CallerGone{}, want: "hangup:c-2/normal leave-line task:abandoned/48600100200/p0 save finish"},
			},
			check: wantWaits("line:100@2s-11s"),
		},
		{
			rule: "P5.3", name: "2 as the turn rings: the clerk is let go, the caller called back",
			arrival: annaThenPiotr,
			steps: []step{busy, wait, place2,
				{at: 10 * time.Second, ev: policy.LineTurn{Clerk: anna}, want: "stop moh:default dial:c-2"},
				{at: 11 * time.Second, ev: policy.KeyPressed{Digit: "2"}, want: "hangup:c-2/normal leave-line moh-stop task:requested/48600100200/p0 play:thanks"},
			},
		},
	} {
		tc.set = busySet
		tc.run(t)
	}
}

// TestInLine_LinkBackStartsTheMusic (P4p): back from a lost link, a call
// waiting in line has its music started again: an announcement's end may
// have been lost with the link, and out of a bridge Asterisk does not
// bring the music back by itself.
func TestInLine_LinkBackStartsTheMusic(t *testing.T) {
	call, _ := policy.Start(arrival([]callcare.Clerk{anna}, []callcare.Clerk{piotr}), busySet, t0)
	call.Step(policy.LegFailed{Leg: "c-1", Result: "busy"}, t0)
	call.Step(policy.KeyPressed{Digit: "1"}, at(2*time.Second))
	call.Step(policy.LinePosition{Position: 2}, at(2*time.Second))
	call.Step(policy.LinkLost{}, at(4*time.Second))
	if got := brief(call.Step(policy.LinkBack{}, at(9*time.Second))); got != "resync: moh:default" {
		t.Errorf("back from a lost link: %q, want the resync and the music", got)
	}
}
