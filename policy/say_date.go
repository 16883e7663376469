package policy

import (
	"strconv"
	"time"
)

// Date says the day of the month and the month, as Asterisk's say.c does
// for the language: Polish "dwudziestego piątego listopada" (the day an
// ordinal in the genitive, digits/h-20 and digits/h-5, then the month in
// the genitive, digits/mon-10), English "November twenty fifth" (the
// month, then the tens as a number and the units as an ordinal).
func (s Saying) Date(t time.Time) []string {
	d, month := t.Day(), digit("mon-"+strconv.Itoa(int(t.Month())-1))
	if s.polish() {
		media := []string{digit("h-" + strconv.Itoa(d/10*10))}
		switch {
		case d <= 20:
			media = []string{digit("h-" + strconv.Itoa(d))}
		case d%10 != 0:
			media = append(media, digit("h-"+strconv.Itoa(d%10)))
		}
		return append(media, month)
	}
	if d < 20 || d%10 == 0 {
		return []string{month, digit("h-" + strconv.Itoa(d))}
	}
	return []string{month, digit(strconv.Itoa(d / 10 * 10)), digit("h-" + strconv.Itoa(d%10))}
}

// Meeting says when a meeting is: the day of the week, the date, the hour
// and the minutes, whatever day it is now (a meeting is never "today" by
// the time it is read out the day before).
func (s Saying) Meeting(t time.Time) []string {
	media := []string{digit("day-" + strconv.Itoa(int(t.Weekday())))}
	media = append(media, s.Date(t)...)
	// Time says no day for a time on the day it is given as now.
	return append(media, s.Time(t, t)...)
}
