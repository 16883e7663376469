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

// The phone matters' prompts, by short names a table can read.
var matterPrompts = func() callcare.Prompts {
	p := prompts
	p.MenuGreeting, p.MenuPress, p.MenuAppointment, p.MenuMatters, p.MenuCase = "greet", "press", "appt", "matters", "case"
	p.MenuOperator, p.MenuAssistance, p.MenuUnknown, p.MenuAssisted = "operator", "assist", "unknown", "assisted"
	p.MattersIntro, p.AppointmentWho, p.AppointmentExt, p.NoSuchExtension = "mintro", "mayor", "ext", "noext"
	p.AppointmentTaken, p.NobodyLeaveNote = "appttaken", "leavenote"
	p.AppointmentRequest, p.AppointmentMayorRequest, p.MeetingPress5, p.MeetingEnter, p.MeetingAgreedFor = "apptreq", "mayorreq", "press5", "meetenter", "meetfor"
	p.NoticeEnterNumber, p.NoticeBadNumber, p.NoticeEnterCase, p.NoticeFor, p.NoticeCase = "enternum", "badnum", "entercase", "for", "casenum"
	p.NoticeConfirm, p.NoticeQueued, p.NoticeFailed, p.NoticeIntro, p.DocumentsReady = "confirm", "queued", "failed", "intro", "docs"
	p.DocumentsWhere, p.MeetingReminder, p.NoticeMenu, p.NoticeSorry = "where", "reminder", "nmenu", "sorry"
	p.RecordNote = "note"
	return p
}()

// The office of the menu's tables: the secretariat (100) is Anna; the
// department 200 rings Piotr and Ewa together.
var menuDir = &callcare.Directory{
	Clerks: []callcare.Clerk{anna, piotr, ewa},
	Departments: []callcare.Department{
		{Number: "100", Name: "Sekretariat", Members: []callcare.ClerkID{"anowak"}, Ring: callcare.RingTogether},
		{Number: "200", Name: "Komunikacja", Members: []callcare.ClerkID{"pwisniewski", "ezielinska"}, Ring: callcare.RingTogether},
	},
}

var (
	secretariat = callcare.Target{Kind: callcare.TargetDepartment, ID: "100"}
	theMenu     = callcare.Menu{
		Numbers: []string{"100"}, OperatorKey: "0", Operator: secretariat, AssistanceKey: "9", Tries: 3,
		KeyTimeout: 10 * time.Second, Greeting: "greet",
		Choices: []callcare.MenuChoice{
			{Key: "1", Do: callcare.ChoiceAppointment, Sound: "appt"},
			{Key: "2", Do: callcare.ChoiceMatters, Sound: "matters"},
			{Key: "3", Do: callcare.ChoiceRing, Target: secretariat, Sound: "case"},
		},
		Matters: []callcare.Matter{
			{Name: "Dowód osobisty", Key: "1", Department: "200", Sound: "m-id", Description: "m-id-desc"},
			{Name: "Rejestracja pojazdu", Key: "2", Department: "200", Sound: "m-car"},
		},
		Appointments: callcare.Appointments{MayorKey: "0", Mayor: "100", RemindDaysBefore: 1},
	}
	menuSet  = policy.MenuSettings{Menu: theMenu, Prompts: matterPrompts}
	menuIn   = func() policy.InboundSettings { s := inboundSet; s.Prompts = matterPrompts; return s }()
	menuCall = policy.Arrival{CallID: "c", CallerID: "48600100200", Dialed: "100"}
)

const (
	choicesSaid = "sound:appt,sound:press,sound:digits/1,sound:matters,sound:press,sound:digits/2,sound:case,sound:press,sound:digits/3," +
		"sound:operator,sound:press,sound:digits/0,sound:assist,sound:press,sound:digits/9"
	mattersSaid = "sound:mintro,sound:m-id,sound:press,sound:digits/1,sound:m-car,sound:press,sound:digits/2,sound:operator,sound:press,sound:digits/0"
	personSaid  = "sound:mayor,sound:press,sound:digits/0,sound:ext"
	connecting  = "early(sound:hold,tone:ring;tonezone=pl)"
)

