package main

import (
	"os"
	"strings"
	"testing"
)

func TestMonitorSteady(t *testing.T) {
	for _, tc := range []struct {
		godebug string
		want    bool
	}{
		{"", false},
		{unitGODEBUG, true},
		{"madvdontneed=1," + unitGODEBUG, true},
		{"schedtrace=0", false},
		{unitGODEBUG + ",schedtrace=0", false}, // the last one wins
		{"schedtrace=0," + unitGODEBUG, true},
		{"schedtrace=2147483648", false}, // past int32: the runtime ignores it
		{unitGODEBUG + ",schedtrace=2147483648", true},
		{"schedtrace=x", false},
		{"schedtrace=-1", false},
		{"schedtrace=+1", true}, // as the runtime's own integer parse reads it
		{"scheddetail=1", false},
	} {
		if got := monitorSteady(tc.godebug); got != tc.want {
			t.Errorf("monitorSteady(%q) = %v, want %v", tc.godebug, got, tc.want)
		}
	}
}

// The unit runs the service with the setting the bench and serve's log
// name as steady.
func TestMonitorSteady_Unit(t *testing.T) {
	b, err := os.ReadFile("../../deploy/callcare.service")
	if err != nil {
		t.Fatal(err)
	}
	set, found := "", false
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "Environment=GODEBUG="); ok {
			set, found = v, true // systemd keeps the last
		}
	}
	if !found {
		t.Fatal("the unit sets no GODEBUG")
	}
	if set != unitGODEBUG || !monitorSteady(set) {
		t.Errorf("the unit sets GODEBUG=%s; the bench calls steady GODEBUG=%s", set, unitGODEBUG)
	}
}
