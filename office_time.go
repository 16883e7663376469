package callcare

import "time"

// OfficeTime is how much of [from, to) the office is open: the time a
// promise counted in office hours has used (AddOfficeTime's inverse). A
// call missed at night and called back at 07:45 after a 07:30 opening was
// called back in 15 minutes of office time. It is 0 when to is not after
// from, and it stops counting after about 400 days without an opening.
func (h OfficeHours) OfficeTime(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	from, to = from.In(h.loc()), to.In(h.loc())
	y, m, d := from.Date()
	var sum time.Duration
	for idle := 0; idle < searchDays; idle++ {
		ivs := h.openings(y, m, d)
		if len(ivs) > 0 {
			idle = -1
		}
		for _, iv := range ivs {
			if !iv.from.Before(to) {
				return sum
			}
			start, end := iv.from, iv.to
			if from.After(start) {
				start = from
			}
			if to.Before(end) {
				end = to
			}
			if end.After(start) {
				sum += end.Sub(start)
			}
		}
		y, m, d = nextDay(y, m, d)
		if !time.Date(y, m, d, 0, 0, 0, 0, h.loc()).Before(to) {
			return sum
		}
	}
	return sum
}
