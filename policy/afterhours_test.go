package policy_test

import (
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

// closedSet: the office opens 13:00-14:00 only; the tables' calls come at
// 09:00.
var closedSet = func() policy.InboundSettings {
	s := inboundSet
	s.Rules.Hours = callcare.OfficeHours{Location: time.UTC, Week: allWeek("13:00-14:00")}
	return s
}()

// After hours, every wait on a prompt's end is bounded (P4p): should the
// end never be heard of (an event lost with the link, which the resync
// does not bring back), the prompt's limit (2 min) carries the call on as
// if it had ended. The caller is never left on a line nobody will end.
func TestAfterHours_PromptEndNeverHeardOf(t *testing.T) {
	const closed = "save answer say(sound:closed,sound:digits/13,sound:press1)"
	for _, tc := range []table{
		{
			rule: "P4p", name: "the office is closed, its end lost: the wait for a key begins at the limit",
			start: closed,
			steps: []step{
				{at: time.Minute, ev: policy.TimerFired{}, deadline: 2 * time.Minute},
				{at: 2 * time.Minute, ev: policy.TimerFired{}, deadline: 2*time.Minute + 5*time.Second},
				{at: 2*time.Minute + 5*time.Second, ev: policy.TimerFired{}, want: "say(sound:remind)"},
			},
		},
		{
			rule: "P4p", name: "a key other than 1, the offer again, its end lost: the same",
			start: closed,
			steps: []step{
				{at: 3 * time.Second, ev: policy.KeyPressed{Digit: "5"}, want: "stop say(sound:press1)", deadline: 2*time.Minute + 3*time.Second},
				{at: 2*time.Minute + 3*time.Second, ev: policy.TimerFired{}, deadline: 2*time.Minute + 8*time.Second},
				{at: 2*time.Minute + 8*time.Second, ev: policy.TimerFired{}, want: "say(sound:remind)"},
			},
		},
		{
			rule: "P4p", name: "the offer repeated after a silence, its end lost: the same, then the callback",
			start: closed,
			steps: []step{
				{at: 5 * time.Second, ev: policy.PlaybackDone{Playback: "c-closed"}, deadline: 10 * time.Second},
				{at: 10 * time.Second, ev: policy.TimerFired{}, want: "say(sound:remind)"},
				{at: 11 * time.Second, ev: policy.PlaybackDone{Playback: "c-remind1"}, deadline: 16 * time.Second},
				{at: 16 * time.Second, ev: policy.TimerFired{}, want: "say(sound:press1)", deadline: 2*time.Minute + 16*time.Second},
				{at: 2*time.Minute + 16*time.Second, ev: policy.TimerFired{}, deadline: 2*time.Minute + 21*time.Second},
				{at: 2*time.Minute + 21*time.Second, ev: policy.TimerFired{}, want: "say(sound:remind)"},
				{at: 2*time.Minute + 22*time.Second, ev: policy.PlaybackDone{Playback: "c-remind2"}},
				{at: 2*time.Minute + 27*time.Second, ev: policy.TimerFired{}, want: "task:after_hours/48600100200/p0 play:thanks"},
			},
		},
		{
			rule: "P4c", name: "1, the note's prompt, its end lost: the recording begins at the limit",
			start: closed,
			steps: []step{
				{at: 3 * time.Second, ev: policy.KeyPressed{Digit: "1"}, want: "stop say(sound:note,sound:beep)", deadline: 2*time.Minute + 3*time.Second},
				{at: 2*time.Minute + 3*time.Second, ev: policy.TimerFired{}, want: "record", deadline: 2*time.Minute + 38*time.Second},
				{at: 2*time.Minute + 20*time.Second, ev: policy.RecordingDone{Name: "callcare-note-c", Seconds: 12}, want: "task:requested/48600100200/p0/note play:thanks"},
			},
		},
		{
			rule: "P4c", name: "a hangup during the note's prompt: called back, without a note never recorded",
			start: closed,
			steps: []step{
				{at: 3 * time.Second, ev: policy.KeyPressed{Digit: "1"}, want: "stop say(sound:note,sound:beep)"},
				{at: 5 * time.Second, ev: policy.CallerGone{}, want: "task:after_hours/48600100200/p0 save finish"},
			},
		},
	} {
		tc.set = closedSet
		tc.run(t)
	}
}
