package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callcare/callcare/config"
	"github.com/callcare/callcare/pbxsim"
)

// syncBuffer is a bytes.Buffer safe for a program writing while a test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestDemo(t *testing.T) {
	var out syncBuffer
	if err := run(context.Background(), []string{"demo", "--speed", "40"}, &out, &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"Anna Nowak answers on ring 2",
		"Tomasz Lewandowski's line is busy",
		"3 rings and no answer (P4a): the call moves on",
		"abandoned after 2 rings: kept for a callback",
		`hears "callcare/unknown-number"`,
		"What the call log kept",
		"kwojcik noanswer@3, ekaminska answered@2",
		"Joanna Kowalska dials the callback queue (*70)",
		"callback reached: the task is closed",
		"Paulina Wiśniewska puts the call on hold: the caller hears the department's music (P4h)",
		`-> hears "hold-patience"`,
		`-> hears "menu-greeting"`,
		"presses 2",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestConfigCheck(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(good, config.Example(), 0o600)
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"config", "check", "--config", good}, &out, &errOut); err != nil {
		t.Fatalf("the shipped example: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "valid: 8 clerks, 4 departments") {
		t.Errorf("output %q", out.String())
	}
	if strings.Contains(errOut.String(), "warning: ") {
		t.Errorf("the shipped example warned:\n%s", errOut.String())
	}

	// Valid, but likely not meant: said, and the file still valid.
	odd := filepath.Join(dir, "odd.yaml")
	os.WriteFile(odd, []byte(strings.Replace(string(config.Example()), "members: [anowak, pwisniewska]", "members: [anowak, pwisniewska, jkowalska]", 1)), 0o600)
	out.Reset()
	errOut.Reset()
	if err := run(context.Background(), []string{"config", "check", "--config", odd}, &out, &errOut); err != nil {
		t.Fatalf("a file with a clerk in a second department's members: %v\n%s", err, errOut.String())
	}
	if w := errOut.String(); !strings.Contains(w, "warning: "+odd+":") || !strings.Contains(w, ": departments[1].members[2]: jkowalska is a member of 200 but belongs to 100") {
		t.Errorf("no warning of the membership:\n%s", errOut.String())
	}

	bad := filepath.Join(dir, "bad.yaml")
	text := strings.Replace(string(config.Example()), `extension: "112"`, `extension: "111"`, 1)
	text = strings.Replace(text, "answer_within_rings: 3", "answer_within_rings: three", 1)
	os.WriteFile(bad, []byte(text), 0o600)
	out.Reset()
	errOut.Reset()
	err := run(context.Background(), []string{"config", "check", "--config", bad}, &out, &errOut)
	var exit exitError
	if !errors.As(err, &exit) || exit != 1 {
		t.Fatalf("a bad file: %v, want exit status 1", err)
	}
	for _, want := range []string{"bad.yaml:", "answer_within_rings", `duplicate extension "111"`, "2 problem(s)"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("problems lack %q:\n%s", want, errOut.String())
		}
	}
}

// TestServe runs the whole program against the simulated Asterisk: a call
// is rung by the procedure and lands in the log that `calls list` prints.
func TestServe(t *testing.T) {
	// On the wall clock: a short goodbye keeps the call short.
	pbx := pbxsim.NewServer(pbxsim.Options{User: "callcare", Password: "s3cret", Sounds: map[string]time.Duration{"callcare/goodbye": 20 * time.Millisecond}})
	defer pbx.Close()
	pbx.SetPhone("PJSIP/111", pbxsim.Phone{Mode: pbxsim.Busy})
	pbx.SetPhone("PJSIP/112", pbxsim.Phone{AnswerAfter: 20 * time.Millisecond, Script: []pbxsim.Action{{At: 50 * time.Millisecond, Do: pbxsim.Hangup}}})

	dir := t.TempDir()
	cfg := string(config.Example())
	cfg = strings.Replace(cfg, "http://127.0.0.1:8088/ari", pbx.URL(), 1)
	cfg = strings.Replace(cfg, "ws://127.0.0.1:8088/ari/events", pbx.WebsocketURL(), 1)
	cfg = strings.Replace(cfg, "/var/lib/callcare/callcare.db", filepath.Join(dir, "callcare.db"), 1)
	cfg = strings.Replace(cfg, "ring_cycle: 5s", "ring_cycle: 100ms", 1)
	cfg = onSimulator(alwaysOpen(cfg))
	cfg = strings.Replace(cfg, "agi_listen: 127.0.0.1:4573", "agi_listen: 127.0.0.1:0", 1)
	cfg = strings.Replace(cfg, "listen: 127.0.0.1:9464", "listen: 127.0.0.1:0", 1)
	path := filepath.Join(dir, "callcare.yaml")
	os.WriteFile(path, []byte(cfg), 0o600)
	t.Setenv("CALLCARE_ARI_PASSWORD", "s3cret")

	ctx, cancel := context.WithCancel(context.Background())
	var logs syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--config", path}, &logs, &logs) }()

	waitApp(t, pbx, true, logs.String)
	call, err := pbx.Call(pbxsim.Caller{Number: "48600100200", Exten: "111", App: "callcare"})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-call.Done():
	case <-time.After(10 * time.Second):
		t.Fatalf("the call never ended\n%s", logs.String())
	}
	checkMetrics(t, logs.String, map[string]string{
		`callcare_calls_total{outcome="answered"}`: "1", `callcare_overflows_total{department="200"}`: "1",
		`callcare_ari_connected`: "1", `callcare_ready`: "1",
	})
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v\n%s", err, logs.String())
	}
	if strings.Contains(logs.String(), "48600100200") {
		t.Errorf("the caller's number reached the log:\n%s", logs.String())
	}

	var out bytes.Buffer
	if err := run(context.Background(), []string{"calls", "list", "--config", path}, &out, &out); err != nil {
		t.Fatalf("calls list: %v", err)
	}
	if !strings.Contains(out.String(), "anowak busy@0, pwisniewska answered@1") || !strings.Contains(out.String(), `"48600100200"`) {
		t.Errorf("calls list:\n%s", out.String())
	}
}

