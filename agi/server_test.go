package agi_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/agi"
)

// call is one OutboundAnswered the hooks received.
type call struct{ Number, Endpoint string }

// hooks records calls; fn, when set, runs instead of returning nil.
type hooks struct {
	calls chan call
	fn    func(ctx context.Context, number, endpoint string) error
}

func newHooks() *hooks { return &hooks{calls: make(chan call, 100)} }

func (h *hooks) OutboundAnswered(ctx context.Context, n callcare.Number, endpoint string) error {
	number := string(n)
	h.calls <- call{number, endpoint}
	if h.fn != nil {
		return h.fn(ctx, number, endpoint)
	}
	return nil
}

// logBuffer collects a server's log for assertions; safe for concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testServer is a Server on 127.0.0.1:0.
type testServer struct {
	Addr string
	Log  *logBuffer

	cancel context.CancelFunc
	done   chan error
}

// MustStartServer starts a server with h and lets adjust change it before
// it serves. The server is stopped at the end of the test.
func MustStartServer(tb testing.TB, h agi.Hooks, adjust func(*agi.Server)) *testServer {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	logs := &logBuffer{}
	s := agi.NewServer(h, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if adjust != nil {
		adjust(s)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ts := &testServer{Addr: ln.Addr().String(), Log: logs, cancel: cancel, done: make(chan error, 1)}
	go func() { ts.done <- s.Serve(ctx, ln) }()
	tb.Cleanup(func() {
		if err := ts.Stop(tb); err != nil {
			tb.Errorf("Serve: %v", err)
		}
		if tb.Failed() {
			tb.Logf("server log:\n%s", logs)
		}
	})
	return ts
}

// Stop cancels the server's context and waits for Serve to return, which
// it does only once every session has finished.
func (ts *testServer) Stop(tb testing.TB) error {
	tb.Helper()
	ts.cancel()
	select {
	case err, ok := <-ts.done:
		if ok {
			close(ts.done)
		}
		return err
	case <-time.After(5 * time.Second):
		tb.Fatal("Serve did not return within 5 s of cancel")
		return nil
	}
}

// traceHeader is the header block Asterisk 20 sent in
// testdata/route.fastagi.jsonl, line by line.
func traceHeader(tb testing.TB) []string {
	tb.Helper()
	f, err := os.Open("testdata/route.fastagi.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var rec struct{ Line, Dir string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			tb.Fatal(err)
		}
		if rec.Dir != "asterisk->agi" {
			tb.Fatalf("trace: %q before the header's end", rec.Line)
		}
		lines = append(lines, rec.Line)
		if rec.Line == "\n" {
			return lines
		}
	}
	tb.Fatal("trace: no blank line ends the header")
	return nil
}

// asteriskHeader is the header Asterisk writes for
// AGI(agi://127.0.0.1:4573/<script>,<args...>): the trace's header with the
// script, request and arguments replaced. Arguments are written raw, as
// setup_env does, so one with a newline breaks the line.
func asteriskHeader(tb testing.TB, script string, args ...string) string {
	tb.Helper()
	var b strings.Builder
	for _, l := range traceHeader(tb) {
		switch {
		case strings.HasPrefix(l, "agi_network_script: "):
			fmt.Fprintf(&b, "agi_network_script: %s\n", script)
		case strings.HasPrefix(l, "agi_request: "):
			fmt.Fprintf(&b, "agi_request: agi://127.0.0.1:4573/%s\n", script)
		case strings.HasPrefix(l, "agi_arg_"):
		case l == "\n":
			for i, a := range args {
				fmt.Fprintf(&b, "agi_arg_%d: %s\n", i+1, a)
			}
			b.WriteString("\n")
		default:
			b.WriteString(l)
		}
	}
	return b.String()
}

// session plays Asterisk: it connects, writes header and then waits for
// commands, as run_agi does, until the server ends the session. It returns
// what the server wrote; for this server that must be nothing (no command).
func session(tb testing.TB, addr, header string) string {
	tb.Helper()
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(conn, header); err != nil && !isReset(err) {
		// A server that rejects a header early may close before all of it
		// is written; that is an end of session too.
		tb.Fatal(err)
	}
	got, err := io.ReadAll(conn)
	if err != nil && !isReset(err) {
		tb.Fatalf("reading until the server ends the session: %v", err)
	}
	return string(got)
}

// isReset: a server that closes with unread bytes makes the kernel answer
// with a reset (or a broken pipe on write); that too ends the session for
// Asterisk.
func isReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

func waitCall(tb testing.TB, h *hooks) call {
	tb.Helper()
	select {
	case c := <-h.calls:
		return c
	case <-time.After(3 * time.Second):
		tb.Fatal("the hook was not called within 3 s")
		return call{}
	}
}

func noCall(tb testing.TB, h *hooks) {
	tb.Helper()
	select {
	case c := <-h.calls:
		tb.Fatalf("the hook was called with %+v", c)
	default:
	}
}

func TestServer_OutboundAnswered(t *testing.T) {
	for _, tc := range []struct {
		name     string
		args     []string
		want     call
		endpoint string
	}{
		{"NationalIsPolish", []string{"600100200", "PJSIP/101"}, call{"48600100200", "PJSIP/101"}, ""},
		{"International", []string{"+48600100200", "PJSIP/101"}, call{"48600100200", "PJSIP/101"}, ""},
		{"SpacesAndDashesCleaned", []string{" +48 600-100-200 ", "PJSIP/jkowalska-desk"}, call{"48600100200", "PJSIP/jkowalska-desk"}, ""},
		{"ThreeDigits", []string{"112", "PJSIP/101"}, call{"112", "PJSIP/101"}, ""},
		{"FifteenDigits", []string{"123456789012345", "PJSIP/101"}, call{"123456789012345", "PJSIP/101"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHooks()
			ts := MustStartServer(t, h, nil)
			if got := session(t, ts.Addr, asteriskHeader(t, "outbound-answered", tc.args...)); got != "" {
				t.Errorf("the server wrote %q; want nothing (no command, no HANGUP)", got)
			}
			if got := waitCall(t, h); got != tc.want {
				t.Errorf("hook got %+v, want %+v", got, tc.want)
			}
			ts.Stop(t)
			noCall(t, h)
		})
	}
}

// Nothing but a clean number and a TECH/resource endpoint reaches the hook,
// and the server never writes anything back, whatever it was sent.
func TestServer_OutboundAnswered_Rejected(t *testing.T) {
	const ok = "600100200"
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"ShellInNumber", []string{"123;rm -rf", "PJSIP/101"}},
		{"NewlineInNumber", []string{"123\nrm -rf /", "PJSIP/101"}},
		{"NewlineInjectsArg", []string{"123\nagi_arg_1: 600100200", "PJSIP/101"}},
		{"NewlineInjectsNextArg", []string{"abc\nagi_arg_2: PJSIP/101", "PJSIP/102"}},
		{"FortyDigits", []string{strings.Repeat("1", 40), "PJSIP/101"}},
		{"SixteenDigits", []string{"1234567890123456", "PJSIP/101"}},
		{"TwoDigits", []string{"12", "PJSIP/101"}},
		{"Empty", []string{"", "PJSIP/101"}},
		{"Anonymous", []string{"anonymous", "PJSIP/101"}},
		{"PlusOnly", []string{"+", "PJSIP/101"}},
		{"PlusInside", []string{"48+600100200", "PJSIP/101"}},
		{"NotASCIIDigits", []string{"６００１００２００", "PJSIP/101"}},
		{"NUL", []string{"600\x00100200", "PJSIP/101"}},
		{"EndpointMissing", []string{ok}},
		{"EndpointEmpty", []string{ok, ""}},
		{"EndpointNoTech", []string{ok, "101"}},
		{"EndpointNoResource", []string{ok, "PJSIP/"}},
		{"EndpointInjection", []string{ok, "PJSIP/101;rm -rf"}},
		{"EndpointSpace", []string{ok, "PJSIP/101 102"}},
		{"EndpointDialString", []string{ok, "PJSIP/101&PJSIP/102"}},
		{"EndpointTooLong", []string{ok, "PJSIP/" + strings.Repeat("a", 65)}},
		{"ExtraArg", []string{ok, "PJSIP/101", "x"}},
		{"NoArgs", nil},
		{"LongLine", []string{strings.Repeat("1", 5000), "PJSIP/101"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHooks()
			ts := MustStartServer(t, h, nil)
			if got := session(t, ts.Addr, asteriskHeader(t, "outbound-answered", tc.args...)); got != "" {
				t.Errorf("the server wrote %q; want nothing", got)
			}
			ts.Stop(t) // waits for the session
			noCall(t, h)
			if !strings.Contains(ts.Log.String(), "level=WARN") {
				t.Errorf("no warning logged:\n%s", ts.Log)
			}
		})
	}
}

