package pbxsim

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/callcare/callcare/clock"
	"github.com/callcare/callcare/internal/arispec"
	"github.com/callcare/callcare/internal/aritrace"
)

// traceScenario says what the people in a recorded trace did: how the desk
// phones behaved and when the citizen called. The client's REST requests
// come from the trace itself, replayed at the recorded times.
type traceScenario struct {
	phones  map[string]Phone
	callers []timedCaller
	apps    string // the WebSocket's app list; default "lab"
	// ringOrderFree: Asterisk sends a created channel's Ringing state
	// change before, between or after its Dial events within the same
	// millisecond (hold-watch, hold-pjsip-passive), and a Local channel's
	// with the application's ring, before or after other events
	// (blind-transfer): the comparison leaves out the state changes and
	// the states the events report.
	ringOrderFree bool
}

// withoutRingOrder drops what ringOrderFree leaves out.
func withoutRingOrder(sum map[string][]aritrace.Step) {
	for k, steps := range sum {
		out := steps[:0]
		for _, st := range steps {
			if st.Type == "ChannelStateChange" {
				continue
			}
			st.State = ""
			out = append(out, st)
		}
		sum[k] = out
	}
}

type timedCaller struct {
	atMs int64
	c    Caller
}

func ms(n int64) time.Duration { return time.Duration(n) * time.Millisecond }

// citizen is the caller of most traces: 48600100200 dialing 100.
func citizen(atMs int64, c Caller) timedCaller {
	c.Number, c.Exten = "48600100200", "100"
	if c.Endpoint == "" {
		c.Endpoint = "SIP/127.0.0.1"
	}
	if c.App == "" {
		c.App = "lab"
	}
	return timedCaller{atMs, c}
}

func answersAfter(ringMs, answerMs int64, script ...Action) Phone {
	return Phone{Mode: Answers, RingAfter: ms(ringMs), AnswerAfter: ms(answerMs), Script: script}
}

var never = Phone{Mode: NeverAnswers}

