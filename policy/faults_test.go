package policy_test

import (
	"slices"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

// TestInboundFaults: what a call does when Asterisk or the shell fails it,
// and what it records.
func TestInboundFaults(t *testing.T) {
	for _, tc := range []struct {
		rule, name string
		steps      []step
		outcome    callcare.Outcome
		hungUpBy   callcare.Party
		check      func(t *testing.T, r callcare.CallRecord)
	}{
		{
			rule: "P4a", name: "rings are counted from Asterisk's time of the RINGING, however late it came",
			steps: []step{
				{at: 2500 * time.Millisecond, ev: policy.LegRinging{Leg: "c-1", At: at(500 * time.Millisecond)}, deadline: 15500 * time.Millisecond},
				{at: 15500 * time.Millisecond, ev: policy.TimerFired{}, want: "hangup:c-1/no_answer early(sound:overflowing,tone:ring;tonezone=pl) dial:c-2/Overflow from anowak"},
			},
			check: func(t *testing.T, r callcare.CallRecord) {
				if a := r.Attempts[0]; !a.RingingAt.Equal(at(500*time.Millisecond)) || a.Rings != 3 {
					t.Errorf("first attempt rang at %s, %d rings; want at 0.5 s, 3 rings", a.RingingAt.Sub(t0), a.Rings)
				}
			},
		},
		{
			rule: "P4a", name: "the ring a clerk answered on is counted by Asterisk's time of the answer",
			steps: []step{
				{at: 2500 * time.Millisecond, ev: policy.LegRinging{Leg: "c-1", At: at(500 * time.Millisecond)}},
				{at: 9 * time.Second, ev: policy.LegAnswered{Leg: "c-1", At: at(5 * time.Second)}, want: "connect:c-1 save close-tasks:48600100200"},
			},
			outcome: callcare.OutcomeAnswered,
			check: func(t *testing.T, r callcare.CallRecord) {
				if r.AnsweredRing != 1 || !r.AnsweredAt.Equal(at(5*time.Second)) {
					t.Errorf("answered on ring %d at %s; want ring 1 at 5 s", r.AnsweredRing, r.AnsweredAt.Sub(t0))
				}
			},
		},
		{
			rule: "P4a", name: "a RINGING stamped in the future is counted from now",
			steps: []step{
				{at: time.Second, ev: policy.LegRinging{Leg: "c-1", At: at(time.Hour)}, deadline: 16 * time.Second},
			},
		},
		{
			rule: "P4p", name: "a call the shell cannot carry on goes to the fallback, with a task",
			steps: []step{
				{at: time.Second, ev: policy.LegRinging{Leg: "c-1"}},
				{at: 2 * time.Second, ev: policy.Stuck{Why: "refused"}, want: "hangup:c-1/normal task:missed/48600100200/p0 fallback:101 save finish", deadline: -1},
				{at: 3 * time.Second, ev: policy.CallerGone{}, want: ""},
			},
			outcome: callcare.OutcomeFallback, hungUpBy: callcare.PartyService,
			check: func(t *testing.T, r callcare.CallRecord) {
				if r.Attempts[0].Result != "cancelled" || r.EndedAt.IsZero() {
					t.Errorf("record %+v", r)
				}
			},
		},
		{
			rule: "P4p", name: "a clerk who answered but could not be bridged: the caller goes to the fallback",
			steps: []step{
				{at: time.Second, ev: policy.LegAnswered{Leg: "c-1"}, want: "connect:c-1 save close-tasks:48600100200"},
				{at: 2 * time.Second, ev: policy.Stuck{Why: "bridge refused"}, want: "hangup:c-1/normal task:missed/48600100200/p0 fallback:101 save finish"},
			},
			outcome: callcare.OutcomeFallback,
		},
		{
			rule: "P4l", name: "a last message that cannot be played is skipped",
			steps: []step{
				{at: time.Second, ev: policy.LegAnswered{Leg: "c-1"}, want: "connect:c-1 save close-tasks:48600100200"},
				{at: time.Minute, ev: policy.LegGone{Leg: "c-1"}, want: "play:vm-goodbye"},
				{at: time.Minute, ev: policy.Stuck{Why: "play refused"}, want: "hangup-caller save finish"},
			},
			outcome: callcare.OutcomeAnswered, hungUpBy: callcare.PartyClerk,
		},
		{
			rule: "P4c", name: "a restart of Asterisk is recorded as the PBX ending the call",
			steps: []step{
				{at: time.Second, ev: policy.LegAnswered{Leg: "c-1"}, want: "connect:c-1 save close-tasks:48600100200"},
				{at: time.Minute, ev: policy.CallerGone{By: callcare.PartyPBX}, want: "hangup:c-1/normal save finish"},
			},
			outcome: callcare.OutcomeAnswered, hungUpBy: callcare.PartyPBX,
		},
		{
			rule: "P4c", name: "the clerk's leg ended by the PBX is not the clerk hanging up",
			steps: []step{
				{at: time.Second, ev: policy.LegAnswered{Leg: "c-1"}, want: "connect:c-1 save close-tasks:48600100200"},
				{at: time.Minute, ev: policy.LegGone{Leg: "c-1", By: callcare.PartyPBX}, want: "play:vm-goodbye"},
			},
			hungUpBy: callcare.PartyPBX,
		},
		{
			rule: "P4c", name: "a caller cut off by the PBX while ringing did not give up: failed, a callback owed",
			steps: []step{
				{at: time.Second, ev: policy.CallerGone{By: callcare.PartyPBX}, want: "hangup:c-1/normal task:missed/48600100200/p0 save finish"},
			},
			outcome: callcare.OutcomeFailed, hungUpBy: callcare.PartyPBX,
		},
	} {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			call, _ := policy.Start(arrival([]callcare.Clerk{anna}, []callcare.Clerk{piotr}), inboundSet, t0)
			stepThrough(t, call, tc.steps, brief, nil)
			rec := call.Record()
			if tc.outcome != "" && rec.Outcome != tc.outcome {
				t.Errorf("outcome %q, want %q", rec.Outcome, tc.outcome)
			}
			if tc.hungUpBy != "" && rec.HungUpBy != tc.hungUpBy {
				t.Errorf("hung up by %q, want %q", rec.HungUpBy, tc.hungUpBy)
			}
			if tc.check != nil {
				tc.check(t, rec)
			}
		})
	}
}

