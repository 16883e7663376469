package ari_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/pbxsim"
)

const citizen = "PJSIP/48600100200@trunk" // how the service dials 48600100200

// task is the open callback task of number, which must exist by now.
func (e *env) task(t testing.TB, number callcare.Number) callcare.CallbackTask {
	t.Helper()
	ts, err := e.db.Callbacks(context.Background(), callcare.CallbackFilter{Number: number})
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) == 0 {
		t.Fatalf("no callback task for %s by %s", number, e.clk.Now().Format("15:04:05"))
	}
	return ts[0]
}

// closed is task id, which must be closed by now.
func (e *env) closed(t testing.TB, id int64) callcare.CallbackTask {
	t.Helper()
	tk, err := e.db.Callback(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Status != callcare.CallbackDone {
		t.Fatalf("task %d still open by %s: %+v", id, e.clk.Now().Format("15:04:05"), tk)
	}
	return tk
}

var (
	forAnna = callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"}
	for200  = callcare.Target{Kind: callcare.TargetDepartment, ID: "200"}
)

// openTask puts a callback task in the store, as a missed call leaves it.
func (e *env) openTask(t testing.TB, number callcare.Number, target callcare.Target, tries int) callcare.CallbackTask {
	t.Helper()
	now := e.clk.Now()
	tk, _, err := e.db.MissedCall(context.Background(), callcare.CallbackTask{Number: number, Dialed: target.ID,
		Target: target, Reason: callcare.ReasonMissed, FirstAt: now, LastAt: now, Tries: tries,
		Due: now.Add(time.Hour), Status: callcare.CallbackOpen})
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// deskPhone is a clerk dialing the feature code: the dialplan passes the
// endpoint Asterisk authenticated.
func deskPhone(endpoint string, keys ...pbxsim.Action) pbxsim.Caller {
	return pbxsim.Caller{Number: "101", Exten: "*70", Endpoint: endpoint, Args: []string{"clerk", endpoint}, Script: keys}
}

func press(at time.Duration, digits string) pbxsim.Action {
	return pbxsim.Action{At: at, Do: pbxsim.PressKeys, Digits: digits}
}

func offersTo(e *env, endpoint string) []pbxsim.Offer {
	var out []pbxsim.Offer
	for _, o := range e.pbx.Offers() {
		if o.Endpoint == endpoint {
			out = append(out, o)
		}
	}
	return out
}

// A clerk at the desk phone hears "you have 1" and the task (the number
// digit by digit, when, how many tries, the menu): about 16 s, then 10 s
// to press a key. readOut is a moment in those 10 s.
const readOut = 20 * time.Second

// TestP4c_MissedCallsBecomeOneTask: every missed call is a task at once;
// a second one from the same number adds a try to it; an anonymous caller
// cannot be called back; a later answered call closes it.
func TestP4c_MissedCallsBecomeOneTask(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.Busy})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{Mode: pbxsim.Busy})
	for _, c := range []pbxsim.Caller{
		{Number: "48600100200", Exten: "101"},
		{Number: "+48 600 100 200", Exten: "101", HangupAfter: 2 * time.Second},
		{Number: "anonymous", Exten: "101"},
	} {
		call := e.call(t, c)
		e.advance(t, 30*time.Second)
		e.record(t, call)
	}
	tk := e.task(t, "48600100200")
	if tk.Tries != 2 || tk.Target.ID != "anowak" || tk.Status != callcare.CallbackOpen || tk.Reason != callcare.ReasonMissed {
		t.Errorf("task %+v", tk)
	}
	if all, _ := e.db.Callbacks(context.Background(), callcare.CallbackFilter{}); len(all) != 1 {
		t.Errorf("%d tasks, want 1 (none for the anonymous caller)", len(all))
	}
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(10 * time.Second)})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, 30*time.Second)
	e.record(t, call)
	if got := e.closed(t, tk.ID); got.Resolution != callcare.ResolvedGotThrough {
		t.Errorf("closed as %q", got.Resolution)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4c_ClerkWorksTheQueueFromTheDeskPhone: the clerk dials the feature
// code, hears the task read out, presses 1; the citizen is dialed showing
// the office's number, answers, talks, hangs up; the clerk says nothing at
// the outcome question, so the callback counts as reached.
func TestP4c_ClerkWorksTheQueueFromTheDeskPhone(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	ctx := context.Background()
	tk := e.openTask(t, "48600100200", forAnna, 2)
	e.pbx.SetPhone(citizen, pbxsim.Phone{AnswerAfter: 5 * time.Second, Script: talk(30 * time.Second)})
	// The count and the task (number, when, tries) are read out in full
	// first.
	clerk := e.call(t, deskPhone("PJSIP/101", press(readOut, "1")))
	e.advance(t, 2*time.Minute)
	done := e.closed(t, tk.ID)
	if done.Resolution != callcare.ResolvedReached {
		t.Errorf("closed as %q", done.Resolution)
	}
	atts, _ := e.db.CallbackAttempts(ctx, tk.ID)
	if len(atts) != 1 || atts[0].Result != callcare.AttemptReached || atts[0].Clerk != "anowak" {
		t.Errorf("attempts %+v", atts)
	}
	offers := offersTo(e, citizen)
	if len(offers) != 1 || offers[0].CallerID != "48856000100" {
		t.Errorf("the citizen was offered %+v, want one call showing the office's number", offers)
	}
	ended(t, clerk)
	heard := strings.Join(clerk.Heard(), " ")
	number := "sound:digits/4 sound:digits/8 sound:digits/6 sound:digits/0 sound:digits/0 sound:digits/1 sound:digits/0 sound:digits/0 sound:digits/2 sound:digits/0 sound:digits/0"
	if !strings.Contains(heard, number) || !strings.Contains(heard, "sound:digits/2 sound:callcare/tries") {
		t.Errorf("the clerk heard %v, want the number digit by digit and the tries", heard)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4l_CalledBackCitizenHearsGoodbye: the clerk who called a citizen
// back hangs up first; the citizen hears goodbye before the line ends,
// never a dead line.
func TestP4l_CalledBackCitizenHearsGoodbye(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	tk := e.openTask(t, "48600100200", forAnna, 2)
	e.pbx.SetPhone(citizen, pbxsim.Phone{AnswerAfter: 5 * time.Second}) // talks until hung up
	clerk := e.call(t, deskPhone("PJSIP/101", press(readOut, "1"), pbxsim.Action{At: readOut + 40*time.Second, Do: pbxsim.Hangup}))
	e.advance(t, 2*time.Minute)
	if done := e.closed(t, tk.ID); done.Resolution != callcare.ResolvedReached {
		t.Errorf("closed as %q", done.Resolution)
	}
	ended(t, clerk)
	offers := offersTo(e, citizen)
	if len(offers) != 1 {
		t.Fatalf("the citizen was offered %+v, want one call", offers)
	}
	if heard := e.pbx.Heard(offers[0].Channel); !slices.Contains(heard, "sound:callcare/goodbye") {
		t.Errorf("the citizen heard %v, want goodbye after the clerk hung up", heard)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4c_TwoClerksNeverGetTheSameTask: two clerks of a department press
// "next" at the same moment; each gets a task of their own.
func TestP4c_TwoClerksNeverGetTheSameTask(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	var ids []int64
	for _, n := range []string{"48600000001", "48600000002"} {
		ids = append(ids, e.openTask(t, callcare.Number(n), for200, 1).ID)
	}
	var clerks []*pbxsim.Call
	for _, ep := range []string{"PJSIP/101", "PJSIP/102"} { // at once: no settling between
		c := deskPhone(ep, press(readOut, "3"))
		c.App = "callcare"
		call, err := e.pbx.Call(c)
		if err != nil {
			t.Fatal(err)
		}
		clerks = append(clerks, call)
	}
	e.advance(t, time.Minute)
	for _, c := range clerks {
		ended(t, c)
	}
	by := map[string]bool{}
	for _, id := range ids {
		tk := e.closed(t, id)
		by[tk.ClosedBy] = true
	}
	if !by["anowak"] || !by["pwisniewski"] {
		t.Errorf("tasks closed by %v, want one each", by)
	}
	e.settled(t)
}

// TestP4c_SilentClerkChangesNothing: a clerk who presses nothing hears the
// menu twice and the line ends; the task waits as it was.
func TestP4c_SilentClerkChangesNothing(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	ctx := context.Background()
	tk := e.openTask(t, "48600100200", forAnna, 1)
	clerk := e.call(t, deskPhone("PJSIP/101"))
	e.advance(t, 2*time.Minute)
	ended(t, clerk)
	got, _ := e.db.Callback(ctx, tk.ID)
	if got.Status != callcare.CallbackOpen || got.Attempts != 0 || got.ClaimedBy != "" {
		t.Errorf("after a silent session: %+v", got)
	}
	if menus := strings.Count(strings.Join(clerk.Heard(), " "), "callcare/callback-menu"); menus != 2 {
		t.Errorf("the menu was heard %d times, want twice", menus)
	}
	if len(offersTo(e, citizen)) != 0 {
		t.Error("a citizen was dialed")
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4c_CitizensCannotReachTheFeatureCode: a phone that is no clerk's
// endpoint is hung up, and learns nothing.
func TestP4c_CitizensCannotReachTheFeatureCode(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	c := e.call(t, deskPhone("PJSIP/trunk"))
	e.advance(t, 5*time.Second)
	ended(t, c)
	if len(c.Heard()) != 0 {
		t.Errorf("a stranger heard %v", c.Heard())
	}
	e.settled(t)
}

func agreedTask(t *testing.T, e *env, at time.Time) callcare.CallbackTask {
	t.Helper()
	ctx := context.Background()
	tk := e.openTask(t, "48600100200", forAnna, 1)
	if err := e.db.Schedule(ctx, tk.ID, at); err != nil {
		t.Fatal(err)
	}
	return tk
}

// An agreed callback's clerk hears who and why (about 14 s) and presses 1.
const agreedReadOut = 15 * time.Second

// TestP4m_AgreedCallbackRingsTheClerkFirst: at the agreed minute the clerk's
// phone rings (within 2 s), the clerk hears what it is about (P4i) and
// presses 1; only then is the citizen dialed.
func TestP4m_AgreedCallbackRingsTheClerkFirst(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 5 * time.Second, Script: []pbxsim.Action{press(agreedReadOut, "1")}})
	e.pbx.SetPhone(citizen, pbxsim.Phone{AnswerAfter: 5 * time.Second, Script: talk(30 * time.Second)})
	agreed := epoch.Add(time.Minute)
	tk := agreedTask(t, e, agreed)
	e.advance(t, 3*time.Minute)
	if got := e.closed(t, tk.ID); got.Resolution != callcare.ResolvedReached {
		t.Errorf("closed as %q", got.Resolution)
	}
	clerk, cit := offersTo(e, "PJSIP/101"), offersTo(e, citizen)
	if len(clerk) != 1 || len(cit) != 1 {
		t.Fatalf("offers: clerk %v, citizen %v", clerk, cit)
	}
	if clerk[0].At.Before(agreed) || clerk[0].At.Sub(agreed) > 2*time.Second {
		t.Errorf("the clerk rang %s after the agreed time, want within 2 s", clerk[0].At.Sub(agreed))
	}
	if took := cit[0].At.Sub(clerk[0].At); took < 5*time.Second+agreedReadOut {
		t.Errorf("the citizen was dialed %s after the clerk's phone rang: before the clerk answered and pressed 1", took)
	}
	if clerk[0].CallerID != "48600100200" {
		t.Errorf("the clerk's phone showed %q, want the citizen's number", clerk[0].CallerID)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4m_AbsentClerkGoesToTheSubstitute: Anna does not answer in three
// rings; her substitute Piotr takes the callback.
func TestP4m_AbsentClerkGoesToTheSubstitute(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 5 * time.Second, Script: []pbxsim.Action{press(agreedReadOut, "1")}})
	e.pbx.SetPhone(citizen, pbxsim.Phone{AnswerAfter: 5 * time.Second, Script: talk(30 * time.Second)})
	tk := agreedTask(t, e, e.clk.Now())
	e.advance(t, 3*time.Minute)
	e.closed(t, tk.ID)
	atts, _ := e.db.CallbackAttempts(context.Background(), tk.ID)
	if len(atts) != 1 || atts[0].Clerk != "pwisniewski" {
		t.Errorf("attempts %+v, want one by the substitute", atts)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4m_NobodyTakesItIsOverdue: nobody answers: the task is marked
// overdue for the report and waits in the queue; no citizen is dialed.
func TestP4m_NobodyTakesItIsOverdue(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{Mode: pbxsim.Unavailable})
	tk := agreedTask(t, e, e.clk.Now())
	e.advance(t, 2*time.Minute)
	got, _ := e.db.Callback(context.Background(), tk.ID)
	if !got.Overdue || got.ClaimedBy != "" || got.Status != callcare.CallbackOpen { // marked, then released
		t.Errorf("task %+v, want overdue, released and open", got)
	}
	if len(offersTo(e, citizen)) != 0 {
		t.Error("a citizen was dialed")
	}
	e.settled(t)
}

// closeTheOffice: the office opens one minute after midnight only, so a
// test's call comes after hours.
func closeTheOffice(s *ari.Settings) {
	closed := callcare.OfficeHours{Location: time.UTC}
	for d := range closed.Week {
		closed.Week[d] = []callcare.Span{{From: 0, To: 1}}
	}
	s.Inbound.Rules.Hours = closed
}

// TestP4c_AfterHoursCallerLeavesANote: outside office hours the caller
// hears when the office opens, presses 1, says a few words ended by #; the
// task carries the note.
func TestP4c_AfterHoursCallerLeavesANote(t *testing.T) {
	t.Parallel()
	e := startEnvWith(t, func(s *ari.Settings) {
		closed := callcare.OfficeHours{Location: time.UTC}
		for d := range closed.Week {
			closed.Week[d] = []callcare.Span{{From: 0, To: 1}} // open one minute after midnight
		}
		s.Inbound.Rules.Hours = closed
	})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101",
		Script: []pbxsim.Action{press(8*time.Second, "1"), press(20*time.Second, "#")}})
	e.advance(t, time.Minute)
	rec := e.record(t, call)
	if rec.Outcome != callcare.OutcomeAfterHours {
		t.Errorf("outcome %s", rec.Outcome)
	}
	tk := e.task(t, "48600100200")
	if tk.Reason != callcare.ReasonRequested || tk.Note == "" {
		t.Errorf("task %+v, want a requested callback with a note", tk)
	}
	if heard := call.Heard(); !slices.Contains(heard, "sound:callcare/office-closed") || !slices.Contains(heard, "sound:callcare/callback-thanks") {
		t.Errorf("caller heard %v", heard)
	}
	// The note can be fetched for the clerk or the CLI...
	client := ari.NewClient(e.pbx.URL(), "callcare", "callcare", "callcare", time.Second)
	ctx := context.Background()
	if wav, err := client.RecordingFile(ctx, tk.Note); err != nil || !strings.HasPrefix(string(wav), "RIFF") {
		t.Errorf("fetch the note: %v (%d bytes)", err, len(wav))
	}
	// ...until the task has been closed longer than the retention (1 h):
	// then it is deleted from Asterisk and forgotten.
	if err := e.db.MarkDone(ctx, tk.ID, callcare.ResolvedReached, "anowak", e.clk.Now().Add(-2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	e.advance(t, 2*time.Second) // a tick of the scheduler
	if got, _ := e.db.Callback(ctx, tk.ID); got.Note != "" {
		t.Fatalf("the note outlived its retention: %+v", got)
	}
	if _, err := client.RecordingFile(ctx, tk.Note); !ari.IsNotFound(err) {
		t.Errorf("the note is still on Asterisk: %v", err)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4c_AfterHoursNoNumberLeavesNoNote: an anonymous caller after hours
// cannot be called back: they hear when the office opens and that they
// should call again, and the line ends. Their 1 records nothing: a voice
// note no task refers to would never be deleted from Asterisk (GDPR).
func TestP4c_AfterHoursNoNumberLeavesNoNote(t *testing.T) {
	t.Parallel()
	e := startEnvWith(t, closeTheOffice)
	call := e.call(t, pbxsim.Caller{Number: "anonymous", Exten: "101",
		Script: []pbxsim.Action{press(8*time.Second, "1"), press(20*time.Second, "#")}})
	e.advance(t, time.Minute)
	ended(t, call)
	if rec := e.record(t, call); rec.Outcome != callcare.OutcomeAfterHours || rec.HungUpBy != callcare.PartyService {
		t.Errorf("record %+v", rec)
	}
	heard := call.Heard()
	if !slices.Contains(heard, "sound:callcare/office-closed") || !slices.Contains(heard, "sound:callcare/call-again") {
		t.Errorf("heard %v, want the office closed and call again", heard)
	}
	for _, promise := range []string{"sound:callcare/press-1-callback", "sound:callcare/record-note", "sound:callcare/callback-thanks"} {
		if slices.Contains(heard, promise) {
			t.Errorf("heard %v: %s promises a callback nobody will make", heard, promise)
		}
	}
	if n := e.pbx.Stats().RequestsByPath["POST /channels/{channelId}/record"]; n != 0 {
		t.Errorf("%d recordings started", n)
	}
	if all, _ := e.db.Callbacks(context.Background(), callcare.CallbackFilter{}); len(all) != 0 {
		t.Errorf("tasks %+v", all)
	}
	e.settled(t)
}

// TestRetention_NoteGoesWithItsTask: with retention.notes 0s a voice note
// is deleted from Asterisk and forgotten as soon as its task is closed.
func TestRetention_NoteGoesWithItsTask(t *testing.T) {
	t.Parallel()
	e := startEnvWith(t, func(s *ari.Settings) {
		closed := callcare.OfficeHours{Location: time.UTC}
		for d := range closed.Week {
			closed.Week[d] = []callcare.Span{{From: 0, To: 1}}
		}
		s.Inbound.Rules.Hours = closed
		s.NoteRetention = 0
	})
	e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101",
		Script: []pbxsim.Action{press(8*time.Second, "1"), press(20*time.Second, "#")}})
	e.advance(t, time.Minute)
	tk := e.task(t, "48600100200")
	ctx := context.Background()
	e.advance(t, 5*time.Second) // ticks of the scheduler: an open task keeps its note
	if got, _ := e.db.Callback(ctx, tk.ID); tk.Note == "" || got.Note != tk.Note {
		t.Fatalf("task %+v: want its note while it is open", got)
	}
	if err := e.db.MarkDone(ctx, tk.ID, callcare.ResolvedReached, "anowak", e.clk.Now()); err != nil {
		t.Fatal(err)
	}
	e.advance(t, 2*time.Second)
	if got, _ := e.db.Callback(ctx, tk.ID); got.Note != "" {
		t.Fatalf("the note outlived its closed task: %+v", got)
	}
	client := ari.NewClient(e.pbx.URL(), "callcare", "callcare", "callcare", time.Second)
	if _, err := client.RecordingFile(ctx, tk.Note); !ari.IsNotFound(err) {
		t.Errorf("the note is still on Asterisk: %v", err)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4m_ClerkAgreesATimeFromThePhone: after talking with the citizen the
// clerk presses 4 and keys in 14:30; the task waits for that time.
func TestP4m_ClerkAgreesATimeFromThePhone(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	ctx := context.Background()
	now := e.clk.Now()
	tk := e.openTask(t, "48600100200", forAnna, 1)
	e.pbx.SetPhone(citizen, pbxsim.Phone{AnswerAfter: 5 * time.Second, Script: talk(10 * time.Second)})
	// 1 after the read-out; the citizen answers 5 s later and talks for
	// 10 s; 4 during the outcome question; the time after "enter the time".
	clerk := e.call(t, deskPhone("PJSIP/101", press(readOut, "1"), press(40*time.Second, "4"), press(45*time.Second, "1430")))
	e.advance(t, 2*time.Minute)
	ended(t, clerk)
	got, _ := e.db.Callback(ctx, tk.ID)
	if got.Status != callcare.CallbackOpen || got.AgreedAt.UTC().Format("15:04") != "14:30" || !got.AgreedAt.After(now) {
		t.Errorf("task %+v, want open with an agreed time of 14:30 ahead", got)
	}
	if atts, _ := e.db.CallbackAttempts(ctx, tk.ID); len(atts) != 1 || atts[0].Result != callcare.AttemptReached {
		t.Errorf("attempts %+v", atts)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4o_CallbackTransferred: Anna calls a citizen back from the queue
// and passes them on to Piotr with her phone's transfer key. The callback
// counts as reached; the citizen hears they are being transferred, never a
// goodbye; Piotr rings showing the citizen's number, hears who transfers
// and who calls, and is connected. The call log keeps the conversation
// with its transfer; no task is left for anybody.
func TestP4o_CallbackTransferred(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	tk := e.openTask(t, "48600100200", forAnna, 1)
	// The citizen answers at about 23 s, is passed on at 40 s, talks with
	// Piotr from about 50 s and hangs up at about 63 s.
	e.pbx.SetPhone(citizen, pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(40 * time.Second)})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(time.Minute)})
	e.call(t, deskPhone("PJSIP/101", press(readOut, "1"), transferKey(readOut+20*time.Second, "102"),
		pbxsim.Action{At: readOut + 21*time.Second, Do: pbxsim.Hangup}))
	e.advance(t, 2*time.Minute)

	callbackTransferred(t, e, tk)
	e.settled(t)
	e.quiet(t)
}

// callbackTransferred checks a callback Anna passed on to Piotr, who took
// it, and the citizen hung up: reached, Piotr rang showing the citizen's
// number and heard the whisper, the citizen heard they were being
// transferred and no goodbye, one call in the log with its transfer, no
// task left.
func callbackTransferred(t *testing.T, e *env, tk callcare.CallbackTask) {
	t.Helper()
	ctx := context.Background()
	if done := e.closed(t, tk.ID); done.Resolution != callcare.ResolvedReached {
		t.Errorf("the callback closed as %q, want reached", done.Resolution)
	}
	piotr := offersTo(e, "PJSIP/102")
	if len(piotr) != 1 || piotr[0].CallerID != "48600100200" {
		t.Fatalf("Piotr was offered %+v: want one ring showing the citizen's number", piotr)
	}
	if h := e.pbx.Heard(piotr[0].Channel); !slices.Equal(h, whisperOf) {
		t.Errorf("Piotr heard %v before being connected, want %v", h, whisperOf)
	}
	heard := e.pbx.Heard(offersTo(e, citizen)[0].Channel)
	if !slices.Contains(heard, "sound:callcare/transferring") || slices.Contains(heard, "sound:callcare/goodbye") {
		t.Errorf("the citizen heard %v: want being transferred, and no goodbye", heard)
	}
	calls, err := e.db.Calls(ctx, callcare.CallFilter{})
	if err != nil || len(calls) != 1 {
		t.Fatalf("%d calls in the log (%v), want the transferred callback", len(calls), err)
	}
	if c := calls[0]; c.CallerID != "48600100200" || len(c.Transfers) != 1 || c.Transfers[0].By != "anowak" ||
		len(c.Attempts) != 2 || c.Attempts[1].Clerk != "pwisniewski" || c.Attempts[1].Result != "answered" ||
		c.Outcome != callcare.OutcomeAnswered || c.HungUpBy != callcare.PartyCaller || c.Origin != callcare.OriginCallback {
		t.Errorf("call log %+v: want Anna's callback, transferred to Piotr, who took it", c)
	}
	if all, _ := e.db.Callbacks(ctx, callcare.CallbackFilter{Status: callcare.CallbackOpen}); len(all) != 0 {
		t.Errorf("open tasks %+v: want none", all)
	}
}

// TestP4h_CallbackHold: Anna, calling a citizen back from the queue, puts
// them on hold for 40 s. The citizen hears her department's music
// (Asterisk's own, of the class set on their channel when the two were
// bridged), 3 s in and every 30 s that she will be back; after the
// resume they talk on, and the callback counts as reached.
func TestP4h_CallbackHold(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	tk := e.openTask(t, "48600100200", forAnna, 1)
	e.pbx.SetPhone(citizen, pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(70 * time.Second)})
	e.call(t, deskPhone("PJSIP/101", press(readOut, "1"), hold(readOut+10*time.Second), unhold(readOut+50*time.Second)))
	e.advance(t, 2*time.Minute)
	if done := e.closed(t, tk.ID); done.Resolution != callcare.ResolvedReached {
		t.Errorf("the callback closed as %q, want reached", done.Resolution)
	}
	heard := e.pbx.Heard(offersTo(e, citizen)[0].Channel)
	want := []string{music, patience, music, patience, music}
	if !slices.Equal(heard, want) {
		t.Errorf("the citizen heard\n%v\nwant\n%v", heard, want)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4o_CallbackKeyedTransfer: the same transfer of a citizen called
// back, keyed in as ##102#.
func TestP4o_CallbackKeyedTransfer(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	tk := e.openTask(t, "48600100200", forAnna, 1)
	e.pbx.SetPhone(citizen, pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(40 * time.Second)})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(time.Minute)})
	e.call(t, deskPhone("PJSIP/101", press(readOut, "1"), press(readOut+15*time.Second, "##102#")))
	e.advance(t, 2*time.Minute)
	callbackTransferred(t, e, tk)
	e.settled(t)
	e.quiet(t)
}

// TestCrash_TransferredCallbackGoesOn: the service dies while a citizen a
// clerk called back and transferred waits for the colleague. Started
// again, it adopts the citizen's line as the call it became: Piotr rings
// on and, not answering, Anna is rung back, then the citizen is told and
// Piotr owes a callback. Never dropped with a goodbye.
func TestCrash_TransferredCallbackGoesOn(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.openTask(t, "48600100200", forAnna, 1)
	e.pbx.SetPhone(citizen, pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(5 * time.Minute)})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{Mode: pbxsim.NeverAnswers, RingAfter: 500 * time.Millisecond})
	e.call(t, deskPhone("PJSIP/101", press(readOut, "1"), transferKey(readOut+20*time.Second, "102"),
		pbxsim.Action{At: readOut + 21*time.Second, Do: pbxsim.Hangup}))
	e.advance(t, readOut+25*time.Second)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	e.crash(t, 2*time.Second)
	e.advance(t, 3*time.Minute)
	heard := e.pbx.Heard(offersTo(e, citizen)[0].Channel)
	if slices.Contains(heard, "sound:callcare/goodbye") {
		t.Errorf("the citizen heard %v: dropped with a goodbye", heard)
	}
	if n := len(offersTo(e, "PJSIP/101")); n != 1 {
		t.Errorf("Anna was rung back %d times, want once", n)
	}
	tasks, _ := e.db.Callbacks(context.Background(), callcare.CallbackFilter{Status: callcare.CallbackOpen})
	if len(tasks) != 1 || tasks[0].Target.ID != "pwisniewski" {
		t.Errorf("open tasks %+v: want Piotr's callback", tasks)
	}
	e.settled(t)
}

// TestCrash_TransferredCallbackTalking: the service dies while the citizen
// talks with the colleague a callback was transferred to. Started again,
// it watches them; the call ends in the log when they hang up.
func TestCrash_TransferredCallbackTalking(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.openTask(t, "48600100200", forAnna, 1)
	e.pbx.SetPhone(citizen, pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(80 * time.Second)})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 3 * time.Second})
	e.call(t, deskPhone("PJSIP/101", press(readOut, "1"), transferKey(readOut+20*time.Second, "102"),
		pbxsim.Action{At: readOut + 21*time.Second, Do: pbxsim.Hangup}))
	e.advance(t, readOut+45*time.Second) // Piotr heard the whisper and talks
	e.crash(t, 2*time.Second)
	e.advance(t, 3*time.Minute)
	calls, err := e.db.Calls(context.Background(), callcare.CallFilter{})
	if err != nil || len(calls) != 1 || calls[0].EndedAt.IsZero() || calls[0].HungUpBy != callcare.PartyCaller {
		t.Fatalf("calls %+v (%v): want the transferred callback ended by the citizen", calls, err)
	}
	e.settled(t)
}
