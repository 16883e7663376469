package pbxsim

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestSessionLimit: as Asterisk's HTTP server past http.conf's
// sessionlimit, a connection beyond the limit is closed unanswered, and
// one is taken again once another closes.
func TestSessionLimit(t *testing.T) {
	pbx := NewServer(Options{SessionLimit: 2})
	defer pbx.Close()
	var open []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", pbx.Addr())
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, c)
	}
	get := func() error {
		req, _ := http.NewRequest(http.MethodGet, pbx.URL()+"/asterisk/info", nil)
		req.SetBasicAuth("callcare", "callcare")
		c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := c.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	// The two connections count once the server has seen them: until
	// then a third gets through.
	for get() == nil {
	}
	if n := pbx.Stats().SessionsRefused; n == 0 {
		t.Errorf("a request failed, yet no session was refused")
	}
	for _, c := range open {
		c.Close()
	}
	var err error
	for range 100 { // the closes reach the server in their time
		if err = get(); err == nil {
			break
		}
	}
	if err != nil {
		t.Errorf("after the sessions closed: %v", err)
	}
}

// TestSimBatch: POST /sim/batch places calls itself, one every "every" on
// its clock: a load that costs the client placing it one request.
func TestSimBatch(t *testing.T) {
	clk := newFakeClock()
	s := NewServer(Options{Clock: clk, AutoPhones: true})
	defer s.Close()
	log := &eventLog{}
	defer log.close()
	log.connect(t, s, "callcare")
	req := httptest.NewRequest(http.MethodPost, "/sim/batch", strings.NewReader(
		`{"every":"1s","calls":[{"number":"48600100201","exten":"101","app":"callcare","ringing":true},`+
			`{"number":"48600100202","exten":"102","app":"callcare"},{"number":"48600100203","exten":"103","app":"callcare"}]}`))
	req.SetBasicAuth("callcare", "callcare")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusAccepted {
		t.Fatalf("batch: %d %s", rec.Code, rec.Body)
	}
	clk.Advance(1500 * time.Millisecond)
	if n := len(s.Channels()); n != 2 {
		t.Errorf("%d channels 1.5 s in, want 2", n)
	}
	clk.Advance(time.Second)
	chans := s.Channels()
	if len(chans) != 3 {
		t.Fatalf("%d channels, want 3", len(chans))
	}
	log.sync(t, s, "callcare")
	var args [][]string
	for _, raw := range log.events() {
		var ev struct {
			Type string
			Args []string
		}
		if json.Unmarshal(raw, &ev) == nil && ev.Type == "StasisStart" {
			args = append(args, ev.Args)
		}
	}
	if len(args) != 3 || len(args[0]) != 3 || args[0][2] != "ringing" || len(args[1]) != 2 {
		t.Errorf("StasisStart args %v; want the first rung by the dialplan", args)
	}
	for _, ch := range chans {
		rest(t, s, "DELETE", "/channels/"+ch.ID, "")
	}
}
