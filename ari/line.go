package ari

import (
	"context"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/clock"
	"github.com/callcare/callcare/policy"
)

// lineOwner is the one goroutine that keeps a department's waiting line
// (P5.3): calls join and leave it, clerks free up, and it alone decides
// which call goes to which clerk, so two clerks freeing up at once never
// take the same caller. It tells each call its place whenever that
// changes, and hands a call to a free clerk with policy.LineTurn.
type lineOwner struct {
	svc  *Service
	dept string
	in   *inbox
	line policy.Line
	// flows are the calls in the line; sent, the places they were told.
	flows map[string]*flow
	sent  map[string]int
	// declined: a clerk who let a turn go (did not answer, or the phone
	// was busy with a call the service does not see) is offered the line
	// again at the next tick, not at once.
	declined map[callcare.ClerkID]time.Time
	tick     clock.Timer
}

// Inputs of a line's owner.
type (
	lineJoin struct {
		f      *flow
		target callcare.Target
		needs  bool
	}
	lineLeave    struct{ call string }
	lineTurnOver struct {
		call     string
		clerk    callcare.ClerkID
		answered bool
	}
	lineClerkFree struct{ clerk callcare.ClerkID }
	lineTick      struct{}
)

// line is the owner of a department's line, started on first use.
func (s *Service) line(dept string) *lineOwner {
	s.mu.Lock()
	defer s.mu.Unlock()
	if lo := s.lines[dept]; lo != nil {
		return lo
	}
	lo := &lineOwner{svc: s, dept: dept, in: newInbox(), flows: map[string]*flow{}, sent: map[string]int{},
		declined: map[callcare.ClerkID]time.Time{}}
	lo.in.track(&s.work)
	s.lines[dept] = lo
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		lo.run(s.ctx)
	}()
	return lo
}

// freed tells the line of a clerk's department that the clerk's last
// call through the service ended: the first caller waiting for them rings
// them at once.
func (s *Service) freed(clerk callcare.ClerkID) {
	c, ok := s.settings.Load().Directory.Clerk(clerk)
	if !ok {
		return
	}
	s.mu.Lock()
	lo := s.lines[c.Department]
	s.mu.Unlock()
	if lo != nil {
		lo.in.push(lineClerkFree{clerk: clerk})
	}
}

func (lo *lineOwner) run(ctx context.Context) {
	defer func() {
		if lo.tick != nil {
			lo.tick.Stop()
		}
		lo.in.close()
	}()
	for {
		items := lo.in.wait(ctx)
		if items == nil {
			return
		}
		for _, it := range items {
			lo.handle(it)
		}
		lo.tell()
		lo.arm()
	}
}

func (lo *lineOwner) handle(it any) {
	switch it := it.(type) {
	case lineJoin:
		lo.line.Join(it.f.id, it.target, it.needs)
		lo.flows[it.f.id] = it.f
		lo.offerAll()
	case lineLeave:
		lo.leave(it.call)
		lo.offerAll()
	case lineTurnOver:
		if it.answered {
			lo.leave(it.call)
		} else {
			lo.line.Declined(it.call)
			lo.declined[it.clerk] = lo.svc.clock.Now()
		}
		lo.offerAll()
	case lineClerkFree:
		delete(lo.declined, it.clerk)
		if c, ok := lo.svc.settings.Load().Directory.Clerk(it.clerk); ok && lo.line.Len() > 0 {
			lo.offer(c, lo.book())
		}
	case lineTick:
		lo.tick = nil
		clear(lo.declined)
		lo.offerAll()
	}
}

func (lo *lineOwner) leave(call string) {
	lo.line.Leave(call)
	delete(lo.flows, call)
	delete(lo.sent, call)
}

// offerAll offers the line to every member of the department who is not
// on a call through the service and did not just let a turn go.
func (lo *lineOwner) offerAll() {
	if lo.line.Len() == 0 {
		return
	}
	dir := lo.svc.settings.Load().Directory
	d, _ := dir.Department(lo.dept)
	book := lo.book()
	for _, id := range d.Members {
		if _, recently := lo.declined[id]; recently {
			continue
		}
		if c, ok := dir.Clerk(id); ok {
			lo.offer(c, book)
		}
	}
}

// offer hands the first call waiting for c to c, unless c is on a call
// through the service or away now (P4c: whoever covers them takes their
// own calls, not their department's line).
func (lo *lineOwner) offer(c callcare.Clerk, book *callcare.Absences) {
	if lo.line.Len() == 0 || lo.svc.isBusy(c.ID) {
		return
	}
	if _, away := book.Away(c.ID, lo.svc.clock.Now()); away {
		return
	}
	call, ok := lo.line.Offer(c)
	if !ok {
		return
	}
	lo.svc.log.Info("line: a clerk is free", "department", lo.dept, "clerk", c.ID, "call", call)
	lo.flows[call].in.push(policy.LineTurn{Clerk: c})
}

// book is the absences in force, read once for a round of offers: the
// phone's forwards come from the store.
func (lo *lineOwner) book() *callcare.Absences {
	return lo.svc.book(lo.svc.settings.Load(), lo.svc.clock.Now())
}

// tell sends each call its place when it changed.
func (lo *lineOwner) tell() {
	for call, pos := range lo.line.Positions() {
		if lo.sent[call] != pos {
			lo.sent[call] = pos
			lo.flows[call].in.push(policy.LinePosition{Position: pos})
		}
	}
}

// arm keeps a tick while callers wait: clerks busy with calls the
// service does not see (their phone's own 486) are tried again then.
func (lo *lineOwner) arm() {
	if lo.line.Len() == 0 {
		if lo.tick != nil {
			lo.tick.Stop()
			lo.tick = nil
		}
		return
	}
	if lo.tick != nil {
		return
	}
	every := lo.svc.settings.Load().Inbound.Waiting.AnnounceEvery
	if every <= 0 {
		every = 30 * time.Second
	}
	lo.tick = lo.svc.clock.AfterFunc(every, func() { lo.in.push(lineTick{}) })
}
