package policy

import (
	"fmt"
	"time"

	"github.com/callcare/callcare"
)

// AgreedCallback is a callback at the time agreed with the citizen (P4m):
// the service rings the clerk first, who hears who and why (P4i) and
// presses 1; only then is the citizen dialed. A clerk who does not answer
// in the procedure's rings passes it to the next step (the substitute, the
// department, the head); a clerk on another call is rung again when free;
// if nobody takes it, it is marked overdue.
type AgreedCallback struct {
	desk
	steps     [][]callcare.Clerk // who is rung, step by step
	step      int
	legs      map[string]callcare.Clerk // the clerks' phones ringing now
	ringingAt time.Time
	busyTries int  // times the step found its clerks on another call
	busyWait  bool // waiting to ring the step again
}

// StartAgreed begins an agreed-time callback for a task the service has
// claimed: the clerks of steps are rung in turn, each for the procedure's
// rings.
func StartAgreed(id string, task callcare.CallbackTask, steps [][]callcare.Clerk, set SessionSettings, now time.Time) (*AgreedCallback, []Action) {
	a := &AgreedCallback{
		desk: desk{id: id, set: set, task: task, hasTask: true, phase: phRingClerk, now: now,
			intro: set.Prompts.CallbackAgreed, menu: set.Prompts.CallbackPress1},
		steps: steps, legs: map[string]callcare.Clerk{},
	}
	return a, a.ringStep()
}

// Step feeds one event to the callback.
func (a *AgreedCallback) Step(ev Event, now time.Time) []Action {
	a.now = now
	if a.call != nil {
		return a.stepCall(ev)
	}
	if a.phase == phRingClerk {
		switch ev := ev.(type) {
		case LegRinging:
			if _, ok := a.legs[ev.Leg]; ok && a.ringingAt.IsZero() {
				a.ringingAt = now
				a.deadline = now.Add(a.set.Procedure.RingLimit())
			}
			return nil
		case LegAnswered:
			if c, ok := a.legs[ev.Leg]; ok {
				return a.clerkAnswered(ev.Leg, c)
			}
			return nil
		case LegFailed:
			return a.clerkLegEnded(ev.Leg, attemptResult(ev.Result))
		case LegGone:
			return a.clerkLegEnded(ev.Leg, callcare.AttemptNoAnswer)
		case ClerkGone:
			return nil // not the clerk's channel yet
		case TimerFired:
			if !a.linkDown && !a.deadline.IsZero() && !now.Before(a.deadline) {
				a.deadline = time.Time{}
				if a.busyWait {
					a.busyWait = false
					return a.ringStep()
				}
				return append(a.leaveRingingClerks(""), a.nextClerkStep()...)
			}
			return nil
		}
	}
	switch ev.(type) {
	case ClerkGone:
		if a.phase == phMenu {
			// The clerk answered and hung up without taking it: the callback
			// goes on to the next clerk, as if the phone had not been answered.
			acts := append(a.stopPrompts(), a.leaveOwn()...)
			return append(acts, a.nextClerkStep()...)
		}
	case LinkBack:
		if a.phase != phSessionDone {
			a.linkDown = false
			return []Action{Resync{Legs: a.liveLegs()}}
		}
	}
	acts, t := a.desk.step(ev)
	return append(acts, a.turn(t)...)
}

// turn decides what follows where an agreed callback differs from the
// queue: it was one task, so it ends.
func (a *AgreedCallback) turn(t turn) []Action {
	switch t {
	case turnTaskOver:
		a.hasTask = false
		return a.end(a.set.Prompts.Goodbye)
	case turnTaskClosed:
		return a.end(a.set.Prompts.Goodbye)
	case turnNotReached:
		return a.end(a.set.Prompts.NotReached)
	case turnMenuKey:
		return a.repeatMenu()
	case turnMenuSilent:
		// Answered but never confirmed: the next clerk is rung.
		acts := append([]Action{HangupLeg{Leg: a.own, Reason: "normal"}}, a.leaveOwn()...)
		return append(acts, a.nextClerkStep()...)
	}
	return nil
}

