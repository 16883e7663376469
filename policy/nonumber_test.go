package policy_test

import (
	"slices"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

// noNumber is a with a caller id nobody can call back: hidden (CLIR), or
// no number at all.
func noNumber(a policy.Arrival, id callcare.Number) policy.Arrival {
	a.CallerID = id
	return a
}

// noTask: no callback task, since nobody will call.
func noTask(t *testing.T, _ callcare.CallRecord, acts []policy.Action) {
	for _, a := range acts {
		if ct, ok := a.(policy.CreateTask); ok {
			t.Errorf("a task for a caller who cannot be called back: %+v", ct.Task)
		}
	}
}

// A caller who cannot be called back (P4c: an anonymous or malformed
// caller id makes no task) is never offered a callback nor promised one:
// on hold they keep hearing that the clerk will be back; a busy clerk's
// choices are the line alone, where they wait for the next free clerk;
// after hours, and wherever nobody can take the call, they hear that we
// cannot call back and they should call again. Never a promise nobody
// keeps, never a voice note no task refers to.
func TestNoNumber_NeitherOfferedNorPromisedACallback(t *testing.T) {
	anon := noNumber(arrival([]callcare.Clerk{anna}), "anonymous")
	anonThenPiotr := noNumber(arrival([]callcare.Clerk{anna}, []callcare.Clerk{piotr}), "anonymous")
	busy := step{at: 0, ev: policy.LegFailed{Leg: "c-1", Result: "busy"}, want: "hangup:c-1/normal answer say(sound:clerkbusy,sound:busywait)"}
	said := step{at: 4 * time.Second, ev: policy.PlaybackDone{Playback: "c-busy1"}, deadline: 9 * time.Second}
	wait := step{at: 6 * time.Second, ev: policy.KeyPressed{Digit: "1"}, want: "moh:default join-line:100/clerk:anowak", deadline: 36 * time.Second}
	place2 := step{at: 6 * time.Second, ev: policy.LinePosition{Position: 2}, want: "say(sound:linepos,sound:digits/2,sound:linepatience)", deadline: 36 * time.Second}
	for _, tc := range []table{
		{
			rule: "P4h", name: "a long hold: the clerk will be back, never the offer; 1 is the caller's own business",
			set: holdSet, arrival: anon,
			steps: []step{
				{at: 0, ev: policy.LegRinging{Leg: "c-1"}},
				{at: 2 * time.Second, ev: policy.LegAnswered{Leg: "c-1"}, want: "connect:c-1 music:sekretariat save"},
				held[0], held[1],
				{at: 16 * time.Second, ev: policy.PlaybackDone{Playback: "c-hold1"}},
				{at: 133 * time.Second, ev: policy.TimerFired{}, want: "say(sound:patience)", deadline: 163 * time.Second},
				{at: 134 * time.Second, ev: policy.KeyPressed{Digit: "1"}, want: ""},
				{at: 136 * time.Second, ev: policy.PlaybackDone{Playback: "c-hold2"}},
				{at: 163 * time.Second, ev: policy.TimerFired{}, want: "say(sound:patience)", deadline: 193 * time.Second},
				{at: 170 * time.Second, ev: policy.LegUnheld{Leg: "c-1"}, want: "stop", deadline: -1},
			},
			check: noTask,
		},
		{
			rule: "P4b", name: "a busy clerk: the line is the only choice; 2 and 3 say it again",
			set: busySet, arrival: anonThenPiotr,
			steps: []step{busy, said,
				{at: 5 * time.Second, ev: policy.KeyPressed{Digit: "2"}, want: "say(sound:busywait)"},
				{at: 6 * time.Second, ev: policy.KeyPressed{Digit: "3"}, want: "stop say(sound:busywait)"},
			},
			check: noTask,
		},
		{
			rule: "P5.1", name: "a busy clerk and silence: the choice once more, then the line",
			set: busySet, arrival: anonThenPiotr,
			steps: []step{busy, said,
				{at: 9 * time.Second, ev: policy.TimerFired{}, want: "say(sound:remind)"},
				{at: 10 * time.Second, ev: policy.PlaybackDone{Playback: "c-remind1"}, deadline: 15 * time.Second},
				{at: 15 * time.Second, ev: policy.TimerFired{}, want: "say(sound:busywait)"},
				{at: 17 * time.Second, ev: policy.PlaybackDone{Playback: "c-busy2"}, deadline: 22 * time.Second},
				{at: 22 * time.Second, ev: policy.TimerFired{}, want: "say(sound:remind)"},
				{at: 23 * time.Second, ev: policy.PlaybackDone{Playback: "c-remind2"}, deadline: 28 * time.Second},
				{at: 28 * time.Second, ev: policy.TimerFired{}, want: "moh:default join-line:100/clerk:anowak", deadline: 58 * time.Second},
			},
			check: noTask,
		},
		{
			rule: "P5.3", name: "in line: the place and patience, no key to leave it, no offer however long",
			set: busySet, arrival: anonThenPiotr,
			steps: []step{busy, said, wait, place2,
				{at: 12 * time.Second, ev: policy.PlaybackDone{Playback: "c-line2"}, want: "moh:default"},
				{at: 13 * time.Second, ev: policy.KeyPressed{Digit: "2"}, want: "say(sound:linepos,sound:digits/2,sound:linepatience)"},
				{at: 20 * time.Second, ev: policy.PlaybackDone{Playback: "c-line3"}, want: "moh:default"},
				{at: 400 * time.Second, ev: policy.TimerFired{}, want: "say(sound:linepos,sound:digits/2,sound:linepatience)", deadline: 430 * time.Second},
				{at: 401 * time.Second, ev: policy.LineTurn{Clerk: anna}, want: "stop moh:default dial:c-2"},
				{at: 402 * time.Second, ev: policy.KeyPressed{Digit: "2"}, want: ""}, // the turn's clerk rings on
				{at: 403 * time.Second, ev: policy.LegAnswered{Leg: "c-2"}, want: "moh-stop turn-over:answered connect:c-2 save", deadline: -1},
			},
			check: noTask,
		},
		{
			rule: "P4c", name: "after hours: closed, when it opens, call again; no note",
			set: closedSet, arrival: anon,
			start: "save answer say(sound:closed,sound:digits/13,sound:callagain)",
			steps: []step{
				{at: 3 * time.Second, ev: policy.KeyPressed{Digit: "1"}, want: ""},
				{at: 8 * time.Second, ev: policy.PlaybackDone{Playback: "c-closing"}, want: "hangup-caller save finish"},
			},
			check: func(t *testing.T, r callcare.CallRecord, acts []policy.Action) {
				noTask(t, r, acts)
				if r.Outcome != callcare.OutcomeAfterHours {
					t.Errorf("outcome %s", r.Outcome)
				}
			},
		},
		{
			rule: "P4c", name: "after hours, a caller id that is no number: the same",
			set: closedSet, arrival: noNumber(arrival([]callcare.Clerk{anna}), "Urzad"),
			start: "save answer say(sound:closed,sound:digits/13,sound:callagain)",
			check: noTask,
		},
		{
			rule: "P4c", name: "nobody can answer: call again, not 'we will call you back'",
			arrival: anon, start: "save ring dial:c-1",
			steps: []step{
				{at: time.Second, ev: policy.LegFailed{Leg: "c-1", Result: "busy"}, want: "hangup:c-1/normal play:callagain"},
				{at: 8 * time.Second, ev: policy.PlaybackDone{Playback: "c-closing"}, want: "hangup-caller save finish"},
			},
			check: noTask,
		},
		{
			rule: "P4o", name: "nobody takes a transfer, nor the clerk rung back: call again",
			set: xferSet, arrival: anon,
			steps: []step{
				{at: 0, ev: policy.LegRinging{Leg: "c-1"}},
				{at: 2 * time.Second, ev: policy.LegAnswered{Leg: "c-1"}, want: "connect:c-1 save"},
				{at: 10 * time.Second, ev: toPiotr(0, "L1", "L2").ev, want: transferStarts},
				{at: 12 * time.Second, ev: policy.LegFailed{Leg: "c-2", Result: "busy"}, want: "hangup:c-2/normal save-now dial:c-3/Transfer back"},
				{at: 13 * time.Second, ev: policy.LegFailed{Leg: "c-3", Result: "unavailable"}, want: "hangup:c-3/normal stop moh-stop play:callagain"},
			},
			check: noTask,
		},
	} {
		tc.run(t)
	}

	// Through the menu (P3.2): a meeting, or a matter, nobody answers.
	menuAnon := menuCall
	menuAnon.CallerID = "anonymous"
	for _, tc := range []struct {
		rule, name string
		steps      []step
	}{
		{"P3.2", "a meeting nobody answers: no request passed on, call again", []step{
			{at: 2 * time.Second, ev: policy.KeyPressed{Digit: "1"}, want: "stop say(" + personSaid + ")"},
			{at: 3 * time.Second, ev: policy.KeyPressed{Digit: "0"}, want: "stop " + toSecretariatLike("c-1/Sekretariat")},
			{at: 4 * time.Second, ev: policy.LegRinging{Leg: "c-1"}},
			{at: 19 * time.Second, ev: policy.TimerFired{}, want: "hangup:c-1/no_answer stop play:callagain"},
		}},
		{"P3.2", "a matter nobody answers: no voice note offered, call again", []step{
			{at: 2 * time.Second, ev: policy.KeyPressed{Digit: "2"}, want: "stop say(" + mattersSaid + ")"},
			{at: 4 * time.Second, ev: policy.KeyPressed{Digit: "2"}, want: "stop save " + connecting + " dial:c-1/Komunikacja dial:c-2/Komunikacja"},
			{at: 5 * time.Second, ev: policy.LegRinging{Leg: "c-1"}},
			{at: 20 * time.Second, ev: policy.TimerFired{}, want: "hangup:c-1/no_answer hangup:c-2/no_answer stop play:callagain"},
			{at: 21 * time.Second, ev: policy.KeyPressed{Digit: "1"}, want: ""},
		}},
	} {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			m, acts := policy.StartMenu(menuAnon, menuDir, &callcare.Absences{}, menuSet, menuIn, t0)
			acts = slices.Concat(acts, runSteps(t, m, tc.steps))
			noTask(t, m.Record(), acts)
		})
	}
}