// mbrief is brief, with the phone matters' actions and the kind of a task.
func mbrief(acts []policy.Action) string {
	var out []string
	for _, a := range acts {
		switch a := a.(type) {
		case policy.CreateTask:
			s := fmt.Sprintf("task:%s/%s/%s", a.Task.Reason, a.Task.Kind, a.Task.Target)
			if a.Task.Note != "" {
				s += "/note"
			}
			out = append(out, s)
		case policy.AddNotice:
			out = append(out, fmt.Sprintf("add-notice:%s/%s/%s/%s", a.Task.Kind, a.Task.Number, a.Task.Case, a.Task.Target))
		case policy.AgreeMeeting:
			s := "meeting:" + a.At.Format("2006-01-02T15:04")
			if !a.RemindAt.IsZero() {
				s += "/remind:" + a.RemindAt.Format("2006-01-02T15:04")
			}
			out = append(out, s)
		case policy.FinishAttempt:
			s := "finish:" + string(a.Result)
			if a.Close != "" {
				s += "/" + string(a.Close)
			}
			if !a.Next.IsZero() {
				s += "/next:" + a.Next.Sub(t0).String()
			}
			out = append(out, s)
		default:
			out = append(out, sbrief([]policy.Action{a}))
		}
	}
	return strings.Join(out, " ")
}

func key(at time.Duration, d string) step { return step{at: at, ev: policy.KeyPressed{Digit: d}} }

