package ari_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/internal/promtest"
	"github.com/callcare/callcare/metrics"
	"github.com/callcare/callcare/pbxsim"
)

// metered runs the service with the metrics wired as serve wires them:
// every step observed, the link and the REST requests metered, the
// callback tasks read from the store at each scrape.
func metered(t *testing.T) (*env, *metrics.Metrics) {
	t.Helper()
	e := newEnv(t)
	m := metrics.New(metrics.Options{Clock: e.clk, Directory: office, Callbacks: e.db, Activity: e.db,
		Ready: func() bool { return e.svc != nil && e.svc.Ready() }, Writable: e.db.Writable})
	e.options = func(o *ari.Options) {
		quickRetries(o)
		o.Observe = func(st ari.Step) { m.Observe(metrics.Step(st)) }
		o.Metrics = m
	}
	e.run(t, testSettings(), ari.Stores{Calls: e.db, Callbacks: e.db, Queue: e.db})
	return e, m
}

// scrape reads /metrics as Prometheus would: each sample by its name and
// labels as written, e.g. `callcare_calls_total{outcome="answered"}`.
func scrape(t *testing.T, m *metrics.Metrics) map[string]float64 {
	t.Helper()
	return promtest.Scrape(t, m.Handler())
}

// sum adds the samples of a metric whose labels contain all of with.
func sum(samples map[string]float64, name string, with ...string) float64 {
	var s float64
	for k, v := range samples {
		if k != name && !strings.HasPrefix(k, name+"{") {
			continue
		}
		ok := true
		for _, w := range with {
			ok = ok && strings.Contains(k, w)
		}
		if ok {
			s += v
		}
	}
	return s
}

func ready(t *testing.T, m *metrics.Metrics) (int, string) {
	t.Helper()
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	return w.Code, w.Body.String()
}

