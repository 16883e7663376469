package ari

import (
	"testing"
	"time"
)

// TestLagMeter: lateness is counted from what on time looks like, the
// least seen lately: a clock a few seconds off is no saturation, a queue
// of events backing up is, and it passes.
func TestLagMeter(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		offset  time.Duration // Asterisk's clock behind the service's
		late    []time.Duration
		wantMin time.Duration
		wantMax time.Duration
	}{
		{"a clock 3 s behind, events on time", 3 * time.Second, []time.Duration{0, 0, 0, 0, 0, 0}, 0, 0},
		{"a clock 2 s ahead, events on time", -2 * time.Second, []time.Duration{0, 0, 0, 0}, 0, 0},
		{"events backing up", 0, []time.Duration{0, 0, 400 * time.Millisecond, 800 * time.Millisecond, time.Second}, 400 * time.Millisecond, time.Second},
		{"on time again", time.Second, []time.Duration{0, 2 * time.Second, 0, 0, 0, 0, 0, 0, 0, 0}, 0, 200 * time.Millisecond},
	} {
		var m lagMeter
		for i, l := range tc.late {
			m.add(t0.Add(time.Duration(i)*time.Second), tc.offset+l)
		}
		if got := m.get(); got < tc.wantMin || got > tc.wantMax {
			t.Errorf("%s: %s late on average, want %s to %s", tc.name, got, tc.wantMin, tc.wantMax)
		}
	}
}
