package ari

import (
	"strings"
	"testing"
	"time"
)

// callRate lets in a quarter second's worth of calls at once, then the
// rate; it counts the calls it turned away until the next look.
func TestCallRate(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
	for _, tc := range []struct {
		name      string
		perSecond float64
		at        []time.Time
		want      string // + let in, - turned away
	}{
		{"no bound", 0, []time.Time{t0, t0, t0, t0}, "++++"},
		{"a quarter second's worth at once", 40, []time.Time{t0, t0, t0, t0, t0, t0, t0, t0, t0, t0, t0, t0}, "++++++++++--"},
		{"at least one at once", 2, []time.Time{t0, t0, ms(499), ms(500), ms(500)}, "+--+-"},
		{"then the rate", 40, []time.Time{t0, t0, t0, t0, t0, t0, t0, t0, t0, t0, t0, ms(25), ms(25), ms(50), ms(50)}, "++++++++++-+-+-"},
		{"a pause fills the bucket, no more", 4, []time.Time{t0, ms(10_000), ms(10_000), ms(10_249), ms(10_250)}, "++--+"},
		{"a clock going back adds nothing", 4, []time.Time{ms(1000), t0, ms(1000)}, "+--"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := callRate{perSecond: tc.perSecond}
			got := ""
			for _, at := range tc.at {
				if r.take(at) {
					got += "+"
				} else {
					got += "-"
				}
			}
			if got != tc.want {
				t.Errorf("%s, want %s", got, tc.want)
			}
			refused := strings.Contains(got, "-")
			if r.over() != refused || r.over() {
				t.Errorf("over: want %v once, then false", refused)
			}
		})
	}
}
