package policy_test

import (
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

// xferSet: ## then the number, then # or a pause, transfers.
var xferSet = func() policy.InboundSettings {
	s := inboundSet
	s.TransferPrefix = "##"
	return s
}()

const (
	whisperToPiotr = "sayleg:c-2(sound:wfrom,sound:digits/1,sound:digits/0,sound:digits/1,sound:wcaller," +
		"sound:digits/6,sound:digits/0,sound:digits/0,sound:digits/1,sound:digits/0,sound:digits/0,sound:digits/2,sound:digits/0,sound:digits/0)" // the Polish number without 48
	transferStarts = "hangup:L1/normal hangup:L2/normal hangup:c-1/normal moh:default say(sound:transferring) save-now dial:c-2/Transfer from anowak"
)

// toPiotr is Anna's phone transferring the call to 102 with its own key.
func toPiotr(at time.Duration, locals ...string) step {
	return step{at: at, ev: policy.Transferred{Leg: "c-1", To: "102", Found: true,
		Target: callcare.Target{Kind: callcare.TargetClerk, ID: "pwisniewski"},
		Steps:  []callcare.Step{{Clerks: []callcare.Clerk{piotr}, Via: callcare.Target{Kind: callcare.TargetClerk, ID: "pwisniewski"}}},
		Locals: locals}}
}

func TestTransfer(t *testing.T) {
	answered := []step{
		{at: 0, ev: policy.LegRinging{Leg: "c-1"}},
		{at: 2 * time.Second, ev: policy.LegAnswered{Leg: "c-1"}, want: "connect:c-1 save close-tasks:48600100200"},
	}
	with := func(steps ...step) []step { return append(append([]step(nil), answered...), steps...) }
	transfer := toPiotr(10*time.Second, "L1", "L2")
	transfer.want, transfer.deadline = transferStarts, 40*time.Second
	needy := arrival([]callcare.Clerk{anna})
	needy.Needs = callcare.NeedsLine
	for _, tc := range []table{
		{
			rule: "P4o", name: "the phone's own key: music, the target rung, told who and why, then connected",
			steps: with(transfer,
				step{at: 11 * time.Second, ev: policy.LegRinging{Leg: "c-2"}, deadline: 26 * time.Second},
				step{at: 12 * time.Second, ev: policy.PlaybackDone{Playback: "c-xfer1"}},
				step{at: 12 * time.Second, ev: policy.LegGone{Leg: "c-1"}, want: ""}, // the transferring phone: no goodbye
				step{at: 14 * time.Second, ev: policy.LegAnswered{Leg: "c-2"}, want: whisperToPiotr},
				step{at: 20 * time.Second, ev: policy.PlaybackDone{Playback: "c-whisper2"}, want: "moh-stop add:c-2 save", deadline: -1},
				step{at: 60 * time.Second, ev: policy.LegGone{Leg: "c-2"}, want: "play:vm-goodbye"},
			),
			check: wantWaits("xfer:anowak>clerk/pwisniewski@10s", func(t *testing.T, r callcare.CallRecord, _ []policy.Action) {
				if len(r.Attempts) != 2 || r.Attempts[1].TransferredBy != "anowak" || r.Attempts[1].Result != "answered" {
					t.Errorf("attempts %+v", r.Attempts)
				}
				if r.AnsweredBy != "anowak" || r.HungUpClerk != "pwisniewski" {
					t.Errorf("answered by %q, hung up first by %q", r.AnsweredBy, r.HungUpClerk)
				}
			}),
		},
		{
			rule: "P4o", name: "the DTMF fallback: ## 102 # transfers the same way",
			set: xferSet,
			steps: with(
				step{at: 5 * time.Second, ev: policy.LegKeyPressed{Leg: "c-1", Digit: "#"}},
				step{at: 5 * time.Second, ev: policy.LegKeyPressed{Leg: "c-1", Digit: "#"}},
				step{at: 6 * time.Second, ev: policy.LegKeyPressed{Leg: "c-1", Digit: "1"}, deadline: 16 * time.Second},
				step{at: 6 * time.Second, ev: policy.LegKeyPressed{Leg: "c-1", Digit: "0"}},
				step{at: 7 * time.Second, ev: policy.LegKeyPressed{Leg: "c-1", Digit: "2"}},
				step{at: 7 * time.Second, ev: policy.LegKeyPressed{Leg: "c-1", Digit: "#"}, want: "resolve-transfer:c-1/102", deadline: -1},
				step{at: 7 * time.Second, ev: toPiotr(0).ev, want: "hangup:c-1/normal moh:default say(sound:transferring) save-now dial:c-2/Transfer from anowak"},
			),
		},
		{
			rule: "P4o", name: "the DTMF fallback: a pause ends the number",
			set: xferSet,
			steps: with(
				step{at: 5 * time.Second, ev: policy.LegKeyPressed{Leg: "c-1", Digit: "#"}},
				step{at: 5 * time.Second, ev: policy.LegKeyPressed{Leg: "c-1", Digit: "#"}},
				step{at: 6 * time.Second, ev: policy.LegKeyPressed{Leg: "c-1", Digit: "2"}},
				step{at: 6 * time.Second, ev: policy.LegKeyPressed{Leg: "c-1", Digit: "0"}},
				step{at: 6 * time.Second, ev: policy.LegKeyPressed{Leg: "c-1", Digit: "0"}, deadline: 16 * time.Second},
				step{at: 16 * time.Second, ev: policy.TimerFired{}, want: "resolve-transfer:c-1/200"},
			),
		},
		{
			rule: "P4o", name: "the DTMF fallback: a hold after the number does not hold up its pause",
			set: xferSet,
			steps: with(
				step{at: 5 * time.Second, ev: policy.LegKeyPressed{Leg: "c-1", Digit: "#"}},
				step{at: 5 * time.Second, ev: policy.LegKeyPressed{Leg: "c-1", Digit: "#"}},
				step{at: 6 * time.Second, ev: policy.LegKeyPressed{Leg: "c-1", Digit: "2"}, deadline: 16 * time.Second},
				step{at: 7 * time.Second, ev: policy.LegHeld{Leg: "c-1"}, deadline: 10 * time.Second},
				step{at: 10 * time.Second, ev: policy.TimerFired{}, want: "say(sound:patience)", deadline: 16 * time.Second},
				step{at: 16 * time.Second, ev: policy.TimerFired{}, want: "resolve-transfer:c-1/2", deadline: 40 * time.Second},
			),
		},
		{
			rule: "P4o", name: "the DTMF fallback: a number keyed on hold ends with its pause after the resume",
			set: xferSet,
			steps: with(
				step{at: 5 * time.Second, ev: policy.LegHeld{Leg: "c-1"}, deadline: 8 * time.Second},
				step{at: 6 * time.Second, ev: policy.LegKeyPressed{Leg: "c-1", Digit: "#"}},
				step{at: 6 * time.Second, ev: policy.LegKeyPressed{Leg: "c-1", Digit: "#"}},
				step{at: 7 * time.Second, ev: policy.LegKeyPressed{Leg: "c-1", Digit: "2"}, deadline: 8 * time.Second},
				step{at: 8 * time.Second, ev: policy.TimerFired{}, want: "say(sound:patience)", deadline: 17 * time.Second},
				step{at: 9 * time.Second, ev: policy.LegUnheld{Leg: "c-1"}, want: "stop", deadline: 17 * time.Second},
				step{at: 17 * time.Second, ev: policy.TimerFired{}, want: "resolve-transfer:c-1/2", deadline: -1},
			),
		},
		{
			rule: "P5.3", name: "the DTMF fallback leaves the flag key alone",
			set: xferSet,
			steps: with(
				step{at: 5 * time.Second, ev: policy.LegKeyPressed{Leg: "c-1", Digit: "#"}},
				step{at: 5 * time.Second, ev: policy.LegKeyPressed{Leg: "c-1", Digit: "*"}, want: "save flag:48600100200"},
				step{at: 6 * time.Second, ev: policy.LegKeyPressed{Leg: "c-1", Digit: "*"}, want: ""},
			),
		},
		{
			rule: "P4o", name: "the caller has special needs: the target is told",
			arrival: needy,
			steps: with(step{at: 10 * time.Second, ev: toPiotr(0, "L1", "L2").ev, want: strings.Replace(transferStarts, "dial:c-2/", "dial:c-2/SN ", 1)},
				step{at: 14 * time.Second, ev: policy.LegAnswered{Leg: "c-2"}, want: whisperToPiotr[:len(whisperToPiotr)-1] + ",sound:wneeds)"},
			),
		},
		{
			rule: "P4o", name: "nobody takes the transfer: the transferring clerk is rung back, told, and connected again",
			steps: with(transfer,
				step{at: 10 * time.Second, ev: policy.LegRinging{Leg: "c-2"}},
				step{at: 25 * time.Second, ev: policy.TimerFired{}, want: "hangup:c-2/no_answer save-now dial:c-3/Transfer back"},
				step{at: 27 * time.Second, ev: policy.LegAnswered{Leg: "c-3"}, want: "sayleg:c-3(sound:xferback)"},
				step{at: 30 * time.Second, ev: policy.PlaybackDone{Playback: "c-whisper2"}, want: "stop moh-stop add:c-3 save"},
			),
			check: wantWaits("xfer:anowak>clerk/pwisniewski@10s/back"),
		},
		{
			rule: "P4o", name: "nobody at all: the caller is told and called back by the target",
			steps: with(transfer,
				step{at: 12 * time.Second, ev: policy.LegFailed{Leg: "c-2", Result: "busy"}, want: "hangup:c-2/normal save-now dial:c-3/Transfer back"},
				step{at: 13 * time.Second, ev: policy.LegFailed{Leg: "c-3", Result: "unavailable"}, want: "hangup:c-3/normal stop moh-stop task:missed/48600100200/p0 play:vm-nobodyavail"},
				step{at: 15 * time.Second, ev: policy.PlaybackDone{Playback: "c-closing"}, want: "hangup-caller save finish"},
			),
			check: wantWaits("xfer:anowak>clerk/pwisniewski@10s/back", func(t *testing.T, r callcare.CallRecord, acts []policy.Action) {
				for _, a := range acts {
					if ct, ok := a.(policy.CreateTask); ok && ct.Task.Target.ID != "pwisniewski" {
						t.Errorf("task for %v, want the transfer's target", ct.Task.Target)
					}
				}
				if r.Outcome != callcare.OutcomeAnswered {
					t.Errorf("outcome %s", r.Outcome)
				}
			}),
		},
		{
			rule: "P4o", name: "a number that reaches nobody: the transferring clerk is rung back",
			steps: with(step{at: 10 * time.Second, ev: policy.Transferred{Leg: "c-1", To: "999", Locals: []string{"L1", "L2"}},
				want: "hangup:L1/normal hangup:L2/normal hangup:c-1/normal moh:default say(sound:transferring) save-now dial:c-2/Transfer back"}),
			check: wantWaits("xfer:anowak>/@10s/back"),
		},
		{
			rule: "P4o", name: "the target hangs up during the whisper: as if nobody answered",
			steps: with(transfer,
				step{at: 14 * time.Second, ev: policy.LegAnswered{Leg: "c-2"}, want: whisperToPiotr},
				step{at: 15 * time.Second, ev: policy.LegGone{Leg: "c-2"}, want: "save-now dial:c-3/Transfer back"},
			),
		},
		{
			rule: "P4p", name: "the target holds during the whisper: the caller waits with requests for patience, connected after the resume",
			steps: with(transfer,
				step{at: 11 * time.Second, ev: policy.LegRinging{Leg: "c-2"}},
				step{at: 12 * time.Second, ev: policy.PlaybackDone{Playback: "c-xfer1"}},
				step{at: 14 * time.Second, ev: policy.LegAnswered{Leg: "c-2"}, want: whisperToPiotr},
				step{at: 15 * time.Second, ev: policy.LegHeld{Leg: "c-2"}, want: "", deadline: 45 * time.Second},
				step{at: 45 * time.Second, ev: policy.TimerFired{}, want: "say(sound:xferwait)", deadline: 75 * time.Second},
				step{at: 50 * time.Second, ev: policy.PlaybackDone{Playback: "c-xfer3"}},
				step{at: 60 * time.Second, ev: policy.LegUnheld{Leg: "c-2"}, want: "", deadline: 180 * time.Second}, // the whisper goes on
				step{at: 62 * time.Second, ev: policy.PlaybackDone{Playback: "c-whisper2"}, want: "moh-stop add:c-2 save", deadline: -1},
			),
		},
		{
			rule: "P4p", name: "the whisper ends while the target holds: connected only at the resume",
			steps: with(transfer,
				step{at: 11 * time.Second, ev: policy.LegRinging{Leg: "c-2"}},
				step{at: 14 * time.Second, ev: policy.LegAnswered{Leg: "c-2"}, want: whisperToPiotr},
				step{at: 15 * time.Second, ev: policy.LegHeld{Leg: "c-2"}},
				step{at: 18 * time.Second, ev: policy.PlaybackDone{Playback: "c-whisper2"}, want: ""},
				step{at: 20 * time.Second, ev: policy.LegUnheld{Leg: "c-2"}, want: "stop moh-stop add:c-2 save", deadline: -1},
			),
		},
		{
			rule: "P4p", name: "the target holds past the callback offer's time: taken as not answering, the transfer goes on",
			steps: with(transfer,
				step{at: 11 * time.Second, ev: policy.LegRinging{Leg: "c-2"}},
				step{at: 12 * time.Second, ev: policy.PlaybackDone{Playback: "c-xfer1"}},
				step{at: 14 * time.Second, ev: policy.LegAnswered{Leg: "c-2"}, want: whisperToPiotr},
				step{at: 15 * time.Second, ev: policy.LegHeld{Leg: "c-2"}, deadline: 45 * time.Second},
				step{at: 45 * time.Second, ev: policy.TimerFired{}, want: "say(sound:xferwait)", deadline: 75 * time.Second},
				step{at: 75 * time.Second, ev: policy.TimerFired{}, want: "stop say(sound:xferwait)", deadline: 105 * time.Second},
				step{at: 105 * time.Second, ev: policy.TimerFired{}, want: "stop say(sound:xferwait)", deadline: 135 * time.Second},
				step{at: 135 * time.Second, ev: policy.TimerFired{}, want: "stop hangup:c-2/no_answer save-now dial:c-3/Transfer back"},
			),
			check: func(t *testing.T, r callcare.CallRecord, _ []policy.Action) {
				if len(r.Attempts) != 3 || r.Attempts[1].Result != "noanswer" {
					t.Errorf("attempts %+v: want Piotr's as not answered, then Anna rung back", r.Attempts)
				}
			},
		},
		{
			rule: "P4o", name: "the caller hangs up during the whisper",
			steps: with(transfer,
				step{at: 14 * time.Second, ev: policy.LegAnswered{Leg: "c-2"}, want: whisperToPiotr},
				step{at: 15 * time.Second, ev: policy.CallerGone{}, want: "stop hangup:c-2/normal save finish"},
			),
			check: func(t *testing.T, r callcare.CallRecord, _ []policy.Action) {
				if r.Outcome != callcare.OutcomeAnswered || r.HungUpBy != callcare.PartyCaller {
					t.Errorf("outcome %s, hung up by %s", r.Outcome, r.HungUpBy)
				}
			},
		},
		{
			rule: "P4o", name: "the caller hangs up while the transfer rings",
			steps: with(transfer,
				step{at: 12 * time.Second, ev: policy.CallerGone{}, want: "hangup:c-2/normal save finish"},
			),
		},
		{
			rule: "P4p", name: "a long transfer: the caller hears a request for patience at every interval",
			arrival: arrival([]callcare.Clerk{anna}),
			steps: with(
				step{at: 10 * time.Second, ev: policy.Transferred{Leg: "c-1", To: "200", Found: true, Locals: []string{"L1", "L2"},
					Target: callcare.Target{Kind: callcare.TargetDepartment, ID: "200"},
					Steps:  []callcare.Step{{Clerks: []callcare.Clerk{piotr}}, {Clerks: []callcare.Clerk{ewa}}}},
					want: transferStarts, deadline: 40 * time.Second},
				step{at: 10 * time.Second, ev: policy.LegRinging{Leg: "c-2"}, deadline: 25 * time.Second},
				step{at: 25 * time.Second, ev: policy.TimerFired{}, want: "hangup:c-2/no_answer dial:c-3/Transfer from anowak", deadline: 40 * time.Second},
				step{at: 26 * time.Second, ev: policy.LegRinging{Leg: "c-3"}, deadline: 40 * time.Second},
				step{at: 40 * time.Second, ev: policy.TimerFired{}, want: "stop say(sound:xferwait)", deadline: 41 * time.Second},
				step{at: 41 * time.Second, ev: policy.TimerFired{}, want: "hangup:c-3/no_answer save-now dial:c-4/Transfer back", deadline: 70 * time.Second},
			),
		},
		{
			rule: "P4o", name: "the phone's own key, Asterisk's ;1 first: the same call record as ;2 first",
			steps: with(
				step{at: 10 * time.Second, ev: policy.LegReplaced{Leg: "c-1", By: "L1"}, want: "hangup:c-1/normal save"},
				step{at: 10 * time.Second, ev: policy.Transferred{Leg: "L1", To: "102", Found: true,
					Target: callcare.Target{Kind: callcare.TargetClerk, ID: "pwisniewski"},
					Steps:  []callcare.Step{{Clerks: []callcare.Clerk{piotr}}},
					Locals: []string{"L2", "L1"}},
					want: "hangup:L2/normal hangup:L1/normal moh:default say(sound:transferring) save-now dial:c-3/Transfer from anowak", deadline: 40 * time.Second},
			),
			check: wantWaits("xfer:anowak>clerk/pwisniewski@10s", func(t *testing.T, r callcare.CallRecord, _ []policy.Action) {
				if len(r.Attempts) != 2 || r.Attempts[0].Clerk != "anowak" || r.Attempts[1].Clerk != "pwisniewski" || r.Attempts[1].TransferredBy != "anowak" {
					t.Errorf("attempts %+v: want Anna, then Piotr by her transfer", r.Attempts)
				}
			}),
		},
		{
			rule: "P4o", name: "transferred outside the service: the caller goes on through Asterisk's Local channel",
			steps: with(
				step{at: 10 * time.Second, ev: policy.LegReplaced{Leg: "c-1", By: "L1"}, want: "hangup:c-1/normal save"},
				step{at: 60 * time.Second, ev: policy.LegGone{Leg: "L1"}, want: "play:vm-goodbye"},
			),
			check: wantWaits("xfer:anowak>/@10s", func(t *testing.T, r callcare.CallRecord, _ []policy.Action) {
				if r.HungUpClerk != "" || r.Attempts[1].TransferredBy != "anowak" {
					t.Errorf("hung up clerk %q, attempts %+v", r.HungUpClerk, r.Attempts)
				}
			}),
		},
	} {
		tc.run(t)
	}
}

// TestTransfer_HoldInWhisperLinkDrop (P4p): the link drops while the
// transfer's target holds, the whisper over. Asterisk cannot be asked
// whether a phone holds, and the resume may have been lost with the link:
// back, the target is taken as resumed and the caller connected, rather
// than kept waiting on a target who took the call. (The bound of P4p is
// not checked here: while the link is down nothing can be said.)
func TestTransfer_HoldInWhisperLinkDrop(t *testing.T) {
	call, _ := policy.Start(arrival([]callcare.Clerk{anna}), inboundSet, t0)
	transfer := toPiotr(10*time.Second, "L1", "L2")
	transfer.want = transferStarts
	stepThrough(t, call, []step{
		{at: 0, ev: policy.LegRinging{Leg: "c-1"}},
		{at: 2 * time.Second, ev: policy.LegAnswered{Leg: "c-1"}, want: "connect:c-1 save close-tasks:48600100200"},
		transfer,
		{at: 11 * time.Second, ev: policy.LegRinging{Leg: "c-2"}},
		{at: 14 * time.Second, ev: policy.LegAnswered{Leg: "c-2"}, want: whisperToPiotr},
		{at: 15 * time.Second, ev: policy.LegHeld{Leg: "c-2"}},
		{at: 18 * time.Second, ev: policy.PlaybackDone{Playback: "c-whisper2"}},
		{at: 20 * time.Second, ev: policy.LinkLost{}},
		{at: 25 * time.Second, ev: policy.LinkBack{}, want: "resync:c-2 stop moh-stop add:c-2 save", deadline: -1},
	}, brief, func(int, step) {})
}
