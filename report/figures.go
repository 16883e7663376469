package report

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/callcare/callcare"
)

// Figures are the report's counts for one scope (the office, a
// department, a clerk, a group of callers) over some days. Every figure
// aggregates: a count or a sum adds up, a maximum takes the larger, a
// histogram adds bucket by bucket. So the figures of a month are those of
// its days put together, and a purged day kept as its figures (DayFigure)
// counts exactly as its records did. Averages and shares are computed when
// shown, never stored. Which scope fills which figures: see Tally.
type Figures struct {
	// The caller's view, call by call (the office, a department, a group).
	Calls      int64 // calls that started
	Answered   int64 // a clerk took the call
	Due        int64 // calls a clerk had to answer within the rings (P4a): answered, missed, or given up after the rings
	InRings    int64 // answered within the procedure's rings, counting every ring the caller heard
	Missed     int64 // nobody of the overflow chain answered
	Abandoned  int64 // the caller hung up before an answer
	AfterHours int64 // the office was closed
	Unrouted   int64 // the number dialed reaches nobody
	Failed     int64 // the PBX failed the call
	Unfinished int64 // no outcome: under way when read, or the service stopped during it
	// CallbackAsked counts the callers of a busy clerk who chose a callback
	// instead of waiting (P4b): not answered, and owed a callback.
	CallbackAsked int64
	// AnsweredOn counts answered calls by the ring the caller heard last:
	// [0] the 1st ring (or none), [1] the 2nd ... [9] the 10th or later.
	AnsweredOn [10]int64
	AnswerWait Durations // how long answered callers waited
	// ClerkHungUp counts answered calls the clerk ended first (P4l); in a
	// clerk's scope, the calls that clerk answered.
	ClerkHungUp int64

	// The clerk's phone (a clerk's scope): each time it was rung.
	Rung            int64
	RungAnswered    int64
	RungInRings     int64 // answered within the procedure's rings of this phone
	RungNotAnswered int64 // rang the full rings unanswered
	RungBusy        int64 // on another call
	RungUnreachable int64 // unavailable, congested or failed

	// Callbacks (P4c): the tasks without an agreed time, by the day of their
	// first missed call.
	Callbacks       int64
	CallbackOnTime  int64     // called back within the promise
	CallbackLate    int64     // called back after it
	CallbackOverdue int64     // not called back, and the promise has passed
	CallbackPending int64     // not called back, the promise still ahead
	CallbackTime    Durations // office time from the missed call to the callback
	CallbackTimes   [7]int64  // the same by CallbackBounds: up to 15 min, 30 min ... 8 h, longer
	CallbackGaveUp  int64     // closed as unreachable after every attempt
	Agreed          int64     // tasks with a time agreed with the citizen (P4m)
	AgreedOnTime    int64     // called at the agreed time, within AgreedGrace
	AgreedLate      int64     // called later
	AgreedMissed    int64     // not called, and the agreed time has passed
	AgreedPending   int64     // the agreed time is still ahead
	AgreedLateness  Durations // how late the agreed callbacks started, on time or not

	// How callers waited (later.go). *Calls counts the calls whose
	// record could say: every call counted from records, none of a day
	// archived before the call log kept them; while none of the period
	// could, the report shows "no data yet".
	HoldCalls     int64
	Hold          Durations // each time a clerk put the caller on hold (P4h, P4p)
	LineCalls     int64
	Line          Durations // each wait in a department's waiting line (P4p, P5.3)
	TransferCalls int64
	Transfers     int64 // transfers by a clerk (P4o)
	TransfersBack int64 // those that came back unanswered
}

// Durations aggregates durations: how many, their sum (for the average)
// and the longest.
type Durations struct {
	N   int64
	Sum time.Duration
	Max time.Duration
}

// Add counts d; a negative d (clocks that disagree) counts as 0.
func (d *Durations) Add(v time.Duration) {
	v = max(v, 0)
	d.N++
	d.Sum += v
	d.Max = max(d.Max, v)
}

