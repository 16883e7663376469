package pbxsim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/websocket"

	"github.com/callcare/callcare/clock"
)

// rest calls the simulator's ARI through its Handler, no socket.
func rest(t testing.TB, s *Server, method, path, body string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, "/ari"+path, strings.NewReader(body))
	req.SetBasicAuth(s.opts.User, s.opts.Password)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	var out map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	return rec.Code, out
}

func TestServer_URLs(t *testing.T) {
	s := NewServer(Options{})
	defer s.Close()
	if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") || !strings.HasSuffix(s.URL(), "/ari") {
		t.Errorf("URL %q", s.URL())
	}
	if !strings.HasPrefix(s.WebsocketURL(), "ws://127.0.0.1:") || !strings.HasSuffix(s.WebsocketURL(), "/ari/events") {
		t.Errorf("WebsocketURL %q", s.WebsocketURL())
	}
	resp, err := http.Get(s.URL() + "/asterisk/info?api_key=callcare:callcare")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("info with api_key: %v %v", resp, err)
	}
	resp.Body.Close()
	resp, _ = http.Get(s.URL() + "/asterisk/info")
	if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("no credentials: %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
	resp.Body.Close()
}

func TestServer_Call_NoApp(t *testing.T) {
	s := NewServer(Options{})
	defer s.Close()
	if _, err := s.Call(Caller{Number: "1", Exten: "100", App: "callcare"}); err == nil {
		t.Fatal("Call without a client holding the app succeeded; Stasis() fails then")
	}
}

func TestServer_CallerHeardAndFilter(t *testing.T) {
	clk := newFakeClock()
	s := NewServer(Options{Clock: clk})
	defer s.Close()
	log := &eventLog{}
	defer log.close()
	log.connect(t, s, "callcare")

	code, _ := rest(t, s, "PUT", "/applications/callcare/eventFilter", `{"disallowed":[{"type":"ChannelVarset"}]}`)
	if code != 200 {
		t.Fatalf("eventFilter: %d", code)
	}
	call, err := s.Call(Caller{Number: "anonymous", Exten: "100", App: "callcare"})
	if err != nil {
		t.Fatal(err)
	}
	id := call.ChannelID()
	rest(t, s, "POST", "/channels/"+id+"/answer", "")
	if code, _ := rest(t, s, "POST", "/channels/"+id+"/play", `{"media":"sound:beep"}`); code != 201 {
		t.Fatalf("play: %d", code)
	}
	rest(t, s, "POST", "/channels/"+id+"/moh", "")
	clk.Advance(time.Second)
	rest(t, s, "POST", "/channels/"+id+"/variable", `{"variable":"X","value":"1"}`)
	call.Hangup()
	<-call.Done()
	log.sync(t, s, "callcare")
	if got, want := call.Heard(), []string{"sound:beep", "moh:default"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Heard %v, want %v", got, want)
	}
	types := eventTypes(log.events())
	for _, typ := range types {
		if typ == "ChannelVarset" {
			t.Fatalf("filtered ChannelVarset was sent: %v", types)
		}
	}
	want := "StasisStart ChannelStateChange PlaybackStarted PlaybackFinished ChannelHangupRequest StasisEnd"
	if strings.Join(types, " ") != want {
		t.Errorf("events %v, want %s", types, want)
	}
	if st := s.Stats(); st.EventsFiltered == 0 || st.RequestsByPath["POST /channels/{channelId}/play"] != 1 {
		t.Errorf("stats %+v", st)
	}
}

// TestServer_MusicAfterAnnouncement: an announcement over music on hold
// turns the music off; a bridge turns it back on after the announcement,
// nothing else does: a caller in no bridge is left in silence until the
// app starts the music again (trace line-moh).
func TestServer_MusicAfterAnnouncement(t *testing.T) {
	for _, bridged := range []bool{false, true} {
		t.Run(fmt.Sprintf("bridged=%v", bridged), func(t *testing.T) {
			s, clk, _, call := citizenInApp(t)
			id := call.ChannelID()
			rest(t, s, "POST", "/channels/"+id+"/answer", "")
			if bridged {
				rest(t, s, "POST", "/bridges/b1", `{"type":"mixing"}`)
				if code, _ := rest(t, s, "POST", "/bridges/b1/addChannel", `{"channel":"`+id+`"}`); code != 204 {
					t.Fatalf("addChannel: %d", code)
				}
			}
			rest(t, s, "POST", "/channels/"+id+"/moh", `{"mohClass":"sekretariat"}`)
			clk.Advance(3 * time.Second)
			rest(t, s, "POST", "/channels/"+id+"/play/p1", `{"media":"sound:beep"}`)
			clk.Advance(10 * time.Second) // the beep, then 10 s of what follows
			want := []string{"moh:sekretariat", "sound:beep"}
			silence := 10 * time.Second
			if bridged {
				want, silence = append(want, "moh:sekretariat"), 0
			}
			if got := call.Heard(); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("heard %v, want %v", got, want)
			}
			if got := call.LongestSilence(); got < silence-time.Second || got > silence {
				t.Errorf("longest silence %v, want about %v", got, silence)
			}
			call.Hangup()
			<-call.Done()
		})
	}
}

