package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/config"
	"github.com/callcare/callcare/pbxsim"
	"github.com/callcare/callcare/sqlite"
)

// TestServeHelperProcess is the service run as a process of its own, for
// the tests that kill it. It does nothing in a normal test run.
func TestServeHelperProcess(t *testing.T) {
	path := os.Getenv("CALLCARE_HELPER_CONFIG")
	if path == "" {
		t.Skip("only run as a child of the crash tests")
	}
	err := run(context.Background(), []string{"serve", "--config", path}, os.Stderr, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

// crashEnv is a simulated Asterisk, a database file, and the service as a
// child process that the test can SIGKILL and start again.
type crashEnv struct {
	pbx  *pbxsim.Server
	cfg  string
	db   string
	cmd  *exec.Cmd
	logs *syncBuffer
}

func newCrashEnv(t *testing.T) *crashEnv {
	if testing.Short() {
		t.Skip("starts processes")
	}
	pbx := pbxsim.NewServer(pbxsim.Options{StasisAfterCreate: 2 * time.Millisecond})
	t.Cleanup(func() { pbx.Close() })
	dir := t.TempDir()
	e := &crashEnv{pbx: pbx, cfg: filepath.Join(dir, "callcare.yaml"), db: filepath.Join(dir, "callcare.db"), logs: &syncBuffer{}}
	cfg := string(config.Example())
	for old, new := range map[string]string{
		"http://127.0.0.1:8088/ari":      pbx.URL(),
		"ws://127.0.0.1:8088/ari/events": pbx.WebsocketURL(),
		"/var/lib/callcare/callcare.db":  e.db,
		"ring_cycle: 5s":                 "ring_cycle: 100ms",
		"agi_listen: 127.0.0.1:4573":     "agi_listen: 127.0.0.1:0",
		"listen: 127.0.0.1:9464":         "listen: 127.0.0.1:0",
		// 111 rings Anna Nowak alone: her chain ends within a kill's
		// window even on a loaded machine, so callers hear the promise.
		"overflow: pwisniewska    # then, through her, the secretariat": "",
	} {
		cfg = strings.Replace(cfg, old, new, 1)
	}
	cfg = onSimulator(alwaysOpen(cfg))
	cfg = setCallbackKey(cfg, "scheduler_tick", "20ms")
	cfg = setCallbackKey(cfg, "key_timeout", "3s")
	os.WriteFile(e.cfg, []byte(cfg), 0o600)
	if _, err := config.Parse(e.cfg, []byte(cfg), func(string) string { return "callcare" }); err != nil {
		t.Fatalf("test config: %v", err)
	}
	t.Cleanup(func() {
		e.kill(t)
		if t.Failed() {
			t.Logf("service logs:\n%s", e.logs.String())
		}
	})
	return e
}

// setCallbackKey sets a key of the callbacks section, written or not.
func setCallbackKey(cfg, key, value string) string {
	lines := strings.Split(cfg, "\n")
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimLeft(l, "# "), key+":") && strings.HasPrefix(l, "  ") || strings.HasPrefix(l, "  # "+key+":") {
			lines[i] = "  " + key + ": " + value
			return strings.Join(lines, "\n")
		}
	}
	return strings.Replace(cfg, "\ncallbacks:\n", "\ncallbacks:\n  "+key+": "+value+"\n", 1)
}

func (e *crashEnv) start(t *testing.T) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeHelperProcess$")
	cmd.Env = append(os.Environ(), "CALLCARE_HELPER_CONFIG="+e.cfg, "CALLCARE_ARI_PASSWORD=callcare")
	cmd.Stdout, cmd.Stderr = e.logs, e.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	e.cmd = cmd
	waitApp(t, e.pbx, true, e.logs.String)
}

// kill is SIGKILL: no deferred function, no last write.
func (e *crashEnv) kill(t *testing.T) {
	if e.cmd == nil {
		return
	}
	e.cmd.Process.Signal(syscall.SIGKILL)
	e.cmd.Wait()
	e.cmd = nil
	// Asterisk notices the socket is gone; wait until it has.
	waitApp(t, e.pbx, false, e.logs.String)
}

