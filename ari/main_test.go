package ari_test

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/clock"
	"github.com/callcare/callcare/pbxsim"
	"github.com/callcare/callcare/policy"
	"github.com/callcare/callcare/sqlite"
)

// TestMain fails the package if any goroutine outlives the tests: each
// test checks what it started (the simulator's leftovers, the service's
// work, the clock's timers); this catches what escaped them all.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The tests run on a fake clock, in the procedure's real durations: three
// rings of 5 s, prompts as long as the office's, keys given 10 s. Time
// passes only when a test lets it (env.advance), timer by timer, each
// fired on a system that has settled (env.settle).
var testProc = callcare.Procedure{AnswerWithinRings: 3, RingCycle: 5 * time.Second}

// epoch is when every test starts: a Tuesday morning at the office.
var epoch = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

// pbxOptions: the office's own prompts last what the demo says they do.
// Channels enter the application after the reply to create, as a busy
// real Asterisk often has them.
var pbxOptions = pbxsim.Options{StasisAfterCreate: 2 * time.Millisecond, Sounds: map[string]time.Duration{
	"callcare/office-closed": 3 * time.Second, "callcare/press-1-callback": 3 * time.Second,
	"callcare/callback-menu": 4 * time.Second, "callcare/tries": time.Second,
	"callcare/agreed-callback": 2 * time.Second, "callcare/press-1-to-call": 2 * time.Second,
	"callcare/callback-outcome": 4 * time.Second, "callcare/enter-time": 3 * time.Second,
	"callcare/agreed-for": 2 * time.Second, "callcare/not-reached": 2 * time.Second,
	"callcare/unknown-number": 2500 * time.Millisecond, "callcare/nobody-available": 2 * time.Second,
	"callcare/goodbye": 820 * time.Millisecond, "callcare/record-note": 3 * time.Second,
	"callcare/callback-thanks": 870 * time.Millisecond, "callcare/call-again": 5 * time.Second,
	"callcare/line-patience": 3 * time.Second, "callcare/callbacks-none": 1500 * time.Millisecond,
	"callcare/callbacks-waiting": 700 * time.Millisecond, "callcare/callback-from": 1200 * time.Millisecond,
	"callcare/callback-received": 800 * time.Millisecond, "callcare/please-hold": 2550 * time.Millisecond,
	"callcare/callback-for": 1200 * time.Millisecond, "callcare/callback-missed": 1500 * time.Millisecond,
	"callcare/callback-abandoned": 2500 * time.Millisecond, "callcare/callback-after-hours": 2 * time.Second,
	"callcare/callback-requested": 1500 * time.Millisecond, "callcare/callback-long-hold": 2500 * time.Millisecond,
	"callcare/key-reminder": 1500 * time.Millisecond,
	"callcare/overflowing":  2500 * time.Millisecond, "callcare/hold-patience": 3 * time.Second,
	"callcare/clerk-busy": 2 * time.Second, "callcare/busy-choices": 6 * time.Second, "callcare/slots": 3 * time.Second,
	"callcare/busy-wait": 3 * time.Second, "callcare/line-position": 2 * time.Second, "callcare/line-leave": 5 * time.Second,
	"callcare/line-offer": 7 * time.Second, "callcare/transferring": 2 * time.Second, "callcare/transfer-wait": 3 * time.Second,
	"callcare/whisper-from": 2 * time.Second, "callcare/whisper-caller": 1 * time.Second, "callcare/whisper-needs": 2 * time.Second,
	"callcare/transfer-back": 4 * time.Second, "callcare/hold-offer": 7 * time.Second, "callcare/caller-left": 3 * time.Second,
}}

// testPrompts: the defaults, but a beep while the citizen is dialed.
var testPrompts = func() callcare.Prompts {
	p := callcare.DefaultPrompts
	p.PleaseHold = "beep"
	return p
}()

// alwaysOpen: the office answers around the clock, unless a test closes it.
var alwaysOpen = callcare.OfficeHours{Location: time.UTC, Week: func() (w [7][]callcare.Span) {
	for d := range w {
		w[d] = []callcare.Span{{From: 0, To: 24 * 60}}
	}
	return w
}()}

var testRules = policy.CallbackRules{Hours: alwaysOpen, Promise: 2 * time.Hour, SpecialNeedsPromise: time.Hour,
	Retry: []policy.Retry{{After: 15 * time.Minute}}, MaxAttempts: 3}

