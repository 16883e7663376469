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
// stops at once. The sounds are per language, like the media.

// sayDigits says a number digit by digit: a phone number.
func sayDigits(n string) []string {
	media := make([]string, 0, len(n))
	for _, d := range n {
		if d >= '0' && d <= '9' {
			media = append(media, "sound:digits/"+string(d))
		}
	}
	return media
}

// sayNumber says a count or a part of a time: 0 to 20 as one word, then
// tens and units ("forty" "five"), hundreds by their digits.
func sayNumber(n int) []string {
	switch {
	case n < 0:
		return nil
	case n <= 20:
		return []string{"sound:digits/" + strconv.Itoa(n)}
	case n < 100:
		media := []string{"sound:digits/" + strconv.Itoa(n/10*10)}
		if n%10 != 0 {
			media = append(media, "sound:digits/"+strconv.Itoa(n%10))
		}
		return media
	}
	return append(append(sayNumber(n/100), "sound:digits/hundred"), sayNumberRest(n%100)...)
}

func sayNumberRest(n int) []string {
	if n == 0 {
		return nil
	}
	return sayNumber(n)
}

// readTime says a moment: the day of the week unless it is today, then the
// hour and the minutes.
func readTime(t, now time.Time) []string {
	if t.IsZero() {
		return nil
	}
	var media []string
	if t.Format(time.DateOnly) != now.In(t.Location()).Format(time.DateOnly) {
		media = append(media, "sound:digits/day-"+strconv.Itoa(int(t.Weekday())))
	}
	media = append(media, sayNumber(t.Hour())...)
	switch m := t.Minute(); {
	case m > 0 && m < 10: // nine oh three, not nine three
		media = append(media, "sound:digits/oh", "sound:digits/"+strconv.Itoa(m))
	case m >= 10:
		media = append(media, sayNumber(m)...)
	}
	return media
}
