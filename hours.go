package callcare

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Warsaw must load on machines without a zoneinfo database
)

// Span is one opening period of a day, minutes after midnight [From, To).
type Span struct{ From, To int }

const minutesPerDay = 24 * 60

// ParseSpan reads "07:30-15:30". To must be after From; "00:00-24:00" is a
// whole day.
func ParseSpan(s string) (Span, error) {
	from, to, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return Span{}, fmt.Errorf("opening span %q: want HH:MM-HH:MM", s)
	}
	f, err := parseClock(from)
	if err != nil {
		return Span{}, fmt.Errorf("opening span %q: %w", s, err)
	}
	t, err := parseClock(to)
	if err != nil {
		return Span{}, fmt.Errorf("opening span %q: %w", s, err)
	}
	if t <= f {
		return Span{}, fmt.Errorf("opening span %q: end must be after start", s)
	}
	return Span{From: f, To: t}, nil
}

// parseClock reads "HH:MM" (or "H:MM") as minutes after midnight; 24:00 is
// the end of the day.
func parseClock(s string) (int, error) {
	s = strings.TrimSpace(s)
	hs, ms, ok := strings.Cut(s, ":")
	if !ok || len(hs) < 1 || len(hs) > 2 || len(ms) != 2 {
		return 0, fmt.Errorf("time %q: want HH:MM", s)
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || hs[0] == '+' || hs[0] == '-' || ms[0] == '+' || ms[0] == '-' {
		return 0, fmt.Errorf("time %q: want HH:MM", s)
	}
	if h > 24 || m > 59 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("time %q: out of range 00:00-24:00", s)
	}
	return h*60 + m, nil
}

// String gives the span as "07:30-15:30".
func (s Span) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", s.From/60, s.From%60, s.To/60, s.To%60)
}

// OfficeHours is when the office answers the phone.
type OfficeHours struct {
	Location       *time.Location // the office's zone (Europe/Warsaw); nil means UTC
	Week           [7][]Span      // indexed by time.Weekday; nil/empty = closed that day
	PolishHolidays bool           // closed on Poland's public holidays
	Closed         []time.Time    // extra days off (any time of that day, read in Location)
}

// DefaultOfficeHours is a Polish town hall's week: Monday to Friday
// 07:30-15:30 in Europe/Warsaw, closed on Poland's public holidays.
func DefaultOfficeHours() OfficeHours {
	loc, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		// Cannot happen with time/tzdata linked in; keep the office usable
		// rather than panic in domain code.
		loc = time.FixedZone("CET", 3600)
	}
	var h OfficeHours
	h.Location = loc
	for wd := time.Monday; wd <= time.Friday; wd++ {
		h.Week[wd] = []Span{{From: 7*60 + 30, To: 15*60 + 30}} // own slice per day
	}
	h.PolishHolidays = true
	return h
}

// searchDays bounds every forward search: an office closed for longer than
// this is treated as never opening.
const searchDays = 400

func (h OfficeHours) loc() *time.Location {
	if h.Location == nil {
		return time.UTC
	}
	return h.Location
}

// Holiday reports whether t's day (in Location) is a day off: a Polish public
// holiday (when PolishHolidays is on) by its name, or one of the Closed days
// as "dzień wolny".
func (h OfficeHours) Holiday(t time.Time) (string, bool) {
	y, m, d := t.In(h.loc()).Date()
	return h.holiday(y, m, d)
}

func (h OfficeHours) holiday(y int, m time.Month, d int) (string, bool) {
	if h.PolishHolidays {
		if name, ok := polishHolidayName(y, m, d); ok {
			return name, true
		}
	}
	loc := h.loc()
	for _, c := range h.Closed {
		cy, cm, cd := c.In(loc).Date()
		if cy == y && cm == m && cd == d {
			return "dzień wolny", true
		}
	}
	return "", false
}

// interval is one opening of a particular day, as instants.
type interval struct{ from, to time.Time }

