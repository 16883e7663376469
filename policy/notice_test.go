package policy_test

import (
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

var (
	noticeSet = policy.NoticeSettings{Procedure: proc, Rules: sessionSet.Rules, Prompts: matterPrompts,
		Say: policy.Saying{Lang: "en"}, KeyTimeout: 10 * time.Second, Dial: "PJSIP/{number}@trunk", CallerID: "48856000100",
		RemindDaysBefore: 1}
	documents = callcare.CallbackTask{ID: 9, Kind: callcare.KindDocuments, Number: "48600100200", Case: "2026117",
		Target: callcare.Target{Kind: callcare.TargetClerk, ID: "pwisniewski"}, Status: callcare.CallbackOpen, FirstAt: t0}
	journaled = step{ev: policy.AttemptStarted{Attempt: callcare.CallbackAttempt{TaskID: 9, Seq: 1}, OK: true},
		want: "originate:PJSIP/48600100200@trunk/48856000100", deadline: 40 * time.Second}
	answeredN = step{at: 5 * time.Second, ev: policy.LegAnswered{Leg: "n-citizen"}, want: "own:n-citizen say(sound:intro)"}
)

const (
	caseSaid    = "sound:casenum,sound:digits/2,sound:digits/0,sound:digits/2,sound:digits/6,sound:digits/1,sound:digits/1,sound:digits/7"
	messageSaid = "say(sound:docs," + caseSaid + ",sound:where,sound:nmenu)"
)

// noticeCase: a sound that says anything of the matter. None may be played
// before the 1 (P4e).
func personal(media string) bool {
	for _, s := range []string{"sound:docs", "sound:casenum", "sound:where", "sound:reminder", "sound:digits/"} {
		if strings.Contains(media, s) {
			return true
		}
	}
	return false
}

func TestNotice(t *testing.T) {
	for _, tc := range []struct {
		rule, name string
		task       callcare.CallbackTask
		steps      []step
		check      func(t *testing.T, acts []policy.Action)
	}{
		{
			rule: "P4e", name: "only the 1 brings the message: the case number digit by digit and where; confirmed",
			steps: []step{journaled,
				{at: 2 * time.Second, ev: policy.LegRinging{Leg: "n-citizen"}},
				answeredN,
				{at: 9 * time.Second, ev: policy.PlaybackDone{Playback: "n-p1"}, deadline: 14 * time.Second},
				{at: 10 * time.Second, ev: policy.KeyPressed{Digit: "1"}, want: "finish:confirmed/confirmed " + messageSaid},
				{at: 25 * time.Second, ev: policy.PlaybackDone{Playback: "n-p2"}, deadline: 30 * time.Second},
				// A ring cycle of silence: a reminder, not a dead line (P4p).
				{at: 30 * time.Second, ev: policy.TimerFired{}, want: "say(sound:remind)"},
				{at: 31 * time.Second, ev: policy.PlaybackDone{Playback: "n-remind1"}, deadline: 36 * time.Second},
				{at: 36 * time.Second, ev: policy.TimerFired{}, want: "say(sound:vm-goodbye)"},
				{at: 37 * time.Second, ev: policy.PlaybackDone{Playback: "n-p3"}, want: "hangup-caller finish", deadline: -1},
			},
		},
		{
			rule: "P4e", name: "a silent line (an answering machine) hears the question twice, nothing of the matter; not confirmed, tried again",
			steps: []step{journaled, answeredN,
				{at: 14 * time.Second, ev: policy.PlaybackDone{Playback: "n-p1"}},
				{at: 19 * time.Second, ev: policy.TimerFired{}, want: "say(sound:remind)"},
				{at: 20 * time.Second, ev: policy.PlaybackDone{Playback: "n-remind1"}},
				{at: 25 * time.Second, ev: policy.TimerFired{}, want: "say(sound:intro)"},
				{at: 34 * time.Second, ev: policy.PlaybackDone{Playback: "n-p2"}},
				{at: 39 * time.Second, ev: policy.TimerFired{}, want: "say(sound:remind)"},
				{at: 40 * time.Second, ev: policy.PlaybackDone{Playback: "n-remind2"}},
				{at: 45 * time.Second, ev: policy.TimerFired{}, want: "hangup-caller finish:not_confirmed/next:15m45s finish", deadline: -1},
			},
			check: func(t *testing.T, acts []policy.Action) {
				for _, a := range acts {
					if s, ok := a.(policy.Say); ok && personal(strings.Join(s.Media, ",")) {
						t.Errorf("the silent line heard %v", s.Media)
					}
				}
			},
		},
		{
			rule: "P4e", name: "a hangup before the 1 is not confirmed: tried again",
			steps: []step{journaled, answeredN,
				{at: 6 * time.Second, ev: policy.CallerGone{}, want: "finish:not_confirmed/next:15m6s finish"},
			},
		},
		{
			rule: "P4e", name: "an unknown key at the question: asked again, nothing said",
			steps: []step{journaled, answeredN,
				{at: 6 * time.Second, ev: policy.KeyPressed{Digit: "5"}, want: "stop say(sound:intro)"},
			},
		},
		{
			rule: "P3.2", name: "no answer: tried again by the schedule",
			steps: []step{journaled,
				{at: 30 * time.Second, ev: policy.LegFailed{Leg: "n-citizen", Result: "noanswer"}, want: "hangup:n-citizen/normal finish:no_answer/next:15m30s finish"},
			},
		},
		{
			rule: "P3.2", name: "busy: tried again by the schedule",
			steps: []step{journaled,
				{at: time.Second, ev: policy.LegFailed{Leg: "n-citizen", Result: "busy"}, want: "hangup:n-citizen/normal finish:busy/next:15m1s finish"},
			},
		},
		{
			rule: "P3.2", name: "an originated call nobody answers only ends: no answer",
			steps: []step{journaled,
				{at: 30 * time.Second, ev: policy.LegGone{Leg: "n-citizen"}, want: "finish:no_answer/next:15m30s finish"},
			},
		},
		{
			rule: "P3.2", name: "the phone's end never heard of: given up",
			steps: []step{journaled,
				{at: 40 * time.Second, ev: policy.TimerFired{}, want: "hangup:n-citizen/no_answer finish:no_answer/next:15m40s finish"},
			},
		},
		{
			rule: "P3.2", name: "the last attempt not confirmed: unreachable",
			task: func() callcare.CallbackTask { d := documents; d.Attempts = 2; return d }(),
			steps: []step{
				{ev: policy.AttemptStarted{Attempt: callcare.CallbackAttempt{TaskID: 9, Seq: 3}, OK: true}, want: "originate:PJSIP/48600100200@trunk/48856000100"},
				{at: 30 * time.Second, ev: policy.LegFailed{Leg: "n-citizen", Result: "noanswer"}, want: "hangup:n-citizen/normal finish:no_answer/unreachable finish"},
			},
		},
		{
			rule: "P4e", name: "2 at the question: not for them; refused, never called again",
			steps: []step{journaled, answeredN,
				{at: 6 * time.Second, ev: policy.KeyPressed{Digit: "2"}, want: "stop finish:refused/refused say(sound:sorry)"},
				{at: 8 * time.Second, ev: policy.PlaybackDone{Playback: "n-p2"}, want: "hangup-caller finish"},
			},
		},
		{
			rule: "P3.2", name: "3 hears it again; another key the choices",
			steps: []step{journaled, answeredN,
				{at: 6 * time.Second, ev: policy.KeyPressed{Digit: "1"}, want: "stop finish:confirmed/confirmed " + messageSaid},
				{at: 8 * time.Second, ev: policy.KeyPressed{Digit: "3"}, want: "stop " + messageSaid},
				{at: 9 * time.Second, ev: policy.KeyPressed{Digit: "7"}, want: "stop say(sound:nmenu)"},
				{at: 9 * time.Second, ev: policy.CallerGone{}, want: "finish"},
			},
		},
		{
			rule: "P3.2", name: "2 after the message: the clerk rings by the procedure; nobody answers, a callback",
			steps: []step{journaled, answeredN,
				{at: 6 * time.Second, ev: policy.KeyPressed{Digit: "1"}, want: "stop finish:confirmed/confirmed " + messageSaid},
				{at: 8 * time.Second, ev: policy.KeyPressed{Digit: "2"}, want: "stop save " + connecting + " dial:n-citizen-1"},
				{at: 9 * time.Second, ev: policy.LegRinging{Leg: "n-citizen-1"}, deadline: 24 * time.Second},
				{at: 24 * time.Second, ev: policy.TimerFired{}, want: "hangup:n-citizen-1/no_answer task:missed/callback/clerk:pwisniewski stop play:vm-nobodyavail"},
			},
		},
		{
			rule: "P3.2", name: "a reminder says the meeting's day, date and time after the 1",
			task: callcare.CallbackTask{ID: 9, Kind: callcare.KindReminder, Number: "48600100200", MeetingAt: t0.Add(49*time.Hour + 30*time.Minute),
				Target: callcare.Target{Kind: callcare.TargetClerk, ID: "pwisniewski"}, Status: callcare.CallbackOpen, FirstAt: t0},
			steps: []step{journaled, answeredN,
				{at: 6 * time.Second, ev: policy.KeyPressed{Digit: "1"}, want: "stop finish:confirmed/confirmed say(sound:reminder,sound:digits/day-4,sound:digits/mon-10,sound:digits/20,sound:digits/h-6,sound:digits/10,sound:digits/30,sound:nmenu)"},
			},
		},
		{
			rule: "P3.2", name: "a reminder not reached before its meeting is given up",
			task: callcare.CallbackTask{ID: 9, Kind: callcare.KindReminder, Number: "48600100200", MeetingAt: t0.Add(10 * time.Minute),
				Status: callcare.CallbackOpen, FirstAt: t0},
			steps: []step{journaled,
				{at: 30 * time.Second, ev: policy.LegFailed{Leg: "n-citizen", Result: "noanswer"}, want: "hangup:n-citizen/normal finish:no_answer/unreachable finish"},
			},
		},
		{
			rule: "P3.2", name: "the task closed meanwhile: nobody is dialed",
			steps: []step{
				{ev: policy.AttemptStarted{}, want: "release finish"},
			},
		},
	} {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			tk := tc.task
			if tk.ID == 0 {
				tk = documents
			}
			n, acts := policy.StartNotice("n", tk, menuDir, &callcare.Absences{}, noticeSet, menuIn, t0)
			if got := mbrief(acts); got != "journal:n-citizen" {
				t.Fatalf("start: %q", got)
			}
			all := runSteps(t, n, tc.steps)
			if tc.check != nil {
				tc.check(t, all)
			}
		})
	}
}

