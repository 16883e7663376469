package ari_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/pbxsim"
	"github.com/callcare/callcare/sqlite"
)

// TestUnknownEventTypesAreSkipped: Asterisk 20 sends event types the v5
// client has no struct for; they are counted and skipped, mid-call, and the
// call goes on as if nothing happened.
func TestUnknownEventTypesAreSkipped(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(10 * time.Second)})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	for _, raw := range []string{
		`{"type":"ApplicationRegistered","application":"callcare","timestamp":"2026-11-24T09:00:00.000+0000","asterisk_id":"x"}`,
		`{"type":"ChannelTransfer","application":"callcare","timestamp":"2026-11-24T09:00:00.000+0000","asterisk_id":"x","refer_to":{},"referred_by":{},"state":"channel_declined"}`,
		`{"type":"StasisStart","channel":{"id":12}}`, // a known type with a bad field
		`not json at all`,
	} {
		e.pbx.InjectEvent("callcare", []byte(raw))
	}
	e.advance(t, 30*time.Second)
	if rec := e.record(t, call); rec.AnsweredBy != "anowak" {
		t.Errorf("answered by %q", rec.AnsweredBy)
	}
	if st := e.svc.Stats().Link; st.Unknown < 2 || st.Undecodable < 2 {
		t.Errorf("link stats %+v, want 2 unknown and 2 undecodable", st)
	}
	e.settled(t)
}

// TestWebSocketDropDuringRinging: the socket drops while Anna rings, and
// Asterisk refuses the redials for a second: she answers in that gap, and
// Asterisk hangs her phone up at once, since no client holds the
// application (trace ws-drop-answer). The service notices, reconnects,
// looks at the channels again and carries the call on: Piotr, the
// overflow, has no phone, so the caller is told and called back; nothing
// is left waiting.
func TestWebSocketDropDuringRinging(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 6 * time.Second, Script: talk(30 * time.Second)})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, 5500*time.Millisecond)
	// At once, then about 62, 125, 250 and 500 ms apart (each between
	// half and all of that): back after 6.47 s at the earliest.
	e.pbx.FailRequests("GET", "/events", 503, 5)
	e.pbx.DropWebSocket()
	e.advance(t, time.Minute)
	ended(t, call)
	rec := e.record(t, call)
	if rec.Outcome != callcare.OutcomeMissed || len(tasksOf(t, e, "48600100200")) != 1 {
		t.Errorf("after the drop: %s by %q; want missed, with a callback task", rec.Outcome, rec.AnsweredBy)
	}
	if st := e.pbx.Stats(); st.RequestsByPath["GET /channels/{channelId}"] == 0 {
		t.Errorf("the service did not look at the channels again: %v", st.RequestsByPath)
	}
	e.settled(t)
}

// TestRESTRequestsHaveADeadline: an Asterisk that accepts a request and
// never answers does not hang the call. The deadline is on the wall
// clock, as a socket's is.
func TestRESTRequestsHaveADeadline(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	defer srv.Close()
	defer close(release)
	c := ari.NewClient(srv.URL+"/ari", "u", "p", "callcare", 50*time.Millisecond)
	start := time.Now()
	err := c.Answer(context.Background(), "x")
	if err == nil {
		t.Fatal("a request that got no answer succeeded")
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("gave up after %s", took)
	}
}

// TestRequestErrorsKeepNumbersOut: a request that gets no answer fails
// with an error the log may show: the URL's query, which holds a
// citizen's number in a dial string or spelt out in a playback, is not in
// it.
func TestRequestErrorsKeepNumbersOut(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL + "/ari"
	srv.Close() // nobody listens: the connection is refused
	c := ari.NewClient(base, "u", "p", "callcare", time.Second)
	ctx := context.Background()
	for name, err := range map[string]error{
		"originate": c.Originate(ctx, "leg-1", ari.Outbound{Endpoint: "PJSIP/48600100200@trunk", CallerID: `"Jan" <48600999888>`}),
		"play":      c.Play(ctx, "leg-1", "p1", "sound:digits/4", "sound:digits/8", "sound:digits/6"),
	} {
		if err == nil {
			t.Fatalf("%s: no error from a closed port", name)
		}
		for _, leak := range []string{"48600100200", "48600999888", "digits", "?"} {
			if strings.Contains(err.Error(), leak) {
				t.Errorf("%s: the error shows %q: %v", name, leak, err)
			}
		}
	}
}

