package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cost is what a process has spent so far: its CPU time, and how often
// its threads went to sleep waiting (voluntary context switches), each of
// which is a wake-up later. The wake-ups are counted, not timed: on one
// machine, at one rate and GOMAXPROCS, they move much less from run to run
// than the CPU (docs/LOAD.md).
type cost struct {
	cpu     time.Duration // -1: not known
	wakeups int64         // -1: not known
}

var unknownCost = cost{cpu: -1, wakeups: -1}

func (c cost) minus(before cost) cost {
	d := unknownCost
	if c.cpu >= 0 && before.cpu >= 0 {
		d.cpu = c.cpu - before.cpu
	}
	if c.wakeups >= 0 && before.wakeups >= 0 {
		d.wakeups = c.wakeups - before.wakeups
	}
	return d
}

// selfCost is this process's cost, all its threads together.
func selfCost() cost {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return unknownCost
	}
	return cost{cpu: time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), wakeups: ru.Nvcsw}
}

// processCost is another process's cost (Linux: /proc). Its CPU comes in
// clock ticks of 10 ms; its wake-ups are its threads' (a Go program keeps
// its threads, so none is missed by having ended).
func processCost(pid int) cost {
	c := unknownCost
	dir := "/proc/" + strconv.Itoa(pid)
	if b, err := os.ReadFile(dir + "/stat"); err == nil {
		// The fields after the command's name, which is in parentheses
		// and may hold spaces.
		_, rest, _ := strings.Cut(string(b), ") ")
		if f := strings.Fields(rest); len(f) >= 13 {
			u, err1 := strconv.ParseInt(f[11], 10, 64)
			k, err2 := strconv.ParseInt(f[12], 10, 64)
			if err1 == nil && err2 == nil {
				c.cpu = time.Duration(u+k) * 10 * time.Millisecond
			}
		}
	}
	tasks, _ := filepath.Glob(dir + "/task/*/status")
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue // a thread that ended meanwhile
		}
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "voluntary_ctxt_switches:"); ok {
				if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
					c.wakeups = max(c.wakeups, 0) + n
				}
			}
		}
	}
	return c
}

// printCost writes the service's cost per call beside the simulator's, or
// both together when the simulator runs in this process.
func printCost(w io.Writer, service, simulator cost, calls float64, inProcess bool) {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.3f ms", ms1(d)/calls) }
	per := func(n int64) string { return fmt.Sprintf("%.1f", float64(n)/calls) }
	switch {
	case inProcess:
		fmt.Fprintf(w, "  CPU:         %s per call, the service and the simulator together\n", ms(service.cpu))
	case simulator.cpu < 0:
		fmt.Fprintf(w, "  CPU:         the service %s per call (the simulator's could not be read)\n", ms(service.cpu))
	default:
		fmt.Fprintf(w, "  CPU:         the service %s per call, the simulator %s per call (service/simulator %.2f)\n",
			ms(service.cpu), ms(simulator.cpu), float64(service.cpu)/max(float64(simulator.cpu), 1))
	}
	const what = "(voluntary context switches: counted, so steadier than the CPU on one machine)"
	switch {
	case service.wakeups < 0:
	case inProcess:
		fmt.Fprintf(w, "  wake-ups:    %s per call, the service and the simulator together %s\n", per(service.wakeups), what)
	case simulator.wakeups < 0:
		fmt.Fprintf(w, "  wake-ups:    the service %s per call %s\n", per(service.wakeups), what)
	default:
		fmt.Fprintf(w, "  wake-ups:    the service %s per call, the simulator %s %s\n", per(service.wakeups), per(simulator.wakeups), what)
	}
}
