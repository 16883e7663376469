package main

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
)

// unitGODEBUG is the GODEBUG setting deploy/callcare.service and
// docker-compose.yml run the service with. Go's monitor thread (sysmon)
// parks when every processor is idle, and the first system call after that
// wakes it to poll every 20 µs for a millisecond or more (golang/go#18236):
// on a small box beside Asterisk, most of the service's wake-ups. A schedule
// trace period keeps it from parking; at the longest period the setting
// takes (about 24.9 days) it traces next to nothing, so it only keeps the
// monitor on its slow steady pace (docs/LOAD.md). On a crash the runtime
// then prints the scheduler's full state before the panic's message.
const unitGODEBUG = "schedtrace=2147483647"

// monitorSteady reports whether godebug (GODEBUG's value) keeps the monitor
// from parking: a schedtrace above 0, read as the runtime reads it at
// start (the last valid one wins; one that is not an int32 is ignored).
// The binary's compile-time GODEBUG defaults are not read: the go command
// refuses schedtrace there.
func monitorSteady(godebug string) bool {
	steady := false
	for _, field := range strings.Split(godebug, ",") {
		if v, ok := strings.CutPrefix(field, "schedtrace="); ok {
			if n, err := strconv.ParseInt(v, 10, 32); err == nil {
				steady = n > 0
			}
		}
	}
	return steady
}

// goRuntime says how Go runs the service here, beside how the shipped
// unit runs it, since the CPU and wake-ups a call depend on both.
func goRuntime(godebug string) string {
	procs, steady := runtime.GOMAXPROCS(0), monitorSteady(godebug)
	monitor := "at Go's default pace"
	if steady {
		monitor = "steady (GODEBUG schedtrace)"
	}
	s := fmt.Sprintf("GOMAXPROCS %d, Go's monitor thread %s", procs, monitor)
	if procs == 1 && steady {
		return s + ", as deploy/callcare.service runs the service"
	}
	return s + "; beside Asterisk, deploy/callcare.service runs the service with GOMAXPROCS=1 GODEBUG=" + unitGODEBUG + ", for less CPU a call"
}