func TestNoticeCode(t *testing.T) {
	clerk := piotr
	const (
		askNumber = "say(sound:enternum)"
		askCase   = "say(sound:entercase)"
		check     = "say(sound:for,sound:digits/4,sound:digits/8,sound:digits/6,sound:digits/0,sound:digits/0,sound:digits/1,sound:digits/0,sound:digits/0,sound:digits/2,sound:digits/0,sound:digits/0," +
			"sound:casenum,sound:digits/7,sound:digits/7,sound:digits/3,sound:digits/2,sound:confirm)"
	)
	keys := func(from time.Duration, digits string) []step {
		var out []step
		for i, d := range digits {
			out = append(out, step{at: from + time.Duration(i)*500*time.Millisecond, ev: policy.KeyPressed{Digit: string(d)}})
		}
		return out
	}
	typed := func(steps []step, first string, last string) []step {
		steps[0].want, steps[len(steps)-1].want = first, last
		return steps
	}
	for _, tc := range []struct {
		rule, name string
		steps      []step
	}{
		{
			rule: "P3.2", name: "the citizen's number and the case by keys, said back, sent by 1",
			steps: concat(
				typed(keys(2*time.Second, "600100200#"), "stop", askCase),
				typed(keys(10*time.Second, "7732#"), "stop", check),
				[]step{
					{at: 20 * time.Second, ev: policy.KeyPressed{Digit: "1"}, want: "stop add-notice:documents_ready/48600100200/7732/clerk:pwisniewski"},
					{at: 20 * time.Second, ev: policy.NoticeAdded{OK: true}, want: "say(sound:queued)"},
					{at: 24 * time.Second, ev: policy.PlaybackDone{Playback: "k-p4"}, want: "hangup-caller finish"},
				}),
		},
		{
			rule: "P3.2", name: "a number that is no phone number is said so; a pause ends a number as # does",
			steps: concat(
				typed(keys(2*time.Second, "12#"), "stop", "say(sound:badnum,sound:enternum)"),
				typed(keys(6*time.Second, "600100200"), "stop", ""),
				[]step{{at: 20 * time.Second, ev: policy.TimerFired{}, want: askCase}},
			),
		},
		{
			rule: "P3.2", name: "a number keyed with the outside line's 0 is said to be no number: no citizen's number starts with 0",
			steps: concat(
				typed(keys(2*time.Second, "0600100200#"), "stop", "say(sound:badnum,sound:enternum)"),
				typed(keys(6*time.Second, "0048600100200#"), "stop", askCase),
			),
		},
		{
			rule: "P3.2", name: "2 starts again; the store failing is said",
			steps: concat(
				typed(keys(2*time.Second, "600100200#"), "stop", askCase),
				typed(keys(10*time.Second, "7732#"), "stop", check),
				[]step{
					{at: 20 * time.Second, ev: policy.KeyPressed{Digit: "2"}, want: "stop " + askNumber},
				},
				typed(keys(22*time.Second, "600100200#"), "stop", askCase),
				typed(keys(30*time.Second, "7732#"), "stop", check),
				[]step{
					{at: 40 * time.Second, ev: policy.KeyPressed{Digit: "1"}, want: "stop add-notice:documents_ready/48600100200/7732/clerk:pwisniewski"},
					{at: 40 * time.Second, ev: policy.NoticeAdded{}, want: "say(sound:failed)"},
				}),
		},
		{
			rule: "P5.1", name: "a silent clerk is asked twice, then nothing is sent",
			steps: []step{
				{at: 5 * time.Second, ev: policy.PlaybackDone{Playback: "k-p1"}, deadline: 15 * time.Second},
				{at: 15 * time.Second, ev: policy.TimerFired{}, want: askNumber},
				{at: 20 * time.Second, ev: policy.PlaybackDone{Playback: "k-p2"}},
				{at: 30 * time.Second, ev: policy.TimerFired{}, want: "say(sound:vm-goodbye)"},
				{at: 31 * time.Second, ev: policy.PlaybackDone{Playback: "k-p3"}, want: "hangup-caller finish"},
			},
		},
		{
			rule: "P3.2", name: "the clerk hangs up before 1: nothing is sent",
			steps: concat(
				typed(keys(2*time.Second, "600100200#"), "stop", askCase),
				[]step{{at: 9 * time.Second, ev: policy.ClerkGone{}, want: "finish"}}),
		},
	} {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			c, acts := policy.StartNoticeCode("k", clerk, noticeSet, t0)
			if got := mbrief(acts); got != "own:k answer "+askNumber {
				t.Fatalf("start: %q", got)
			}
			runSteps(t, c, tc.steps)
		})
	}
}

