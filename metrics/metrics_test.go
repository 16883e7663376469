package metrics

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/clock"
	"github.com/callcare/callcare/internal/promtest"
	"github.com/callcare/callcare/policy"
	"github.com/callcare/callcare/sqlite"
)

var t0 = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

func directory() *callcare.Directory {
	return &callcare.Directory{
		Clerks:      []callcare.Clerk{{ID: "anowak", Department: "200"}, {ID: "pwisniewski", Department: "300"}},
		Departments: []callcare.Department{{Number: "200"}, {Number: "300"}},
	}
}

func newTest(t *testing.T, o Options) (*Metrics, *clock.Fake) {
	t.Helper()
	clk := clock.NewFake(t0)
	o.Clock = clk
	o.Directory = directory
	return New(o), clk
}

func scrape(t *testing.T, m *Metrics) map[string]float64 {
	t.Helper()
	return promtest.Scrape(t, m.Handler())
}

func want(t *testing.T, got map[string]float64, samples map[string]float64) {
	t.Helper()
	for name, w := range samples {
		if v, ok := got[name]; !ok || v != w {
			t.Errorf("%s = %v (present %v), want %v", name, v, ok, w)
		}
	}
}

// forAnna is a call for Anna (department 200) as it starts.
func forAnna(id string) callcare.CallRecord {
	return callcare.CallRecord{ID: id, Target: callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"}, StartedAt: t0}
}

func attempt(clerk callcare.ClerkID, dialed time.Duration) callcare.Attempt {
	return callcare.Attempt{Clerk: clerk, DialedAt: at(dialed)}
}

// TestOverflowsOf: the chain's steps a call moved on to, not the turns of
// a line or what followed a transfer.
func TestOverflowsOf(t *testing.T) {
	r := forAnna("c")
	r.Attempts = []callcare.Attempt{attempt("a", 0), attempt("b", 0)} // a department, together
	if n := overflowsOf(r); n != 0 {
		t.Errorf("one step: %d", n)
	}
	r.Attempts = append(r.Attempts, attempt("c", 15*time.Second), attempt("d", 30*time.Second))
	if n := overflowsOf(r); n != 2 {
		t.Errorf("three steps: %d", n)
	}
	r.LineWaits = []callcare.LineWait{{Department: "200", From: at(40 * time.Second)}}
	r.Attempts = append(r.Attempts, attempt("a", 60*time.Second), attempt("a", 90*time.Second))
	if n := overflowsOf(r); n != 2 {
		t.Errorf("with the line's turns: %d", n)
	}
	r.LineWaits[0].To = at(95 * time.Second)
	r.Transfers = []callcare.Transfer{{By: "a", At: at(100 * time.Second)}}
	back := attempt("a", 115*time.Second) // rung back: no overflow
	xfer := attempt("e", 100*time.Second)
	xfer.TransferredBy = "a"
	r.Attempts = append(r.Attempts, xfer, back)
	if n := overflowsOf(r); n != 2 {
		t.Errorf("with a transfer: %d", n)
	}
}

// TestObserve_Call: a call's figures as its steps come: the answer's
// rings once, each overflow once, each hold at its end, the outcome at
// the end; nothing of it stays.
func TestObserve_Call(t *testing.T) {
	m, _ := newTest(t, Options{})
	r := forAnna("c1")
	step := func(d time.Duration, w policy.Wait, bound time.Duration, acts ...policy.Action) {
		m.Observe(Step{Call: "c1", At: at(d), Record: r, Actions: acts, Wait: w, WaitBound: bound})
	}
	step(0, policy.WaitRinging, 30*time.Second, policy.RingCaller{}, policy.DialClerk{})
	r.Attempts = []callcare.Attempt{attempt("anowak", 0)}
	step(time.Second, policy.WaitRinging, 30*time.Second)
	r.Attempts = append(r.Attempts, attempt("pwisniewski", 15*time.Second))
	step(15*time.Second, policy.WaitRinging, 30*time.Second, policy.DialClerk{})
	step(16*time.Second, policy.WaitRinging, 30*time.Second) // seen again: counted once
	r.AnsweredAt, r.RingsHeard = at(20*time.Second), 4
	step(20*time.Second, policy.WaitNone, 0, policy.Connect{})
	step(21*time.Second, policy.WaitNone, 0)
	r.Holds = []callcare.Hold{{Clerk: "pwisniewski", From: at(30 * time.Second)}}
	step(30*time.Second, policy.WaitHold, 30*time.Second)
	step(33*time.Second, policy.WaitHold, 30*time.Second, policy.Say{})
	r.Holds[0].To = at(50 * time.Second)
	step(50*time.Second, policy.WaitNone, 0)
	r.Transfers = []callcare.Transfer{{By: "pwisniewski", At: at(55 * time.Second), CameBack: true}}
	r.Outcome, r.EndedAt = callcare.OutcomeAnswered, at(70*time.Second)
	step(70*time.Second, policy.WaitNone, 0, policy.Save{}, policy.Finish{})
	want(t, scrape(t, m), map[string]float64{
		`callcare_calls_total{outcome="answered"}`:                    1,
		`callcare_calls_total{outcome="missed"}`:                      0,
		`callcare_rings_until_answer_count{department="200"}`:         1,
		`callcare_rings_until_answer_bucket{department="200",le="3"}`: 0,
		`callcare_rings_until_answer_bucket{department="200",le="4"}`: 1,
		`callcare_overflows_total{department="200"}`:                  1,
		`callcare_hold_seconds_count{department="300"}`:               1, // the holding clerk's
		`callcare_hold_seconds_sum{department="300"}`:                 20,
		`callcare_transfers_total{came_back="true"}`:                  1,
		`callcare_calls_in_progress`:                                  0,
		`callcare_waits_unannounced_total{wait="hold"}`:               0,
	})
}

// TestObserve_HandedOver: a call of the voice menu starts for the operator
// (Anna's department 200) and is handed to a matter's department (300),
// where it is answered: counted for 300, as the report counts it.
func TestObserve_HandedOver(t *testing.T) {
	m, _ := newTest(t, Options{})
	r := forAnna("c1")
	m.Observe(Step{Call: "c1", At: at(0), Record: r, Actions: []policy.Action{policy.Answer{}}})
	r.Target = callcare.Target{Kind: callcare.TargetDepartment, ID: "300"}
	r.Attempts = []callcare.Attempt{attempt("pwisniewski", 8*time.Second)}
	m.Observe(Step{Call: "c1", At: at(8 * time.Second), Record: r, Actions: []policy.Action{policy.DialClerk{}}})
	r.AnsweredAt, r.RingsHeard = at(12*time.Second), 1
	r.Outcome, r.EndedAt = callcare.OutcomeAnswered, at(40*time.Second)
	m.Observe(Step{Call: "c1", At: at(40 * time.Second), Record: r, Actions: []policy.Action{policy.Connect{}, policy.Finish{}}})
	got := scrape(t, m)
	want(t, got, map[string]float64{`callcare_rings_until_answer_count{department="300"}`: 1})
	if n := got[`callcare_rings_until_answer_count{department="200"}`]; n != 0 {
		t.Errorf("counted for the operator's department too: %v", n)
	}
}

// TestObserve_Adopted: what the record held when a run first saw the
// call happened before it: not counted again.
func TestObserve_Adopted(t *testing.T) {
	m, _ := newTest(t, Options{})
	r := forAnna("c1")
	r.Attempts = []callcare.Attempt{attempt("anowak", 0), attempt("pwisniewski", 15*time.Second)}
	r.AnsweredAt, r.RingsHeard = at(20*time.Second), 4
	r.Holds = []callcare.Hold{{Clerk: "pwisniewski", From: at(30 * time.Second), To: at(40 * time.Second)}}
	m.Observe(Step{Call: "c1", At: at(time.Minute), Record: r})
	r.Outcome, r.EndedAt = callcare.OutcomeAnswered, at(2*time.Minute)
	m.Observe(Step{Call: "c1", At: at(2 * time.Minute), Record: r, Actions: []policy.Action{policy.Finish{}}})
	got := scrape(t, m)
	want(t, got, map[string]float64{`callcare_calls_total{outcome="answered"}`: 1})
	for _, name := range []string{`callcare_rings_until_answer_count{department="200"}`, `callcare_overflows_total{department="200"}`, `callcare_hold_seconds_count{department="300"}`} {
		if got[name] != 0 {
			t.Errorf("%s = %v: counted again after a crash", name, got[name])
		}
	}
}

// TestObserve_Unannounced (P4p): a wait that passes its bound with the
// caller hearing nothing counts once, whether a step or a scrape finds it;
// an announcement in time, or the wait's end, starts the count again.
func TestObserve_Unannounced(t *testing.T) {
	m, clk := newTest(t, Options{})
	r := forAnna("c1")
	r.AnsweredAt = at(5 * time.Second)
	step := func(d time.Duration, w policy.Wait, acts ...policy.Action) {
		m.Observe(Step{Call: "c1", At: at(d), Record: r, Actions: acts, Wait: w, WaitBound: 30 * time.Second})
	}
	step(0, policy.WaitRinging, policy.DialClerk{})
	step(5*time.Second, policy.WaitNone, policy.Connect{})
	step(10*time.Second, policy.WaitHold)
	step(13*time.Second, policy.WaitHold, policy.Say{})
	step(43*time.Second, policy.WaitHold, policy.Say{}) // on time
	step(74*time.Second, policy.WaitHold, policy.Say{}) // a second late: within the grace
	clk.AdvanceTo(at(105 * time.Second))
	if n := scrape(t, m)[`callcare_waits_unannounced_total{wait="hold"}`]; n != 0 {
		t.Fatalf("counted within the bound and its grace: %v", n)
	}
	clk.AdvanceTo(at(106 * time.Second)) // 32 s without a word: found by a scrape
	if n := scrape(t, m)[`callcare_waits_unannounced_total{wait="hold"}`]; n != 1 {
		t.Fatalf("a silent hold found by a scrape: %v", n)
	}
	step(110*time.Second, policy.WaitHold) // the same stretch: not again
	step(115*time.Second, policy.WaitHold, policy.Say{})
	step(220*time.Second, policy.WaitNone) // 105 s: found by the step that ends it
	if n := scrape(t, m)[`callcare_waits_unannounced_total{wait="hold"}`]; n != 2 {
		t.Errorf("two silent stretches: %v", n)
	}
}

func TestReady(t *testing.T) {
	var up bool
	var dbErr error
	m, _ := newTest(t, Options{Ready: func() bool { return up }, Writable: func(context.Context) error { return dbErr }})
	get := func(path string) (int, string) {
		w := httptest.NewRecorder()
		m.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		return w.Code, w.Body.String()
	}
	if code, body := get("/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	if code, body := get("/readyz"); code != 503 || !strings.Contains(body, "asterisk") || strings.Contains(body, "database") {
		t.Errorf("/readyz with the link down: %d %q", code, body)
	}
	up, dbErr = true, errors.New("attempt to write a readonly database")
	if code, body := get("/readyz"); code != 503 || !strings.Contains(body, "database: attempt to write a readonly database") {
		t.Errorf("/readyz with the database read-only: %d %q", code, body)
	}
	dbErr = nil
	if code, body := get("/readyz"); code != 200 || body != "ready\n" {
		t.Errorf("/readyz: %d %q", code, body)
	}
	if code, _ := get("/metrics/../secret"); code == 200 {
		t.Error("a path beyond the three is served")
	}
}

// TestStore: the callback tasks' figures from a real store, each closing
// and each agreed callback's start counted once, in the window after it.
func TestStore(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "callcare.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m, clk := newTest(t, Options{Callbacks: db, Activity: db})
	task := func(number string, p callcare.Priority, due time.Duration) callcare.CallbackTask {
		tk, _, err := db.MissedCall(ctx, callcare.CallbackTask{Number: callcare.Number(number), Target: callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"},
			Reason: callcare.ReasonMissed, Priority: p, FirstAt: t0, LastAt: t0, Tries: 1, Due: at(due)})
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	task("48600000001", callcare.PriorityNormal, time.Hour)
	task("48600000002", callcare.PrioritySpecialNeeds, 10*time.Minute)
	done := task("48600000003", callcare.PriorityNormal, time.Hour)
	agreed := task("48600000004", callcare.PriorityNormal, time.Hour)
	if err := db.Schedule(ctx, agreed.ID, at(30*time.Minute)); err != nil {
		t.Fatal(err)
	}
	clk.AdvanceTo(at(20 * time.Minute))
	want(t, scrape(t, m), map[string]float64{
		`callcare_callbacks_open{priority="normal"}`:        3,
		`callcare_callbacks_open{priority="special_needs"}`: 1,
		`callcare_callbacks_overdue`:                        1,
		`callcare_callbacks_oldest_open_age_seconds`:        1200,
		`callcare_agreed_callback_lateness_seconds_count`:   0,
	})
	if err := db.MarkDone(ctx, done.ID, callcare.ResolvedReached, "anowak", at(21*time.Minute)); err != nil {
		t.Fatal(err)
	}
	// Nobody took the agreed time at first; 2 min after it, it started.
	for _, a := range []struct {
		at  time.Duration
		res callcare.AttemptResult
	}{{30 * time.Minute, callcare.AttemptClerkAbsent}, {32 * time.Minute, callcare.AttemptReached}} {
		att, err := db.StartAttempt(ctx, agreed.ID, "anowak", "cb-"+a.at.String(), at(a.at))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.FinishAttempt(ctx, agreed.ID, att.Seq, a.res, at(a.at+time.Minute), time.Time{}, ""); err != nil {
			t.Fatal(err)
		}
	}
	clk.AdvanceTo(at(32*time.Minute + 5*time.Second)) // the start is within the lag: not yet
	if got := scrape(t, m); got[`callcare_agreed_callback_lateness_seconds_count`] != 0 || got[`callcare_callbacks_closed_total{resolution="reached"}`] != 1 {
		t.Errorf("at 32:05: lateness counted %v, closed %v", got[`callcare_agreed_callback_lateness_seconds_count`], got[`callcare_callbacks_closed_total{resolution="reached"}`])
	}
	clk.AdvanceTo(at(40 * time.Minute))
	scrape(t, m)
	want(t, scrape(t, m), map[string]float64{
		`callcare_callbacks_closed_total{resolution="reached"}`:      1,
		`callcare_agreed_callback_lateness_seconds_count`:            1,
		`callcare_agreed_callback_lateness_seconds_sum`:              120,
		`callcare_agreed_callback_lateness_seconds_bucket{le="60"}`:  0,
		`callcare_agreed_callback_lateness_seconds_bucket{le="120"}`: 1,
		`callcare_callbacks_open{priority="normal"}`:                 2,
		`callcare_store_read_errors_total`:                           0,
	})
	db.Close()
	got := scrape(t, m)
	want(t, got, map[string]float64{`callcare_store_read_errors_total`: 1, `callcare_callbacks_closed_total{resolution="reached"}`: 1})
	if _, ok := got[`callcare_callbacks_open{priority="normal"}`]; ok {
		t.Error("open tasks shown though the store could not be read")
	}
}

func TestReloaded(t *testing.T) {
	m, _ := newTest(t, Options{})
	m.Reloaded(true)
	m.Reloaded(false)
	m.Reloaded(true)
	want(t, scrape(t, m), map[string]float64{`callcare_config_reloads_total{result="ok"}`: 2, `callcare_config_reloads_total{result="refused"}`: 1})
}

// Every department's series exist from the start, at 0: increase() sees
// no rise in a series that begins at its first count.
func TestDepartmentsFromTheStart(t *testing.T) {
	m, _ := newTest(t, Options{})
	want(t, scrape(t, m), map[string]float64{
		`callcare_rings_until_answer_count{department="200"}`:         0,
		`callcare_rings_until_answer_bucket{department="300",le="3"}`: 0,
		`callcare_overflows_total{department="300"}`:                  0,
		`callcare_missed_calls_total{department="200"}`:               0,
		`callcare_hold_seconds_count{department="300"}`:               0,
		`callcare_line_wait_seconds_count{department="200"}`:          0,
		`callcare_calls_total{outcome="callback"}`:                    0,
		`callcare_waits_unannounced_total{wait="menu"}`:               0,
		`callcare_transfers_total{came_back="false"}`:                 0,
	})
}

func TestOverCapacity(t *testing.T) {
	m, _ := newTest(t, Options{OverCapacity: func() int64 { return 7 }})
	want(t, scrape(t, m), map[string]float64{`callcare_calls_over_capacity_total`: 7})
	m, _ = newTest(t, Options{})
	want(t, scrape(t, m), map[string]float64{`callcare_calls_over_capacity_total`: 0})
}

func TestRequest(t *testing.T) {
	m, _ := newTest(t, Options{})
	m.Request("POST", "/channels/{id}/play/{id}", 201, 3*time.Millisecond, nil)
	m.Request("DELETE", "/channels/{id}", 404, time.Millisecond, nil)
	m.Request("POST", "/channels/{id}/ring", 0, 2*time.Second, errors.New("connection refused"))
	m.LinkUp()
	m.LinkDown()
	m.LinkUp()
	want(t, scrape(t, m), map[string]float64{
		`callcare_ari_requests_total{code="2xx",method="POST",route="/channels/{id}/play/{id}"}`:                  1,
		`callcare_ari_requests_total{code="4xx",method="DELETE",route="/channels/{id}"}`:                          1,
		`callcare_ari_requests_total{code="error",method="POST",route="/channels/{id}/ring"}`:                     1,
		`callcare_ari_request_duration_seconds_bucket{method="POST",route="/channels/{id}/play/{id}",le="0.005"}`: 1,
		`callcare_ari_connected`:        1,
		`callcare_ari_reconnects_total`: 1,
	})
}

// BenchmarkObserve is what the metrics cost a call's goroutine per step:
// a call rung along two steps, answered, held and ended, 8 steps.
func BenchmarkObserve(b *testing.B) {
	m := New(Options{Directory: directory})
	r := forAnna("c")
	r.Attempts = []callcare.Attempt{attempt("anowak", 0), attempt("pwisniewski", 15*time.Second)}
	r.AnsweredAt, r.RingsHeard = at(20*time.Second), 4
	r.Holds = []callcare.Hold{{Clerk: "pwisniewski", From: at(30 * time.Second), To: at(40 * time.Second)}}
	steps := []Step{
		{At: t0, Record: forAnna("c"), Wait: policy.WaitRinging, WaitBound: 30 * time.Second, Actions: []policy.Action{policy.RingCaller{}, policy.DialClerk{}}},
		{At: at(time.Second), Record: r, Wait: policy.WaitRinging, WaitBound: 30 * time.Second},
		{At: at(15 * time.Second), Record: r, Wait: policy.WaitRinging, WaitBound: 30 * time.Second, Actions: []policy.Action{policy.DialClerk{}}},
		{At: at(20 * time.Second), Record: r, Actions: []policy.Action{policy.Connect{}, policy.Save{}}},
		{At: at(30 * time.Second), Record: r, Wait: policy.WaitHold, WaitBound: 30 * time.Second},
		{At: at(33 * time.Second), Record: r, Wait: policy.WaitHold, WaitBound: 30 * time.Second, Actions: []policy.Action{policy.Say{}}},
		{At: at(40 * time.Second), Record: r},
		{At: at(60 * time.Second), Record: r, Actions: []policy.Action{policy.Save{}, policy.Finish{}}},
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		id := strconv.Itoa(i)
		for _, st := range steps {
			st.Call = id
			st.Record.ID = id
			m.Observe(st)
		}
	}
}
