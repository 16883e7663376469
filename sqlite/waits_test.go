package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/callcare/callcare"
)

// waitedCall is answeredCall held twice (the second until the call's
// end), after a wait in line and a transfer that came back.
func waitedCall(id string, start time.Time) callcare.CallRecord {
	rec := answeredCall(id, start)
	rec.LineWaits = []callcare.LineWait{{Department: "200", From: start.Add(time.Second), To: start.Add(15 * time.Second)}}
	rec.Holds = []callcare.Hold{
		{Clerk: "bzielinska", From: start.Add(40 * time.Second), To: start.Add(70*time.Second + 5*time.Millisecond)},
		{Clerk: "bzielinska", From: start.Add(2 * time.Minute)},
	}
	rec.Transfers = []callcare.Transfer{
		{By: "bzielinska", To: callcare.Target{Kind: callcare.TargetDepartment, ID: "300"}, At: start.Add(80 * time.Second), CameBack: true},
		{By: "bzielinska", At: start.Add(90 * time.Second)}, // outside the service
	}
	return rec
}

// TestDB_CallWaits: holds, waits in line and transfers come back as saved,
// are rewritten with the call, and go with it.
func TestDB_CallWaits(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		want := waitedCall("c1", t0)
		MustSaveCall(t, db, want)
		MustSaveCall(t, db, answeredCall("c2", t0.Add(time.Hour))) // none of its own
		assertRecord(t, MustCall(t, db, "c1"), want)
		assertRecord(t, MustCall(t, db, "c2"), answeredCall("c2", t0.Add(time.Hour)))
		calls, err := db.Calls(ctx, callcare.CallFilter{Limit: 1}) // the newest only: c2
		if err != nil || len(calls) != 1 || calls[0].ID != "c2" || calls[0].Holds != nil {
			t.Fatalf("Calls(limit 1) = %+v, %v", calls, err)
		}
	})
	t.Run("Rewritten", func(t *testing.T) {
		db := MustOpenDB(t)
		rec := waitedCall("c1", t0)
		MustSaveCall(t, db, rec)
		rec.Holds, rec.LineWaits, rec.Transfers = rec.Holds[:1], nil, rec.Transfers[1:]
		MustSaveCall(t, db, rec)
		assertRecord(t, MustCall(t, db, "c1"), rec)
	})
	t.Run("PurgedWithTheCall", func(t *testing.T) {
		db := MustOpenDB(t)
		MustSaveCall(t, db, waitedCall("c1", t0))
		day := time.Date(2025, 3, 7, 0, 0, 0, 0, time.UTC)
		if _, err := db.ArchiveDay(ctx, "2025-03-07", day, day.Add(24*time.Hour), nil); err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{"call_holds", "call_line_waits", "call_transfers"} {
			var n int
			if err := db.ReadConn().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil || n != 0 {
				t.Errorf("%s: %d rows left, %v", table, n, err)
			}
		}
	})
}