// TestServer_ContinueWaitsForThePlayback: Asterisk answers a continue at
// once and carries it out once the channel's playback ends (control.c
// queues it behind the playback): behind a tone that plays until it is
// stopped, only once it is stopped.
func TestServer_ContinueWaitsForThePlayback(t *testing.T) {
	s, clk, log, call := citizenInApp(t)
	id := call.ChannelID()
	rest(t, s, "POST", "/channels/"+id+"/play/tone", `{"media":"tone:ring;tonezone=pl"}`)
	if code, _ := rest(t, s, "POST", "/channels/"+id+"/continue", `{"context":"callcare-fallback","extension":"100"}`); code != 204 {
		t.Fatalf("continue: %d", code)
	}
	clk.Advance(time.Minute)
	if ch := s.Channels(); len(ch) != 1 || !ch[0].InStasis {
		t.Fatalf("the channel left the application behind a playing tone: %+v", ch)
	}
	rest(t, s, "DELETE", "/playbacks/tone", "")
	log.sync(t, s, "callcare")
	if types := eventTypes(log.events()); !slices.Contains(types, "StasisEnd") {
		t.Errorf("events %v: want the channel out of the application once the tone stopped", types)
	}
	call.Hangup()
}

func TestServer_DropWebSocket(t *testing.T) {
	s := NewServer(Options{})
	defer s.Close()
	log := &eventLog{}
	log.connect(t, s, "callcare")
	call, err := s.Call(Caller{Number: "1", Exten: "100", App: "callcare"})
	if err != nil {
		t.Fatal(err)
	}
	s.DropWebSocket()
	log.wg.Wait() // the reader saw the cut
	waitForCond(t, func() bool { code, _ := rest(t, s, "GET", "/applications/callcare", ""); return code == 404 })
	if ch := s.Channels(); len(ch) != 1 || !ch[0].InStasis {
		t.Fatalf("channel after the drop: %+v", ch)
	}
	log.close()
	log2 := &eventLog{}
	defer log2.close()
	log2.connect(t, s, "callcare")
	code, app := rest(t, s, "GET", "/applications/callcare", "")
	if code != 200 || fmt.Sprint(app["channel_ids"]) != "["+call.ChannelID()+"]" {
		t.Fatalf("app after reconnect: %d %v", code, app)
	}
	rest(t, s, "DELETE", "/channels/"+call.ChannelID(), "")
	if err := s.Close(); err != nil {
		t.Error(err)
	}
}

