package sqlite_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/callcare/callcare"
)

func TestDB_ClaimTask(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	t.Run("OK, and never twice", func(t *testing.T) {
		db := MustOpenDB(t)
		task := MustMissedCall(t, db, missed("48600100200", clerkAnowak, t0))
		got, ok, err := db.ClaimTask(ctx, task.ID, "(agreed-time)", t0, time.Minute)
		if err != nil || !ok || got.ClaimedBy != "(agreed-time)" {
			t.Fatalf("claim: %v %v %+v", ok, err, got)
		}
		if _, ok, _ := db.ClaimTask(ctx, task.ID, "anowak", t0.Add(time.Second), time.Minute); ok {
			t.Error("a claimed task was claimed again")
		}
		if _, ok, _ := db.ClaimNext(ctx, "anowak", "", nil, t0.Add(time.Second), time.Minute); ok {
			t.Error("the queue handed out a task the scheduler holds")
		}
		if _, ok, _ := db.ClaimTask(ctx, task.ID, "anowak", t0.Add(2*time.Minute), time.Minute); !ok {
			t.Error("an expired claim could not be taken over")
		}
	})
	t.Run("Concurrent", func(t *testing.T) {
		db := MustOpenDB(t)
		task := MustMissedCall(t, db, missed("48600100200", clerkAnowak, t0))
		var wins sync.Map
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				by := callcare.ClerkID(string(rune('a' + i)))
				if _, ok, err := db.ClaimTask(ctx, task.ID, by, t0, time.Minute); err == nil && ok {
					wins.Store(by, true)
				}
			}()
		}
		wg.Wait()
		n := 0
		wins.Range(func(any, any) bool { n++; return true })
		if n != 1 {
			t.Errorf("%d claimers won, want 1", n)
		}
	})
	t.Run("ClosedTask", func(t *testing.T) {
		db := MustOpenDB(t)
		task := MustMissedCall(t, db, missed("48600100200", clerkAnowak, t0))
		if err := db.MarkDone(ctx, task.ID, callcare.ResolvedByClerk, "anowak", t0); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := db.ClaimTask(ctx, task.ID, "x", t0, time.Minute); ok || err != nil {
			t.Errorf("claimed a closed task: %v %v", ok, err)
		}
	})
}

func TestDB_RaisePriority(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	db := MustOpenDB(t)
	a := MustMissedCall(t, db, missed("48600100200", clerkAnowak, t0))
	b := MustMissedCall(t, db, missed("48600999999", clerkAnowak, t0.Add(-time.Hour)))
	sooner := a.Due.Add(-time.Hour)
	if err := db.RaisePriority(ctx, "48600100200", callcare.NeedsClerk, sooner); err != nil {
		t.Fatal(err)
	}
	if got := MustCallback(t, db, a.ID); got.Priority != callcare.PrioritySpecialNeeds || got.Needs != callcare.NeedsClerk || !got.Due.Equal(sooner) {
		t.Errorf("flagged task: priority %d needs %q due %s; want due %s, sooner (P5.3)", got.Priority, got.Needs, got.Due, sooner)
	}
	next, _, _ := db.ClaimNext(ctx, "anowak", "", nil, t0, time.Minute)
	if next.ID != a.ID {
		t.Errorf("the queue gave task %d first, want the flagged %d before the older %d", next.ID, a.ID, b.ID)
	}
	// A later due time never puts a task off.
	if err := db.RaisePriority(ctx, "48600999999", callcare.NeedsMenu, b.Due.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := MustCallback(t, db, b.ID); !got.Due.Equal(b.Due) || got.Needs != callcare.NeedsMenu {
		t.Errorf("task due %s needs %q; want its due kept, %s, and the menu's flag", got.Due, got.Needs, b.Due)
	}
}

func TestDB_SaveCall_Needs(t *testing.T) {
	db := MustOpenDB(t)
	rec := answeredCall("c1", time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	rec.Needs = callcare.NeedsLine
	MustSaveCall(t, db, rec)
	if got := MustCall(t, db, "c1"); got.Needs != callcare.NeedsLine {
		t.Errorf("needs %q", got.Needs)
	}
}
