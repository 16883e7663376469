package sqlite_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/callcare/callcare"
)

func TestDB_ArchiveDay(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	day := time.Date(2025, 3, 7, 0, 0, 0, 0, time.UTC)
	// Calls just before, at the start of, within, at the end of and after
	// the day: only those in [start, end) go, with their attempts.
	for id, at := range map[string]time.Time{
		"before": day.Add(-time.Millisecond), "first": day, "within": day.Add(12 * time.Hour),
		"last": day.Add(24*time.Hour - time.Millisecond), "after": day.Add(24 * time.Hour),
	} {
		MustSaveCall(t, db, answeredCall(id, at))
	}
	figs := []callcare.DayFigure{
		{Day: "2025-03-07", Scope: "office", Measure: "calls", Value: 3},
		{Day: "2025-03-07", Scope: "clerk", Key: "anowak", Measure: "rung", Value: 3},
	}
	n, err := db.ArchiveDay(ctx, "2025-03-07", day, day.Add(24*time.Hour), figs)
	if err != nil || n != 3 {
		t.Fatalf("ArchiveDay = %d, %v; want 3 calls deleted", n, err)
	}
	calls, err := db.Calls(ctx, callcare.CallFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, c := range calls {
		left = append(left, c.ID)
	}
	if !reflect.DeepEqual(left, []string{"after", "before"}) {
		t.Fatalf("calls left %v", left)
	}
	var attempts int
	if err := db.ReadConn().QueryRow(`SELECT COUNT(*) FROM call_attempts`).Scan(&attempts); err != nil || attempts != 4 {
		t.Fatalf("attempts left %d (%v), want those of the 2 calls kept", attempts, err)
	}
	got, err := db.DayFigures(ctx, "2025-03-01", "2025-03-31")
	if err != nil {
		t.Fatal(err)
	}
	want := []callcare.DayFigure{figs[1], figs[0]} // by scope
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("figures %+v, want %+v", got, want)
	}

	t.Run("AgainReplacesTheFigures", func(t *testing.T) {
		again := []callcare.DayFigure{{Day: "2025-03-07", Scope: "office", Measure: "calls", Value: 4}}
		if _, err := db.ArchiveDay(ctx, "2025-03-07", day, day.Add(24*time.Hour), again); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.DayFigures(ctx, "2025-03-07", "2025-03-07"); !reflect.DeepEqual(got, again) {
			t.Fatalf("figures %+v", got)
		}
	})
	t.Run("EmptyDayIsArchivedToo", func(t *testing.T) {
		d := day.Add(-48 * time.Hour)
		if n, err := db.ArchiveDay(ctx, "2025-03-05", d, d.Add(24*time.Hour), nil); err != nil || n != 0 {
			t.Fatalf("ArchiveDay = %d, %v", n, err)
		}
		days, err := db.ArchivedDays(ctx, "2025-03-01", "2025-03-07")
		if err != nil || !reflect.DeepEqual(days, []string{"2025-03-05", "2025-03-07"}) {
			t.Fatalf("ArchivedDays = %v, %v", days, err)
		}
		if days, _ := db.ArchivedDays(ctx, "2025-03-07", "2025-03-07"); !reflect.DeepEqual(days, []string{"2025-03-07"}) {
			t.Fatalf("one day: %v", days)
		}
	})
	t.Run("Refused", func(t *testing.T) {
		for name, call := range map[string]func() error{
			"BadDay":       func() error { _, err := db.ArchiveDay(ctx, "7.3.2025", day, day.Add(time.Hour), nil); return err },
			"NoSpan":       func() error { _, err := db.ArchiveDay(ctx, "2025-03-08", day, day, nil); return err },
			"OtherDaysFig": func() error { _, err := db.ArchiveDay(ctx, "2025-03-08", day, day.Add(time.Hour), figs); return err },
			"DuplicateFig": func() error {
				f := []callcare.DayFigure{{Day: "2025-03-08", Scope: "office", Measure: "calls"}, {Day: "2025-03-08", Scope: "office", Measure: "calls"}}
				_, err := db.ArchiveDay(ctx, "2025-03-08", day, day.Add(time.Hour), f)
				return err
			},
		} {
			if err := call(); err == nil {
				t.Errorf("%s: no error", name)
			}
		}
		// Nothing of a refused day stays.
		if days, _ := db.ArchivedDays(ctx, "2025-03-08", "2025-03-08"); len(days) != 0 {
			t.Fatalf("refused day archived: %v", days)
		}
	})
}

func TestDB_Oldest(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	if got, err := db.Oldest(ctx); err != nil || !got.IsZero() {
		t.Fatalf("empty: %v, %v", got, err)
	}
	MustSaveCall(t, db, answeredCall("a", cb0.Add(time.Hour)))
	if got, _ := db.Oldest(ctx); !got.Equal(cb0.Add(time.Hour)) {
		t.Fatalf("oldest call: %v", got)
	}
	MustMissedCall(t, db, missed("600000001", dept200, cb0))
	if got, _ := db.Oldest(ctx); !got.Equal(cb0) {
		t.Fatalf("oldest task: %v", got)
	}
}

