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
// its threads were switched off a processor. The switches are counted, not
// timed: they move much less from run to run than the CPU, and they can be
// compared across machines, where a switch may cost a few microseconds or
// tens (docs/LOAD.md).
type cost struct {
	cpu      time.Duration // -1: not known
	switches int64         // -1: not known
}

var unknownCost = cost{cpu: -1, switches: -1}

func (c cost) minus(before cost) cost {
	d := unknownCost
	if c.cpu >= 0 && before.cpu >= 0 {
		d.cpu = c.cpu - before.cpu
	}
	if c.switches >= 0 && before.switches >= 0 {
		d.switches = c.switches - before.switches
	}
	return d
}

// selfCost is this process's cost, all its threads together.
func selfCost() cost {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return unknownCost
	}
	return cost{
		cpu:      time.Duration(ru.Utime.Nano() + ru.Stime.Nano()),
		switches: ru.Nvcsw + ru.Nivcsw,
	}
}

// processCost is another process's cost (Linux: /proc). Its CPU comes in
// clock ticks of 10 ms; its switches are its threads' (a Go program keeps
// its threads, so none is missed by having ended).
func processCost(pid int) cost {
	c := unknownCost
	dir := "/proc/" + strconv.Itoa(pid)
	if b, err := os.ReadFile(dir + "/stat"); err == nil {
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
		if len(f) >= 13 {
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
			name, value, ok := strings.Cut(line, ":")
			if !ok || (name != "voluntary_ctxt_switches" && name != "nonvoluntary_ctxt_switches") {
				continue
			}
			if v, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64); err == nil {
				c.switches = max(c.switches, 0) + v
			}
		}
	}
	return c
}

// printCost writes the service's cost per call beside the simulator's;
// with the simulator in this process, both together.
func printCost(w io.Writer, service, simulator cost, calls float64) {
	ms := func(d time.Duration) float64 { return ms1(d) / calls }
	per := func(n int64) float64 { return float64(n) / calls }
	if simulator.cpu >= 0 {
		fmt.Fprintf(w, "  CPU:         the service %.3f ms per call, the simulator %.3f ms per call (service/simulator %.2f)\n",
			ms(service.cpu), ms(simulator.cpu), float64(service.cpu)/max(float64(simulator.cpu), 1))
	} else {
		fmt.Fprintf(w, "  CPU:         %.3f ms per call, the service and the simulator together\n", ms(service.cpu))
	}
	switch {
	case service.switches < 0:
	case simulator.switches >= 0:
		fmt.Fprintf(w, "  wake-ups:    the service %.1f context switches per call, the simulator %.1f (counted: steadier than the CPU)\n",
			per(service.switches), per(simulator.switches))
	default:
		fmt.Fprintf(w, "  wake-ups:    %.1f context switches per call, the service and the simulator together\n", per(service.switches))
	}
}