func TestMenu(t *testing.T) {
	greeted := "save answer say(sound:greet," + choicesSaid + ")"
	toSecretariat := "save " + connecting + " dial:c-1/Sekretariat"
	toDept200 := "save " + connecting + " dial:c-1/Komunikacja dial:c-2/Komunikacja"
	said := func(at time.Duration, n int) step {
		return step{at: at, ev: policy.PlaybackDone{Playback: fmt.Sprintf("c-menu%d", n)}, deadline: at + 5*time.Second}
	}
	with := func(s step, want string) step { s.want = want; return s }
	// remind: a ring cycle of silence after the choices brings a reminder
	// (P4p); the key timeout (P5.1) runs on after it.
	remind := func(at time.Duration, n int) []step {
		return []step{{at: at, ev: policy.TimerFired{}, want: "say(sound:remind)"},
			{at: at + time.Second, ev: policy.PlaybackDone{Playback: fmt.Sprintf("c-remind%d", n)}, deadline: at + 6*time.Second}}
	}
	for _, tc := range []struct {
		rule, name string
		closed     bool
		start      string
		steps      []step
		check      func(t *testing.T, r callcare.CallRecord, acts []policy.Action)
	}{
		{
			rule: "P3.2", name: "a choice during the greeting stops it and rings its target by the procedure",
			start: greeted,
			steps: []step{
				with(key(5*time.Second, "3"), "stop "+toSecretariat),
				{at: 6 * time.Second, ev: policy.LegRinging{Leg: "c-1"}, deadline: 21 * time.Second},
				{at: 12 * time.Second, ev: policy.LegAnswered{Leg: "c-1"}, want: "stop connect:c-1 save close-tasks:48600100200", deadline: -1},
			},
			check: func(t *testing.T, r callcare.CallRecord, _ []policy.Action) {
				// P4a counts the clerk's rings, not the greeting: rung 6 s after the hand-over.
				if r.Target != secretariat || r.AnsweredBy != "anowak" || r.AnsweredRing != 2 || r.RingsHeard != 2 || !r.StartedAt.Equal(t0) {
					t.Errorf("record %+v", r)
				}
			},
		},
		{
			rule: "P3.2", name: "a matter is described, then its department rings",
			start: greeted,
			steps: []step{
				with(key(2*time.Second, "2"), "stop say("+mattersSaid+")"),
				with(key(4*time.Second, "1"), "stop say(sound:m-id-desc)"),
				{at: 30 * time.Second, ev: policy.PlaybackDone{Playback: "c-menu3"}, want: toDept200},
			},
			check: func(t *testing.T, r callcare.CallRecord, _ []policy.Action) {
				if r.Target.ID != "200" || r.Dialed != "100" {
					t.Errorf("record %+v", r)
				}
			},
		},
		{
			rule: "P3.2", name: "a key during a matter's description connects at once",
			start: greeted,
			steps: []step{
				with(key(2*time.Second, "2"), "stop say("+mattersSaid+")"),
				with(key(4*time.Second, "1"), "stop say(sound:m-id-desc)"),
				with(key(6*time.Second, "5"), "stop "+toDept200),
			},
		},
		{
			rule: "P3.2", name: "nobody answers a matter: the caller leaves a few words for the department's callback",
			start: greeted,
			steps: []step{
				with(key(2*time.Second, "2"), "stop say("+mattersSaid+")"),
				with(key(4*time.Second, "2"), "stop "+toDept200), // no description
				{at: 5 * time.Second, ev: policy.LegRinging{Leg: "c-1"}},
				{at: 20 * time.Second, ev: policy.TimerFired{}, want: "hangup:c-1/no_answer hangup:c-2/no_answer stop say(sound:leavenote)"},
				{at: 25 * time.Second, ev: policy.PlaybackDone{Playback: "c-offer"}, deadline: 30 * time.Second},
				{at: 27 * time.Second, ev: policy.KeyPressed{Digit: "1"}, want: "say(sound:note,sound:beep)"}, // the offer has ended: nothing to stop
				{at: 30 * time.Second, ev: policy.PlaybackDone{Playback: "c-note-prompt"}, want: "record"},
				{at: 40 * time.Second, ev: policy.RecordingDone{Name: "callcare-note-c", Seconds: 8}, want: "task:requested/callback/department:200/note play:thanks"},
			},
			check: func(t *testing.T, r callcare.CallRecord, _ []policy.Action) {
				if r.Outcome != callcare.OutcomeMissed || r.Target.ID != "200" {
					t.Errorf("record %+v", r)
				}
			},
		},
		{
			rule: "P3.2", name: "nobody answers a matter and the caller says nothing: called back all the same",
			start: greeted,
			steps: []step{
				with(key(2*time.Second, "2"), "stop say("+mattersSaid+")"),
				with(key(4*time.Second, "2"), "stop "+toDept200),
				{at: 34 * time.Second, ev: policy.TimerFired{}, want: "hangup:c-1/no_answer hangup:c-2/no_answer stop say(sound:leavenote)"},
				{at: 38 * time.Second, ev: policy.PlaybackDone{Playback: "c-offer"}},
				{at: 43 * time.Second, ev: policy.TimerFired{}, want: "say(sound:remind)"},
				{at: 44 * time.Second, ev: policy.PlaybackDone{Playback: "c-remind1"}},
				{at: 49 * time.Second, ev: policy.TimerFired{}, want: "say(sound:press1)"},
				{at: 51 * time.Second, ev: policy.PlaybackDone{Playback: "c-closed-again"}},
				{at: 56 * time.Second, ev: policy.TimerFired{}, want: "say(sound:remind)"},
				{at: 57 * time.Second, ev: policy.PlaybackDone{Playback: "c-remind2"}},
				{at: 62 * time.Second, ev: policy.TimerFired{}, want: "task:missed/callback/department:200 play:thanks"},
			},
		},
		{
			rule: "P3.2", name: "a meeting with an employee by extension; nobody answers: an appointment request in their queue",
			start: greeted,
			steps: []step{
				with(key(2*time.Second, "1"), "stop say("+personSaid+")"),
				with(key(4*time.Second, "1"), "stop"),
				with(key(5*time.Second, "0"), ""),
				with(key(6*time.Second, "2"), toSecretariatLike("c-1")),
				{at: 7 * time.Second, ev: policy.LegRinging{Leg: "c-1"}},
				{at: 22 * time.Second, ev: policy.TimerFired{}, want: "hangup:c-1/no_answer task:missed/appointment/clerk:pwisniewski stop play:appttaken"},
			},
			check: func(t *testing.T, r callcare.CallRecord, _ []policy.Action) {
				if r.Target.ID != "pwisniewski" || r.Outcome != callcare.OutcomeMissed {
					t.Errorf("record %+v", r)
				}
			},
		},
		{
			rule: "P3.2", name: "the Mayor's key: through the secretariat; a request nobody took is the secretariat's",
			start: greeted,
			steps: []step{
				with(key(2*time.Second, "1"), "stop say("+personSaid+")"),
				with(key(3*time.Second, "0"), "stop "+toSecretariat),
				{at: 3 * time.Second, ev: policy.CallerGone{}, want: "hangup:c-1/normal task:abandoned/appointment/department:100 save finish"},
			},
		},
		{
			rule: "P3.2", name: "an extension nobody has is said so, and asked again",
			start: greeted,
			steps: []step{
				with(key(2*time.Second, "1"), "stop say("+personSaid+")"),
				with(key(4*time.Second, "5"), "stop say(sound:noext,"+personSaid+")"),
				with(key(6*time.Second, "1"), "stop"),
				with(key(7*time.Second, "0"), ""),
				{at: 17 * time.Second, ev: policy.TimerFired{}, want: "say(sound:noext," + personSaid + ")"}, // a pause after "10"
			},
		},
		{
			rule: "P5.1", name: "silence: the choices once more, then a person, never a hangup",
			start: greeted,
			steps: slices.Concat([]step{said(20*time.Second, 1)}, remind(25*time.Second, 1),
				[]step{{at: 31 * time.Second, ev: policy.TimerFired{}, want: "say(" + choicesSaid + ")"}, said(45*time.Second, 2)},
				remind(50*time.Second, 2), []step{{at: 56 * time.Second, ev: policy.TimerFired{}, want: toSecretariat}}),
			check: func(t *testing.T, r callcare.CallRecord, _ []policy.Action) {
				if r.Target != secretariat {
					t.Errorf("a silent caller reached %v", r.Target)
				}
			},
		},
		{
			rule: "P5.1", name: "an unknown key says so and repeats the choices; the third reaches a person",
			start: greeted,
			steps: []step{
				with(key(2*time.Second, "7"), "stop say(sound:unknown,"+choicesSaid+")"),
				with(key(4*time.Second, "8"), "stop say(sound:unknown,"+choicesSaid+")"),
				with(key(6*time.Second, "*"), "stop "+toSecretariat),
			},
		},
		{
			rule: "P5.1", name: "the operator's key reaches the secretariat at once",
			start: greeted,
			steps: []step{with(key(time.Second, "0"), "stop "+toSecretariat)},
		},
		{
			rule: "P5.1", name: "silence in the matters: once more, then a person",
			start: greeted,
			steps: slices.Concat([]step{with(key(2*time.Second, "2"), "stop say("+mattersSaid+")"), said(20*time.Second, 2)},
				remind(25*time.Second, 1),
				[]step{{at: 31 * time.Second, ev: policy.TimerFired{}, want: "say(" + mattersSaid + ")"}, said(45*time.Second, 3)},
				remind(50*time.Second, 2), []step{{at: 56 * time.Second, ev: policy.TimerFired{}, want: toSecretariat}}),
		},
		{
			rule: "P5.1", name: "a hangup in the greeting: abandoned, called back by the secretariat",
			start: greeted,
			steps: []step{
				{at: 3 * time.Second, ev: policy.CallerGone{}, want: "task:abandoned/callback/department:100 save finish", deadline: -1},
			},
			check: func(t *testing.T, r callcare.CallRecord, _ []policy.Action) {
				if r.Outcome != callcare.OutcomeAbandoned || r.HungUpBy != callcare.PartyCaller || r.EndedAt.IsZero() {
					t.Errorf("record %+v", r)
				}
			},
		},
		{
			rule: "P5.1", name: "outside office hours there is no menu: the office is closed",
			closed: true,
			start:  "save answer say(sound:closed,sound:digits/13,sound:press1)",
		},
		{
			rule: "P5.3", name: "the assistance key in the greeting: flagged, told, connected first, shown on the phone",
			start: greeted,
			steps: []step{
				with(key(3*time.Second, "9"), "stop flag:48600100200 save early(sound:assisted,sound:hold,tone:ring;tonezone=pl) dial:c-1/SN Sekretariat"),
			},
			check: func(t *testing.T, r callcare.CallRecord, _ []policy.Action) {
				if r.Needs != callcare.NeedsMenu || r.Target != secretariat {
					t.Errorf("record %+v", r)
				}
			},
		},
		{
			rule: "P5.3", name: "the assistance key while a matter is described: its department, first",
			start: greeted,
			steps: []step{
				with(key(2*time.Second, "2"), "stop say("+mattersSaid+")"),
				with(key(4*time.Second, "1"), "stop say(sound:m-id-desc)"),
				with(key(6*time.Second, "9"), "stop flag:48600100200 save early(sound:assisted,sound:hold,tone:ring;tonezone=pl) dial:c-1/SN Komunikacja dial:c-2/SN Komunikacja"),
			},
		},
		{
			rule: "P5.3", name: "the assistance key while the call rings: flagged; its callback goes first",
			start: greeted,
			steps: []step{
				with(key(2*time.Second, "3"), "stop "+toSecretariat),
				with(key(5*time.Second, "9"), "save flag:48600100200"),
				with(key(6*time.Second, "9"), ""),
				{at: 32 * time.Second, ev: policy.TimerFired{}, want: "hangup:c-1/no_answer task:missed/callback/department:100 stop play:vm-nobodyavail"},
			},
			check: func(t *testing.T, r callcare.CallRecord, acts []policy.Action) {
				for _, a := range acts {
					if ct, ok := a.(policy.CreateTask); ok && ct.Task.Priority != callcare.PrioritySpecialNeeds {
						t.Errorf("task %+v: not first", ct.Task)
					}
				}
			},
		},
		{
			rule: "P4a", name: "the shell cannot carry the menu on: the dialplan's fallback at the number dialed",
			start: greeted,
			steps: []step{
				{at: time.Second, ev: policy.Stuck{Why: "refused"}, want: "stop task:missed/callback/department:100 fallback:100 save finish"},
			},
		},
		{
			rule: "P4a", name: "a lost link decides nothing on an old view",
			start: greeted,
			steps: []step{
				said(20*time.Second, 1),
				{at: 25 * time.Second, ev: policy.LinkLost{}, deadline: -1},
				{at: 40 * time.Second, ev: policy.TimerFired{}},
				{at: 41 * time.Second, ev: policy.LinkBack{}, want: "resync:", deadline: 25 * time.Second},
				{at: 41 * time.Second, ev: policy.TimerFired{}, want: "say(sound:remind)"},
			},
		},
	} {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			in := menuIn
			if tc.closed {
				in.Rules.Hours = callcare.OfficeHours{Location: time.UTC, Week: allWeek("13:00-14:00")}
			}
			m, acts := policy.StartMenu(menuCall, menuDir, &callcare.Absences{}, menuSet, in, t0)
			if got := mbrief(acts); got != tc.start {
				t.Fatalf("start: %q, want %q", got, tc.start)
			}
			all := append(acts, runSteps(t, m, tc.steps)...)
			if tc.check != nil {
				tc.check(t, m.Record(), all)
			}
		})
	}
}