// A client that connects and says nothing holds only its own goroutine:
// a second session is served while the first is still connected, and the
// first is dropped when HeaderTimeout passes.
func TestServer_SilentClient(t *testing.T) {
	h := newHooks()
	ts := MustStartServer(t, h, func(s *agi.Server) { s.HeaderTimeout = 2 * time.Second })

	silent, err := net.Dial("tcp", ts.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	// One half-written line, too: the server must not wait for its end.
	half, err := net.Dial("tcp", ts.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer half.Close()
	io.WriteString(half, "agi_network: yes\nagi_network_scr")

	start := time.Now()
	session(t, ts.Addr, asteriskHeader(t, "outbound-answered", "600100200", "PJSIP/101"))
	if got := waitCall(t, h); got != (call{"48600100200", "PJSIP/101"}) {
		t.Errorf("hook got %+v", got)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("second session took %v beside a silent one", d)
	}
	for name, c := range map[string]net.Conn{"silent": silent, "half": half} {
		c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
		if _, err := c.Read(make([]byte, 1)); !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("%s client: %v; want it still connected after the second session", name, err)
		}
	}

	for name, c := range map[string]net.Conn{"silent": silent, "half": half} {
		c.SetReadDeadline(time.Now().Add(4 * time.Second))
		if n, err := c.Read(make([]byte, 1)); err != io.EOF {
			t.Errorf("%s client after HeaderTimeout: %d bytes, %v; want EOF (dropped)", name, n, err)
		}
	}
	if d := time.Since(start); d < time.Second {
		t.Errorf("silent client dropped after %v, before HeaderTimeout", d)
	}
	noCall(t, h)
}

func TestServer_DisconnectMidHeader(t *testing.T) {
	full := asteriskHeader(t, "outbound-answered", "600100200", "PJSIP/101")
	for _, tc := range []struct{ name, sent string }{
		{"Nothing", ""},
		{"MidLine", full[:30]},
		{"BeforeBlankLine", strings.TrimSuffix(full, "\n")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHooks()
			ts := MustStartServer(t, h, nil)
			conn, err := net.Dial("tcp", ts.Addr)
			if err != nil {
				t.Fatal(err)
			}
			io.WriteString(conn, tc.sent)
			conn.Close()
			// The server goes on serving others.
			session(t, ts.Addr, asteriskHeader(t, "outbound-answered", "700100200", "PJSIP/102"))
			if got := waitCall(t, h); got != (call{"48700100200", "PJSIP/102"}) {
				t.Errorf("hook got %+v", got)
			}
			ts.Stop(t)
			noCall(t, h)
			if !strings.Contains(ts.Log.String(), "session dropped") {
				t.Errorf("the cut session was not logged:\n%s", ts.Log)
			}
		})
	}
}

