package policy_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

var sessionSet = policy.SessionSettings{
	Procedure: proc,
	Rules: policy.CallbackRules{
		Hours:   callcare.OfficeHours{Location: time.UTC, Week: allWeek("00:00-24:00")},
		Promise: 2 * time.Hour, SpecialNeedsPromise: time.Hour,
		Retry: []policy.Retry{{After: 15 * time.Minute}, {After: time.Hour}}, MaxAttempts: 3,
	},
	Prompts:    prompts,
	Say:        policy.Saying{Lang: "en"},
	KeyTimeout: 10 * time.Second,
	Dial:       "PJSIP/{number}@trunk",
	CallerID:   "856822102",
}

func allWeek(span string) (w [7][]callcare.Span) {
	sp, _ := callcare.ParseSpan(span)
	for d := range w {
		w[d] = []callcare.Span{sp}
	}
	return w
}

var task = callcare.CallbackTask{ID: 7, Number: "48600100200", Tries: 2, Status: callcare.CallbackOpen, FirstAt: t0.Add(-time.Hour),
	Target: callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"}, Attempts: 0}

// sbrief writes a session's actions compactly.
func sbrief(acts []policy.Action) string {
	var out []string
	for _, a := range acts {
		switch a := a.(type) {
		case policy.Answer:
			out = append(out, "answer")
		case policy.OwnChannel:
			out = append(out, "own:"+a.Channel)
		case policy.CountQueue:
			out = append(out, "count")
		case policy.ClaimNext:
			out = append(out, fmt.Sprintf("claim%v", a.Skip))
		case policy.Say:
			out = append(out, "say("+strings.Join(a.Media, ",")+")")
		case policy.StopPlayback:
			out = append(out, "stop")
		case policy.ReleaseTask:
			out = append(out, "release")
		case policy.MarkDone:
			out = append(out, "done:"+string(a.Resolution))
		case policy.StartAttempt:
			out = append(out, "journal:"+a.Channel)
		case policy.Originate:
			out = append(out, "originate:"+a.Endpoint+"/"+a.CallerID)
		case policy.Join:
			out = append(out, "join:"+a.Leg)
		case policy.FinishAttempt:
			s := "finish:" + string(a.Result)
			if a.Close != "" {
				s += "/" + string(a.Close)
			}
			out = append(out, s)
		case policy.MarkOverdue:
			out = append(out, "overdue")
		case policy.Schedule:
			out = append(out, "schedule:"+a.At.Format("2006-01-02T15:04"))
		default:
			out = append(out, brief([]policy.Action{a}))
		}
	}
	return strings.Join(out, " ")
}

type sstep struct {
	at   time.Duration
	ev   policy.Event
	want string
}

func TestSession(t *testing.T) {
	anna := callcare.Clerk{ID: "anowak", Department: "200", Endpoint: "PJSIP/101"}
	sub := callcare.Clerk{ID: "pwisniewska", Department: "200", Endpoint: "PJSIP/102"}
	claimed := policy.TaskClaimed{Task: task, OK: true}
	menu := "say(sound:from,sound:digits/4,sound:digits/8,sound:digits/6,sound:digits/0,sound:digits/0,sound:digits/1,sound:digits/0,sound:digits/0,sound:digits/2,sound:digits/0,sound:digits/0,sound:received,sound:digits/8,sound:digits/2,sound:tries,sound:menu)"
	// clerkLeftTalking: the clerk calls the citizen back, they talk, the
	// clerk hangs up first (P4l).
	clerkLeftTalking := func() []sstep {
		return []sstep{
			{0, policy.QueueCounted{Own: 1}, "say(sound:waiting,sound:digits/1) claim[]"},
			{0, claimed, menu},
			{5 * time.Second, policy.PlaybackDone{Playback: "s-p1"}, ""},
			{9 * time.Second, policy.PlaybackDone{Playback: "s-p2"}, ""},
			{10 * time.Second, policy.KeyPressed{Digit: "1"}, "journal:s-cb3"},
			{10 * time.Second, policy.AttemptStarted{Attempt: callcare.CallbackAttempt{TaskID: 7, Seq: 1}, OK: true}, "originate:PJSIP/48600100200@trunk/856822102 say(sound:hold,tone:ring;tonezone=pl)"},
			{15 * time.Second, policy.LegAnswered{Leg: "s-cb3"}, "stop"},
			{15 * time.Second, policy.PlaybackDone{Playback: "s-p4"}, "join:s-cb3"},
			{60 * time.Second, policy.ClerkGone{}, "finish:reached/reached sayleg:s-cb3(sound:vm-goodbye)"},
		}
	}
	// timeAfterCall: the task read out (as read), the citizen called and
	// reached, then 4 and the time hhmm keyed in after the call; want is
	// what the last digit does.
	timeAfterCall := func(read, hhmm, want string) []sstep {
		return []sstep{
			{0, policy.QueueCounted{Own: 1}, "say(sound:waiting,sound:digits/1) claim[]"},
			{0, claimed, read},
			{time.Second, policy.KeyPressed{Digit: "1"}, "stop stop journal:s-cb3"},
			{time.Second, policy.AttemptStarted{Attempt: callcare.CallbackAttempt{TaskID: 7, Seq: 1}, OK: true}, "originate:PJSIP/48600100200@trunk/856822102 say(sound:hold,tone:ring;tonezone=pl)"},
			{time.Second, policy.PlaybackDone{Playback: "s-p1"}, ""},
			{time.Second, policy.PlaybackDone{Playback: "s-p2"}, ""},
			{5 * time.Second, policy.LegAnswered{Leg: "s-cb3"}, "stop"},
			{5 * time.Second, policy.PlaybackDone{Playback: "s-p4"}, "join:s-cb3"},
			{60 * time.Second, policy.LegGone{Leg: "s-cb3"}, "say(sound:outcome)"},
			{61 * time.Second, policy.KeyPressed{Digit: "4"}, "stop say(sound:entertime)"},
			{62 * time.Second, policy.KeyPressed{Digit: hhmm[:1]}, "stop"},
			{62 * time.Second, policy.KeyPressed{Digit: hhmm[1:2]}, ""},
			{62 * time.Second, policy.KeyPressed{Digit: hhmm[2:3]}, ""},
			{62 * time.Second, policy.KeyPressed{Digit: hhmm[3:]}, want},
		}
	}
	// An office open Monday to Friday, 08:00-16:00, and a session on
	// Friday 27 November at 15:00.
	weekdays := allWeek("08:00-16:00")
	weekdays[time.Saturday], weekdays[time.Sunday] = nil, nil
	friday := 78 * time.Hour
	tests := []struct {
		rule, name string
		agreed     bool
		office     *[7][]callcare.Span // the office's hours, when not every hour
		from       time.Duration       // when the session starts, after t0
		steps      []sstep
	}{
		{rule: "P4c", name: "nothing waits: the clerk is told and the line ends",
			steps: []sstep{
				{0, policy.QueueCounted{}, "say(sound:none)"},
				{time.Second, policy.PlaybackDone{Playback: "s-p1"}, "hangup-caller finish"},
			}},
		{rule: "P4i", name: "the task is read out before anything is dialed: number digit by digit, tries",
			steps: []sstep{
				{0, policy.QueueCounted{Own: 1, Department: 2}, "say(sound:waiting,sound:digits/3) claim[]"},
				{0, claimed, menu},
				{5 * time.Second, policy.PlaybackDone{Playback: "s-p1"}, ""},
				{9 * time.Second, policy.PlaybackDone{Playback: "s-p2"}, ""},
				{10 * time.Second, policy.KeyPressed{Digit: "1"}, "journal:s-cb3"},
				{10 * time.Second, policy.AttemptStarted{Attempt: callcare.CallbackAttempt{TaskID: 7, Seq: 1}, OK: true}, "originate:PJSIP/48600100200@trunk/856822102 say(sound:hold,tone:ring;tonezone=pl)"},
				{15 * time.Second, policy.LegAnswered{Leg: "s-cb3"}, "stop"},
				{15 * time.Second, policy.PlaybackDone{Playback: "s-p4"}, "join:s-cb3"},
				{60 * time.Second, policy.LegGone{Leg: "s-cb3"}, "say(sound:outcome)"},
				{62 * time.Second, policy.KeyPressed{Digit: "1"}, "stop finish:reached/reached claim[]"},
			}},
		{rule: "P4m", name: "after the call the clerk keys in the time agreed with the citizen",
			steps: []sstep{
				{0, policy.QueueCounted{Own: 1}, "say(sound:waiting,sound:digits/1) claim[]"},
				{0, claimed, menu},
				{time.Second, policy.KeyPressed{Digit: "1"}, "stop stop journal:s-cb3"},
				{time.Second, policy.AttemptStarted{Attempt: callcare.CallbackAttempt{TaskID: 7, Seq: 1}, OK: true}, "originate:PJSIP/48600100200@trunk/856822102 say(sound:hold,tone:ring;tonezone=pl)"},
				{time.Second, policy.PlaybackDone{Playback: "s-p1"}, ""},
				{time.Second, policy.PlaybackDone{Playback: "s-p2"}, ""},
				{5 * time.Second, policy.LegAnswered{Leg: "s-cb3"}, "stop"},
				{5 * time.Second, policy.PlaybackDone{Playback: "s-p4"}, "join:s-cb3"},
				{60 * time.Second, policy.LegGone{Leg: "s-cb3"}, "say(sound:outcome)"},
				{61 * time.Second, policy.KeyPressed{Digit: "4"}, "stop say(sound:entertime)"},
				{62 * time.Second, policy.KeyPressed{Digit: "2"}, "stop"},
				{62 * time.Second, policy.KeyPressed{Digit: "5"}, ""},
				{62 * time.Second, policy.KeyPressed{Digit: "9"}, ""},
				{62 * time.Second, policy.KeyPressed{Digit: "0"}, "say(sound:entertime)"},
				{63 * time.Second, policy.KeyPressed{Digit: "1"}, "stop"},
				{63 * time.Second, policy.KeyPressed{Digit: "4"}, ""},
				{63 * time.Second, policy.KeyPressed{Digit: "3"}, ""},
				{63 * time.Second, policy.KeyPressed{Digit: "0"}, "schedule:2026-11-24T14:30 finish:reached say(sound:agreedfor,sound:digits/14,sound:digits/30) claim[]"},
			}},
		{rule: "P4m", name: "a time keyed on a Friday afternoon for 08:30 is Monday's: the office is closed on Saturday",
			office: &weekdays, from: friday,
			steps: timeAfterCall(strings.Replace(menu, "sound:received,", "sound:received,sound:digits/day-2,", 1), // received on Tuesday
				"0830", "schedule:2026-11-30T08:30 finish:reached say(sound:agreedfor,sound:digits/day-1,sound:digits/8,sound:digits/30) claim[]")},
		{rule: "P4m", name: "a time after closing keyed on an office day is that day's: the clerk stays late",
			office: &weekdays,
			steps:  timeAfterCall(menu, "1730", "schedule:2026-11-24T17:30 finish:reached say(sound:agreedfor,sound:digits/17,sound:digits/30) claim[]")},
		{rule: "P4c", name: "skip and done: the skipped task is not offered again this session",
			steps: []sstep{
				{0, policy.QueueCounted{Own: 2}, "say(sound:waiting,sound:digits/2) claim[]"},
				{0, claimed, menu},
				{time.Second, policy.KeyPressed{Digit: "2"}, "stop stop release claim[7]"},
				{time.Second, policy.TaskClaimed{Task: callcare.CallbackTask{ID: 8, Number: "123", Tries: 1}, OK: true}, "say(sound:from,sound:digits/1,sound:digits/2,sound:digits/3,sound:digits/1,sound:tries,sound:menu)"},
				{2 * time.Second, policy.KeyPressed{Digit: "3"}, "stop done:marked_done claim[7]"},
				{2 * time.Second, policy.TaskClaimed{}, "say(sound:none)"},
			}},
		{rule: "P5.1", name: "a silent clerk hears the menu once more, then the flow ends changing nothing",
			steps: []sstep{
				{0, policy.QueueCounted{Own: 1}, "say(sound:waiting,sound:digits/1) claim[]"},
				{0, claimed, menu},
				{3 * time.Second, policy.PlaybackDone{Playback: "s-p1"}, ""},
				{5 * time.Second, policy.PlaybackDone{Playback: "s-p2"}, ""},
				{14 * time.Second, policy.TimerFired{}, ""},
				{15 * time.Second, policy.TimerFired{}, menu},
				{20 * time.Second, policy.PlaybackDone{Playback: "s-p3"}, ""},
				{30 * time.Second, policy.TimerFired{}, "release say(sound:vm-goodbye)"},
			}},
		{rule: "P4c", name: "the citizen does not answer: the next attempt follows the retry schedule",
			steps: []sstep{
				{0, policy.QueueCounted{Own: 1}, "say(sound:waiting,sound:digits/1) claim[]"},
				{0, claimed, menu},
				{time.Second, policy.KeyPressed{Digit: "1"}, "stop stop journal:s-cb3"},
				{time.Second, policy.AttemptStarted{Attempt: callcare.CallbackAttempt{TaskID: 7, Seq: 1}, OK: true}, "originate:PJSIP/48600100200@trunk/856822102 say(sound:hold,tone:ring;tonezone=pl)"},
				{31 * time.Second, policy.LegGone{Leg: "s-cb3"}, "stop finish:no_answer say(sound:notreached) claim[]"},
			}},
		{rule: "P4c", name: "the attempt under way counts: the last one allowed closes the task as unreachable",
			steps: []sstep{
				{0, policy.QueueCounted{Own: 1}, "say(sound:waiting,sound:digits/1) claim[]"},
				{0, policy.TaskClaimed{Task: func() callcare.CallbackTask { t := task; t.Attempts = 2; return t }(), OK: true}, menu},
				{time.Second, policy.KeyPressed{Digit: "1"}, "stop stop journal:s-cb3"},
				{time.Second, policy.AttemptStarted{Attempt: callcare.CallbackAttempt{TaskID: 7, Seq: 3}, OK: true}, "originate:PJSIP/48600100200@trunk/856822102 say(sound:hold,tone:ring;tonezone=pl)"},
				{31 * time.Second, policy.LegGone{Leg: "s-cb3"}, "stop finish:no_answer/unreachable say(sound:notreached) claim[]"},
			}},
		{rule: "P4c", name: "a citizen who hangs up before being bridged was not reached",
			steps: []sstep{
				{0, policy.QueueCounted{Own: 1}, "say(sound:waiting,sound:digits/1) claim[]"},
				{0, claimed, menu},
				{time.Second, policy.KeyPressed{Digit: "1"}, "stop stop journal:s-cb3"},
				{time.Second, policy.AttemptStarted{Attempt: callcare.CallbackAttempt{TaskID: 7, Seq: 1}, OK: true}, "originate:PJSIP/48600100200@trunk/856822102 say(sound:hold,tone:ring;tonezone=pl)"},
				{5 * time.Second, policy.LegAnswered{Leg: "s-cb3"}, "stop"},
				{6 * time.Second, policy.LegGone{Leg: "s-cb3"}, "hangup:s-cb3/normal finish:no_answer claim[]"},
				{6 * time.Second, policy.PlaybackDone{Playback: "s-p4"}, ""},
			}},
		{rule: "P4c", name: "the clerk hangs up while the citizen rings: the citizen's phone stops",
			steps: []sstep{
				{0, policy.QueueCounted{Own: 1}, "say(sound:waiting,sound:digits/1) claim[]"},
				{0, claimed, menu},
				{time.Second, policy.KeyPressed{Digit: "1"}, "stop stop journal:s-cb3"},
				{time.Second, policy.AttemptStarted{Attempt: callcare.CallbackAttempt{TaskID: 7, Seq: 1}, OK: true}, "originate:PJSIP/48600100200@trunk/856822102 say(sound:hold,tone:ring;tonezone=pl)"},
				{2 * time.Second, policy.ClerkGone{}, "hangup:s-cb3/normal finish:failed release finish"},
			}},
		{rule: "P4l", name: "the clerk hangs up first: the citizen hears goodbye, then the line ends",
			steps: slices.Concat(clerkLeftTalking(), []sstep{
				{60 * time.Second, policy.KeyPressed{Digit: "5"}, ""},
				{62 * time.Second, policy.PlaybackDone{Playback: "s-farewell"}, "hangup:s-cb3/normal finish"},
			})},
		{rule: "P4l", name: "the citizen hangs up during the goodbye: the line ends",
			steps: slices.Concat(clerkLeftTalking(), []sstep{
				{61 * time.Second, policy.LegGone{Leg: "s-cb3"}, "finish"},
			})},
		{rule: "P4l", name: "a goodbye whose end is never heard of ends the line at its limit",
			steps: slices.Concat(clerkLeftTalking(), []sstep{
				{70 * time.Second, policy.TimerFired{}, ""},
				{3 * time.Minute, policy.TimerFired{}, "hangup:s-cb3/normal finish"},
			})},
		{rule: "P4m", name: "agreed time: the clerk is rung first, hears the context, presses 1",
			agreed: true,
			steps: []sstep{
				{0, policy.LegRinging{Leg: "s-clerk1"}, ""},
				{5 * time.Second, policy.LegAnswered{Leg: "s-clerk1"}, "own:s-clerk1 say(sound:agreed,sound:from,sound:digits/4,sound:digits/8,sound:digits/6,sound:digits/0,sound:digits/0,sound:digits/1,sound:digits/0,sound:digits/0,sound:digits/2,sound:digits/0,sound:digits/0,sound:received,sound:digits/8,sound:digits/2,sound:tries,sound:press1)"},
				{8 * time.Second, policy.KeyPressed{Digit: "1"}, "stop journal:s-cb3"},
			}},
		{rule: "P4m", name: "agreed time: no answer in three rings goes to the substitute, then overdue",
			agreed: true,
			steps: []sstep{
				{0, policy.LegRinging{Leg: "s-clerk1"}, ""},
				{15 * time.Second, policy.TimerFired{}, "hangup:s-clerk1/no_answer originate:PJSIP/102/48600100200"},
				{16 * time.Second, policy.LegFailed{Leg: "s-clerk2", Result: "unavailable"}, "overdue release finish"},
			}},
		{rule: "P4m", name: "agreed time: a clerk who answers and hangs up passes it on",
			agreed: true,
			steps: []sstep{
				{5 * time.Second, policy.LegAnswered{Leg: "s-clerk1"}, "own:s-clerk1 say(sound:agreed,sound:from,sound:digits/4,sound:digits/8,sound:digits/6,sound:digits/0,sound:digits/0,sound:digits/1,sound:digits/0,sound:digits/0,sound:digits/2,sound:digits/0,sound:digits/0,sound:received,sound:digits/8,sound:digits/2,sound:tries,sound:press1)"},
				{6 * time.Second, policy.ClerkGone{}, "stop own: originate:PJSIP/102/48600100200"},
			}},
		{rule: "P4m", name: "agreed time: a clerk who answers and says nothing passes it on",
			agreed: true,
			steps: []sstep{
				{5 * time.Second, policy.LegAnswered{Leg: "s-clerk1"}, "own:s-clerk1 " + agreedMenu},
				{8 * time.Second, policy.PlaybackDone{Playback: "s-p2"}, ""},
				{18 * time.Second, policy.TimerFired{}, agreedMenu},
				{21 * time.Second, policy.PlaybackDone{Playback: "s-p3"}, ""},
				{31 * time.Second, policy.TimerFired{}, "hangup:s-clerk1/normal own: originate:PJSIP/102/48600100200"},
			}},
		{rule: "P4m", name: "agreed time: a clerk on another call is rung again when free",
			agreed: true,
			steps: []sstep{
				{0, policy.LegFailed{Leg: "s-clerk1", Result: "busy"}, "hangup:s-clerk1/normal"},
				{15 * time.Second, policy.TimerFired{}, "originate:PJSIP/101/48600100200"},
				{16 * time.Second, policy.LegAnswered{Leg: "s-clerk2"}, "own:s-clerk2 say(sound:agreed,sound:from,sound:digits/4,sound:digits/8,sound:digits/6,sound:digits/0,sound:digits/0,sound:digits/1,sound:digits/0,sound:digits/0,sound:digits/2,sound:digits/0,sound:digits/0,sound:received,sound:digits/8,sound:digits/2,sound:tries,sound:press1)"},
			}},
	}
	for _, tc := range tests {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			var s interface {
				Step(policy.Event, time.Time) []policy.Action
			}
			var acts []policy.Action
			set := sessionSet
			if tc.office != nil {
				set.Rules.Hours.Week = *tc.office
			}
			start := at(tc.from)
			if tc.agreed {
				s, acts = policy.StartAgreed("s", task, [][]callcare.Clerk{{anna}, {sub}}, set, start)
				if got := sbrief(acts); got != "originate:PJSIP/101/48600100200" {
					t.Fatalf("start: %q", got)
				}
			} else {
				s, acts = policy.StartQueue("s", anna, set, start)
				if got := sbrief(acts); got != "own:s answer count" {
					t.Fatalf("start: %q", got)
				}
			}
			for i, st := range tc.steps {
				if got := sbrief(s.Step(st.ev, start.Add(st.at))); got != st.want {
					t.Fatalf("step %d (%T): %q, want %q", i, st.ev, got, st.want)
				}
			}
		})
	}
}

