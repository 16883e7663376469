package sqlite_test

import (
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/sqlite"
)

var t0 = time.Date(2025, 3, 7, 8, 15, 0, 123_000_000, time.UTC)

// answeredCall is a finished call that overflowed once: the first clerk did
// not answer in 3 rings, the second answered on ring 2.
func answeredCall(id string, start time.Time) callcare.CallRecord {
	return callcare.CallRecord{
		ID:           id,
		CallerID:     "+48855551234",
		CallerName:   "Jan Kowalski",
		Dialed:       "101",
		Target:       callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"},
		StartedAt:    start,
		AnsweredAt:   start.Add(22*time.Second + 7*time.Millisecond),
		EndedAt:      start.Add(3*time.Minute + 1*time.Millisecond),
		AnsweredBy:   "bzielinska",
		AnsweredRing: 2,
		RingsHeard:   5,
		Outcome:      callcare.OutcomeAnswered,
		HungUpBy:     callcare.PartyCaller,
		Attempts: []callcare.Attempt{
			{
				Clerk:     "anowak",
				Via:       callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"},
				DialedAt:  start.Add(10 * time.Millisecond),
				RingingAt: start.Add(250 * time.Millisecond),
				EndedAt:   start.Add(15*time.Second + 250*time.Millisecond),
				Result:    "noanswer",
				Rings:     3,
			},
			{
				Clerk:     "bzielinska",
				Via:       callcare.Target{Kind: callcare.TargetDepartment, ID: "200"},
				DialedAt:  start.Add(15*time.Second + 260*time.Millisecond),
				RingingAt: start.Add(15*time.Second + 900*time.Millisecond),
				EndedAt:   start.Add(22*time.Second + 7*time.Millisecond),
				Result:    "answered",
				Rings:     2,
			},
		},
	}
}

// inProgress is the first write of a call: started, nothing else yet.
func inProgress(id string, start time.Time) callcare.CallRecord {
	return callcare.CallRecord{
		ID:        id,
		CallerID:  "+48855551234",
		Dialed:    "101",
		Target:    callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"},
		StartedAt: start,
	}
}

func MustSaveCall(tb testing.TB, db *sqlite.DB, rec callcare.CallRecord) {
	tb.Helper()
	if err := db.SaveCall(context.Background(), rec); err != nil {
		tb.Fatal(err)
	}
}

