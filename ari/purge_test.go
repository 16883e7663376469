package ari_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/ari"
)

// The service purges what the retention no longer allows to keep as it
// starts and then once a day, archiving each day's figures first, beside
// the calls it serves.
func TestService_PurgesDaily(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	day := 24 * time.Hour
	// Calls of 100, 91 and 89 days ago; the office keeps 90 days, and
	// purges whole days: a day goes once all of it is older than that.
	for id, age := range map[string]time.Duration{"old": 100 * day, "edge": 91*day + time.Hour, "young": 89 * day} {
		start := epoch.Add(-age)
		if err := e.db.SaveCall(ctx, callcare.CallRecord{ID: id, CallerID: "48600000001", Dialed: "101",
			Target: callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"}, StartedAt: start, EndedAt: start.Add(time.Minute),
			Outcome: callcare.OutcomeMissed, RingsHeard: 3}); err != nil {
			t.Fatal(err)
		}
	}
	set := testSettings()
	set.Retention = callcare.Retention{Calls: 90 * day, Notes: time.Hour}
	set.SchedulerTick = time.Hour // days pass in few steps
	// The reconciliation's look every few seconds would make a day
	// thousands of steps; it is not what this test is about.
	e.options = func(o *ari.Options) { o.ReconcileEvery = -1 }
	e.run(t, set, ari.Stores{Calls: e.db, Callbacks: e.db, Queue: e.db, Archive: e.db})

	kept := func() []string {
		t.Helper()
		calls, err := e.db.Calls(ctx, callcare.CallFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, c := range calls {
			ids = append(ids, c.ID)
		}
		return ids
	}
	if got := strings.Join(kept(), " "); got != "young" {
		t.Fatalf("kept %q at the start, want the young call", got)
	}
	days, err := e.db.ArchivedDays(ctx, "2026-01-01", "2026-12-31")
	if err != nil || len(days) != 2 {
		t.Fatalf("archived %v, %v; want the days of the two calls purged", days, err)
	}
	if !strings.Contains(e.logs.String(), "purged by the retention") {
		t.Errorf("the purge was not logged:\n%s", e.logs)
	}

	// A day later, the young call's day is not all 90 days old yet; the
	// next, it is.
	e.advance(t, day)
	if got := strings.Join(kept(), " "); got != "young" {
		t.Fatalf("kept %q a day later", got)
	}
	e.advance(t, day)
	if got := kept(); len(got) != 0 {
		t.Fatalf("kept %v two days later", got)
	}
}