func TestCallbackRules(t *testing.T) {
	office := callcare.OfficeHours{Location: time.UTC, Week: allWeek("08:00-16:00")}
	r := policy.CallbackRules{Hours: office, Promise: 2 * time.Hour, SpecialNeedsPromise: time.Hour,
		Retry: []policy.Retry{{After: 15 * time.Minute}, {NextDay: true}}, MaxAttempts: 3}
	rec := callcare.CallRecord{ID: "c", CallerID: "48600100200", Dialed: "101", StartedAt: at(0),
		Target: callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"}}
	tests := []struct {
		rule, name string
		run        func(t *testing.T)
	}{
		{"P4c", "a missed call is due within the promise, in office time", func(t *testing.T) {
			// Missed at 15:00: one office hour today, one tomorrow from 08:00.
			got, ok := r.TaskFor(rec, callcare.ReasonMissed, "", at(6*time.Hour))
			if !ok || !got.Due.Equal(at(24*time.Hour)) {
				t.Errorf("due %v ok %v", got.Due, ok)
			}
		}},
		{"P5.3", "special needs: higher priority and a shorter promise", func(t *testing.T) {
			got, _ := r.TaskFor(rec, callcare.ReasonMissed, callcare.NeedsRegistry, at(0))
			if got.Priority != callcare.PrioritySpecialNeeds || !got.Due.Equal(at(time.Hour)) {
				t.Errorf("priority %d due %v", got.Priority, got.Due)
			}
		}},
		{"P4c", "an anonymous caller cannot be called back", func(t *testing.T) {
			anon := rec
			anon.CallerID = "anonymous"
			if _, ok := r.TaskFor(anon, callcare.ReasonMissed, "", at(0)); ok {
				t.Error("a task for an anonymous caller")
			}
		}},
		{"P4c", "after hours the task is due at the next opening", func(t *testing.T) {
			got, _ := r.TaskFor(rec, callcare.ReasonAfterHours, "", at(12*time.Hour)) // 21:00
			if !got.Due.Equal(at(23 * time.Hour)) {                                   // 08:00 next day
				t.Errorf("due %v", got.Due)
			}
		}},
		{"P4c", "retries follow the schedule, then the task closes as unreachable", func(t *testing.T) {
			tk := callcare.CallbackTask{Attempts: 1}
			if next, close := r.AfterAttempt(tk, callcare.AttemptNoAnswer, at(0)); close != "" || !next.Equal(at(15*time.Minute)) {
				t.Errorf("after 1st: %v %q", next, close)
			}
			tk.Attempts = 2
			if next, _ := r.AfterAttempt(tk, callcare.AttemptBusy, at(0)); !next.Equal(at(23 * time.Hour)) {
				t.Errorf("after 2nd: %v, want the next office day", next)
			}
			tk.Attempts = 3
			if _, close := r.AfterAttempt(tk, callcare.AttemptNoAnswer, at(0)); close != callcare.ResolvedUnreachable {
				t.Errorf("after the last: %q", close)
			}
		}},
		{"P5.3", "the dedicated line and the registry mark special needs", func(t *testing.T) {
			sn := policy.SpecialNeeds{Numbers: []callcare.Number{"48600100200"}, Lines: []string{"500"}}
			if sn.NeedsOf("anonymous", "500") != callcare.NeedsLine || sn.NeedsOf("48 600 100 200", "101") != callcare.NeedsRegistry || sn.NeedsOf("48600999999", "101") != "" {
				t.Error("needs not recognised")
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.rule+"/"+tc.name, tc.run)
	}
}

func TestSaying(t *testing.T) {
	now := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC) // a Tuesday
	day := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, time.UTC) }
	en, pl := policy.Saying{Lang: "en"}, policy.Saying{Lang: "pl"}
	for _, tc := range []struct {
		name string
		got  []string
		want string
	}{
		{"en/0", en.Number(0), "0"}, {"en/7", en.Number(7), "7"}, {"en/20", en.Number(20), "20"},
		{"en/24", en.Number(24), "20 4"}, {"en/30", en.Number(30), "30"}, {"en/59", en.Number(59), "50 9"},
		{"en/105", en.Number(105), "1 hundred 5"}, {"en/300", en.Number(300), "3 hundred"},
		{"pl/105: sto pięć", pl.Number(105), "100 5"}, {"pl/340: trzysta czterdzieści", pl.Number(340), "300 40"},
		{"pl/24", pl.Number(24), "20 4"},
		{"en/nine oh three", en.Time(day(24, 9, 3), now), "9 oh 3"},
		{"en/fourteen thirty", en.Time(day(24, 14, 30), now), "14 30"},
		{"en/tomorrow at seven", en.Time(day(25, 7, 0), now), "day-3 7"},
		{"pl/siódma trzydzieści", pl.Time(day(24, 7, 30), now), "t-7 30"},
		{"pl/czternasta (full hour)", pl.Time(day(24, 14, 0), now), "t-14"},
		{"pl/dziewiąta zero jedna", pl.Time(day(24, 9, 1), now), "t-9 oh 1z"},
		{"pl/dziesiąta dwie", pl.Time(day(24, 10, 2), now), "t-10 oh 2z"},
		{"pl/piętnasta dwadzieścia dwie", pl.Time(day(24, 15, 22), now), "t-15 20 2z"},
		{"pl/dwadzieścia jeden", pl.Time(day(24, 15, 21), now), "t-15 20 1"},
		{"pl/północ is t-24", pl.Time(day(24, 0, 15), now), "t-24 15"},
		{"pl/środa ósma", pl.Time(day(25, 8, 0), now), "day-3 t-8"},
		{"en/six days on: the day says which", en.Time(day(30, 7, 30), now), "day-1 7 30"},
		{"en/a week on: the date too", en.Time(time.Date(2026, 12, 1, 7, 30, 0, 0, time.UTC), now), "day-2 mon-11 h-1 7 30"},
		{"pl/tydzień temu: z datą", pl.Time(day(17, 9, 0), now), "day-2 h-17 mon-10 t-9"},
		{"empty is Polish", policy.Saying{}.Time(day(24, 7, 30), now), "t-7 30"},
	} {
		var got []string
		for _, m := range tc.got {
			got = append(got, strings.TrimPrefix(m, "sound:digits/"))
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%s: said as %v, want %s", tc.name, got, tc.want)
		}
	}
}

