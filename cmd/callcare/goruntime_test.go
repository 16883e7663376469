package main

import "testing"

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
