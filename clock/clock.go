// Package clock makes time a dependency. The service and the simulated PBX
// take a Clock: Real in production, Scaled for the demo (a morning in
// seconds), Fake in tests, which move it by hand and never sleep for a
// 15-second ring limit. Backoff spaces out retries on any of them.
package clock

import "time"

// Clock tells the time and fires timers.
type Clock interface {
	Now() time.Time
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending AfterFunc.
type Timer interface {
	// Stop prevents the timer from firing; false if it fired or was stopped.
	Stop() bool
}

// Real is the wall clock.
type Real struct{}

func (Real) Now() time.Time                            { return time.Now() }
func (Real) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// Scaled runs Factor times faster than the wall clock: the demo lives a
// morning at the office in seconds, and both the service and the simulated
// PBX see the same compressed time.
type Scaled struct {
	Factor float64
	start  time.Time // wall time at first use
	epoch  time.Time // what Now returns at first use
}

// NewScaled returns a clock whose Now starts at epoch and runs factor times
// faster than the wall clock.
func NewScaled(epoch time.Time, factor float64) *Scaled {
	return &Scaled{Factor: factor, start: time.Now(), epoch: epoch}
}

func (s *Scaled) Now() time.Time {
	return s.epoch.Add(time.Duration(float64(time.Since(s.start)) * s.Factor))
}

func (s *Scaled) AfterFunc(d time.Duration, f func()) Timer {
	return time.AfterFunc(time.Duration(float64(d)/s.Factor), f)
}