// TestNotFoundIsRecognised: Asterisk's answers for a channel already gone
// are told apart from real failures.
func TestNotFoundIsRecognised(t *testing.T) {
	t.Parallel()
	pbx := pbxsim.NewServer(pbxsim.Options{})
	defer pbx.Close()
	c := ari.NewClient(pbx.URL(), "callcare", "callcare", "callcare", time.Second)
	err := c.Hangup(context.Background(), "no-such-channel", "normal")
	if !ari.IsNotFound(err) {
		t.Errorf("hangup of a missing channel: %v, want a 404", err)
	}
	// Ringing a clerk for a caller who hung up meanwhile (Asterisk's 400).
	err = c.Originate(context.Background(), "leg-1", ari.Outbound{Endpoint: "PJSIP/101", Originator: "caller-gone"})
	if !ari.IsOriginatorGone(err) {
		t.Errorf("originate for a gone caller: %v, want the originator not found", err)
	}
	bad := ari.NewClient(pbx.URL(), "callcare", "wrong", "callcare", time.Second)
	if err := bad.Answer(context.Background(), "x"); err == nil || ari.IsNotFound(err) {
		t.Errorf("wrong password: %v, want a 401", err)
	}
}

// TestManyCallsAtOnce: calls are independent: fifty at once all end as
// they should, none waits for another.
func TestManyCallsAtOnce(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.Busy})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(20 * time.Second)})
	calls := e.callsAtOnce(t, 50, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, time.Minute)
	e.answeredBy(t, calls, "pwisniewski")
	e.settled(t)
	e.quiet(t)
}

// slowStore is the real store, with the first call's look at the forwards
// held up: that call's goroutine is stuck at its start, as if Asterisk
// were slow to answer it.
type slowStore struct {
	*sqlite.DB
	first   atomic.Bool
	held    chan struct{} // closed when the first call is held
	release chan struct{}
}

func (s *slowStore) Forwards(ctx context.Context, at time.Time) ([]callcare.Absence, error) {
	if s.first.CompareAndSwap(false, true) {
		close(s.held)
		<-s.release
	}
	return s.DB.Forwards(ctx, at)
}

// TestSlowCallDoesNotHoldUpOthers: while one call's goroutine is stuck, the
// others are served, and the stuck call loses none of the events that
// arrived meanwhile: once free it ends as it should.
func TestSlowCallDoesNotHoldUpOthers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	store := &slowStore{DB: e.db, held: make(chan struct{}), release: make(chan struct{})}
	e.run(t, testSettings(), ari.Stores{Calls: e.db, Callbacks: e.db, Queue: e.db, Forwards: store})

	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(10 * time.Second)})
	stuck, err := e.pbx.Call(pbxsim.Caller{Number: "48600999999", Exten: "101", App: "callcare"})
	if err != nil {
		t.Fatal(err)
	}
	<-store.held
	// The stuck call is behind from now on: time passes for the others.
	for range 5 {
		call, err := e.pbx.Call(pbxsim.Caller{Number: "48600100200", Exten: "101", App: "callcare"})
		if err != nil {
			t.Fatal(err)
		}
		e.advanceTo(t, e.clk.Now().Add(30*time.Second), stuck.ChannelID())
		if rec := e.record(t, call); rec.AnsweredBy != "anowak" {
			t.Errorf("a call beside the stuck one: %s by %q", rec.Outcome, rec.AnsweredBy)
		}
	}
	// The stuck call's citizen gives up meanwhile; its events wait in its inbox.
	stuck.Hangup()
	e.settleExcept(t, stuck.ChannelID())
	if n := e.svc.Backlog()[stuck.ChannelID()]; n < 2 {
		t.Errorf("the stuck call's backlog is %d, want its start and the hangup waiting", n)
	}
	close(store.release)
	e.advance(t, 10*time.Second)
	if rec := e.record(t, stuck); rec.Outcome != callcare.OutcomeAbandoned {
		t.Errorf("the stuck call ended %s, want abandoned", rec.Outcome)
	}
	e.settled(t)
}

