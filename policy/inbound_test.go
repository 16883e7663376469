package policy_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

var (
	t0   = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	proc = callcare.Procedure{AnswerWithinRings: 3, RingCycle: 5 * time.Second}

	anna  = callcare.Clerk{ID: "anowak", Endpoint: "PJSIP/101", Department: "100", Extension: "101"}
	piotr = callcare.Clerk{ID: "pwisniewski", Endpoint: "PJSIP/102", Department: "200", Extension: "102"}
	ewa   = callcare.Clerk{ID: "ezielinska", Endpoint: "PJSIP/103", Department: "200", Extension: "103"}

	// prompts: short names the tables can read.
	prompts = callcare.Prompts{UnknownNumber: "ss-noservice", NobodyAvailable: "vm-nobodyavail", Goodbye: "vm-goodbye",
		OfficeClosed: "closed", Press1Callback: "press1", RecordNote: "note", CallbackThanks: "thanks",
		CallbacksNone: "none", CallbacksWaiting: "waiting", CallbackFrom: "from", CallbackReceived: "received", CallbackTries: "tries",
		CallbackFor: "for", CallbackMissed: "missed", CallbackAbandoned: "abandoned", CallbackAfterHours: "afterhours",
		CallbackRequested: "requested", CallbackLongHold: "longhold",
		CallbackMenu: "menu", CallbackAgreed: "agreed", CallbackPress1: "press1", CallbackOutcome: "outcome", NotReached: "notreached",
		PleaseHold: "hold", EnterTime: "entertime", AgreedFor: "agreedfor",
		HoldPatience: "patience", HoldOffer: "holdoffer", CallerLeft: "callerleft", Overflowing: "overflowing", KeyReminder: "remind",
		ClerkBusy: "clerkbusy", BusyChoices: "busychoices", Slots: "slots", BusyWait: "busywait",
		LinePosition: "linepos", LineLeave: "lineleave", LineOffer: "lineoffer", LinePatience: "linepatience", CallAgain: "callagain",
		Transferring: "transferring", TransferWait: "xferwait", WhisperFrom: "wfrom", WhisperCaller: "wcaller",
		WhisperNeeds: "wneeds", TransferBack: "xferback"}

	// inboundSet: an office open around the clock unless a test says not.
	inboundSet = policy.InboundSettings{Procedure: proc, Prompts: prompts, Say: policy.Saying{Lang: "en"}, Rules: sessionSet.Rules,
		KeyTimeout: 10 * time.Second, NoteMax: 30 * time.Second, FlagKey: "*",
		Waiting: callcare.DefaultWaiting}
)

func at(d time.Duration) time.Time { return t0.Add(d) }

