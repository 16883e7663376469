package policy

import (
	"time"

	"github.com/callcare/callcare"
)

// QueueSession is a clerk working the callback queue from the desk phone
// (P4c): the clerk dialed the feature code and hears how many callbacks
// wait, their own first, then their department's; each is read out
// (special needs first, the department's too: P5.3), and
// keys call the citizen (1), skip to the next (2) or mark it done (3). A
// clerk silent at the menu hears the task once more, then the session ends
// changing nothing.
type QueueSession struct {
	desk
	skip []int64 // tasks skipped this session: not offered again
	// covering are absent clerks whose calls this clerk takes (P4c):
	// their callbacks are in this clerk's queue as their own.
	covering []callcare.ClerkID
}

// StartQueue begins the session of a clerk who dialed the feature code on
// the channel id. The clerk is known by the desk phone's endpoint Asterisk
// authenticated.
func StartQueue(id string, clerk callcare.Clerk, set SessionSettings, now time.Time) (*QueueSession, []Action) {
	return StartQueueCovering(id, clerk, nil, set, now)
}

// StartQueueCovering is StartQueue for a clerk who covers absent
// colleagues (Covering): their callbacks come first with the clerk's own.
func StartQueueCovering(id string, clerk callcare.Clerk, covering []callcare.ClerkID, set SessionSettings, now time.Time) (*QueueSession, []Action) {
	q := &QueueSession{desk: desk{id: id, own: id, set: set, clerk: clerk, phase: phGreeting, now: now,
		menu: set.Prompts.CallbackMenu}, covering: covering}
	return q, []Action{OwnChannel{Channel: id, Clerk: clerk.ID}, Answer{}, CountQueue{Clerk: clerk.ID, Department: clerk.Department, Covering: covering}}
}

// Step feeds one event to the session.
func (q *QueueSession) Step(ev Event, now time.Time) []Action {
	q.now = now
	if q.call != nil {
		return q.stepCall(ev)
	}
	if q.phase != phSessionDone {
		switch ev := ev.(type) {
		case QueueCounted:
			return q.counted(ev)
		case TaskClaimed:
			return q.claimed(ev)
		case LinkBack:
			q.linkDown = false
			return []Action{Resync{Legs: q.liveLegs()}}
		}
	}
	acts, t := q.desk.step(ev)
	return append(acts, q.turn(t)...)
}

// turn decides what follows where the queue differs from an agreed
// callback: the queue goes on to the next task.
func (q *QueueSession) turn(t turn) []Action {
	switch t {
	case turnTaskOver, turnTaskClosed:
		return []Action{q.claimNext()}
	case turnNotReached:
		return append(q.say("sound:"+q.set.Prompts.NotReached), q.claimNext())
	case turnMenuKey:
		switch q.key {
		case "2":
			q.skip = append(q.skip, q.task.ID)
			return []Action{ReleaseTask{Task: q.task.ID}, q.claimNext()}
		case "3":
			return []Action{MarkDone{Task: q.task.ID, Resolution: callcare.ResolvedByClerk, By: q.clerk.ID}, q.claimNext()}
		}
		return q.repeatMenu()
	case turnMenuSilent:
		// A second silence: end without changing anything.
		acts := []Action{ReleaseTask{Task: q.task.ID}}
		q.hasTask = false
		return append(acts, q.end(q.set.Prompts.Goodbye)...)
	}
	return nil
}

func (q *QueueSession) counted(ev QueueCounted) []Action {
	if q.phase != phGreeting {
		return nil
	}
	n := ev.Own + ev.Department
	if n == 0 {
		return q.end(q.set.Prompts.CallbacksNone)
	}
	q.phase = phClaiming
	acts := q.say(append([]string{"sound:" + q.set.Prompts.CallbacksWaiting}, q.set.Say.Number(n)...)...)
	return append(acts, q.claimNext())
}

func (q *QueueSession) claimNext() Action {
	q.phase = phClaiming
	q.hasTask = false
	return ClaimNext{Clerk: q.clerk.ID, Department: q.clerk.Department, Skip: append([]int64(nil), q.skip...), Covering: q.covering}
}

func (q *QueueSession) claimed(ev TaskClaimed) []Action {
	if q.phase != phClaiming {
		if ev.OK { // claimed when no longer wanted: give it back
			return []Action{ReleaseTask{Task: ev.Task.ID}}
		}
		return nil
	}
	if !ev.OK {
		return q.end(q.set.Prompts.CallbacksNone)
	}
	q.task, q.hasTask, q.timeouts = ev.Task, true, 0
	return q.present()
}
