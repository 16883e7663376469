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
// while versions of calls wait to be written; every one is written, none
// cut by the ended context, and the work counted for them is given back.
func TestSaver_StoppingLosesNothing(t *testing.T) {
	t.Parallel()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "callcare.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := &Service{store: Stores{Calls: db}, log: slog.New(slog.DiscardHandler)}
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	for i := range 40 {
		w := newSaver(s)
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