// Mean is the average, 0 when there is none.
func (d Durations) Mean() time.Duration {
	if d.N == 0 {
		return 0
	}
	return d.Sum / time.Duration(d.N)
}

// CallbackBounds are the upper bounds of Figures.CallbackTimes' buckets,
// in office time; the last bucket holds the longer ones.
var CallbackBounds = [6]time.Duration{15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour, 4 * time.Hour, 8 * time.Hour}

// AgreedGrace is how late an agreed callback may start and still be on
// time (P4m): the clerk's phone rings at the minute, the clerk hears who
// and why and presses 1, and only then is the citizen dialed; a clerk on
// another call is rung again when free.
const AgreedGrace = 5 * time.Minute

// kind says how a measure aggregates.
type kind int

const (
	sum kind = iota
	maximum
)

// measure is one stored figure: its name in the archive, how it
// aggregates, and where it lives in a Figures.
type measure struct {
	name string
	kind kind
	v    *int64
}

// measures lists every figure of f, each once: the one table that says
// how figures are stored and put together. A new figure is a field and a
// line here; an archive written before it simply lacks it (zero).
func (f *Figures) measures() []measure {
	m := []measure{
		{"calls", sum, &f.Calls},
		{"answered", sum, &f.Answered},
		{"due", sum, &f.Due},
		{"in_rings", sum, &f.InRings},
		{"missed", sum, &f.Missed},
		{"abandoned", sum, &f.Abandoned},
		{"after_hours", sum, &f.AfterHours},
		{"unrouted", sum, &f.Unrouted},
		{"failed", sum, &f.Failed},
		{"unfinished", sum, &f.Unfinished},
	}
	for i := range f.AnsweredOn {
		m = append(m, measure{"answered_on_ring." + strconv.Itoa(i+1), sum, &f.AnsweredOn[i]})
	}
	m = append(m, durations("answer_wait", &f.AnswerWait)...)
	m = append(m,
		measure{"clerk_hung_up", sum, &f.ClerkHungUp},
		measure{"rung", sum, &f.Rung},
		measure{"rung.answered", sum, &f.RungAnswered},
		measure{"rung.in_rings", sum, &f.RungInRings},
		measure{"rung.not_answered", sum, &f.RungNotAnswered},
		measure{"rung.busy", sum, &f.RungBusy},
		measure{"rung.unreachable", sum, &f.RungUnreachable},
		measure{"callbacks", sum, &f.Callbacks},
		measure{"callbacks.on_time", sum, &f.CallbackOnTime},
		measure{"callbacks.late", sum, &f.CallbackLate},
		measure{"callbacks.overdue", sum, &f.CallbackOverdue},
		measure{"callbacks.pending", sum, &f.CallbackPending},
		measure{"callbacks.gave_up", sum, &f.CallbackGaveUp},
	)
	m = append(m, durations("callback_time", &f.CallbackTime)...)
	for i := range f.CallbackTimes {
		name := "callback_time.over_8h"
		if i < len(CallbackBounds) {
			name = "callback_time.le_" + shortDuration(CallbackBounds[i])
		}
		m = append(m, measure{name, sum, &f.CallbackTimes[i]})
	}
	m = append(m,
		measure{"agreed", sum, &f.Agreed},
		measure{"agreed.on_time", sum, &f.AgreedOnTime},
		measure{"agreed.late", sum, &f.AgreedLate},
		measure{"agreed.missed", sum, &f.AgreedMissed},
		measure{"agreed.pending", sum, &f.AgreedPending},
	)
	m = append(m, durations("agreed_lateness", &f.AgreedLateness)...)
	m = append(m, measure{"hold.calls", sum, &f.HoldCalls})
	m = append(m, durations("hold", &f.Hold)...)
	m = append(m, measure{"line.calls", sum, &f.LineCalls})
	m = append(m, durations("line", &f.Line)...)
	m = append(m,
		measure{"transfers.calls", sum, &f.TransferCalls},
		measure{"transfers", sum, &f.Transfers},
		measure{"transfers.back", sum, &f.TransfersBack},
		measure{"callback_asked", sum, &f.CallbackAsked},
	)
	return m
}