func concat(parts ...[]step) []step {
	var out []step
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestRemindAt(t *testing.T) {
	// An office open on weekdays 8 to 16; t0 is Tuesday 24 November 2026, 9:00.
	hours := callcare.OfficeHours{Location: time.UTC, Week: allWeek("08:00-16:00")}
	hours.Week[time.Saturday], hours.Week[time.Sunday] = nil, nil
	day := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, time.UTC) }
	for _, tc := range []struct {
		rule, name string
		meeting    time.Time
		days       int
		want       time.Time
	}{
		{"P3.2", "the office day before, at its opening", day(26, 10, 0), 1, day(25, 8, 0)},
		{"P3.2", "a Monday meeting: the Friday before", day(30, 9, 0), 1, day(27, 8, 0)},
		{"P3.2", "two office days before", day(30, 9, 0), 2, day(26, 8, 0)},
		{"P3.2", "tomorrow's meeting: today, at once", day(25, 11, 0), 1, day(24, 9, 0)},
		{"P3.2", "today's meeting: no reminder", day(24, 15, 0), 1, time.Time{}},
		{"P3.2", "reminders off", day(30, 9, 0), 0, time.Time{}},
	} {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			if got := policy.RemindAt(tc.meeting, hours, tc.days, t0); !got.Equal(tc.want) {
				t.Errorf("remind at %v, want %v", got, tc.want)
			}
		})
	}
}

