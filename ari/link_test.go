package ari_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
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
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 100 * time.Millisecond, Script: []pbxsim.Action{{At: 100 * time.Millisecond, Do: pbxsim.Hangup}}})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	for _, raw := range []string{
		`{"type":"ApplicationRegistered","application":"callcare","timestamp":"2026-11-24T09:00:00.000+0000","asterisk_id":"x"}`,
		`{"type":"ChannelTransfer","application":"callcare","timestamp":"2026-11-24T09:00:00.000+0000","asterisk_id":"x","refer_to":{},"referred_by":{},"state":"channel_declined"}`,
		`{"type":"StasisStart","channel":{"id":12}}`, // a known type with a bad field
		`not json at all`,
	} {
		e.pbx.InjectEvent("callcare", []byte(raw))
	}
	if rec := e.record(t, call); rec.AnsweredBy != "anowak" {
		t.Errorf("answered by %q", rec.AnsweredBy)
	}
	if st := e.svc.Stats().Link; st.Unknown < 2 || st.Undecodable < 2 {
		t.Errorf("link stats %+v, want 2 unknown and 2 undecodable", st)
	}
	e.settled(t)
}

// TestWebSocketDropDuringRinging: the socket drops while Anna rings and she
// answers during the gap. The service notices, reconnects, looks at the
// channels again and bridges the call it would otherwise have lost.
func TestWebSocketDropDuringRinging(t *testing.T) {
	e := startEnv(t)
	// Piotr, the overflow, has no phone: without the resync the call
	// would end missed.
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 60 * time.Millisecond, Script: []pbxsim.Action{{At: 300 * time.Millisecond, Do: pbxsim.Hangup}}})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	time.Sleep(30 * time.Millisecond)
	e.pbx.DropWebSocket() // the service redials after 50 ms at least
	rec := e.record(t, call)
	if rec.Outcome != callcare.OutcomeAnswered || rec.AnsweredBy != "anowak" {
		t.Errorf("after the drop: %s by %q", rec.Outcome, rec.AnsweredBy)
	}
	e.settled(t)
}

// TestRESTRequestsHaveADeadline: an Asterisk that accepts a request and
// never answers does not hang the call.
func TestRESTRequestsHaveADeadline(t *testing.T) {
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

// TestNotFoundIsRecognised: Asterisk's 404 for a channel already gone is
// told apart from real failures.
func TestNotFoundIsRecognised(t *testing.T) {
	pbx := pbxsim.NewServer(pbxsim.Options{})
	defer pbx.Close()
	c := ari.NewClient(pbx.URL(), "callcare", "callcare", "callcare", time.Second)
	err := c.Hangup(context.Background(), "no-such-channel", "normal")
	if !ari.IsNotFound(err) {
		t.Errorf("hangup of a missing channel: %v, want a 404", err)
	}
	bad := ari.NewClient(pbx.URL(), "callcare", "wrong", "callcare", time.Second)
	if err := bad.Answer(context.Background(), "x"); err == nil || ari.IsNotFound(err) {
		t.Errorf("wrong password: %v, want a 401", err)
	}
}

// TestManyCallsAtOnce: calls are independent: fifty at once all end as
// they should, none waits for another.
func TestManyCallsAtOnce(t *testing.T) {
	// Fifty calls at once on a loaded machine: rings of a second, so the
	// test is about independence, not speed.
	e := startEnvWith(t, func(s *ari.Settings) { s.Inbound.Procedure.RingCycle = time.Second })
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.Busy})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 20 * time.Millisecond, Script: []pbxsim.Action{{At: 50 * time.Millisecond, Do: pbxsim.Hangup}}})
	var calls []*pbxsim.Call
	for range 50 {
		calls = append(calls, e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"}))
	}
	for _, c := range calls {
		if rec := e.record(t, c); rec.AnsweredBy != "pwisniewski" {
			t.Errorf("call %s: %s by %q", c.ChannelID(), rec.Outcome, rec.AnsweredBy)
		}
	}
	e.settled(t)
	e.quiet(t)
}

// slowStore is the real store, with one call's writes held up: that call's
// goroutine is stuck, as if Asterisk were slow to answer it.
type slowStore struct {
	*sqlite.DB
	slowCaller callcare.Number
	release    chan struct{}
}

func (s *slowStore) SaveCall(ctx context.Context, rec callcare.CallRecord) error {
	if rec.CallerID == s.slowCaller {
		<-s.release
	}
	return s.DB.SaveCall(ctx, rec)
}