// toSecretariatLike is the hand-over to one clerk, on leg.
func toSecretariatLike(leg string) string { return "save " + connecting + " dial:" + leg }

// The menu is one level: every key at every level leads, within three
// keys, to a person or a choice, and no sequence of keys and silences
// ends the call without a person rung (P5.1).
func TestMenu_EveryPathReachesAPerson(t *testing.T) {
	keys := []string{"0", "1", "2", "3", "5", "7", "9", "#", "*"}
	for _, k1 := range keys {
		for _, k2 := range keys {
			for _, k3 := range keys {
				m, _ := policy.StartMenu(menuCall, menuDir, &callcare.Absences{}, menuSet, menuIn, t0)
				now := t0
				dialed := false
				for i, k := range []string{k1, k2, k3, "", "", "", "", "", ""} {
					now = now.Add(time.Second)
					var acts []policy.Action
					if k == "" || i >= 3 {
						if d := m.Deadline(); !d.IsZero() {
							now = d
						}
						acts = m.Step(policy.TimerFired{}, now)
					} else {
						acts = m.Step(policy.KeyPressed{Digit: k}, now)
					}
					for _, a := range acts {
						if _, ok := a.(policy.DialClerk); ok {
							dialed = true
						}
						if _, ok := a.(policy.HangupCaller); ok && !dialed {
							t.Fatalf("keys %s %s %s: hung up without ringing anybody", k1, k2, k3)
						}
					}
					if dialed {
						break
					}
				}
				if !dialed {
					t.Errorf("keys %s %s %s: nobody rung after the silences", k1, k2, k3)
				}
			}
		}
	}
}