// checkMetrics reads the running service's /metrics, where its log says
// it serves them, until every sample of want has its value (the call's
// last step may come a moment after the caller's line ended); /readyz
// must say ready.
func checkMetrics(t *testing.T, logs func() string, want map[string]string) {
	t.Helper()
	m := regexp.MustCompile(`"metrics served" url=(http://\S+)/metrics`).FindStringSubmatch(logs())
	if m == nil {
		t.Fatalf("the log does not say where the metrics are:\n%s", logs())
	}
	get := func(path string) (int, string) {
		resp, err := http.Get(m[1] + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, body := get("/metrics")
		missing := ""
		for name, v := range want {
			if !strings.Contains(body, "\n"+name+" "+v+"\n") {
				missing = name + " " + v
			}
		}
		if missing == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/metrics lacks %s:\n%s", missing, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if code, body := get("/readyz"); code != http.StatusOK || body != "ready\n" {
		t.Errorf("/readyz: %d %q", code, body)
	}
}

// waitApp waits until a service holds the application (held), or until
// none does; logs tells what the service said if it never happens.
func waitApp(t *testing.T, pbx *pbxsim.Server, held bool, logs func() string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := pbx.WaitApp(ctx, "callcare", held); err != nil {
		t.Fatalf("the service never came (or went): %v\n%s", err, logs())
	}
}

// alwaysOpen makes the example's office answer at any hour, with nobody
// away, so a test of the call path does not depend on when it runs.
// onSimulator lifts the bound on the machine's CPU: a test machine busy
// with other tests is no PBX short of CPU.
func onSimulator(cfg string) string {
	return strings.Replace(cfg, "max_host_cpu: 85", "max_host_cpu: 0", 1)
}

func alwaysOpen(cfg string) string {
	for _, day := range []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"} {
		cfg = regexp.MustCompile(`(?m)^  `+day+`: .*$`).ReplaceAllString(cfg, "  "+day+`: "00:00-24:00"`)
	}
	cfg = strings.Replace(cfg, "polish_holidays: true", "polish_holidays: false", 1)
	// Nobody is away either, whatever the date.
	if i := strings.Index(cfg, "\nabsences:\n"); i >= 0 {
		end := strings.Index(cfg[i+1:], "\n\n") + i + 1
		cfg = cfg[:i] + "\nabsences: []" + cfg[end:]
	}
	return regexp.MustCompile(`(?m)^  closed: .*$`).ReplaceAllString(cfg, "  closed: []")
}

func TestServeRefusesAnInvalidFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "callcare.yaml")
	os.WriteFile(path, []byte("asterisk:\n  ari_url: http://127.0.0.1:8088/ari\n  usr: callcare\n"), 0o600)
	var out bytes.Buffer
	err := run(context.Background(), []string{"serve", "--config", path}, &out, &out)
	if !errors.As(err, new(exitError)) || !strings.Contains(out.String(), "callcare.yaml:3") || !strings.Contains(out.String(), "refusing to start") {
		t.Errorf("serve on a bad file: %v\n%s", err, out.String())
	}
}

func TestUnknownCommand(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"dance"}, &out, &out); !errors.As(err, new(exitError)) {
		t.Errorf("unknown command: %v", err)
	}
}

// TestServe_MetricsPortTaken: a metrics.listen another program holds
// stops the start, as a taken FastAGI port does, saying which.
func TestServe_MetricsPortTaken(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	dir := t.TempDir()
	cfg := strings.Replace(string(config.Example()), "/var/lib/callcare/callcare.db", filepath.Join(dir, "callcare.db"), 1)
	cfg = strings.Replace(cfg, "agi_listen: 127.0.0.1:4573", "agi_listen: 127.0.0.1:0", 1)
	cfg = strings.Replace(cfg, "listen: 127.0.0.1:9464", "listen: "+taken.Addr().String(), 1)
	path := filepath.Join(dir, "callcare.yaml")
	os.WriteFile(path, []byte(cfg), 0o600)
	t.Setenv("CALLCARE_ARI_PASSWORD", "s3cret")
	var out bytes.Buffer
	err = run(context.Background(), []string{"serve", "--config", path}, &out, &out)
	if err == nil || !strings.Contains(out.String()+err.Error(), "metrics: listen tcp "+taken.Addr().String()) {
		t.Errorf("serve with the metrics' port taken: %v\n%s", err, out.String())
	}
}