// agreedMenu is how an agreed callback reads the task to the clerk.
const agreedMenu = "say(sound:agreed,sound:from,sound:digits/4,sound:digits/8,sound:digits/6,sound:digits/0,sound:digits/0,sound:digits/1,sound:digits/0,sound:digits/0,sound:digits/2,sound:digits/0,sound:digits/0,sound:received,sound:digits/8,sound:digits/2,sound:tries,sound:press1)"

// TestSession_ReadOut (P4i): the task is read out with its context: whom
// the citizen called when it was not the clerk who hears it (a colleague
// covered, the department), and what they asked for.
func TestSession_ReadOut(t *testing.T) {
	anna := callcare.Clerk{ID: "anowak", Department: "200", Endpoint: "PJSIP/101", Extension: "101"}
	piotr := callcare.Clerk{ID: "pwisniewski", Department: "200", Endpoint: "PJSIP/102", Extension: "102"}
	set := sessionSet
	set.Directory = &callcare.Directory{Clerks: []callcare.Clerk{anna, piotr}}
	number := "sound:from,sound:digits/4,sound:digits/8,sound:digits/6,sound:digits/0,sound:digits/0,sound:digits/1,sound:digits/0,sound:digits/0,sound:digits/2,sound:digits/0,sound:digits/0,"
	when := "sound:received,sound:digits/8,sound:digits/2,sound:tries,sound:menu)"
	for _, tc := range []struct {
		name   string
		target callcare.Target
		reason callcare.CallbackReason
		want   string
	}{
		{"her own missed call: why only", callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"}, callcare.ReasonMissed,
			"say(" + number + "sound:missed," + when},
		{"a colleague's, after a long hold: for whom and why", callcare.Target{Kind: callcare.TargetClerk, ID: "pwisniewski"}, callcare.ReasonLongHold,
			"say(" + number + "sound:for,sound:digits/1,sound:digits/0,sound:digits/2,sound:longhold," + when},
		{"the department's, the caller gave up", callcare.Target{Kind: callcare.TargetDepartment, ID: "200"}, callcare.ReasonAbandoned,
			"say(" + number + "sound:for,sound:digits/2,sound:digits/0,sound:digits/0,sound:abandoned," + when},
		{"after hours", callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"}, callcare.ReasonAfterHours,
			"say(" + number + "sound:afterhours," + when},
		{"asked for", callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"}, callcare.ReasonRequested,
			"say(" + number + "sound:requested," + when},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tk := task
			tk.Target, tk.Reason = tc.target, tc.reason
			s, _ := policy.StartQueue("s", anna, set, t0)
			s.Step(policy.QueueCounted{Own: 1}, t0)
			if got := sbrief(s.Step(policy.TaskClaimed{Task: tk, OK: true}, t0)); got != tc.want {
				t.Errorf("read out %q, want %q", got, tc.want)
			}
		})
	}
}