func (e *crashEnv) open(t *testing.T) *sqlite.DB {
	db, err := sqlite.Open(context.Background(), e.db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestCrash_NoTaskIsLost: the service is killed again and again while
// missed calls pour in. Every caller who heard the promise of a callback
// has a task, and no number has two.
func TestCrash_NoTaskIsLost(t *testing.T) {
	t.Parallel()
	e := newCrashEnv(t)
	for _, ep := range []string{"PJSIP/111", "PJSIP/112", "PJSIP/101", "PJSIP/102"} {
		e.pbx.SetPhone(ep, pbxsim.Phone{Mode: pbxsim.Busy})
	}
	var calls []*pbxsim.Call
	for round := range 4 {
		e.start(t)
		killed := make(chan struct{})
		// At a different moment each round, calls under way or not.
		time.AfterFunc(400*time.Millisecond+time.Duration(round)*53*time.Millisecond, func() {
			defer close(killed)
			e.cmd.Process.Signal(syscall.SIGKILL)
		})
		for i := 0; ; i++ {
			number := fmt.Sprintf("48600%03d%03d", round, i)
			c, err := e.pbx.Call(pbxsim.Caller{Number: number, Exten: "111", App: "callcare"})
			if err != nil {
				break // killed: Stasis() fails, the dialplan's fallback takes over
			}
			calls = append(calls, c)
			time.Sleep(10 * time.Millisecond)
		}
		<-killed
		e.kill(t)
	}
	db := e.open(t)
	promised := 0
	for _, c := range calls {
		c.Hangup() // calls in flight when the service died stay in Asterisk
		<-c.Done()
		if !slices.Contains(c.Heard(), "sound:callcare/nobody-available") {
			continue
		}
		promised++
		caller := numberOf(t, e, c)
		ts, err := db.Callbacks(context.Background(), callcare.CallbackFilter{Number: caller})
		if err != nil || len(ts) != 1 {
			t.Errorf("caller %s heard the promise; tasks %v, %v", caller, ts, err)
		}
	}
	t.Logf("%d of %d callers heard the promise, across 4 kills", promised, len(calls))
	if promised < 5 {
		t.Errorf("only %d callers heard the promise: the test did not test much", promised)
	}
}

// numberOf finds a call's caller number in the call log.
func numberOf(t *testing.T, e *crashEnv, c *pbxsim.Call) callcare.Number {
	db := e.open(t)
	rec, err := db.Call(context.Background(), c.ChannelID())
	if err != nil {
		t.Fatalf("call %s not logged: %v", c.ChannelID(), err)
	}
	n, _ := callcare.CallableNumber(rec.CallerID)
	return n
}

// TestCrash_NoCitizenDialedTwice: the service dies while it dials a citizen
// for an agreed callback. Started again, it hangs up that call, records the
// attempt as interrupted and does not dial the citizen again for it.
func TestCrash_NoCitizenDialedTwice(t *testing.T) {
	t.Parallel()
	e := newCrashEnv(t)
	const citizenPhone = "PJSIP/48600100200@trunk"
	e.pbx.SetPhone("PJSIP/111", pbxsim.Phone{AnswerAfter: 50 * time.Millisecond,
		Script: []pbxsim.Action{{At: 100 * time.Millisecond, Do: pbxsim.PressKeys, Digits: "1"}}})
	e.pbx.SetPhone(citizenPhone, pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	db := e.open(t)
	ctx := context.Background()
	now := time.Now()
	tk, _, err := db.MissedCall(ctx, callcare.CallbackTask{Number: "48600100200", Dialed: "111",
		Target: callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"}, Reason: callcare.ReasonRequested,
		FirstAt: now, LastAt: now, Tries: 1, Due: now.Add(time.Hour), Status: callcare.CallbackOpen})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Schedule(ctx, tk.ID, now); err != nil {
		t.Fatal(err)
	}
	e.start(t)
	deadline := time.Now().Add(10 * time.Second)
	for len(offersTo(e.pbx, citizenPhone)) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the citizen was never dialed:\n%s", e.logs.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	e.kill(t)
	e.start(t)
	defer e.kill(t)
	// The restarted service settles the attempt at once (recover runs
	// before it connects); then ten scheduler ticks give it the chance to
	// misbehave.
	atts, _ := db.CallbackAttempts(ctx, tk.ID)
	time.Sleep(10 * 20 * time.Millisecond)
	if len(atts) != 1 || atts[0].Result != callcare.AttemptInterrupted {
		t.Fatalf("attempts %+v, want one, interrupted", atts)
	}
	if n := len(offersTo(e.pbx, citizenPhone)); n != 1 {
		t.Errorf("the citizen was dialed %d times for one attempt", n)
	}
	for _, ch := range e.pbx.Channels() {
		if ch.ID == atts[0].Channel {
			t.Errorf("the interrupted attempt's call still rings: %+v", ch)
		}
	}
	got, _ := db.Callback(ctx, tk.ID)
	if got.Status != callcare.CallbackOpen || !got.NextAttemptAt.After(time.Now()) {
		t.Errorf("task after the crash %+v: want open, next attempt later by the retry schedule", got)
	}
	// Leftovers of the killed run: the clerk's line.
	for _, ch := range e.pbx.Channels() {
		req, _ := http.NewRequest("DELETE", e.pbx.URL()+"/channels/"+ch.ID, nil)
		req.SetBasicAuth("callcare", "callcare")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}
}

func offersTo(pbx *pbxsim.Server, endpoint string) []pbxsim.Offer {
	var out []pbxsim.Offer
	for _, o := range pbx.Offers() {
		if o.Endpoint == endpoint {
			out = append(out, o)
		}
	}
	return out
}
