package policy_test

import (
	"slices"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

func TestFreeSlots(t *testing.T) {
	open := callcare.OfficeHours{Location: time.UTC, Week: allWeek("08:00-16:00")}
	open.Week[time.Saturday], open.Week[time.Sunday] = nil, nil
	day := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, time.UTC) } // 24 = Tuesday
	for _, tc := range []struct {
		rule, name string
		now        time.Time
		taken      []time.Time
		want       []time.Time
	}{
		{"P4b", "the next times on the half hour, one slot ahead", day(24, 9, 5), nil, []time.Time{day(24, 10, 0), day(24, 10, 30), day(24, 11, 0)}},
		{"P4b", "on the boundary: the slot after next", day(24, 9, 0), nil, []time.Time{day(24, 9, 30), day(24, 10, 0), day(24, 10, 30)}},
		{"P4b", "a time already agreed is not offered, nor one overlapping it", day(24, 9, 5), []time.Time{day(24, 10, 0), day(24, 10, 45)}, []time.Time{day(24, 11, 30), day(24, 12, 0), day(24, 12, 30)}},
		{"P4b", "near closing: the next office day", day(24, 15, 10), nil, []time.Time{day(25, 8, 0), day(25, 8, 30), day(25, 9, 0)}},
		{"P4b", "the whole slot within office hours", day(24, 14, 50), nil, []time.Time{day(24, 15, 30), day(25, 8, 0), day(25, 8, 30)}},
		{"P4b", "over the weekend", day(27, 15, 45), nil, []time.Time{day(30, 8, 0), day(30, 8, 30), day(30, 9, 0)}},
	} {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			got := policy.FreeSlots(open, tc.now, 30*time.Minute, tc.taken, 3)
			if !slices.EqualFunc(got, tc.want, time.Time.Equal) {
				t.Errorf("slots %v, want %v", got, tc.want)
			}
		})
	}
}

// busySet: Anna's department (100) offers a choice when she is busy.
var busySet = func() policy.InboundSettings {
	s := inboundSet
	s.WhenBusy = map[string]callcare.BusyPolicy{"100": callcare.BusyOffer}
	return s
}()

const busyMenu = "answer say(sound:clerkbusy,sound:busywait,sound:busychoices)"