func waitForCond(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestServer_FailRequestsAndInject(t *testing.T) {
	s := NewServer(Options{AutoPhones: true})
	defer s.Close()
	log := &eventLog{}
	defer log.close()
	log.connect(t, s, "callcare")
	s.FailRequests("POST", "/channels/create", 503, 1)
	if code, _ := rest(t, s, "POST", "/channels/create", `{"endpoint":"PJSIP/101","app":"callcare"}`); code != 503 {
		t.Errorf("first create: %d, want 503", code)
	}
	code, ch := rest(t, s, "POST", "/channels/create", `{"endpoint":"PJSIP/101","app":"callcare"}`)
	if code != 200 {
		t.Fatalf("second create: %d", code)
	}
	// "$": that path alone, not what lies under it.
	s.FailRequests("POST", "/channels$", 503, 1)
	if code, _ := rest(t, s, "POST", "/channels/"+ch["id"].(string)+"/ring", ""); code != 412 && code != 204 {
		t.Errorf("a ring under /channels: %d, want it served", code)
	}
	if code, _ := rest(t, s, "POST", "/channels?endpoint=PJSIP/102&app=callcare", ""); code != 503 {
		t.Errorf("an originate: %d, want 503", code)
	}
	s.InjectEvent("callcare", []byte(`{"type":"ApplicationRegistered","application":"callcare","timestamp":"2026-11-23T23:56:11.954+0000"}`))
	log.sync(t, s, "callcare")
	types := eventTypes(log.events())
	if types[len(types)-1] != "ApplicationRegistered" {
		t.Errorf("events %v", types)
	}
	rest(t, s, "DELETE", "/channels/"+ch["id"].(string), "")
}

func TestServer_Restart(t *testing.T) {
	s := NewServer(Options{AutoPhones: true})
	defer s.Close()
	log := &eventLog{}
	log.connect(t, s, "callcare")
	if _, err := s.Call(Caller{Number: "1", Exten: "100", App: "callcare"}); err != nil {
		t.Fatal(err)
	}
	s.Restart(50 * time.Millisecond)
	log.wg.Wait()
	types := eventTypes(log.events())
	if want := "StasisStart ChannelHangupRequest StasisEnd"; strings.Join(types, " ") != want {
		t.Errorf("events %v, want %s", types, want)
	}
	if _, err := net.Dial("tcp", s.Addr()); err == nil {
		t.Error("REST answers during the restart")
	}
	waitForCond(t, func() bool {
		resp, err := http.Get(s.URL() + "/channels?api_key=callcare:callcare")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode == 200 && string(b) == "[]"
	})
	log.close()
}

// TestServer_ConcurrentHangups: many DELETEs of one channel at once: one
// wins, the others get 404.
func TestServer_ConcurrentHangups(t *testing.T) {
	s := NewServer(Options{AutoPhones: true})
	defer s.Close()
	log := &eventLog{}
	defer log.close()
	log.connect(t, s, "callcare")
	_, ch := rest(t, s, "POST", "/channels/create", `{"endpoint":"PJSIP/101","app":"callcare"}`)
	id := ch["id"].(string)
	var wg sync.WaitGroup
	codes := make(chan int, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("DELETE", s.URL()+"/channels/"+id, nil)
			req.SetBasicAuth("callcare", "callcare")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		}()
	}
	wg.Wait()
	close(codes)
	n204 := 0
	for c := range codes {
		switch c {
		case 204:
			n204++
		case 404:
		default:
			t.Errorf("status %d", c)
		}
	}
	if n204 != 1 {
		t.Errorf("%d hangups succeeded, want 1", n204)
	}
}

func TestServer_BadRequests(t *testing.T) {
	s := NewServer(Options{AutoPhones: true})
	defer s.Close()
	cases := []struct {
		method, path, body string
		code               int
	}{
		{"POST", "/channels/create", `{"endpoint":`, 400},
		{"POST", "/channels/create", `[1,2,3]`, 400},
		{"GET", "/channels/nope", "", 404},
		{"POST", "/channels/nope/dial", "", 404},
		{"POST", "/bridges/nope/addChannel", `{"channel":"x"}`, 404},
		{"GET", "/no-such-resource", "", 404},
		{"PATCH", "/channels", "", 404},
		{"POST", "/channels/create", `{"endpoint":"FOO/1","app":"a"}`, 500},
		{"DELETE", "/playbacks/x", "", 404},
		{"GET", "/sounds/nope", "", 404},
		{"POST", "/channels", `{"endpoint":"PJSIP/1","app":"a","timeout":"soon"}`, 400},
	}
	for _, tc := range cases {
		if code, _ := rest(t, s, tc.method, tc.path, tc.body); code != tc.code {
			t.Errorf("%s %s %s: %d, want %d", tc.method, tc.path, tc.body, code, tc.code)
		}
	}
	// A client that goes away in the middle of its request.
	conn, err := net.Dial("tcp", s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "POST /ari/channels/create HTTP/1.1\r\nHost: x\r\nAuthorization: Basic Y2FsbGNhcmU6Y2FsbGNhcmU=\r\nContent-Length: 1000\r\n\r\n{\"endpoint\":")
	conn.Close()
	if code, _ := rest(t, s, "GET", "/channels", ""); code != 200 {
		t.Errorf("after a cut request: %d", code)
	}
}

func TestServer_CloseReportsLeftoversAndLeaksNothing(t *testing.T) {
	before := pbxsimGoroutines()
	s := NewServer(Options{AutoPhones: true})
	log := &eventLog{}
	log.connect(t, s, "callcare")
	if _, err := s.Call(Caller{Number: "1", Exten: "100", App: "callcare", HangupAfter: time.Hour}); err != nil {
		t.Fatal(err)
	}
	rest(t, s, "POST", "/bridges", `{"type":"mixing"}`)
	err := s.Close()
	if err == nil || !strings.Contains(err.Error(), "channel") || !strings.Contains(err.Error(), "bridge") {
		t.Errorf("Close: %v, want the live channel and bridge", err)
	}
	log.close()
	deadline := time.Now().Add(2 * time.Second)
	for pbxsimGoroutines() > before && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := pbxsimGoroutines(); n > before {
		buf := make([]byte, 1<<20)
		t.Errorf("%d pbxsim goroutines left after Close:\n%s", n-before, buf[:runtime.Stack(buf, true)])
	}
}