// testSettings: the service as the office runs it (callcare.example.yaml).
func testSettings() ari.Settings {
	return ari.Settings{
		Directory: office(),
		Inbound: policy.InboundSettings{Procedure: testProc, Prompts: testPrompts, Rules: testRules,
			KeyTimeout: 10 * time.Second, NoteMax: 30 * time.Second, FlagKey: "*",
			Waiting: callcare.DefaultWaiting, Music: map[string]string{"200": "sekretariat"}, TransferPrefix: "##", DisplayMax: 20},
		Session: policy.SessionSettings{Procedure: testProc, Rules: testRules, KeyTimeout: 10 * time.Second,
			Dial: "PJSIP/{number}@trunk", CallerID: "48856000100", Prompts: testPrompts, DisplayMax: 20},
		Needs:         policy.SpecialNeeds{Numbers: []callcare.Number{"48600555555"}, Lines: []string{"500"}},
		Lines:         map[string]callcare.Target{"500": {Kind: callcare.TargetDepartment, ID: "200"}},
		ClaimFor:      10 * time.Minute,
		SchedulerTick: time.Second,
		NoteRetention: time.Hour,
	}
}

// office: Anna (101) overflows to Piotr (102); department 200 rings Ewa
// and Jan together, then overflows to Anna.
func office() *callcare.Directory {
	return &callcare.Directory{
		Clerks: []callcare.Clerk{
			{ID: "anowak", Name: "Anna", Surname: "Nowak", Department: "200", Extension: "101", Endpoint: "PJSIP/101", Overflow: "pwisniewski", Substitute: "pwisniewski"},
			{ID: "pwisniewski", Name: "Piotr", Surname: "Wiśniewski", Department: "200", Extension: "102", Endpoint: "PJSIP/102"},
			{ID: "ezielinska", Name: "Ewa", Surname: "Zielińska", Department: "300", Extension: "103", Endpoint: "PJSIP/103"},
			{ID: "jkowalski", Name: "Jan", Surname: "Kowalski", Department: "300", Extension: "104", Endpoint: "PJSIP/104"},
		},
		Departments: []callcare.Department{
			{Number: "200", Name: "Sekretariat", Members: []callcare.ClerkID{"anowak", "pwisniewski"}, Ring: callcare.RingInOrder},
			{Number: "300", Name: "Podatki", Members: []callcare.ClerkID{"ezielinska", "jkowalski"}, Ring: callcare.RingTogether, Overflow: "anowak"},
		},
	}
}

// env is the service running against a simulated Asterisk, with a real
// SQLite store in a temporary directory, both on one fake clock.
type env struct {
	clk  *clock.Fake
	pbx  *pbxsim.Server
	db   *sqlite.DB
	svc  *ari.Service // the one running; nil between runs
	stop func()       // stops svc and checks it left nothing
	logs *logRecorder
	// options, if set, changes the service's options at each run.
	options func(*ari.Options)
	runErr  error // what the last run's Run returned, once stopped
	// others are services running beside svc (a second instance): the
	// system has settled only when they have too.
	others []*ari.Service
}

func startEnv(t testing.TB) *env { t.Helper(); return startEnvWith(t, nil) }

// startEnvWith starts the service with settings changed by change.
func startEnvWith(t testing.TB, change func(*ari.Settings)) *env {
	t.Helper()
	e := newEnv(t)
	set := testSettings()
	if change != nil {
		change(&set)
	}
	e.run(t, set, ari.Stores{Calls: e.db, Callbacks: e.db, Queue: e.db})
	return e
}

// newEnv starts the simulator and opens the store. At the end of the test
// it checks that nothing was left: no channel, bridge, playback or timer
// in the simulator, no timer on the clock, the service stopped with no
// work.
func newEnv(t testing.TB) *env { t.Helper(); return newEnvPBX(t, nil) }

// newEnvPBX is newEnv with the simulator's options changed by change.
func newEnvPBX(t testing.TB, change func(*pbxsim.Options)) *env {
	t.Helper()
	clk := clock.NewFake(epoch)
	opts := pbxOptions
	opts.Clock = clk
	if change != nil {
		change(&opts)
	}
	pbx := pbxsim.NewServer(opts)
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "callcare.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.Now = clk.Now
	e := &env{clk: clk, pbx: pbx, db: db, logs: &logRecorder{}}
	t.Cleanup(func() {
		if e.stop != nil {
			e.stop()
		}
		if err := pbx.Close(); err != nil {
			t.Errorf("simulator left: %v", err)
		}
		if n := clk.Pending(); n > 0 {
			t.Errorf("%d timers still pending on the clock", n)
		}
		db.Close()
		if t.Failed() {
			t.Logf("service log:\n%s", e.logs)
		}
	})
	return e
}

