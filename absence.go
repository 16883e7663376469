package callcare

import (
	"fmt"
	"strings"
	"time"
)

// Absences (P4c: "during a longer absence, forward calls to the right
// person"). A clerk is away by a rule of callcare.yaml (leave from a date to
// a date, every Friday from 13:00, outside office hours) or by a forward set
// from the desk phone or the command line, which wins over the file while it
// is in force. Whoever calls an absent clerk reaches the substitute at once,
// for the same rings and with the same overflow.

// AbsenceReason says why a clerk is away: the substitute's phone shows it,
// so the substitute knows whose call it is and why (P4d).
type AbsenceReason string

const (
	AbsenceUnsaid    AbsenceReason = ""           // not said
	AbsenceLeave     AbsenceReason = "leave"      // urlop
	AbsenceSickLeave AbsenceReason = "sick_leave" // zwolnienie lekarskie
	AbsenceTraining  AbsenceReason = "training"   // szkolenie
	AbsenceFieldWork AbsenceReason = "field_work" // praca w terenie
)

// AbsenceReasons are the reasons an absence may give.
var AbsenceReasons = []AbsenceReason{AbsenceLeave, AbsenceSickLeave, AbsenceTraining, AbsenceFieldWork}

// Polish is the reason as the office says it.
func (r AbsenceReason) Polish() string {
	switch r {
	case AbsenceLeave:
		return "urlop"
	case AbsenceSickLeave:
		return "zwolnienie lekarskie"
	case AbsenceTraining:
		return "szkolenie"
	case AbsenceFieldWork:
		return "praca w terenie"
	}
	return string(r)
}

// ForwardSource says where an absence was set.
type ForwardSource string

const (
	SetInFile  ForwardSource = "yaml"  // an absence in callcare.yaml
	SetByPhone ForwardSource = "phone" // a feature code on a desk phone
	SetByCLI   ForwardSource = "cli"   // callcare absences set
)

// Weekly is a recurring absence: on these days of the week, from From to
// To, minutes after midnight in the office's zone. To at or before From
// runs past midnight into the next day ("22:00-06:00"); 0 to 1440 is the
// whole day. The clock on the wall decides, so a rule "from 13:00" starts
// at 13:00 on either side of a change to or from summer time.
type Weekly struct {
	Days     [7]bool // by time.Weekday
	From, To int
}

// covers tells whether the rule holds at t, read in the office's zone.
func (w Weekly) covers(t time.Time) bool {
	m := t.Hour()*60 + t.Minute()
	wd := t.Weekday()
	if w.From < w.To {
		return w.Days[wd] && m >= w.From && m < w.To
	}
	yesterday := (wd + 6) % 7
	return w.Days[wd] && m >= w.From || w.Days[yesterday] && m < w.To
}

// String gives the rule as an admin wrote it: "fri 13:00-24:00".
func (w Weekly) String() string {
	var days []string
	for i := range 7 {
		if d := time.Weekday((i + 1) % 7); w.Days[d] { // Monday first, as a Polish week
			days = append(days, strings.ToLower(d.String()[:3]))
		}
	}
	return fmt.Sprintf("%s %02d:%02d-%02d:%02d", strings.Join(days, ","), w.From/60, w.From%60, w.To/60, w.To%60)
}

// Absence is one rule of when a clerk is away and who takes the clerk's
// calls meanwhile: a rule of callcare.yaml, or a forward set by phone or
// from the command line (Source says which).
type Absence struct {
	Clerk  ClerkID
	To     Target // the substitute: a clerk or a department
	Reason AbsenceReason
	// From and Until bound the absence, [From, Until); a zero one is open.
	From, Until time.Time
	// Weekly, when set, limits it to days and hours of the week.
	Weekly *Weekly
	// OutsideHours limits it to the times the office is closed: calls
	// for the clerk then ring the substitute (the duty phone) instead of
	// hearing that the office is closed.
	OutsideHours bool
	Source       ForwardSource
	SetBy        string    // who set a forward: a clerk id, or "admin"
	SetAt        time.Time // when it was set
	Where        string    // a rule of the file: "absences[2], line 57"
}

// InForce tells whether the absence holds at t; hours is the office's week
// (for OutsideHours) and zone (for Weekly).
func (a Absence) InForce(t time.Time, hours OfficeHours) bool {
	switch {
	case !a.From.IsZero() && t.Before(a.From):
		return false
	case !a.Until.IsZero() && !t.Before(a.Until):
		return false
	case a.Weekly != nil && !a.Weekly.covers(t.In(hours.loc())):
		return false
	case a.OutsideHours && hours.IsOpen(t):
		return false
	}
	return true
}