// A call the menu hands on tells the log where it went when an absence
// moved it, and which forwards looped, as a call dialed straight does
// (P4c): an admin reading the log learns why Ewa's phone rang.
func TestMenu_HandOverTellsTheLogWhereItWent(t *testing.T) {
	for _, tc := range []struct {
		name     string
		forwards []callcare.Absence
		want     string
	}{
		{name: "nobody away: nothing to tell",
			want: "stop save " + connecting + " dial:c-1"},
		{name: "Anna forwarded to Ewa: Ewa rings, and the log says why",
			forwards: []callcare.Absence{{Clerk: "anowak", To: callcare.Target{Kind: callcare.TargetClerk, ID: "ezielinska"},
				Source: callcare.SetByPhone, SetBy: "anowak", SetAt: t0.Add(-time.Hour)}},
			want: "stop save routed:anowak->ezielinska/warnings:0 " + connecting + " dial:c-1"},
		{name: "Anna to Piotr and Piotr to Anna: a loop, the call goes to Anna's department, with a warning",
			forwards: []callcare.Absence{
				{Clerk: "anowak", To: callcare.Target{Kind: callcare.TargetClerk, ID: "pwisniewski"},
					Source: callcare.SetByPhone, SetBy: "anowak", SetAt: t0.Add(-time.Hour)},
				{Clerk: "pwisniewski", To: callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"},
					Source: callcare.SetByPhone, SetBy: "pwisniewski", SetAt: t0.Add(-time.Hour)}},
			want: "stop save routed:anowak->100/warnings:1"},
	} {
		t.Run("P4c/"+tc.name, func(t *testing.T) {
			set := menuSet // its 3 rings Anna herself
			set.Menu.Choices = slices.Clone(set.Menu.Choices)
			set.Menu.Choices[2].Target = callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"}
			book := &callcare.Absences{Forwards: tc.forwards, Hours: menuIn.Rules.Hours}
			m, _ := policy.StartMenu(menuCall, menuDir, book, set, menuIn, t0)
			acts := m.Step(policy.KeyPressed{Digit: "3"}, t0.Add(2*time.Second))
			if got := mbrief(acts); !strings.HasPrefix(got, tc.want) {
				t.Errorf("key 3: %q, want it to begin %q", got, tc.want)
			}
		})
	}
}

