package agi_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/agi"
)

// callHooks answers Route with route and records Missed calls.
type callHooks struct {
	mu     sync.Mutex
	routed []string
	route  agi.Route
	missed chan agi.Missed
}

func (h *callHooks) Route(_ context.Context, dialed string) (agi.Route, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.routed = append(h.routed, dialed)
	return h.route, nil
}

func (h *callHooks) Missed(_ context.Context, m agi.Missed) error {
	h.missed <- m
	return nil
}

func startCallServer(t *testing.T, route agi.Route) (*testServer, *callHooks) {
	h := &callHooks{route: route, missed: make(chan agi.Missed, 10)}
	ts := MustStartServer(t, newHooks(), func(s *agi.Server) { s.HandleCalls(h) })
	return ts, h
}

// asterisk plays Asterisk's side of a session that gets commands: it
// writes the header, answers each command with reply(command), and returns
// the commands until the server ends the session.
func asterisk(t *testing.T, addr, header string, reply func(cmd string) string) []string {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(conn, header)
	var cmds []string
	r := bufio.NewReader(conn)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return cmds
		}
		cmd := strings.TrimSuffix(line, "\n")
		cmds = append(cmds, cmd)
		fmt.Fprintf(conn, "%s\n", reply(cmd))
	}
}

func ok(string) string { return "200 result=1" }

// TestRoute: AGI(agi://.../route,${EXTEN}) sets the three variables,
// quoted as Asterisk reads them (the trace's SET VARIABLE TARGET "SIP/101"),
// then the session ends.
func TestRoute(t *testing.T) {
	ts, h := startCallServer(t, agi.Route{Dial: "PJSIP/121&PJSIP/122", RingSeconds: 15, Reason: callcare.AbsenceLeave})
	got := asterisk(t, ts.Addr, asteriskHeader(t, "route", "121"), ok)
	want := []string{
		`SET VARIABLE CALLCARE_TARGET "PJSIP/121&PJSIP/122"`,
		`SET VARIABLE CALLCARE_RING_SECONDS "15"`,
		`SET VARIABLE CALLCARE_REASON "leave"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("commands:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(h.routed) != 1 || h.routed[0] != "121" {
		t.Errorf("routed %q", h.routed)
	}
}

// TestRoute_HostileNumber: what a trunk sends as the number dialed is
// caller-controlled: anything but digits reaches nobody, is never passed
// on, never echoed in a command, and never logged whole.
func TestRoute_HostileNumber(t *testing.T) {
	ts, h := startCallServer(t, agi.Route{Dial: "PJSIP/101", RingSeconds: 15})
	for _, dialed := range []string{`100&SIP/x`, `1"00`, `100\`, `100,PJSIP/666`, strings.Repeat("9", 21), "٣٠٠"} {
		got := asterisk(t, ts.Addr, asteriskHeader(t, "route", dialed), ok)
		want := `SET VARIABLE CALLCARE_TARGET ""`
		if len(got) != 3 || got[0] != want {
			t.Errorf("%q: commands %q, want the target empty", dialed, got)
		}
		for _, c := range got {
			if strings.Contains(c, "SIP/x") || strings.Contains(c, "666") || strings.Contains(c, `1"`) {
				t.Errorf("%q reached a command: %q", dialed, c)
			}
		}
	}
	// A newline or 2 KB in an argument break the header: no command at all.
	for _, dialed := range []string{"100\nSET VARIABLE X 1", strings.Repeat("1", 2048)} {
		if got := asterisk(t, ts.Addr, asteriskHeader(t, "route", dialed), ok); len(got) != 0 {
			t.Errorf("commands %q after a broken header", got)
		}
	}
	if len(h.routed) != 0 {
		t.Errorf("the hooks were asked about %q", h.routed)
	}
	if strings.Contains(ts.Log.String(), "SIP/x") || strings.Contains(ts.Log.String(), "SET VARIABLE X") {
		t.Errorf("a hostile number reached the log:\n%s", ts.Log)
	}
}

// TestRoute_HangupMidway: Asterisk's bare HANGUP ends the session; nothing
// more is sent.
func TestRoute_HangupMidway(t *testing.T) {
	ts, _ := startCallServer(t, agi.Route{Dial: "PJSIP/101", RingSeconds: 15})
	got := asterisk(t, ts.Addr, asteriskHeader(t, "route", "101"), func(string) string { return "HANGUP" })
	if len(got) != 1 {
		t.Errorf("commands after HANGUP: %q", got)
	}
	got = asterisk(t, ts.Addr, asteriskHeader(t, "route", "101"), func(string) string { return "511 Command Not Permitted on a dead channel or intercept routine" })
	if len(got) != 1 {
		t.Errorf("commands after 511: %q", got)
	}
}

// TestRoute_ValueQuoting: a value is one argument however it is written;
// one that would end the command is never sent.
func TestRoute_ValueQuoting(t *testing.T) {
	ts, _ := startCallServer(t, agi.Route{Dial: `PJSIP/a"b`, RingSeconds: 15})
	if got := asterisk(t, ts.Addr, asteriskHeader(t, "route", "101"), ok); len(got) != 0 {
		t.Errorf("a Dial string with a quote was sent: %q", got)
	}
	ts2, _ := startCallServer(t, agi.Route{Dial: "PJSIP/101", RingSeconds: 15, Reason: "x\"y\\z"})
	got := asterisk(t, ts2.Addr, asteriskHeader(t, "route", "101"), ok)
	if len(got) != 3 || got[2] != `SET VARIABLE CALLCARE_REASON "x\"y\\z"` {
		t.Errorf("commands %q", got)
	}
	ts3, _ := startCallServer(t, agi.Route{Dial: "PJSIP/101", RingSeconds: 15, Reason: "x\nHANGUP"})
	if got := asterisk(t, ts3.Addr, asteriskHeader(t, "route", "101"), ok); len(got) != 2 {
		t.Errorf("a value with a newline: commands %q, want it never sent", got)
	}
}

// TestMissed: AGI(agi://.../missed,${CALLCARE_DIALED},${DIALSTATUS}) from
// the h extension: the session ends at once without a command, then the
// call is recorded, with the caller id Asterisk put in the header.
func TestMissed(t *testing.T) {
	ts, h := startCallServer(t, agi.Route{})
	if got := session(t, ts.Addr, asteriskHeader(t, "missed", "111", "NOANSWER")); got != "" {
		t.Errorf("the server wrote %q", got)
	}
	select {
	case m := <-h.missed:
		if m.Dialed != "111" || m.Status != "NOANSWER" || m.CallerID != "48600100200" || m.UniqueID != "1795478396.23" {
			t.Errorf("missed %+v", m)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("the missed call was not recorded")
	}
	for _, args := range [][]string{{"111", "ANSWER"}, {"111", "NOANSWER&x"}, {"111&SIP/x", "BUSY"}, {"111"}} {
		session(t, ts.Addr, asteriskHeader(t, "missed", args...))
	}
	ts.Stop(t)
	select {
	case m := <-h.missed:
		t.Errorf("recorded %+v", m)
	default:
	}
}
