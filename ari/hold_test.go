package ari_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/pbxsim"
)

// hold and unhold are the clerk's desk-phone keys, at times from the answer.
func hold(at time.Duration) pbxsim.Action   { return pbxsim.Action{At: at, Do: pbxsim.Hold} }
func unhold(at time.Duration) pbxsim.Action { return pbxsim.Action{At: at, Do: pbxsim.Unhold} }

const (
	patience = "sound:callcare/hold-patience"
	offer    = "sound:callcare/hold-offer"
	music    = "moh:sekretariat" // Anna's department's (testSettings)
)

// TestP4h_HoldPlaysTheDepartmentsMusicAndAnnouncements: Anna holds the
// call for 65 s. The caller hears her department's music at once
// (Asterisk's own, of the class the service set on the caller's channel),
// 3 s in and then every 30 s that she will be back, and the music again
// after each.
func TestP4h_HoldPlaysTheDepartmentsMusicAndAnnouncements(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 2 * time.Second,
		Script: []pbxsim.Action{hold(10 * time.Second), unhold(75 * time.Second), {At: 90 * time.Second, Do: pbxsim.Hangup}}})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101"})
	e.advance(t, 2*time.Minute)
	rec := e.record(t, call)
	if rec.Outcome != callcare.OutcomeAnswered || rec.HungUpBy != callcare.PartyClerk {
		t.Errorf("outcome %s, hung up by %s", rec.Outcome, rec.HungUpBy)
	}
	// The third is cut short by the resume: no music after it.
	want := []string{music, patience, music, patience, music, patience, "sound:callcare/goodbye"}
	if heard := call.Heard(); !slices.Equal(heard, want) {
		t.Errorf("the caller heard\n%v\nwant\n%v", heard, want)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4h_DefaultMusicCostsNothing: a department on the office's default
// music needs no request: the answered call costs what it did.
func TestP4h_DefaultMusicCostsNothing(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/103", pbxsim.Phone{AnswerAfter: 2 * time.Second,
		Script: []pbxsim.Action{hold(5 * time.Second), unhold(12 * time.Second), {At: 20 * time.Second, Do: pbxsim.Hangup}}})
	e.pbx.SetPhone("PJSIP/104", pbxsim.Phone{Mode: pbxsim.Busy})
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "300"})
	e.advance(t, time.Minute)
	e.record(t, call)
	if heard := call.Heard(); !slices.Equal(heard, []string{"moh:default", patience, "moh:default", "sound:callcare/goodbye"}) {
		t.Errorf("the caller heard %v", heard)
	}
	if n := e.pbx.Stats().RequestsByPath["POST /channels/{channelId}/variable"]; n != 0 {
		t.Errorf("%d variable requests for a department on the default music", n)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4p_LongHoldOffersACallback: Anna leaves the caller on hold. After
// two minutes the announcements offer a callback; the caller presses 1, is
// thanked and let go; the task is Anna's, for a long hold. Back from hold,
// Anna hears why the caller is gone, and her line ends.
func TestP4p_LongHoldOffersACallback(t *testing.T) {
	t.Parallel()
	e := startEnv(t)
	e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 2 * time.Second,
		Script: []pbxsim.Action{hold(5 * time.Second), unhold(4 * time.Minute)}})
	// Stasis at 0, Anna answers at 2 s, holds at 7 s; the offer comes at
	// 7 s + 2 min (the 5th announcement) and takes 7 s to say.
	call := e.call(t, pbxsim.Caller{Number: "48600100200", Exten: "101",
		Script: []pbxsim.Action{{At: 7*time.Second + 2*time.Minute + 3*time.Second, Do: pbxsim.PressKeys, Digits: "1"}}})
	e.advance(t, 5*time.Minute)
	rec := e.record(t, call)
	if rec.Outcome != callcare.OutcomeAnswered || rec.HungUpBy != callcare.PartyService || rec.AnsweredBy != "anowak" {
		t.Errorf("outcome %s by %s, hung up by %s", rec.Outcome, rec.AnsweredBy, rec.HungUpBy)
	}
	heard := call.Heard()
	if n := count(heard, patience); n != 4 || slices.Index(heard, offer) < 0 || slices.Index(heard, "sound:callcare/callback-thanks") < slices.Index(heard, offer) {
		t.Errorf("the caller heard %v: want 4 announcements, the offer, the thanks", heard)
	}
	tasks, err := e.db.Callbacks(context.Background(), callcare.CallbackFilter{Number: "48600100200"})
	if err != nil || len(tasks) != 1 {
		t.Fatalf("tasks %+v, %v", tasks, err)
	}
	if tk := tasks[0]; tk.Reason != callcare.ReasonLongHold || tk.Target != (callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"}) {
		t.Errorf("task %+v: want Anna's, for a long hold", tk)
	}
	anna := e.pbx.Offers()[0].Channel
	if h := e.pbx.Heard(anna); !slices.Equal(h, []string{"sound:callcare/caller-left"}) {
		t.Errorf("Anna heard %v back from hold", h)
	}
	e.settled(t)
	e.quiet(t)
}

// TestP4h_Races: the clerk's keys and the hang-ups at the worst moments.
// Each leaves nothing behind: no playback, bridge, timer or goroutine, and
// no warning in the log.
func TestP4h_Races(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		clerk  []pbxsim.Action
		caller pbxsim.Caller
		want   callcare.Party
	}{
		{"unhold while the announcement plays", []pbxsim.Action{hold(5 * time.Second), unhold(9 * time.Second), {At: 20 * time.Second, Do: pbxsim.Hangup}}, pbxsim.Caller{}, callcare.PartyClerk},
		{"hold, unhold, hold in one moment", []pbxsim.Action{hold(5 * time.Second), unhold(5 * time.Second), hold(5 * time.Second), unhold(9 * time.Second), {At: 20 * time.Second, Do: pbxsim.Hangup}}, pbxsim.Caller{}, callcare.PartyClerk},
		{"unhold as the next announcement starts", []pbxsim.Action{hold(5 * time.Second), unhold(38 * time.Second), {At: 40 * time.Second, Do: pbxsim.Hangup}}, pbxsim.Caller{}, callcare.PartyClerk},
		{"the caller hangs up on hold", []pbxsim.Action{hold(5 * time.Second)}, pbxsim.Caller{HangupAfter: 20 * time.Second}, callcare.PartyCaller},
		{"the caller hangs up during the announcement", []pbxsim.Action{hold(5 * time.Second)}, pbxsim.Caller{HangupAfter: 11 * time.Second}, callcare.PartyCaller},
		{"the clerk hangs up during the announcement", []pbxsim.Action{hold(5 * time.Second), {At: 9 * time.Second, Do: pbxsim.Hangup}}, pbxsim.Caller{}, callcare.PartyClerk},
		{"the caller hangs up as the clerk does, on hold", []pbxsim.Action{hold(5 * time.Second), {At: 28 * time.Second, Do: pbxsim.Hangup}}, pbxsim.Caller{HangupAfter: 30*time.Second + 3*time.Millisecond}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := startEnv(t)
			e.pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 2 * time.Second, Script: tc.clerk})
			c := tc.caller
			c.Number, c.Exten = "48600100200", "101"
			call := e.call(t, c)
			e.advance(t, time.Minute)
			if rec := e.record(t, call); tc.want != "" && rec.HungUpBy != tc.want || rec.Outcome != callcare.OutcomeAnswered {
				t.Errorf("outcome %s, hung up by %s; want answered, %s", rec.Outcome, rec.HungUpBy, tc.want)
			}
			ended(t, call)
			e.settled(t)
			e.quiet(t)
		})
	}
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}
