package main

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
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
	for _, want := range []string{"10 ended as their scenario says, 0 errors", "decisions:   p50", "per live call", "context switches per call", "REST requests"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the bench says nothing like %q:\n%s", want, out.String())
		}
	}
}

// TestCost: a process's CPU and switches, read from /proc as for the
// simulator, are known, and agree with what this process says of itself;
// what is not known stays unknown in a difference.
func TestCost(t *testing.T) {
	self, proc := selfCost(), processCost(os.Getpid())
	if self.cpu < 0 || self.switches <= 0 || proc.cpu < 0 || proc.switches <= 0 {
		t.Fatalf("cost of this process: getrusage %+v, /proc %+v; want both known", self, proc)
	}
	if proc.cpu > self.cpu+10*time.Millisecond { // /proc counts whole ticks
		t.Errorf("/proc says %v of CPU, getrusage %v", proc.cpu, self.cpu)
	}
	if d := (cost{cpu: time.Second, switches: 5}).minus(unknownCost); d != unknownCost {
		t.Errorf("a difference from an unknown cost = %+v, want unknown", d)
	}
	if got := processCost(-1); got != unknownCost {
		t.Errorf("no such process: %+v, want unknown", got)
	}
}
