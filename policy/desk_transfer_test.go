package policy_test

import (
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

// unchecked marks a step whose actions a test does not look at.
const unchecked = "(not checked)"

// callbackTalking: Anna works the queue from her desk phone ("s"), calls
// the citizen back (leg s-cb3), who answers at 5 s; the two are bridged
// with join's actions.
func callbackTalking(join string) []sstep {
	return []sstep{
		{0, policy.QueueCounted{Own: 1}, unchecked},
		{0, policy.TaskClaimed{Task: task, OK: true}, unchecked},
		{time.Second, policy.KeyPressed{Digit: "1"}, unchecked},
		{time.Second, policy.AttemptStarted{Attempt: callcare.CallbackAttempt{TaskID: 7, Seq: 1}, OK: true}, unchecked},
		{time.Second, policy.PlaybackDone{Playback: "s-p1"}, unchecked},
		{time.Second, policy.PlaybackDone{Playback: "s-p2"}, unchecked},
		{5 * time.Second, policy.LegAnswered{Leg: "s-cb3"}, unchecked},
		{5 * time.Second, policy.PlaybackDone{Playback: "s-p4"}, join},
	}
}

// transferToPiotr is the phone on leg transferring its call to 102.
func transferToPiotr(leg string, locals ...string) policy.Transferred {
	to := callcare.Target{Kind: callcare.TargetClerk, ID: "pwisniewski"}
	return policy.Transferred{Leg: leg, To: "102", Found: true, Locals: locals, Target: to,
		Steps: []callcare.Step{{Clerks: []callcare.Clerk{piotr}, Via: to}}}
}

// stepSession feeds s the steps, checking each one's actions unless
// unchecked, and returns every action.
func stepSession(t *testing.T, s interface {
	Step(policy.Event, time.Time) []policy.Action
}, steps []sstep) []policy.Action {
	t.Helper()
	var all []policy.Action
	for i, st := range steps {
		acts := s.Step(st.ev, at(st.at))
		all = append(all, acts...)
		if got := sbrief(acts); st.want != unchecked && got != st.want {
			t.Fatalf("step %d (%T): %q, want %q", i, st.ev, got, st.want)
		}
	}
	return all
}

// TestSession_TransferredCallback (P4o): a clerk who called a citizen back
// passes them on with the phone's transfer key. The callback is recorded
// as reached; the citizen hears the transfer's music and words, the
// colleague is rung, hears the whisper, and is connected: the citizen is
// never hung up with a goodbye.
func TestSession_TransferredCallback(t *testing.T) {
	anna := callcare.Clerk{ID: "anowak", Department: "200", Endpoint: "PJSIP/101", Extension: "101"}
	set := sessionSet
	set.Inbound = inboundSet
	toPiotr := transferToPiotr("s", "L1", "L2")
	talking := callbackTalking("join:s-cb3")
	for _, tc := range []struct {
		name  string
		steps []sstep
		check func(t *testing.T, acts []policy.Action)
	}{
		{"the colleague answers, hears the whisper, and is connected", []sstep{
			{20 * time.Second, toPiotr, "finish:reached/reached own:s-cb3 hangup:L1/normal hangup:L2/normal hangup:s/normal moh:default say(sound:transferring) save-now dial:s-cb3-2/Transfer from anowak"},
			{20 * time.Second, policy.ClerkGone{}, ""},
			{21 * time.Second, policy.LegRinging{Leg: "s-cb3-2"}, ""},
			{23 * time.Second, policy.LegAnswered{Leg: "s-cb3-2"}, "sayleg:s-cb3-2(sound:wfrom,sound:digits/1,sound:digits/0,sound:digits/1,sound:wcaller," +
				"sound:digits/6,sound:digits/0,sound:digits/0,sound:digits/1,sound:digits/0,sound:digits/0,sound:digits/2,sound:digits/0,sound:digits/0)"},
			{30 * time.Second, policy.PlaybackDone{Playback: "s-cb3-whisper2"}, "stop moh-stop add:s-cb3-2 save"},
			{90 * time.Second, policy.CallerGone{By: callcare.PartyCaller}, "hangup:s-cb3-2/normal save finish"},
		}, nil},
		{"nobody answers: the clerk is rung back, then the colleague owes a callback", []sstep{
			{20 * time.Second, toPiotr, unchecked},
			{21 * time.Second, policy.LegRinging{Leg: "s-cb3-2"}, ""},
			{36 * time.Second, policy.TimerFired{}, "hangup:s-cb3-2/no_answer save-now dial:s-cb3-3/Transfer back"},
			{37 * time.Second, policy.LegRinging{Leg: "s-cb3-3"}, ""},
			{52 * time.Second, policy.TimerFired{}, "stop say(sound:xferwait) hangup:s-cb3-3/no_answer stop moh-stop task:missed/48600100200/p0 play:vm-nobodyavail"},
			{58 * time.Second, policy.PlaybackDone{Playback: "s-cb3-closing"}, "hangup-caller save finish"},
		}, func(t *testing.T, acts []policy.Action) {
			for _, a := range acts {
				if ct, ok := a.(policy.CreateTask); ok && ct.Task.Target.ID != "pwisniewski" {
					t.Errorf("the callback is %s's, want the colleague's the citizen was passed to", ct.Task.Target.ID)
				}
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := policy.StartQueue("s", anna, set, t0)
			all := stepSession(t, s, append(append([]sstep(nil), talking...), tc.steps...))
			if !s.Done() {
				t.Error("the session goes on after the citizen's call ended")
			}
			if tc.check != nil {
				tc.check(t, all)
			}
		})
	}
}

// An agreed-time callback (P4m) transferred by the clerk goes on the same
// way: its citizen is never hung up with a goodbye.
func TestAgreed_TransferredCallback(t *testing.T) {
	anna := callcare.Clerk{ID: "anowak", Department: "200", Endpoint: "PJSIP/101", Extension: "101"}
	set := sessionSet
	set.Inbound = inboundSet
	toPiotr := transferToPiotr("s-clerk1", "L1", "L2")
	s, _ := policy.StartAgreed("s", task, [][]callcare.Clerk{{anna}}, set, t0)
	for i, st := range []sstep{
		{time.Second, policy.LegAnswered{Leg: "s-clerk1"}, ""},
		{2 * time.Second, policy.KeyPressed{Digit: "1"}, ""},
		{2 * time.Second, policy.AttemptStarted{Attempt: callcare.CallbackAttempt{TaskID: 7, Seq: 1}, OK: true}, ""},
		{6 * time.Second, policy.LegAnswered{Leg: "s-cb3"}, "stop"},
		{6 * time.Second, policy.PlaybackDone{Playback: "s-p2"}, ""},
		{6 * time.Second, policy.PlaybackDone{Playback: "s-p4"}, "join:s-cb3"},
		{20 * time.Second, toPiotr, "finish:reached/reached own:s-cb3 hangup:L1/normal hangup:L2/normal hangup:s-clerk1/normal moh:default say(sound:transferring) save-now dial:s-cb3-2/Transfer from anowak"},
		{20 * time.Second, policy.LegGone{Leg: "s-clerk1"}, ""},
	} {
		if got := sbrief(s.Step(st.ev, at(st.at))); st.want != "" && got != st.want {
			t.Fatalf("step %d (%T): %q, want %q", i, st.ev, got, st.want)
		}
	}
	if s.Done() {
		t.Error("the callback ended with the clerk's transfer")
	}
}

// TestSession_CallbackKeys (P4o, P5.3): keys the clerk presses while
// talking with a citizen called back: ## then a number then # (or a
// pause) transfers them as the phone's key does; * flags special needs.
func TestSession_CallbackKeys(t *testing.T) {
	anna := callcare.Clerk{ID: "anowak", Department: "200", Endpoint: "PJSIP/101", Extension: "101"}
	set := sessionSet
	set.Inbound = inboundSet
	set.Inbound.TransferPrefix = "##"
	toPiotr := transferToPiotr("s")
	talking := callbackTalking("join:s-cb3")
	handOver := "finish:reached/reached own:s-cb3 hangup:s/normal moh:default say(sound:transferring) save-now dial:s-cb3-2/Transfer from anowak"
	for _, tc := range []struct {
		name  string
		steps []sstep
	}{
		{"## 102 #: transferred as with the phone's key", []sstep{
			{20 * time.Second, policy.KeyPressed{Digit: "#"}, ""},
			{20 * time.Second, policy.KeyPressed{Digit: "#"}, ""},
			{21 * time.Second, policy.KeyPressed{Digit: "1"}, ""},
			{21 * time.Second, policy.KeyPressed{Digit: "0"}, ""},
			{21 * time.Second, policy.KeyPressed{Digit: "2"}, ""},
			{22 * time.Second, policy.KeyPressed{Digit: "#"}, "resolve-transfer:s/102"},
			{22 * time.Second, toPiotr, handOver},
		}},
		{"## 102 and a pause: the same", []sstep{
			{20 * time.Second, policy.KeyPressed{Digit: "#"}, ""},
			{20 * time.Second, policy.KeyPressed{Digit: "#"}, ""},
			{21 * time.Second, policy.KeyPressed{Digit: "1"}, ""},
			{21 * time.Second, policy.KeyPressed{Digit: "0"}, ""},
			{21 * time.Second, policy.KeyPressed{Digit: "2"}, ""},
			{30 * time.Second, policy.TimerFired{}, ""},
			{31 * time.Second, policy.TimerFired{}, "resolve-transfer:s/102"},
			{31 * time.Second, toPiotr, handOver},
		}},
		{"*: special needs, once; the transfer tells the target", []sstep{
			{20 * time.Second, policy.KeyPressed{Digit: "*"}, "flag:48600100200"},
			{21 * time.Second, policy.KeyPressed{Digit: "*"}, ""},
			{22 * time.Second, toPiotr, strings.Replace(handOver, "dial:s-cb3-2/", "dial:s-cb3-2/SN ", 1)},
		}},
		{"other keys belong to the conversation", []sstep{
			{20 * time.Second, policy.KeyPressed{Digit: "5"}, ""},
			{21 * time.Second, policy.KeyPressed{Digit: "#"}, ""},
			{21 * time.Second, policy.KeyPressed{Digit: "3"}, ""},
			{60 * time.Second, policy.LegGone{Leg: "s-cb3"}, "say(sound:outcome)"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := policy.StartQueue("s", anna, set, t0)
			stepSession(t, s, append(append([]sstep(nil), talking...), tc.steps...))
		})
	}
}

// TestAgreed_DisplaySaysWhose (P4d, P4m): an agreed callback that rings
// another than the clerk it was agreed with says whose it is.
func TestAgreed_DisplaySaysWhose(t *testing.T) {
	anna := callcare.Clerk{ID: "anowak", Name: "Anna", Surname: "Nowak", Department: "200", Endpoint: "PJSIP/101", Extension: "101"}
	sub := callcare.Clerk{ID: "pwisniewska", Name: "Paula", Surname: "Wiśniewska", Department: "200", Endpoint: "PJSIP/102"}
	set := sessionSet
	set.Directory = &callcare.Directory{Clerks: []callcare.Clerk{anna, sub}}
	set.DisplayMax = 20
	set.Say.Lang = "pl"
	s, acts := policy.StartAgreed("s", task, [][]callcare.Clerk{{anna}, {sub}}, set, t0)
	if o, ok := acts[0].(policy.Originate); !ok || o.CallerName != "Oddzwonienie" {
		t.Errorf("Anna's phone shows %+v, want Oddzwonienie", acts[0])
	}
	acts = s.Step(policy.TimerFired{}, at(time.Minute)) // nobody rang: the substitute's turn
	var shown []string
	for _, a := range acts {
		if o, ok := a.(policy.Originate); ok {
			shown = append(shown, o.CallerName)
		}
	}
	if len(shown) != 1 || shown[0] != "Oddzw. za A. Nowak" {
		t.Errorf("the substitute's phone shows %q, want whose callback it is", shown)
	}
}

// A phone that holds the citizen before it transfers them: the hold is in
// the record of the call the transfer makes (P4h).
func TestSession_HoldThenTransfer(t *testing.T) {
	anna := callcare.Clerk{ID: "anowak", Department: "200", Endpoint: "PJSIP/101", Extension: "101"}
	set := sessionSet
	set.Inbound = inboundSet
	s, _ := policy.StartQueue("s", anna, set, t0)
	stepSession(t, s, append(callbackTalking("join:s-cb3"), []sstep{
		{18 * time.Second, policy.LegHeld{Leg: "s"}, ""},
		{20 * time.Second, transferToPiotr("s", "L1", "L2"), unchecked},
	}...))
	r := s.Record()
	if len(r.Holds) != 1 || r.Holds[0].Clerk != "anowak" || !r.Holds[0].From.Equal(at(18*time.Second)) || !r.Holds[0].To.Equal(at(20*time.Second)) {
		t.Errorf("holds %+v: want Anna's, 18 s to the transfer at 20 s", r.Holds)
	}
}
