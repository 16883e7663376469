package policy

import (
	"slices"

	"github.com/callcare/callcare"
)

// Line is a department's waiting line (P5.3): callers who chose to wait
// for a busy clerk or department, in the order they are served. People
// with special needs go first, then everybody by arrival. One owner keeps
// it (the shell runs one goroutine per line), so two clerks freeing up at
// once never take the same caller: a caller is offered to one clerk at a
// time.
type Line struct {
	entries []*lineEntry
	seq     int
}

type lineEntry struct {
	call    string
	target  callcare.Target // the clerk asked for, or the department
	needs   bool
	seq     int
	offered callcare.ClerkID // being put through to this clerk; "" while waiting
}

// Join puts a call in the line; a call already in it keeps its place,
// unless it now has special needs (the caller pressed the menu's
// assistance key while waiting): then it goes before those who have none.
func (l *Line) Join(call string, target callcare.Target, needs bool) {
	if i := l.find(call); i >= 0 {
		if e := l.entries[i]; needs && !e.needs {
			e.needs = true
			l.sort()
		}
		return
	}
	l.seq++
	l.entries = append(l.entries, &lineEntry{call: call, target: target, needs: needs, seq: l.seq})
	l.sort()
}

// sort orders the line: special needs first, then by arrival.
func (l *Line) sort() {
	slices.SortStableFunc(l.entries, func(a, b *lineEntry) int {
		switch {
		case a.needs != b.needs:
			if a.needs {
				return -1
			}
			return 1
		case a.seq < b.seq:
			return -1
		case a.seq > b.seq:
			return 1
		}
		return 0
	})
}

// Leave takes a call out of the line: served, or gone.
func (l *Line) Leave(call string) {
	if i := l.find(call); i >= 0 {
		l.entries = slices.Delete(l.entries, i, i+1)
	}
}

// Offer gives clerk the first waiting call the clerk may take (one for
// the clerk, or for the clerk's department), and marks it offered: no
// other clerk gets it while it is. ok is false when none waits for the
// clerk, or the clerk is being offered one already.
func (l *Line) Offer(clerk callcare.Clerk) (call string, ok bool) {
	for _, e := range l.entries {
		if e.offered == clerk.ID {
			return "", false
		}
	}
	for _, e := range l.entries {
		if e.offered != "" || !e.takes(clerk) {
			continue
		}
		e.offered = clerk.ID
		return e.call, true
	}
	return "", false
}

func (e *lineEntry) takes(c callcare.Clerk) bool {
	switch e.target.Kind {
	case callcare.TargetClerk:
		return e.target.ID == string(c.ID)
	case callcare.TargetDepartment:
		return e.target.ID == c.Department
	}
	return false
}

// Declined: the clerk offered the call did not take it; it waits again,
// in its place.
func (l *Line) Declined(call string) {
	if i := l.find(call); i >= 0 {
		l.entries[i].offered = ""
	}
}

// Offered tells who a call is being put through to, if anybody.
func (l *Line) Offered(call string) callcare.ClerkID {
	if i := l.find(call); i >= 0 {
		return l.entries[i].offered
	}
	return ""
}

// Positions gives each call its place in the line, 1 for the first.
func (l *Line) Positions() map[string]int {
	out := make(map[string]int, len(l.entries))
	for i, e := range l.entries {
		out[e.call] = i + 1
	}
	return out
}

// Len is how many callers wait.
func (l *Line) Len() int { return len(l.entries) }

func (l *Line) find(call string) int {
	return slices.IndexFunc(l.entries, func(e *lineEntry) bool { return e.call == call })
}