// TestMenu_AssistanceKeyInLine (P5.3): a caller waiting in a busy
// department's line presses the menu's 9: flagged, and the line is told,
// so they go before those without special needs.
func TestMenu_AssistanceKeyInLine(t *testing.T) {
	in := menuIn
	in.WhenBusy = map[string]callcare.BusyPolicy{"100": callcare.BusyOffer}
	m, _ := policy.StartMenu(menuCall, menuDir, &callcare.Absences{}, menuSet, in, t0)
	m.Step(policy.KeyPressed{Digit: "0"}, t0.Add(2*time.Second))
	m.Step(policy.LegFailed{Leg: "c-1", Result: "busy"}, t0.Add(3*time.Second))
	if got := mbrief(m.Step(policy.KeyPressed{Digit: "1"}, t0.Add(6*time.Second))); !strings.Contains(got, "join-line:100/department:100") {
		t.Fatalf("1 at the busy choices: %q, want the line joined", got)
	}
	got := mbrief(m.Step(policy.KeyPressed{Digit: "9"}, t0.Add(20*time.Second)))
	if !strings.Contains(got, "join-line:100/department:100/needs") || m.Record().Needs != callcare.NeedsMenu {
		t.Errorf("9 in line: %q, needs %q; want the line told of the special needs", got, m.Record().Needs)
	}
}

