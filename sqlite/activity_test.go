package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/sqlite"
)

// TestDB_Writable: the readiness's probe commits a write, and fails on a
// store that cannot take one. (Another process holding the write lock
// fails it too, after BusyTimeout: SQLite's wait for a lock does not end
// with the context.)
func TestDB_Writable(t *testing.T) {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "callcare.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Writable(context.Background()); err != nil {
		t.Fatalf("Writable: %v", err)
	}
	db.Close()
	if err := db.Writable(context.Background()); err == nil {
		t.Error("a closed store is writable")
	}
}

// TestDB_CallbackActivity: closings and agreed attempts are listed by the
// window they fall in, each in one window only.
func TestDB_CallbackActivity(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	t0 := time.Date(2025, 3, 7, 9, 0, 0, 0, time.UTC)
	mk := func(number string) callcare.CallbackTask {
		task, _, err := db.MissedCall(ctx, callcare.CallbackTask{Number: callcare.Number(number), Dialed: "101",
			Target: callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"}, Reason: callcare.ReasonMissed,
			CallID: "c-" + number, FirstAt: t0, LastAt: t0, Tries: 1, Due: t0.Add(2 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		return task
	}
	a, b, c := mk("48600000001"), mk("48600000002"), mk("48600000003")
	if err := db.MarkDone(ctx, a.ID, callcare.ResolvedByClerk, "anowak", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkDone(ctx, b.ID, callcare.ResolvedWrongNumber, "anowak", t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := db.Schedule(ctx, c.ID, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	for i, at := range []time.Time{t0.Add(time.Hour - time.Minute), t0.Add(time.Hour + 2*time.Minute)} {
		att, err := db.StartAttempt(ctx, c.ID, "anowak", "cb-"+string(rune('a'+i)), at)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.FinishAttempt(ctx, c.ID, att.Seq, callcare.AttemptNoAnswer, at.Add(time.Minute), time.Time{}, ""); err != nil {
			t.Fatal(err)
		}
	}
	closed, err := db.ClosedCallbacks(ctx, t0, t0.Add(2*time.Minute))
	if err != nil || len(closed) != 1 || closed[0].ID != a.ID || closed[0].Resolution != callcare.ResolvedByClerk {
		t.Errorf("closed in the first window: %+v, %v", closed, err)
	}
	closed, err = db.ClosedCallbacks(ctx, t0.Add(2*time.Minute), t0.Add(time.Hour))
	if err != nil || len(closed) != 1 || closed[0].ID != b.ID {
		t.Errorf("closed in the second window: %+v, %v", closed, err)
	}
	tasks, attempts, err := db.AgreedAttempts(ctx, t0.Add(time.Hour), t0.Add(2*time.Hour))
	if err != nil || len(tasks) != 1 || tasks[0].ID != c.ID || !tasks[0].AgreedAt.Equal(t0.Add(time.Hour)) || len(attempts[c.ID]) != 2 {
		t.Errorf("agreed attempts: %+v %+v, %v", tasks, attempts, err)
	}
	if tasks, _, err := db.AgreedAttempts(ctx, t0.Add(3*time.Hour), t0.Add(4*time.Hour)); err != nil || len(tasks) != 0 {
		t.Errorf("agreed attempts of an empty window: %+v, %v", tasks, err)
	}
}
