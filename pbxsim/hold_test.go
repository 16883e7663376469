package pbxsim

import (
	"slices"
	"testing"
	"time"
)

// TestServer_HoldMusic: what the citizen hears around a clerk's hold, as
// the hold-moh-class traces recorded it on Asterisk 20.
func TestServer_HoldMusic(t *testing.T) {
	clk := newFakeClock()
	s := NewServer(Options{Clock: clk})
	defer s.Close()
	log := &eventLog{}
	defer log.close()
	log.connect(t, s, "callcare")
	hold := func(at time.Duration) Action { return Action{At: at, Do: Hold} }
	unhold := func(at time.Duration) Action { return Action{At: at, Do: Unhold} }
	s.SetPhone("SIP/101", Phone{AnswerAfter: 3 * time.Second, Script: []Action{
		hold(1 * time.Second), unhold(20 * time.Second), // a plain hold with an announcement in it
		hold(30 * time.Second), unhold(31 * time.Second), // the resume during an announcement
		hold(42 * time.Second), unhold(50 * time.Second), // the hold during an announcement
	}})
	call, err := s.Call(Caller{Number: "48600100200", Exten: "100", App: "callcare"})
	if err != nil {
		t.Fatal(err)
	}
	cit := call.ChannelID()
	rest(t, s, "POST", "/channels/create?endpoint=SIP/101&app=callcare&channelId=clerk", "")
	rest(t, s, "POST", "/channels/clerk/dial?caller="+cit, "")
	clk.Advance(time.Millisecond)
	clk.Advance(3 * time.Second) // answered
	rest(t, s, "POST", "/channels/"+cit+"/answer", "")
	rest(t, s, "POST", "/bridges?bridgeId=b", "")
	rest(t, s, "POST", "/bridges/b/addChannel?channel="+cit+",clerk", "")
	if code, _ := rest(t, s, "POST", "/channels/"+cit+"/variable?variable=CHANNEL(musicclass)&value=sekretariat", ""); code != 204 {
		t.Fatalf("set the class: %d", code)
	}
	if code, body := rest(t, s, "GET", "/channels/"+cit+"/variable?variable=CHANNEL(musicclass)", ""); code != 200 || body["value"] != "sekretariat" {
		t.Fatalf("read the class: %d %v", code, body)
	}
	step := func(d time.Duration) { clk.Advance(d) }
	step(1 * time.Second) // hold
	step(5 * time.Second)
	rest(t, s, "POST", "/channels/"+cit+"/play/a1?media=sound:pls-hold-while-try", "")
	step(14 * time.Second) // unhold
	step(10 * time.Second) // hold again
	rest(t, s, "POST", "/channels/"+cit+"/play/a2?media=sound:pls-hold-while-try", "")
	step(1 * time.Second) // unhold while it plays
	step(5 * time.Second)
	rest(t, s, "POST", "/channels/"+cit+"/play/a3?media=sound:pls-hold-while-try", "")
	step(6 * time.Second) // a hold 1 s into it...
	step(10 * time.Second)
	want := []string{
		"moh:sekretariat", "sound:pls-hold-while-try", "moh:sekretariat", // music, announcement, music back
		"moh:sekretariat", "sound:pls-hold-while-try", // the resume: no music after the announcement
		"sound:pls-hold-while-try", "moh:sekretariat", // the hold during it: music once it ends
	}
	if got := call.Heard(); !slices.Equal(got, want) {
		t.Errorf("heard\n%v\nwant\n%v", got, want)
	}
	call.Hangup()
	rest(t, s, "DELETE", "/channels/clerk", "")
	rest(t, s, "DELETE", "/bridges/b", "")
	log.sync(t, s, "callcare")
	var holds []string
	for _, ev := range eventTypes(log.events()) {
		if ev == "ChannelHold" || ev == "ChannelUnhold" {
			holds = append(holds, ev)
		}
	}
	if len(holds) != 6 {
		t.Errorf("hold events %v", holds)
	}
}