// TestEventsOfUnknownChannelsAreIgnored: a stream carries leftovers of
// earlier calls (the callback trace starts with one); they change nothing
// and alarm nobody.
func TestEventsOfUnknownChannelsAreIgnored(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(10 * time.Second)})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	for _, typ := range []string{"ChannelDestroyed", "StasisEnd", "StasisStart"} {
		e.pbx.InjectEvent("callcare", []byte(`{"type":"`+typ+`","application":"callcare","timestamp":"2026-11-24T09:00:00.000+0000","cause":16,"cause_txt":"Normal Clearing","args":["dialed"],"channel":{"id":"1795000000.99","name":"PJSIP/101-00000063","state":"Up","caller":{"name":"","number":""},"connected":{"name":"","number":""},"accountcode":"","dialplan":{"context":"from-clerks","exten":"","priority":1,"app_name":"","app_data":""},"creationtime":"2026-11-24T09:00:00.000+0000","language":"en"}}`))
	}
	e.advance(t, 30*time.Second)
	if rec := e.record(t, call); rec.AnsweredBy != "anowak" {
		t.Errorf("answered by %q", rec.AnsweredBy)
	}
	if e.svc.Stats().Stray < 3 {
		t.Errorf("stray events %d, want the 3 leftovers counted", e.svc.Stats().Stray)
	}
	e.settled(t)
	e.quiet(t)
}

// TestEventsOutOfOrder: events about different channels arrive swapped, as
// a busy Asterisk's threads can send them; calls still end as they should.
func TestEventsOutOfOrder(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetEventReorder(true)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.Busy})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 3 * time.Second, Script: talk(10 * time.Second)})
	for range 5 {
		call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
		e.advance(t, 30*time.Second)
		if rec := e.record(t, call); rec.AnsweredBy != "pwisniewski" {
			t.Errorf("%s by %q; attempts %+v", rec.Outcome, rec.AnsweredBy, rec.Attempts)
		}
	}
	e.pbx.SetPhone("PJSIP/103", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	e.pbx.SetPhone("PJSIP/104", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "300", HangupAfter: 8 * time.Second})
	e.advance(t, 30*time.Second)
	if rec := e.record(t, call); rec.Outcome != callcare.OutcomeAbandoned {
		t.Errorf("abandoned call ended %s", rec.Outcome)
	}
	e.settled(t)
	e.quiet(t)
}

// TestLinkRedialsAtOnceThenAtMostASecondApart: a dropped socket is dialed
// again at once; refused, the link tries again after about 62, 125, 250,
// 500 ms, then every second (each wait between half and all of that).
func TestLinkRedialsAtOnceThenAtMostASecondApart(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	before, at := e.svc.Stats().Link.Socket, e.clk.Now()
	e.pbx.DropWebSocket()
	e.settle(t)
	if st := e.svc.Stats(); !st.Linked || st.Link.Socket == before || !e.clk.Now().Equal(at) {
		t.Fatalf("after a drop: linked %v on %q (was %q), %s later; want a new socket at once",
			st.Linked, st.Link.Socket, before, e.clk.Now().Sub(at))
	}
	e.pbx.FailRequests("GET", "/events", 503, 10)
	e.pbx.DropWebSocket()
	start := e.clk.Now()
	e.settle(t)
	for !e.svc.Stats().Linked {
		next, ok := e.clk.Next()
		if !ok || next.Sub(start) > 10*time.Second {
			t.Fatalf("not back after %s", e.clk.Now().Sub(start))
		}
		e.advanceTo(t, next, "")
	}
	// Eleven tries: at once, then 62.5, 125, 250, 500 ms and six times a
	// second, nominally.
	if took := e.clk.Now().Sub(start); took < 3468*time.Millisecond || took > 6938*time.Millisecond {
		t.Errorf("back after %s, want 3.47 s to 6.94 s, the sums of the shortest and the longest waits", took)
	}
}