func arrival(steps ...[]callcare.Clerk) policy.Arrival {
	a := policy.Arrival{CallID: "c", CallerID: "48600100200", Dialed: "101", Found: true,
		Target: callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"}}
	for _, s := range steps {
		a.Steps = append(a.Steps, callcare.Step{Clerks: s, Via: a.Target})
	}
	return a
}

// step is one input to the call and what the policy must answer: the
// actions by kind and leg (see brief), and the deadline it then asks for.
type step struct {
	at       time.Duration
	ev       policy.Event
	want     string        // brief of the actions, "" for none
	deadline time.Duration // -1 for none, 0 to skip the check
}

func TestInbound(t *testing.T) {
	tests := []struct {
		rule, name string
		arrival    policy.Arrival
		start      string // brief of the first actions
		steps      []step
		outcome    callcare.Outcome
		closed     bool // the office opens 13:00-14:00 only; calls come at 09:00
		check      func(t *testing.T, r callcare.CallRecord)
	}{
		{
			rule: "P4a", name: "the count starts at the first RINGING, not at the dial",
			arrival: arrival([]callcare.Clerk{anna}, []callcare.Clerk{piotr}),
			start:   "save ring dial:c-1",
			steps: []step{
				{at: 4 * time.Second, ev: policy.LegRinging{Leg: "c-1"}, deadline: 19 * time.Second},
				{at: 15 * time.Second, ev: policy.TimerFired{}, want: ""},
				{at: 19 * time.Second, ev: policy.TimerFired{}, want: "hangup:c-1/no_answer early(sound:overflowing,tone:ring;tonezone=pl) dial:c-2/Overflow from anowak", deadline: 49 * time.Second},
			},
			check: func(t *testing.T, r callcare.CallRecord) {
				if a := r.Attempts[0]; a.Result != "noanswer" || a.Rings != 3 {
					t.Errorf("first attempt = %s at ring %d, want noanswer at ring 3", a.Result, a.Rings)
				}
			},
		},
		{
			rule: "P4a", name: "an answer in the last moment wins over the overflow",
			arrival: arrival([]callcare.Clerk{anna}, []callcare.Clerk{piotr}),
			start:   "save ring dial:c-1",
			steps: []step{
				{at: 0, ev: policy.LegRinging{Leg: "c-1"}, deadline: 15 * time.Second},
				{at: 15*time.Second - time.Millisecond, ev: policy.LegAnswered{Leg: "c-1"}, want: "connect:c-1 save close-tasks:48600100200", deadline: -1},
				{at: 15 * time.Second, ev: policy.TimerFired{}, want: ""},
				{at: 30 * time.Second, ev: policy.CallerGone{}, want: "hangup:c-1/normal save finish"},
			},
			outcome: callcare.OutcomeAnswered,
			check: func(t *testing.T, r callcare.CallRecord) {
				if r.AnsweredBy != "anowak" || r.AnsweredRing != 3 || r.HungUpBy != callcare.PartyCaller {
					t.Errorf("answered by %q on ring %d, hung up by %s; want anowak, 3, caller", r.AnsweredBy, r.AnsweredRing, r.HungUpBy)
				}
			},
		},
		{
			rule: "P4a", name: "an answer after the overflow is too late",
			arrival: arrival([]callcare.Clerk{anna}, []callcare.Clerk{piotr}),
			start:   "save ring dial:c-1",
			steps: []step{
				{at: 0, ev: policy.LegRinging{Leg: "c-1"}},
				{at: 15 * time.Second, ev: policy.TimerFired{}, want: "hangup:c-1/no_answer early(sound:overflowing,tone:ring;tonezone=pl) dial:c-2/Overflow from anowak"},
				{at: 15*time.Second + time.Millisecond, ev: policy.LegAnswered{Leg: "c-1"}, want: ""},
				{at: 16 * time.Second, ev: policy.LegAnswered{Leg: "c-2"}, want: "stop connect:c-2 save close-tasks:48600100200"},
			},
		},
		{
			rule: "P4a", name: "a busy phone moves on at once",
			arrival: arrival([]callcare.Clerk{anna}, []callcare.Clerk{piotr}),
			start:   "save ring dial:c-1",
			steps: []step{
				{at: 10 * time.Millisecond, ev: policy.LegFailed{Leg: "c-1", Result: "busy"}, want: "hangup:c-1/normal early(sound:overflowing,tone:ring;tonezone=pl) dial:c-2/Overflow from anowak"},
				{at: 20 * time.Millisecond, ev: policy.LegGone{Leg: "c-1"}, want: ""},
			},
			check: func(t *testing.T, r callcare.CallRecord) {
				if r.Attempts[0].Result != "busy" {
					t.Errorf("first attempt result %q, want busy", r.Attempts[0].Result)
				}
			},
		},
		{
			rule: "P4a", name: "a phone that never rings is given up after twice the limit",
			arrival: arrival([]callcare.Clerk{anna}, []callcare.Clerk{piotr}),
			start:   "save ring dial:c-1",
			steps: []step{
				{at: 30 * time.Second, ev: policy.TimerFired{}, want: "hangup:c-1/no_answer early(sound:overflowing,tone:ring;tonezone=pl) dial:c-2/Overflow from anowak"},
			},
		},
		{
			rule: "P4a", name: "a department ringing together: the first answer wins",
			arrival: arrival([]callcare.Clerk{anna, piotr, ewa}),
			start:   "save ring dial:c-1 dial:c-2 dial:c-3",
			steps: []step{
				{at: time.Second, ev: policy.LegRinging{Leg: "c-2"}, deadline: 16 * time.Second},
				{at: 2 * time.Second, ev: policy.LegRinging{Leg: "c-1"}, deadline: 16 * time.Second},
				{at: 3 * time.Second, ev: policy.LegFailed{Leg: "c-3", Result: "unavailable"}, want: "hangup:c-3/normal"},
				{at: 8 * time.Second, ev: policy.LegAnswered{Leg: "c-1"}, want: "hangup:c-2/answered_elsewhere connect:c-1 save close-tasks:48600100200", deadline: -1},
				{at: 8 * time.Second, ev: policy.LegAnswered{Leg: "c-2"}, want: ""},
			},
			check: func(t *testing.T, r callcare.CallRecord) {
				if r.AnsweredRing != 2 {
					t.Errorf("answered on ring %d, want 2", r.AnsweredRing)
				}
			},
		},
		{
			rule: "P4a", name: "the chain exhausted: missed, and the caller is told before the line ends",
			arrival: arrival([]callcare.Clerk{anna}, []callcare.Clerk{piotr}),
			start:   "save ring dial:c-1",
			steps: []step{
				{at: 0, ev: policy.LegRinging{Leg: "c-1"}},
				{at: 15 * time.Second, ev: policy.TimerFired{}, want: "hangup:c-1/no_answer early(sound:overflowing,tone:ring;tonezone=pl) dial:c-2/Overflow from anowak"},
				{at: 15 * time.Second, ev: policy.LegRinging{Leg: "c-2"}},
				{at: 30 * time.Second, ev: policy.TimerFired{}, want: "hangup:c-2/no_answer task:missed/48600100200/p0 stop play:vm-nobodyavail", deadline: 30*time.Second + 2*time.Minute},
				{at: 33 * time.Second, ev: policy.PlaybackDone{Playback: "c-closing"}, want: "hangup-caller save finish"},
			},
			outcome: callcare.OutcomeMissed,
			check: func(t *testing.T, r callcare.CallRecord) {
				if r.RingsHeard != 6 || r.Target.ID != "anowak" || r.Dialed != "101" || r.CallerID != "48600100200" {
					t.Errorf("missed call kept %d rings, target %v, dialed %q, caller %q", r.RingsHeard, r.Target, r.Dialed, r.CallerID)
				}
			},
		},
		{
			rule: "P4a", name: "the caller gives up while ringing: abandoned",
			arrival: arrival([]callcare.Clerk{anna}),
			start:   "save ring dial:c-1",
			steps: []step{
				{at: 0, ev: policy.LegRinging{Leg: "c-1"}},
				{at: 6 * time.Second, ev: policy.CallerGone{}, want: "hangup:c-1/normal task:abandoned/48600100200/p0 save finish", deadline: -1},
				{at: 7 * time.Second, ev: policy.LegGone{Leg: "c-1"}, want: ""},
			},
			outcome: callcare.OutcomeAbandoned,
			check: func(t *testing.T, r callcare.CallRecord) {
				if r.RingsHeard != 2 || r.HungUpBy != callcare.PartyCaller || r.Attempts[0].Result != "cancelled" {
					t.Errorf("abandoned call: %d rings, hung up by %s, attempt %q", r.RingsHeard, r.HungUpBy, r.Attempts[0].Result)
				}
			},
		},
		{
			rule: "P4a", name: "the caller hangs up while the next target is being dialed",
			arrival: arrival([]callcare.Clerk{anna}, []callcare.Clerk{piotr}),
			start:   "save ring dial:c-1",
			steps: []step{
				{at: 0, ev: policy.LegRinging{Leg: "c-1"}},
				{at: 15 * time.Second, ev: policy.TimerFired{}, want: "hangup:c-1/no_answer early(sound:overflowing,tone:ring;tonezone=pl) dial:c-2/Overflow from anowak"},
				{at: 15 * time.Second, ev: policy.CallerGone{}, want: "hangup:c-2/normal task:abandoned/48600100200/p0 save finish"},
			},
			outcome: callcare.OutcomeAbandoned,
		},
		{
			rule: "P4l", name: "the clerk hangs up first: the caller hears goodbye, then the line ends",
			arrival: arrival([]callcare.Clerk{anna}),
			start:   "save ring dial:c-1",
			steps: []step{
				{at: 0, ev: policy.LegRinging{Leg: "c-1"}},
				{at: 3 * time.Second, ev: policy.LegAnswered{Leg: "c-1"}, want: "connect:c-1 save close-tasks:48600100200"},
				{at: 60 * time.Second, ev: policy.LegGone{Leg: "c-1"}, want: "play:vm-goodbye"},
				{at: 61 * time.Second, ev: policy.PlaybackDone{Playback: "c-closing"}, want: "hangup-caller save finish"},
				{at: 61 * time.Second, ev: policy.CallerGone{}, want: ""},
			},
			outcome: callcare.OutcomeAnswered,
			check: func(t *testing.T, r callcare.CallRecord) {
				if r.HungUpBy != callcare.PartyClerk || r.HungUpClerk != "anowak" || r.WaitToAnswer() != 3*time.Second || r.AnsweredRing != 1 {
					t.Errorf("hung up by %s after waiting %s, ring %d", r.HungUpBy, r.WaitToAnswer(), r.AnsweredRing)
				}
			},
		},
		{
			rule: "P4l", name: "the caller hangs up during the goodbye: the clerk still hung up first",
			arrival: arrival([]callcare.Clerk{anna}),
			start:   "save ring dial:c-1",
			steps: []step{
				{at: 0, ev: policy.LegAnswered{Leg: "c-1"}, want: "connect:c-1 save close-tasks:48600100200"},
				{at: 9 * time.Second, ev: policy.LegGone{Leg: "c-1"}, want: "play:vm-goodbye"},
				{at: 9 * time.Second, ev: policy.CallerGone{}, want: "save finish"},
			},
			outcome: callcare.OutcomeAnswered,
			check: func(t *testing.T, r callcare.CallRecord) {
				if r.HungUpBy != callcare.PartyClerk || r.AnsweredRing != 0 {
					t.Errorf("hung up by %s, answered on ring %d; want clerk, 0 (picked up before a ring)", r.HungUpBy, r.AnsweredRing)
				}
			},
		},
		{
			rule: "P4c", name: "after hours: the caller hears when the office opens, presses 1 and leaves a note",
			arrival: arrival([]callcare.Clerk{anna}), closed: true,
			start: "save answer say(sound:closed,sound:digits/13,sound:press1)",
			steps: []step{
				{at: 4 * time.Second, ev: policy.KeyPressed{Digit: "1"}, want: "stop say(sound:note,sound:beep)"},
				{at: 7 * time.Second, ev: policy.PlaybackDone{Playback: "c-note-prompt"}, want: "record"},
				{at: 20 * time.Second, ev: policy.RecordingDone{Name: "callcare-note-c", Seconds: 12}, want: "task:requested/48600100200/p0/note play:thanks"},
				{at: 21 * time.Second, ev: policy.PlaybackDone{Playback: "c-closing"}, want: "hangup-caller save finish"},
			},
			outcome: callcare.OutcomeAfterHours,
		},
		{
			rule: "P4c", name: "after hours: a caller who hangs up is called back all the same",
			arrival: arrival([]callcare.Clerk{anna}), closed: true,
			start: "save answer say(sound:closed,sound:digits/13,sound:press1)",
			steps: []step{
				{at: 4 * time.Second, ev: policy.CallerGone{}, want: "task:after_hours/48600100200/p0 save finish"},
			},
		},
		{
			rule: "P5.1", name: "after hours: silence repeats the offer once, then the caller is told they will be called back",
			arrival: arrival([]callcare.Clerk{anna}), closed: true,
			start: "save answer say(sound:closed,sound:digits/13,sound:press1)",
			steps: []step{
				{at: 5 * time.Second, ev: policy.PlaybackDone{Playback: "c-closed"}, deadline: 10 * time.Second},
				{at: 10 * time.Second, ev: policy.TimerFired{}, want: "say(sound:remind)"},
				{at: 11 * time.Second, ev: policy.PlaybackDone{Playback: "c-remind1"}, deadline: 16 * time.Second},
				{at: 16 * time.Second, ev: policy.TimerFired{}, want: "say(sound:press1)"},
				{at: 18 * time.Second, ev: policy.PlaybackDone{Playback: "c-closed-again"}, deadline: 23 * time.Second},
				{at: 23 * time.Second, ev: policy.TimerFired{}, want: "say(sound:remind)"},
				{at: 24 * time.Second, ev: policy.PlaybackDone{Playback: "c-remind2"}, deadline: 29 * time.Second},
				{at: 29 * time.Second, ev: policy.TimerFired{}, want: "task:after_hours/48600100200/p0 play:thanks"},
			},
		},
		{
			rule: "P5.3", name: "a clerk flags special needs with a key during the call",
			arrival: arrival([]callcare.Clerk{anna}),
			start:   "save ring dial:c-1",
			steps: []step{
				{at: time.Second, ev: policy.LegAnswered{Leg: "c-1"}, want: "connect:c-1 save close-tasks:48600100200"},
				{at: 9 * time.Second, ev: policy.LegKeyPressed{Leg: "c-1", Digit: "5"}, want: ""},
				{at: 9 * time.Second, ev: policy.LegKeyPressed{Leg: "c-1", Digit: "*"}, want: "save flag:48600100200"},
				{at: 9 * time.Second, ev: policy.LegKeyPressed{Leg: "c-1", Digit: "*"}, want: ""},
			},
			check: func(t *testing.T, r callcare.CallRecord) {
				if r.Needs != callcare.NeedsClerk {
					t.Errorf("needs %q", r.Needs)
				}
			},
		},
		{
			rule: "P4d", name: "a substitute's phone shows whose call it takes, and why",
			arrival: func() policy.Arrival {
				a := arrival([]callcare.Clerk{ewa}, []callcare.Clerk{piotr})
				a.Steps[0].Forward = callcare.Forwarding{For: a.Target, To: callcare.Target{Kind: callcare.TargetClerk, ID: "ezielinska"}, Reason: callcare.AbsenceLeave}
				a.Steps[0].Absent = callcare.Clerk{ID: "anowak", Name: "Anna", Surname: "Nowak"}
				return a
			}(),
			start: "save ring dial:c-1/For A. Nowak, leave",
			steps: []step{
				{at: time.Second, ev: policy.LegFailed{Leg: "c-1", Result: "busy"}, want: "hangup:c-1/normal early(sound:overflowing,tone:ring;tonezone=pl) dial:c-2/Overflow from ezielinska"},
			},
		},
		{
			rule: "P5.3", name: "a missed call from the special-needs line goes first",
			arrival: func() policy.Arrival { a := arrival([]callcare.Clerk{anna}); a.Needs = callcare.NeedsLine; return a }(),
			start:   "save ring dial:c-1/SN", // P4d: the phone shows it
			steps: []step{
				{at: time.Second, ev: policy.LegFailed{Leg: "c-1", Result: "busy"}, want: "hangup:c-1/normal task:missed/48600100200/p1 play:vm-nobodyavail"},
			},
		},
		{
			rule: "P4a", name: "an unknown number hears a message instead of silence",
			arrival: policy.Arrival{CallID: "c", CallerID: "anonymous", Dialed: "999"},
			start:   "save play:ss-noservice",
			steps: []step{
				{at: time.Second, ev: policy.PlaybackDone{Playback: "c-closing"}, want: "hangup-caller save finish"},
			},
			outcome: callcare.OutcomeUnrouted,
		},
		{
			rule: "P4a", name: "no overflow while the link is down: the clerk may have answered in the gap",
			arrival: arrival([]callcare.Clerk{anna}, []callcare.Clerk{piotr}),
			start:   "save ring dial:c-1",
			steps: []step{
				{at: 0, ev: policy.LegRinging{Leg: "c-1"}},
				{at: 10 * time.Second, ev: policy.LinkLost{}, want: ""},
				{at: 15 * time.Second, ev: policy.TimerFired{}, want: ""},
				{at: 18 * time.Second, ev: policy.LinkBack{}, want: "resync:c-1"},
				{at: 18 * time.Second, ev: policy.LegAnswered{Leg: "c-1"}, want: "connect:c-1 save close-tasks:48600100200"},
				{at: 18 * time.Second, ev: policy.TimerFired{}, want: ""},
			},
		},
		{
			rule: "P4a", name: "a lost link asks for a resync of the live legs",
			arrival: arrival([]callcare.Clerk{anna, piotr}),
			start:   "save ring dial:c-1 dial:c-2",
			steps: []step{
				{at: 0, ev: policy.LegFailed{Leg: "c-1", Result: "busy"}, want: "hangup:c-1/normal"},
				{at: time.Second, ev: policy.LinkLost{}, want: ""},
				{at: 2 * time.Second, ev: policy.LinkBack{}, want: "resync:c-2"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			set := inboundSet
			if tc.closed {
				set.Rules.Hours = callcare.OfficeHours{Location: time.UTC, Week: allWeek("13:00-14:00")}
			}
			call, acts := policy.Start(tc.arrival, set, t0)
			if got := brief(acts); got != tc.start {
				t.Fatalf("start: actions %q, want %q", got, tc.start)
			}
			stepThrough(t, call, tc.steps, brief, nil)
			rec := call.Record()
			if tc.outcome != "" && rec.Outcome != tc.outcome {
				t.Errorf("outcome %q, want %q", rec.Outcome, tc.outcome)
			}
			if tc.check != nil {
				tc.check(t, rec)
			}
		})
	}
}

// inSbrief: brief asked sbrief, which must not ask back.
var inSbrief bool

// brief writes actions compactly so a table row reads like the call.
func brief(acts []policy.Action) string {
	var out []string
	for _, a := range acts {
		switch a := a.(type) {
		case policy.Save:
			out = append(out, "save")
		case policy.SaveNow:
			out = append(out, "save-now")
		case policy.RingCaller:
			out = append(out, "ring")
		case policy.Fallback:
			out = append(out, "fallback:"+a.Exten)
		case policy.DialClerk:
			if a.CallerName != "" { // what the desk phone shows (P4d)
				out = append(out, "dial:"+a.Leg+"/"+a.CallerName)
			} else {
				out = append(out, "dial:"+a.Leg)
			}
		case policy.HangupLeg:
			out = append(out, "hangup:"+a.Leg+"/"+a.Reason)
		case policy.Connect:
			out = append(out, "connect:"+a.Leg)
		case policy.Play:
			out = append(out, "play:"+a.Sound)
		case policy.HangupCaller:
			out = append(out, "hangup-caller")
		case policy.Resync:
			out = append(out, "resync:"+strings.Join(a.Legs, ","))
		case policy.Finish:
			out = append(out, "finish")
		case policy.CreateTask:
			out = append(out, fmt.Sprintf("task:%s/%s/p%d", a.Task.Reason, a.Task.Number, a.Task.Priority))
			if a.Task.Note != "" {
				out[len(out)-1] += "/note"
			}
		case policy.CloseTasks:
			out = append(out, "close-tasks:"+string(a.Number))
		case policy.Record:
			out = append(out, "record")
		case policy.FlagNeeds:
			out = append(out, "flag:"+string(a.Number))
		case policy.SetMusicClass:
			out = append(out, "music:"+a.Class)
		case policy.SayLeg:
			out = append(out, "sayleg:"+a.Leg+"("+strings.Join(a.Media, ",")+")")
		case policy.ListAgreed:
			out = append(out, "list-agreed:"+a.Target.String())
		case policy.StartMusic:
			out = append(out, "moh:"+a.Class)
		case policy.StopMusic:
			out = append(out, "moh-stop")
		case policy.JoinLine:
			j := "join-line:" + a.Department + "/" + a.Target.String()
			if a.Needs {
				j += "/needs"
			}
			out = append(out, j)
		case policy.LeaveLine:
			out = append(out, "leave-line")
		case policy.LineTurnOver:
			if a.Answered {
				out = append(out, "turn-over:answered")
			} else {
				out = append(out, "turn-over:declined")
			}
		case policy.ResolveTransfer:
			out = append(out, "resolve-transfer:"+a.Leg+"/"+a.To)
		case policy.AddToBridge:
			out = append(out, "add:"+a.Leg)
		case policy.EarlyMedia:
			out = append(out, "early("+strings.Join(a.Media, ",")+")")
		case policy.Routed:
			out = append(out, fmt.Sprintf("routed:%s->%s/warnings:%d", a.Forwarded.For.ID, a.Forwarded.To.ID, len(a.Warnings)))
		default:
			if inSbrief {
				out = append(out, fmt.Sprintf("%T", a)) // neither knows it
				continue
			}
			inSbrief = true
			out = append(out, sbrief([]policy.Action{a}))
			inSbrief = false
		}
	}
	return strings.Join(out, " ")
}

func TestInboundDialsEveryClerkOfTheChainOnce(t *testing.T) {
	call, acts := policy.Start(arrival([]callcare.Clerk{anna}, []callcare.Clerk{piotr}), inboundSet, t0)
	var dialed []callcare.ClerkID
	collect := func(acts []policy.Action) {
		for _, a := range acts {
			if d, ok := a.(policy.DialClerk); ok {
				dialed = append(dialed, d.Clerk.ID)
			}
		}
	}
	collect(acts)
	for i := 0; i < 5; i++ { // timers keep firing; nobody ever rings
		collect(call.Step(policy.TimerFired{}, call.Deadline()))
	}
	if want := []callcare.ClerkID{"anowak", "pwisniewski"}; !reflect.DeepEqual(dialed, want) {
		t.Errorf("dialed %v, want %v", dialed, want)
	}
}
