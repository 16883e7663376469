package ari

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultMaxHostCPU is how busy the machine's processors may be, on
// average over about a second, before new calls go to the fallback.
// Measured beside Asterisk 20 on two shared cores (docs/LOAD.md): calls
// began to fail with the machine at 90-96 % busy, while Asterisk still
// answered requests in milliseconds and sent events on time. A PBX short
// of CPU drops SIP packets before its ARI side shows anything.
const DefaultMaxHostCPU = 0.85

// cpuEvery is how often the machine's CPU is looked at: often enough to
// shed within a second of saturation, seldom enough to cost nothing.
const cpuEvery = 500 * time.Millisecond

// cpuHysteresis: once calls go to the fallback, the machine must be this
// much under the bound before they are the service's again. Measured, the
// fallback's own calls kept a shared machine at 85-90 %: calls let in at
// each dip pushed it over again, in bursts the PBX dropped.
const cpuHysteresis = 0.10

// cpuMeter tells how busy the machine's processors were between its last
// two looks, taken lazily (when a new call asks) at most every cpuEvery on
// the service's clock.
type cpuMeter struct {
	read func() (busy, total uint64, err error)

	mu          sync.Mutex
	at          time.Time // the last look
	busy, total uint64    // counters at the last look
	frac        float64   // busy share between the last two looks
	known       bool      // frac was measured
	failed      bool      // the counters could not be read: said once
}

// get is the busy share of the machine's processors lately; false when it
// is not known (the first look, or no counters on this system).
func (m *cpuMeter) get(now time.Time) (float64, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.at.IsZero() && now.Sub(m.at) < cpuEvery {
		return m.frac, m.known, nil
	}
	m.at = now
	busy, total, err := m.read()
	if err != nil {
		if m.failed {
			return 0, false, nil
		}
		m.failed = true
		return 0, false, err
	}
	if m.total > 0 && total > m.total && busy >= m.busy {
		m.frac, m.known = float64(busy-m.busy)/float64(total-m.total), true
	}
	m.busy, m.total = busy, total
	return m.frac, m.known, nil
}

// procStat reads Linux's counters of the time all processors spent, in
// clock ticks: busy is all but idle and waiting for I/O. A hypervisor's
// steal is busy too: that time was not the PBX's to use.
func procStat() (busy, total uint64, err error) {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return 0, 0, fmt.Errorf("read the machine's CPU use: %w", err)
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil {
		return 0, 0, fmt.Errorf("read /proc/stat: %w", err)
	}
	return parseCPULine(line)
}

// parseCPULine reads /proc/stat's first line: "cpu  user nice system idle
// iowait irq softirq steal ...".
func parseCPULine(line string) (busy, total uint64, err error) {
	f := strings.Fields(line)
	if len(f) < 5 || f[0] != "cpu" {
		return 0, 0, fmt.Errorf("read /proc/stat: unexpected first line %.40q", line)
	}
	for i, s := range f[1:min(len(f), 9)] {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("read /proc/stat: field %d: %w", i+1, err)
		}
		total += v
		if i != 3 && i != 4 { // idle, iowait
			busy += v
		}
	}
	return busy, total, nil
}