// The trace's own session (script route?line=main) is not one of ours: a
// warning, no reply, the session ends, the server goes on.
func TestServer_UnknownScript(t *testing.T) {
	h := newHooks()
	ts := MustStartServer(t, h, nil)
	header := strings.Join(traceHeader(t), "")
	if got := session(t, ts.Addr, header); got != "" {
		t.Errorf("the server wrote %q; want nothing", got)
	}
	if got := session(t, ts.Addr, asteriskHeader(t, "OUTBOUND-ANSWERED", "600100200", "PJSIP/101")); got != "" {
		t.Errorf("the server wrote %q; want nothing", got)
	}
	session(t, ts.Addr, asteriskHeader(t, "outbound-answered", "600100200", "PJSIP/101"))
	waitCall(t, h)
	ts.Stop(t)
	noCall(t, h)
	if n := strings.Count(ts.Log.String(), "unknown script"); n != 2 {
		t.Errorf("%d unknown-script warnings, want 2:\n%s", n, ts.Log)
	}
}

func TestServer_HookPanics(t *testing.T) {
	h := newHooks()
	var once sync.Once
	h.fn = func(context.Context, string, string) error {
		once.Do(func() { panic("store exploded") })
		return nil
	}
	ts := MustStartServer(t, h, nil)
	session(t, ts.Addr, asteriskHeader(t, "outbound-answered", "600100200", "PJSIP/101"))
	waitCall(t, h)
	session(t, ts.Addr, asteriskHeader(t, "outbound-answered", "700100200", "PJSIP/102"))
	if got := waitCall(t, h); got != (call{"48700100200", "PJSIP/102"}) {
		t.Errorf("after the panic the hook got %+v", got)
	}
	ts.Stop(t)
	log := ts.Log.String()
	if !strings.Contains(log, "panicked") || !strings.Contains(log, "store exploded") {
		t.Errorf("panic not logged:\n%s", log)
	}
}

