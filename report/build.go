package report

import (
	"fmt"
	"sort"
	"time"

	"github.com/callcare/callcare"
)

// Report is the compliance report of a period: what the Town Secretary
// shows to prove the procedure was kept (ordinance § 2).
type Report struct {
	From, To  string    // the period's first and last day, YYYY-MM-DD
	Made      time.Time // when it was made (Options.Now)
	RingLimit int       // P4a's count of rings
	Office    Figures
	// Special and Others compare the callers known to have special needs
	// with everyone else (P5.3).
	Special, Others Figures
	Departments     []Row // the directory's, in its order; then any others the records name
	Clerks          []Row
	Days            []DayRow // every day of the period, the office's figures
	// Archived are the days of the period read from the archive: their
	// records were purged by the retention, their figures kept.
	Archived []string
}

// Row is one department's or clerk's figures.
type Row struct {
	Key  string // the department's number, the clerk's id
	Name string // the department's name, the clerk's full name; the key when not in the directory
	// Department is a clerk's department's number.
	Department string
	// Position is a clerk's position.
	Position string
	// Listed says whether the directory holds it: a clerk who left, or a
	// department closed, keeps the figures of its days.
	Listed  bool
	Figures Figures
}

// DayRow is one day of the period.
type DayRow struct {
	Day     string
	Figures Figures
}

// Source says where the figures of each day come from: the live records'
// Tally, and the archive (FromArchive) for the days it holds, which win.
type Source struct {
	Live     Days
	Archived Days
	// ArchivedDays are the days the archive holds, even those with no
	// figure (a day with no call is archived too).
	ArchivedDays []string
}

// Build puts the figures of the days from..to (YYYY-MM-DD, both included)
// together into the report.
func Build(src Source, from, to string, o Options) (*Report, error) {
	first, _, err := o.DaySpan(from)
	if err != nil {
		return nil, fmt.Errorf("report: from %q: want YYYY-MM-DD", from)
	}
	last, _, err := o.DaySpan(to)
	if err != nil {
		return nil, fmt.Errorf("report: to %q: want YYYY-MM-DD", to)
	}
	if last.Before(first) {
		return nil, fmt.Errorf("report: the period ends (%s) before it starts (%s)", to, from)
	}
	archived := map[string]bool{}
	for _, d := range src.ArchivedDays {
		archived[d] = true
	}
	r := &Report{From: from, To: to, Made: o.Now.In(o.loc()), RingLimit: o.ringLimit()}
	sums := map[Scope]*Figures{}
	for day := first; !day.After(last); day = nextDay(day) {
		key := day.Format(time.DateOnly)
		byScope := src.Live[key]
		if archived[key] {
			byScope = src.Archived[key]
			r.Archived = append(r.Archived, key)
		}
		row := DayRow{Day: key}
		for s, f := range byScope {
			if sums[s] == nil {
				sums[s] = &Figures{}
			}
			sums[s].Add(*f)
			if s == office {
				row.Figures = *f
			}
		}
		r.Days = append(r.Days, row)
	}
	get := func(s Scope) Figures {
		if f := sums[s]; f != nil {
			return *f
		}
		return Figures{}
	}
	r.Office = get(office)
	r.Special = get(Scope{Kind: ScopeGroup, Key: GroupSpecial})
	r.Others = get(Scope{Kind: ScopeGroup, Key: GroupOthers})
	r.Departments = rows(ScopeDepartment, sums, o, get)
	r.Clerks = rows(ScopeClerk, sums, o, get)
	return r, nil
}

func nextDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, t.Location())
}

// rows lists the directory's departments or clerks, in its order, then
// those only the figures name, by key.
func rows(kind string, sums map[Scope]*Figures, o Options, get func(Scope) Figures) []Row {
	var out []Row
	seen := map[string]bool{}
	dir := o.Directory
	if dir == nil {
		dir = &callcare.Directory{}
	}
	switch kind {
	case ScopeDepartment:
		for _, d := range dir.Departments {
			seen[d.Number] = true
			out = append(out, Row{Key: d.Number, Name: d.Name, Listed: true, Figures: get(Scope{kind, d.Number})})
		}
	case ScopeClerk:
		for _, c := range dir.Clerks {
			seen[string(c.ID)] = true
			out = append(out, Row{Key: string(c.ID), Name: c.FullName(), Department: c.Department, Position: c.Position,
				Listed: true, Figures: get(Scope{kind, string(c.ID)})})
		}
	}
	var others []string
	for s := range sums {
		if s.Kind == kind && !seen[s.Key] {
			others = append(others, s.Key)
		}
	}
	sort.Strings(others)
	for _, k := range others {
		out = append(out, Row{Key: k, Name: k, Figures: get(Scope{kind, k})})
	}
	return out
}
