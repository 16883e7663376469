package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/agi"
	"github.com/callcare/callcare/clock"
	"github.com/callcare/callcare/config"
	"github.com/callcare/callcare/pbxsim"
	"github.com/callcare/callcare/sqlite"
)

// TestOutboundAnsweredClosesCallbacks: the dialplan's FastAGI notice that a
// clerk's outside call was answered closes that citizen's callbacks, over
// the real wire protocol, whatever form the clerk dialed the number in.
func TestOutboundAnsweredClosesCallbacks(t *testing.T) {
	t.Parallel()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "callcare.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	clk := clock.NewFake(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	db.Now = clk.Now
	now := clk.Now()
	tk, _, _ := db.MissedCall(context.Background(), callcare.CallbackTask{Number: "48600100200", Dialed: "111",
		Target: callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"}, Reason: callcare.ReasonMissed,
		FirstAt: now, LastAt: now, Tries: 1, Due: now.Add(time.Hour), Status: callcare.CallbackOpen})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &hooks{db: db, clock: clk, log: slog.New(slog.DiscardHandler)}
	h.cfg.Store(&config.Config{Directory: callcare.Directory{Clerks: []callcare.Clerk{{ID: "anowak", Endpoint: "PJSIP/111"}}}})
	done := make(chan error, 1)
	go func() {
		done <- agi.NewServer(h, nil).Serve(ctx, ln)
	}()

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	// As Asterisk sends it for AGI(agi://.../outbound-answered,600100200,PJSIP/111).
	fmt.Fprint(conn, "agi_network: yes\nagi_network_script: outbound-answered\nagi_request: agi://127.0.0.1:4573/outbound-answered\n"+
		"agi_channel: PJSIP/trunk-00000007\nagi_language: en\nagi_type: PJSIP\nagi_uniqueid: 1795478171.7\n"+
		"agi_callerid: 600100200\nagi_context: callcare-outbound-answered\nagi_extension: s\nagi_priority: 1\n"+
		"agi_arg_1: 600100200\nagi_arg_2: PJSIP/111\n\n")
	io.ReadAll(conn) // the service ends the session, then runs the hook
	conn.Close()
	cancel() // Serve returns once the sessions under way, the hook's, are done
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	got, _ := db.Callback(context.Background(), tk.ID)
	if got.Status != callcare.CallbackDone || got.Resolution != callcare.ResolvedOutbound || got.ClosedBy != "anowak" || !got.ClosedAt.Equal(now) {
		t.Errorf("task %+v, want closed now as outbound by anowak", got)
	}
}

// TestCallbacksNote: the voice note is exported from Asterisk; a task
// without one says so.
func TestCallbacksNote(t *testing.T) {
	pbx := pbxsimServer(t)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "callcare.db")
	db, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tk, _, _ := db.MissedCall(context.Background(), callcare.CallbackTask{Number: "48600100200", Dialed: "111",
		Target: callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"}, Reason: callcare.ReasonMissed,
		FirstAt: now, LastAt: now, Tries: 1, Due: now.Add(time.Hour), Status: callcare.CallbackOpen})
	db.Close()
	cfg := strings.Replace(string(config.Example()), "/var/lib/callcare/callcare.db", dbPath, 1)
	cfg = strings.Replace(cfg, "http://127.0.0.1:8088/ari", pbx.URL(), 1)
	path := filepath.Join(dir, "callcare.yaml")
	os.WriteFile(path, []byte(cfg), 0o600)
	t.Setenv("CALLCARE_ARI_PASSWORD", "callcare")
	var out, errOut bytes.Buffer
	err = run(context.Background(), []string{"callbacks", "note", fmt.Sprint(tk.ID), "--out", filepath.Join(dir, "note.wav"), "--config", path}, &out, &errOut)
	if !strings.Contains(errOut.String(), "has no voice note") || err == nil {
		t.Errorf("a task without a note: %v %q", err, errOut.String())
	}
}

func pbxsimServer(t *testing.T) *pbxsim.Server {
	pbx := pbxsim.NewServer(pbxsim.Options{})
	t.Cleanup(func() { pbx.Close() })
	return pbx
}

// exampleHooks are the AGI hooks of the example Town Hall, on a store of
// their own, on a Tuesday in office hours (the clock's).
func exampleHooks(t *testing.T) (*hooks, *clock.Fake) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "callcare.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clk := clock.NewFake(time.Date(2026, 11, 24, 9, 0, 0, 0, time.Local))
	db.Now = clk.Now
	c, err := config.Parse("callcare.example.yaml", config.Example(), nil)
	if err != nil {
		t.Fatal(err)
	}
	h := &hooks{db: db, clock: clk, log: slog.New(slog.DiscardHandler)}
	h.cfg.Store(c)
	return h, clk
}