// TestAdopt: a call found in Asterisk after a crash goes on from where it
// stood.
// TestAdopt_SecondCrash (P4p): the service crashes twice while one call
// rings. The second run stops the tone the first run's adoption restarted:
// Asterisk would hold everything behind it for ever.
func TestAdopt_SecondCrash(t *testing.T) {
	saved := callcare.CallRecord{ID: "c", CallerID: "48600100200", Dialed: "101",
		Target: callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"}, StartedAt: at(-20 * time.Second)}
	found := policy.Found{Record: saved, Legs: []policy.FoundLeg{{ID: "c-2", Clerk: "pwisniewski", Created: at(-4 * time.Second), State: "Ringing"}},
		Arrival: arrival([]callcare.Clerk{anna}, []callcare.Clerk{piotr})}
	_, first := policy.Adopt(found, inboundSet, t0)
	var tone string
	for _, a := range first {
		if e, ok := a.(policy.EarlyMedia); ok {
			tone = e.Playback
		}
	}
	_, second := policy.Adopt(found, inboundSet, t0.Add(time.Second))
	if tone == "" || !slices.Contains(second, policy.Action(policy.StopPlayback{Playback: tone})) {
		t.Errorf("the first adoption's tone %q is not stopped by the second: %s", tone, brief(second))
	}
}

func TestAdopt(t *testing.T) {
	started := at(-20 * time.Second)
	saved := callcare.CallRecord{ID: "c", CallerID: "48600100200", Dialed: "101",
		Target: callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"}, StartedAt: started}
	answered := saved
	answered.AnsweredAt, answered.AnsweredBy, answered.Outcome = at(-10*time.Second), "pwisniewski", callcare.OutcomeAnswered
	answered.Attempts = []callcare.Attempt{
		{Clerk: "anowak", DialedAt: started, RingingAt: started, EndedAt: at(-5 * time.Second), Result: "noanswer", Rings: 3},
		{Clerk: "pwisniewski", DialedAt: at(-15 * time.Second), RingingAt: at(-14 * time.Second), Result: "answered", Rings: 1},
	}
	// Anna took the call and transferred it to Ewa, whose phone rings: the
	// record as the transfer saved it.
	xferred := answered
	xferred.AnsweredBy = "anowak"
	xferred.Attempts = []callcare.Attempt{
		{Clerk: "anowak", DialedAt: started, RingingAt: started, EndedAt: at(-10 * time.Second), Result: "answered", Rings: 2},
		{Clerk: "ezielinska", Via: callcare.Target{Kind: callcare.TargetClerk, ID: "ezielinska"}, DialedAt: at(-10 * time.Second), TransferredBy: "anowak"},
	}
	xferred.Transfers = []callcare.Transfer{{By: "anowak", To: callcare.Target{Kind: callcare.TargetClerk, ID: "ezielinska"}, At: at(-10 * time.Second)}}
	toEwa := policy.FoundTransfer{By: anna, Steps: []callcare.Step{{Clerks: []callcare.Clerk{ewa}, Via: xferred.Transfers[0].To}}}
	ewaRings := []policy.FoundLeg{{ID: "c-2", Clerk: "ezielinska", Created: at(-10 * time.Second), State: "Ringing"}}
	cameBack := xferred
	cameBack.Attempts = append(slices.Clone(xferred.Attempts[:1]),
		callcare.Attempt{Clerk: "ezielinska", Via: xferred.Transfers[0].To, DialedAt: at(-10 * time.Second), RingingAt: at(-10 * time.Second),
			EndedAt: at(-4 * time.Second), Result: "busy", TransferredBy: "anowak"},
		callcare.Attempt{Clerk: "anowak", Via: callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"}, DialedAt: at(-4 * time.Second)})
	cameBack.Transfers = []callcare.Transfer{{By: "anowak", To: xferred.Transfers[0].To, At: at(-10 * time.Second), CameBack: true}}
	// Not charged to Anna (P4l), nor dropped: the one who took it, or a
	// callback of the target.
	notAnna := func(t *testing.T, r callcare.CallRecord) {
		t.Helper()
		if r.HungUpClerk == "anowak" || len(r.Transfers) != 1 {
			t.Errorf("record %+v: want the transfer kept, and Anna not counted as hanging up on the caller", r)
		}
	}
	ewaOwes := func(t *testing.T, r callcare.CallRecord, acts []policy.Action) {
		t.Helper()
		notAnna(t, r)
		for _, a := range acts {
			if ct, ok := a.(policy.CreateTask); ok && ct.Task.Target.ID == "ezielinska" {
				return
			}
		}
		t.Errorf("no callback task of Ewa's: %s", brief(acts))
	}
	for _, tc := range []struct {
		rule, name string
		found      policy.Found
		start      string
		steps      []step
		outcome    callcare.Outcome
		hungUpBy   callcare.Party
		check      func(t *testing.T, r callcare.CallRecord, acts []policy.Action)
	}{
		{
			rule: "P4a", name: "ringing goes on: the count from the leg's creation",
			found: policy.Found{Record: saved, Legs: []policy.FoundLeg{{ID: "c-1", Clerk: "anowak", Created: at(-8 * time.Second), State: "Ringing"}}},
			steps: []step{
				{at: 0, ev: policy.TimerFired{}, want: "", deadline: 7 * time.Second},
				{at: 7 * time.Second, ev: policy.TimerFired{}, want: "hangup:c-1/no_answer early(sound:overflowing,tone:ring;tonezone=pl) dial:c-2/Overflow from anowak"},
				{at: 8 * time.Second, ev: policy.LegAnswered{Leg: "c-2"}, want: "stop connect:c-2 save close-tasks:48600100200"},
			},
			outcome: callcare.OutcomeAnswered,
			check: func(t *testing.T, r callcare.CallRecord, _ []policy.Action) {
				if r.StartedAt != started || len(r.Attempts) != 2 || r.Attempts[0].Rings != 3 || r.AnsweredBy != "pwisniewski" {
					t.Errorf("record %+v", r)
				}
			},
		},
		{
			rule: "P4p", name: "adopted after an overflow: the dead run's tone is stopped and plays afresh, so nothing waits behind it",
			found: policy.Found{Record: saved, Legs: []policy.FoundLeg{{ID: "c-2", Clerk: "pwisniewski", Created: at(-4 * time.Second), State: "Ringing"}}},
			start: "stop stop stop stop stop stop stop stop early(tone:ring;tonezone=pl)",
			steps: []step{
				{at: time.Second, ev: policy.LegAnswered{Leg: "c-2"}, want: "stop connect:c-2 save close-tasks:48600100200"},
			},
			outcome: callcare.OutcomeAnswered,
		},
		{
			rule: "P4a", name: "handed over by the menu: its tone is stopped, so the clerk who answers is connected at once",
			found: policy.Found{Record: saved, HandedOver: true, Legs: []policy.FoundLeg{{ID: "c-1", Clerk: "anowak", Created: at(-5 * time.Second), State: "Ringing"}}},
			start: "stop stop stop stop stop stop stop stop stop early(tone:ring;tonezone=pl)",
			steps: []step{
				{at: time.Second, ev: policy.LegAnswered{Leg: "c-1"}, want: "stop connect:c-1 save close-tasks:48600100200"},
				{at: time.Minute, ev: policy.LegGone{Leg: "c-1"}, want: "play:vm-goodbye"},
				{at: time.Minute + time.Second, ev: policy.PlaybackDone{Playback: "c-closing"}, want: "hangup-caller save finish"},
			},
			outcome: callcare.OutcomeAnswered, hungUpBy: callcare.PartyClerk,
			check: func(t *testing.T, r callcare.CallRecord, acts []policy.Action) {
				if !slices.Contains(stopped(acts), "c-connecting") {
					t.Errorf("stopped %v: not the menu's tone, which would hold the bridge and the goodbye for ever", stopped(acts))
				}
				if r.RingsHeard != 2 || r.AnsweredBy != "anowak" {
					t.Errorf("record %+v: want 2 rings heard, counted from the hand-over's leg, not the menu's start", r)
				}
			},
		},
		{
			rule: "P4p", name: "handed over by the menu, nobody ringing any more: its tone is stopped before the fallback",
			found:   policy.Found{Record: saved, HandedOver: true},
			start:   "stop stop stop stop stop stop stop stop stop task:missed/48600100200/p0 fallback:101 save finish",
			outcome: callcare.OutcomeFallback,
			check: func(t *testing.T, _ callcare.CallRecord, acts []policy.Action) {
				if !slices.Contains(stopped(acts), "c-connecting") {
					t.Errorf("stopped %v: not the menu's tone, which would hold the fallback for ever", stopped(acts))
				}
			},
		},
		{
			rule: "P4o", name: "a transfer's target rings on, hears who transfers when it answers, and is connected",
			found: policy.Found{Record: xferred, Transfer: toEwa, Legs: ewaRings},
			start: "say(sound:xferwait)",
			steps: []step{
				{at: time.Second, ev: policy.LegAnswered{Leg: "c-2"}, want: "sayleg:c-2(sound:wfrom,sound:digits/1,sound:digits/0,sound:digits/1," +
					"sound:wcaller,sound:digits/6,sound:digits/0,sound:digits/0,sound:digits/1,sound:digits/0,sound:digits/0,sound:digits/2,sound:digits/0,sound:digits/0)"},
				{at: 4 * time.Second, ev: policy.PlaybackDone{Playback: "c-whisper5"}, want: "stop moh-stop add:c-2 save"},
				{at: time.Minute, ev: policy.LegGone{Leg: "c-2"}, want: "play:vm-goodbye"},
				{at: time.Minute + time.Second, ev: policy.PlaybackDone{Playback: "c-closing"}, want: "hangup-caller save finish"},
			},
			outcome: callcare.OutcomeAnswered, hungUpBy: callcare.PartyClerk,
			check: func(t *testing.T, r callcare.CallRecord, _ []policy.Action) {
				notAnna(t, r)
				if e := r.Attempts[1]; e.Clerk != "ezielinska" || e.Result != "answered" || e.TransferredBy != "anowak" || r.HungUpClerk != "ezielinska" || len(r.Attempts) != 2 {
					t.Errorf("attempts %+v, hung up first by %q: want Ewa's, by Anna's transfer, answered, and Ewa's hang-up counted", r.Attempts, r.HungUpClerk)
				}
			},
		},
		{
			rule: "P4o", name: "a transfer's target answered while nobody watched: connected at once",
			found:   policy.Found{Record: xferred, Transfer: toEwa, Legs: []policy.FoundLeg{{ID: "c-2", Clerk: "ezielinska", Created: at(-10 * time.Second), State: "Up"}}},
			start:   "moh-stop add:c-2 save",
			steps:   []step{{at: time.Minute, ev: policy.CallerGone{}, want: "hangup:c-2/normal save finish"}},
			outcome: callcare.OutcomeAnswered, hungUpBy: callcare.PartyCaller,
			check: func(t *testing.T, r callcare.CallRecord, _ []policy.Action) {
				notAnna(t, r)
				if e := r.Attempts[1]; e.Result != "answered" || e.Rings < 2 {
					t.Errorf("Ewa's attempt %+v: want answered, its rings counted from the leg's creation", e)
				}
			},
		},
		{
			rule: "P4o", name: "nobody of the target answers: the transferring clerk is rung back, then the target owes a callback",
			found: policy.Found{Record: xferred, Transfer: toEwa, Legs: ewaRings},
			start: "say(sound:xferwait)",
			steps: []step{
				{at: 5 * time.Second, ev: policy.TimerFired{}, want: "hangup:c-2/no_answer save-now dial:c-3/Transfer back"},
				{at: 6 * time.Second, ev: policy.LegFailed{Leg: "c-3", Result: "unavailable"}, want: "hangup:c-3/normal stop moh-stop task:missed/48600100200/p0 play:vm-nobodyavail"},
				{at: 7 * time.Second, ev: policy.PlaybackDone{Playback: "c-closing"}, want: "hangup-caller save finish"},
			},
			outcome: callcare.OutcomeAnswered, hungUpBy: callcare.PartyService,
			check: ewaOwes,
		},
		{
			rule: "P4o", name: "nobody of the transfer rings any more: the transferring clerk is rung back",
			found: policy.Found{Record: xferred, Transfer: toEwa},
			start: "say(sound:xferwait) save-now dial:c-3/Transfer back",
			steps: []step{
				{at: 2 * time.Second, ev: policy.LegAnswered{Leg: "c-3"}, want: "sayleg:c-3(sound:xferback)"},
				{at: 4 * time.Second, ev: policy.PlaybackDone{Playback: "c-whisper5"}, want: "stop moh-stop add:c-3 save"},
			},
			check: func(t *testing.T, r callcare.CallRecord, _ []policy.Action) {
				if len(r.Transfers) != 1 || !r.Transfers[0].CameBack || r.Attempts[len(r.Attempts)-1].Clerk != "anowak" {
					t.Errorf("record %+v: want the transfer back to Anna", r)
				}
			},
		},
		{
			rule: "P4o", name: "the transferring clerk rung back does not answer: the target owes a callback",
			found: policy.Found{Record: cameBack, Transfer: toEwa, Legs: []policy.FoundLeg{{ID: "c-3", Clerk: "anowak", Created: at(-4 * time.Second), State: "Ringing"}}},
			start: "say(sound:xferwait)",
			steps: []step{
				{at: 11 * time.Second, ev: policy.TimerFired{}, want: "hangup:c-3/no_answer stop moh-stop task:missed/48600100200/p0 play:vm-nobodyavail"},
			},
			check: ewaOwes,
		},
		{
			rule: "P4o", name: "rung back, and the transferring clerk's leg gone meanwhile: the target owes a callback",
			found:   policy.Found{Record: cameBack, Transfer: toEwa},
			start:   "moh-stop task:missed/48600100200/p0 play:vm-nobodyavail",
			check:   ewaOwes,
			outcome: callcare.OutcomeAnswered,
		},
		{
			rule: "P4l", name: "talking with the transfer's target: watched, its hang-up counted against it",
			found: policy.Found{Record: func() callcare.CallRecord {
				r := xferred
				r.Attempts = slices.Clone(r.Attempts)
				r.Attempts[1].Result = "answered"
				return r
			}(), Transfer: toEwa, Bridged: "c-2", Legs: []policy.FoundLeg{{ID: "c-2", Clerk: "ezielinska", Created: at(-10 * time.Second), State: "Up"}}},
			steps:   []step{{at: time.Minute, ev: policy.LegGone{Leg: "c-2"}, want: "play:vm-goodbye"}},
			outcome: callcare.OutcomeAnswered, hungUpBy: callcare.PartyClerk,
			check: func(t *testing.T, r callcare.CallRecord, _ []policy.Action) {
				if r.HungUpClerk != "ezielinska" {
					t.Errorf("hung up first by %q, want Ewa", r.HungUpClerk)
				}
			},
		},
		{
			rule: "P4a", name: "a ring count already past moves on at the first timer",
			found: policy.Found{Record: saved, Legs: []policy.FoundLeg{{ID: "c-1", Clerk: "anowak", Created: at(-18 * time.Second), State: "Ringing"}}},
			steps: []step{
				{at: 0, ev: policy.TimerFired{}, want: "hangup:c-1/no_answer early(sound:overflowing,tone:ring;tonezone=pl) dial:c-2/Overflow from anowak"},
			},
		},
		{
			rule: "P4a", name: "new legs never take an earlier run's number",
			found: policy.Found{Record: saved, Legs: []policy.FoundLeg{{ID: "c-3", Clerk: "anowak", Created: at(-time.Second), State: "Ringing"}}},
			steps: []step{
				{at: 14 * time.Second, ev: policy.TimerFired{}, want: "hangup:c-3/no_answer early(sound:overflowing,tone:ring;tonezone=pl) dial:c-4/Overflow from anowak"},
			},
		},
		{
			rule: "P4p", name: "a leg that never rang (a busy phone) is not waited for",
			found:   policy.Found{Record: saved, Legs: []policy.FoundLeg{{ID: "c-1", Clerk: "anowak", Created: at(-6 * time.Second), State: "Down"}}},
			start:   "hangup:c-1/normal stop stop stop stop stop stop stop stop task:missed/48600100200/p0 fallback:101 save finish",
			outcome: callcare.OutcomeFallback,
		},
		{
			rule: "P4a", name: "a clerk who answered while nobody watched is connected at once",
			found: policy.Found{Record: saved, Legs: []policy.FoundLeg{{ID: "c-1", Clerk: "anowak", Created: at(-5 * time.Second), State: "Up"}}},
			start: "connect:c-1 save close-tasks:48600100200",
			steps: []step{
				{at: time.Minute, ev: policy.CallerGone{}, want: "hangup:c-1/normal save finish"},
			},
			outcome: callcare.OutcomeAnswered, hungUpBy: callcare.PartyCaller,
			check: func(t *testing.T, r callcare.CallRecord, _ []policy.Action) {
				// Rung 5 s before the service saw it: not 0 rings, which the
				// report would take for an answer within the rings.
				if a := r.Attempts[0]; a.Rings < 1 || a.RingingAt.IsZero() {
					t.Errorf("attempt %+v: want its rings counted from the leg's creation", a)
				}
			},
		},
		{
			rule: "P4l", name: "a conversation is watched; the clerk hangs up, the caller hears goodbye",
			found: policy.Found{Record: answered, Bridged: "c-2", Legs: []policy.FoundLeg{{ID: "c-2", Clerk: "pwisniewski", Created: at(-15 * time.Second), State: "Up"}}},
			steps: []step{
				{at: time.Minute, ev: policy.LegGone{Leg: "c-2"}, want: "play:vm-goodbye"},
				{at: time.Minute + time.Second, ev: policy.PlaybackDone{Playback: "c-closing"}, want: "hangup-caller save finish"},
			},
			outcome: callcare.OutcomeAnswered, hungUpBy: callcare.PartyClerk,
			check: func(t *testing.T, r callcare.CallRecord, _ []policy.Action) {
				if r.AnsweredBy != "pwisniewski" || !r.AnsweredAt.Equal(answered.AnsweredAt) || len(r.Attempts) != 2 ||
					r.Attempts[1].EndedAt.IsZero() || r.Attempts[1].Result != "answered" {
					t.Errorf("record %+v; want the two attempts it had, the answered one ended", r)
				}
			},
		},
		{
			rule: "P4l", name: "a caller left alone after the clerk hung up hears goodbye",
			found: policy.Found{Record: answered},
			start: "play:vm-goodbye",
			steps: []step{
				{at: time.Second, ev: policy.PlaybackDone{Playback: "c-closing"}, want: "hangup-caller save finish"},
			},
			outcome: callcare.OutcomeAnswered, hungUpBy: callcare.PartyClerk,
			check: func(t *testing.T, r callcare.CallRecord, _ []policy.Action) {
				if r.HungUpClerk != "pwisniewski" {
					t.Errorf("hung up first by %q, want the clerk the caller talked with, counted against him (P4l)", r.HungUpClerk)
				}
			},
		},
		{
			rule: "P4p", name: "a call whose end was refused is ended as its record says",
			found: policy.Found{Record: func() callcare.CallRecord {
				r := saved
				r.Outcome, r.EndedAt = callcare.OutcomeMissed, at(-time.Second)
				return r
			}(), Legs: []policy.FoundLeg{{ID: "c-2", Clerk: "pwisniewski", State: "Ringing"}}},
			start:   "hangup:c-2/normal hangup-caller finish",
			outcome: callcare.OutcomeMissed,
		},
		{
			rule: "P4p", name: "a call handed to the fallback that did not leave is handed again",
			found: policy.Found{Record: func() callcare.CallRecord {
				r := saved
				r.Outcome, r.EndedAt = callcare.OutcomeFallback, at(-time.Second)
				return r
			}()},
			start:   "fallback:101 finish",
			outcome: callcare.OutcomeFallback,
		},
		{
			rule: "P4p", name: "a caller nobody was ringing goes to the fallback, recorded so, whatever tone the dead run played stopped first",
			found:   policy.Found{Record: saved},
			start:   "stop stop stop stop stop stop stop stop task:missed/48600100200/p0 fallback:101 save finish",
			outcome: callcare.OutcomeFallback, hungUpBy: callcare.PartyService,
			check: func(t *testing.T, _ callcare.CallRecord, acts []policy.Action) {
				// It may have overflowed: Asterisk would hold the fallback
				// behind the overflow's tone for ever.
				if ids := stopped(acts); !slices.Contains(ids, "c-overflow") || !slices.Contains(ids, "c-tone1") {
					t.Errorf("stopped %v: want the overflow's tones", ids)
				}
			},
		},
		{
			rule: "P4l", name: "talking: another leg of the step still ringing is hung up, its attempt cancelled",
			found: policy.Found{Record: saved, Arrival: arrival([]callcare.Clerk{anna, ewa}, []callcare.Clerk{piotr}), Bridged: "c-1", Legs: []policy.FoundLeg{
				{ID: "c-1", Clerk: "anowak", Created: at(-8 * time.Second), State: "Up"},
				{ID: "c-2", Clerk: "ezielinska", Created: at(-8 * time.Second), State: "Ringing"},
			}},
			start:   "hangup:c-2/normal save",
			outcome: callcare.OutcomeAnswered,
			check: func(t *testing.T, r callcare.CallRecord, _ []policy.Action) {
				if len(r.Attempts) != 2 || r.Attempts[1].Clerk != "ezielinska" || r.Attempts[1].Result != "cancelled" || r.Attempts[1].EndedAt != t0 || r.AnsweredBy != "anowak" {
					t.Errorf("record %+v: want Anna's answer, Ewa's ring cancelled", r)
				}
			},
		},
		{
			rule: "P4a", name: "legs of two steps ring: the earlier step goes on, the later one's leg is hung up",
			found: policy.Found{Record: saved, Legs: []policy.FoundLeg{
				{ID: "c-1", Clerk: "anowak", Created: at(-8 * time.Second), State: "Ringing"},
				{ID: "c-2", Clerk: "pwisniewski", Created: at(-2 * time.Second), State: "Ringing"},
			}},
			start: "hangup:c-2/normal",
			steps: []step{
				{at: 7 * time.Second, ev: policy.TimerFired{}, want: "hangup:c-1/no_answer early(sound:overflowing,tone:ring;tonezone=pl) dial:c-3/Overflow from anowak"},
			},
		},
		{
			rule: "P4p", name: "a number that reaches nobody is told so again",
			found: policy.Found{Record: saved, Arrival: policy.Arrival{CallID: "c", Dialed: "999"}},
			start: "play:ss-noservice",
			steps: []step{
				{at: time.Second, ev: policy.PlaybackDone{Playback: "c-closing"}, want: "hangup-caller save finish"},
			},
			outcome: callcare.OutcomeUnrouted, hungUpBy: callcare.PartyService,
		},
		{
			rule: "P4p", name: "without a record, one is made from what Asterisk shows",
			found:   policy.Found{Started: started, Legs: []policy.FoundLeg{{ID: "c-1", Clerk: "nobody", State: "Ringing"}}},
			start:   "save hangup:c-1/normal stop stop stop stop stop stop stop stop task:missed/48600100200/p0 fallback:101 save finish",
			outcome: callcare.OutcomeFallback,
			check: func(t *testing.T, r callcare.CallRecord, _ []policy.Action) {
				if r.StartedAt != started || r.CallerID != "48600100200" || r.Dialed != "101" {
					t.Errorf("record %+v", r)
				}
			},
		},
	} {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			if tc.found.Arrival.CallID == "" {
				tc.found.Arrival = arrival([]callcare.Clerk{anna}, []callcare.Clerk{piotr})
			}
			call, acts := policy.Adopt(tc.found, inboundSet, t0)
			if got := brief(acts); got != tc.start {
				t.Fatalf("adopt: actions %q, want %q", got, tc.start)
			}
			checkBound(t, call, t0, "adopt")
			acts = append(acts, stepThrough(t, call, tc.steps, brief, func(i int, s step) { checkBound(t, call, at(s.at), i) })...)
			rec := call.Record()
			if tc.outcome != "" && rec.Outcome != tc.outcome {
				t.Errorf("outcome %q, want %q", rec.Outcome, tc.outcome)
			}
			if tc.hungUpBy != "" && rec.HungUpBy != tc.hungUpBy {
				t.Errorf("hung up by %q, want %q", rec.HungUpBy, tc.hungUpBy)
			}
			if tc.check != nil {
				tc.check(t, rec, acts)
			}
		})
	}
}

// stopped are the playbacks acts stop.
func stopped(acts []policy.Action) []string {
	var ids []string
	for _, a := range acts {
		if s, ok := a.(policy.StopPlayback); ok {
			ids = append(ids, s.Playback)
		}
	}
	return ids
}

// TestInterrupted: records a dead run left in progress are closed.
func TestInterrupted(t *testing.T) {
	rec := callcare.CallRecord{ID: "c", CallerID: "48600100200", Dialed: "101",
		Target: callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"}, StartedAt: t0}
	got, task := policy.Interrupted(rec, inboundSet.Rules, at(time.Minute))
	if got.Outcome != callcare.OutcomeMissed || !got.EndedAt.Equal(at(time.Minute)) || task == nil || task.CallID != "c" || task.Reason != callcare.ReasonMissed {
		t.Errorf("never answered: %+v, task %+v; want missed with a task", got, task)
	}
	rec.AnsweredAt, rec.AnsweredBy = at(5*time.Second), "anowak"
	if got, task := policy.Interrupted(rec, inboundSet.Rules, at(time.Minute)); got.Outcome != callcare.OutcomeInterrupted || task != nil {
		t.Errorf("answered: %+v, task %+v; want interrupted, no task", got, task)
	}
	rec.AnsweredAt, rec.AnsweredBy, rec.CallerID = time.Time{}, "", "anonymous"
	if got, task := policy.Interrupted(rec, inboundSet.Rules, at(time.Minute)); got.Outcome != callcare.OutcomeMissed || task != nil {
		t.Errorf("anonymous: %+v, task %+v; want missed, no task", got, task)
	}
}

// TestWatch: two parties a dead run left talking are watched: the one
// left hears goodbye (P4l).
func TestWatch(t *testing.T) {
	w := policy.StartWatch("w", "citizen", "clerk", prompts)
	if got := brief(w.Step(policy.LegGone{Leg: "clerk"}, t0)); got != "play:vm-goodbye" {
		t.Fatalf("the clerk hangs up: %q", got)
	}
	if got := brief(w.Step(policy.PlaybackDone{Playback: "w-goodbye"}, at(time.Second))); got != "hangup-caller finish" || !w.Done() {
		t.Fatalf("goodbye ends: %q, done %v", got, w.Done())
	}
	w = policy.StartWatch("w", "citizen", "clerk", prompts)
	if got := brief(w.Step(policy.CallerGone{}, t0)); got != "hangup:clerk/normal finish" {
		t.Fatalf("the citizen hangs up: %q", got)
	}
	w = policy.StartWatch("w", "citizen", "clerk", prompts)
	w.Step(policy.LegGone{Leg: "clerk"}, t0)
	if got := brief(w.Step(policy.TimerFired{}, w.Deadline())); got != "hangup-caller finish" {
		t.Fatalf("a goodbye never heard of: %q", got)
	}
}