func TestBusy(t *testing.T) {
	annaThenPiotr := arrival([]callcare.Clerk{anna}, []callcare.Clerk{piotr})
	busy := step{at: 10 * time.Millisecond, ev: policy.LegFailed{Leg: "c-1", Result: "busy"}, want: "hangup:c-1/normal " + busyMenu}
	said := step{at: 5 * time.Second, ev: policy.PlaybackDone{Playback: "c-busy1"}, deadline: 10 * time.Second}
	var task callcare.CallbackTask
	taskOf := func(acts []policy.Action) {
		for _, a := range acts {
			if ct, ok := a.(policy.CreateTask); ok {
				task = ct.Task
			}
		}
	}
	// inOrder: department 100 (Anna's, offering a choice) rings Anna, then
	// Piotr, one after another.
	dept100 := callcare.Target{Kind: callcare.TargetDepartment, ID: "100"}
	inOrder := arrival()
	inOrder.Dialed, inOrder.Target = "100", dept100
	inOrder.Steps = []callcare.Step{{Clerks: []callcare.Clerk{anna}, Via: dept100}, {Clerks: []callcare.Clerk{piotr}, Via: dept100}}
	for _, tc := range []table{
		{
			rule: "P4b", name: "a department ringing one member after another: a busy one passes the call to a free colleague",
			arrival: inOrder, start: "save ring dial:c-1",
			steps: []step{
				{at: 10 * time.Millisecond, ev: policy.LegFailed{Leg: "c-1", Result: "busy"}, want: "hangup:c-1/normal early(sound:overflowing,tone:ring;tonezone=pl) dial:c-2/Overflow from anowak"},
				{at: 20 * time.Millisecond, ev: policy.LegFailed{Leg: "c-2", Result: "busy"}, want: "hangup:c-2/normal stop " + busyMenu},
			},
		},
		{
			rule: "P4b", name: "the clerk is busy: the caller is told, presses 2, and is called back as soon as possible",
			arrival: annaThenPiotr, start: "save ring dial:c-1",
			steps: []step{busy, said,
				{at: 7 * time.Second, ev: policy.KeyPressed{Digit: "2"}, want: "task:requested/48600100200/p0 play:thanks"},
				{at: 8 * time.Second, ev: policy.PlaybackDone{Playback: "c-closing"}, want: "hangup-caller save finish"},
			},
			check: func(t *testing.T, r callcare.CallRecord, acts []policy.Action) {
				taskOf(acts)
				if r.Outcome != callcare.OutcomeCallback || task.Target.ID != "anowak" || !task.AgreedAt.IsZero() {
					t.Errorf("outcome %s, task %+v", r.Outcome, task)
				}
			},
		},
		{
			rule: "P4b", name: "the caller picks one of the free times: the callback is agreed for it",
			arrival: annaThenPiotr, start: "save ring dial:c-1",
			steps: []step{busy,
				{at: 2 * time.Second, ev: policy.KeyPressed{Digit: "3"}, want: "stop list-agreed:clerk:anowak", deadline: 7 * time.Second},
				{at: 2 * time.Second, ev: policy.KeyPressed{Digit: "1"}, want: ""}, // nothing to pick from yet
				{at: 2 * time.Second, ev: policy.AgreedListed{Times: []time.Time{at(time.Hour)}}, want: "say(sound:slots,sound:digits/1,sound:digits/10,sound:digits/30,sound:digits/2,sound:digits/11,sound:digits/3,sound:digits/11,sound:digits/30)"},
				{at: 9 * time.Second, ev: policy.PlaybackDone{Playback: "c-slots2"}, deadline: 14 * time.Second},
				{at: 11 * time.Second, ev: policy.KeyPressed{Digit: "2"}, want: "task:requested/48600100200/p0 say(sound:agreedfor,sound:digits/11,sound:thanks)"},
				{at: 14 * time.Second, ev: policy.PlaybackDone{Playback: "c-closing"}, want: "hangup-caller save finish"},
			},
			check: func(t *testing.T, r callcare.CallRecord, acts []policy.Action) {
				taskOf(acts)
				if !task.AgreedAt.Equal(at(2*time.Hour)) || task.Target.ID != "anowak" || r.Outcome != callcare.OutcomeCallback {
					t.Errorf("task %+v, outcome %s; want agreed for 11:00", task, r.Outcome)
				}
			},
		},
		{
			rule: "P5.1", name: "silence repeats the choices once, then the caller is called back as soon as possible",
			arrival: annaThenPiotr,
			steps: []step{busy, said,
				// A ring cycle of silence: a reminder (P4p), and the key
				// timeout runs on (P5.1).
				{at: 10 * time.Second, ev: policy.TimerFired{}, want: "say(sound:remind)"},
				{at: 11 * time.Second, ev: policy.PlaybackDone{Playback: "c-remind1"}, deadline: 16 * time.Second},
				{at: 16 * time.Second, ev: policy.TimerFired{}, want: "say(sound:busywait,sound:busychoices)"},
				{at: 19 * time.Second, ev: policy.PlaybackDone{Playback: "c-busy2"}, deadline: 24 * time.Second},
				{at: 24 * time.Second, ev: policy.TimerFired{}, want: "say(sound:remind)"},
				{at: 25 * time.Second, ev: policy.PlaybackDone{Playback: "c-remind2"}, deadline: 30 * time.Second},
				{at: 30 * time.Second, ev: policy.TimerFired{}, want: "task:requested/48600100200/p0 play:thanks"},
			},
		},
		{
			rule: "P5.1", name: "an unknown key repeats the choices",
			arrival: annaThenPiotr,
			steps: []step{busy,
				{at: 1 * time.Second, ev: policy.KeyPressed{Digit: "7"}, want: "stop say(sound:busywait,sound:busychoices)"},
			},
		},
		{
			rule: "P5.1", name: "silence at the free times: once more, then as soon as possible",
			arrival: annaThenPiotr,
			steps: []step{busy,
				{at: 2 * time.Second, ev: policy.KeyPressed{Digit: "3"}, want: "stop list-agreed:clerk:anowak"},
				{at: 2 * time.Second, ev: policy.AgreedListed{}, want: "say(sound:slots,sound:digits/1,sound:digits/10,sound:digits/2,sound:digits/10,sound:digits/30,sound:digits/3,sound:digits/11)"},
				{at: 9 * time.Second, ev: policy.PlaybackDone{Playback: "c-slots2"}},
				{at: 14 * time.Second, ev: policy.TimerFired{}, want: "say(sound:remind)"},
				{at: 15 * time.Second, ev: policy.PlaybackDone{Playback: "c-remind1"}},
				{at: 20 * time.Second, ev: policy.TimerFired{}, want: "say(sound:slots,sound:digits/1,sound:digits/10,sound:digits/2,sound:digits/10,sound:digits/30,sound:digits/3,sound:digits/11)"},
				{at: 25 * time.Second, ev: policy.KeyPressed{Digit: "9"}, want: "stop say(sound:slots,sound:digits/1,sound:digits/10,sound:digits/2,sound:digits/10,sound:digits/30,sound:digits/3,sound:digits/11)"},
				{at: 30 * time.Second, ev: policy.PlaybackDone{Playback: "c-slots4"}},
				{at: 35 * time.Second, ev: policy.TimerFired{}, want: "say(sound:remind)"},
				{at: 36 * time.Second, ev: policy.PlaybackDone{Playback: "c-remind2"}},
				{at: 41 * time.Second, ev: policy.TimerFired{}, want: "say(sound:slots,sound:digits/1,sound:digits/10,sound:digits/2,sound:digits/10,sound:digits/30,sound:digits/3,sound:digits/11)"},
				{at: 45 * time.Second, ev: policy.PlaybackDone{Playback: "c-slots5"}},
				{at: 50 * time.Second, ev: policy.TimerFired{}, want: "say(sound:remind)"},
				{at: 51 * time.Second, ev: policy.PlaybackDone{Playback: "c-remind3"}},
				{at: 56 * time.Second, ev: policy.TimerFired{}, want: "task:requested/48600100200/p0 play:thanks"},
			},
		},
		{
			rule: "P4c", name: "the caller hangs up at the choices: called back all the same",
			arrival: annaThenPiotr,
			steps: []step{busy,
				{at: 3 * time.Second, ev: policy.CallerGone{}, want: "task:abandoned/48600100200/p0 save finish"},
			},
		},
		{
			rule: "P4b", name: "a department that overflows: the next person rings at once",
			arrival: annaThenPiotr, set: inboundSet, start: "save ring dial:c-1",
			steps: []step{
				{at: 10 * time.Millisecond, ev: policy.LegFailed{Leg: "c-1", Result: "busy"}, want: "hangup:c-1/normal " + overflowTone + " dial:c-2/Overflow from anowak"},
			},
		},
		{
			rule: "P4b", name: "a clerk who does not answer is no busy clerk: the call overflows",
			arrival: annaThenPiotr,
			steps: []step{
				{at: 10 * time.Millisecond, ev: policy.LegFailed{Leg: "c-1", Result: "unavailable"}, want: "hangup:c-1/normal " + overflowTone + " dial:c-2/Overflow from anowak"},
			},
		},
		{
			rule: "P4b", name: "a busy clerk further down the chain: the call goes on",
			arrival: arrival([]callcare.Clerk{piotr}, []callcare.Clerk{anna}, []callcare.Clerk{ewa}),
			steps: []step{
				{at: 0, ev: policy.LegFailed{Leg: "c-1", Result: "unavailable"}, want: "hangup:c-1/normal " + overflowTone + " dial:c-2/Overflow from pwisniewski"},
				{at: time.Second, ev: policy.LegFailed{Leg: "c-2", Result: "busy"}, want: "hangup:c-2/normal dial:c-3/Overflow from anowak"},
			},
		},
	} {
		if tc.set.Procedure.RingCycle == 0 {
			tc.set = busySet
		}
		task = callcare.CallbackTask{}
		tc.run(t)
	}
}