// run starts a service and lets it connect.
func (e *env) run(t testing.TB, set ari.Settings, stores ari.Stores) {
	t.Helper()
	e.start(t, set, stores)
	e.settle(t)
	if !e.svc.Stats().Linked {
		t.Fatalf("the service did not connect:\n%s", e.logs)
	}
}

// start starts a service, connected or not.
func (e *env) start(t testing.TB, set ari.Settings, stores ari.Stores) {
	t.Helper()
	opts := ari.Options{
		URL: e.pbx.URL(), WebsocketURL: e.pbx.WebsocketURL(), User: "callcare", Password: "callcare", App: "callcare",
		RequestTimeout: 2 * time.Second, Clock: e.clk, Logger: slog.New(e.logs),
		// A machine busy with other tests is no saturated Asterisk: the
		// latency bound is the overload tests' alone, and so is the rate:
		// calls placed at one instant of the fake clock.
		MaxLatency: -1, MaxHostCPU: -1, MaxCallsPerSecond: -1,
		// The tests read the call log right after a step: written at once.
		CallLogGather: -1,
	}
	if e.options != nil {
		e.options(&opts)
	}
	svc := ari.New(opts, set, stores)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.runErr = svc.Run(ctx); close(done) }()
	e.svc = svc
	e.stop = func() {
		e.svc, e.stop = nil, nil
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Errorf("the service did not stop")
			return
		}
		if w := svc.Stats().Work; w != 0 {
			t.Errorf("the service stopped with %d work counted: its count is off", w)
		}
	}
}

// busy says what is still under way, "" when nothing is: the service has
// no work (but the backlog of the call except) and has read every event
// the simulator wrote to its socket; the simulator serves no request and
// has written every event. The service is read first: it is the one whose
// work makes the simulator's, so a simulator found idle after it cannot
// have been given anything new.
func (e *env) busy(except string) string {
	read := map[string]int64{} // the services' sockets: frames read
	if e.svc != nil {
		behind := 0
		if except != "" {
			behind = e.svc.Backlog()[except]
		}
		st := e.svc.Stats()
		if st.Work != int64(behind) {
			return fmt.Sprintf("the service has %d inputs or tasks under way", st.Work-int64(behind))
		}
		if st.Link.Socket != "" {
			read[st.Link.Socket] = st.Link.SocketFrames
		}
	}
	for _, o := range e.others {
		st := o.Stats()
		if st.Work != 0 {
			return fmt.Sprintf("another service has %d inputs or tasks under way", st.Work)
		}
		if st.Link.Socket != "" {
			read[st.Link.Socket] = st.Link.SocketFrames
		}
	}
	a := e.pbx.Activity()
	if !a.Idle() {
		return fmt.Sprintf("the simulator serves %d requests and has %d events to write", a.Requests, a.Unsent)
	}
	ours := slices.Sorted(maps.Keys(read))
	if socks := a.Sockets(); !slices.Equal(socks, ours) {
		return fmt.Sprintf("the simulator has sockets %v open, the services read %v", socks, ours)
	}
	for _, sock := range ours {
		if a.Sent[sock] != read[sock] {
			return fmt.Sprintf("%d events on the wire", a.Sent[sock]-read[sock])
		}
	}
	return ""
}

// waitIdle waits (a few milliseconds of real time) until nothing is under
// way but what waits for the clock.
func (e *env) waitIdle(t testing.TB, except string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; ; i++ {
		why := e.busy(except)
		if why == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("never settled at %s: %s", e.clk.Now().Format("15:04:05.000"), why)
		}
		if i < 50 {
			runtime.Gosched()
		} else {
			time.Sleep(100 * time.Microsecond)
		}
	}
}

// settle lets everything under way finish, and the timers due now fire,
// one at a time, each on a settled system.
func (e *env) settle(t testing.TB) { t.Helper(); e.settleExcept(t, "") }

// settleExcept settles all but the call named, which is stuck.
func (e *env) settleExcept(t testing.TB, except string) {
	t.Helper()
	for {
		e.waitIdle(t, except)
		if !e.clk.Step(e.clk.Now()) {
			return
		}
	}
}

// advance lets d pass: the timers due meanwhile fire in their order, one
// at a time, each on a settled system.
func (e *env) advance(t testing.TB, d time.Duration) {
	t.Helper()
	e.advanceTo(t, e.clk.Now().Add(d), "")
}

// advanceTo lets time pass until end, as advance does, settling all but
// the call except.
func (e *env) advanceTo(t testing.TB, end time.Time, except string) {
	t.Helper()
	e.settleExcept(t, except)
	for e.clk.Step(end) {
		e.settleExcept(t, except)
	}
	e.clk.AdvanceTo(end)
}

