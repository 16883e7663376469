package policy

import (
	"fmt"
	"time"

	"github.com/callcare/callcare"
)

// Route is where a call goes once absences are taken into account (P4c):
// the steps it rings through, and why it rings somebody other than whom it
// was meant for.
type Route struct {
	Target callcare.Target
	Steps  []callcare.Step
	// Forwarded is set when the clerk the call was meant for is away: the
	// first step rings who covers them.
	Forwarded callcare.Forwarding
	// OnDuty: the clerk's absence holds outside office hours, so the
	// substitute (a duty phone) takes the call while the office is closed.
	OnDuty bool
	// Warnings are the forwards that looped, or led nowhere, at call time
	// (a forward set by phone can make a loop the file never had): the
	// call went on to the clerk's department instead. For the log.
	Warnings []string
}

// logged is what the log says of r, when it says anything (Routed).
func (r Route) logged() []Action {
	if !r.Forwarded.Forwarded() && len(r.Warnings) == 0 {
		return nil
	}
	return []Action{Routed{Forwarded: r.Forwarded, Warnings: r.Warnings}}
}

// RouteCall expands a target into the steps a call rings through at now, as
// Directory.Chain does, with the absences in book: a clerk who is away is
// never rung; who covers them (Absences.Cover) is rung in their place for
// the same rings, and the chain then goes on with the absent clerk's own
// overflow. A department rings its members who are in. Forwards that loop
// at call time send the call on to the clerk's department, with a warning.
// Each clerk is rung at most once a call; no step is empty. It fails, as
// Chain does, on an overflow naming nobody or looping, which config
// validation refuses before a call can meet it.
func RouteCall(dir *callcare.Directory, book *callcare.Absences, t callcare.Target, now time.Time) (Route, error) {
	r := Route{Target: t}
	rung := map[callcare.ClerkID]bool{}
	err := dir.Walk(t, func(t callcare.Target, visited func(callcare.Target) bool) (string, error) {
		first := t == r.Target // a walk tells each target once
		switch t.Kind {
		case callcare.TargetClerk:
			c, ok := dir.Clerk(callcare.ClerkID(t.ID))
			if !ok {
				return "", fmt.Errorf("overflow chain names unknown clerk %q", t.ID)
			}
			next := c.Overflow
			cov, away := book.Cover(dir, c.ID, now)
			switch {
			case !away:
				r.ring(dir, book, t, callcare.Forwarding{}, callcare.Clerk{}, rung, now)
			case cov.Problem != "":
				dep := callcare.Target{Kind: callcare.TargetDepartment, ID: c.Department}
				fwd := callcare.Forwarding{For: t, To: dep, By: cov.Rule.Source, Reason: cov.Rule.Reason, Loop: true}
				if first {
					r.Forwarded = fwd
				}
				r.Warnings = append(r.Warnings, fmt.Sprintf("the forwards of %s lead %s (%s): the call goes on to %s's department %s",
					c.ID, problemWords(cov.Problem), cov.PathString(), c.ID, c.Department))
				if _, known := dir.Department(c.Department); known && !visited(dep) {
					next = c.Department // the department's members, then its overflow chain
				}
			default:
				fwd := callcare.Forwarding{For: t, To: cov.To, By: cov.Rule.Source, Reason: cov.Rule.Reason}
				if first {
					r.Forwarded, r.OnDuty = fwd, cov.Rule.OutsideHours
				}
				r.ring(dir, book, cov.To, fwd, c, rung, now)
			}
			return next, nil
		case callcare.TargetDepartment:
			d, ok := dir.Department(t.ID)
			if !ok {
				return "", fmt.Errorf("overflow chain names unknown department %q", t.ID)
			}
			r.ring(dir, book, t, callcare.Forwarding{}, callcare.Clerk{}, rung, now)
			return d.Overflow, nil
		}
		return "", fmt.Errorf("target %v is neither a clerk nor a department", t)
	})
	return r, err
}

func problemWords(p string) string {
	switch p {
	case "loop":
		return "in a loop"
	case "too long":
		return fmt.Sprintf("through more than %d absent clerks", callcare.MaxForwardHops)
	}
	return "to nobody the directory knows"
}

