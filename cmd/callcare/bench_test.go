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
	for _, want := range []string{"10 ended as their scenario says, 0 errors", "decisions:   p50", "per live call", "runtime:     GOMAXPROCS", "wake-ups:", "REST requests"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the bench says nothing like %q:\n%s", want, out.String())
		}
	}
}

// TestCost: a process's CPU and wake-ups read from /proc, as the bench
// reads the simulator's, agree with what this process says of itself.
func TestCost(t *testing.T) {
	// Enough CPU spent that a reader returning 0 is told from /proc's
	// rounding down.
	for selfCost().cpu < 50*time.Millisecond {
	}
	before := selfCost()
	proc := processCost(os.Getpid())
	after := selfCost()
	if before.cpu < 0 || before.wakeups < 0 {
		t.Fatalf("getrusage: %+v", before)
	}
	// /proc counts whole ticks of 10 ms, of user and of system time each.
	if proc.cpu < before.cpu-20*time.Millisecond || proc.cpu > after.cpu {
		t.Errorf("/proc says %v of CPU; getrusage %v before and %v after", proc.cpu, before.cpu, after.cpu)
	}
	// The threads alive now: at most the process's count, and at least one.
	if proc.wakeups <= 0 || proc.wakeups > after.wakeups {
		t.Errorf("/proc says %d wake-ups; getrusage %d", proc.wakeups, after.wakeups)
	}
	if d := (cost{cpu: time.Second, wakeups: 5}).minus(unknownCost); d != unknownCost {
		t.Errorf("a difference from an unknown cost = %+v, want unknown", d)
	}
	if got := processCost(-1); got != unknownCost {
		t.Errorf("no such process: %+v, want unknown", got)
	}
}
