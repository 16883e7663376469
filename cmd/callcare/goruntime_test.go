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
		{steadyMonitor, true},
		{"madvdontneed=1," + steadyMonitor, true},
		{"schedtrace=0", false},
		{steadyMonitor + ",schedtrace=0", false}, // the last one wins
		{"schedtrace=0," + steadyMonitor, true},
		{"schedtrace=2147483648", false}, // past int32: the runtime ignores it
		{steadyMonitor + ",schedtrace=2147483648", true},
		{"schedtrace=x", false},
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
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "Environment=GODEBUG="); ok {
			if v != steadyMonitor {
				t.Errorf("the unit sets GODEBUG=%s; the bench calls steady GODEBUG=%s", v, steadyMonitor)
			}
			return
		}
	}
	t.Error("the unit sets no GODEBUG")
}
