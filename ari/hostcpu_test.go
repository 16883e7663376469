package ari

import "testing"

// parseCPULine reads /proc/stat's first line; busy is all but idle and
// I/O wait, and steal counts as busy.
func TestParseCPULine(t *testing.T) {
	for _, tc := range []struct {
		line        string
		busy, total uint64
		bad         bool
	}{
		{line: "cpu  10 1 5 80 4 0 0 0 0 0\n", busy: 16, total: 100},
		{line: "cpu  10 1 5 70 4 1 1 8 0 0\n", busy: 26, total: 100},
		{line: "cpu 1 2 3 4\n", busy: 6, total: 10},
		{line: "cpu0 1 2 3 4 5\n", bad: true},
		{line: "cpu 1 x 3 4 5\n", bad: true},
		{line: "", bad: true},
	} {
		busy, total, err := parseCPULine(tc.line)
		if (err != nil) != tc.bad || busy != tc.busy || total != tc.total {
			t.Errorf("%q: %d, %d, %v; want %d, %d, error %v", tc.line, busy, total, err, tc.busy, tc.total, tc.bad)
		}
	}
}
