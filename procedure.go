package callcare

import "time"

// Procedure holds the settings of the office's telephone procedure.
type Procedure struct {
	// AnswerWithinRings is P4a's count: answer at the latest after this ring.
	AnswerWithinRings int
	// RingCycle is one ring of the ringing tone: in Poland 1 s of tone and
	// 4 s of pause, so three rings last 15 s from the first.
	RingCycle time.Duration
}

// DefaultProcedure is the procedure as the ordinance states it.
var DefaultProcedure = Procedure{AnswerWithinRings: 3, RingCycle: 5 * time.Second}

// RingLimit is how long a clerk may ring before the call moves on (P4a).
func (p Procedure) RingLimit() time.Duration {
	return time.Duration(p.AnswerWithinRings) * p.RingCycle
}

// RingsHeard is the ring a phone is on after d of ringing: ring n spans
// ((n-1) x cycle, n x cycle], so a phone left exactly at the limit was left
// on ring AnswerWithinRings, and one picked up 7 s in answered on ring 2.
func (p Procedure) RingsHeard(d time.Duration) int {
	if d <= 0 || p.RingCycle <= 0 {
		return 0
	}
	return int((d + p.RingCycle - 1) / p.RingCycle)
}
