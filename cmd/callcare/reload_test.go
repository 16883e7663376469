package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/config"
	"github.com/callcare/callcare/pbxsim"
	"github.com/callcare/callcare/sqlite"
)

// serveEnv is the whole program serving the example office against the
// simulated Asterisk, on the wall clock with short rings.
type serveEnv struct {
	pbx    *pbxsim.Server
	path   string // callcare.yaml
	cfg    string // as written first
	db     string
	agi    string
	logs   *syncBuffer
	cancel context.CancelFunc
	done   chan error
}

func startServe(t *testing.T) *serveEnv {
	t.Helper()
	pbx := pbxsim.NewServer(pbxsim.Options{User: "callcare", Password: "s3cret", Sounds: map[string]time.Duration{"callcare/goodbye": 20 * time.Millisecond}})
	t.Cleanup(func() { pbx.Close() })
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0") // a free port for the FastAGI hooks
	if err != nil {
		t.Fatal(err)
	}
	agiAddr := ln.Addr().String()
	ln.Close()
	e := &serveEnv{pbx: pbx, path: filepath.Join(dir, "callcare.yaml"), db: filepath.Join(dir, "callcare.db"), agi: agiAddr, logs: &syncBuffer{}}
	cfg := string(config.Example())
	cfg = strings.Replace(cfg, "http://127.0.0.1:8088/ari", pbx.URL(), 1)
	cfg = strings.Replace(cfg, "ws://127.0.0.1:8088/ari/events", pbx.WebsocketURL(), 1)
	cfg = strings.Replace(cfg, "/var/lib/callcare/callcare.db", e.db, 1)
	cfg = strings.Replace(cfg, "ring_cycle: 5s", "ring_cycle: 100ms", 1)
	cfg = strings.Replace(cfg, "agi_listen: 127.0.0.1:4573", "agi_listen: "+agiAddr, 1)
	cfg = strings.Replace(cfg, "listen: 127.0.0.1:9464", "listen: 127.0.0.1:0", 1)
	e.cfg = onSimulator(alwaysOpen(cfg))
	e.write(t, e.cfg)
	t.Setenv("CALLCARE_ARI_PASSWORD", "s3cret")
	ctx, cancel := context.WithCancel(context.Background())
	e.cancel, e.done = cancel, make(chan error, 1)
	go func() { e.done <- run(ctx, []string{"serve", "--config", e.path}, e.logs, e.logs) }()
	t.Cleanup(e.stop)
	waitApp(t, pbx, true, e.logs.String)
	return e
}

func (e *serveEnv) stop() {
	if e.cancel != nil {
		e.cancel()
		<-e.done
		e.cancel = nil
	}
}

// write saves the configuration as an editor does: a new file renamed over
// the old one.
func (e *serveEnv) write(t *testing.T, cfg string) {
	t.Helper()
	tmp := e.path + ".swp"
	if err := os.WriteFile(tmp, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, e.path); err != nil {
		t.Fatal(err)
	}
}