// Each scenario's times are read off its trace (see the summaries in the
// README): a phone's answer is the Dial ANSWER time minus RINGING, a
// hangup is measured from the answer (phones) or from StasisStart (callers).
var traceScenarios = map[string]traceScenario{
	"answer": {
		phones:  map[string]Phone{"SIP/101": answersAfter(0, 3008)},
		callers: []timedCaller{citizen(1107, Caller{HangupAfter: ms(7019)})},
	},
	"noanswer-overflow": {
		phones:  map[string]Phone{"SIP/101": never, "SIP/102": answersAfter(0, 2003)},
		callers: []timedCaller{citizen(1104, Caller{HangupAfter: ms(20024)})},
	},
	"busy-overflow": {
		phones:  map[string]Phone{"SIP/101": {Mode: Busy}, "SIP/102": answersAfter(0, 2006)},
		callers: []timedCaller{citizen(1107, Caller{HangupAfter: ms(5021)})},
	},
	"abandon": {
		phones:  map[string]Phone{"SIP/101": never},
		callers: []timedCaller{citizen(1107, Caller{HangupAfter: ms(6004)})},
	},
	"hold": {
		phones: map[string]Phone{"SIP/101": answersAfter(0, 2005,
			Action{At: ms(2004), Do: Hold}, Action{At: ms(6008), Do: Unhold})},
		callers: []timedCaller{citizen(1106, Caller{HangupAfter: ms(12017)})},
	},
	"ivr-dtmf": {
		callers: []timedCaller{citizen(1114, Caller{Script: []Action{{At: ms(866), Do: PressKeys, Digits: "1"}}})},
	},
	"callback": {
		phones: map[string]Phone{"SIP/101": answersAfter(500, 2007), "SIP/103": answersAfter(0, 3006)},
	},
	"reconnect": {
		phones:  map[string]Phone{"SIP/101": answersAfter(0, 1005)},
		callers: []timedCaller{citizen(1110, Caller{HangupAfter: ms(9012)})},
	},
	"clerk-hangup-first": {
		phones:  map[string]Phone{"SIP/101": answersAfter(0, 2006, Action{At: ms(3008), Do: Hangup})},
		callers: []timedCaller{citizen(1117, Caller{})},
	},
	"originate-noanswer": {
		phones: map[string]Phone{"SIP/101": {Mode: NeverAnswers, RingAfter: ms(504)}},
	},
	"bridge-dtmf-native": {
		phones:  map[string]Phone{"SIP/101": answersAfter(2, 2012, Action{At: ms(1860), Do: PressKeys, Digits: "##102#"})},
		callers: []timedCaller{citizen(620, Caller{})},
	},
	"bridge-dtmf-events": {
		phones:  map[string]Phone{"SIP/101": answersAfter(2, 2012, Action{At: ms(1860), Do: PressKeys, Digits: "##102#"})},
		callers: []timedCaller{citizen(620, Caller{})},
	},
	"originate-subscribed": {
		phones: map[string]Phone{"SIP/101": {Mode: NeverAnswers, RingAfter: ms(11)}},
	},
	"originate-busy": {
		phones: map[string]Phone{"SIP/101": {Mode: Busy}},
	},
	"playback-interrupt": {
		callers: []timedCaller{citizen(1107, Caller{Script: []Action{{At: ms(869), Do: PressKeys, Digits: "1"}}})},
	},
	"playback-caller-hangup": {
		callers: []timedCaller{citizen(1115, Caller{HangupAfter: ms(3013)})},
	},
	"hold-announce": {
		phones: map[string]Phone{"SIP/101": answersAfter(0, 2005,
			Action{At: ms(2005), Do: Hold}, Action{At: ms(10016), Do: Unhold})},
		callers: []timedCaller{citizen(1118, Caller{HangupAfter: ms(18026)})},
	},
	"dial-timeout": {
		phones:  map[string]Phone{"SIP/101": never},
		callers: []timedCaller{citizen(1116, Caller{})},
	},
	"errors": {
		phones:  map[string]Phone{"SIP/101": never, "SIP/102": never},
		callers: []timedCaller{citizen(1111, Caller{})},
	},
	"continue-fallback": {
		callers: []timedCaller{citizen(1110, Caller{})},
	},
	// Recorded on the lab's Asterisk 20.20.1 with callcare's rendered
	// dialplan (chan_sip): CALLCARE_OVERLOADED at 100 sends the first call
	// to the fallback before Stasis(), counted in CALLCARE_OVERLOADED_CALLS;
	// at 0 the second enters the application.
	"overload-share": {
		apps: "callcare",
		callers: []timedCaller{
			{520, Caller{Number: "48600100200", Exten: "2373", App: "callcare", Ringing: true, Endpoint: "SIP/citizens", Overloaded: "CALLCARE_OVERLOADED"}},
			{3600, Caller{Number: "48600100200", Exten: "2373", App: "callcare", Ringing: true, Endpoint: "SIP/citizens", Overloaded: "CALLCARE_OVERLOADED"}},
		},
	},
	"redirect": {
		callers: []timedCaller{citizen(1117, Caller{})},
	},
	"two-apps-args": {
		apps: "lab,lab2",
		callers: []timedCaller{{1136, Caller{Number: "48600100200", Exten: "400", App: "lab2", Endpoint: "SIP/127.0.0.1",
			Args: []string{"inbound", "400", "one,two", "quoted,value", "", "a,b", "x", "y", "last"},
			Then: []string{"lab", "second", "SUCCESS"}}}},
	},
	"asterisk-restart": {
		phones:  map[string]Phone{"SIP/101": answersAfter(0, 2007)},
		callers: []timedCaller{citizen(1121, Caller{})},
	},
	"record-voice-note": {
		callers: []timedCaller{citizen(1120, Caller{HangupAfter: ms(11022),
			Script: []Action{{At: ms(3373), Do: PressKeys, Digits: "#"}}})},
	},
	"transfer-whisper": {
		phones:  map[string]Phone{"SIP/101": answersAfter(0, 2007), "SIP/102": answersAfter(0, 2005)},
		callers: []timedCaller{citizen(1115, Caller{})},
	},
	"transfer-whisper-noanswer": {
		phones:  map[string]Phone{"SIP/101": answersAfter(0, 2008), "SIP/102": never},
		callers: []timedCaller{citizen(1101, Caller{})},
	},
	"hold-watch": {
		ringOrderFree: true,
		phones: map[string]Phone{"SIP/101": answersAfter(0, 2006,
			Action{At: ms(2004), Do: Hold}, Action{At: ms(6007), Do: Unhold})},
		callers: []timedCaller{citizen(1109, Caller{})},
	},
	"hold-pjsip": {
		phones: map[string]Phone{"PJSIP/201": answersAfter(0, 2006,
			Action{At: ms(2003), Do: Hold}, Action{At: ms(6008), Do: Unhold})},
		callers: []timedCaller{citizen(1108, Caller{Endpoint: "PJSIP/anonymous"})},
	},
	"hold-pjsip-passive": {
		ringOrderFree: true,
		phones: map[string]Phone{"PJSIP/201": answersAfter(0, 2006,
			Action{At: ms(2004), Do: Hold}, Action{At: ms(6007), Do: Unhold})},
		callers: []timedCaller{citizen(1106, Caller{Endpoint: "PJSIP/anonymous"})},
	},
	"hold-moh-class": {
		phones: map[string]Phone{"SIP/101": answersAfter(2, 2006,
			Action{At: ms(2004), Do: Hold}, Action{At: ms(10011), Do: Unhold},
			Action{At: ms(12020), Do: Hold}, Action{At: ms(13527), Do: Unhold},
			Action{At: ms(17035), Do: Hold}, Action{At: ms(21043), Do: Unhold})},
		callers: []timedCaller{citizen(2757, Caller{})},
	},
	"hold-moh-class-pjsip": {
		phones: map[string]Phone{"PJSIP/201": answersAfter(1, 2008,
			Action{At: ms(2009), Do: Hold}, Action{At: ms(10017), Do: Unhold},
			Action{At: ms(12025), Do: Hold}, Action{At: ms(13533), Do: Unhold},
			Action{At: ms(17043), Do: Hold}, Action{At: ms(21049), Do: Unhold})},
		callers: []timedCaller{citizen(2962, Caller{Endpoint: "PJSIP/anonymous"})},
	},
	"ring-early-media": {
		phones:  map[string]Phone{"SIP/101": answersAfter(1, 2007)},
		callers: []timedCaller{citizen(1984, Caller{})},
	},
	"playback-holds-commands": {
		callers: []timedCaller{citizen(124, Caller{})},
	},
	"blind-transfer": {
		ringOrderFree: true, // ;1's Ringing comes with the application's ring, before or after the swap
		phones: map[string]Phone{
			"SIP/101": answersAfter(0, 2005, Action{At: ms(2003), Do: Transfer, Digits: "102"}, Action{At: ms(10012), Do: Hangup}),
			"SIP/102": answersAfter(1, 2004),
		},
		callers: []timedCaller{citizen(1107, Caller{})},
	},
	"blind-transfer-pjsip": {
		ringOrderFree: true,
		phones: map[string]Phone{
			"PJSIP/201": answersAfter(0, 2005, Action{At: ms(2003), Do: Transfer, Digits: "202"}, Action{At: ms(10012), Do: Hangup}),
			"PJSIP/202": answersAfter(0, 2004),
		},
		callers: []timedCaller{citizen(1110, Caller{Endpoint: "PJSIP/anonymous"})},
	},
	"continue-behind-tone": {
		callers: []timedCaller{citizen(140, Caller{})},
	},
	"ws-drop-answer": {
		phones: map[string]Phone{"SIP/101": answersAfter(0, 4000)},
	},
	"line-moh": {
		callers: []timedCaller{citizen(1636, Caller{})},
	},
	"bridge-play-moh": {
		phones:  map[string]Phone{"SIP/101": answersAfter(0, 2008, Action{At: ms(3008), Do: Hangup})},
		callers: []timedCaller{citizen(1116, Caller{})},
	},
}