// durations are the three measures of a Durations: how many, the sum and
// the longest, in nanoseconds.
func durations(name string, d *Durations) []measure {
	return []measure{
		{name + ".n", sum, &d.N},
		{name + ".sum_ns", sum, (*int64)(&d.Sum)},
		{name + ".max_ns", maximum, (*int64)(&d.Max)},
	}
}

// shortDuration names a bucket's bound: 15m, 1h.
func shortDuration(d time.Duration) string {
	if d%time.Hour == 0 {
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	}
	return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
}

// Add puts g's figures into f.
func (f *Figures) Add(g Figures) {
	fm, gm := f.measures(), g.measures()
	for i, m := range fm {
		switch m.kind {
		case sum:
			*m.v += *gm[i].v
		case maximum:
			*m.v = max(*m.v, *gm[i].v)
		}
	}
}

// Measures lists the names of every stored figure, in the table's order:
// the columns of the CSV export.
func Measures() []string {
	var f Figures
	ms := f.measures()
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.name
	}
	return names
}

// Scope is what figures are about.
type Scope struct {
	Kind string // ScopeOffice, ScopeDepartment, ScopeClerk or ScopeGroup
	Key  string // the department's number, the clerk's id, GroupSpecial or GroupOthers; "" for the office
}

// The kinds of scope, and the two groups of callers compared for P5.3.
const (
	ScopeOffice     = "office"
	ScopeDepartment = "department"
	ScopeClerk      = "clerk"
	ScopeGroup      = "group"

	GroupSpecial = "special_needs" // callers known to have special needs
	GroupOthers  = "others"        // everyone else
)

var office = Scope{Kind: ScopeOffice}

// Days are figures by the office's day (YYYY-MM-DD) and by scope.
type Days map[string]map[Scope]*Figures

// at gives the figures of day and scope, made when missing.
func (d Days) at(day string, s Scope) *Figures {
	byScope := d[day]
	if byScope == nil {
		byScope = map[Scope]*Figures{}
		d[day] = byScope
	}
	f := byScope[s]
	if f == nil {
		f = &Figures{}
		byScope[s] = f
	}
	return f
}

// Archive gives the figures as the archive keeps them: every figure that
// is not zero, by day, scope, key and measure.
func (d Days) Archive() []callcare.DayFigure {
	var out []callcare.DayFigure
	for day, byScope := range d {
		for s, f := range byScope {
			for _, m := range f.measures() {
				if *m.v != 0 {
					out = append(out, callcare.DayFigure{Day: day, Scope: s.Kind, Key: s.Key, Measure: m.name, Value: *m.v})
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Day != b.Day {
			return a.Day < b.Day
		}
		if a.Scope != b.Scope {
			return a.Scope < b.Scope
		}
		if a.Key != b.Key {
			return a.Key < b.Key
		}
		return a.Measure < b.Measure
	})
	return out
}

// FromArchive reads figures the archive kept. A measure this version does
// not know is refused: a report must not silently drop a figure.
func FromArchive(figs []callcare.DayFigure) (Days, error) {
	index := map[string]int{}
	for i, name := range Measures() {
		index[name] = i
	}
	d := Days{}
	for _, fig := range figs {
		i, ok := index[fig.Measure]
		if !ok {
			return nil, fmt.Errorf("archived figure %q of %s: unknown to this version of callcare", fig.Measure, fig.Day)
		}
		m := d.at(fig.Day, Scope{Kind: fig.Scope, Key: fig.Key}).measures()[i]
		// A measure stored twice for one day and scope is put together as
		// the table says.
		switch m.kind {
		case sum:
			*m.v += fig.Value
		case maximum:
			*m.v = max(*m.v, fig.Value)
		}
	}
	return d, nil
}