// waitLog waits until the service has logged want n times.
func (e *serveEnv) waitLog(t *testing.T, want string, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for strings.Count(e.logs.String(), want) < n {
		if time.Now().After(deadline) {
			t.Fatalf("the service never logged %q (%d times):\n%s", want, n, e.logs)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// call places a call to ext and waits for its end; it returns the record.
func (e *serveEnv) call(t *testing.T, ext string) callcare.CallRecord {
	t.Helper()
	c, err := e.pbx.Call(pbxsim.Caller{Number: "48600100200", Exten: ext, App: "callcare"})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.Done():
	case <-time.After(10 * time.Second):
		t.Fatalf("the call never ended\n%s", e.logs)
	}
	db, err := sqlite.Open(context.Background(), e.db)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		rec, err := db.Call(context.Background(), c.ChannelID())
		if err == nil && !rec.EndedAt.IsZero() {
			return rec
		}
		if time.Now().After(deadline) {
			t.Fatalf("call %s not recorded: %v", c.ChannelID(), err)
		}
	}
}

// TestServe_Reload: the configuration is read again when it is saved and
// on SIGHUP; a valid file takes effect for the next call within a second,
// an invalid one is refused with config check's problems, the running
// rules stay, and callcare status says so.
func TestServe_Reload(t *testing.T) {
	e := startServe(t)
	e.pbx.SetPhone("PJSIP/111", pbxsim.Phone{AnswerAfter: 20 * time.Millisecond, Script: []pbxsim.Action{{At: 50 * time.Millisecond, Do: pbxsim.Hangup}}})
	e.pbx.SetPhone("PJSIP/112", pbxsim.Phone{AnswerAfter: 20 * time.Millisecond, Script: []pbxsim.Action{{At: 50 * time.Millisecond, Do: pbxsim.Hangup}}})
	if rec := e.call(t, "111"); rec.AnsweredBy != "anowak" {
		t.Fatalf("before the reload: answered by %s", rec.AnsweredBy)
	}

	// Anna goes on leave: the file is saved, and within a second her calls go to Paulina.
	away := strings.Replace(e.cfg, "absences: []", "absences:\n  - {clerk: anowak, substitute: pwisniewska, reason: leave}", 1)
	saved := time.Now()
	e.write(t, away)
	e.waitLog(t, "configuration reloaded", 1)
	if took := time.Since(saved); took > time.Second {
		t.Errorf("the reload took %s, want within a second", took)
	}
	if rec := e.call(t, "111"); rec.AnsweredBy != "pwisniewska" || rec.Forwarded.Reason != callcare.AbsenceLeave {
		t.Errorf("after the reload: answered by %s, forwarded %+v; want Paulina, Anna on leave", rec.AnsweredBy, rec.Forwarded)
	}

	if _, out, _ := runArgs(t, "calls", "list", "--db", e.db); !strings.Contains(out, "111 (anowak away: leave, yaml; to pwisniewska)") {
		t.Errorf("calls list does not say why the call went to Paulina:\n%s", out)
	}

	// An invalid file is refused; the rules stay.
	e.write(t, strings.Replace(away, "{clerk: anowak, substitute: pwisniewska", "{clerk: anowak, substitute: nobody", 1))
	e.waitLog(t, "configuration refused", 1)
	if !strings.Contains(e.logs.String(), `substitute \"nobody\" names neither a clerk id nor a department number`) {
		t.Errorf("the refusal does not say why:\n%s", e.logs)
	}
	if rec := e.call(t, "111"); rec.AnsweredBy != "pwisniewska" {
		t.Errorf("after a refused reload: answered by %s, want the rules before it (Paulina)", rec.AnsweredBy)
	}
	status, out, _ := runArgs(t, "status", "--db", e.db)
	if status != 1 || !strings.Contains(out, "REFUSED") || !strings.Contains(out, "names neither a clerk id nor a department number") || !strings.Contains(out, "(1 taken since the start)") {
		t.Errorf("status after a refusal: %d\n%s", status, out)
	}

	// SIGHUP (systemctl reload) reads the file again, changed or not.
	e.write(t, e.cfg)
	e.waitLog(t, "configuration reloaded", 2)
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	e.waitLog(t, "SIGHUP: reading the configuration again", 1)
	e.waitLog(t, "configuration reloaded", 3)
	if rec := e.call(t, "111"); rec.AnsweredBy != "anowak" {
		t.Errorf("after Anna is back: answered by %s", rec.AnsweredBy)
	}
	status, out, _ = runArgs(t, "status", "--db", e.db)
	if status != 0 || !strings.Contains(out, "taken (3 since the start)") {
		t.Errorf("status: %d\n%s", status, out)
	}
	checkMetrics(t, e.logs.String, map[string]string{
		`callcare_config_reloads_total{result="ok"}`: "3", `callcare_config_reloads_total{result="refused"}`: "1",
	})
	e.stop()
	if _, out, _ := runArgs(t, "status", "--db", e.db); !strings.Contains(out, "stopped") {
		t.Errorf("status after the stop:\n%s", out)
	}
}

// TestServe_RouteHook: an office that keeps its own dialplan asks the
// service whom to ring (AGI route) and tells it of a missed call (AGI
// missed), over the real FastAGI wire.
func TestServe_RouteHook(t *testing.T) {
	e := startServe(t)
	away := strings.Replace(e.cfg, "absences: []", "absences:\n  - {clerk: kwojcik, substitute: \"200\", reason: field_work}", 1)
	e.write(t, away)
	e.waitLog(t, "configuration reloaded", 1)

	got := agiSession(t, e.agi, "route", "121")
	want := []string{`SET VARIABLE CALLCARE_TARGET "PJSIP/111&PJSIP/112"`, `SET VARIABLE CALLCARE_RING_SECONDS "1"`, `SET VARIABLE CALLCARE_REASON "field_work"`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("route 121:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := agiSession(t, e.agi, "route", "999"); len(got) != 3 || got[0] != `SET VARIABLE CALLCARE_TARGET ""` {
		t.Errorf("route 999: %q", got)
	}

	agiSession(t, e.agi, "missed", "121", "NOANSWER")
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		_, out, _ := runArgs(t, "callbacks", "list", "--db", e.db)
		if strings.Contains(out, "48600100200") && strings.Contains(out, "kwojcik") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the missed call is not in the queue:\n%s\n%s", out, e.logs)
		}
	}
}

// agiSession plays Asterisk running AGI(agi://ADDR/script,args...) on a
// call from 48600100200, answering every command with 200.
func agiSession(t *testing.T, addr, script string, args ...string) []string {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(conn, "agi_network: yes\nagi_network_script: %s\nagi_request: agi://%s/%s\nagi_channel: PJSIP/trunk-00000001\n"+
		"agi_uniqueid: 1795478396.23\nagi_callerid: 48600100200\nagi_calleridname: Obywatel\n", script, addr, script)
	for i, a := range args {
		fmt.Fprintf(conn, "agi_arg_%d: %s\n", i+1, a)
	}
	fmt.Fprint(conn, "\n")
	var cmds []string
	buf := make([]byte, 4096)
	var pending string
	for {
		n, err := conn.Read(buf)
		pending += string(buf[:n])
		for {
			line, rest, ok := strings.Cut(pending, "\n")
			if !ok {
				break
			}
			cmds = append(cmds, line)
			pending = rest
			fmt.Fprint(conn, "200 result=1\n")
		}
		if err != nil {
			return cmds
		}
	}
}