// traceLine is one line of a recorded trace, with the fields the replay
// needs.
type traceLine struct {
	Kind     string          `json:"kind"`
	TMs      int64           `json:"t_ms"`
	Event    json.RawMessage `json:"event"`
	Method   string          `json:"method"`
	Path     string          `json:"path"`
	Query    string          `json:"query"`
	Status   int             `json:"status"`
	Response json.RawMessage `json:"response"`
	Auth     string          `json:"auth"`
	Note     string          `json:"note"`
}

func loadTrace(tb testing.TB, path string) []traceLine {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []traceLine
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		var l traceLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			tb.Fatalf("%s: %v", path, err)
		}
		out = append(out, l)
	}
	return out
}

var (
	chanIDRe = regexp.MustCompile(`\b\d{10}\.\d+\b`)
	uuidRe   = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
)

// eventChannelID is the id an event is about (channel, else Dial's peer).
func eventChannelID(raw []byte) (typ, id string) {
	var e struct {
		Type    string
		Channel *struct{ ID string }
		Peer    *struct{ ID string }
	}
	_ = json.Unmarshal(raw, &e)
	switch {
	case e.Channel != nil:
		return e.Type, e.Channel.ID
	case e.Peer != nil:
		return e.Type, e.Peer.ID
	}
	return e.Type, ""
}