// ring adds the steps that ring t: a clerk, or a department's members who
// are in (together, or one after another), leaving out whoever is rung
// already. fwd and absent say whose calls t takes, if anybody's.
func (r *Route) ring(dir *callcare.Directory, book *callcare.Absences, t callcare.Target, fwd callcare.Forwarding, absent callcare.Clerk, rung map[callcare.ClerkID]bool, now time.Time) {
	var name string
	if t.Kind == callcare.TargetDepartment {
		if d, ok := dir.Department(t.ID); ok {
			name = d.Name
		}
	}
	add := func(clerks ...callcare.Clerk) {
		if len(clerks) > 0 {
			r.Steps = append(r.Steps, callcare.Step{Clerks: clerks, Via: t, Forward: fwd, Absent: absent, Department: name})
		}
	}
	switch t.Kind {
	case callcare.TargetClerk:
		if c, ok := dir.Clerk(callcare.ClerkID(t.ID)); ok && !rung[c.ID] {
			rung[c.ID] = true
			add(c)
		}
	case callcare.TargetDepartment:
		d, _ := dir.Department(t.ID)
		var group []callcare.Clerk
		for _, id := range d.Members {
			c, ok := dir.Clerk(id)
			if _, away := book.Away(id, now); !ok || away || rung[id] {
				continue
			}
			rung[id] = true
			if d.Ring == callcare.RingInOrder {
				add(c)
			} else {
				group = append(group, c)
			}
		}
		add(group...)
	}
}

// AgreedSteps is who is rung for an agreed-time callback at now (P4m), in
// turn, each clerk once and nobody who is away: the clerk the task is for,
// or who covers them while they are away; the clerk's substitute; the
// department's members together; and the department's head when
// escalation goes there.
func AgreedSteps(dir *callcare.Directory, book *callcare.Absences, t callcare.CallbackTask, toHead bool, now time.Time) [][]callcare.Clerk {
	rung := map[callcare.ClerkID]bool{}
	var steps [][]callcare.Clerk
	add := func(ids ...callcare.ClerkID) {
		var step []callcare.Clerk
		for _, id := range ids {
			c, ok := dir.Clerk(id)
			if _, away := book.Away(id, now); ok && !away && !rung[id] {
				rung[id] = true
				step = append(step, c)
			}
		}
		if len(step) > 0 {
			steps = append(steps, step)
		}
	}
	dept := t.Target.ID
	if t.Target.Kind == callcare.TargetClerk {
		c, _ := dir.Clerk(callcare.ClerkID(t.Target.ID))
		if cov, away := book.Cover(dir, c.ID, now); away && cov.Problem == "" {
			switch cov.To.Kind {
			case callcare.TargetClerk:
				add(callcare.ClerkID(cov.To.ID))
			case callcare.TargetDepartment:
				d, _ := dir.Department(cov.To.ID)
				add(d.Members...)
			}
		}
		add(c.ID)
		add(c.Substitute)
		dept = c.Department
	}
	d, _ := dir.Department(dept)
	add(d.Members...)
	if toHead {
		add(d.Head)
	}
	return steps
}

// Covering lists the clerks who are away at now with clerk taking their
// calls (their cover ends at clerk, or at clerk's department): their
// callbacks are in clerk's queue too (P4c).
func Covering(dir *callcare.Directory, book *callcare.Absences, clerk callcare.Clerk, now time.Time) []callcare.ClerkID {
	var ids []callcare.ClerkID
	for _, c := range dir.Clerks {
		if c.ID == clerk.ID {
			continue
		}
		cov, away := book.Cover(dir, c.ID, now)
		if !away || cov.Problem != "" {
			continue
		}
		if cov.To == (callcare.Target{Kind: callcare.TargetClerk, ID: string(clerk.ID)}) ||
			cov.To == (callcare.Target{Kind: callcare.TargetDepartment, ID: clerk.Department}) {
			ids = append(ids, c.ID)
		}
	}
	return ids
}