// TestMissedFromTheFallback: the shipped fallback's h extension reports
// how each call it rang ended, over the real FastAGI wire. A call nobody
// answered becomes a missed call with a callback task (it heard the
// promise); an answered one records nothing; one the service handed there
// itself keeps its record, counted once, and gets a task only if it has
// none (a failure of the service's own made no task).
func TestMissedFromTheFallback(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h, clk := exampleHooks(t)
	db := h.db
	// Handed over by the service: one with the task it made, one without.
	handed := callcare.CallRecord{ID: "1795478400.31", CallerID: "48600100300", Dialed: "111", StartedAt: clk.Now(),
		EndedAt: clk.Now(), Outcome: callcare.OutcomeFallback, Target: callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"}}
	failed := handed
	failed.ID, failed.CallerID = "1795478401.33", "48600100400"
	for _, r := range []callcare.CallRecord{handed, failed} {
		if err := db.SaveCall(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := db.MissedCall(ctx, callcare.CallbackTask{Number: "48600100300", Dialed: "111", CallID: handed.ID,
		Target: handed.Target, Reason: callcare.ReasonMissed, FirstAt: clk.Now(), LastAt: clk.Now(), Tries: 1,
		Due: clk.Now().Add(time.Hour), Status: callcare.CallbackOpen}); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srvCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	srv := agi.NewServer(h, nil)
	srv.HandleCalls(h)
	go func() { done <- srv.Serve(srvCtx, ln) }()

	for _, call := range []struct{ uid, caller, status string }{
		{"1795478396.23", "48600100200", "NOANSWER"}, // nobody, not even the secretariat
		{"1795478398.27", "48600100201", "ANSWER"},   // a clerk answered in the fallback
		{handed.ID, string(handed.CallerID), "NOANSWER"},
		{failed.ID, string(failed.CallerID), "NOANSWER"},
	} {
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		// As Asterisk sends it from the h extension of callcare-fallback.
		fmt.Fprintf(conn, "agi_network: yes\nagi_network_script: missed\nagi_request: agi://127.0.0.1:4573/missed\n"+
			"agi_channel: PJSIP/anonymous-00000011\nagi_language: pl\nagi_type: PJSIP\nagi_uniqueid: %s\n"+
			"agi_callerid: %s\nagi_calleridname: unknown\nagi_context: callcare-fallback\nagi_extension: h\nagi_priority: 2\n"+
			"agi_arg_1: 111\nagi_arg_2: %s\n\n", call.uid, call.caller, call.status)
		io.ReadAll(conn)
		conn.Close()
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	calls, err := db.Calls(ctx, callcare.CallFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range calls {
		got = append(got, r.ID+"/"+string(r.Outcome))
		if r.ID == "agi-1795478396.23" && r.HungUpBy != callcare.PartyPBX {
			t.Errorf("the missed call was hung up by %q: the dialplan ended it after its Dial, want pbx", r.HungUpBy)
		}
	}
	slices.Sort(got)
	if want := "1795478400.31/fallback 1795478401.33/fallback agi-1795478396.23/missed"; strings.Join(got, " ") != want {
		t.Errorf("calls %v, want %s: the unanswered one missed beside the service's own", got, want)
	}
	tasks, err := db.Callbacks(ctx, callcare.CallbackFilter{})
	if err != nil {
		t.Fatal(err)
	}
	owed := map[callcare.Number]int{}
	for _, tk := range tasks {
		owed[tk.Number] = tk.Tries
		if tk.Target.ID != "anowak" {
			t.Errorf("task %+v, want it for anowak", tk)
		}
	}
	if len(tasks) != 3 || owed["48600100200"] != 1 || owed["48600100300"] != 1 || owed["48600100400"] != 1 {
		t.Errorf("tasks by number and tries %v, want one try each for 48600100200, 48600100300 (the service's own) and 48600100400", owed)
	}
}

// TestMissed_NoOfficeNumberMasked: a missed call reported for a number the
// office does not have is refused, and what is refused reaches the log:
// the number is masked, as a citizen's may be.
func TestMissed_NoOfficeNumberMasked(t *testing.T) {
	t.Parallel()
	h, _ := exampleHooks(t)
	err := h.Missed(context.Background(), agi.Missed{UniqueID: "1795478396.23", CallerID: "48600100200", Dialed: "600100200", Status: "NOANSWER"})
	if err == nil || strings.Contains(err.Error(), "600100200") || !strings.Contains(err.Error(), "******200") {
		t.Errorf("refused with %v: want the number masked", err)
	}
}