// call places a citizen's call, and lets what it causes at once happen.
func (e *env) call(t testing.TB, c pbxsim.Caller) *pbxsim.Call {
	t.Helper()
	c.App = "callcare"
	e.settle(t)
	call, err := e.pbx.Call(c)
	if err != nil {
		t.Fatalf("place call: %v", err)
	}
	e.settle(t)
	return call
}

// callsAtOnce places n calls from c without settling between them: they
// arrive together.
func (e *env) callsAtOnce(t testing.TB, n int, c pbxsim.Caller) []*pbxsim.Call {
	t.Helper()
	c.App = "callcare"
	calls := make([]*pbxsim.Call, 0, n)
	for range n {
		call, err := e.pbx.Call(c)
		if err != nil {
			t.Fatalf("place call: %v", err)
		}
		calls = append(calls, call)
	}
	return calls
}

// answeredBy checks that every call's record says clerk answered it.
func (e *env) answeredBy(t testing.TB, calls []*pbxsim.Call, clerk callcare.ClerkID) {
	t.Helper()
	for _, c := range calls {
		if rec := e.record(t, c); rec.AnsweredBy != clerk {
			t.Errorf("call %s: %s by %q, want answered by %s", c.ChannelID(), rec.Outcome, rec.AnsweredBy, clerk)
		}
	}
}

// record is the call's record, which must be final by now.
func (e *env) record(t testing.TB, call *pbxsim.Call) callcare.CallRecord {
	t.Helper()
	rec, err := e.db.Call(context.Background(), call.ChannelID())
	if err != nil {
		t.Fatalf("call %s: %v", call.ChannelID(), err)
	}
	if rec.EndedAt.IsZero() {
		t.Fatalf("call %s not recorded as ended by %s: %+v", call.ChannelID(), e.clk.Now().Format("15:04:05"), rec)
	}
	return rec
}

// ended fails the test unless the caller's line has ended.
func ended(t testing.TB, call *pbxsim.Call) {
	t.Helper()
	select {
	case <-call.Done():
	default:
		t.Fatalf("the caller's line %s is still up", call.ChannelID())
	}
}

// settled checks that the simulator has no channel or bridge left and the
// service no call: nothing leaks from a scenario.
func (e *env) settled(t testing.TB) {
	t.Helper()
	e.settle(t)
	chans, bridges, calls := e.pbx.Channels(), e.pbx.Bridges(), e.svc.Stats().ActiveCalls
	if len(chans) > 0 || len(bridges) > 0 || calls > 0 {
		t.Fatalf("left behind: %d channels %+v, %d bridges, %d calls", len(chans), chans, len(bridges), calls)
	}
	if n := e.pbx.Stats().HeldBehindPlayback; n > 0 {
		t.Fatalf("%d requests a real Asterisk would hold until a playback ends", n)
	}
}

// quiet fails the test if the service logged a warning or an error: the
// races real Asterisk produces are normal and must not alarm anyone.
func (e *env) quiet(t testing.TB) {
	t.Helper()
	for _, r := range e.logs.records(slog.LevelWarn) {
		var attrs []string
		r.Attrs(func(a slog.Attr) bool { attrs = append(attrs, a.String()); return true })
		t.Errorf("logged %s: %s %v", r.Level, r.Message, attrs)
	}
}

type logRecorder struct {
	mu   sync.Mutex
	recs []slog.Record
	text strings.Builder
}

func (l *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (l *logRecorder) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recs = append(l.recs, r)
	l.text.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool {
		l.text.WriteString(" " + a.Key + "=" + a.Value.Resolve().String())
		return true
	})
	l.text.WriteString("\n")
	return nil
}
func (l *logRecorder) WithAttrs(as []slog.Attr) slog.Handler {
	return &attrHandler{l, as}
}
func (l *logRecorder) WithGroup(string) slog.Handler { return l }

func (l *logRecorder) records(min slog.Level) []slog.Record {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []slog.Record
	for _, r := range l.recs {
		if r.Level >= min {
			out = append(out, r)
		}
	}
	return out
}

func (l *logRecorder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.text.String()
}

type attrHandler struct {
	*logRecorder
	attrs []slog.Attr
}

func (h *attrHandler) Handle(ctx context.Context, r slog.Record) error {
	r.AddAttrs(h.attrs...)
	return h.logRecorder.Handle(ctx, r)
}
func (h *attrHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &attrHandler{h.logRecorder, append(append([]slog.Attr(nil), h.attrs...), as...)}
}
