package policy_test

import (
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

// An appointment request at the desk phone (P3.2 (1)): read out as such,
// and after the call 5 records the meeting agreed, reminded of the office
// day before.
func TestDeskMeeting(t *testing.T) {
	set := sessionSet
	set.Prompts, set.RemindDaysBefore = matterPrompts, 1
	request := task
	request.Kind = callcare.KindAppointment
	mayors := request
	mayors.Target = callcare.Target{Kind: callcare.TargetDepartment, ID: "100"}
	const number = "sound:from,sound:digits/4,sound:digits/8,sound:digits/6,sound:digits/0,sound:digits/0,sound:digits/1,sound:digits/0,sound:digits/0,sound:digits/2,sound:digits/0,sound:digits/0,sound:received,sound:digits/8,sound:digits/2,sound:tries,sound:menu"
	talked := []step{
		{at: time.Second, ev: policy.KeyPressed{Digit: "1"}, want: "stop stop journal:s-cb3"},
		{at: time.Second, ev: policy.PlaybackDone{Playback: "s-p1"}},
		{at: time.Second, ev: policy.PlaybackDone{Playback: "s-p2"}},
		{at: time.Second, ev: policy.AttemptStarted{Attempt: callcare.CallbackAttempt{TaskID: 7, Seq: 1}, OK: true}, want: "originate:PJSIP/48600100200@trunk/856822102 say(sound:hold,tone:ring;tonezone=pl)"},
		{at: 5 * time.Second, ev: policy.LegAnswered{Leg: "s-cb3"}, want: "stop"},
		{at: 5 * time.Second, ev: policy.PlaybackDone{Playback: "s-p4"}, want: "join:s-cb3"},
		{at: 60 * time.Second, ev: policy.LegGone{Leg: "s-cb3"}, want: "say(sound:outcome,sound:press5)"},
	}
	with := func(s step, want string) step { s.want = want; return s }
	for _, tc := range []struct {
		rule, name string
		task       callcare.CallbackTask
		steps      []step
	}{
		{
			rule: "P3.2", name: "a request is read out as such; 5 and six keys record the meeting and its reminder",
			task: request,
			steps: concat(talked, []step{
				{at: 61 * time.Second, ev: policy.KeyPressed{Digit: "5"}, want: "stop say(sound:meetenter)"},
				with(key(62*time.Second, "2"), "stop"), key(62*time.Second, "6"), key(62*time.Second, "1"), key(62*time.Second, "0"), key(62*time.Second, "3"),
				{at: 63 * time.Second, ev: policy.KeyPressed{Digit: "0"}, want: "meeting:2026-11-26T10:30/remind:2026-11-25T00:00 finish:reached/reached " +
					"say(sound:meetfor,sound:digits/day-4,sound:digits/mon-10,sound:digits/20,sound:digits/h-6,sound:digits/10,sound:digits/30) claim[]"},
			}),
		},
		{
			rule: "P3.2", name: "a day that is no date is asked again",
			task: request,
			steps: concat(talked, []step{
				{at: 61 * time.Second, ev: policy.KeyPressed{Digit: "5"}, want: "stop say(sound:meetenter)"},
				with(key(62*time.Second, "3"), "stop"), key(62*time.Second, "2"), key(62*time.Second, "1"), key(62*time.Second, "0"), key(62*time.Second, "0"),
				{at: 63 * time.Second, ev: policy.KeyPressed{Digit: "0"}, want: "say(sound:meetenter)"},
			}),
		},
		{
			rule: "P3.2", name: "the clerk hangs up while keying the meeting: the citizen was reached; the meeting can be recorded later",
			task: request,
			steps: concat(talked, []step{
				{at: 61 * time.Second, ev: policy.KeyPressed{Digit: "5"}, want: "stop say(sound:meetenter)"},
				with(key(62*time.Second, "2"), "stop"),
				{at: 63 * time.Second, ev: policy.ClerkGone{}, want: "finish:reached/reached finish"},
			}),
		},
		{
			rule: "P3.2", name: "5 on a plain callback is no choice",
			task: task,
			steps: []step{
				{at: time.Second, ev: policy.KeyPressed{Digit: "1"}, want: "stop stop journal:s-cb3"},
				{at: time.Second, ev: policy.PlaybackDone{Playback: "s-p1"}},
				{at: time.Second, ev: policy.PlaybackDone{Playback: "s-p2"}},
				{at: time.Second, ev: policy.AttemptStarted{Attempt: callcare.CallbackAttempt{TaskID: 7, Seq: 1}, OK: true}, want: "originate:PJSIP/48600100200@trunk/856822102 say(sound:hold,tone:ring;tonezone=pl)"},
				{at: 5 * time.Second, ev: policy.LegAnswered{Leg: "s-cb3"}, want: "stop"},
				{at: 5 * time.Second, ev: policy.PlaybackDone{Playback: "s-p4"}, want: "join:s-cb3"},
				{at: 60 * time.Second, ev: policy.LegGone{Leg: "s-cb3"}, want: "say(sound:outcome)"},
				{at: 61 * time.Second, ev: policy.KeyPressed{Digit: "5"}, want: "stop say(sound:outcome)"},
			},
		},
	} {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			s, _ := policy.StartQueue("s", anna, set, t0)
			s.Step(policy.QueueCounted{Own: 1}, t0)
			intro := "say(" + number + ")"
			if tc.task.Kind == callcare.KindAppointment {
				intro = "say(sound:apptreq," + number + ")"
			}
			if got := mbrief(s.Step(policy.TaskClaimed{Task: tc.task, OK: true}, t0)); got != intro {
				t.Fatalf("read out: %q, want %q", got, intro)
			}
			runSteps(t, s, tc.steps)
		})
	}
	// The Mayor's, through the secretariat, is read out as the Mayor's.
	s, _ := policy.StartQueue("s", anna, set, t0)
	s.Step(policy.QueueCounted{Own: 1}, t0)
	if got := mbrief(s.Step(policy.TaskClaimed{Task: mayors, OK: true}, t0)); got != "say(sound:mayorreq,"+number+")" {
		t.Errorf("the Mayor's request read out: %q", got)
	}
}
