package ari_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/pbxsim"
	"github.com/callcare/callcare/policy"
	"github.com/callcare/callcare/sqlite"
)

// Short rings: three rings of 100 ms stand for the procedure's 15 s.
var testProc = callcare.Procedure{AnswerWithinRings: 3, RingCycle: 100 * time.Millisecond}

// Short prompts keep the tests quick.
// Channels enter the application after the reply to create, as a busy
// real Asterisk often has them.
var pbxOptions = pbxsim.Options{StasisAfterCreate: 2 * time.Millisecond, Sounds: shortSounds(map[string]time.Duration{
	"vm-nobodyavail": 50 * time.Millisecond, "ss-noservice": 50 * time.Millisecond, "vm-goodbye": 50 * time.Millisecond,
	"callcare/office-closed": 50 * time.Millisecond, "callcare/press-1-callback": 50 * time.Millisecond,
	"vm-intro": 50 * time.Millisecond, "auth-thankyou": 50 * time.Millisecond, "vm-nomore": 50 * time.Millisecond,
	"vm-youhave": 50 * time.Millisecond, "vm-from-phonenumber": 50 * time.Millisecond, "vm-received": 50 * time.Millisecond, "callcare/tries": 50 * time.Millisecond,
	"callcare/callback-menu": 50 * time.Millisecond, "callcare/agreed-callback": 50 * time.Millisecond,
	"callcare/press-1-to-call": 50 * time.Millisecond, "callcare/callback-outcome": 400 * time.Millisecond,
	"callcare/enter-time": 50 * time.Millisecond, "callcare/agreed-for": 50 * time.Millisecond,
})}

// shortSounds adds the said numbers, short too.
func shortSounds(m map[string]time.Duration) map[string]time.Duration {
	for n := 0; n <= 90; n++ {
		m["digits/"+strconv.Itoa(n)] = 20 * time.Millisecond
	}
	for d := range 7 {
		m["digits/day-"+strconv.Itoa(d)] = 20 * time.Millisecond
	}
	m["digits/hundred"] = 20 * time.Millisecond
	m["digits/oh"] = 20 * time.Millisecond
	return m
}

// testPrompts: the defaults, but a beep while the citizen is dialed, and
// "nobody available" for a citizen not reached.
var testPrompts = func() callcare.Prompts {
	p := callcare.DefaultPrompts
	p.PleaseHold, p.NotReached = "beep", "vm-nobodyavail"
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

// testSettings: the service as the tests run it, with short rings and key
// timeouts.
func testSettings() ari.Settings {
	return ari.Settings{
		Directory: office(),
		Inbound: policy.InboundSettings{Procedure: testProc, Prompts: testPrompts, Rules: testRules,
			KeyTimeout: 300 * time.Millisecond, NoteMax: 2 * time.Second, FlagKey: "*"},
		Session: policy.SessionSettings{Procedure: testProc, Rules: testRules, KeyTimeout: 600 * time.Millisecond,
			Dial: "PJSIP/{number}@trunk", CallerID: "48856000100", Prompts: testPrompts},
		Needs:         policy.SpecialNeeds{Numbers: []callcare.Number{"48600555555"}, Lines: []string{"500"}},
		Lines:         map[string]callcare.Target{"500": {Kind: callcare.TargetDepartment, ID: "200"}},
		ClaimFor:      time.Minute,
		SchedulerTick: 20 * time.Millisecond,
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
// SQLite store in a temporary directory.
type env struct {
	pbx  *pbxsim.Server
	svc  *ari.Service
	db   *sqlite.DB
	logs *logRecorder
}

func startEnv(t testing.TB) *env { t.Helper(); return startEnvWith(t, nil) }

// startEnvWith starts the service with settings changed by change.
func startEnvWith(t testing.TB, change func(*ari.Settings)) *env {
	t.Helper()
	goroutines := runtime.NumGoroutine()
	pbx := pbxsim.NewServer(pbxOptions)
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "callcare.db"))
	if err != nil {
		t.Fatal(err)
	}
	logs := &logRecorder{}
	set := testSettings()
	if change != nil {
		change(&set)
	}
	svc := ari.New(ari.Options{
		URL: pbx.URL(), WebsocketURL: pbx.WebsocketURL(), User: "callcare", Password: "callcare", App: "callcare",
		RequestTimeout: 2 * time.Second, Logger: slog.New(logs),
	}, set, ari.Stores{Calls: db, Callbacks: db, Queue: db})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { svc.Run(ctx); close(done) }()
	e := &env{pbx: pbx, svc: svc, db: db, logs: logs}
	t.Cleanup(func() {
		cancel()
		<-done
		if err := pbx.Close(); err != nil {
			t.Errorf("simulator left: %v", err)
		}
		db.Close()
		// Every goroutine of the service and the simulator has ended.
		deadline := time.Now().Add(2 * time.Second)
		for runtime.NumGoroutine() > goroutines && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > goroutines {
			t.Errorf("%d goroutines after the test, %d before", n, goroutines)
		}
	})
	return e
}

// call places a citizen's call once the service holds the application.
func (e *env) call(t testing.TB, c pbxsim.Caller) *pbxsim.Call {
	t.Helper()
	c.App = "callcare"
	deadline := time.Now().Add(5 * time.Second)
	for {
		call, err := e.pbx.Call(c)
		if err == nil {
			return call
		}
		if time.Now().After(deadline) {
			t.Fatalf("place call: %v", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// record waits for the call's record to be final.
func (e *env) record(t testing.TB, call *pbxsim.Call) callcare.CallRecord {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		rec, err := e.db.Call(context.Background(), call.ChannelID())
		if err == nil && !rec.EndedAt.IsZero() {
			return rec
		}
		if err != nil && callcare.ErrorCode(err) != callcare.ENOTFOUND {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("call %s not recorded as ended (last: %+v, %v)", call.ChannelID(), rec, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// settled waits until the simulator has no channel or bridge left and the
// service no call: nothing leaks from a scenario.
func (e *env) settled(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		chans, bridges, calls := len(e.pbx.Channels()), len(e.pbx.Bridges()), e.svc.Stats().ActiveCalls
		if chans == 0 && bridges == 0 && calls == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("left behind: %d channels %v, %d bridges, %d calls", chans, e.pbx.Channels(), bridges, calls)
		}
		time.Sleep(5 * time.Millisecond)
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