func MustCall(tb testing.TB, db *sqlite.DB, id string) callcare.CallRecord {
	tb.Helper()
	rec, err := db.Call(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return rec
}

func assertRecord(tb testing.TB, got, want callcare.CallRecord) {
	tb.Helper()
	if !reflect.DeepEqual(got, want) {
		tb.Fatalf("record mismatch\n got: %+v\nwant: %+v", got, want)
	}
}

func TestDB_SaveCall(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		want := answeredCall("c1", t0)
		MustSaveCall(t, db, want)
		assertRecord(t, MustCall(t, db, "c1"), want)
	})

	t.Run("InProgressThenEnded", func(t *testing.T) {
		// The start write leaves a trace a crash cannot erase; the end write
		// completes it.
		db := MustOpenDB(t)
		start := inProgress("c1", t0)
		MustSaveCall(t, db, start)
		got := MustCall(t, db, "c1")
		assertRecord(t, got, start)
		if got.Outcome != "" || !got.EndedAt.IsZero() || !got.AnsweredAt.IsZero() {
			t.Fatalf("in-progress call came back as %+v", got)
		}

		end := answeredCall("c1", t0)
		MustSaveCall(t, db, end)
		assertRecord(t, MustCall(t, db, "c1"), end)
	})

	t.Run("UpsertReplacesAttempts", func(t *testing.T) {
		db := MustOpenDB(t)
		rec := answeredCall("c1", t0)
		rec.Attempts = append(rec.Attempts, rec.Attempts[0], rec.Attempts[1]) // 4 attempts
		MustSaveCall(t, db, rec)
		if got := MustCall(t, db, "c1"); len(got.Attempts) != 4 {
			t.Fatalf("attempts = %d, want 4", len(got.Attempts))
		}

		for _, tc := range []struct {
			name     string
			attempts []callcare.Attempt
		}{
			{"Fewer", rec.Attempts[1:2]},
			{"More", append(append([]callcare.Attempt{}, rec.Attempts...), rec.Attempts[0])},
			{"None", nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				rec := rec
				rec.Attempts = tc.attempts
				rec.RingsHeard++
				MustSaveCall(t, db, rec)
				assertRecord(t, MustCall(t, db, "c1"), rec)
			})
		}
		calls, err := db.Calls(context.Background(), callcare.CallFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(calls) != 1 {
			t.Fatalf("upserts made %d calls, want 1", len(calls))
		}
	})

	t.Run("UpdatedAtFollowsNow", func(t *testing.T) {
		db := MustOpenDB(t)
		first := time.Date(2025, 3, 7, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return first }
		MustSaveCall(t, db, inProgress("c1", t0))
		second := first.Add(90*time.Second + 5*time.Millisecond)
		db.Now = func() time.Time { return second }
		MustSaveCall(t, db, answeredCall("c1", t0))

		var created, updated string
		if err := db.ReadConn().QueryRow(`SELECT created_at, updated_at FROM calls WHERE id = ?`, "c1").Scan(&created, &updated); err != nil {
			t.Fatal(err)
		}
		if created != "2025-03-07T09:00:00.000Z" || updated != "2025-03-07T09:01:30.005Z" {
			t.Fatalf("created_at, updated_at = %s, %s", created, updated)
		}
	})

	t.Run("MillisecondPrecision", func(t *testing.T) {
		// Times come back in UTC, truncated to the millisecond, whatever
		// the zone they went in with.
		db := MustOpenDB(t)
		warsaw := time.FixedZone("CET", 3600)
		in := answeredCall("c1", time.Date(2025, 3, 7, 9, 15, 0, 123_456_789, warsaw))
		in.Attempts[0].RingingAt = time.Time{} // never rang: stays zero
		MustSaveCall(t, db, in)
		got := MustCall(t, db, "c1")

		want := time.Date(2025, 3, 7, 8, 15, 0, 123_000_000, time.UTC)
		if !got.StartedAt.Equal(want) || got.StartedAt.Location() != time.UTC {
			t.Fatalf("StartedAt = %v, want %v", got.StartedAt, want)
		}
		if d := got.EndedAt.Sub(got.StartedAt); d != 3*time.Minute+time.Millisecond {
			t.Fatalf("duration = %v", d)
		}
		if !got.Attempts[0].RingingAt.IsZero() {
			t.Fatalf("RingingAt = %v, want zero", got.Attempts[0].RingingAt)
		}
	})

	t.Run("HostileCallerID", func(t *testing.T) {
		db := MustOpenDB(t)
		for i, s := range []string{
			"",
			"anonymous",
			"Anonymous",
			"unknown",
			`"Kowalski" <+48855551234>`,
			"'; DROP TABLE calls; --",
			`" OR 1=1 --`,
			"Robert'); DELETE FROM call_attempts WHERE ('1'='1",
			"1; ATTACH DATABASE '/tmp/x' AS x; --",
			"%_*?\\",
			"Zażółć gęślą jaźń 📞",
			"line\nbreak\ttab\rcr",
			"nul\x00inside",
			"\xff\xfe not utf-8",
			string(make([]byte, 4096)) + "long",
		} {
			t.Run(strconv.Itoa(i), func(t *testing.T) {
				rec := answeredCall(fmt.Sprintf("c%d", i), t0.Add(time.Duration(i)*time.Minute))
				rec.CallerID = callcare.Number(s)
				rec.CallerName = s
				rec.Dialed = s
				MustSaveCall(t, db, rec)
				got := MustCall(t, db, rec.ID)
				if string(got.CallerID) != s || got.CallerName != s || got.Dialed != s {
					t.Fatalf("caller id %q came back as %q / %q / %q", s, got.CallerID, got.CallerName, got.Dialed)
				}
				assertRecord(t, got, rec)
			})
		}
		// Nothing was dropped or deleted along the way.
		calls, err := db.Calls(context.Background(), callcare.CallFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(calls) != 15 {
			t.Fatalf("calls = %d, want 15", len(calls))
		}
		for _, c := range calls {
			if len(c.Attempts) != 2 {
				t.Fatalf("call %s has %d attempts, want 2", c.ID, len(c.Attempts))
			}
		}
	})

	t.Run("HostileCallID", func(t *testing.T) {
		db := MustOpenDB(t)
		id := "1741335300.42'; DROP TABLE calls; --"
		MustSaveCall(t, db, answeredCall(id, t0))
		assertRecord(t, MustCall(t, db, id), answeredCall(id, t0))
	})

	t.Run("Invalid", func(t *testing.T) {
		db := MustOpenDB(t)
		for _, tc := range []struct {
			name string
			rec  callcare.CallRecord
		}{
			{"ErrIDRequired", callcare.CallRecord{StartedAt: t0}},
			{"ErrStartRequired", callcare.CallRecord{ID: "c1"}},
			{"ErrNegativeRings", func() callcare.CallRecord { r := answeredCall("c1", t0); r.RingsHeard = -1; return r }()},
			{"ErrNegativeAttemptRings", func() callcare.CallRecord { r := answeredCall("c1", t0); r.Attempts[1].Rings = -1; return r }()},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if err := db.SaveCall(context.Background(), tc.rec); err == nil {
					t.Fatal("expected error")
				}
			})
		}
		// A failed save leaves nothing behind, not even half a call.
		if _, err := db.Call(context.Background(), "c1"); callcare.ErrorCode(err) != callcare.ENOTFOUND {
			t.Fatalf("after failed saves: %v, want ErrNotFound", err)
		}
	})
}

