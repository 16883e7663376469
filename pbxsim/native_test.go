package pbxsim

import (
	"testing"
	"time"

	"github.com/CyCoreSystems/ari/v5"
	"github.com/CyCoreSystems/ari/v5/client/native"
)

// These scenarios drive the simulator with github.com/CyCoreSystems/ari/v5's
// native client, the library whose event model and types the service
// builds on, over real sockets and the real clock (with short durations).

func connectNative(t *testing.T, pbx *Server, app string) ari.Client {
	t.Helper()
	done := make(chan struct{})
	var cl ari.Client
	var err error
	go func() {
		defer close(done)
		cl, err = native.Connect(&native.Options{
			Application: app, URL: pbx.URL(), WebsocketURL: pbx.WebsocketURL(),
			Username: pbx.opts.User, Password: pbx.opts.Password,
		})
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("native.Connect hangs")
	}
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	// No cl.Close: it writes the client's connected flag without a lock
	// while its reader goroutine writes it too, a data race inside ari/v5
	// (see CLIENT-NOTES.md). Closing the simulator ends the session; the
	// client's redial loop lives on until the test binary exits.
	// The app exists once the WebSocket is registered.
	waitFor(t, "application registered", func() bool {
		pbx.mu.Lock()
		defer pbx.mu.Unlock()
		return pbx.apps[app] != nil
	})
	return cl
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// next waits for the next event of a subscription.
func next(t *testing.T, sub ari.Subscription, what string) ari.Event {
	t.Helper()
	select {
	case e, ok := <-sub.Events():
		if !ok {
			t.Fatalf("%s: subscription closed", what)
		}
		return e
	case <-time.After(5 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
	return nil
}

// dialUntil waits for a Dial event of the peer with one of the statuses.
func dialUntil(t *testing.T, sub ari.Subscription, statuses ...string) string {
	t.Helper()
	for {
		e := next(t, sub, "Dial")
		d, ok := e.(*ari.Dial)
		if !ok {
			continue
		}
		if d.Caller.ID != "" {
			t.Errorf("Dial carries a caller (%s): Asterisk never sends one", d.Caller.ID)
		}
		for _, s := range statuses {
			if d.Dialstatus == s {
				return s
			}
		}
	}
}

func TestNativeClient_Answer(t *testing.T) {
	pbx := NewServer(Options{})
	pbx.SetPhone("PJSIP/101", Phone{RingAfter: 10 * time.Millisecond, AnswerAfter: 50 * time.Millisecond})
	cl := connectNative(t, pbx, "callcare")

	starts := cl.Bus().Subscribe(nil, ari.Events.StasisStart)
	defer starts.Cancel()
	call, err := pbx.Call(Caller{Number: "48600100200", Exten: "100", App: "callcare"})
	if err != nil {
		t.Fatal(err)
	}
	ss := next(t, starts, "StasisStart").(*ari.StasisStart)
	if ss.Channel.ID != call.ChannelID() || len(ss.Args) != 2 || ss.Args[0] != "inbound" || ss.Args[1] != "100" {
		t.Fatalf("StasisStart %s %v, want %s [inbound 100]", ss.Channel.ID, ss.Args, call.ChannelID())
	}
	if ss.Channel.State != "Ring" || ss.Channel.Caller.Number != "48600100200" {
		t.Errorf("inbound channel %+v", ss.Channel)
	}
	in := cl.Channel().Get(ss.Key(ari.ChannelKey, ss.Channel.ID))
	if err := in.Ring(); err != nil {
		t.Fatal(err)
	}

	// Pick the clerk channel's id first, subscribe, then create and dial.
	clerkKey := ari.NewKey(ari.ChannelKey, "clerk-1")
	dials := cl.Bus().Subscribe(clerkKey, ari.Events.Dial)
	defer dials.Cancel()
	clerk, err := cl.Channel().Create(clerkKey, ari.ChannelCreateRequest{
		Endpoint: "PJSIP/101", App: "callcare", AppArgs: "dialed", ChannelID: "clerk-1", Originator: in.ID(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := clerk.Dial(in.ID(), 30*time.Second); err != nil {
		t.Fatal(err)
	}
	dialUntil(t, dials, "ANSWER")

	if err := in.Answer(); err != nil {
		t.Fatal(err)
	}
	br, err := cl.Bridge().Create(ari.NewKey(ari.BridgeKey, "bridge-1"), "mixing", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{in.ID(), clerk.ID()} {
		if err := br.AddChannel(id); err != nil {
			t.Fatal(err)
		}
	}
	data, err := br.Data()
	if err != nil || len(data.ChannelIDs) != 2 {
		t.Fatalf("bridge %+v, %v", data, err)
	}

	ends := cl.Bus().Subscribe(in.Key(), ari.Events.StasisEnd)
	defer ends.Cancel()
	call.Hangup()
	next(t, ends, "citizen's StasisEnd")
	if err := clerk.Hangup(); err != nil {
		t.Fatal(err)
	}
	if err := br.Delete(); err != nil {
		t.Fatal(err)
	}
	// A channel that is gone: 404, and the client sees it as not found.
	if err := in.Hangup(); err == nil || native.CodeFromError(err) != 404 {
		t.Errorf("hangup of a gone channel: %v, want not found", err)
	}
	<-call.Done()
	if err := pbx.Close(); err != nil {
		t.Error(err)
	}
}

// TestNativeClient_NoAnswerOverflow: 101 rings and never answers; the
// app's own ring limit hangs it up (no NOANSWER Dial ever comes) and
// overflows to 102, which answers.
func TestNativeClient_NoAnswerOverflow(t *testing.T) {
	pbx := NewServer(Options{})
	pbx.SetPhone("PJSIP/101", Phone{Mode: NeverAnswers})
	pbx.SetPhone("PJSIP/102", Phone{AnswerAfter: 20 * time.Millisecond})
	cl := connectNative(t, pbx, "callcare")

	starts := cl.Bus().Subscribe(nil, ari.Events.StasisStart)
	defer starts.Cancel()
	call, err := pbx.Call(Caller{Number: "anonymous", Exten: "100", App: "callcare"})
	if err != nil {
		t.Fatal(err)
	}
	ss := next(t, starts, "StasisStart").(*ari.StasisStart)
	in := cl.Channel().Get(ss.Key(ari.ChannelKey, ss.Channel.ID))

	try := func(endpoint, id string) (*ari.ChannelHandle, ari.Subscription) {
		key := ari.NewKey(ari.ChannelKey, id)
		sub := cl.Bus().Subscribe(key, ari.Events.Dial, ari.Events.ChannelDestroyed)
		h, err := cl.Channel().Create(key, ari.ChannelCreateRequest{Endpoint: endpoint, App: "callcare", ChannelID: id, Originator: in.ID()})
		if err != nil {
			t.Fatal(err)
		}
		if err := h.Dial(in.ID(), 0); err != nil {
			t.Fatal(err)
		}
		return h, sub
	}
	first, sub1 := try("PJSIP/101", "clerk-101")
	defer sub1.Cancel()
	dialUntil(t, sub1, "RINGING")
	time.Sleep(100 * time.Millisecond) // the ring limit
	if err := first.Hangup(); err != nil {
		t.Fatal(err)
	}
	for {
		e := next(t, sub1, "ChannelDestroyed of 101")
		if d, ok := e.(*ari.ChannelDestroyed); ok {
			if d.Cause != 16 {
				t.Errorf("101 destroyed with cause %d, want 16", d.Cause)
			}
			break
		}
		if d, ok := e.(*ari.Dial); ok && d.Dialstatus == "NOANSWER" {
			t.Error("a NOANSWER Dial: Asterisk never sends one here")
		}
	}
	second, sub2 := try("PJSIP/102", "clerk-102")
	defer sub2.Cancel()
	dialUntil(t, sub2, "ANSWER")
	if err := in.Answer(); err != nil {
		t.Fatal(err)
	}
	br, err := cl.Bridge().Create(ari.NewKey(ari.BridgeKey, "bridge-2"), "mixing", "")
	if err != nil {
		t.Fatal(err)
	}
	_ = br.AddChannel(in.ID())
	_ = br.AddChannel(second.ID())
	if got := pbx.Channels(); len(got) != 2 || got[0].Bridge != "bridge-2" || got[1].Bridge != "bridge-2" {
		t.Errorf("channels %+v, want both in bridge-2", got)
	}
	_ = in.Hangup()
	_ = second.Hangup()
	_ = br.Delete()
	<-call.Done()
	if err := pbx.Close(); err != nil {
		t.Error(err)
	}
}
