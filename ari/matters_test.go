package ari_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/pbxsim"
	"github.com/callcare/callcare/policy"
)

// The phone matters' sounds, as long as the office's prompts would be.
func init() {
	for name, d := range map[string]time.Duration{
		"callcare/menu-greeting": 2 * time.Second, "callcare/menu-press": 800 * time.Millisecond,
		"callcare/menu-appointment": 3 * time.Second, "callcare/menu-matters": 3 * time.Second, "callcare/menu-case": 2 * time.Second,
		"callcare/menu-operator": 2 * time.Second, "callcare/menu-assistance": 3 * time.Second, "callcare/menu-unknown": time.Second,
		"callcare/menu-assisted": 3 * time.Second, "callcare/matters-intro": time.Second, "callcare/appointment-mayor": 2 * time.Second,
		"callcare/appointment-extension": 3 * time.Second, "callcare/no-such-extension": 2 * time.Second,
		"callcare/appointment-taken": 6 * time.Second, "callcare/nobody-leave-note": 6 * time.Second,
		"callcare/appointment-request": 2 * time.Second, "callcare/appointment-mayor-request": 2 * time.Second,
		"callcare/meeting-press-5": 2 * time.Second, "callcare/meeting-enter": 5 * time.Second, "callcare/meeting-agreed-for": 2 * time.Second,
		"callcare/notice-enter-number": 5 * time.Second, "callcare/notice-bad-number": 2 * time.Second,
		"callcare/notice-enter-case": 3 * time.Second, "callcare/notice-for": 2 * time.Second, "callcare/notice-case": time.Second,
		"callcare/notice-confirm": 3 * time.Second, "callcare/notice-queued": 4 * time.Second, "callcare/notice-failed": 3 * time.Second,
		"callcare/notice-intro": 8 * time.Second, "callcare/documents-ready": 3 * time.Second, "callcare/documents-where": 4 * time.Second,
		"callcare/meeting-reminder": 3 * time.Second, "callcare/notice-menu": 4 * time.Second, "callcare/notice-sorry": 2 * time.Second,
		"office/matter-tax": 2 * time.Second, "office/matter-tax-about": 6 * time.Second, "office/matter-car": 2 * time.Second,
	} {
		pbxOptions.Sounds[name] = d
	}
	for d := 1; d <= 30; d++ {
		pbxOptions.Sounds["digits/h-"+strconv.Itoa(d)] = 700 * time.Millisecond
	}
	for m := range 12 {
		pbxOptions.Sounds["digits/mon-"+strconv.Itoa(m)] = 700 * time.Millisecond
	}
}

// matterSettings: the office of the other tests with a voice menu on 100
// (its operator the secretariat, 200), a department 400 of Jan alone, and
// notices retried a minute apart.
func matterSettings() ari.Settings {
	s := testSettings()
	dir := office()
	dir.Departments = append(dir.Departments, callcare.Department{Number: "400", Name: "Komunikacja",
		Members: []callcare.ClerkID{"jkowalski"}, Ring: callcare.RingTogether})
	s.Directory = dir
	p := testPrompts
	s.Menu = policy.MenuSettings{Prompts: p, Menu: callcare.Menu{
		Numbers: []string{"100"}, OperatorKey: "0", Operator: for200, AssistanceKey: "9", Tries: 3,
		KeyTimeout: 10 * time.Second, Greeting: p.MenuGreeting,
		Choices: []callcare.MenuChoice{
			{Key: "1", Do: callcare.ChoiceAppointment, Sound: p.MenuAppointment},
			{Key: "2", Do: callcare.ChoiceMatters, Sound: p.MenuMatters},
			{Key: "3", Do: callcare.ChoiceRing, Target: for200, Sound: p.MenuCase},
		},
		Matters: []callcare.Matter{
			{Name: "Podatek od nieruchomości", Key: "1", Department: "300", Sound: "office/matter-tax", Description: "office/matter-tax-about"},
			{Name: "Rejestracja pojazdu", Key: "2", Department: "400", Sound: "office/matter-car"},
		},
		Appointments: callcare.Appointments{MayorKey: "0", Mayor: "200", RemindDaysBefore: 1},
	}}
	rules := testRules
	rules.Retry = []policy.Retry{{After: time.Minute}}
	s.Notices = policy.NoticeSettings{Procedure: testProc, Rules: rules, Prompts: p, KeyTimeout: 10 * time.Second,
		Dial: "PJSIP/{number}@trunk", CallerID: "48856000100", RemindDaysBefore: 1}
	s.NoticesAtOnce = 2
	s.Session.RemindDaysBefore = 1
	return s
}

