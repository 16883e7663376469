package policy_test

import (
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

// FuzzKeys drives the machines that read keys (a clerk's callback queue,
// an agreed callback, a caller after hours) with any sequence of keys,
// silences, prompt ends and results, as a phone and a store may deliver
// them. Nothing may panic, or ask for its timer again and again without
// moving on. Each byte is one input: its high bits
// pick the kind, its low bits the key.
//
//	go test ./policy -run '^$' -fuzz FuzzKeys -fuzztime 1m
func FuzzKeys(f *testing.F) {
	for _, s := range []string{
		"", "1", "11", "1234#", "*0#", "\x41\x42\x43", "1\xc0\xc0\xc0", "9#9#9#9#",
		"\x81\x81\x81\x81", "1\xe0\xe1\xe2\xe3", "3\xa0\xa0", "2222222222222222",
	} {
		f.Add([]byte(s))
	}
	keys := "0123456789*#ABCD"
	task := callcare.CallbackTask{ID: 7, Number: "48600100200", Target: callcare.Target{Kind: callcare.TargetClerk, ID: "anowak"},
		FirstAt: t0, LastAt: t0, Tries: 2, Due: t0.Add(time.Hour), Status: callcare.CallbackOpen}
	closed := inboundSet
	closed.Rules.Hours = callcare.OfficeHours{Location: time.UTC, Week: allWeek("13:00-14:00")}
	f.Fuzz(func(t *testing.T, in []byte) {
		queue, qa := policy.StartQueue("q", anna, sessionSet, t0)
		agreed, aa := policy.StartAgreed("a", task, [][]callcare.Clerk{{anna}, {piotr}}, sessionSet, t0)
		caller, ca := policy.Start(arrival([]callcare.Clerk{anna}), closed, t0)
		type machine interface {
			Step(policy.Event, time.Time) []policy.Action
			Deadline() time.Time
			Done() bool
		}
		ms := []machine{queue, agreed, caller}
		last := [][]policy.Action{qa, aa, ca}
		now := t0
		// A deadline may be in the past (one that passed while the link
		// was down fires at once when it is back); firing it must move
		// the machine on.
		step := func(i int, ev policy.Event, at time.Time) { last[i] = ms[i].Step(ev, at) }
		for _, b := range in {
			now = now.Add(time.Duration(b&0x0f) * 300 * time.Millisecond)
			for i, m := range ms {
				// The timers due meanwhile fire first, as the shell's do.
				for n := 0; !m.Done() && !m.Deadline().IsZero() && !m.Deadline().After(now); n++ {
					if n > 100 {
						t.Fatalf("machine %d asks for a timer again and again at %s", i, m.Deadline())
					}
					step(i, policy.TimerFired{}, m.Deadline())
				}
				if m.Done() {
					continue
				}
				if ev := input(b, keys, last[i], task); ev != nil {
					step(i, ev, now)
				}
			}
		}
	})
}

// input turns a byte into what a phone or the store might deliver next;
// the results answer the actions the machine asked for last.
func input(b byte, keys string, last []policy.Action, task callcare.CallbackTask) policy.Event {
	switch b >> 5 {
	case 0, 1, 2:
		return policy.KeyPressed{Digit: string(keys[b&0x0f])}
	case 3:
		return policy.TimerFired{}
	case 4, 5:
		// The ends and results of what was asked for.
		for _, a := range last {
			switch a := a.(type) {
			case policy.Play:
				return policy.PlaybackDone{Playback: a.Playback}
			case policy.Say:
				return policy.PlaybackDone{Playback: a.Playback}
			case policy.CountQueue:
				return policy.QueueCounted{Own: int(b & 3), Department: int(b>>2) & 3}
			case policy.ClaimNext:
				return policy.TaskClaimed{Task: task, OK: b&1 == 0}
			case policy.StartAttempt:
				return policy.AttemptStarted{Attempt: callcare.CallbackAttempt{TaskID: task.ID, Seq: 1, Channel: a.Channel}, OK: b&1 == 0}
			case policy.Originate:
				if b&1 == 0 {
					return policy.LegAnswered{Leg: a.Leg}
				}
				return policy.LegGone{Leg: a.Leg}
			case policy.Record:
				return policy.RecordingDone{Name: a.Name, Seconds: int(b & 7)}
			}
		}
		return policy.TimerFired{}
	case 6:
		return policy.LinkLost{}
	default:
		if b&1 == 0 {
			return policy.LinkBack{}
		}
		return policy.ClerkGone{}
	}
}
