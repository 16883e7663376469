package policy

import (
	"time"

	"github.com/callcare/callcare"
)

// FreeSlots lists the first n times a caller may pick for a callback
// (P4b): from one slot length after now on, starting on the slot length's
// multiples of the office's day, with the whole slot within office hours,
// and not within a slot length of a time already agreed for the same
// clerk or department. It looks two weeks ahead at most.
func FreeSlots(hours callcare.OfficeHours, now time.Time, length time.Duration, taken []time.Time, n int) []time.Time {
	if length <= 0 || n <= 0 {
		return nil
	}
	loc := hours.Location
	if loc == nil {
		loc = time.UTC
	}
	earliest := now.Add(length)
	local := earliest.In(loc)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	var out []time.Time
	for d := 0; d < 14 && len(out) < n; d++ {
		midnight := time.Date(day.Year(), day.Month(), day.Day()+d, 0, 0, 0, 0, loc)
		next := time.Date(day.Year(), day.Month(), day.Day()+d+1, 0, 0, 0, 0, loc)
		for t := midnight; t.Before(next) && len(out) < n; t = t.Add(length) {
			if t.Before(earliest) || !hours.IsOpen(t) || !hours.IsOpen(t.Add(length-time.Minute)) || near(t, taken, length) {
				continue
			}
			out = append(out, t)
		}
	}
	return out
}

func near(t time.Time, taken []time.Time, length time.Duration) bool {
	for _, x := range taken {
		if d := t.Sub(x); d > -length && d < length {
			return true
		}
	}
	return false
}