// TestSlowCallDoesNotHoldUpOthers: while one call's goroutine is stuck, the
// others are served, and the stuck call loses none of the events that
// arrived meanwhile: once free it ends as it should.
func TestSlowCallDoesNotHoldUpOthers(t *testing.T) {
	pbx := pbxsim.NewServer(pbxOptions)
	defer pbx.Close()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "callcare.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	store := &slowStore{DB: db, slowCaller: "48600999999", release: make(chan struct{})}
	svc := ari.New(ari.Options{URL: pbx.URL(), User: "callcare", Password: "callcare"},
		testSettings(), ari.Stores{Calls: store, Callbacks: db, Queue: db})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { svc.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	e := &env{pbx: pbx, svc: svc, db: db}

	pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 10 * time.Millisecond, Script: []pbxsim.Action{{At: 20 * time.Millisecond, Do: pbxsim.Hangup}}})
	stuck := e.call(t, pbxsim.Caller{Number: "48600999999", Exten: "101"})
	for range 5 {
		if rec := e.record(t, e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})); rec.AnsweredBy != "anowak" {
			t.Errorf("a call beside the stuck one: %s by %q", rec.Outcome, rec.AnsweredBy)
		}
	}
	// The stuck call's citizen gives up meanwhile; its events wait in its inbox.
	stuck.Hangup()
	close(store.release)
	if rec := e.record(t, stuck); rec.Outcome != callcare.OutcomeAbandoned {
		t.Errorf("the stuck call ended %s, want abandoned", rec.Outcome)
	}
	e.settled(t)
}

// TestEventsOfUnknownChannelsAreIgnored: a stream carries leftovers of
// earlier calls (the callback trace starts with one); they change nothing
// and alarm nobody.
func TestEventsOfUnknownChannelsAreIgnored(t *testing.T) {
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 10 * time.Millisecond, Script: []pbxsim.Action{{At: 50 * time.Millisecond, Do: pbxsim.Hangup}}})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	for _, typ := range []string{"ChannelDestroyed", "StasisEnd", "StasisStart"} {
		e.pbx.InjectEvent("callcare", []byte(`{"type":"`+typ+`","application":"callcare","timestamp":"2026-11-24T09:00:00.000+0000","cause":16,"cause_txt":"Normal Clearing","args":["dialed"],"channel":{"id":"1795000000.99","name":"PJSIP/101-00000063","state":"Up","caller":{"name":"","number":""},"connected":{"name":"","number":""},"accountcode":"","dialplan":{"context":"from-clerks","exten":"","priority":1,"app_name":"","app_data":""},"creationtime":"2026-11-24T09:00:00.000+0000","language":"en"}}`))
	}
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
	e := startEnv(t)
	e.pbx.SetEventReorder(true)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.Busy})
	e.pbx.SetPhone("PJSIP/102", pbxsim.Phone{AnswerAfter: 20 * time.Millisecond, Script: []pbxsim.Action{{At: 50 * time.Millisecond, Do: pbxsim.Hangup}}})
	for range 5 {
		if rec := e.record(t, e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})); rec.AnsweredBy != "pwisniewski" {
			t.Errorf("%s by %q; attempts %+v", rec.Outcome, rec.AnsweredBy, rec.Attempts)
		}
	}
	e.pbx.SetPhone("PJSIP/103", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	e.pbx.SetPhone("PJSIP/104", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	if rec := e.record(t, e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "300", HangupAfter: 30 * time.Millisecond})); rec.Outcome != callcare.OutcomeAbandoned {
		t.Errorf("abandoned call ended %s", rec.Outcome)
	}
	e.settled(t)
	e.quiet(t)
}

// TestCallsLeftByAnEarlierRun: the service stops while a call is being put
// through; Asterisk keeps the channels in the application. The next run
// sends the citizen to the dialplan's fallback, which rings a person, and
// hangs up the clerk's leg nobody owns.
func TestCallsLeftByAnEarlierRun(t *testing.T) {
	pbx := pbxsim.NewServer(pbxOptions)
	defer pbx.Close()
	pbx.SetPhone("PJSIP/101", pbxsim.Phone{Mode: pbxsim.NeverAnswers})
	run := func() (*ari.Service, func()) {
		db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "callcare.db"))
		if err != nil {
			t.Fatal(err)
		}
		svc := ari.New(ari.Options{URL: pbx.URL(), User: "callcare", Password: "callcare"}, testSettings(), ari.Stores{Calls: db, Callbacks: db, Queue: db})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { svc.Run(ctx); close(done) }()
		return svc, func() { cancel(); <-done; db.Close() }
	}
	_, stop := run()
	e := &env{pbx: pbx}
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	for len(pbx.Channels()) < 2 { // the clerk's phone rings
		time.Sleep(5 * time.Millisecond)
	}
	stop()
	_, stop = run()
	defer stop()
	select {
	case <-call.Done():
	case <-time.After(10 * time.Second):
		t.Fatalf("the citizen was left in the application: %+v", pbx.Channels())
	}
	if n := pbx.Stats().RequestsByPath["POST /channels/{channelId}/continue"]; n != 1 {
		t.Errorf("%d continues, want the citizen sent to the fallback once", n)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(pbx.Channels()) > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if chans := pbx.Channels(); len(chans) > 0 {
		t.Errorf("left behind: %+v", chans)
	}
}