// TestRemindAt_AfterClosing (P3.2): tomorrow's meeting agreed after the
// office closed: no reminder, since the first moment a notice can go out
// is the meeting's own day, maybe its very hour.
func TestRemindAt_AfterClosing(t *testing.T) {
	hours := callcare.OfficeHours{Location: time.UTC, Week: allWeek("08:00-16:00")}
	meeting, agreed := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC), time.Date(2026, 11, 24, 17, 0, 0, 0, time.UTC)
	if got := policy.RemindAt(meeting, hours, 1, agreed); !got.IsZero() {
		t.Errorf("remind at %v, want no reminder", got)
	}
	if got := policy.RemindAt(meeting, hours, 1, agreed.Add(-2*time.Hour)); !got.Equal(agreed.Add(-2 * time.Hour)) {
		t.Errorf("agreed while open: remind at %v, want at once", got)
	}
}

func TestSayingDate(t *testing.T) {
	for _, tc := range []struct {
		lang string
		day  int
		want string
	}{
		{"pl", 5, "sound:digits/h-5,sound:digits/mon-10"},
		{"pl", 20, "sound:digits/h-20,sound:digits/mon-10"},
		{"pl", 25, "sound:digits/h-20,sound:digits/h-5,sound:digits/mon-10"},
		{"pl", 30, "sound:digits/h-30,sound:digits/mon-10"},
		{"en", 5, "sound:digits/mon-10,sound:digits/h-5"},
		{"en", 25, "sound:digits/mon-10,sound:digits/20,sound:digits/h-5"},
		{"en", 30, "sound:digits/mon-10,sound:digits/h-30"},
	} {
		got := strings.Join(policy.Saying{Lang: tc.lang}.Date(time.Date(2026, 11, tc.day, 10, 0, 0, 0, time.UTC)), ",")
		if got != tc.want {
			t.Errorf("%s, November %d: %s, want %s", tc.lang, tc.day, got, tc.want)
		}
	}
}
