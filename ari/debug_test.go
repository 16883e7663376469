package ari

import (
	"strings"
	"testing"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

func TestBriefMasksNumbersAndCutsText(t *testing.T) {
	got := brief(policy.TaskClaimed{OK: true, Task: callcare.CallbackTask{ID: 7, Number: "48600100200", Note: strings.Repeat("x", 500)}})
	if strings.Contains(got, "600100") || !strings.Contains(got, "********200") || len(got) > 200 {
		t.Errorf("brief = %s", got)
	}
	if got := brief(policy.Save{Record: callcare.CallRecord{CallerID: "48600100200\n$ x", CallerName: strings.Repeat("R", 2048)}}); strings.Contains(got, "600100") || strings.Contains(got, "\n") || len(got) > 200 {
		t.Errorf("brief = %s", got)
	}
	// Numbers in plain strings too: a dial string, a caller id, a number
	// spelt out; Asterisk's ids stay readable.
	got = brief(policy.Originate{Leg: "1795510800.4-cb3", Endpoint: "PJSIP/48600100200@trunk", CallerID: "48221234567"})
	if strings.Contains(got, "600100") || strings.Contains(got, "221234") || !strings.Contains(got, "1795510800.4-cb3") {
		t.Errorf("brief = %s", got)
	}
	got = brief(policy.Say{Playback: "p", Media: []string{"sound:callcare/whisper-caller", "sound:digits/6", "sound:digits/0"}})
	if strings.Contains(got, "digits/6") || !strings.Contains(got, "whisper-caller") {
		t.Errorf("brief = %s", got)
	}
}
