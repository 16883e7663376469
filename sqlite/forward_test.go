package sqlite_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/callcare/callcare"
)

func TestDB_Forwards(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	at := time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC)
	fwd := callcare.Absence{Clerk: "anowak", To: clerkBzielo, Source: callcare.SetByPhone, SetBy: "anowak",
		SetAt: at, Until: at.Add(48 * time.Hour)}

	t.Run("OK", func(t *testing.T) {
		if err := db.SetForward(ctx, fwd); err != nil {
			t.Fatal(err)
		}
		got, err := db.Forwards(ctx, at.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		want := fwd
		want.From = at // from the moment it was set
		if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
			t.Fatalf("forwards = %+v, want %+v", got, want)
		}
		if got, _ := db.Forwards(ctx, at.Add(48*time.Hour)); len(got) != 0 {
			t.Errorf("a forward past its end is listed: %+v", got)
		}
	})

	t.Run("ReplacedNotDoubled", func(t *testing.T) {
		again := fwd
		again.To, again.Source, again.SetBy, again.Until = dept200, callcare.SetByCLI, "admin", time.Time{}
		again.SetAt = at.Add(2 * time.Hour)
		if err := db.SetForward(ctx, again); err != nil {
			t.Fatal(err)
		}
		got, _ := db.Forwards(ctx, at.Add(3*time.Hour))
		if len(got) != 1 || got[0].To != dept200 || got[0].Source != callcare.SetByCLI || !got[0].Until.IsZero() {
			t.Fatalf("forwards = %+v, want only the one to 200", got)
		}
	})

	t.Run("Clear", func(t *testing.T) {
		had, err := db.ClearForward(ctx, "anowak", "anowak", at.Add(4*time.Hour))
		if err != nil || !had {
			t.Fatalf("ClearForward = %v, %v; want true", had, err)
		}
		if got, _ := db.Forwards(ctx, at.Add(5*time.Hour)); len(got) != 0 {
			t.Errorf("cleared forward listed: %+v", got)
		}
		had, err = db.ClearForward(ctx, "anowak", "anowak", at.Add(5*time.Hour))
		if err != nil || had {
			t.Errorf("second ClearForward = %v, %v; want false, nil", had, err)
		}
	})

	t.Run("Refused", func(t *testing.T) {
		for _, bad := range []callcare.Absence{
			{Clerk: "anowak", Source: callcare.SetByPhone, SetAt: at},                                     // nobody to forward to
			{Clerk: "anowak", To: clerkBzielo, Source: callcare.SetInFile, SetAt: at},                     // the file's, not the store's
			{Clerk: "anowak", To: clerkBzielo, Source: callcare.SetByPhone},                               // when?
			{Clerk: "anowak", To: clerkBzielo, Source: callcare.SetByPhone, SetAt: at, Until: at},         // ends as it starts
			{Clerk: "anowak", To: clerkBzielo, Source: callcare.SetByPhone, SetAt: at, Until: at.Add(-1)}, // ends before
		} {
			if err := db.SetForward(ctx, bad); err == nil {
				t.Errorf("SetForward(%+v) accepted", bad)
			}
		}
	})
}

func TestDB_SaveCall_Forwarded(t *testing.T) {
	db := MustOpenDB(t)
	rec := answeredCall("fwd", t0)
	rec.Forwarded = callcare.Forwarding{For: rec.Target, To: clerkBzielo, By: callcare.SetInFile, Reason: callcare.AbsenceLeave}
	MustSaveCall(t, db, rec)
	if got := MustCall(t, db, "fwd"); !reflect.DeepEqual(got.Forwarded, rec.Forwarded) {
		t.Errorf("forwarded = %+v, want %+v", got.Forwarded, rec.Forwarded)
	}
	loop := answeredCall("loop", t0.Add(time.Minute))
	loop.Forwarded = callcare.Forwarding{For: loop.Target, To: dept200, By: callcare.SetByPhone, Loop: true}
	MustSaveCall(t, db, loop)
	if got := MustCall(t, db, "loop"); !reflect.DeepEqual(got.Forwarded, loop.Forwarded) {
		t.Errorf("forwarded = %+v, want %+v", got.Forwarded, loop.Forwarded)
	}
	if got := MustCall(t, db, "fwd"); got.Forwarded.Loop {
		t.Error("a call without a loop reads as one")
	}
}

func TestDB_Status(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	if _, err := db.Status(ctx); callcare.ErrorCode(err) != callcare.ENOTFOUND {
		t.Fatalf("Status of a new database = %v, want ENOTFOUND", err)
	}
	s := callcare.ServiceStatus{PID: 42, Config: "/etc/callcare/callcare.yaml", StartedAt: t0,
		ReloadedAt: t0.Add(time.Minute).Truncate(time.Millisecond), ReloadError: "callcare.yaml:3: clerks[0].id: must not be empty", Reloads: 2}
	if err := db.SaveStatus(ctx, s); err != nil {
		t.Fatal(err)
	}
	s.StartedAt = s.StartedAt.Truncate(time.Millisecond)
	got, err := db.Status(ctx)
	if err != nil || !reflect.DeepEqual(got, s) {
		t.Fatalf("Status = %+v, %v; want %+v", got, err, s)
	}
}

// TestDB_ClaimNext_Covering: a substitute's queue holds the tasks of the
// absent clerks they cover as their own (P4c).
func TestDB_ClaimNext_Covering(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	MustMissedCall(t, db, missed("48600000001", clerkAnowak, cb0))
	MustMissedCall(t, db, missed("48600000002", dept300, cb0.Add(-time.Hour)))
	now := cb0.Add(time.Minute)
	own, dept, err := db.CountWaiting(ctx, "bzielinska", "300", now)
	if err != nil || own != 0 || dept != 1 {
		t.Fatalf("without covering: own %d dept %d %v; want 0, 1", own, dept, err)
	}
	own, dept, err = db.CountWaiting(ctx, "bzielinska", "300", now, "anowak")
	if err != nil || own != 1 || dept != 1 {
		t.Fatalf("covering anowak: own %d dept %d %v; want 1, 1", own, dept, err)
	}
	task, ok, err := db.ClaimNext(ctx, "bzielinska", "300", nil, now, time.Minute, "anowak")
	if err != nil || !ok || task.Target != clerkAnowak {
		t.Fatalf("ClaimNext covering anowak = %+v %v %v; want Anna's task first", task.Target, ok, err)
	}
}