// pbxsimGoroutines counts goroutines running the simulator's code (not
// the test's own).
func pbxsimGoroutines() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		if bytes.Contains(g, []byte("pbxsim.(*")) && !bytes.Contains(g, []byte("pbxsim.Test")) {
			n++
		}
	}
	return n
}

// TestServer_PlayMediaList: one playback of several media, as Asterisk 20
// plays a comma-separated list: PlaybackContinuing between the items, one
// PlaybackFinished at the end, each event valid by the spec.
func TestServer_PlayMediaList(t *testing.T) {
	clk := newFakeClock()
	s := NewServer(Options{Clock: clk})
	defer s.Close()
	log := &eventLog{}
	defer log.close()
	log.connect(t, s, "callcare")
	rest(t, s, "PUT", "/applications/callcare/eventFilter", `{"allowed":[{"type":"PlaybackStarted"},{"type":"PlaybackContinuing"},{"type":"PlaybackFinished"}]}`)
	call, err := s.Call(Caller{Number: "48600100200", Exten: "100", App: "callcare"})
	if err != nil {
		t.Fatal(err)
	}
	id := call.ChannelID()
	rest(t, s, "POST", "/channels/"+id+"/answer", "")
	if code, body := rest(t, s, "POST", "/channels/"+id+"/play/p1?media=sound:beep,digits:48,number:3", ""); code != 201 || body["next_media_uri"] != "digits:48" {
		t.Fatalf("play: %d %v", code, body)
	}
	for range 4 {
		clk.Advance(time.Second)
	}
	call.Hangup()
	<-call.Done()
	log.sync(t, s, "callcare")
	if got, want := call.Heard(), []string{"sound:beep", "digits:48", "number:3"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Heard %v, want %v", got, want)
	}
	if got := strings.Join(eventTypes(log.events()), " "); got != "PlaybackStarted PlaybackContinuing PlaybackStarted PlaybackContinuing PlaybackStarted PlaybackFinished" {
		t.Errorf("events %s", got)
	}
	sp := mustSpec(t)
	for _, ev := range log.events() {
		if err := sp.CheckEvent(ev); err != nil {
			t.Errorf("%s: %v", ev, err)
		}
	}
}

// TestServer_CreateRaces: a created channel enters Stasis on its own time;
// a dial before that is refused as Asterisk refuses it. With no client for
// the application the channel dies at once, unheard of.
func TestServer_CreateRaces(t *testing.T) {
	clk := newFakeClock()
	s := NewServer(Options{AutoPhones: true, Clock: clk, StasisAfterCreate: 5 * time.Millisecond})
	defer s.Close()
	_, ch := rest(t, s, "POST", "/channels/create", `{"endpoint":"PJSIP/101","app":"callcare","channelId":"lonely"}`)
	if ch["id"] != "lonely" {
		t.Fatalf("create without a client: %v", ch)
	}
	if code, _ := rest(t, s, "POST", "/channels/lonely/dial", ""); code != 404 {
		t.Errorf("dial of a channel no application took: %d, want 404", code)
	}
	log := &eventLog{}
	defer log.close()
	log.connect(t, s, "callcare")
	rest(t, s, "POST", "/channels/create", `{"endpoint":"PJSIP/101","app":"callcare","channelId":"late"}`)
	if code, body := rest(t, s, "POST", "/channels/late/dial", ""); code != 409 || body["message"] != "Channel not in Stasis application" {
		t.Errorf("dial before StasisStart: %d %v", code, body)
	}
	clk.Advance(5 * time.Millisecond)
	if code, _ := rest(t, s, "POST", "/channels/late/dial", ""); code != 204 {
		t.Errorf("dial after StasisStart: %d", code)
	}
	rest(t, s, "DELETE", "/channels/late", "")
}

