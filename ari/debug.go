package ari

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/callcare/callcare"
)

// brief writes an event or an action for a debug line: its type and its
// fields, numbers masked, long texts cut. Caller-controlled text (a caller
// id, a caller name) must never reach a log line whole.
func brief(v any) string {
	var b strings.Builder
	writeBrief(&b, reflect.ValueOf(v), 0)
	return b.String()
}

var (
	numberType = reflect.TypeOf(callcare.Number(""))
	timeType   = reflect.TypeOf(time.Time{})
	// A number in a plain string: a dial string, a transfer's target, a
	// callback's caller id. Asterisk's ids (seconds, a dot, a sequence)
	// are as long and stay readable.
	digitRun = regexp.MustCompile(`\p{Nd}{7,}`)
	// A number spoken digit by digit, one media item a digit.
	spokenDigit = regexp.MustCompile(`digits/\p{Nd}+`)
)

// maskDigits masks what reads as a phone number in s, as a Number is
// masked.
func maskDigits(s string) string {
	s = spokenDigit.ReplaceAllString(s, "digits/*")
	locs := digitRun.FindAllStringIndex(s, -1)
	for i := len(locs) - 1; i >= 0; i-- {
		start, end := locs[i][0], locs[i][1]
		if end < len(s) && s[end] == '.' {
			continue // an id of Asterisk's
		}
		s = s[:start] + callcare.MaskNumber(s[start:end]) + s[end:]
	}
	return s
}

func writeBrief(b *strings.Builder, v reflect.Value, depth int) {
	switch {
	case !v.IsValid():
		b.WriteString("nil")
		return
	case v.Type() == numberType:
		b.WriteString(callcare.MaskNumber(v.String()))
		return
	case v.Type() == timeType:
		if t := v.Interface().(time.Time); !t.IsZero() {
			b.WriteString(t.Format("15:04:05.000"))
		} else {
			b.WriteString("-")
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		writeBrief(b, v.Elem(), depth)
	case reflect.Struct:
		if depth == 0 {
			b.WriteString(v.Type().Name())
		}
		if depth > 2 {
			b.WriteString("{…}")
			return
		}
		b.WriteString("{")
		first := true
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() || v.Field(i).IsZero() {
				continue
			}
			if !first {
				b.WriteString(" ")
			}
			first = false
			b.WriteString(f.Name + "=")
			writeBrief(b, v.Field(i), depth+1)
		}
		b.WriteString("}")
	case reflect.Slice:
		b.WriteString("[")
		for i := range min(v.Len(), 8) {
			if i > 0 {
				b.WriteString(" ")
			}
			writeBrief(b, v.Index(i), depth+1)
		}
		if v.Len() > 8 {
			fmt.Fprintf(b, " …%d more", v.Len()-8)
		}
		b.WriteString("]")
	case reflect.String:
		s := maskDigits(v.String())
		if len(s) > 48 {
			s = s[:48] + "…"
		}
		fmt.Fprintf(b, "%q", s)
	default:
		fmt.Fprint(b, v.Interface())
	}
}
