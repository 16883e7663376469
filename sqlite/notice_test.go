package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/sqlite"
)

func notice(number callcare.Number, caseRef string, at time.Time) callcare.CallbackTask {
	return callcare.CallbackTask{Kind: callcare.KindDocuments, Number: number, Case: caseRef,
		Target: clerkAnowak, FirstAt: at, Status: callcare.CallbackOpen}
}

func appointment(number callcare.Number, with callcare.Target, at time.Time) callcare.CallbackTask {
	t := missed(number, with, at)
	t.Kind = callcare.KindAppointment
	return t
}

func MustAddNotice(tb testing.TB, db *sqlite.DB, t callcare.CallbackTask) callcare.CallbackTask {
	tb.Helper()
	got, err := db.AddNotice(context.Background(), t)
	if err != nil {
		tb.Fatal(err)
	}
	return got
}

// An appointment request is a task of its own beside the number's callback
// (P3.2 (1)): one per person asked for, in that person's queue; a citizen
// who gets through closes the callback, not the request.
func TestDB_Appointments(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	cb := MustMissedCall(t, db, missed("48600100200", dept200, cb0))
	a1 := MustMissedCall(t, db, appointment("48600100200", clerkAnowak, cb0.Add(time.Minute)))
	a2 := MustMissedCall(t, db, appointment("48600100200", clerkAnowak, cb0.Add(2*time.Minute)))
	a3 := MustMissedCall(t, db, appointment("48600100200", clerkBzielo, cb0.Add(3*time.Minute)))
	if cb.ID == a1.ID || a1.ID != a2.ID || a3.ID == a1.ID {
		t.Fatalf("tasks %d %d %d %d: want the callback, one request per person", cb.ID, a1.ID, a2.ID, a3.ID)
	}
	if got := MustCallback(t, db, a1.ID); got.Kind != callcare.KindAppointment || got.Tries != 2 {
		t.Errorf("request %+v", got)
	}
	// In Anna's queue: her request, the department's callback.
	own, dept, err := db.CountWaiting(ctx, "anowak", "200", cb0.Add(time.Hour))
	if err != nil || own != 1 || dept != 1 {
		t.Errorf("waiting %d %d %v", own, dept, err)
	}
	n, err := db.CloseCallbacks(ctx, "48600100200", callcare.ResolvedGotThrough, "citizen", cb0.Add(time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("closed %d, %v", n, err)
	}
	if got := MustCallback(t, db, a1.ID); got.Status != callcare.CallbackOpen {
		t.Errorf("the request closed when the citizen got through: %+v", got)
	}
	if _, _, err := db.MissedCall(ctx, notice("48600100200", "1", cb0)); callcare.ErrorCode(err) == "" && err == nil {
		t.Error("a notice was taken as a missed call")
	}
}

// Notices are the service's own calls: in no clerk's queue and not in the
// callbacks' list, due by their next attempt, at most a few at once; their
// attempts are journaled as callbacks' are.
func TestDB_Notices(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	n1 := MustAddNotice(t, db, notice("48600100200", "2026117", cb0))
	if n1.Kind != callcare.KindDocuments || n1.Case != "2026117" || n1.Status != callcare.CallbackOpen || n1.Target != clerkAnowak {
		t.Fatalf("notice %+v", n1)
	}
	later := notice("48600100201", "5", cb0)
	later.NextAttemptAt = cb0.Add(time.Hour)
	n2 := MustAddNotice(t, db, later)
	n3 := MustAddNotice(t, db, notice("48600100200", "6", cb0.Add(time.Second))) // a second case: a second notice
	if _, err := db.AddNotice(ctx, missed("48600100200", dept200, cb0)); callcare.ErrorCode(err) != callcare.EINVALID {
		t.Errorf("a callback as a notice: %v", err)
	}

	if own, dept, _ := db.CountWaiting(ctx, "anowak", "200", cb0.Add(2*time.Hour)); own+dept != 0 {
		t.Errorf("notices in the clerk's queue: %d %d", own, dept)
	}
	if ts, _ := db.Callbacks(ctx, callcare.CallbackFilter{}); len(ts) != 0 {
		t.Errorf("notices among the callbacks: %+v", ts)
	}
	if ts, _ := db.Notices(ctx, callcare.NoticeFilter{}); len(ts) != 3 || ts[0].ID != n3.ID {
		t.Errorf("notices, newest first: %v", ids(ts))
	}

	due, err := db.DueNotices(ctx, cb0.Add(time.Minute), 5)
	if err != nil || len(due) != 2 || due[0].ID != n1.ID || due[1].ID != n3.ID {
		t.Fatalf("due %v, %v", ids(due), err)
	}
	// One is being made: one more may start with two at once.
	if _, ok, err := db.ClaimTask(ctx, n1.ID, callcare.Notifier, cb0.Add(time.Minute), 10*time.Minute); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if due, _ := db.DueNotices(ctx, cb0.Add(time.Minute), 2); len(due) != 1 || due[0].ID != n3.ID {
		t.Errorf("due beside one under way: %v", ids(due))
	}
	att, err := db.StartAttempt(ctx, n1.ID, callcare.Notifier, "notice-1", cb0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := db.FinishAttempt(ctx, n1.ID, att.Seq, callcare.AttemptNotConfirmed, cb0.Add(2*time.Minute), cb0.Add(20*time.Minute), ""); !ok || err != nil {
		t.Fatalf("finish: %v %v", ok, err)
	}
	if err := db.Release(ctx, n1.ID, callcare.Notifier); err != nil {
		t.Fatal(err)
	}
	if due, _ := db.DueNotices(ctx, cb0.Add(3*time.Minute), 5); len(due) != 1 || due[0].ID != n3.ID {
		t.Errorf("due while the first waits for its retry: %v", ids(due))
	}
	if due, _ := db.DueNotices(ctx, cb0.Add(time.Hour), 5); len(due) != 3 || due[0].ID != n3.ID || due[1].ID != n1.ID || due[2].ID != n2.ID {
		t.Errorf("due in the hour, by when each may start: %v", ids(due))
	}
	if ts, _ := db.Notices(ctx, callcare.NoticeFilter{Kind: callcare.KindReminder}); len(ts) != 0 {
		t.Errorf("reminders: %v", ids(ts))
	}
}

// A meeting agreed on a request closes it and is reminded of once; a new
// time for it replaces the reminder.
func TestDB_AgreeMeeting(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	req := MustMissedCall(t, db, appointment("48600100200", clerkAnowak, cb0))
	meeting := cb0.Add(72 * time.Hour)
	r1, ok, err := db.AgreeMeeting(ctx, req.ID, meeting, "anowak", cb0.Add(time.Hour), meeting.Add(-24*time.Hour))
	if err != nil || !ok {
		t.Fatalf("agree: %v %v", ok, err)
	}
	got := MustCallback(t, db, req.ID)
	if got.Status != callcare.CallbackDone || got.Resolution != callcare.ResolvedMeeting || !got.MeetingAt.Equal(meeting) || got.ClosedBy != "anowak" {
		t.Errorf("request %+v", got)
	}
	if r1.Kind != callcare.KindReminder || r1.OfTask != req.ID || !r1.MeetingAt.Equal(meeting) || !r1.NextAttemptAt.Equal(meeting.Add(-24*time.Hour)) || r1.Target != clerkAnowak {
		t.Errorf("reminder %+v", r1)
	}
	// Moved: the first reminder goes, a second comes.
	r2, ok, err := db.AgreeMeeting(ctx, req.ID, meeting.Add(24*time.Hour), "admin", cb0.Add(2*time.Hour), meeting)
	if err != nil || !ok || r2.ID == r1.ID {
		t.Fatalf("again: %+v %v %v", r2, ok, err)
	}
	if old := MustCallback(t, db, r1.ID); old.Status != callcare.CallbackDone {
		t.Errorf("the old reminder is still open: %+v", old)
	}
	if open, _ := db.Notices(ctx, callcare.NoticeFilter{Status: callcare.CallbackOpen}); len(open) != 1 || open[0].ID != r2.ID {
		t.Errorf("open reminders %v", ids(open))
	}
	// Moved while the reminder's call rings: it goes all the same, and
	// its call's end leaves it closed (no retry tells the old time).
	att, err := db.StartAttempt(ctx, r2.ID, callcare.Notifier, "notice-r2", cb0.Add(150*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	r3, _, err := db.AgreeMeeting(ctx, req.ID, meeting.Add(48*time.Hour), "admin", cb0.Add(151*time.Minute), meeting.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.FinishAttempt(ctx, r2.ID, att.Seq, callcare.AttemptNoAnswer, cb0.Add(152*time.Minute), cb0.Add(170*time.Minute), ""); err != nil {
		t.Fatal(err)
	}
	if old := MustCallback(t, db, r2.ID); old.Status != callcare.CallbackDone {
		t.Errorf("the reminder of the old time, ringing as the meeting moved, is still open: %+v", old)
	}
	if open, _ := db.Notices(ctx, callcare.NoticeFilter{Status: callcare.CallbackOpen}); len(open) != 1 || open[0].ID != r3.ID {
		t.Errorf("open reminders %v, want only the new time's", ids(open))
	}
	// No reminder wanted.
	if _, ok, err := db.AgreeMeeting(ctx, req.ID, meeting, "admin", cb0.Add(3*time.Hour), time.Time{}); err != nil || ok {
		t.Errorf("without a reminder: %v %v", ok, err)
	}
	cb := MustMissedCall(t, db, missed("48600100201", dept200, cb0))
	if _, _, err := db.AgreeMeeting(ctx, cb.ID, meeting, "admin", cb0, time.Time{}); callcare.ErrorCode(err) != callcare.EINVALID {
		t.Errorf("a meeting on a callback: %v", err)
	}
	if _, _, err := db.AgreeMeeting(ctx, 999, meeting, "admin", cb0, time.Time{}); callcare.ErrorCode(err) != callcare.ENOTFOUND {
		t.Errorf("a meeting on no task: %v", err)
	}
}
