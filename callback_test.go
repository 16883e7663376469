package callcare_test

import (
	"testing"
	"time"

	"github.com/callcare/callcare"
)

func TestCallbackTask_LateAndClaimed(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	open := callcare.CallbackTask{Status: callcare.CallbackOpen}
	for _, tc := range []struct {
		name          string
		task          func(callcare.CallbackTask) callcare.CallbackTask
		late, claimed bool
	}{
		{"NoPromise", func(t callcare.CallbackTask) callcare.CallbackTask { return t }, false, false},
		{"DueAhead", func(t callcare.CallbackTask) callcare.CallbackTask { t.Due = now.Add(time.Hour); return t }, false, false},
		{"DuePassed", func(t callcare.CallbackTask) callcare.CallbackTask { t.Due = now.Add(-time.Minute); return t }, true, false},
		{"AgreedAheadWinsOverDuePassed", func(t callcare.CallbackTask) callcare.CallbackTask {
			t.Due, t.AgreedAt = now.Add(-time.Hour), now.Add(time.Hour)
			return t
		}, false, false},
		{"MarkedOverdue", func(t callcare.CallbackTask) callcare.CallbackTask { t.Overdue = true; return t }, true, false},
		{"ClosedIsNeverLate", func(t callcare.CallbackTask) callcare.CallbackTask {
			t.Status, t.Due, t.Overdue = callcare.CallbackDone, now.Add(-time.Hour), true
			return t
		}, false, false},
		{"ClaimHolds", func(t callcare.CallbackTask) callcare.CallbackTask {
			t.ClaimedBy, t.ClaimedUntil = "anowak", now.Add(time.Minute)
			return t
		}, false, true},
		{"ClaimLapsed", func(t callcare.CallbackTask) callcare.CallbackTask {
			t.ClaimedBy, t.ClaimedUntil = "anowak", now
			return t
		}, false, false},
		{"ClaimWithoutEndDoesNotHold", func(t callcare.CallbackTask) callcare.CallbackTask { t.ClaimedBy = "anowak"; return t }, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			task := tc.task(open)
			if got := task.Late(now); got != tc.late {
				t.Errorf("Late = %v, want %v", got, tc.late)
			}
			if got := task.Claimed(now); got != tc.claimed {
				t.Errorf("Claimed = %v, want %v", got, tc.claimed)
			}
		})
	}
}

func TestPrompts_EveryPromptHasAKeyAndADefault(t *testing.T) {
	keys := map[string]bool{}
	callcare.DefaultPrompts.Each(func(key, sound string) {
		if key == "" || sound == "" || keys[key] {
			t.Errorf("prompt %q: sound %q (a key is missing, repeated, or has no default)", key, sound)
		}
		keys[key] = true
	})
	var p callcare.Prompts
	p.Goodbye = "custom/bye"
	p = p.WithDefaults()
	if p.Goodbye != "custom/bye" || p.UnknownNumber != callcare.DefaultPrompts.UnknownNumber {
		t.Errorf("WithDefaults: %+v", p)
	}
}
