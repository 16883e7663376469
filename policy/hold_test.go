package policy_test

import (
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

// holdSet: Anna's department (100) has music of its own.
var holdSet = func() policy.InboundSettings {
	s := inboundSet
	s.Music = map[string]string{"100": "sekretariat"}
	return s
}()

// talking is the start of a call Anna answered 2 s in.
var talking = []step{
	{at: 0, ev: policy.LegRinging{Leg: "c-1"}},
	{at: 2 * time.Second, ev: policy.LegAnswered{Leg: "c-1"}, want: "connect:c-1 music:sekretariat save close-tasks:48600100200", deadline: -1},
}

func then(steps ...step) []step { return append(append([]step(nil), talking...), steps...) }

// held: Anna holds 10 s into the call; the caller hears the department's
// music, then, 3 s in, that she will be back.
var held = []step{
	{at: 10 * time.Second, ev: policy.LegHeld{Leg: "c-1"}, want: "", deadline: 13 * time.Second},
	{at: 13 * time.Second, ev: policy.TimerFired{}, want: "say(sound:patience)", deadline: 43 * time.Second},
}

// TestHold_AfterTransfer: the clerk who took a transfer puts the caller on
// hold too long; the callback the caller takes is that clerk's, who knows
// the matter now, not the clerk who answered first (P4b, P4i).
func TestHold_AfterTransfer(t *testing.T) {
	set := xferSet
	set.Waiting.HoldOfferAfter = 5 * time.Second
	transfer := toPiotr(10*time.Second, "L1", "L2")
	transfer.want, transfer.deadline = transferStarts, 40*time.Second
	table{
		rule: "P4p", name: "after a transfer, the long hold's callback is the clerk who holds",
		set: set,
		steps: append(append([]step(nil), talking[0], step{at: 2 * time.Second, ev: policy.LegAnswered{Leg: "c-1"}, want: "connect:c-1 save close-tasks:48600100200"}),
			transfer,
			step{at: 11 * time.Second, ev: policy.LegRinging{Leg: "c-2"}, deadline: 26 * time.Second},
			step{at: 12 * time.Second, ev: policy.PlaybackDone{Playback: "c-xfer1"}},
			step{at: 14 * time.Second, ev: policy.LegAnswered{Leg: "c-2"}, want: whisperToPiotr},
			step{at: 20 * time.Second, ev: policy.PlaybackDone{Playback: "c-whisper2"}, want: "moh-stop add:c-2 save", deadline: -1},
			step{at: 30 * time.Second, ev: policy.LegHeld{Leg: "c-2"}, deadline: 33 * time.Second},
			step{at: 33 * time.Second, ev: policy.TimerFired{}, want: "say(sound:patience)", deadline: 63 * time.Second},
			step{at: 36 * time.Second, ev: policy.PlaybackDone{Playback: "c-hold1"}},
			step{at: 63 * time.Second, ev: policy.TimerFired{}, want: "say(sound:holdoffer)", deadline: 93 * time.Second},
			step{at: 64 * time.Second, ev: policy.KeyPressed{Digit: "1"}, want: "stop task:long_hold/48600100200/p0 play:thanks"},
		),
		check: func(t *testing.T, _ callcare.CallRecord, acts []policy.Action) {
			for _, a := range acts {
				if ct, ok := a.(policy.CreateTask); ok && ct.Task.Target != (callcare.Target{Kind: callcare.TargetClerk, ID: "pwisniewski"}) {
					t.Errorf("the callback is for %v, want Piotr, who held the call", ct.Task.Target)
				}
			}
		},
	}.run(t)
}

func TestHold(t *testing.T) {
	var tasks []callcare.CallbackTask
	for _, tc := range []table{
		{
			rule: "P4h", name: "a clerk of a department with music of its own: the caller's channel plays it",
			steps: talking,
		},
		{
			rule: "P4h", name: "a clerk of a department with the default music: no request",
			arrival: arrival([]callcare.Clerk{piotr}),
			steps: []step{
				{at: 2 * time.Second, ev: policy.LegAnswered{Leg: "c-1"}, want: "connect:c-1 save close-tasks:48600100200"},
			},
		},
		{
			rule: "P4p", name: "on hold the caller hears the music at once, that the clerk will be back 3 s in, then at the interval",
			steps: then(
				held[0], held[1],
				step{at: 16 * time.Second, ev: policy.PlaybackDone{Playback: "c-hold1"}, want: "", deadline: 43 * time.Second},
				step{at: 43 * time.Second, ev: policy.TimerFired{}, want: "say(sound:patience)", deadline: 73 * time.Second},
				step{at: 46 * time.Second, ev: policy.PlaybackDone{Playback: "c-hold2"}, want: ""},
				step{at: 55 * time.Second, ev: policy.LegUnheld{Leg: "c-1"}, want: "", deadline: -1},
			),
			check: wantWaits("hold:anowak@10s-55s"),
		},
		{
			rule: "P4h", name: "the resume stops the announcement at once",
			steps: then(
				held[0], held[1],
				step{at: 14 * time.Second, ev: policy.LegUnheld{Leg: "c-1"}, want: "stop", deadline: -1},
				step{at: 14 * time.Second, ev: policy.PlaybackDone{Playback: "c-hold1"}, want: ""},
				step{at: 20 * time.Second, ev: policy.LegHeld{Leg: "c-1"}, want: "", deadline: 23 * time.Second},
				step{at: 21 * time.Second, ev: policy.LegUnheld{Leg: "c-1"}, want: "", deadline: -1}, // a moment's hold: music only
			),
			check: wantWaits("hold:anowak@10s-14s hold:anowak@20s-21s"),
		},
		{
			rule: "P4p", name: "a long hold offers a callback; the caller takes it; the clerk hears why the caller is gone",
			steps: then(
				held[0], held[1],
				step{at: 16 * time.Second, ev: policy.PlaybackDone{Playback: "c-hold1"}},
				step{at: 43 * time.Second, ev: policy.TimerFired{}, want: "say(sound:patience)"},
				step{at: 46 * time.Second, ev: policy.PlaybackDone{Playback: "c-hold2"}},
				step{at: 73 * time.Second, ev: policy.TimerFired{}, want: "say(sound:patience)"},
				step{at: 76 * time.Second, ev: policy.PlaybackDone{Playback: "c-hold3"}},
				step{at: 103 * time.Second, ev: policy.TimerFired{}, want: "say(sound:patience)"},
				step{at: 106 * time.Second, ev: policy.PlaybackDone{Playback: "c-hold4"}},
				step{at: 109 * time.Second, ev: policy.KeyPressed{Digit: "1"}, want: ""}, // no offer yet: the caller's own business
				step{at: 133 * time.Second, ev: policy.TimerFired{}, want: "say(sound:holdoffer)", deadline: 163 * time.Second},
				step{at: 134 * time.Second, ev: policy.KeyPressed{Digit: "1"}, want: "stop task:long_hold/48600100200/p0 play:thanks"},
				step{at: 134 * time.Second, ev: policy.PlaybackDone{Playback: "c-hold5"}},
				step{at: 135 * time.Second, ev: policy.PlaybackDone{Playback: "c-closing"}, want: "hangup-caller"},
				step{at: 135 * time.Second, ev: policy.CallerGone{}},
				step{at: 200 * time.Second, ev: policy.LegUnheld{Leg: "c-1"}, want: "sayleg:c-1(sound:callerleft)"},
				step{at: 203 * time.Second, ev: policy.PlaybackDone{Playback: "c-left"}, want: "hangup:c-1/normal"},
				step{at: 203 * time.Second, ev: policy.LegGone{Leg: "c-1"}, want: "save finish"},
			),
			// The caller's wait ends with the callback taken; the clerk's
			// phone stays on hold.
			check: wantWaits("hold:anowak@10s-2m14s", func(t *testing.T, r callcare.CallRecord, acts []policy.Action) {
				for _, a := range acts {
					if ct, ok := a.(policy.CreateTask); ok {
						tasks = append(tasks, ct.Task)
					}
				}
				if len(tasks) != 1 || tasks[0].Target != (callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"}) {
					t.Errorf("tasks %+v, want one for Anna", tasks)
				}
				if r.Outcome != callcare.OutcomeAnswered || r.HungUpBy != callcare.PartyService {
					t.Errorf("outcome %s, hung up by %s", r.Outcome, r.HungUpBy)
				}
			}),
		},
		{
			rule: "P5.1", name: "an unknown key during the offer repeats it",
			steps: then(
				held[0], held[1],
				step{at: 16 * time.Second, ev: policy.PlaybackDone{Playback: "c-hold1"}},
				step{at: 133 * time.Second, ev: policy.TimerFired{}, want: "say(sound:holdoffer)"},
				step{at: 134 * time.Second, ev: policy.KeyPressed{Digit: "5"}, want: "stop say(sound:holdoffer)", deadline: 164 * time.Second},
			),
		},
		{
			rule: "P4h", name: "the clerk hangs up while an announcement plays: it stops, the caller hears goodbye",
			steps: then(
				held[0], held[1],
				step{at: 14 * time.Second, ev: policy.LegGone{Leg: "c-1"}, want: "stop play:vm-goodbye"},
				step{at: 14 * time.Second, ev: policy.PlaybackDone{Playback: "c-hold1"}, want: ""},
				step{at: 15 * time.Second, ev: policy.PlaybackDone{Playback: "c-closing"}, want: "hangup-caller save finish"},
			),
			check: wantWaits("hold:anowak@10s-14s"),
		},
		{
			rule: "P4h", name: "the caller hangs up on hold",
			steps: then(
				held[0], held[1],
				step{at: 20 * time.Second, ev: policy.CallerGone{}, want: "hangup:c-1/normal save finish"},
			),
			check: wantWaits("hold:anowak@10s-20s"),
		},
		{
			rule: "P4h", name: "after the caller took a callback, a phone left on hold is let go at the limit",
			steps: then(
				held[0], held[1],
				step{at: 14 * time.Second, ev: policy.PlaybackDone{Playback: "c-hold1"}},
				step{at: 133 * time.Second, ev: policy.TimerFired{}, want: "say(sound:holdoffer)"},
				step{at: 134 * time.Second, ev: policy.KeyPressed{Digit: "1"}, want: "stop task:long_hold/48600100200/p0 play:thanks"},
				step{at: 134 * time.Second, ev: policy.CallerGone{}, want: ""},
				step{at: 134*time.Second + 10*time.Minute, ev: policy.TimerFired{}, want: "hangup:c-1/normal save finish"},
			),
		},
		{
			rule: "P4h", name: "a hold on a leg that is not the call's is nobody's business",
			steps: then(
				step{at: 10 * time.Second, ev: policy.LegHeld{Leg: "c-9"}, want: "", deadline: -1},
			),
			check: wantWaits(""),
		},
	} {
		tc.set = holdSet
		tc.run(t)
	}
}