// openings lists the opening intervals of the calendar day y-m-d in Location,
// in order, with overlapping or touching spans merged. Instants come from
// time.Date in the zone, so a DST change inside the day is honoured.
func (h OfficeHours) openings(y int, m time.Month, d int) []interval {
	loc := h.loc()
	wd := time.Date(y, m, d, 12, 0, 0, 0, loc).Weekday()
	spans := h.Week[wd]
	if len(spans) == 0 {
		return nil
	}
	if _, off := h.holiday(y, m, d); off {
		return nil
	}
	ss := make([]Span, 0, len(spans))
	for _, s := range spans {
		s.From = max(s.From, 0)
		s.To = min(s.To, minutesPerDay)
		if s.To > s.From {
			ss = append(ss, s)
		}
	}
	sort.Slice(ss, func(i, j int) bool { return ss[i].From < ss[j].From })
	merged := ss[:0]
	for _, s := range ss {
		if n := len(merged); n > 0 && s.From <= merged[n-1].To {
			merged[n-1].To = max(merged[n-1].To, s.To)
			continue
		}
		merged = append(merged, s)
	}
	out := make([]interval, 0, len(merged))
	for _, s := range merged {
		// time.Date normalises minute 1440 to the next day's midnight.
		from := time.Date(y, m, d, 0, s.From, 0, 0, loc)
		to := time.Date(y, m, d, 0, s.To, 0, 0, loc)
		if to.After(from) { // a span lying wholly in a skipped DST hour is empty
			out = append(out, interval{from, to})
		}
	}
	return out
}

// nextDay gives the calendar date after y-m-d.
func nextDay(y int, m time.Month, d int) (int, time.Month, int) {
	return time.Date(y, m, d+1, 12, 0, 0, 0, time.UTC).Date()
}

// OpensOn reports whether the office opens at all on t's day (in
// Location): not a weekend without hours, nor a holiday.
func (h OfficeHours) OpensOn(t time.Time) bool {
	y, m, d := t.In(h.loc()).Date()
	return len(h.openings(y, m, d)) > 0
}

// IsOpen reports whether the office answers at t.
func (h OfficeHours) IsOpen(t time.Time) bool {
	t = t.In(h.loc())
	y, m, d := t.Date()
	for _, iv := range h.openings(y, m, d) {
		if !t.Before(iv.from) && t.Before(iv.to) {
			return true
		}
	}
	return false
}

// NextOpening is t itself when the office is open at t, else the start of the
// next opening span. It is the zero time when the office does not open within
// about 400 days (an office with no spans never opens).
func (h OfficeHours) NextOpening(t time.Time) time.Time {
	t = t.In(h.loc())
	y, m, d := t.Date()
	for range searchDays {
		for _, iv := range h.openings(y, m, d) {
			if !t.Before(iv.to) {
				continue
			}
			if t.Before(iv.from) {
				return iv.from
			}
			return t
		}
		y, m, d = nextDay(y, m, d)
	}
	return time.Time{}
}

// AddOfficeTime is the moment when d of office time has passed after t: only
// time while the office is open counts (a promise of "within 2 office hours"
// made on Friday at 14:30 comes due on Monday at 08:30). When the last of d is
// used up exactly at a closing time, that closing time is the answer. For
// d <= 0 the answer is NextOpening(t): t itself when open, else the next
// opening. It is the zero time when the office stops opening (no opening for
// about 400 days) before d is used up.
func (h OfficeHours) AddOfficeTime(t time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return h.NextOpening(t)
	}
	t = t.In(h.loc())
	y, m, day := t.Date()
	left := d
	for idle := 0; idle < searchDays; idle++ {
		ivs := h.openings(y, m, day)
		if len(ivs) > 0 {
			idle = -1 // an open day restarts the count of closed days
		}
		for _, iv := range ivs {
			if !t.Before(iv.to) {
				continue
			}
			start := iv.from
			if t.After(start) {
				start = t
			}
			avail := iv.to.Sub(start)
			if left <= avail {
				return start.Add(left)
			}
			left -= avail
		}
		y, m, day = nextDay(y, m, day)
	}
	return time.Time{}
}

// NextOfficeDay is the first opening of the next day after t's day (in
// Location) that has opening hours, for a retry scheduled "next office day".
// It is the zero time when no such day comes within about 400 days.
func (h OfficeHours) NextOfficeDay(t time.Time) time.Time {
	y, m, d := t.In(h.loc()).Date()
	for range searchDays {
		y, m, d = nextDay(y, m, d)
		if ivs := h.openings(y, m, d); len(ivs) > 0 {
			return ivs[0].from
		}
	}
	return time.Time{}
}