func TestDB_Call(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		MustSaveCall(t, db, answeredCall("c1", t0))
		MustSaveCall(t, db, inProgress("c2", t0.Add(time.Second)))
		assertRecord(t, MustCall(t, db, "c1"), answeredCall("c1", t0))
		assertRecord(t, MustCall(t, db, "c2"), inProgress("c2", t0.Add(time.Second)))
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		db := MustOpenDB(t)
		MustSaveCall(t, db, answeredCall("c1", t0))
		for _, id := range []string{"c2", "", "C1", "c1 ", "' OR '1'='1"} {
			if _, err := db.Call(context.Background(), id); callcare.ErrorCode(err) != callcare.ENOTFOUND {
				t.Fatalf("Call(%q) = %v, want ErrNotFound", id, err)
			}
		}
	})
}

func TestDB_Calls(t *testing.T) {
	db := MustOpenDB(t)
	// Six calls a minute apart, c0 oldest; outcomes vary; c5 still in progress.
	outcomes := []callcare.Outcome{
		callcare.OutcomeAnswered, callcare.OutcomeMissed, callcare.OutcomeAnswered,
		callcare.OutcomeAbandoned, callcare.OutcomeMissed, "",
	}
	at := func(i int) time.Time { return t0.Add(time.Duration(i) * time.Minute) }
	for i, o := range outcomes {
		rec := answeredCall(fmt.Sprintf("c%d", i), at(i))
		rec.Outcome = o
		rec.Attempts = rec.Attempts[:i%3] // 0, 1 or 2 attempts
		if len(rec.Attempts) == 0 {
			rec.Attempts = nil
		}
		MustSaveCall(t, db, rec)
	}
	// Same start as c2: ties are broken by id, newest first stays stable.
	tie := answeredCall("c2b", at(2))
	MustSaveCall(t, db, tie)

	for _, tc := range []struct {
		name   string
		filter callcare.CallFilter
		want   []string
	}{
		{"All", callcare.CallFilter{}, []string{"c5", "c4", "c3", "c2b", "c2", "c1", "c0"}},
		{"Since", callcare.CallFilter{Since: at(3)}, []string{"c5", "c4", "c3"}},
		{"SinceSubMillisecond", callcare.CallFilter{Since: at(3).Add(500 * time.Microsecond)}, []string{"c5", "c4", "c3"}},
		{"SinceOtherZone", callcare.CallFilter{Since: at(3).In(time.FixedZone("CET", 3600))}, []string{"c5", "c4", "c3"}},
		{"UntilExclusive", callcare.CallFilter{Until: at(2)}, []string{"c1", "c0"}},
		{"Window", callcare.CallFilter{Since: at(1), Until: at(4)}, []string{"c3", "c2b", "c2", "c1"}},
		{"Limit", callcare.CallFilter{Limit: 2}, []string{"c5", "c4"}},
		{"NegativeLimitIsAll", callcare.CallFilter{Limit: -1}, []string{"c5", "c4", "c3", "c2b", "c2", "c1", "c0"}},
		{"Outcome", callcare.CallFilter{Outcome: callcare.OutcomeMissed}, []string{"c4", "c1"}},
		{"OutcomeWindowLimit", callcare.CallFilter{Outcome: callcare.OutcomeAnswered, Since: at(0), Until: at(5), Limit: 2}, []string{"c2b", "c2"}},
		{"NoneMatch", callcare.CallFilter{Since: at(10)}, nil},
		{"EmptyWindow", callcare.CallFilter{Since: at(4), Until: at(1)}, nil},
		{"HostileOutcome", callcare.CallFilter{Outcome: "' OR 1=1 --"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls, err := db.Calls(context.Background(), tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range calls {
				got = append(got, c.ID)
				// Each call carries its own attempts, as Call returns them.
				assertRecord(t, c, MustCall(t, db, c.ID))
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("ids = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestDB_CallsInProgress: the calls not recorded as ended, answered or
// not: what a crash leaves open.
func TestDB_CallsInProgress(t *testing.T) {
	db := MustOpenDB(t)
	MustSaveCall(t, db, inProgress("ringing", t0))
	talking := answeredCall("talking", t0.Add(time.Minute))
	talking.EndedAt, talking.HungUpBy = time.Time{}, ""
	MustSaveCall(t, db, talking)
	MustSaveCall(t, db, answeredCall("ended", t0.Add(2*time.Minute)))
	for _, tc := range []struct {
		name   string
		filter callcare.CallFilter
		want   []string
	}{
		{"All", callcare.CallFilter{InProgress: true}, []string{"talking", "ringing"}},
		{"Until", callcare.CallFilter{InProgress: true, Until: t0.Add(time.Minute)}, []string{"ringing"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls, err := db.Calls(context.Background(), tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range calls {
				got = append(got, c.ID)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("ids = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestDB_Concurrent runs the service's writes and the CLI's reads on the same
// file at once, through separate handles and separate processes: nobody sees
// "database is locked" and nothing is lost.
func TestDB_Concurrent(t *testing.T) {
	const calls = 100

	t.Run("TwoDBs", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "callcare.db")
		service := MustOpenDBPath(t, path)
		cli := MustOpenDBPath(t, path)

		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		errc := make(chan error, 16)
		// Two writers: the service, and the CLI (callbacks done/schedule
		// will write from the command line while the service runs).
		for w, db := range []*sqlite.DB{service, cli} {
			wg.Go(func() {
				if err := writeCalls(ctx, db, fmt.Sprintf("w%d-", w), calls); err != nil {
					errc <- err
				}
			})
		}
		// Readers on both handles, until the writers are done.
		var rwg sync.WaitGroup
		for _, db := range []*sqlite.DB{service, cli, cli} {
			rwg.Go(func() {
				for ctx.Err() == nil {
					if _, err := db.Calls(ctx, callcare.CallFilter{Limit: 20}); err != nil && ctx.Err() == nil {
						errc <- err
						return
					}
				}
			})
		}
		wg.Wait()
		cancel()
		rwg.Wait()
		close(errc)
		for err := range errc {
			t.Error(err)
		}
		assertComplete(t, cli, 2*calls)
	})

	t.Run("TwoProcesses", func(t *testing.T) {
		if testing.Short() {
			t.Skip("spawns a process")
		}
		path := filepath.Join(t.TempDir(), "callcare.db")
		// The child opens the fresh file at the same time as we do, so the
		// migrations race too.
		cmd := exec.Command(os.Args[0], "-test.run=^TestDB_HelperProcess$", "-test.v")
		cmd.Env = append(os.Environ(), "CALLCARE_SQLITE_HELPER_DB="+path, "CALLCARE_SQLITE_HELPER_CALLS="+strconv.Itoa(calls))
		out := &lockedBuffer{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		db := MustOpenDBPath(t, path)
		ctx := context.Background()
		var wg sync.WaitGroup
		var werr, rerr error
		done := make(chan struct{})
		wg.Go(func() { werr = writeCalls(ctx, db, "parent-", calls) })
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				if _, err := db.Calls(ctx, callcare.CallFilter{Limit: 20}); err != nil {
					rerr = err
					return
				}
			}
		})
		cerr := cmd.Wait()
		close(done)
		wg.Wait()
		if cerr != nil {
			t.Fatalf("child: %v\n%s", cerr, out.String())
		}
		if werr != nil {
			t.Fatal(werr)
		}
		if rerr != nil {
			t.Fatal(rerr)
		}
		assertComplete(t, db, 2*calls)
	})
}

// TestDB_HelperProcess is the second process of TestDB_Concurrent.
func TestDB_HelperProcess(t *testing.T) {
	path := os.Getenv("CALLCARE_SQLITE_HELPER_DB")
	if path == "" {
		t.Skip("only run as TestDB_Concurrent's child")
	}
	n, _ := strconv.Atoi(os.Getenv("CALLCARE_SQLITE_HELPER_CALLS"))
	db := MustOpenDBPath(t, path)
	ctx := context.Background()
	var wg sync.WaitGroup
	var werr, rerr error
	wg.Go(func() { werr = writeCalls(ctx, db, "child-", n) })
	wg.Go(func() {
		for range n {
			if _, err := db.Calls(ctx, callcare.CallFilter{Since: t0}); err != nil {
				rerr = err
				return
			}
		}
	})
	wg.Wait()
	if werr != nil {
		t.Fatal(werr)
	}
	if rerr != nil {
		t.Fatal(rerr)
	}
}

// writeCalls writes n calls the way the service does: once at the start,
// once at the end, reading the call back in between as the CLI would.
func writeCalls(ctx context.Context, db *sqlite.DB, prefix string, n int) error {
	for i := range n {
		id := fmt.Sprintf("%s%03d", prefix, i)
		start := t0.Add(time.Duration(i) * time.Second)
		if err := db.SaveCall(ctx, inProgress(id, start)); err != nil {
			return err
		}
		if _, err := db.Call(ctx, id); err != nil {
			return err
		}
		if err := db.SaveCall(ctx, answeredCall(id, start)); err != nil {
			return err
		}
	}
	return nil
}

func assertComplete(tb testing.TB, db *sqlite.DB, n int) {
	tb.Helper()
	all, err := db.Calls(context.Background(), callcare.CallFilter{})
	if err != nil {
		tb.Fatal(err)
	}
	if len(all) != n {
		tb.Fatalf("calls = %d, want %d", len(all), n)
	}
	for _, c := range all {
		if c.Outcome != callcare.OutcomeAnswered || len(c.Attempts) != 2 {
			tb.Fatalf("call %s incomplete: outcome %q, %d attempts", c.ID, c.Outcome, len(c.Attempts))
		}
	}
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	return len(p), nil
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}

// BenchmarkSaveCall measures the call log's throughput: each iteration is one
// call written twice, at its start and at its end (two attempts), as the
// service does.
func BenchmarkSaveCall(b *testing.B) {
	db := MustOpenDB(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		id := "bench-" + strconv.Itoa(i)
		start := t0.Add(time.Duration(i) * time.Second)
		if err := db.SaveCall(ctx, inProgress(id, start)); err != nil {
			b.Fatal(err)
		}
		if err := db.SaveCall(ctx, answeredCall(id, start)); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
}

// TestDB_ClerksHungUpFirst: P4l counted per clerk, in a time window.
func TestDB_ClerksHungUpFirst(t *testing.T) {
	db := MustOpenDB(t)
	save := func(id string, at time.Time, clerk callcare.ClerkID) {
		rec := answeredCall(id, at)
		if clerk != "" {
			rec.HungUpBy, rec.HungUpClerk = callcare.PartyClerk, clerk
		}
		MustSaveCall(t, db, rec)
	}
	save("c1", t0, "anowak")
	save("c2", t0.Add(time.Hour), "anowak")
	save("c3", t0.Add(2*time.Hour), "pwisniewski")
	save("c4", t0.Add(3*time.Hour), "")
	save("c5", t0.Add(48*time.Hour), "anowak")
	if got := MustCall(t, db, "c3"); got.HungUpClerk != "pwisniewski" {
		t.Errorf("hung up clerk %q", got.HungUpClerk)
	}
	got, err := db.ClerksHungUpFirst(context.Background(), callcare.CallFilter{Since: t0, Until: t0.Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[callcare.ClerkID]int{"anowak": 2, "pwisniewski": 1}; !maps.Equal(got, want) {
		t.Errorf("counts %v, want %v", got, want)
	}
}

// TestDB_AttemptTransferredBy: a transfer's attempts keep who transferred (P4o).
func TestDB_AttemptTransferredBy(t *testing.T) {
	db := MustOpenDB(t)
	rec := answeredCall("c1", t0)
	rec.Attempts[len(rec.Attempts)-1].TransferredBy = "anowak"
	MustSaveCall(t, db, rec)
	got := MustCall(t, db, "c1")
	if a := got.Attempts[len(got.Attempts)-1]; a.TransferredBy != "anowak" {
		t.Errorf("attempt %+v", a)
	}
	if got.Attempts[0].TransferredBy != "" {
		t.Errorf("first attempt %+v", got.Attempts[0])
	}
}

// TestDB_SaveCalls: many records in one transaction, all or none.
func TestDB_SaveCalls(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	if err := db.SaveCalls(ctx, []callcare.CallRecord{inProgress("c1", t0), answeredCall("c2", t0)}); err != nil {
		t.Fatal(err)
	}
	if got := MustCall(t, db, "c2"); got.Outcome != callcare.OutcomeAnswered || len(got.Attempts) == 0 {
		t.Errorf("c2: %+v", got)
	}
	MustCall(t, db, "c1")
	bad := inProgress("c4", t0)
	bad.StartedAt = time.Time{}
	if err := db.SaveCalls(ctx, []callcare.CallRecord{answeredCall("c3", t0), bad}); err == nil {
		t.Fatal("a batch with a record without a start was saved")
	}
	if _, err := db.Call(ctx, "c3"); callcare.ErrorCode(err) != callcare.ENOTFOUND {
		t.Errorf("c3 of the refused batch: %v, want not found", err)
	}
}
