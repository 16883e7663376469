package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/sqlite"
)

// cb0 is a Friday morning in office hours.
var cb0 = time.Date(2025, 3, 7, 9, 30, 0, 0, time.UTC)

var (
	clerkAnowak = callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"}
	clerkBzielo = callcare.Target{Kind: callcare.TargetClerk, ID: "bzielinska"}
	dept200     = callcare.Target{Kind: callcare.TargetDepartment, ID: "200"}
	dept300     = callcare.Target{Kind: callcare.TargetDepartment, ID: "300"}
)

// missed is a task as policy.TaskFor makes it for a call missed at `at`,
// due two hours later.
func missed(number callcare.Number, target callcare.Target, at time.Time) callcare.CallbackTask {
	return callcare.CallbackTask{
		Number:  number,
		Dialed:  "101",
		Target:  target,
		Reason:  callcare.ReasonMissed,
		CallID:  "call-" + at.Format("150405.000"),
		FirstAt: at,
		LastAt:  at,
		Tries:   1,
		Due:     at.Add(2 * time.Hour),
		Status:  callcare.CallbackOpen,
	}
}

func special(t callcare.CallbackTask, needs callcare.NeedsSource) callcare.CallbackTask {
	t.Priority, t.Needs = callcare.PrioritySpecialNeeds, needs
	return t
}

func MustMissedCall(tb testing.TB, db *sqlite.DB, t callcare.CallbackTask) callcare.CallbackTask {
	tb.Helper()
	got, _, err := db.MissedCall(context.Background(), t)
	if err != nil {
		tb.Fatal(err)
	}
	return got
}