// agreedWith is the clerk the callback's time was agreed with, when c,
// rung for it, is somebody else (a substitute, the department): c's phone
// says whose callback it takes (P4d). Zero when it is c's own.
func (a *AgreedCallback) agreedWith(c callcare.Clerk) callcare.Clerk {
	t := a.task.Target
	if t.Kind != callcare.TargetClerk || callcare.ClerkID(t.ID) == c.ID || a.set.Directory == nil {
		return callcare.Clerk{}
	}
	whose, _ := a.set.Directory.Clerk(callcare.ClerkID(t.ID))
	return whose
}

func (a *AgreedCallback) ringStep() []Action {
	if a.step >= len(a.steps) {
		// Nobody took the callback at its time: overdue, for the report
		// and the escalation.
		a.phase = phSessionDone
		a.deadline = time.Time{}
		return []Action{MarkOverdue{Task: a.task.ID}, ReleaseTask{Task: a.task.ID}, Finish{}}
	}
	a.phase = phRingClerk
	a.ringingAt = time.Time{}
	a.deadline = a.now.Add(2 * a.set.Procedure.RingLimit())
	var acts []Action
	for _, c := range a.steps[a.step] {
		a.seq++
		leg := fmt.Sprintf("%s-clerk%d", a.id, a.seq)
		a.legs[leg] = c
		caller, _ := callcare.CallableNumber(a.task.Number)
		acts = append(acts, Originate{Leg: leg, Endpoint: c.Endpoint, CallerID: string(caller),
			CallerName: DisplayName(a.set.Say.Lang, WhyCallback, a.agreedWith(c), a.task.Priority == callcare.PrioritySpecialNeeds, a.set.DisplayMax), // P4d
			Timeout:    2 * a.set.Procedure.RingLimit(), Args: "callback-clerk"})
	}
	return acts
}

// clerkAnswered: the flow talks to that clerk's channel from now on.
func (a *AgreedCallback) clerkAnswered(leg string, c callcare.Clerk) []Action {
	acts := a.leaveRingingClerks(leg)
	a.own, a.clerk = leg, c
	a.legs = map[string]callcare.Clerk{}
	a.deadline = time.Time{}
	a.timeouts = 0
	acts = append(acts, OwnChannel{Channel: leg, Clerk: c.ID, Up: true})
	return append(acts, a.present()...)
}

// leaveOwn: the clerk who answered is no longer the flow's.
func (a *AgreedCallback) leaveOwn() []Action {
	a.own, a.clerk = "", callcare.Clerk{}
	return []Action{OwnChannel{}}
}

func (a *AgreedCallback) clerkLegEnded(leg string, res callcare.AttemptResult) []Action {
	if _, ok := a.legs[leg]; !ok {
		return nil
	}
	delete(a.legs, leg)
	var acts []Action
	if res == callcare.AttemptBusy {
		acts = append(acts, HangupLeg{Leg: leg, Reason: "normal"})
	}
	if len(a.legs) > 0 {
		return acts
	}
	// A clerk on another call is not rung until free: ring the same step
	// again a ring limit later, a few times, before moving on.
	if res == callcare.AttemptBusy && a.busyTries < 3 {
		a.busyTries++
		a.busyWait = true
		a.deadline = a.now.Add(a.set.Procedure.RingLimit())
		return acts
	}
	return append(acts, a.nextClerkStep()...)
}

// leaveRingingClerks hangs up every ringing clerk but keep.
func (a *AgreedCallback) leaveRingingClerks(keep string) []Action {
	var acts []Action
	for leg := range a.legs {
		if leg != keep {
			acts = append(acts, HangupLeg{Leg: leg, Reason: "no_answer"})
			delete(a.legs, leg)
		}
	}
	return acts
}

func (a *AgreedCallback) nextClerkStep() []Action {
	a.step++
	a.busyTries = 0
	return a.ringStep()
}

// liveLegs are the legs whose end the callback still waits for.
func (a *AgreedCallback) liveLegs() []string {
	legs := a.desk.liveLegs()
	for leg := range a.legs {
		legs = append(legs, leg)
	}
	return legs
}