// Ended tells whether the absence is over for good at t.
func (a Absence) Ended(t time.Time) bool { return !a.Until.IsZero() && !t.Before(a.Until) }

// Absences is every absence the office knows of: the rules of
// callcare.yaml and the forwards set by phone or the command line.
type Absences struct {
	Rules    []Absence // callcare.yaml's, in file order
	Forwards []Absence // by phone or command line: at most one in force per clerk
	Hours    OfficeHours
}

// Away is the absence of clerk in force at t: a forward first (it wins over
// the file while it is in force), then the first rule of the file.
func (b *Absences) Away(clerk ClerkID, t time.Time) (Absence, bool) {
	if b == nil {
		return Absence{}, false
	}
	for _, list := range [][]Absence{b.Forwards, b.Rules} {
		for _, a := range list {
			if a.Clerk == clerk && a.InForce(t, b.Hours) {
				return a, true
			}
		}
	}
	return Absence{}, false
}

// MaxForwardHops is how far absences are followed: A away to B, B away to C,
// and so on. Past it, the forwards are taken as a loop.
const MaxForwardHops = 5

// Cover is who takes an absent clerk's calls at a moment.
type Cover struct {
	Rule  Absence   // the clerk's own absence in force
	Rules []Absence // every absence followed, the clerk's first
	To    Target    // who takes the calls: a clerk who is in, or a department
	Path  []Target  // from the absent clerk to To, hop by hop
	// Problem says why nobody was found: the absences loop ("loop"),
	// lead further than MaxForwardHops ("too long") or name somebody the
	// directory does not have ("unknown"); "" when To was found.
	Problem string
}

// Cover follows the absences from clerk at t: to the substitute, and on
// while the substitute is away too. A department takes the calls when one
// of its members is in; when all are away, its overflow does. ok is false
// when the clerk is not away.
func (b *Absences) Cover(dir *Directory, clerk ClerkID, t time.Time) (c Cover, ok bool) {
	r, away := b.Away(clerk, t)
	if !away {
		return Cover{}, false
	}
	start := Target{Kind: TargetClerk, ID: string(clerk)}
	c = Cover{Rule: r, Rules: []Absence{r}, Path: []Target{start}}
	seen := map[Target]bool{start: true}
	cur := r.To
	for hops := 1; ; hops++ {
		c.Path = append(c.Path, cur)
		switch {
		case seen[cur]:
			c.Problem = "loop"
			return c, true
		case hops > MaxForwardHops:
			c.Problem = "too long"
			return c, true
		}
		seen[cur] = true
		switch cur.Kind {
		case TargetClerk:
			if _, known := dir.Clerk(ClerkID(cur.ID)); !known {
				c.Problem = "unknown"
				return c, true
			}
			next, away := b.Away(ClerkID(cur.ID), t)
			if !away {
				c.To = cur
				return c, true
			}
			c.Rules = append(c.Rules, next)
			cur = next.To
		case TargetDepartment:
			d, known := dir.Department(cur.ID)
			if !known {
				c.Problem = "unknown"
				return c, true
			}
			over, hasOverflow := dir.TargetOf(d.Overflow)
			if b.AnyIn(d, t) || d.Overflow == "" || !hasOverflow {
				c.To = cur
				return c, true
			}
			cur = over
		default:
			c.Problem = "unknown"
			return c, true
		}
	}
}

// AnyIn tells whether a member of the department is in at t.
func (b *Absences) AnyIn(d Department, t time.Time) bool {
	for _, m := range d.Members {
		if _, away := b.Away(m, t); !away {
			return true
		}
	}
	return false
}

// PathString is the path of a cover as a log line shows it: "anowak ->
// pwisniewski -> anowak".
func (c Cover) PathString() string {
	ids := make([]string, len(c.Path))
	for i, t := range c.Path {
		ids[i] = t.ID
	}
	return strings.Join(ids, " -> ")
}

// Forwarding is why a call rings somebody other than whom it was meant
// for: it goes with the call to the substitute's phone (P4d) and into the
// call log. The zero value means the call was not forwarded.
type Forwarding struct {
	For    Target        // whom the call was meant for
	To     Target        // who takes it instead
	By     ForwardSource // where the absence was set
	Reason AbsenceReason
	// Loop: the forwards looped (or led nowhere) at call time; the call
	// went on to the clerk's department instead.
	Loop bool
}

// Forwarded tells whether the call went elsewhere.
func (f Forwarding) Forwarded() bool { return f.For.Kind != "" }