func MustCallback(tb testing.TB, db *sqlite.DB, id int64) callcare.CallbackTask {
	tb.Helper()
	t, err := db.Callback(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func assertTask(tb testing.TB, got, want callcare.CallbackTask) {
	tb.Helper()
	if !reflect.DeepEqual(got, want) {
		tb.Fatalf("task mismatch\n got: %+v\nwant: %+v", got, want)
	}
}

func ids(ts []callcare.CallbackTask) []int64 {
	out := []int64{}
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return out
}

func TestDB_MissedCall(t *testing.T) {
	ctx := context.Background()

	t.Run("Create", func(t *testing.T) {
		db := MustOpenDB(t)
		in := special(missed("+48855551234", clerkAnowak, cb0.Add(123456789*time.Nanosecond)), callcare.NeedsLine)
		in.Note = "callcare/note-1"
		in.Tries = 0            // a caller that leaves it zero still gets one try
		in.LastAt = time.Time{} // and LastAt = FirstAt
		got, created, err := db.MissedCall(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if !created {
			t.Fatal("created = false for the first call")
		}
		want := in
		want.ID = got.ID
		want.Tries = 1
		want.FirstAt = cb0.Add(123 * time.Millisecond) // kept at millisecond precision
		want.LastAt = want.FirstAt
		want.Due = want.FirstAt.Add(2 * time.Hour)
		assertTask(t, got, want)
		assertTask(t, MustCallback(t, db, got.ID), want)
	})

	t.Run("IgnoresStateFieldsOfTheInput", func(t *testing.T) {
		db := MustOpenDB(t)
		in := missed("600100200", clerkAnowak, cb0)
		in.ID, in.Status, in.Resolution, in.Attempts = 99, callcare.CallbackDone, callcare.ResolvedReached, 5
		in.ClaimedBy, in.ClaimedUntil, in.Overdue, in.ClosedAt = "x", cb0.Add(time.Hour), true, cb0
		got := MustMissedCall(t, db, in)
		if got.ID == 99 || got.Status != callcare.CallbackOpen || got.Resolution != "" || got.Attempts != 0 ||
			got.ClaimedBy != "" || !got.ClaimedUntil.IsZero() || got.Overdue || !got.ClosedAt.IsZero() {
			t.Fatalf("state fields taken from the input: %+v", got)
		}
	})

	t.Run("SecondCallUpdates", func(t *testing.T) {
		for _, tc := range []struct {
			name   string
			first  callcare.CallbackTask
			second callcare.CallbackTask
			want   func(first callcare.CallbackTask) callcare.CallbackTask
		}{
			{
				name:   "TriesAndLastAt",
				first:  missed("600100200", clerkAnowak, cb0),
				second: missed("600100200", clerkBzielo, cb0.Add(10*time.Minute)),
				want: func(w callcare.CallbackTask) callcare.CallbackTask {
					w.Tries, w.LastAt = 2, cb0.Add(10*time.Minute)
					return w // target, dialed, call id, due (earlier) kept
				},
			},
			{
				name:  "ReasonKept",
				first: missed("600100200", clerkAnowak, cb0),
				second: func() callcare.CallbackTask {
					t := missed("600100200", clerkAnowak, cb0.Add(time.Minute))
					t.Reason = callcare.ReasonAbandoned
					return t
				}(),
				want: func(w callcare.CallbackTask) callcare.CallbackTask {
					w.Tries, w.LastAt = 2, cb0.Add(time.Minute)
					return w
				},
			},
			{
				name:  "PriorityRaisedDueEarlier",
				first: missed("600100200", clerkAnowak, cb0),
				second: func() callcare.CallbackTask {
					t := special(missed("600100200", clerkAnowak, cb0.Add(time.Minute)), callcare.NeedsRegistry)
					t.Due = cb0.Add(time.Hour)
					return t
				}(),
				want: func(w callcare.CallbackTask) callcare.CallbackTask {
					w.Tries, w.LastAt = 2, cb0.Add(time.Minute)
					w.Priority, w.Needs, w.Due = callcare.PrioritySpecialNeeds, callcare.NeedsRegistry, cb0.Add(time.Hour)
					return w
				},
			},
			{
				name:   "PriorityNeverLowered",
				first:  special(missed("600100200", clerkAnowak, cb0), callcare.NeedsLine),
				second: missed("600100200", clerkAnowak, cb0.Add(time.Minute)), // due later
				want: func(w callcare.CallbackTask) callcare.CallbackTask {
					w.Tries, w.LastAt = 2, cb0.Add(time.Minute)
					return w
				},
			},
			{
				name: "DueFromSecondWhenFirstHadNone",
				first: func() callcare.CallbackTask {
					t := missed("600100200", clerkAnowak, cb0)
					t.Due = time.Time{}
					return t
				}(),
				second: missed("600100200", clerkAnowak, cb0.Add(time.Minute)),
				want: func(w callcare.CallbackTask) callcare.CallbackTask {
					w.Tries, w.LastAt, w.Due = 2, cb0.Add(time.Minute), cb0.Add(time.Minute+2*time.Hour)
					return w
				},
			},
			{
				name:  "DueKeptWhenSecondHasNone",
				first: missed("600100200", clerkAnowak, cb0),
				second: func() callcare.CallbackTask {
					t := missed("600100200", clerkAnowak, cb0.Add(time.Minute))
					t.Due = time.Time{}
					return t
				}(),
				want: func(w callcare.CallbackTask) callcare.CallbackTask {
					w.Tries, w.LastAt = 2, cb0.Add(time.Minute)
					return w
				},
			},
			{
				name:   "OutOfOrder",
				first:  missed("600100200", clerkAnowak, cb0.Add(time.Minute)),
				second: missed("600100200", clerkAnowak, cb0),
				want: func(w callcare.CallbackTask) callcare.CallbackTask {
					w.Tries, w.FirstAt, w.Due = 2, cb0, cb0.Add(2*time.Hour)
					return w // LastAt stays the later call
				},
			},
			{
				name: "NoteKeptAgreementReplaced",
				first: func() callcare.CallbackTask {
					t := missed("600100200", clerkAnowak, cb0)
					t.Note, t.AgreedAt = "note-1", cb0.Add(time.Hour)
					return t
				}(),
				second: func() callcare.CallbackTask {
					t := missed("600100200", clerkAnowak, cb0.Add(time.Minute))
					t.Note, t.AgreedAt = "note-2", cb0.Add(3*time.Hour)
					return t
				}(),
				want: func(w callcare.CallbackTask) callcare.CallbackTask {
					w.Tries, w.LastAt, w.AgreedAt = 2, cb0.Add(time.Minute), cb0.Add(3*time.Hour)
					return w
				},
			},
			{
				// P4m: the time was agreed with that clerk, and checked against
				// their agreed times: the task rings them, not the first call's.
				name:  "AgreementTakesItsClerk",
				first: missed("600100200", dept300, cb0),
				second: func() callcare.CallbackTask {
					t := missed("600100200", clerkAnowak, cb0.Add(time.Minute))
					t.Reason, t.AgreedAt = callcare.ReasonRequested, cb0.Add(3*time.Hour)
					return t
				}(),
				want: func(w callcare.CallbackTask) callcare.CallbackTask {
					w.Tries, w.LastAt, w.AgreedAt, w.Target = 2, cb0.Add(time.Minute), cb0.Add(3*time.Hour), clerkAnowak
					return w
				},
			},
			{
				// P4h: after a long hold, 1 asks for a callback of that clerk.
				name:  "LongHoldTakesItsClerk",
				first: missed("600100200", dept300, cb0),
				second: func() callcare.CallbackTask {
					t := missed("600100200", clerkAnowak, cb0.Add(time.Minute))
					t.Reason = callcare.ReasonLongHold
					return t
				}(),
				want: func(w callcare.CallbackTask) callcare.CallbackTask {
					w.Tries, w.LastAt, w.Target = 2, cb0.Add(time.Minute), clerkAnowak
					return w
				},
			},
			{
				// A long hold's request leaves a time agreed with another
				// clerk to that clerk: it was checked against their times.
				name: "LongHoldKeepsAnAgreedTime",
				first: func() callcare.CallbackTask {
					t := missed("600100200", dept300, cb0)
					t.AgreedAt = cb0.Add(3 * time.Hour)
					return t
				}(),
				second: func() callcare.CallbackTask {
					t := missed("600100200", clerkAnowak, cb0.Add(time.Minute))
					t.Reason = callcare.ReasonLongHold
					return t
				}(),
				want: func(w callcare.CallbackTask) callcare.CallbackTask {
					w.Tries, w.LastAt = 2, cb0.Add(time.Minute)
					return w
				},
			},
			{
				// Another missed call leaves the task to whom it was for.
				name:   "MissedKeepsTheTarget",
				first:  missed("600100200", dept300, cb0),
				second: missed("600100200", clerkAnowak, cb0.Add(time.Minute)),
				want: func(w callcare.CallbackTask) callcare.CallbackTask {
					w.Tries, w.LastAt = 2, cb0.Add(time.Minute)
					return w
				},
			},
			{
				name:  "NoteTakenWhenNone",
				first: missed("600100200", clerkAnowak, cb0),
				second: func() callcare.CallbackTask {
					t := missed("600100200", clerkAnowak, cb0.Add(time.Minute))
					t.Note = "note-2"
					return t
				}(),
				want: func(w callcare.CallbackTask) callcare.CallbackTask {
					w.Tries, w.LastAt, w.Note = 2, cb0.Add(time.Minute), "note-2"
					return w
				},
			},
		} {
			t.Run(tc.name, func(t *testing.T) {
				db := MustOpenDB(t)
				first, created, err := db.MissedCall(ctx, tc.first)
				if err != nil || !created {
					t.Fatalf("first: created %v, %v", created, err)
				}
				got, created, err := db.MissedCall(ctx, tc.second)
				if err != nil {
					t.Fatal(err)
				}
				if created {
					t.Fatal("second call created a task")
				}
				assertTask(t, got, tc.want(first))
				assertTask(t, MustCallback(t, db, first.ID), got)
				if all, _ := db.Callbacks(ctx, callcare.CallbackFilter{}); len(all) != 1 {
					t.Fatalf("%d tasks, want 1", len(all))
				}
			})
		}
	})

	t.Run("AgreementClearsOverdue", func(t *testing.T) {
		db := MustOpenDB(t)
		first := MustMissedCall(t, db, missed("600100200", clerkAnowak, cb0))
		if err := db.SetOverdue(ctx, first.ID, cb0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got := MustMissedCall(t, db, missed("600100200", clerkAnowak, cb0.Add(time.Minute))); !got.Overdue {
			t.Fatal("a call without an agreement cleared Overdue")
		}
		second := missed("600100200", clerkAnowak, cb0.Add(2*time.Minute))
		second.AgreedAt = cb0.Add(5 * time.Hour)
		if got := MustMissedCall(t, db, second); got.Overdue || !got.AgreedAt.Equal(second.AgreedAt) || got.Tries != 3 {
			t.Fatalf("after a new agreement: %+v", got)
		}
	})

	t.Run("NewTaskAfterClose", func(t *testing.T) {
		db := MustOpenDB(t)
		first := MustMissedCall(t, db, missed("600100200", clerkAnowak, cb0))
		if err := db.MarkDone(ctx, first.ID, callcare.ResolvedByClerk, "anowak", cb0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		second, created, err := db.MissedCall(ctx, missed("600100200", clerkAnowak, cb0.Add(2*time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		if !created || second.ID == first.ID || second.Tries != 1 {
			t.Fatalf("after close: created %v, id %d (first %d), tries %d", created, second.ID, first.ID, second.Tries)
		}
		if got := MustCallback(t, db, first.ID); got.Status != callcare.CallbackDone || got.Tries != 1 {
			t.Fatalf("closed task changed: %+v", got)
		}
	})

	t.Run("WeirdNumbers", func(t *testing.T) {
		// The caller decides what can be called back; the store keeps any
		// text verbatim, dedups it exactly and never lets it reach SQL.
		db := MustOpenDB(t)
		numbers := []string{
			"anonymous",
			"Anonymous",
			" ",
			"+48 600-100-200",
			"' OR '1'='1",
			"'); DROP TABLE callbacks; --",
			"%_*?",
			"zażółć 📞",
			"a\x00b",
			"a\x00c",
			"\xff\xfe",
			"\n\r\t",
			strings.Repeat("9", 10_000),
		}
		created := map[string]int64{}
		for _, n := range numbers {
			got, ok, err := db.MissedCall(ctx, missed(callcare.Number(n), dept200, cb0))
			if err != nil {
				t.Fatalf("%q: %v", n, err)
			}
			if !ok || string(got.Number) != n {
				t.Fatalf("%q: created %v, stored as %q", n, ok, got.Number)
			}
			created[n] = got.ID
		}
		for _, n := range numbers {
			got, ok, err := db.MissedCall(ctx, missed(callcare.Number(n), dept200, cb0.Add(time.Minute)))
			if err != nil {
				t.Fatalf("%q again: %v", n, err)
			}
			if ok || got.ID != created[n] || got.Tries != 2 {
				t.Fatalf("%q again: created %v, id %d (want %d), tries %d", n, ok, got.ID, created[n], got.Tries)
			}
			byNumber, err := db.Callbacks(ctx, callcare.CallbackFilter{Number: callcare.Number(n)})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ids(byNumber), []int64{created[n]}) {
				t.Fatalf("Callbacks(Number %q) = %v, want [%d]", n, ids(byNumber), created[n])
			}
		}
		all, err := db.Callbacks(ctx, callcare.CallbackFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != len(numbers) {
			t.Fatalf("%d tasks, want %d", len(all), len(numbers))
		}
		// A hostile number closes only itself.
		if n, err := db.CloseCallbacks(ctx, "' OR '1'='1", callcare.ResolvedGotThrough, "citizen", cb0.Add(time.Hour)); err != nil || n != 1 {
			t.Fatalf("CloseCallbacks = %d, %v; want 1", n, err)
		}
		open, _ := db.Callbacks(ctx, callcare.CallbackFilter{Status: callcare.CallbackOpen})
		if len(open) != len(numbers)-1 {
			t.Fatalf("%d open after closing one, want %d", len(open), len(numbers)-1)
		}
	})

	t.Run("Invalid", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			task callcare.CallbackTask
		}{
			{"EmptyNumber", missed("", clerkAnowak, cb0)},
			{"NoTime", func() callcare.CallbackTask {
				t := missed("600100200", clerkAnowak, cb0)
				t.FirstAt = time.Time{}
				return t
			}()},
		} {
			t.Run(tc.name, func(t *testing.T) {
				db := MustOpenDB(t)
				if _, _, err := db.MissedCall(ctx, tc.task); err == nil {
					t.Fatal("expected error")
				}
				if all, _ := db.Callbacks(ctx, callcare.CallbackFilter{}); len(all) != 0 {
					t.Fatalf("%d tasks written", len(all))
				}
			})
		}
	})

	t.Run("ErrorMasksNumber", func(t *testing.T) {
		db := MustOpenDB(t)
		bad := missed("600100200", clerkAnowak, cb0)
		bad.FirstAt = time.Time{}
		_, _, err := db.MissedCall(ctx, bad)
		if err == nil || strings.Contains(err.Error(), "600100200") {
			t.Fatalf("error %v shows the whole number", err)
		}
	})

	t.Run("CommittedForAnotherHandle", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "callcare.db")
		service := MustOpenDBPath(t, path)
		got := MustMissedCall(t, service, missed("600100200", clerkAnowak, cb0))
		cli := MustOpenDBPath(t, path)
		assertTask(t, MustCallback(t, cli, got.ID), got)
	})
}

// TestDB_MissedCall_Concurrent records the same missed calls through two
// handles (as two processes would) and two goroutines each, at once: one task
// per number, every call counted.
func TestDB_MissedCall_Concurrent(t *testing.T) {
	const (
		numbers = 25
		writers = 2 // goroutines per handle
	)
	path := filepath.Join(t.TempDir(), "callcare.db")
	dbs := []*sqlite.DB{MustOpenDBPath(t, path), MustOpenDBPath(t, path)}
	ctx := context.Background()

	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		created = map[string]int{}
		errs    []error
	)
	start := make(chan struct{})
	for h, db := range dbs {
		for w := range writers {
			wg.Go(func() {
				<-start
				for i := range numbers {
					n := fmt.Sprintf("60010%04d", i)
					task := missed(callcare.Number(n), dept200, cb0.Add(time.Duration(h*writers+w)*time.Second))
					_, ok, err := db.MissedCall(ctx, task)
					mu.Lock()
					if err != nil {
						errs = append(errs, err)
					} else if ok {
						created[n]++
					}
					mu.Unlock()
				}
			})
		}
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		t.Error(err)
	}
	all, err := dbs[0].Callbacks(ctx, callcare.CallbackFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != numbers {
		t.Fatalf("%d tasks, want %d", len(all), numbers)
	}
	calls := len(dbs) * writers
	for _, task := range all {
		if task.Tries != calls || created[string(task.Number)] != 1 {
			t.Errorf("%s: tries %d (want %d), created %d times", task.Number, task.Tries, calls, created[string(task.Number)])
		}
		if !task.FirstAt.Equal(cb0) || !task.LastAt.Equal(cb0.Add(time.Duration(calls-1)*time.Second)) {
			t.Errorf("%s: first %v, last %v", task.Number, task.FirstAt, task.LastAt)
		}
	}
}

func TestDB_Callbacks(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)

	// Created in this order, so ids are 1...
	normalEarly := MustMissedCall(t, db, missed("600000001", clerkAnowak, cb0))                                // due +2h
	normalLate := MustMissedCall(t, db, missed("600000002", dept200, cb0.Add(time.Hour)))                      // due +3h
	specialLate := MustMissedCall(t, db, special(missed("600000003", dept200, cb0.Add(2*time.Hour)), "line"))  // due +4h
	specialEarly := MustMissedCall(t, db, special(missed("600000004", clerkBzielo, cb0), callcare.NeedsClerk)) // due +2h
	agreedSoon := MustMissedCall(t, db, func() callcare.CallbackTask {                                         // due +2h30, agreed +1h
		t := missed("600000005", dept300, cb0.Add(30*time.Minute))
		t.AgreedAt = cb0.Add(time.Hour)
		return t
	}())
	noDue := MustMissedCall(t, db, func() callcare.CallbackTask {
		t := missed("600000006", clerkAnowak, cb0)
		t.Due = time.Time{}
		return t
	}())
	sameDue := MustMissedCall(t, db, missed("600000007", clerkAnowak, cb0)) // ties with normalEarly: id decides
	closed := MustMissedCall(t, db, missed("600000008", clerkAnowak, cb0))
	if err := db.MarkDone(ctx, closed.ID, callcare.ResolvedByClerk, "admin", cb0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	closed = MustCallback(t, db, closed.ID)

	for _, tc := range []struct {
		name string
		f    callcare.CallbackFilter
		want []callcare.CallbackTask
	}{
		{"All", callcare.CallbackFilter{}, []callcare.CallbackTask{specialEarly, specialLate, agreedSoon, normalEarly, sameDue, closed, normalLate, noDue}},
		{"Open", callcare.CallbackFilter{Status: callcare.CallbackOpen}, []callcare.CallbackTask{specialEarly, specialLate, agreedSoon, normalEarly, sameDue, normalLate, noDue}},
		{"Done", callcare.CallbackFilter{Status: callcare.CallbackDone}, []callcare.CallbackTask{closed}},
		{"Limit", callcare.CallbackFilter{Status: callcare.CallbackOpen, Limit: 2}, []callcare.CallbackTask{specialEarly, specialLate}},
		{"Clerk", callcare.CallbackFilter{Clerk: "anowak", Status: callcare.CallbackOpen}, []callcare.CallbackTask{normalEarly, sameDue, noDue}},
		{"Department", callcare.CallbackFilter{Department: "200"}, []callcare.CallbackTask{specialLate, normalLate}},
		{"ClerkAndDepartment", callcare.CallbackFilter{Clerk: "anowak", Department: "200", Status: callcare.CallbackOpen}, []callcare.CallbackTask{specialLate, normalEarly, sameDue, normalLate, noDue}},
		{"DepartmentIsNotAClerk", callcare.CallbackFilter{Clerk: "200"}, []callcare.CallbackTask{}},
		{"Number", callcare.CallbackFilter{Number: "600000004"}, []callcare.CallbackTask{specialEarly}},
		{"UnknownNumber", callcare.CallbackFilter{Number: "' OR 1=1 --"}, []callcare.CallbackTask{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := db.Callbacks(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ids(got), ids(tc.want)) {
				t.Fatalf("ids = %v, want %v", ids(got), ids(tc.want))
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("tasks = %+v\nwant %+v", got, tc.want)
			}
		})
	}

	t.Run("NotFound", func(t *testing.T) {
		if _, err := db.Callback(ctx, 999); callcare.ErrorCode(err) != callcare.ENOTFOUND {
			t.Fatalf("Callback(999) = %v, want ErrNotFound", err)
		}
		if _, err := db.CallbackAttempts(ctx, 999); callcare.ErrorCode(err) != callcare.ENOTFOUND {
			t.Fatalf("CallbackAttempts(999) = %v, want ErrNotFound", err)
		}
	})
}

func TestDB_ClaimNext(t *testing.T) {
	ctx := context.Background()
	const lease = 2 * time.Minute
	now := cb0.Add(time.Hour)

	claim := func(t *testing.T, db *sqlite.DB, clerk callcare.ClerkID, dept string, skip ...int64) (callcare.CallbackTask, bool) {
		t.Helper()
		task, ok, err := db.ClaimNext(ctx, clerk, dept, skip, now, lease)
		if err != nil {
			t.Fatal(err)
		}
		return task, ok
	}
	// drain claims until nothing waits, skipping what was claimed, and
	// returns the ids in the order handed out.
	drain := func(t *testing.T, db *sqlite.DB, clerk callcare.ClerkID, dept string) []int64 {
		t.Helper()
		got := []int64{}
		for {
			task, ok := claim(t, db, clerk, dept, got...)
			if !ok {
				return got
			}
			got = append(got, task.ID)
		}
	}

	// P5.3: special needs jump the whole queue, the department's too;
	// among the rest a clerk's own come before the department's.
	t.Run("SpecialNeedsThenOwnBeforeDepartment", func(t *testing.T) {
		db := MustOpenDB(t)
		deptSpecial := MustMissedCall(t, db, special(missed("600000001", dept200, cb0), callcare.NeedsLine))
		deptNormal := MustMissedCall(t, db, missed("600000002", dept200, cb0))
		ownLate := MustMissedCall(t, db, missed("600000003", clerkAnowak, cb0.Add(20*time.Minute)))
		ownEarly := MustMissedCall(t, db, missed("600000004", clerkAnowak, cb0.Add(10*time.Minute)))
		ownSpecial := MustMissedCall(t, db, special(missed("600000005", clerkAnowak, cb0.Add(30*time.Minute)), callcare.NeedsRegistry))
		MustMissedCall(t, db, missed("600000006", clerkBzielo, cb0)) // another clerk's
		MustMissedCall(t, db, missed("600000007", dept300, cb0))     // another department's

		if own, dept, err := db.CountWaiting(ctx, "anowak", "200", now); err != nil || own != 3 || dept != 2 {
			t.Fatalf("CountWaiting = %d, %d, %v; want 3, 2", own, dept, err)
		}
		want := []int64{ownSpecial.ID, deptSpecial.ID, ownEarly.ID, ownLate.ID, deptNormal.ID}
		if got := drain(t, db, "anowak", "200"); !reflect.DeepEqual(got, want) {
			t.Fatalf("claimed %v, want %v", got, want)
		}
		// Every claim is recorded.
		for _, id := range want {
			if got := MustCallback(t, db, id); got.ClaimedBy != "anowak" || !got.ClaimedUntil.Equal(now.Add(lease)) {
				t.Fatalf("task %d: claimed by %q until %v", id, got.ClaimedBy, got.ClaimedUntil)
			}
		}
		// A clerk with no department sees only their own.
		if got := drain(t, db, "bzielinska", ""); len(got) != 1 {
			t.Fatalf("bzielinska claimed %v, want one task", got)
		}
	})

	t.Run("SkipList", func(t *testing.T) {
		db := MustOpenDB(t)
		a := MustMissedCall(t, db, missed("600000001", clerkAnowak, cb0))
		b := MustMissedCall(t, db, missed("600000002", clerkAnowak, cb0.Add(time.Minute)))
		if got, ok := claim(t, db, "anowak", "", a.ID); !ok || got.ID != b.ID {
			t.Fatalf("skipping %d: got %d (%v), want %d", a.ID, got.ID, ok, b.ID)
		}
		if _, ok := claim(t, db, "anowak", "", a.ID, b.ID); ok {
			t.Fatal("claimed a task from the skip list")
		}
		// Skipped but claimed earlier: a skip is not a release, b stays claimed.
		if got := MustCallback(t, db, b.ID); got.ClaimedBy != "anowak" {
			t.Fatalf("b claimed by %q", got.ClaimedBy)
		}
	})

	t.Run("OwnClaimDoesNotHideFromSelf", func(t *testing.T) {
		// A clerk whose phone flow died gets their task back at once.
		db := MustOpenDB(t)
		a := MustMissedCall(t, db, missed("600000001", dept200, cb0))
		first, _ := claim(t, db, "anowak", "200")
		again, ok := claim(t, db, "anowak", "200")
		if !ok || again.ID != a.ID || first.ID != a.ID {
			t.Fatalf("claim again: %d (%v), want %d", again.ID, ok, a.ID)
		}
	})

	t.Run("ClaimHidesFromOthersUntilItExpires", func(t *testing.T) {
		db := MustOpenDB(t)
		a := MustMissedCall(t, db, missed("600000001", dept200, cb0))
		if _, ok := claim(t, db, "anowak", "200"); !ok {
			t.Fatal("nothing claimed")
		}
		if _, ok := claim(t, db, "bzielinska", "200"); ok {
			t.Fatal("a claimed task was handed to another clerk")
		}
		if _, dept, _ := db.CountWaiting(ctx, "bzielinska", "200", now); dept != 0 {
			t.Fatalf("another clerk's claimed task counted: %d", dept)
		}
		// Just before the claim ends it still holds; at its end it is free.
		for _, tc := range []struct {
			at   time.Time
			want bool
		}{
			{now.Add(lease - time.Millisecond), false},
			{now.Add(lease), true},
		} {
			got, ok, err := db.ClaimNext(ctx, "bzielinska", "200", nil, tc.at, lease)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tc.want {
				t.Fatalf("at %v: ok = %v, want %v", tc.at, ok, tc.want)
			}
			if ok && (got.ID != a.ID || got.ClaimedBy != "bzielinska" || !got.ClaimedUntil.Equal(tc.at.Add(lease))) {
				t.Fatalf("claim after expiry: %+v", got)
			}
		}
	})

	t.Run("Release", func(t *testing.T) {
		db := MustOpenDB(t)
		a := MustMissedCall(t, db, missed("600000001", dept200, cb0))
		claim(t, db, "anowak", "200")
		// Another clerk cannot end anowak's claim.
		if err := db.Release(ctx, a.ID, "bzielinska"); err != nil {
			t.Fatal(err)
		}
		if _, ok := claim(t, db, "bzielinska", "200"); ok {
			t.Fatal("released by the wrong clerk")
		}
		if err := db.Release(ctx, a.ID, "anowak"); err != nil {
			t.Fatal(err)
		}
		if got := MustCallback(t, db, a.ID); got.ClaimedBy != "" || !got.ClaimedUntil.IsZero() {
			t.Fatalf("after release: claimed by %q until %v", got.ClaimedBy, got.ClaimedUntil)
		}
		if got, ok := claim(t, db, "bzielinska", "200"); !ok || got.ID != a.ID {
			t.Fatal("released task not handed out")
		}
		if err := db.Release(ctx, 999, "anowak"); callcare.ErrorCode(err) != callcare.ENOTFOUND {
			t.Fatalf("Release(999) = %v, want ErrNotFound", err)
		}
	})

	t.Run("NotReady", func(t *testing.T) {
		for _, tc := range []struct {
			name  string
			setup func(t *testing.T, db *sqlite.DB, id int64)
		}{
			{"Closed", func(t *testing.T, db *sqlite.DB, id int64) {
				if err := db.MarkDone(ctx, id, callcare.ResolvedByClerk, "admin", cb0); err != nil {
					t.Fatal(err)
				}
			}},
			{"AgreedLater", func(t *testing.T, db *sqlite.DB, id int64) {
				if err := db.Schedule(ctx, id, now.Add(time.Minute)); err != nil {
					t.Fatal(err)
				}
			}},
			{"RetryLater", func(t *testing.T, db *sqlite.DB, id int64) {
				a, err := db.StartAttempt(ctx, id, "anowak", "ch-1", cb0)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := db.FinishAttempt(ctx, id, a.Seq, callcare.AttemptNoAnswer, cb0, now.Add(time.Millisecond), ""); err != nil {
					t.Fatal(err)
				}
			}},
			{"AttemptUnderWay", func(t *testing.T, db *sqlite.DB, id int64) {
				if _, err := db.StartAttempt(ctx, id, "bzielinska", "ch-1", cb0); err != nil {
					t.Fatal(err)
				}
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				// a would come first; b, due later, is the one ready.
				db := MustOpenDB(t)
				a := MustMissedCall(t, db, missed("600000001", dept200, cb0))
				b := MustMissedCall(t, db, missed("600000002", dept200, cb0.Add(time.Minute)))
				tc.setup(t, db, a.ID)
				if own, dept, err := db.CountWaiting(ctx, "anowak", "200", now); err != nil || own != 0 || dept != 1 {
					t.Fatalf("CountWaiting = %d, %d, %v; want 0, 1", own, dept, err)
				}
				if got := drain(t, db, "anowak", "200"); !reflect.DeepEqual(got, []int64{b.ID}) {
					t.Fatalf("claimed %v, want [%d]", got, b.ID)
				}
			})
		}
	})

	t.Run("ReadyAgain", func(t *testing.T) {
		// Agreed or retry time reached: ready.
		db := MustOpenDB(t)
		a := MustMissedCall(t, db, missed("600000001", dept200, cb0))
		b := MustMissedCall(t, db, missed("600000002", dept200, cb0))
		if err := db.Schedule(ctx, a.ID, now); err != nil {
			t.Fatal(err)
		}
		at, err := db.StartAttempt(ctx, b.ID, "anowak", "ch-1", cb0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.FinishAttempt(ctx, b.ID, at.Seq, callcare.AttemptBusy, cb0, now, ""); err != nil {
			t.Fatal(err)
		}
		if _, dept, _ := db.CountWaiting(ctx, "anowak", "200", now); dept != 2 {
			t.Fatalf("dept = %d, want 2", dept)
		}
		if got := drain(t, db, "anowak", "200"); len(got) != 2 {
			t.Fatalf("claimed %v, want both", got)
		}
	})

	t.Run("Invalid", func(t *testing.T) {
		db := MustOpenDB(t)
		for _, tc := range []struct {
			name  string
			clerk callcare.ClerkID
			now   time.Time
			lease time.Duration
		}{
			{"NoClerk", "", now, lease},
			{"NoTime", "anowak", time.Time{}, lease},
			{"NoLease", "anowak", now, 0},
		} {
			if _, _, err := db.ClaimNext(ctx, tc.clerk, "200", nil, tc.now, tc.lease); err == nil {
				t.Errorf("%s: expected error", tc.name)
			}
		}
	})
}

// TestDB_ClaimNext_Concurrent has clerks on two handles (as the service and a
// second process would be) press "next" at once until the queue is empty:
// every task is handed out exactly once.
func TestDB_ClaimNext_Concurrent(t *testing.T) {
	const (
		tasks   = 50
		perConn = 2
	)
	for _, tc := range []struct {
		name   string
		target func(i int) callcare.Target
	}{
		{"Department", func(int) callcare.Target { return dept200 }},
		// Half the tasks each clerk's own, the rest the department's: own
		// tasks first must not let two clerks meet on a department task.
		{"Mixed", func(i int) callcare.Target {
			switch i % 3 {
			case 0:
				return callcare.Target{Kind: callcare.TargetClerk, ID: "clerk-0-0"}
			case 1:
				return callcare.Target{Kind: callcare.TargetClerk, ID: "clerk-1-1"}
			}
			return dept200
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "callcare.db")
			dbs := []*sqlite.DB{MustOpenDBPath(t, path), MustOpenDBPath(t, path)}
			ctx := context.Background()
			for i := range tasks {
				task := missed(callcare.Number(fmt.Sprintf("6000%05d", i)), tc.target(i), cb0.Add(time.Duration(i)*time.Second))
				if i%5 == 0 {
					task = special(task, callcare.NeedsRegistry)
				}
				MustMissedCall(t, dbs[i%2], task)
			}
			now := cb0.Add(time.Hour)

			var (
				wg    sync.WaitGroup
				mu    sync.Mutex
				owner = map[int64][]callcare.ClerkID{}
				errs  []error
			)
			start := make(chan struct{})
			for h, db := range dbs {
				for g := range perConn {
					clerk := callcare.ClerkID(fmt.Sprintf("clerk-%d-%d", h, g))
					wg.Go(func() {
						<-start
						var mine []int64
						for {
							task, ok, err := db.ClaimNext(ctx, clerk, "200", mine, now, time.Hour)
							if err != nil {
								mu.Lock()
								errs = append(errs, err)
								mu.Unlock()
								return
							}
							if !ok {
								return
							}
							mine = append(mine, task.ID)
							mu.Lock()
							owner[task.ID] = append(owner[task.ID], clerk)
							mu.Unlock()
						}
					})
				}
			}
			close(start)
			wg.Wait()
			for _, err := range errs {
				t.Error(err)
			}
			if len(owner) != tasks {
				t.Errorf("%d tasks claimed, want %d", len(owner), tasks)
			}
			for id, clerks := range owner {
				if len(clerks) != 1 {
					t.Errorf("task %d handed to %v", id, clerks)
				}
				if got := MustCallback(t, dbs[0], id); got.ClaimedBy != clerks[0] {
					t.Errorf("task %d stored as claimed by %q, handed to %v", id, got.ClaimedBy, clerks)
				}
			}
		})
	}
}

func TestDB_Attempts(t *testing.T) {
	ctx := context.Background()

	t.Run("Lifecycle", func(t *testing.T) {
		db := MustOpenDB(t)
		task := MustMissedCall(t, db, missed("600100200", dept200, cb0))
		if _, ok, err := db.ClaimNext(ctx, "anowak", "200", nil, cb0.Add(time.Hour), time.Minute); err != nil || !ok {
			t.Fatalf("claim: %v, %v", ok, err)
		}

		// 1st attempt: no answer, retry in 15 minutes.
		at1 := cb0.Add(time.Hour)
		a1, err := db.StartAttempt(ctx, task.ID, "anowak", "cb-ch-1", at1)
		if err != nil {
			t.Fatal(err)
		}
		want1 := callcare.CallbackAttempt{TaskID: task.ID, Seq: 1, Clerk: "anowak", Channel: "cb-ch-1", StartedAt: at1, Result: callcare.AttemptPending}
		if !reflect.DeepEqual(a1, want1) {
			t.Fatalf("attempt = %+v, want %+v", a1, want1)
		}
		if got := MustCallback(t, db, task.ID); got.Attempts != 1 {
			t.Fatalf("Attempts = %d, want 1", got.Attempts)
		}
		// Only one attempt at a time: the citizen may be ringing.
		if _, err := db.StartAttempt(ctx, task.ID, "bzielinska", "cb-ch-x", at1); callcare.ErrorCode(err) != callcare.ECONFLICT {
			t.Fatalf("second start = %v, want ErrAttemptPending", err)
		}
		if pending, err := db.PendingAttempts(ctx); err != nil || !reflect.DeepEqual(pending, []callcare.CallbackAttempt{want1}) {
			t.Fatalf("pending = %+v, %v", pending, err)
		}
		next := at1.Add(15 * time.Minute)
		end1 := at1.Add(40 * time.Second)
		if ok, err := db.FinishAttempt(ctx, task.ID, 1, callcare.AttemptNoAnswer, end1, next, ""); err != nil || !ok {
			t.Fatalf("finish = %v, %v", ok, err)
		}
		// A second finish (e.g. a late event after the restart sweep) is a no-op.
		if ok, err := db.FinishAttempt(ctx, task.ID, 1, callcare.AttemptInterrupted, end1.Add(time.Hour), time.Time{}, callcare.ResolvedUnreachable); err != nil || ok {
			t.Fatalf("second finish = %v, %v; want false, nil", ok, err)
		}
		got := MustCallback(t, db, task.ID)
		if got.Status != callcare.CallbackOpen || !got.NextAttemptAt.Equal(next) || got.ClaimedBy != "anowak" {
			t.Fatalf("after no answer: %+v", got)
		}
		if pending, _ := db.PendingAttempts(ctx); len(pending) != 0 {
			t.Fatalf("pending after finish: %+v", pending)
		}

		// A channel id is used once, ever: the attempt is refused whole.
		if _, err := db.StartAttempt(ctx, task.ID, "anowak", "cb-ch-1", next); err == nil {
			t.Fatal("started an attempt with a used channel id")
		}
		if got := MustCallback(t, db, task.ID); got.Attempts != 1 {
			t.Fatalf("refused attempt counted: Attempts = %d", got.Attempts)
		}

		// 2nd attempt: reached; the policy closes the task.
		a2, err := db.StartAttempt(ctx, task.ID, "anowak", "cb-ch-2", next)
		if err != nil {
			t.Fatal(err)
		}
		if a2.Seq != 2 {
			t.Fatalf("seq = %d, want 2", a2.Seq)
		}
		end2 := next.Add(3 * time.Minute)
		if ok, err := db.FinishAttempt(ctx, task.ID, 2, callcare.AttemptReached, end2, time.Time{}, callcare.ResolvedReached); err != nil || !ok {
			t.Fatalf("finish 2 = %v, %v", ok, err)
		}
		got = MustCallback(t, db, task.ID)
		want := task
		want.Attempts = 2
		want.Status, want.Resolution, want.ClosedAt, want.ClosedBy = callcare.CallbackDone, callcare.ResolvedReached, end2, "anowak"
		assertTask(t, got, want) // claim and retry wait gone

		attempts, err := db.CallbackAttempts(ctx, task.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantAttempts := []callcare.CallbackAttempt{
			{TaskID: task.ID, Seq: 1, Clerk: "anowak", Channel: "cb-ch-1", StartedAt: at1, EndedAt: end1, Result: callcare.AttemptNoAnswer},
			{TaskID: task.ID, Seq: 2, Clerk: "anowak", Channel: "cb-ch-2", StartedAt: next, EndedAt: end2, Result: callcare.AttemptReached},
		}
		if !reflect.DeepEqual(attempts, wantAttempts) {
			t.Fatalf("attempts = %+v\nwant %+v", attempts, wantAttempts)
		}

		// Closed: no more attempts.
		if _, err := db.StartAttempt(ctx, task.ID, "anowak", "cb-ch-3", end2); callcare.ErrorCode(err) != callcare.ECONFLICT {
			t.Fatalf("start on closed = %v, want ErrClosed", err)
		}
	})

	t.Run("ClosedMeanwhileKeepsResolution", func(t *testing.T) {
		// The citizen got through while a clerk's callback was ringing.
		db := MustOpenDB(t)
		task := MustMissedCall(t, db, missed("600100200", dept200, cb0))
		if _, err := db.StartAttempt(ctx, task.ID, "anowak", "ch-1", cb0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if n, err := db.CloseCallbacks(ctx, "600100200", callcare.ResolvedGotThrough, "citizen", cb0.Add(time.Hour+time.Second)); err != nil || n != 1 {
			t.Fatalf("CloseCallbacks = %d, %v", n, err)
		}
		if ok, err := db.FinishAttempt(ctx, task.ID, 1, callcare.AttemptBusy, cb0.Add(time.Hour+2*time.Second), cb0.Add(2*time.Hour), ""); err != nil || !ok {
			t.Fatalf("finish = %v, %v", ok, err)
		}
		got := MustCallback(t, db, task.ID)
		if got.Resolution != callcare.ResolvedGotThrough || got.ClosedBy != "citizen" || !got.NextAttemptAt.IsZero() {
			t.Fatalf("task changed by a late finish: %+v", got)
		}
	})

	t.Run("PendingOldestFirst", func(t *testing.T) {
		db := MustOpenDB(t)
		a := MustMissedCall(t, db, missed("600000001", dept200, cb0))
		b := MustMissedCall(t, db, missed("600000002", dept200, cb0))
		c := MustMissedCall(t, db, missed("600000003", dept200, cb0))
		for _, s := range []struct {
			id int64
			at time.Time
		}{{b.ID, cb0.Add(time.Minute)}, {a.ID, cb0.Add(2 * time.Minute)}, {c.ID, cb0.Add(30 * time.Second)}} {
			if _, err := db.StartAttempt(ctx, s.id, "anowak", fmt.Sprint("ch-", s.id), s.at); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.FinishAttempt(ctx, c.ID, 1, callcare.AttemptFailed, cb0.Add(time.Minute), time.Time{}, ""); err != nil {
			t.Fatal(err)
		}
		// A restarted service (a new handle) finds the others.
		pending, err := db.PendingAttempts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, p := range pending {
			got = append(got, p.TaskID)
		}
		if !reflect.DeepEqual(got, []int64{b.ID, a.ID}) {
			t.Fatalf("pending tasks %v, want [%d %d]", got, b.ID, a.ID)
		}
	})

	t.Run("Errors", func(t *testing.T) {
		db := MustOpenDB(t)
		task := MustMissedCall(t, db, missed("600100200", dept200, cb0))
		for _, tc := range []struct {
			name string
			err  error
			want string
		}{
			{"StartMissingTask", func() error { _, err := db.StartAttempt(ctx, 999, "anowak", "ch-1", cb0); return err }(), callcare.ENOTFOUND},
			{"StartNoChannel", func() error { _, err := db.StartAttempt(ctx, task.ID, "anowak", "", cb0); return err }(), ""},
			{"StartNoTime", func() error { _, err := db.StartAttempt(ctx, task.ID, "anowak", "ch-1", time.Time{}); return err }(), ""},
			{"FinishMissing", func() error {
				_, err := db.FinishAttempt(ctx, task.ID, 7, callcare.AttemptReached, cb0, time.Time{}, "")
				return err
			}(), callcare.ENOTFOUND},
			{"FinishPending", func() error {
				_, err := db.FinishAttempt(ctx, task.ID, 1, callcare.AttemptPending, cb0, time.Time{}, "")
				return err
			}(), ""},
		} {
			if tc.err == nil {
				t.Errorf("%s: no error", tc.name)
			} else if tc.want != "" && callcare.ErrorCode(tc.err) != tc.want {
				t.Errorf("%s: %v, want %v", tc.name, tc.err, tc.want)
			}
		}
		if got := MustCallback(t, db, task.ID); got.Attempts != 0 {
			t.Fatalf("refused attempts counted: %d", got.Attempts)
		}
	})
}

func TestDB_CloseCallbacks(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	a := MustMissedCall(t, db, missed("600100200", dept200, cb0))
	other := MustMissedCall(t, db, missed("600100201", dept200, cb0))
	if _, ok, err := db.ClaimNext(ctx, "anowak", "200", nil, cb0, time.Minute); err != nil || !ok {
		t.Fatal(ok, err)
	}
	at := cb0.Add(time.Hour)
	for _, tc := range []struct {
		name   string
		number callcare.Number
		want   int
	}{
		{"Closes", "600100200", 1},
		{"Again", "600100200", 0},
		{"Unknown", "700000000", 0},
		{"Pattern", "6001002%", 0},
		{"Empty", "", 0},
	} {
		n, err := db.CloseCallbacks(ctx, tc.number, callcare.ResolvedGotThrough, "citizen", at)
		if err != nil || n != tc.want {
			t.Errorf("%s: %d, %v; want %d", tc.name, n, err, tc.want)
		}
	}
	got := MustCallback(t, db, a.ID)
	want := a
	want.Status, want.Resolution, want.ClosedAt, want.ClosedBy = callcare.CallbackDone, callcare.ResolvedGotThrough, at, "citizen"
	assertTask(t, got, want) // claim released
	if got := MustCallback(t, db, other.ID); got.Status != callcare.CallbackOpen {
		t.Fatal("closed another number's task")
	}
	if _, err := db.CloseCallbacks(ctx, "600100201", "", "citizen", at); err == nil {
		t.Fatal("closed without a resolution")
	}
	if _, err := db.CloseCallbacks(ctx, "600100201", callcare.ResolvedOutbound, "anowak", time.Time{}); err == nil {
		t.Fatal("closed without a time")
	}
}

// TestDB_CloseCallbacks_AgreedTimeStays (P4m): a callback at a time agreed
// with the citizen stays open when the citizen gets through by
// themselves; a clerk's own answered call to them closes it.
func TestDB_CloseCallbacks_AgreedTimeStays(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	a := MustMissedCall(t, db, missed("600100200", dept200, cb0))
	if err := db.Schedule(ctx, a.ID, cb0.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n, err := db.CloseCallbacks(ctx, "600100200", callcare.ResolvedGotThrough, "citizen", cb0.Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("the citizen got through: %d closed, %v; want the agreed callback kept", n, err)
	}
	if got := MustCallback(t, db, a.ID); got.Status != callcare.CallbackOpen || !got.AgreedAt.Equal(cb0.Add(3*time.Hour)) {
		t.Fatalf("after the citizen's call: %+v", got)
	}
	if n, err := db.CloseCallbacks(ctx, "600100200", callcare.ResolvedOutbound, "anowak", cb0.Add(2*time.Hour)); err != nil || n != 1 {
		t.Fatalf("the clerk's own call: %d closed, %v; want 1", n, err)
	}
}

func TestDB_MarkDone(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	a := MustMissedCall(t, db, missed("600100200", dept200, cb0))
	at := cb0.Add(time.Hour)
	for _, tc := range []struct {
		name string
		id   int64
		res  callcare.Resolution
		want string // "": success; errAny: some error
	}{
		{"NoResolution", a.ID, "", errAny},
		{"OK", a.ID, callcare.ResolvedByClerk, ""},
		{"AlreadyClosed", a.ID, callcare.ResolvedWrongNumber, callcare.ECONFLICT},
		{"Missing", 999, callcare.ResolvedByClerk, callcare.ENOTFOUND},
	} {
		err := db.MarkDone(ctx, tc.id, tc.res, "admin", at)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want == errAny && err == nil, tc.want != "" && tc.want != errAny && callcare.ErrorCode(err) != tc.want:
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	got := MustCallback(t, db, a.ID)
	if got.Status != callcare.CallbackDone || got.Resolution != callcare.ResolvedByClerk || got.ClosedBy != "admin" || !got.ClosedAt.Equal(at) {
		t.Fatalf("after MarkDone: %+v", got)
	}
}

const errAny = "any error"

func TestDB_ScheduleAndDueAgreed(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	agreed := cb0.Add(4 * time.Hour)
	a := MustMissedCall(t, db, missed("600000001", clerkAnowak, cb0))
	b := MustMissedCall(t, db, special(missed("600000002", clerkBzielo, cb0), callcare.NeedsClerk))
	MustMissedCall(t, db, missed("600000003", dept200, cb0)) // no agreement: never due here

	for _, id := range []int64{a.ID, b.ID} {
		if err := db.SetOverdue(ctx, id, cb0.Add(3*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := db.Schedule(ctx, id, agreed); err != nil {
			t.Fatal(err)
		}
		if got := MustCallback(t, db, id); !got.AgreedAt.Equal(agreed) || got.Overdue {
			t.Fatalf("after Schedule: agreed %v, overdue %v", got.AgreedAt, got.Overdue)
		}
	}
	due := func(now time.Time) []int64 {
		t.Helper()
		ts, err := db.DueAgreed(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		return ids(ts)
	}
	for _, tc := range []struct {
		name string
		now  time.Time
		want []int64
	}{
		{"Before", agreed.Add(-time.Millisecond), []int64{}},
		{"AtTheMinute", agreed, []int64{b.ID, a.ID}}, // special needs first
		{"Later", agreed.Add(time.Hour), []int64{b.ID, a.ID}},
	} {
		if got := due(tc.now); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: due %v, want %v", tc.name, got, tc.want)
		}
	}

	// The scheduler claims b for its clerk: not due again while the claim holds.
	if _, ok, err := db.ClaimNext(ctx, "bzielinska", "", nil, agreed, time.Minute); err != nil || !ok {
		t.Fatal(ok, err)
	}
	if got := due(agreed.Add(30 * time.Second)); !reflect.DeepEqual(got, []int64{a.ID}) {
		t.Fatalf("while claimed: due %v", got)
	}
	// The attempt (clerk absent) outlives the claim: still not due.
	if _, err := db.StartAttempt(ctx, b.ID, "bzielinska", "ring-clerk-1", agreed); err != nil {
		t.Fatal(err)
	}
	if got := due(agreed.Add(2 * time.Minute)); !reflect.DeepEqual(got, []int64{a.ID}) {
		t.Fatalf("attempt under way: due %v", got)
	}
	// Finished with a retry in 10 minutes: due again then.
	retry := agreed.Add(12 * time.Minute)
	if _, err := db.FinishAttempt(ctx, b.ID, 1, callcare.AttemptClerkAbsent, agreed.Add(2*time.Minute), retry, ""); err != nil {
		t.Fatal(err)
	}
	if got := due(retry.Add(-time.Millisecond)); !reflect.DeepEqual(got, []int64{a.ID}) {
		t.Fatalf("before retry: due %v", got)
	}
	if got := due(retry); !reflect.DeepEqual(got, []int64{b.ID, a.ID}) {
		t.Fatalf("at retry: due %v", got)
	}
	// Cleared, or closed: not due.
	if err := db.Schedule(ctx, a.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkDone(ctx, b.ID, callcare.ResolvedByClerk, "bzielinska", retry); err != nil {
		t.Fatal(err)
	}
	if got := due(retry.Add(time.Hour)); len(got) != 0 {
		t.Fatalf("after clearing and closing: due %v", got)
	}

	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"ScheduleClosed", db.Schedule(ctx, b.ID, agreed), callcare.ECONFLICT},
		{"ScheduleMissing", db.Schedule(ctx, 999, agreed), callcare.ENOTFOUND},
		{"OverdueClosed", db.SetOverdue(ctx, b.ID, agreed), callcare.ECONFLICT},
		{"OverdueMissing", db.SetOverdue(ctx, 999, agreed), callcare.ENOTFOUND},
	} {
		if callcare.ErrorCode(tc.err) != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, tc.err, tc.want)
		}
	}
}

func TestDB_SetOverdue(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	a := MustMissedCall(t, db, missed("600000001", clerkAnowak, cb0))
	for _, tc := range []struct {
		name      string
		escalated time.Time
	}{
		{"NotEscalatedYet", time.Time{}},
		{"Escalated", cb0.Add(3 * time.Hour)},
	} {
		if err := db.SetOverdue(ctx, a.ID, tc.escalated); err != nil {
			t.Fatal(err)
		}
		if got := MustCallback(t, db, a.ID); !got.Overdue || !got.EscalatedAt.Equal(tc.escalated) {
			t.Errorf("%s: overdue %v, escalated %v", tc.name, got.Overdue, got.EscalatedAt)
		}
	}
}

func TestDB_Notes(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	cutoff := cb0.Add(24 * time.Hour)

	closedLongAgo := MustMissedCall(t, db, missed("600000001", dept200, cb0))
	closedAtCutoff := MustMissedCall(t, db, missed("600000002", dept200, cb0))
	closedRecently := MustMissedCall(t, db, missed("600000003", dept200, cb0))
	open := MustMissedCall(t, db, missed("600000004", dept200, cb0))
	noNote := MustMissedCall(t, db, missed("600000005", dept200, cb0))
	closedEarlier := MustMissedCall(t, db, missed("600000006", dept200, cb0))

	for _, s := range []struct {
		task     callcare.CallbackTask
		note     string
		closedAt time.Time
	}{
		{closedLongAgo, "note/1", cb0.Add(time.Hour)},
		{closedAtCutoff, "note/2", cutoff},
		{closedRecently, "note/3", cutoff.Add(time.Hour)},
		{open, "note/4", time.Time{}},
		{noNote, "", cb0},
		{closedEarlier, "note/6 ' --", cb0.Add(time.Minute)},
	} {
		if err := db.SetNote(ctx, s.task.ID, s.note); err != nil {
			t.Fatal(err)
		}
		if !s.closedAt.IsZero() {
			if err := db.MarkDone(ctx, s.task.ID, callcare.ResolvedByClerk, "anowak", s.closedAt); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got := MustCallback(t, db, open.ID); got.Note != "note/4" {
		t.Fatalf("note = %q", got.Note)
	}
	list := func() []callcare.CallbackTask {
		t.Helper()
		ts, err := db.NotesToDelete(ctx, cutoff)
		if err != nil {
			t.Fatal(err)
		}
		return ts
	}
	got := list()
	if !reflect.DeepEqual(ids(got), []int64{closedEarlier.ID, closedLongAgo.ID}) {
		t.Fatalf("to delete %v, want [%d %d]", ids(got), closedEarlier.ID, closedLongAgo.ID)
	}
	if got[0].Note != "note/6 ' --" || got[1].Note != "note/1" {
		t.Fatalf("notes %q, %q", got[0].Note, got[1].Note)
	}
	for _, task := range got {
		if err := db.ClearNote(ctx, task.ID); err != nil {
			t.Fatal(err)
		}
	}
	if got := list(); len(got) != 0 {
		t.Fatalf("after clearing: %v", ids(got))
	}
	if got := MustCallback(t, db, closedLongAgo.ID); got.Note != "" || got.Status != callcare.CallbackDone {
		t.Fatalf("after clear: %+v", got)
	}
	// A later sweep finds the next ones.
	if got, _ := db.NotesToDelete(ctx, cutoff.Add(2*time.Hour)); !reflect.DeepEqual(ids(got), []int64{closedAtCutoff.ID, closedRecently.ID}) {
		t.Fatalf("later sweep: %v", ids(got))
	}
	if err := db.SetNote(ctx, 999, "x"); callcare.ErrorCode(err) != callcare.ENOTFOUND {
		t.Fatalf("SetNote(999) = %v", err)
	}
	if err := db.ClearNote(ctx, 999); callcare.ErrorCode(err) != callcare.ENOTFOUND {
		t.Fatalf("ClearNote(999) = %v", err)
	}
}
