package ari_test

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/pbxsim"
)

var (
	soakCalls = flag.Int("soak", 0, "calls in TestSoak: 0 for the short run every `go test` makes; 10000 for the long one")
	soakSeed  = flag.Uint64("soak.seed", 0, "TestSoak's seed; 0 for a new one (the test logs it)")
)

// TestSoak places calls on the simulator with people hanging up at random
// moments (the caller while clerks ring, during an overflow, during the
// conversation or the last message; the clerk while talking), clerks
// working the callback queue, the event socket dropping, and the service
// crashing and starting again every few hundred calls. At the end:
// nothing leaked (no goroutine, channel, bridge, playback or timer: the
// env and TestMain check), every call is recorded as ended with an
// outcome that agrees with its record, no caller heard more than a ring
// cycle of silence, and the callback tasks are exactly the calls nobody
// answered.
//
//	go test ./ari -run TestSoak -soak 10000 -timeout 30m
func TestSoak(t *testing.T) {
	t.Parallel()
	n := *soakCalls
	if n == 0 {
		n = 300
		if testing.Short() {
			n = 60
		}
	}
	seed := *soakSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("%d calls, -soak.seed %d", n, seed)
	rng := rand.New(rand.NewPCG(seed, seed>>1))

	e := newEnv(t)
	e.pbx.Close() // a simulator where every citizen's phone exists
	opts := pbxOptions
	opts.Clock, opts.AutoPhones = e.clk, true
	e.pbx = pbxsim.NewServer(opts)
	t.Cleanup(func() {
		if e.stop != nil {
			e.stop()
		}
		if err := e.pbx.Close(); err != nil {
			t.Errorf("simulator left: %v", err)
		}
	})
	stores := ari.Stores{Calls: e.db, Callbacks: e.db, Queue: e.db}
	e.run(t, testSettings(), stores)

	phones := []string{"PJSIP/101", "PJSIP/102", "PJSIP/103", "PJSIP/104"}
	exts := []string{"101", "101", "102", "200", "300", "300", "999"}
	var calls []*pbxsim.Call
	nextCrash, crashes, placed := 150+rng.IntN(200), 0, 0
	for placed < n {
		// The clerks' phones change now and then.
		if rng.IntN(10) == 0 || placed == 0 {
			for _, p := range phones {
				e.pbx.SetPhone(p, randomPhone(rng))
			}
		}
		for range 1 + rng.IntN(4) {
			c := pbxsim.Caller{Number: fmt.Sprintf("48600%06d", placed), Exten: exts[rng.IntN(len(exts))], App: "callcare"}
			if rng.IntN(3) > 0 {
				c.HangupAfter = time.Duration(rng.Int64N(int64(50 * time.Second)))
			}
			call, err := e.pbx.Call(c)
			placed++
			if err != nil {
				continue // the service is away: Stasis() fails, the dialplan's fallback rings
			}
			calls = append(calls, call)
		}
		if rng.IntN(25) == 0 { // a clerk works the callback queue
			ep := phones[rng.IntN(2)]
			clerk := deskPhone(ep, press(readOut, "1"), pbxsim.Action{At: readOut + time.Duration(rng.Int64N(int64(40*time.Second))), Do: pbxsim.Hangup})
			clerk.App = "callcare"
			_, _ = e.pbx.Call(clerk)
		}
		if rng.IntN(100) == 0 {
			e.pbx.DropWebSocket()
		}
		e.advance(t, time.Duration(rng.Int64N(int64(12*time.Second))))
		if placed >= nextCrash {
			nextCrash += 150 + rng.IntN(300)
			crashes++
			e.crash(t, time.Duration(rng.Int64N(int64(3*time.Second))))
		}
	}
	e.advance(t, 5*time.Minute) // every call ends
	e.settled(t)

	ctx := context.Background()
	tasks, err := e.db.Callbacks(ctx, callcare.CallbackFilter{})
	if err != nil {
		t.Fatal(err)
	}
	taskOf := map[callcare.Number][]callcare.CallbackTask{}
	for _, tk := range tasks {
		taskOf[tk.Number] = append(taskOf[tk.Number], tk)
	}
	// Calls that ended while the service was away: who hung up is not
	// known.
	away := map[string]bool{}
	for _, r := range e.logs.records(slog.LevelInfo) {
		if r.Message == "a call left in progress by an earlier run is closed" {
			r.Attrs(func(a slog.Attr) bool {
				if a.Key == "call" {
					away[a.Value.String()] = true
				}
				return true
			})
		}
	}
	outcomes := map[callcare.Outcome]int{}
	for _, c := range calls {
		rec := e.record(t, c)
		outcomes[rec.Outcome]++
		if why := inconsistent(rec, away[rec.ID]); why != "" {
			t.Errorf("call %s: %s: %+v", rec.ID, why, rec)
		}
		ts := taskOf[rec.CallerID]
		switch rec.Outcome {
		case callcare.OutcomeMissed, callcare.OutcomeAbandoned, callcare.OutcomeFailed, callcare.OutcomeFallback:
			if len(ts) != 1 || ts[0].CallID != rec.ID {
				t.Errorf("call %s nobody answered (%s) has tasks %+v, want one", rec.ID, rec.Outcome, ts)
			}
		default:
			if len(ts) != 0 {
				t.Errorf("call %s (%s) has tasks %+v, want none", rec.ID, rec.Outcome, ts)
			}
		}
		delete(taskOf, rec.CallerID)
		if d := c.LongestSilence(); d > testProc.RingCycle {
			t.Errorf("call %s: the caller heard nothing for %s", rec.ID, d)
		}
	}
	for number, ts := range taskOf {
		t.Errorf("tasks %+v for %s, whose call nobody placed", ts, number)
	}
	t.Logf("%d calls in the application (%d refused while the service was away), %d crashes: %v", len(calls), placed-len(calls), crashes, outcomes)
}