// TestServer_StopDuringSaidDigits: a real Asterisk does not stop a list
// while it says digits: or number:; the stop only ends that item.
func TestServer_StopDuringSaidDigits(t *testing.T) {
	s, clk, _, call := citizenInApp(t)
	id := call.ChannelID()
	rest(t, s, "POST", "/channels/"+id+"/answer", "")
	rest(t, s, "POST", "/channels/"+id+"/play/p1?media=digits:48,sound:vm-goodbye", "")
	clk.Advance(100 * time.Millisecond)
	if code, _ := rest(t, s, "DELETE", "/playbacks/p1", ""); code != 204 {
		t.Fatalf("stop: %d", code)
	}
	if code, body := rest(t, s, "GET", "/playbacks/p1", ""); code != 200 || body["media_uri"] != "sound:vm-goodbye" {
		t.Errorf("after a stop during digits: %d %v, want the list playing on", code, body)
	}
	rest(t, s, "DELETE", "/playbacks/p1", "")
	if code, _ := rest(t, s, "GET", "/playbacks/p1", ""); code != 404 {
		t.Errorf("a stop during a sound: ends the list; GET %d", code)
	}
	call.Hangup()
	<-call.Done()
}

// newFakeClock is a fake clock at the time the traces were recorded.
// citizenInApp is a citizen's call to 100 in the application of a client
// that logs its events, on a fake clock.
func citizenInApp(t *testing.T) (*Server, *clock.Fake, *eventLog, *Call) {
	t.Helper()
	clk := newFakeClock()
	s := NewServer(Options{Clock: clk})
	t.Cleanup(func() { s.Close() })
	log := &eventLog{}
	t.Cleanup(log.close)
	log.connect(t, s, "callcare")
	call, err := s.Call(Caller{Number: "48600100200", Exten: "100", App: "callcare"})
	if err != nil {
		t.Fatal(err)
	}
	return s, clk, log, call
}

func newFakeClock() *clock.Fake {
	return clock.NewFake(time.Date(2026, 11, 23, 23, 56, 10, 0, time.UTC))
}

// TestServer_Activity: what is under way is reported for a test that moves
// a fake clock: events written to each open socket, none counted as unsent
// while SetEventDelay holds them for the clock; a refused handshake.
func TestServer_Activity(t *testing.T) {
	clk := newFakeClock()
	s := NewServer(Options{Clock: clk})
	defer s.Close()
	s.FailRequests("GET", "/events", 503, 1)
	cfg, _ := websocket.NewConfig(s.WebsocketURL()+"?app=callcare", "http://localhost/")
	cfg.Header.Set("Authorization", basicAuth("callcare", "callcare"))
	if ws, err := websocket.DialConfig(cfg); err == nil {
		ws.Close()
		t.Fatal("a refused handshake succeeded")
	}
	if a := s.Activity(); !a.Idle() || len(a.Sent) != 0 {
		t.Fatalf("before any socket: %+v", a)
	}
	log := &eventLog{}
	defer log.close()
	log.connect(t, s, "callcare")
	s.SetEventDelay(time.Second)
	call, err := s.Call(Caller{Number: "1", Exten: "100", App: "callcare"})
	if err != nil {
		t.Fatal(err)
	}
	waitForCond(t, func() bool { return s.Activity().Idle() }) // the writer holds the event
	if a := s.Activity(); len(a.Sent) != 1 || a.Sockets()[0] == "" || a.Sent[a.Sockets()[0]] != 0 {
		t.Fatalf("while the event is held: %+v", a)
	}
	clk.Advance(time.Second)
	waitForCond(t, func() bool { a := s.Activity(); return a.Idle() && a.Sent[a.Sockets()[0]] == 1 })
	s.SetEventDelay(0)
	call.Hangup()
	log.sync(t, s, "callcare")
	s.DropWebSocket()
	if a := s.Activity(); len(a.Sent) != 0 {
		t.Errorf("a cut socket is still open: %+v", a)
	}
}

// TestServer_WaitApp: a wait for an application ends when a client's
// socket holds it, and when none does any more.
func TestServer_WaitApp(t *testing.T) {
	s := NewServer(Options{})
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	held := make(chan error, 1)
	go func() { held <- s.WaitApp(ctx, "callcare", true) }()
	log := &eventLog{}
	defer log.close()
	log.connect(t, s, "callcare")
	if err := <-held; err != nil {
		t.Fatalf("held: %v", err)
	}
	if _, err := s.Call(Caller{Number: "1", Exten: "100", App: "callcare"}); err != nil {
		t.Errorf("a call once the application is held: %v", err)
	}
	s.DropWebSocket()
	if err := s.WaitApp(ctx, "callcare", false); err != nil {
		t.Fatalf("gone: %v", err)
	}
	short, stop := context.WithTimeout(ctx, 10*time.Millisecond)
	defer stop()
	if err := s.WaitApp(short, "callcare", true); err == nil {
		t.Error("held again without a client")
	}
}
