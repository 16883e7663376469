package ari

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/sqlite"
)

// TestSaver_StoppingLosesNothing: the service stops (its context ends)
// while versions of calls wait to be written, some waiting for others to
// share their commit; every one is written, none cut by the ended
// context, and the work counted for them is given back.
func TestSaver_StoppingLosesNothing(t *testing.T) {
	t.Parallel()
	s, db := saverService(t)
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	for i := range 40 {
		w := newSaver(s, []time.Duration{0, time.Hour}[i%2])
		ctx, cancel := context.WithCancel(context.Background())
		w.run(ctx)
		cancel()
		// Handed over as the service stops: the saver's goroutine may take
		// it, or stop may.
		rec := callcare.CallRecord{ID: fmt.Sprintf("c-%d", i), CallerID: "48600100200", Dialed: "101",
			StartedAt: start, AnsweredAt: start.Add(5 * time.Second), EndedAt: start.Add(time.Minute), Outcome: callcare.OutcomeAnswered}
		w.save(rec)
		w.stop(ctx)
		got, err := db.Call(context.Background(), rec.ID)
		if err != nil || got.Outcome != callcare.OutcomeAnswered {
			t.Fatalf("round %d: %+v, %v; want the answered call written", i, got, err)
		}
	}
	if n := s.work.Load(); n != 0 {
		t.Errorf("work %d after the saver stopped, want 0", n)
	}
}

// TestSaver_FirstVersionTakesWaitingAlong: versions wait for others to
// share their commit, and a call's first version, written at once, takes
// them along: at a few calls a second, one commit a call instead of three.
func TestSaver_FirstVersionTakesWaitingAlong(t *testing.T) {
	t.Parallel()
	s, db := saverService(t)
	w := newSaver(s, time.Hour) // nothing is written by waiting in this test
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w.run(ctx)
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	first := callcare.CallRecord{ID: "c-1", CallerID: "48600100200", Dialed: "101", StartedAt: start}
	w.saveNow(ctx, first)
	answered := first
	answered.AnsweredAt, answered.EndedAt, answered.Outcome = start.Add(5*time.Second), start.Add(time.Minute), callcare.OutcomeAnswered
	w.save(answered)
	if got, err := db.Call(ctx, "c-1"); err != nil || got.Outcome != "" {
		t.Fatalf("before the next first version: %+v, %v; want the first version, the answered one waiting", got, err)
	}
	w.saveNow(ctx, callcare.CallRecord{ID: "c-2", CallerID: "48600100201", Dialed: "102", StartedAt: start.Add(time.Second)})
	if got, err := db.Call(ctx, "c-1"); err != nil || got.Outcome != callcare.OutcomeAnswered {
		t.Errorf("after the next call's first version: %+v, %v; want the answered version written with it", got, err)
	}
	if _, err := db.Call(ctx, "c-2"); err != nil {
		t.Errorf("the next call's first version: %v", err)
	}
	if n := s.work.Load(); n != 0 {
		t.Errorf("work %d with nothing waiting, want 0", n)
	}
}

// TestSaver_WaitsThenWrites: with no call coming, a waiting version is
// written once it has waited (the wall clock's few milliseconds here).
func TestSaver_WaitsThenWrites(t *testing.T) {
	t.Parallel()
	s, db := saverService(t)
	w := newSaver(s, 5*time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w.run(ctx)
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	w.save(callcare.CallRecord{ID: "c-1", CallerID: "48600100200", Dialed: "101", StartedAt: start,
		EndedAt: start.Add(time.Minute), Outcome: callcare.OutcomeAbandoned})
	for deadline := time.Now().Add(10 * time.Second); s.work.Load() != 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the waiting version was not written")
		}
	}
	if got, err := db.Call(ctx, "c-1"); err != nil || got.Outcome != callcare.OutcomeAbandoned {
		t.Errorf("%+v, %v; want the abandoned call written", got, err)
	}
}

// saverService is the part of a service a saver uses, with a real
// database.
func saverService(t *testing.T) (*Service, *sqlite.DB) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "callcare.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &Service{store: Stores{Calls: db}, log: slog.New(slog.DiscardHandler)}, db
}
