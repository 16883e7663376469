package main

import (
	"context"
	"strings"
	"testing"
)

// TestBench: callcare bench places its calls on the simulator and checks
// each against its scenario; a short run with the simulator in process
// (the test binary cannot run itself as the simulator) ends with every
// call as its scenario says and the goroutines back where they were. Its
// figures are for people; only the outcomes are checked here.
func TestBench(t *testing.T) {
	var out, errs strings.Builder
	err := run(context.Background(), []string{"bench", "--sim-in-process", "--calls", "10", "--rate", "20",
		"--mix", "answer=2,overflow=1,busy=1,abandon=1", "--ring-cycle", "400ms", "--answer-after", "100ms", "--talk", "300ms"}, &out, &errs)
	if err != nil {
		t.Fatalf("bench: %v\n%s%s", err, out.String(), errs.String())
	}
	for _, want := range []string{"10 ended as their scenario says, 0 errors", "decisions:   p50", "per live call", "REST requests"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the bench says nothing like %q:\n%s", want, out.String())
		}
	}
}