// replay drives a simulator through one trace and returns the events it
// sent and the trace's own events (leftovers of earlier runs removed).
type replay struct {
	tb        testing.TB
	s         *Server
	clk       *clock.Fake
	log       *eventLog
	apps      string
	start     time.Time
	traceIDs  []string // trace channel ids in creation order
	simIDs    []string // sim channel ids in creation order
	uuids     map[string]string
	handshake []*http.Response
	mismatch  []string
	spec      *arispec.Spec
}

func (r *replay) at(t int64) time.Time { return r.start.Add(ms(t)) }

// mapIDs rewrites trace ids (channels, bridges, playbacks) into the
// simulator's.
func (r *replay) mapIDs(s string) string {
	s = chanIDRe.ReplaceAllStringFunc(s, func(id string) string {
		for i, t := range r.traceIDs {
			if t == id && i < len(r.simIDs) {
				return r.simIDs[i]
			}
		}
		return id
	})
	return uuidRe.ReplaceAllStringFunc(s, func(id string) string {
		if m, ok := r.uuids[id]; ok {
			return m
		}
		return id
	})
}

func (r *replay) do(l traceLine) {
	path := r.mapIDs(l.Path)
	query := l.Query
	if vals, err := url.ParseQuery(l.Query); err == nil {
		for k, vs := range vals {
			for i := range vs {
				vs[i] = r.mapIDs(vs[i])
			}
			vals[k] = vs
		}
		query = vals.Encode()
	}
	u := r.s.URL() + path
	if query != "" {
		u += "?" + query
	}
	var resp *http.Response
	var err error
	for i := 0; i < 200; i++ {
		req, _ := http.NewRequest(l.Method, u, nil)
		user, pass := r.s.opts.User, r.s.opts.Password
		if l.Auth != "" {
			user, pass, _ = strings.Cut(l.Auth, ":")
		}
		req.SetBasicAuth(user, pass)
		resp, err = http.DefaultClient.Do(req)
		if err == nil || !errors.Is(err, syscall.ECONNREFUSED) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		r.tb.Fatalf("%s %s: %v", l.Method, path, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != l.Status {
		r.mismatch = append(r.mismatch, fmt.Sprintf("t=%d %s %s?%s: status %d, trace %d (%s)", l.TMs, l.Method, l.Path, l.Query, resp.StatusCode, l.Status, body))
		return
	}
	if l.Status/100 == 2 && len(body) > 0 {
		if op, _, err := r.spec.Operation(l.Method, path); err != nil {
			r.tb.Errorf("%s %s: %v", l.Method, path, err)
		} else if op.ResponseClass != "void" {
			if err := r.spec.CheckModel(op.ResponseClass, body); err != nil {
				r.tb.Errorf("%s %s: answer does not match the spec: %v", l.Method, path, err)
			}
		}
	}
	if l.Method == http.MethodGet && strings.HasPrefix(path, "/applications/") && l.Status == http.StatusOK {
		r.sameChannelIDs(l, body)
	}
	if l.Method == http.MethodGet && path == "/asterisk/variable" && !bytes.Equal(bytes.TrimSpace(body), bytes.TrimSpace(l.Response)) {
		r.mismatch = append(r.mismatch, fmt.Sprintf("t=%d %s %s?%s: body %s, trace %s", l.TMs, l.Method, l.Path, l.Query, body, l.Response))
	}
	if l.Status >= 400 {
		var want, got map[string]any
		_ = json.Unmarshal(l.Response, &want)
		_ = json.Unmarshal(body, &got)
		if fmt.Sprint(want) != fmt.Sprint(got) {
			r.mismatch = append(r.mismatch, fmt.Sprintf("t=%d %s %s: body %s, trace %s", l.TMs, l.Method, l.Path, body, l.Response))
		}
		return
	}
	// Learn bridge and playback ids from the answer.
	var obj struct{ ID string }
	if json.Unmarshal(body, &obj) == nil && obj.ID != "" {
		var want struct{ ID string }
		_ = json.Unmarshal(l.Response, &want)
		if uuidRe.MatchString(want.ID) {
			r.uuids[want.ID] = obj.ID
		}
	}
}

// sameChannelIDs compares the channels an application lists with the
// trace's: which channels Asterisk counts as the application's (an
// originated one while it rings, outside Stasis) is what a client's
// reconciliation reads.
func (r *replay) sameChannelIDs(l traceLine, body []byte) {
	var want, got struct {
		ChannelIDs []string `json:"channel_ids"`
	}
	_ = json.Unmarshal(l.Response, &want)
	_ = json.Unmarshal(body, &got)
	for i, id := range want.ChannelIDs {
		want.ChannelIDs[i] = r.mapIDs(id)
	}
	slices.Sort(want.ChannelIDs)
	slices.Sort(got.ChannelIDs)
	if !slices.Equal(want.ChannelIDs, got.ChannelIDs) {
		r.mismatch = append(r.mismatch, fmt.Sprintf("t=%d GET %s: channels %v, trace %v", l.TMs, l.Path, got.ChannelIDs, want.ChannelIDs))
	}
}

// wsHandshake tries a WebSocket handshake with the trace's query.
func (r *replay) wsHandshake(l traceLine, query string) {
	u := "http://" + r.s.Addr() + "/ari/events?" + query
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Sec-WebSocket-Version", "13")
	req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
	req.Header.Set("Origin", "http://localhost/")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.tb.Fatalf("handshake %s: %v", query, err)
	}
	if resp.StatusCode != l.Status {
		r.mismatch = append(r.mismatch, fmt.Sprintf("t=%d handshake %s: status %d, trace %d", l.TMs, query, resp.StatusCode, l.Status))
	}
	if resp.StatusCode == http.StatusSwitchingProtocols {
		r.handshake = append(r.handshake, resp)
		// Wait until the session holds its apps.
		time.Sleep(20 * time.Millisecond)
		return
	}
	resp.Body.Close()
}

func runTrace(t *testing.T, name string, sc traceScenario) {
	lines := loadTrace(t, filepath.Join("testdata", "traces", name+".ari.jsonl"))
	clk := newFakeClock()
	s := NewServer(Options{User: "lab", Password: "lab-secret", Clock: clk})
	r := &replay{tb: t, s: s, clk: clk, log: &eventLog{}, apps: sc.apps, start: clk.Now(), uuids: map[string]string{}, spec: mustSpec(t)}
	if r.apps == "" {
		r.apps = "lab"
	}
	s.onNewChannel = func(id string) {
		if chanIDRe.MatchString(id) { // ids the client chose are the trace's own
			r.simIDs = append(r.simIDs, id)
		}
	}
	for name, p := range sc.phones {
		s.SetPhone(name, p)
	}
	defer func() {
		r.log.close()
		for _, h := range r.handshake {
			h.Body.Close()
		}
		_ = s.Close()
	}()

	// Trace channels in creation order (the id's counter), leftovers of an
	// earlier run (first seen in a ChannelDestroyed) left out.
	seen := map[string]bool{}
	leftover := map[string]bool{}
	var traceEvents [][]byte
	for _, l := range lines {
		if l.Kind == "event" {
			typ, id := eventChannelID(l.Event)
			if !chanIDRe.MatchString(id) {
				id = "" // an id the client chose: passed through as it is
			}
			if id != "" && !seen[id] {
				seen[id] = true
				if typ == "ChannelDestroyed" {
					leftover[id] = true
				}
			}
			if id != "" && leftover[id] {
				continue
			}
			traceEvents = append(traceEvents, l.Event)
		}
		if l.Kind == "rest" {
			for _, id := range chanIDRe.FindAllString(string(l.Response), -1) {
				seen[id] = true
			}
		}
	}
	for id := range seen {
		if !leftover[id] {
			r.traceIDs = append(r.traceIDs, id)
		}
	}
	sort.Slice(r.traceIDs, func(i, j int) bool {
		a, b := r.traceIDs[i], r.traceIDs[j]
		_, sa, _ := strings.Cut(a, ".")
		_, sb, _ := strings.Cut(b, ".")
		if len(sa) != len(sb) {
			return len(sa) < len(sb)
		}
		return sa < sb
	})

	// The timeline: trace lines, with the callers placed at their times.
	type step struct {
		t    int64
		line *traceLine
		call *Caller
	}
	var steps []step
	for i := range lines {
		steps = append(steps, step{t: lines[i].TMs, line: &lines[i]})
	}
	for i := range sc.callers {
		steps = append(steps, step{t: sc.callers[i].atMs, call: &sc.callers[i].c})
	}
	sort.SliceStable(steps, func(i, j int) bool {
		if steps[i].t != steps[j].t {
			return steps[i].t < steps[j].t
		}
		return steps[i].call != nil && steps[j].call == nil
	})

	connected := false
	var openHandshakes []struct {
		closeAt int64
		resp    *http.Response
	}
	for _, st := range steps {
		clk.AdvanceTo(r.at(st.t))
		for len(openHandshakes) > 0 && openHandshakes[0].closeAt <= st.t {
			openHandshakes[0].resp.Body.Close()
			openHandshakes = openHandshakes[1:]
			time.Sleep(20 * time.Millisecond)
		}
		if st.call != nil {
			call, err := s.Call(*st.call)
			if err != nil {
				t.Fatalf("t=%d: %v", st.t, err)
			}
			if call.ShedByDialplan() { // a channel the trace's application never saw
				r.simIDs = slices.DeleteFunc(r.simIDs, func(id string) bool { return id == call.ChannelID() })
			}
			continue
		}
		l := st.line
		switch {
		case l.Kind == "rest":
			r.do(*l)
		case l.Kind == "ws" && strings.HasPrefix(l.Note, "connected"):
			r.log.connect(t, s, r.apps)
			connected = true
		case l.Kind == "note" && strings.HasPrefix(l.Note, "closing websocket"):
			app := strings.Split(r.apps, ",")[0]
			r.log.sync(t, s, app)
			r.log.close()
			waitForCond(t, func() bool { // Asterisk lets the app go at once
				s.mu.Lock()
				defer s.mu.Unlock()
				return s.apps[app] == nil
			})
		case l.Kind == "note" && strings.Contains(l.Note, "core restart now"):
			r.log.sync(t, s, strings.Split(r.apps, ",")[0])
			s.Restart(1800 * time.Millisecond)
		case l.Kind == "ws" && strings.HasPrefix(l.Note, "handshake"):
			q := l.Query
			n := len(r.handshake)
			r.wsHandshake(*l, q)
			if len(r.handshake) > n {
				openHandshakes = append(openHandshakes, struct {
					closeAt int64
					resp    *http.Response
				}{l.TMs + 1500, r.handshake[n]})
			}
		}
	}
	if !connected {
		t.Fatal("trace never connected")
	}
	r.log.sync(t, s, strings.Split(r.apps, ",")[0])

	for _, m := range r.mismatch {
		t.Error(m)
	}
	want := aritrace.Summarize(traceEvents)
	got := aritrace.Summarize(r.log.events())
	if sc.ringOrderFree {
		withoutRingOrder(want)
		withoutRingOrder(got)
	}
	if len(want) == 0 || len(got) == 0 {
		t.Fatalf("nothing to compare: %d channels in the trace, %d from the simulator", len(want), len(got))
	}
	for _, e := range r.log.events() {
		if err := r.spec.CheckEvent(e); err != nil {
			t.Errorf("%v\n%s", err, e)
		}
	}
	if err := aritrace.Compare(want, got); err != nil {
		t.Errorf("events differ from the trace:\n%v", err)
	}
}

// TestTraces replays every recorded ARI trace against the simulator and
// compares, per channel, the events it sends with the real Asterisk's.
func TestTraces(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "traces", "*.ari.jsonl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no traces: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".ari.jsonl")
		sc, ok := traceScenarios[name]
		if !ok {
			t.Errorf("trace %s has no scenario", name)
			continue
		}
		t.Run(name, func(t *testing.T) { runTrace(t, name, sc) })
	}
}