// A meeting asked for through the menu with a person who is busy, their
// department offering a choice (P4b): whatever the caller chooses, the task
// the call leaves is an appointment request in that person's queue (P3.2),
// as it is when nobody answers.
func TestMenu_AppointmentWithABusyPersonStaysAnAppointment(t *testing.T) {
	in := menuIn
	in.WhenBusy = map[string]callcare.BusyPolicy{"200": callcare.BusyOffer} // Piotr's
	toPiotr := []step{
		key(2*time.Second, "1"), key(4*time.Second, "1"), key(5*time.Second, "0"),
		{at: 6 * time.Second, ev: policy.KeyPressed{Digit: "2"}, want: toSecretariatLike("c-1")},
		{at: 7 * time.Second, ev: policy.LegFailed{Leg: "c-1", Result: "busy"}, want: "hangup:c-1/normal stop answer say(sound:clerkbusy,sound:busywait,sound:busychoices)"},
		{at: 9 * time.Second, ev: policy.PlaybackDone{Playback: "c-busy1"}, deadline: 14 * time.Second},
	}
	toPiotr[0].want, toPiotr[1].want = "stop say("+personSaid+")", "stop"
	const request = "task:requested/appointment/clerk:pwisniewski"
	inLine := step{at: 10 * time.Second, ev: policy.KeyPressed{Digit: "1"}, want: "moh:default join-line:200/clerk:pwisniewski"}
	for _, tc := range []struct {
		rule, name string
		steps      []step
	}{
		{"P3.2", "the caller presses 2: called back as soon as possible",
			[]step{{at: 10 * time.Second, ev: policy.KeyPressed{Digit: "2"}, want: request + " play:thanks"}}},
		{"P3.2", "the caller picks a free time",
			[]step{{at: 10 * time.Second, ev: policy.KeyPressed{Digit: "3"}, want: "list-agreed:clerk:pwisniewski"},
				{at: 10 * time.Second, ev: policy.AgreedListed{}, want: "say(sound:slots,sound:digits/1,sound:digits/10,sound:digits/2,sound:digits/10,sound:digits/30,sound:digits/3,sound:digits/11)"},
				{at: 12 * time.Second, ev: policy.KeyPressed{Digit: "2"}, want: "stop " + request + " say(sound:agreedfor,sound:digits/10,sound:digits/30,sound:thanks)"}}},
		{"P5.1", "the caller says nothing: the choices once more, then called back",
			[]step{{at: 14 * time.Second, ev: policy.TimerFired{}, want: "say(sound:remind)"},
				{at: 15 * time.Second, ev: policy.PlaybackDone{Playback: "c-remind1"}},
				{at: 20 * time.Second, ev: policy.TimerFired{}, want: "say(sound:busywait,sound:busychoices)"},
				{at: 23 * time.Second, ev: policy.PlaybackDone{Playback: "c-busy2"}},
				{at: 28 * time.Second, ev: policy.TimerFired{}, want: "say(sound:remind)"},
				{at: 29 * time.Second, ev: policy.PlaybackDone{Playback: "c-remind2"}},
				{at: 34 * time.Second, ev: policy.TimerFired{}, want: request + " play:thanks"}}},
		{"P5.3", "the caller waits in line, then presses 2",
			[]step{inLine, {at: 20 * time.Second, ev: policy.KeyPressed{Digit: "2"}, want: "leave-line moh-stop " + request + " play:thanks"}}},
		{"P4c", "the caller waits in line, then hangs up",
			[]step{inLine, {at: 20 * time.Second, ev: policy.CallerGone{}, want: "leave-line task:abandoned/appointment/clerk:pwisniewski save finish"}}},
		{"P4c", "the caller hangs up at the choices",
			[]step{{at: 10 * time.Second, ev: policy.CallerGone{}, want: "task:abandoned/appointment/clerk:pwisniewski save finish"}}},
	} {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			m, _ := policy.StartMenu(menuCall, menuDir, &callcare.Absences{}, menuSet, in, t0)
			runSteps(t, m, slices.Concat(toPiotr, tc.steps))
		})
	}
}

// An appointment asked for with a person who is away, their department
// covering, everyone there busy: the request still waits in that person's
// queue (covered while they are away), never read out as the Mayor's, which
// a department's request would be (P3.2, P4c).
func TestMenu_AppointmentWithAnAbsentPersonStaysTheirs(t *testing.T) {
	in := menuIn
	in.WhenBusy = map[string]callcare.BusyPolicy{"200": callcare.BusyOffer}
	book := &callcare.Absences{Rules: []callcare.Absence{away("pwisniewski", deptT("200"), callcare.AbsenceLeave)}, Hours: in.Rules.Hours}
	m, _ := policy.StartMenu(menuCall, menuDir, book, menuSet, in, t0)
	var got []string
	for i, ev := range []policy.Event{
		policy.KeyPressed{Digit: "1"}, policy.KeyPressed{Digit: "1"}, policy.KeyPressed{Digit: "0"}, policy.KeyPressed{Digit: "2"},
		policy.LegFailed{Leg: "c-1", Result: "busy"}, policy.PlaybackDone{Playback: "c-busy1"}, policy.KeyPressed{Digit: "2"},
	} {
		got = append(got, mbrief(m.Step(ev, t0.Add(time.Duration(2+i)*time.Second))))
	}
	if last := got[len(got)-1]; !strings.Contains(last, "task:requested/appointment/clerk:pwisniewski") {
		t.Errorf("the request: %q, want it in Piotr's queue; all: %q", last, got)
	}
}
