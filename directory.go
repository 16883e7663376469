package callcare

import (
	"fmt"
	"strings"
)

// ClerkID is the id an admin gives a clerk in the staff directory.
type ClerkID string

// Clerk is one member of staff who takes calls. P4d: the fields are what a
// clerk says when answering (name, surname, position, department).
type Clerk struct {
	ID         ClerkID
	Name       string
	Surname    string
	Position   string
	Department string // number of the department the clerk belongs to
	Extension  string // the number citizens and colleagues dial
	Endpoint   string // the Asterisk endpoint of the desk phone, e.g. PJSIP/101
	// Overflow names who is rung next when the clerk does not answer in time:
	// a clerk id or a department number, empty for nobody.
	Overflow string
	// Substitute takes the clerk's agreed callbacks when the clerk does not
	// (P4c, P4m); empty for nobody.
	Substitute ClerkID
}

// FullName is how the clerk introduces themselves.
func (c Clerk) FullName() string { return strings.TrimSpace(c.Name + " " + c.Surname) }

// RingStrategy says how a department rings its members.
type RingStrategy string

const (
	RingTogether RingStrategy = "together" // all members ring at once
	RingInOrder  RingStrategy = "in_order" // one member after another, each for the full ring count
)

// Department is a number that reaches a group of clerks.
type Department struct {
	Number   string // the number dialed to reach the department
	Name     string
	Members  []ClerkID
	Ring     RingStrategy
	Overflow string  // clerk id or department number rung when no member answers
	Head     ClerkID // who an overdue callback escalates to; empty for nobody
	// MusicClass is what the department's callers hear on hold (P4h): a
	// class of Asterisk's musiconhold.conf; empty for the office's.
	MusicClass string
	// WhenBusy is what a caller of a busy member hears (P4b).
	WhenBusy BusyPolicy
}

// BusyPolicy says what happens to a caller whose clerk is on another call
// (P4b).
type BusyPolicy string

const (
	// BusyOverflow rings the next person of the chain at once (the default).
	BusyOverflow BusyPolicy = "overflow"
	// BusyOffer tells the caller the clerk is talking with another client
	// and offers a callback as soon as possible, or at a time the caller
	// picks (and a place in the waiting line, when the department keeps
	// one).
	BusyOffer BusyPolicy = "offer"
)

// TargetKind tells a clerk from a department.
type TargetKind string

const (
	TargetClerk      TargetKind = "clerk"
	TargetDepartment TargetKind = "department"
)

// Target is what a dialed number reaches.
type Target struct {
	Kind TargetKind
	ID   string // clerk id or department number
}

func (t Target) String() string { return string(t.Kind) + ":" + t.ID }

// Directory is the staff directory: the one source of truth about who takes
// which calls (P3.3).
type Directory struct {
	Clerks      []Clerk
	Departments []Department
}

// Clerk finds a clerk by id.
func (d *Directory) Clerk(id ClerkID) (Clerk, bool) {
	for _, c := range d.Clerks {
		if c.ID == id {
			return c, true
		}
	}
	return Clerk{}, false
}

// Department finds a department by number.
func (d *Directory) Department(number string) (Department, bool) {
	for _, dep := range d.Departments {
		if dep.Number == number {
			return dep, true
		}
	}
	return Department{}, false
}

// TargetOf names what an overflow reference points at: a clerk id first, then
// a department number.
func (d *Directory) TargetOf(ref string) (Target, bool) {
	if _, ok := d.Clerk(ClerkID(ref)); ok {
		return Target{Kind: TargetClerk, ID: ref}, true
	}
	if _, ok := d.Department(ref); ok {
		return Target{Kind: TargetDepartment, ID: ref}, true
	}
	return Target{}, false
}

// Step is one stage of ringing: the clerks rung together, for the procedure's
// ring count, before the call overflows to the next step.
type Step struct {
	Clerks []Clerk
	Via    Target // the target this step comes from, for the call log
	// Forward says the step rings a substitute in an absent clerk's
	// place, and why (P4d); zero for a step rung as the chain has it.
	Forward Forwarding
	// Absent is the clerk Forward is for: the substitute's phone shows
	// whose call it takes (P4d).
	Absent Clerk
	// Department is the name of the department Via is, if it is one: a
	// phone rung for a department's number shows it (P4d).
	Department string
}

// Walk follows the overflow chain from t: visit is told each target in
// turn and returns whom it overflows to ("" ends the chain); visited tells
// whether a target was told already. A target told twice is a loop, and an
// overflow naming nobody an error: the chain's rules, kept in one place for
// Chain and for routing with absences (policy.RouteCall).
func (d *Directory) Walk(t Target, visit func(t Target, visited func(Target) bool) (next string, err error)) error {
	seen := map[Target]bool{}
	visited := func(x Target) bool { return seen[x] }
	path := []string{t.ID}
	for {
		if seen[t] {
			return fmt.Errorf("overflow chain loops: %s", strings.Join(path, " -> "))
		}
		seen[t] = true
		next, err := visit(t, visited)
		if err != nil || next == "" {
			return err
		}
		nt, ok := d.TargetOf(next)
		if !ok {
			return fmt.Errorf("overflow of %s names %q, which is neither a clerk nor a department", t.ID, next)
		}
		path = append(path, next)
		t = nt
	}
}

// Chain expands a target into the steps a call rings through: the target
// itself, then its overflow, then that one's overflow, and so on. A clerk is
// rung at most once a call. It fails on a reference to nobody or on a loop,
// which config validation reports to the admin before a call can meet it.
func (d *Directory) Chain(t Target) ([]Step, error) {
	var steps []Step
	rung := map[ClerkID]bool{}
	err := d.Walk(t, func(t Target, _ func(Target) bool) (string, error) {
		switch t.Kind {
		case TargetClerk:
			c, ok := d.Clerk(ClerkID(t.ID))
			if !ok {
				return "", fmt.Errorf("overflow chain names unknown clerk %q", t.ID)
			}
			if !rung[c.ID] {
				rung[c.ID] = true
				steps = append(steps, Step{Clerks: []Clerk{c}, Via: t})
			}
			return c.Overflow, nil
		case TargetDepartment:
			dep, ok := d.Department(t.ID)
			if !ok {
				return "", fmt.Errorf("overflow chain names unknown department %q", t.ID)
			}
			var group []Clerk
			for _, id := range dep.Members {
				c, ok := d.Clerk(id)
				if !ok {
					return "", fmt.Errorf("department %s lists unknown clerk %q", dep.Number, id)
				}
				if rung[c.ID] {
					continue
				}
				rung[c.ID] = true
				if dep.Ring == RingInOrder {
					steps = append(steps, Step{Clerks: []Clerk{c}, Via: t, Department: dep.Name})
				} else {
					group = append(group, c)
				}
			}
			if len(group) > 0 {
				steps = append(steps, Step{Clerks: group, Via: t, Department: dep.Name})
			}
			return dep.Overflow, nil
		}
		return "", nil
	})
	return steps, err
}