func TestDB_DeleteClosedCallbacks(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	before := cb0.Add(24 * time.Hour)
	closed := MustMissedCall(t, db, missed("600000001", dept200, cb0))
	open := MustMissedCall(t, db, missed("600000002", dept200, cb0))
	withNote := MustMissedCall(t, db, missed("600000003", dept200, cb0))
	later := MustMissedCall(t, db, missed("600000004", dept200, before))
	if _, err := db.StartAttempt(ctx, closed.ID, "anowak", "chan-1", cb0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := db.SetNote(ctx, withNote.ID, "callcare-note-x"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{closed.ID, withNote.ID, later.ID} {
		if err := db.MarkDone(ctx, id, callcare.ResolvedByClerk, "anowak", before.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := db.DeleteClosedCallbacks(ctx, before, true); err != nil || n != 1 {
		t.Fatalf("dry: %d, %v; want 1", n, err)
	}
	if _, err := db.Callback(ctx, closed.ID); err != nil {
		t.Fatalf("dry run deleted: %v", err)
	}
	if n, err := db.DeleteClosedCallbacks(ctx, before, false); err != nil || n != 1 {
		t.Fatalf("delete: %d, %v; want 1", n, err)
	}
	if _, err := db.Callback(ctx, closed.ID); callcare.ErrorCode(err) != callcare.ENOTFOUND {
		t.Fatalf("closed task still there: %v", err)
	}
	var attempts int
	if err := db.ReadConn().QueryRow(`SELECT COUNT(*) FROM callback_attempts`).Scan(&attempts); err != nil || attempts != 0 {
		t.Fatalf("attempts left %d (%v)", attempts, err)
	}
	for _, id := range []int64{open.ID, withNote.ID, later.ID} {
		if _, err := db.Callback(ctx, id); err != nil {
			t.Errorf("task %d: %v", id, err)
		}
	}
}

func TestDB_EraseNumbers(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	before := cb0.Add(24 * time.Hour)
	MustSaveCall(t, db, answeredCall("old", cb0))
	MustSaveCall(t, db, answeredCall("new", before))
	anon := answeredCall("anonymous", cb0)
	anon.CallerID, anon.CallerName = "", ""
	MustSaveCall(t, db, anon)
	closedOld := MustMissedCall(t, db, missed("600000001", dept200, cb0))
	closedNew := MustMissedCall(t, db, missed("600000002", dept200, cb0))
	open := MustMissedCall(t, db, missed("600000003", dept200, cb0))
	if err := db.MarkDone(ctx, closedOld.ID, callcare.ResolvedByClerk, "anowak", cb0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkDone(ctx, closedNew.ID, callcare.ResolvedByClerk, "anowak", before); err != nil {
		t.Fatal(err)
	}
	if n, err := db.EraseNumbers(ctx, time.Time{}, before, true); err != nil || n != 2 {
		t.Fatalf("dry: %d, %v; want the old call and the task closed before", n, err)
	}
	if got := MustCall(t, db, "old"); got.CallerID == callcare.ErasedNumber {
		t.Fatal("dry run erased")
	}
	if n, err := db.EraseNumbers(ctx, time.Time{}, before, false); err != nil || n != 2 {
		t.Fatalf("erase: %d, %v", n, err)
	}
	if got := MustCall(t, db, "old"); got.CallerID != callcare.ErasedNumber || got.CallerName != "" {
		t.Fatalf("old call: %q %q", got.CallerID, got.CallerName)
	}
	if got := MustCall(t, db, "new"); got.CallerID != "+48855551234" || got.CallerName != "Jan Kowalski" {
		t.Fatalf("new call: %q %q", got.CallerID, got.CallerName)
	}
	if got := MustCall(t, db, "anonymous"); got.CallerID != "" {
		t.Fatalf("anonymous call: %q", got.CallerID)
	}
	for id, want := range map[int64]callcare.Number{closedOld.ID: callcare.ErasedNumber, closedNew.ID: "600000002", open.ID: "600000003"} {
		if got := MustCallback(t, db, id); got.Number != want {
			t.Errorf("task %d: number %q, want %q", id, got.Number, want)
		}
	}
	if n, err := db.EraseNumbers(ctx, time.Time{}, before, false); err != nil || n != 0 {
		t.Fatalf("again: %d, %v; want nothing left", n, err)
	}
}

func TestDB_Callbacks_FirstMissedIn(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	a := MustMissedCall(t, db, missed("600000001", dept200, cb0.Add(-time.Millisecond)))
	b := MustMissedCall(t, db, missed("600000002", dept200, cb0))
	c := MustMissedCall(t, db, missed("600000003", dept200, cb0.Add(time.Hour)))
	for _, tc := range []struct {
		name         string
		since, until time.Time
		want         []int64
	}{
		{"Since", cb0, time.Time{}, []int64{b.ID, c.ID}},
		{"Until", time.Time{}, cb0.Add(time.Hour), []int64{a.ID, b.ID}},
		{"Both", cb0, cb0.Add(time.Hour), []int64{b.ID}},
		{"Neither", time.Time{}, time.Time{}, []int64{a.ID, b.ID, c.ID}},
	} {
		ts, err := db.Callbacks(ctx, callcare.CallbackFilter{Since: tc.since, Until: tc.until})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(ids(ts), tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, ids(ts), tc.want)
		}
	}
}

func TestDB_EraseNumbers_Since(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	MustSaveCall(t, db, answeredCall("purged", cb0))
	MustSaveCall(t, db, answeredCall("kept", cb0.Add(time.Hour)))
	task := MustMissedCall(t, db, missed("600000001", dept200, cb0))
	if err := db.MarkDone(ctx, task.ID, callcare.ResolvedByClerk, "anowak", cb0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	// Only what the purge keeps: the call from since on.
	if n, err := db.EraseNumbers(ctx, cb0.Add(time.Hour), cb0.Add(2*time.Hour), false); err != nil || n != 1 {
		t.Fatalf("erase: %d, %v", n, err)
	}
	if got := MustCall(t, db, "purged"); got.CallerID == callcare.ErasedNumber {
		t.Error("erased a call before since")
	}
	if got := MustCall(t, db, "kept"); got.CallerID != callcare.ErasedNumber {
		t.Error("kept call not erased")
	}
	if got := MustCallback(t, db, task.ID); got.Number == callcare.ErasedNumber {
		t.Error("erased a task first missed before since")
	}
}
