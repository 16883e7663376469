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
}
