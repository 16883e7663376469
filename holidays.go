package callcare

import (
	"sort"
	"time"
)

// Holiday is a day the office is closed.
type Holiday struct {
	Date time.Time // midnight of the day, in the office's zone
	Name string
}

// wigiliaFirstYear is the first year in which Christmas Eve (Wigilia) is a
// statutory day off in Poland (ustawa z 6 grudnia 2024 amending the 1951 act
// on days off work).
const wigiliaFirstYear = 2025

// polishHoliday is one public holiday as a calendar date, before it is put in
// a zone.
type polishHoliday struct {
	month time.Month
	day   int
	name  string
}

// PolishHolidays lists Poland's statutory public holidays (dni wolne od
// pracy, ustawa z 18 stycznia 1951) of year, in date order, each at midnight
// in loc (nil means UTC). Christmas Eve is included from 2025 on, when it
// became a day off.
func PolishHolidays(year int, loc *time.Location) []Holiday {
	if loc == nil {
		loc = time.UTC
	}
	days := polishHolidays(year)
	out := make([]Holiday, len(days))
	for i, d := range days {
		out[i] = Holiday{Date: time.Date(year, d.month, d.day, 0, 0, 0, 0, loc), Name: d.name}
	}
	return out
}

// polishHolidayName reports whether the calendar date year-month-day is a
// Polish public holiday, and its name.
func polishHolidayName(year int, month time.Month, day int) (string, bool) {
	for _, d := range polishHolidays(year) {
		if d.month == month && d.day == day {
			return d.name, true
		}
	}
	return "", false
}

// polishHolidays computes the holidays of year as calendar dates, sorted.
func polishHolidays(year int) []polishHoliday {
	em, ed := easter(year)
	// Movable feasts: count days from Easter on the calendar (UTC has no DST,
	// and only the date is kept).
	moved := func(days int, name string) polishHoliday {
		t := time.Date(year, em, ed+days, 0, 0, 0, 0, time.UTC)
		return polishHoliday{t.Month(), t.Day(), name}
	}
	hs := []polishHoliday{
		{time.January, 1, "Nowy Rok"},
		{time.January, 6, "Trzech Króli"},
		moved(0, "Wielkanoc"),
		moved(1, "Poniedziałek Wielkanocny"),
		{time.May, 1, "Święto Pracy"},
		{time.May, 3, "Święto Konstytucji 3 Maja"},
		moved(49, "Zielone Świątki"),
		moved(60, "Boże Ciało"),
		{time.August, 15, "Wniebowzięcie NMP"},
		{time.November, 1, "Wszystkich Świętych"},
		{time.November, 11, "Narodowe Święto Niepodległości"},
	}
	if year >= wigiliaFirstYear {
		hs = append(hs, polishHoliday{time.December, 24, "Wigilia"})
	}
	hs = append(hs,
		polishHoliday{time.December, 25, "Boże Narodzenie"},
		polishHoliday{time.December, 26, "Drugi dzień Bożego Narodzenia"},
	)
	// The fixed order above is already chronological for every Gregorian year
	// (Easter Monday is at latest 26 April, Pentecost at earliest 10 May);
	// sort anyway so the promise of date order never rests on that argument.
	sort.SliceStable(hs, func(i, j int) bool {
		if hs[i].month != hs[j].month {
			return hs[i].month < hs[j].month
		}
		return hs[i].day < hs[j].day
	})
	return hs
}

// easter returns the date of Easter Sunday in the Gregorian calendar, by the
// anonymous Gregorian algorithm (Meeus/Jones/Butcher).
func easter(year int) (time.Month, int) {
	a := year % 19
	b := year / 100
	c := year % 100
	d := b / 4
	e := b % 4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i := c / 4
	k := c % 4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	n := h + l - 7*m + 114
	return time.Month(n / 31), n%31 + 1
}
