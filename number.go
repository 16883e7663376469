package callcare

import (
	"log/slog"
	"strings"
	"unicode"
)

// Number is a phone number as the service received or keeps it: a caller
// id (caller-controlled: it may be empty, "anonymous" or junk), or a
// citizen's number in the one form CallableNumber gives. It masks itself in
// logs (P4e: no personal data to third parties, and logs travel): put a
// Number in a slog attribute, never its string.
type Number string

// LogValue is the masked number, for slog.
func (n Number) LogValue() slog.Value { return slog.StringValue(n.Masked()) }

// Masked is the number for a log line or an error message that may reach
// one: see MaskNumber.
func (n Number) Masked() string { return MaskNumber(string(n)) }

// maxLogged caps what a log line shows of a caller-controlled text: a
// caller id can be kilobytes long.
const maxLogged = 24

// MaskNumber hides every digit of s but the last three, digits of any
// script (a caller id is anybody's text: Arabic-Indic digits are digits
// too), and cuts it to a few dozen characters. Other characters stay, so
// "anonymous" still reads as such; characters that do not print become ?.
func MaskNumber(s string) string {
	r := []rune(s)
	cut := len(r) > maxLogged
	if cut {
		r = r[len(r)-maxLogged:] // keep the end: the digits that stay are there
	}
	keep := 3
	for i := len(r) - 1; i >= 0; i-- {
		if !unicode.IsPrint(r[i]) {
			r[i] = '?' // no line breaks or terminal codes in a log line
			continue
		}
		if !unicode.IsDigit(r[i]) {
			continue
		}
		if keep > 0 {
			keep--
		} else {
			r[i] = '*'
		}
	}
	if cut {
		return "…" + string(r)
	}
	return string(r)
}

// CallableNumber tells whether a caller id can be called back, and gives
// it in the one form the service keeps numbers in: international digits
// without "+", so one citizen is one number however the trunk or a clerk
// wrote it ("+48 600 100 200", "0048600100200", "48600100200", and the
// national "600 100 200": a 9-digit number without + or 00 is Polish). Anonymous, empty and
// malformed caller ids cannot be called back.
func CallableNumber(id Number) (Number, bool) {
	n := strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(string(id)))
	international := true
	switch {
	case strings.HasPrefix(n, "+"):
		n = n[1:]
	case strings.HasPrefix(n, "00"):
		n = n[2:]
	default:
		international = false
	}
	if len(n) < 3 || len(n) > 15 {
		return "", false
	}
	for _, c := range n {
		if c < '0' || c > '9' {
			return "", false
		}
	}
	if len(n) == 9 && !international {
		n = "48" + n // national: a foreign number after + or 00 keeps its own code
	}
	return Number(n), true
}