func (e *env) matterStores() ari.Stores {
	return ari.Stores{Calls: e.db, Callbacks: e.db, Queue: e.db, Notices: e.db}
}

func startMatters(t testing.TB) *env {
	t.Helper()
	e := newEnv(t)
	e.run(t, matterSettings(), e.matterStores())
	return e
}

// menuCaller dials the main number, 100, which the dialplan sends to the
// menu.
func menuCaller(script ...pbxsim.Action) pbxsim.Caller {
	return pbxsim.Caller{Number: "48600100200", Exten: "100", Args: []string{"menu", "100"}, Script: script}
}

func hangupAt(at time.Duration) pbxsim.Action { return pbxsim.Action{At: at, Do: pbxsim.Hangup} }

// TestP32_KeyDuringTheGreeting: the caller presses 3 while the choices are
// said: the prompt stops there (the service stops it: a key does not, on
// Asterisk) and the secretariat rings by the procedure; Anna answers.
func TestP32_KeyDuringTheGreeting(t *testing.T) {
	t.Parallel()
	e := startMatters(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(10 * time.Second)})
	call := e.call(t, menuCaller(press(3*time.Second, "3")))
	e.advance(t, time.Minute)
	rec := e.record(t, call)
	if rec.Outcome != callcare.OutcomeAnswered || rec.AnsweredBy != "anowak" || rec.Target != for200 || rec.Dialed != "100" || rec.AnsweredRing != 1 {
		t.Errorf("record %+v", rec)
	}
	heard := call.Heard()
	if !slices.Contains(heard, "sound:callcare/menu-greeting") || slices.Contains(heard, "sound:callcare/menu-operator") {
		t.Errorf("heard %v: want the greeting, and the choices cut at the key", heard)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP32_MatterDescribedThenConnected: 2, then the matter's key: its
// description plays whole, then its department rings; Ewa answers.
func TestP32_MatterDescribedThenConnected(t *testing.T) {
	t.Parallel()
	e := startMatters(t)
	e.pbx.SetPhone("PJSIP/103", pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: talk(10 * time.Second)})
	e.pbx.SetPhone("PJSIP/104", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	call := e.call(t, menuCaller(press(3*time.Second, "2"), press(6*time.Second, "1")))
	e.advance(t, time.Minute)
	rec := e.record(t, call)
	if rec.Outcome != callcare.OutcomeAnswered || rec.AnsweredBy != "ezielinska" || rec.Target.ID != "300" {
		t.Errorf("record %+v", rec)
	}
	heard := strings.Join(call.Heard(), " ")
	if !strings.Contains(heard, "sound:office/matter-tax-about sound:beep") {
		t.Errorf("heard %v: want the description, then connecting", heard)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4a_MenuHandoverAdoptedAfterCrash: the menu has handed the caller
// over (its ringing tone plays, until stopped) and the first clerk rings
// when the service dies. Started again, it adopts the call where it was
// going, the menu's choice, not the operator its number reaches; stops
// the menu's tone, behind which Asterisk would hold the bridge and the
// goodbye for ever; and connects the clerk who answers (P4a). When the
// clerk hangs up, the caller hears goodbye and the record ends (P4l).
func TestP4a_MenuHandoverAdoptedAfterCrash(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		keys     []pbxsim.Action
		endpoint string
		clerk    callcare.ClerkID
		crashAt  time.Duration
	}{
		{"the operator's key", []pbxsim.Action{press(3*time.Second, "0")}, "PJSIP/101", "anowak", 5 * time.Second},
		{"a matter of a department the operator's chain never rings",
			[]pbxsim.Action{press(3*time.Second, "2"), press(6*time.Second, "2")}, "PJSIP/104", "jkowalski", 8 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := startMatters(t)
			e.pbx.SetPhone(tc.endpoint, pbxsim.Phone{RingAfter: 500 * time.Millisecond, AnswerAfter: 9 * time.Second, Script: talk(20 * time.Second)})
			call := e.call(t, menuCaller(tc.keys...))
			e.advance(t, tc.crashAt)
			e.stop()
			e.advance(t, 2*time.Second)
			e.run(t, matterSettings(), e.matterStores())
			e.advance(t, time.Minute)
			ended(t, call)
			rec := e.record(t, call)
			if rec.Outcome != callcare.OutcomeAnswered || rec.AnsweredBy != tc.clerk || rec.HungUpClerk != tc.clerk {
				t.Errorf("record %+v; want answered by %s, who hung up first", rec, tc.clerk)
			}
			if !slices.Contains(call.Heard(), "sound:callcare/goodbye") {
				t.Errorf("the caller heard %v, want goodbye after the clerk hung up", call.Heard())
			}
			if n := len(offersTo(e, tc.endpoint)); n != 1 || len(e.pbx.Offers()) != 1 {
				t.Errorf("%s rung %d times, %d offers in all; want the one ringing at the crash", tc.endpoint, n, len(e.pbx.Offers()))
			}
			heardNoSilence(t, call)
			e.settled(t) // nothing held behind a playback
		})
	}
}

// TestP32_MatterNobodyAnswers: the matter's department does not answer;
// the caller presses 1 and leaves a few words for its callback.
func TestP32_MatterNobodyAnswers(t *testing.T) {
	t.Parallel()
	e := startMatters(t)
	e.pbx.SetPhone("PJSIP/104", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	call := e.call(t, menuCaller(press(3*time.Second, "2"), press(5*time.Second, "2"), press(30*time.Second, "1"), press(40*time.Second, "#")))
	e.advance(t, time.Minute)
	rec := e.record(t, call)
	if rec.Outcome != callcare.OutcomeMissed || rec.Target.ID != "400" {
		t.Errorf("record %+v", rec)
	}
	tk := e.task(t, "48600100200")
	if tk.Kind != callcare.KindCallback || tk.Target.ID != "400" || tk.Reason != callcare.ReasonRequested || tk.Note == "" {
		t.Errorf("task %+v: want the department's callback with the note", tk)
	}
	if heard := call.Heard(); !slices.Contains(heard, "sound:callcare/nobody-leave-note") || !slices.Contains(heard, "sound:callcare/callback-thanks") {
		t.Errorf("heard %v", heard)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP32_AppointmentRequest: 1, then Jan's extension; Jan does not
// answer: an appointment request waits in his queue, read out as such;
// he calls back, agrees a meeting and records it by keys; its reminder is
// set for the day before.
func TestP32_AppointmentRequest(t *testing.T) {
	t.Parallel()
	e := startMatters(t)
	ctx := context.Background()
	e.pbx.SetPhone("PJSIP/104", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	call := e.call(t, menuCaller(press(3*time.Second, "1"), press(8*time.Second, "104")))
	e.advance(t, time.Minute)
	rec := e.record(t, call)
	if rec.Outcome != callcare.OutcomeMissed || rec.Target.ID != "jkowalski" {
		t.Errorf("record %+v", rec)
	}
	if heard := call.Heard(); !slices.Contains(heard, "sound:callcare/appointment-taken") {
		t.Errorf("heard %v", heard)
	}
	tk := e.task(t, "48600100200")
	if tk.Kind != callcare.KindAppointment || tk.Target.ID != "jkowalski" || tk.Reason != callcare.ReasonMissed {
		t.Fatalf("task %+v: want an appointment request for Jan", tk)
	}

	// Jan at the desk phone: the request is read out as such; he calls the
	// citizen, then 5 and the 26th at 10:30.
	e.pbx.SetPhone("PJSIP/104", pbxsim.Phone{AnswerAfter: time.Second})
	e.pbx.SetPhone(citizen, pbxsim.Phone{AnswerAfter: 5 * time.Second, Script: talk(10 * time.Second)})
	clerk := e.call(t, deskPhone("PJSIP/104", press(readOut+2*time.Second, "1"), press(44*time.Second, "5"), press(50*time.Second, "261030")))
	e.advance(t, 2*time.Minute)
	ended(t, clerk)
	heard := strings.Join(clerk.Heard(), " ")
	if !strings.Contains(heard, "sound:callcare/appointment-request sound:callcare/callback-from") ||
		!strings.Contains(heard, "sound:callcare/callback-outcome sound:callcare/meeting-press-5") ||
		!strings.Contains(heard, "sound:callcare/meeting-agreed-for sound:digits/day-4") {
		t.Errorf("Jan heard %v", heard)
	}
	got, _ := e.db.Callback(ctx, tk.ID)
	meeting := time.Date(2026, 11, 26, 10, 30, 0, 0, time.UTC)
	if got.Status != callcare.CallbackDone || got.Resolution != callcare.ResolvedMeeting || !got.MeetingAt.Equal(meeting) {
		t.Errorf("request %+v: want closed with the meeting of the 26th, 10:30", got)
	}
	reminders, _ := e.db.Notices(ctx, callcare.NoticeFilter{Kind: callcare.KindReminder})
	if len(reminders) != 1 || reminders[0].OfTask != tk.ID || !reminders[0].NextAttemptAt.Equal(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("reminders %+v: want one, the day before", reminders)
	}
	e.settled(t)
	e.quiet(t)
}

// addNotice puts a documents-ready notice in the store, as the command
// line or the desk phone does.
func (e *env) addNotice(t testing.TB, caseRef string) callcare.CallbackTask {
	t.Helper()
	n, err := e.db.AddNotice(context.Background(), callcare.CallbackTask{Kind: callcare.KindDocuments, Number: "48600100200",
		Case: caseRef, Target: callcare.Target{Kind: callcare.TargetClerk, ID: "pwisniewski"}, FirstAt: e.clk.Now(), Status: callcare.CallbackOpen})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func noticeLeg(n callcare.CallbackTask, attempt int) string {
	return fmt.Sprintf("notice-%d-%d-citizen", n.ID, attempt)
}

// TestP32_DocumentsReadyConfirmedByKey: the service calls the citizen with
// the office's number; the citizen hears who calls, presses 1, and only
// then hears the case number and where to collect the documents.
func TestP32_DocumentsReadyConfirmedByKey(t *testing.T) {
	t.Parallel()
	e := startMatters(t)
	ctx := context.Background()
	e.pbx.SetPhone(citizen, pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: []pbxsim.Action{press(4*time.Second, "1"), hangupAt(30 * time.Second)}})
	n := e.addNotice(t, "2611")
	e.advance(t, time.Minute)
	got, _ := e.db.Callback(ctx, n.ID)
	if got.Status != callcare.CallbackDone || got.Resolution != callcare.ResolvedConfirmed {
		t.Errorf("notice %+v: want confirmed", got)
	}
	if atts, _ := e.db.CallbackAttempts(ctx, n.ID); len(atts) != 1 || atts[0].Result != callcare.AttemptConfirmed || atts[0].Clerk != callcare.Notifier {
		t.Errorf("attempts %+v", atts)
	}
	if offers := offersTo(e, citizen); len(offers) != 1 || offers[0].CallerID != "48856000100" {
		t.Errorf("offers %+v: want one call showing the office's number", offers)
	}
	heard := strings.Join(e.pbx.Heard(noticeLeg(n, 1)), " ")
	want := "sound:callcare/notice-intro sound:callcare/documents-ready sound:callcare/notice-case sound:digits/2 sound:digits/6 sound:digits/1 sound:digits/1 sound:callcare/documents-where"
	if !strings.Contains(heard, want) {
		t.Errorf("the citizen heard %q, want %q", heard, want)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4e_AnsweringMachineHearsNothingOfTheMatter: a silent line answers
// every attempt: it hears only who calls and the question, twice; nothing
// of the case; the attempt is not confirmed and tried again by the
// schedule, until the notice is unreachable.
func TestP4e_AnsweringMachineHearsNothingOfTheMatter(t *testing.T) {
	t.Parallel()
	e := startMatters(t)
	ctx := context.Background()
	e.pbx.SetPhone(citizen, pbxsim.Phone{AnswerAfter: 2 * time.Second})
	n := e.addNotice(t, "2611")
	e.advance(t, time.Minute)
	got, _ := e.db.Callback(ctx, n.ID)
	if got.Status != callcare.CallbackOpen || got.Attempts != 1 || got.NextAttemptAt.IsZero() {
		t.Fatalf("after the first attempt: %+v, want open and waiting to try again", got)
	}
	e.advance(t, 5*time.Minute) // retried a minute after each
	got, _ = e.db.Callback(ctx, n.ID)
	if got.Status != callcare.CallbackDone || got.Resolution != callcare.ResolvedUnreachable {
		t.Errorf("notice %+v: want unreachable after the attempts", got)
	}
	atts, _ := e.db.CallbackAttempts(ctx, n.ID)
	if len(atts) != 3 {
		t.Fatalf("attempts %+v, want 3", atts)
	}
	for i, a := range atts {
		if a.Result != callcare.AttemptNotConfirmed {
			t.Errorf("attempt %d: %s", i+1, a.Result)
		}
		// The question twice, each followed by the reminder a silence
		// brings (no dead line, P4p): nothing of the matter (P4e).
		heard := e.pbx.Heard(noticeLeg(n, i+1))
		want := []string{"sound:callcare/notice-intro", "sound:callcare/key-reminder", "sound:callcare/notice-intro", "sound:callcare/key-reminder"}
		if !slices.Equal(heard, want) {
			t.Errorf("attempt %d: the answering machine heard %v, want %v", i+1, heard, want)
		}
	}
	e.settled(t)
	e.quiet(t)
}

// TestP32_NoticeNoAnswerAndBusyAreRetried: the citizen's phone does not
// answer, then is busy, then answers and the citizen confirms.
func TestP32_NoticeNoAnswerAndBusyAreRetried(t *testing.T) {
	t.Parallel()
	e := startMatters(t)
	ctx := context.Background()
	e.pbx.SetPhone(citizen, pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	n := e.addNotice(t, "7")
	e.advance(t, time.Minute)
	e.pbx.SetPhone(citizen, pbxsim.Phone{Mode: pbxsim.Busy})
	e.advance(t, time.Minute)
	e.pbx.SetPhone(citizen, pbxsim.Phone{AnswerAfter: time.Second, Script: []pbxsim.Action{press(2*time.Second, "1"), hangupAt(20 * time.Second)}})
	e.advance(t, 2*time.Minute)
	atts, _ := e.db.CallbackAttempts(ctx, n.ID)
	var results []string
	for _, a := range atts {
		results = append(results, string(a.Result))
	}
	if strings.Join(results, " ") != "no_answer busy confirmed" {
		t.Errorf("attempts %v", results)
	}
	if got, _ := e.db.Callback(ctx, n.ID); got.Resolution != callcare.ResolvedConfirmed {
		t.Errorf("notice %+v", got)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP32_NoticeTalkToTheClerk: after the message the citizen presses 2:
// the clerk who sent it rings by the procedure and answers.
func TestP32_NoticeTalkToTheClerk(t *testing.T) {
	t.Parallel()
	e := startMatters(t)
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: talk(10 * time.Second)})
	e.pbx.SetPhone(citizen, pbxsim.Phone{AnswerAfter: time.Second, Script: []pbxsim.Action{press(2*time.Second, "1"), press(6*time.Second, "2")}})
	n := e.addNotice(t, "7")
	e.advance(t, time.Minute)
	rec, err := e.db.Call(context.Background(), noticeLeg(n, 1))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Outcome != callcare.OutcomeAnswered || rec.AnsweredBy != "pwisniewski" || rec.CallerID != "48600100200" || rec.Dialed != "102" {
		t.Errorf("record %+v", rec)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP32_DocumentsCodeFromTheDeskPhone: Piotr dials the feature code,
// keys in the citizen's number and the case, hears them back and presses
// 1; the service calls the citizen within the second.
func TestP32_DocumentsCodeFromTheDeskPhone(t *testing.T) {
	t.Parallel()
	e := startMatters(t)
	ctx := context.Background()
	e.pbx.SetPhone(citizen, pbxsim.Phone{AnswerAfter: time.Second, Script: []pbxsim.Action{press(2*time.Second, "1"), hangupAt(20 * time.Second)}})
	clerk := e.call(t, pbxsim.Caller{Number: "102", Exten: "*72", Endpoint: "PJSIP/102", Args: []string{"documents", "PJSIP/102"},
		Script: []pbxsim.Action{press(3*time.Second, "600100200#"), press(12*time.Second, "7732#"), press(35*time.Second, "1")}})
	e.advance(t, 2*time.Minute)
	ended(t, clerk)
	ns, _ := e.db.Notices(ctx, callcare.NoticeFilter{})
	if len(ns) != 1 || ns[0].Number != "48600100200" || ns[0].Case != "7732" || ns[0].Target.ID != "pwisniewski" || ns[0].Resolution != callcare.ResolvedConfirmed {
		t.Fatalf("notices %+v: want Piotr's, confirmed", ns)
	}
	heard := strings.Join(clerk.Heard(), " ")
	if !strings.Contains(heard, "sound:callcare/notice-for sound:digits/4 sound:digits/8 sound:digits/6") || !strings.Contains(heard, "sound:callcare/notice-queued") {
		t.Errorf("Piotr heard %v", heard)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP32_Reminder: the day before a meeting the citizen is called; after
// the 1 they hear the meeting's day, date and time.
func TestP32_Reminder(t *testing.T) {
	t.Parallel()
	e := startMatters(t)
	ctx := context.Background()
	e.pbx.SetPhone(citizen, pbxsim.Phone{AnswerAfter: time.Second, Script: []pbxsim.Action{press(2*time.Second, "1"), hangupAt(25 * time.Second)}})
	req := e.openTask(t, "48600100200", callcare.Target{Kind: callcare.TargetClerk, ID: "jkowalski"}, 1)
	meeting := time.Date(2026, 11, 25, 10, 30, 0, 0, time.UTC)
	// Recorded from the command line: the appointment is not one yet.
	if _, _, err := e.db.AgreeMeeting(ctx, req.ID, meeting, "admin", e.clk.Now(), e.clk.Now()); callcare.ErrorCode(err) != callcare.EINVALID {
		t.Fatalf("a meeting on a callback: %v", err)
	}
	appt, _, err := e.db.MissedCall(ctx, callcare.CallbackTask{Kind: callcare.KindAppointment, Number: "48600100201", Target: req.Target,
		Reason: callcare.ReasonMissed, FirstAt: e.clk.Now(), Status: callcare.CallbackOpen})
	if err != nil {
		t.Fatal(err)
	}
	e.pbx.SetPhone("PJSIP/48600100201@trunk", pbxsim.Phone{AnswerAfter: time.Second, Script: []pbxsim.Action{press(2*time.Second, "1"), hangupAt(25 * time.Second)}})
	r, ok, err := e.db.AgreeMeeting(ctx, appt.ID, meeting, "admin", e.clk.Now(), e.clk.Now())
	if err != nil || !ok {
		t.Fatalf("agree: %v %v", ok, err)
	}
	e.advance(t, time.Minute)
	got, _ := e.db.Callback(ctx, r.ID)
	if got.Resolution != callcare.ResolvedConfirmed {
		t.Errorf("reminder %+v", got)
	}
	heard := strings.Join(e.pbx.Heard(noticeLeg(r, 1)), " ")
	if !strings.Contains(heard, "sound:callcare/meeting-reminder sound:digits/day-3 sound:digits/h-20 sound:digits/h-5 sound:digits/mon-10 sound:digits/t-10 sound:digits/30") {
		t.Errorf("the citizen heard %q", heard)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP32_NoticeCrash: the service dies while the citizen's phone rings
// (kill -9): the attempt was journaled before the dial, so the next run
// hangs the phone up, records the attempt as interrupted and never dials
// it again; the schedule tries once more later.
func TestP32_NoticeCrash(t *testing.T) {
	t.Parallel()
	e := startMatters(t)
	ctx := context.Background()
	e.pbx.SetPhone(citizen, pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	n := e.addNotice(t, "7")
	e.advance(t, 5*time.Second)
	if len(offersTo(e, citizen)) != 1 {
		t.Fatal("the citizen was not dialed")
	}
	e.stop()
	e.advance(t, 2*time.Second)
	e.run(t, matterSettings(), e.matterStores())
	e.settle(t)
	atts, _ := e.db.CallbackAttempts(ctx, n.ID)
	if len(atts) != 1 || atts[0].Result != callcare.AttemptInterrupted || len(offersTo(e, citizen)) != 1 {
		t.Fatalf("after the restart: attempts %+v, %d offers; want one interrupted, dialed once", atts, len(offersTo(e, citizen)))
	}
	e.pbx.SetPhone(citizen, pbxsim.Phone{AnswerAfter: time.Second, Script: []pbxsim.Action{press(2*time.Second, "1"), hangupAt(20 * time.Second)}})
	e.advance(t, 2*time.Minute)
	if got, _ := e.db.Callback(ctx, n.ID); got.Resolution != callcare.ResolvedConfirmed {
		t.Errorf("notice %+v: want confirmed on the retry", got)
	}
	e.settled(t)
}

// TestP32_HangupInEveryPrompt: a caller or citizen who hangs up in the
// middle of each prompt leaves no playback, channel or bridge behind, and
// every record and task as it must be.
func TestP32_HangupInEveryPrompt(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		script []pbxsim.Action
		want   func(t *testing.T, e *env, rec callcare.CallRecord)
	}{
		{"the greeting", []pbxsim.Action{hangupAt(time.Second)}, abandonedTo("200", callcare.KindCallback)},
		{"the choices", []pbxsim.Action{hangupAt(10 * time.Second)}, abandonedTo("200", callcare.KindCallback)},
		{"the matters", []pbxsim.Action{press(3*time.Second, "2"), hangupAt(6 * time.Second)}, abandonedTo("200", callcare.KindCallback)},
		{"a matter's description", []pbxsim.Action{press(3*time.Second, "2"), press(5*time.Second, "1"), hangupAt(8 * time.Second)}, abandonedTo("300", callcare.KindCallback)},
		{"the person's choices", []pbxsim.Action{press(3*time.Second, "1"), hangupAt(5 * time.Second)}, abandonedTo("200", callcare.KindCallback)},
		{"an unknown key's answer", []pbxsim.Action{press(3*time.Second, "7"), hangupAt(4 * time.Second)}, abandonedTo("200", callcare.KindCallback)},
		{"connecting", []pbxsim.Action{press(3*time.Second, "1"), press(5*time.Second, "104"), hangupAt(7 * time.Second)}, abandonedTo("jkowalski", callcare.KindAppointment)},
		{"the assistance's answer", []pbxsim.Action{press(3*time.Second, "9"), hangupAt(5 * time.Second)}, func(t *testing.T, e *env, rec callcare.CallRecord) {
			abandonedTo("200", callcare.KindCallback)(t, e, rec)
			if tk := e.task(t, "48600100200"); rec.Needs != callcare.NeedsMenu || tk.Priority != callcare.PrioritySpecialNeeds {
				t.Errorf("needs %q, task %+v: want flagged, first", rec.Needs, tk)
			}
		}},
		{"the offer of a note", []pbxsim.Action{press(3*time.Second, "2"), press(5*time.Second, "2"), hangupAt(24 * time.Second)}, func(t *testing.T, e *env, rec callcare.CallRecord) {
			if tk := e.task(t, "48600100200"); rec.Outcome != callcare.OutcomeMissed || tk.Reason != callcare.ReasonMissed || tk.Target.ID != "400" {
				t.Errorf("record %+v, task %+v", rec, tk)
			}
		}},
	} {
		t.Run("menu/"+tc.name, func(t *testing.T) {
			t.Parallel()
			e := startMatters(t)
			for _, p := range []string{"PJSIP/101", "PJSIP/102", "PJSIP/103", "PJSIP/104"} {
				e.pbx.SetPhone(p, pbxsim.Phone{Mode: pbxsim.NeverAnswers})
			}
			call := e.call(t, menuCaller(tc.script...))
			e.advance(t, time.Minute)
			ended(t, call)
			tc.want(t, e, e.record(t, call))
			e.settled(t)
			e.quiet(t)
		})
	}
	for _, tc := range []struct {
		name   string
		script []pbxsim.Action
		result callcare.AttemptResult
		closed callcare.Resolution
	}{
		{"the question", []pbxsim.Action{hangupAt(3 * time.Second)}, callcare.AttemptNotConfirmed, ""},
		{"the message", []pbxsim.Action{press(2*time.Second, "1"), hangupAt(5 * time.Second)}, callcare.AttemptConfirmed, callcare.ResolvedConfirmed},
		{"the choices again", []pbxsim.Action{press(2*time.Second, "1"), press(4*time.Second, "7"), hangupAt(5 * time.Second)}, callcare.AttemptConfirmed, callcare.ResolvedConfirmed},
		{"the apology", []pbxsim.Action{press(2*time.Second, "2"), hangupAt(3 * time.Second)}, callcare.AttemptRefused, callcare.ResolvedRefused},
		{"connecting to the clerk", []pbxsim.Action{press(2*time.Second, "1"), press(4*time.Second, "2"), hangupAt(6 * time.Second)}, callcare.AttemptConfirmed, callcare.ResolvedConfirmed},
	} {
		t.Run("notice/"+tc.name, func(t *testing.T) {
			t.Parallel()
			e := startMatters(t)
			ctx := context.Background()
			e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
			e.pbx.SetPhone(citizen, pbxsim.Phone{AnswerAfter: time.Second, Script: tc.script})
			n := e.addNotice(t, "7")
			e.advance(t, 30*time.Second)
			atts, _ := e.db.CallbackAttempts(ctx, n.ID)
			got, _ := e.db.Callback(ctx, n.ID)
			if len(atts) != 1 || atts[0].Result != tc.result || got.Resolution != tc.closed || got.ClaimedBy != "" {
				t.Errorf("attempts %+v, notice %+v: want %s, closed %q, not claimed", atts, got, tc.result, tc.closed)
			}
			e.settled(t)
			e.quiet(t)
		})
	}
	for _, tc := range []struct {
		name   string
		script []pbxsim.Action
	}{
		{"asking for the number", []pbxsim.Action{hangupAt(2 * time.Second)}},
		{"asking for the case", []pbxsim.Action{press(time.Second, "600100200#"), hangupAt(8 * time.Second)}},
		{"saying it back", []pbxsim.Action{press(time.Second, "600100200#"), press(9*time.Second, "7#"), hangupAt(13 * time.Second)}},
	} {
		t.Run("documents code/"+tc.name, func(t *testing.T) {
			t.Parallel()
			e := startMatters(t)
			clerk := e.call(t, pbxsim.Caller{Number: "102", Exten: "*72", Endpoint: "PJSIP/102", Args: []string{"documents", "PJSIP/102"}, Script: tc.script})
			e.advance(t, 30*time.Second)
			ended(t, clerk)
			if ns, _ := e.db.Notices(context.Background(), callcare.NoticeFilter{}); len(ns) != 0 {
				t.Errorf("notices %+v: nothing was sent", ns)
			}
			e.settled(t)
			e.quiet(t)
		})
	}
}

// abandonedTo: the caller gave up before anyone answered; the task is
// target's, of kind.
func abandonedTo(target string, kind callcare.TaskKind) func(t *testing.T, e *env, rec callcare.CallRecord) {
	return func(t *testing.T, e *env, rec callcare.CallRecord) {
		t.Helper()
		tk := e.task(t, "48600100200")
		if rec.Outcome != callcare.OutcomeAbandoned || rec.HungUpBy != callcare.PartyCaller || tk.Target.ID != target || tk.Kind != kind || tk.Reason != callcare.ReasonAbandoned {
			t.Errorf("record %+v, task %+v: want abandoned, called back by %s (%s)", rec, tk, target, kind)
		}
	}
}

// TestP32_MenuCallerAfterACrash: the service dies while a caller is in the
// menu; the next run adopts the call as one for the menu's operator and
// hands it to the dialplan's fallback, which rings a person: never left
// in the menu, never hung up.
func TestP32_MenuCallerAfterACrash(t *testing.T) {
	t.Parallel()
	e := startMatters(t)
	call := e.call(t, menuCaller())
	e.advance(t, 3*time.Second)
	e.stop()
	e.advance(t, 2*time.Second)
	e.run(t, matterSettings(), e.matterStores())
	e.advance(t, 60*time.Second)
	ended(t, call)
	rec := e.record(t, call)
	if rec.Outcome != callcare.OutcomeFallback || rec.Target != for200 || len(tasksOf(t, e, "48600100200")) != 1 {
		t.Errorf("record %+v: want handed to the fallback, with the secretariat's callback", rec)
	}
	// The dead run's prompt plays to its end first: Asterisk holds the
	// hand-over behind it, and its id is not known to this run.
	if n := e.pbx.Stats().RequestsByPath["POST /channels/{channelId}/continue"]; n != 1 {
		t.Errorf("%d continues, want one to the fallback", n)
	}
	e.settled(t)
}