// TestMetrics_Calls: a morning's calls on the simulator, then /metrics
// says what happened: the outcomes, the rings until answer by department,
// the overflow, the missed call and its callback, the hold, the REST
// requests and the link; no wait went unannounced.
func TestMetrics_Calls(t *testing.T) {
	t.Parallel()
	e, m := metered(t)
	// Anna answers on the 2nd ring and holds the caller 65 s.
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 7 * time.Second,
		Script: []pbxsim.Action{hold(10 * time.Second), unhold(75 * time.Second), {At: 90 * time.Second, Do: pbxsim.Hangup}}})
	held := e.call(t, pbxsim.Caller{Number: "48600100201", Exten: "101"})
	e.advance(t, 2*time.Minute)
	// Department 300: Ewa and Jan do not answer in 3 rings; the call
	// moves on to Anna, who answers at once.
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: time.Second, Script: talk(20 * time.Second)})
	e.pbx.SetPhone("PJSIP/103", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	e.pbx.SetPhone("PJSIP/104", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	moved := e.call(t, pbxsim.Caller{Number: "48600100202", Exten: "300"})
	e.advance(t, time.Minute)
	// Piotr does not answer and nobody follows him: missed.
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	missed := e.call(t, pbxsim.Caller{Number: "48600100203", Exten: "102"})
	e.advance(t, time.Minute)
	h, mv := e.record(t, held), e.record(t, moved)
	e.record(t, missed)

	got := scrape(t, m)
	for name, want := range map[string]float64{
		`callcare_calls_total{outcome="answered"}`:                    2,
		`callcare_calls_total{outcome="missed"}`:                      1,
		`callcare_calls_in_progress`:                                  0,
		`callcare_rings_until_answer_count{department="200"}`:         1,
		`callcare_rings_until_answer_sum{department="200"}`:           float64(h.RingsHeard),
		`callcare_rings_until_answer_bucket{department="200",le="2"}`: 1,
		`callcare_rings_until_answer_bucket{department="200",le="1"}`: 0,
		`callcare_rings_until_answer_count{department="300"}`:         1,
		`callcare_rings_until_answer_sum{department="300"}`:           float64(mv.RingsHeard),
		`callcare_rings_until_answer_bucket{department="300",le="3"}`: 0, // 3 rings at Ewa's and Jan's, then Anna's
		`callcare_overflows_total{department="300"}`:                  1,
		`callcare_missed_calls_total{department="200"}`:               1,
		`callcare_hold_seconds_count{department="200"}`:               1,
		`callcare_hold_seconds_sum{department="200"}`:                 65,
		`callcare_callbacks_open{priority="normal"}`:                  1,
		`callcare_callbacks_open{priority="special_needs"}`:           0,
		`callcare_callbacks_overdue`:                                  0,
		`callcare_callbacks_oldest_open_age_seconds`:                  60, // from the missed call's start, a minute ago
		`callcare_ari_connected`:                                      1,
		`callcare_ready`:                                              1,
		`callcare_ari_reconnects_total`:                               0,
		`callcare_transfers_total{came_back="true"}`:                  0,
		`callcare_config_reloads_total{result="ok"}`:                  0,
	} {
		if v, ok := got[name]; !ok || v != want {
			t.Errorf("%s = %v (present %v), want %v", name, v, ok, want)
		}
	}
	if n := sum(got, "callcare_overflows_total"); n != 1 {
		t.Errorf("%v overflows in all, want 1", n)
	}
	if n := sum(got, "callcare_waits_unannounced_total"); n != 0 {
		t.Errorf("%v waits unannounced, want none", n)
	}
	// Every request the simulator served was counted, and timed.
	served := 0
	for _, n := range e.pbx.Stats().RequestsByPath {
		served += n
	}
	if n := sum(got, "callcare_ari_requests_total"); n != float64(served) || n == 0 {
		t.Errorf("%v requests counted, the simulator served %d", n, served)
	}
	if n := sum(got, "callcare_ari_request_duration_seconds_count"); n != float64(served) {
		t.Errorf("%v requests timed, %d served", n, served)
	}
	if n := sum(got, "callcare_ari_requests_total", `route="/channels/{id}/play/{id}"`, `method="POST"`, `code="2xx"`); n == 0 {
		t.Errorf("no playback counted: %v", got)
	}
	for k := range got {
		if strings.Contains(k, "48600") || strings.Contains(k, held.ChannelID()) {
			t.Errorf("a sample names a number or a channel: %s", k)
		}
	}

	// The callback is made: counted once the scrape's window has passed it.
	tasks, err := e.db.Callbacks(context.Background(), callcare.CallbackFilter{Status: callcare.CallbackOpen})
	if err != nil || len(tasks) != 1 {
		t.Fatalf("open tasks %+v, %v", tasks, err)
	}
	if err := e.db.MarkDone(context.Background(), tasks[0].ID, callcare.ResolvedByClerk, "pwisniewski", e.clk.Now()); err != nil {
		t.Fatal(err)
	}
	e.advance(t, 20*time.Second)
	got = scrape(t, m)
	if v := got[`callcare_callbacks_closed_total{resolution="marked_done"}`]; v != 1 {
		t.Errorf("closed (marked done) %v, want 1", v)
	}
	if v := got[`callcare_callbacks_open{priority="normal"}`]; v != 0 {
		t.Errorf("open %v, want 0", v)
	}
	if again := scrape(t, m); again[`callcare_callbacks_closed_total{resolution="marked_done"}`] != 1 {
		t.Errorf("a second scrape counts the closing again: %v", again[`callcare_callbacks_closed_total{resolution="marked_done"}`])
	}
	if code, body := ready(t, m); code != http.StatusOK || body != "ready\n" {
		t.Errorf("/readyz: %d %q", code, body)
	}
	e.settled(t)
	e.quiet(t)
}

// TestMetrics_ReadyFollowsTheLink: while Asterisk is away, /readyz says
// the service is not ready, and why; back, it is ready again and the
// reconnect is counted.
func TestMetrics_ReadyFollowsTheLink(t *testing.T) {
	t.Parallel()
	e, m := metered(t)
	if code, _ := ready(t, m); code != http.StatusOK {
		t.Fatalf("/readyz before: %d", code)
	}
	e.pbx.Restart(15 * time.Second)
	back := e.clk.Now().Add(15 * time.Second)
	e.settle(t)
	code, body := ready(t, m)
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "asterisk") {
		t.Errorf("/readyz while Asterisk is away: %d %q", code, body)
	}
	if got := scrape(t, m); got["callcare_ari_connected"] != 0 || got["callcare_ready"] != 0 {
		t.Errorf("while away: connected %v, ready %v", got["callcare_ari_connected"], got["callcare_ready"])
	}
	e.advanceTo(t, back.Add(2*time.Second), "")
	if code, body := ready(t, m); code != http.StatusOK {
		t.Errorf("/readyz after: %d %q", code, body)
	}
	got := scrape(t, m)
	if got["callcare_ari_connected"] != 1 || got["callcare_ari_reconnects_total"] != 1 || got["callcare_ready"] != 1 {
		t.Errorf("after: connected %v, reconnects %v, ready %v", got["callcare_ari_connected"], got["callcare_ari_reconnects_total"], got["callcare_ready"])
	}
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if w.Code != http.StatusOK {
		t.Errorf("/healthz: %d", w.Code)
	}
	e.settled(t)
}