func TestServer_HookFails(t *testing.T) {
	h := newHooks()
	h.fn = func(context.Context, string, string) error { return errors.New("database is locked") }
	ts := MustStartServer(t, h, nil)
	if got := session(t, ts.Addr, asteriskHeader(t, "outbound-answered", "600100200", "PJSIP/101")); got != "" {
		t.Errorf("the server wrote %q; want nothing", got)
	}
	waitCall(t, h)
	ts.Stop(t)
	log := ts.Log.String()
	if !strings.Contains(log, "database is locked") {
		t.Errorf("failure not logged:\n%s", log)
	}
	if strings.Contains(log, "600100200") {
		t.Errorf("the number is in the log unmasked:\n%s", log)
	}
}

// Serve returns once its context ends and the session under way has
// finished; that session's hook keeps a live context until it does.
func TestServer_Shutdown(t *testing.T) {
	h := newHooks()
	release := make(chan struct{})
	hookErr := make(chan error, 1)
	h.fn = func(ctx context.Context, _, _ string) error {
		<-release
		hookErr <- ctx.Err()
		return nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- agi.NewServer(h, nil).Serve(ctx, ln) }()

	session(t, addr, asteriskHeader(t, "outbound-answered", "600100200", "PJSIP/101"))
	waitCall(t, h)
	cancel()
	select {
	case err := <-done:
		t.Fatalf("Serve returned (%v) with a hook still running", err)
	case <-time.After(100 * time.Millisecond):
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Error("the listener still accepts after cancel")
	}
	close(release)
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after the session finished")
	}
	if err := <-hookErr; err != nil {
		t.Errorf("the hook's context ended with the server's: %v", err)
	}
}

func TestServer_Concurrent(t *testing.T) {
	h := newHooks()
	ts := MustStartServer(t, h, nil)
	const n = 50
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			session(t, ts.Addr, asteriskHeader(t, "outbound-answered", fmt.Sprintf("600100%03d", i), "PJSIP/101"))
		})
	}
	wg.Wait()
	ts.Stop(t)
	seen := map[string]bool{}
	for range n {
		seen[waitCall(t, h).Number] = true
	}
	if len(seen) != n {
		t.Errorf("%d distinct numbers, want %d", len(seen), n)
	}
}

func TestServer_ListenAndServe(t *testing.T) {
	s := agi.NewServer(newHooks(), nil)
	if err := s.ListenAndServe(context.Background(), "127.0.0.1:notaport"); err == nil {
		t.Error("ListenAndServe on a bad address: no error")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := s.ListenAndServe(ctx, "127.0.0.1:0"); err != nil {
		t.Errorf("ListenAndServe until cancel: %v", err)
	}
}

// A listener closed by someone else is an error, not a clean stop.
func TestServer_ListenerClosed(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- agi.NewServer(newHooks(), nil).Serve(context.Background(), ln) }()
	time.Sleep(20 * time.Millisecond)
	ln.Close()
	select {
	case err := <-done:
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("Serve = %v, want net.ErrClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after its listener closed")
	}
}
