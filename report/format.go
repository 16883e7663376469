package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Ratio is a share: Num of Den.
type Ratio struct{ Num, Den int64 }

// Known says whether there is anything to share: Den > 0.
func (r Ratio) Known() bool { return r.Den > 0 }

// Percent is the share in percent; 0 when unknown.
func (r Ratio) Percent() float64 {
	if r.Den <= 0 {
		return 0
	}
	return 100 * float64(r.Num) / float64(r.Den)
}

// P4a is the share of the calls that had to be answered within the rings
// that were: the caller's view.
func (f Figures) P4a() Ratio { return Ratio{f.InRings, f.Due} }

// P4aPhone is the same on a clerk's phone: answered within the rings, of
// the times it rang and was answered or rang the full rings.
func (f Figures) P4aPhone() Ratio { return Ratio{f.RungInRings, f.RungAnswered + f.RungNotAnswered} }

// P4c is the share of callbacks made within the promise, of those whose
// outcome is known (made, or overdue).
func (f Figures) P4c() Ratio {
	return Ratio{f.CallbackOnTime, f.CallbackOnTime + f.CallbackLate + f.CallbackOverdue}
}

// P4m is the share of agreed callbacks made on time, of those whose time
// has come.
func (f Figures) P4m() Ratio {
	return Ratio{f.AgreedOnTime, f.AgreedOnTime + f.AgreedLate + f.AgreedMissed}
}

// P4l is the share of answered calls the clerk ended first. In a clerk's
// scope the calls that clerk answered are RungAnswered.
func (f Figures) P4l() Ratio {
	if f.Answered == 0 && f.RungAnswered > 0 {
		return Ratio{f.ClerkHungUp, f.RungAnswered}
	}
	return Ratio{f.ClerkHungUp, f.Answered}
}

// NotAnswered are the calls nobody answered, or the caller gave up on.
func (f Figures) NotAnswered() int64 { return f.Missed + f.Abandoned + f.CallbackAsked }

// format writes figures in one language.
type format struct{ t Texts }

// num writes a count with the language's thousands separator.
func (f format) num(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(f.t.Thousands)
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// pct writes a share as a percentage with one decimal (none for a whole
// number), or the word for none.
func (f format) pct(r Ratio) string {
	if !r.Known() {
		return f.t.None
	}
	p := r.Percent()
	s := strconv.FormatFloat(p, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	return strings.Replace(s, ".", f.t.Decimal, 1) + "%"
}

// dur writes a duration to the second: 42 s, 3 min 5 s, 1 godz. 20 min.
func (f format) dur(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int64(d/time.Hour), int64(d%time.Hour/time.Minute), int64(d%time.Minute/time.Second)
	switch {
	case h > 0 && m > 0:
		return fmt.Sprintf("%s %s %d %s", f.num(h), f.t.Hour, m, f.t.Minute)
	case h > 0:
		return fmt.Sprintf("%s %s", f.num(h), f.t.Hour)
	case m > 0 && s > 0:
		return fmt.Sprintf("%d %s %d %s", m, f.t.Minute, s, f.t.Second)
	case m > 0:
		return fmt.Sprintf("%d %s", m, f.t.Minute)
	}
	return fmt.Sprintf("%d %s", s, f.t.Second)
}

// mean writes the average of ds, or the word for none.
func (f format) mean(ds Durations) string {
	if ds.N == 0 {
		return f.t.None
	}
	return f.dur(ds.Mean())
}

// longest writes the longest of ds, or the word for none.
func (f format) longest(ds Durations) string {
	if ds.N == 0 {
		return f.t.None
	}
	return f.dur(ds.Max)
}

// day writes a day given as YYYY-MM-DD.
func (f format) day(s string) string {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return d.Format(f.t.DateLayout)
}