func randomPhone(rng *rand.Rand) pbxsim.Phone {
	p := pbxsim.Phone{Mode: pbxsim.PhoneMode(rng.IntN(6)), RingAfter: time.Duration(rng.Int64N(int64(3 * time.Second)))}
	if p.Mode == pbxsim.NeverAnswers && rng.IntN(2) == 0 {
		p.Mode = pbxsim.Answers
	}
	p.AnswerAfter = time.Duration(rng.Int64N(int64(20 * time.Second)))
	// The clerk hangs up some time into the call, if the caller has not:
	// every conversation ends.
	p.Script = talk(time.Duration(rng.Int64N(int64(60 * time.Second))))
	return p
}

// inconsistent says what is wrong with a call's record, "" if nothing;
// away: it ended while the service was away.
func inconsistent(r callcare.CallRecord, away bool) string {
	known := []callcare.Outcome{callcare.OutcomeAnswered, callcare.OutcomeMissed, callcare.OutcomeAbandoned,
		callcare.OutcomeUnrouted, callcare.OutcomeFailed, callcare.OutcomeFallback, callcare.OutcomeInterrupted}
	answered := r.Outcome == callcare.OutcomeAnswered || r.Outcome == callcare.OutcomeInterrupted
	switch {
	case !slices.Contains(known, r.Outcome):
		return "unknown outcome"
	case r.EndedAt.Before(r.StartedAt):
		return "ended before it started"
	case (r.HungUpBy == "") != away:
		return "who hung up, against when it ended"
	case away && r.Outcome != callcare.OutcomeMissed && r.Outcome != callcare.OutcomeInterrupted:
		return "ended while the service was away, yet not missed or interrupted"
	case answered != (r.AnsweredBy != "") || answered != !r.AnsweredAt.IsZero():
		return "answered, or not, against its outcome"
	case (r.Outcome == callcare.OutcomeUnrouted) != (r.Dialed == "999"):
		return "unrouted, or not, against its number"
	}
	return ""
}
