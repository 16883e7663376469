package policy

import (
	"strconv"
	"time"
)

// Numbers are said with Asterisk's own digit sounds, one sound: item each,
// not with the digits: and number: media. On a real Asterisk 20 a playback
// that is stopped while it says digits: or number: does not stop: the stop
// is taken as the end of that item and the rest of the list plays on, so a
// clerk's key would be answered only after the whole prompt. A sound: item
// stops at once. The sounds are looked up in the channel's language, so
// which sounds make a number or an hour depends on the language too: Polish
// says hours as ordinals ("czternasta", digits/t-14) and minutes in the
// feminine ("dwie", digits/2z), as Asterisk's own say.c does.

// Saying says numbers and times in the office's language: "pl" (the
// default, also for an empty Lang) or "en".
type Saying struct{ Lang string }

func (s Saying) polish() bool { return s.Lang == "" || s.Lang == "pl" }

// sayDigits says a number digit by digit: a phone number.
func sayDigits(n string) []string {
	media := make([]string, 0, len(n))
	for _, d := range n {
		if d >= '0' && d <= '9' {
			media = append(media, digit(string(d)))
		}
	}
	return media
}

func digit(name string) string { return "sound:digits/" + name }

// Number says a count: 0 to 20 as one word, then tens and units ("forty"
// "five"), hundreds by their own word in Polish ("trzysta") and by the
// digit and "hundred" in English.
func (s Saying) Number(n int) []string {
	switch {
	case n < 0:
		return nil
	case n <= 20:
		return []string{digit(strconv.Itoa(n))}
	case n < 100:
		media := []string{digit(strconv.Itoa(n / 10 * 10))}
		if n%10 != 0 {
			media = append(media, digit(strconv.Itoa(n%10)))
		}
		return media
	case n < 1000 && s.polish():
		return append([]string{digit(strconv.Itoa(n / 100 * 100))}, s.rest(n%100)...)
	}
	return append(append(s.Number(n/100), digit("hundred")), s.rest(n%100)...)
}

func (s Saying) rest(n int) []string {
	if n == 0 {
		return nil
	}
	return s.Number(n)
}

// Time says a moment: the day of the week unless it is today, and the
// date too a week or more away, when the day alone would name another;
// then the hour and the minutes ("wtorek, czternasta trzydzieści";
// "Tuesday, fourteen thirty"; "nine oh three").
func (s Saying) Time(t, now time.Time) []string {
	if t.IsZero() {
		return nil
	}
	var media []string
	if day, today := civilDay(t), civilDay(now.In(t.Location())); day != today {
		media = append(media, digit("day-"+strconv.Itoa(int(t.Weekday()))))
		if day-today >= 7 || today-day >= 7 {
			media = append(media, s.Date(t)...)
		}
	}
	if s.polish() {
		return append(media, s.polishClock(t.Hour(), t.Minute())...)
	}
	media = append(media, s.Number(t.Hour())...)
	switch m := t.Minute(); {
	case m > 0 && m < 10: // nine oh three, not nine three
		media = append(media, digit("oh"), digit(strconv.Itoa(m)))
	case m >= 10:
		media = append(media, s.Number(m)...)
	}
	return media
}

// polishClock: the hour as an ordinal (midnight is t-24, as in say.c), the
// minutes in the feminine: jedna, dwie, but dwadzieścia jeden.
func (s Saying) polishClock(h, m int) []string {
	if h == 0 {
		h = 24
	}
	media := []string{digit("t-" + strconv.Itoa(h))}
	feminine := func(u int) string {
		switch u {
		case 1:
			return digit("1z")
		case 2:
			return digit("2z")
		}
		return digit(strconv.Itoa(u))
	}
	switch {
	case m == 0:
	case m < 10: // czternasta zero pięć
		media = append(media, digit("oh"), feminine(m))
	case m <= 20:
		media = append(media, digit(strconv.Itoa(m)))
	default:
		media = append(media, digit(strconv.Itoa(m/10*10)))
		switch u := m % 10; u {
		case 0:
		case 1:
			media = append(media, digit("1"))
		default:
			media = append(media, feminine(u))
		}
	}
	return media
}

// civilDay numbers t's calendar day in its own zone, whatever the hour and
// a change of clocks.
func civilDay(t time.Time) int {
	return int(time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, time.UTC).Unix() / 86400)
}
