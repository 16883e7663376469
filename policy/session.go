package policy

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/callcare/callcare"
)

// SessionSettings are what a clerk's callback session needs to know.
type SessionSettings struct {
	Procedure  callcare.Procedure
	Rules      CallbackRules
	Prompts    callcare.Prompts
	KeyTimeout time.Duration // P5.1: long, so nobody is rushed
	Dial       string        // dial string for a citizen, with {number}
	CallerID   string        // the office's number, shown to citizens
}

// SessionMode tells how a clerk's session began.
type SessionMode int

const (
	// ModeQueue: the clerk dialed the feature code to work the callback
	// queue (P4c), own callbacks first, then the department's.
	ModeQueue SessionMode = iota
	// ModeAgreed: the service rang the clerk at a callback's agreed time
	// (P4m), before dialing the citizen (P4i).
	ModeAgreed
)

type sessionPhase int

const (
	phRingClerk sessionPhase = iota // agreed: ringing the clerk, substitute, department
	phGreeting                      // queue: counting what waits
	phClaiming                      // waiting for the next task
	phMenu                          // the task is read out; a key is awaited
	phStarting                      // the attempt is being journaled
	phDialing                       // the citizen's phone rings
	phTalking                       // clerk and citizen are bridged
	phOutcome                       // after the call: how did it go?
	phAgreeing                      // the clerk keys in the time agreed with the citizen
	phEnding                        // goodbye plays
	phSessionDone
)

// Session is one clerk working callbacks from a desk phone: no screen, only
// keys and voice. It reads a task out (who, since when, how many tries: P4i),
// dials the citizen when the clerk presses 1, bridges them, and records how
// it went. Every key is repeated on request and a silent clerk is not
// hurried: at the menu, after the key timeout the task is read once more,
// and after a second one the session ends without changing anything; after
// a call, silence at the outcome question counts the citizen as reached.
type Session struct {
	id    string
	mode  SessionMode
	set   SessionSettings
	clerk callcare.Clerk
	phase sessionPhase
	now   time.Time

	own      string // the clerk's channel; empty until the clerk answers (agreed)
	task     callcare.CallbackTask
	hasTask  bool
	skip     []int64
	attempt  callcare.CallbackAttempt
	citizen  string
	prompts  []string // playbacks still to finish, in order
	stopping []string // playbacks told to stop, not yet finished
	// joinWaiting: the citizen answered while a prompt was being stopped;
	// the bridge waits, as Asterisk holds channel commands behind a playback.
	joinWaiting bool
	joined      bool // clerk and citizen were bridged
	seq         int  // for playback and leg ids
	deadline    time.Time
	timeouts    int
	typed       string // digits of the agreed time keyed in so far

	// agreed mode: who is rung for the callback, step by step
	steps     [][]callcare.Clerk
	step      int
	legs      map[string]callcare.Clerk
	ringingAt time.Time
	busyTries int  // times the step found its clerks on another call
	busyWait  bool // waiting to ring the step again

	linkDown bool // events are being lost: no timeout acts on an old view
}

// StartQueue begins the session of a clerk who dialed the feature code. The
// clerk is known by the desk phone's endpoint Asterisk authenticated.
func StartQueue(id string, clerk callcare.Clerk, set SessionSettings, now time.Time) (*Session, []Action) {
	s := &Session{id: id, own: id, mode: ModeQueue, set: set, clerk: clerk, phase: phGreeting, now: now}
	return s, []Action{Answer{}, CountQueue{Clerk: clerk.ID, Department: clerk.Department}}
}

// StartAgreed begins an agreed-time callback (P4m) for a task the service
// has claimed: the clerks of steps are rung in turn (the clerk, the
// substitute, the department), each for the procedure's rings.
func StartAgreed(id string, task callcare.CallbackTask, steps [][]callcare.Clerk, set SessionSettings, now time.Time) (*Session, []Action) {
	s := &Session{id: id, mode: ModeAgreed, set: set, task: task, hasTask: true, steps: steps, phase: phRingClerk, now: now, legs: map[string]callcare.Clerk{}}
	return s, s.ringStep()
}

// Deadline is when the session wants a TimerFired; zero for never, and
// none while the link is down.
func (s *Session) Deadline() time.Time {
	if s.linkDown {
		return time.Time{}
	}
	return s.deadline
}

// Done tells whether the session is over.
func (s *Session) Done() bool { return s.phase == phSessionDone }

// Clerk is who the session belongs to (zero until a clerk answers, agreed).
func (s *Session) Clerk() callcare.Clerk { return s.clerk }

// Own is the clerk's channel, once there is one.
func (s *Session) Own() string { return s.own }

// Step feeds one event to the session.
func (s *Session) Step(ev Event, now time.Time) []Action {
	s.now = now
	if s.phase == phSessionDone {
		// Results of the store that were on their way when the clerk hung up.
		switch ev := ev.(type) {
		case AttemptStarted: // nobody was dialed
			if ev.OK {
				return []Action{FinishAttempt{Task: s.task.ID, Seq: ev.Attempt.Seq, Result: callcare.AttemptFailed}, ReleaseTask{Task: s.task.ID}}
			}
		case TaskClaimed:
			if ev.OK {
				return []Action{ReleaseTask{Task: ev.Task.ID}}
			}
		}
		return nil
	}
	switch ev := ev.(type) {
	case ClerkGone:
		return s.clerkGone()
	case QueueCounted:
		return s.counted(ev)
	case TaskClaimed:
		return s.claimed(ev)
	case KeyPressed:
		return s.key(ev.Digit)
	case PlaybackDone:
		return s.playbackDone(ev.Playback)
	case LinkLost:
		s.linkDown = true
	case LinkBack:
		s.linkDown = false
		return []Action{Resync{Legs: s.liveLegs()}}
	case TimerFired:
		if !s.linkDown && !s.deadline.IsZero() && !now.Before(s.deadline) {
			s.deadline = time.Time{}
			return s.timeout()
		}
	case AttemptStarted:
		return s.attemptStarted(ev)
	case LegRinging:
		if s.phase == phRingClerk && s.legs[ev.Leg].ID != "" && s.ringingAt.IsZero() {
			s.ringingAt = now
			s.deadline = now.Add(s.set.Procedure.RingLimit())
		}
	case LegAnswered:
		return s.legAnswered(ev.Leg)
	case LegFailed:
		return s.legEnded(ev.Leg, attemptResult(ev.Result))
	case LegGone:
		return s.legEnded(ev.Leg, callcare.AttemptNoAnswer)
	}
	return nil
}

func attemptResult(dial string) callcare.AttemptResult {
	switch dial {
	case "busy":
		return callcare.AttemptBusy
	case "noanswer":
		return callcare.AttemptNoAnswer
	}
	return callcare.AttemptFailed
}

// --- the queue -------------------------------------------------------------

func (s *Session) counted(ev QueueCounted) []Action {
	if s.phase != phGreeting {
		return nil
	}
	n := ev.Own + ev.Department
	if n == 0 {
		return s.end(s.set.Prompts.CallbacksNone)
	}
	s.phase = phClaiming
	acts := s.say(append([]string{"sound:" + s.set.Prompts.CallbacksWaiting}, sayNumber(n)...)...)
	return append(acts, s.claimNext())
}

func (s *Session) claimNext() Action {
	s.phase = phClaiming
	s.hasTask = false
	return ClaimNext{Clerk: s.clerk.ID, Department: s.clerk.Department, Skip: append([]int64(nil), s.skip...)}
}

func (s *Session) claimed(ev TaskClaimed) []Action {
	if s.phase != phClaiming {
		if ev.OK { // claimed when no longer wanted: give it back
			return []Action{ReleaseTask{Task: ev.Task.ID}}
		}
		return nil
	}
	if !ev.OK {
		return s.end(s.set.Prompts.CallbacksNone)
	}
	s.task, s.hasTask, s.timeouts = ev.Task, true, 0
	return s.present()
}

// present reads the task out (P4i: who, since when, how many tries, and
// the caller's own words), then the menu.
func (s *Session) present() []Action {
	s.phase = phMenu
	t := s.task
	media := []string{}
	if s.mode == ModeAgreed {
		media = append(media, "sound:"+s.set.Prompts.CallbackAgreed)
	}
	media = append(media, "sound:"+s.set.Prompts.CallbackFrom)
	media = append(media, sayDigits(string(t.Number))...)
	if !t.FirstAt.IsZero() {
		media = append(media, "sound:"+s.set.Prompts.CallbackReceived)
		media = append(media, readTime(t.FirstAt.In(s.zone()), s.now)...)
	}
	media = append(media, sayNumber(t.Tries)...)
	media = append(media, "sound:"+s.set.Prompts.CallbackTries)
	if t.Note != "" {
		media = append(media, "recording:"+t.Note)
	}
	if s.mode == ModeAgreed {
		media = append(media, "sound:"+s.set.Prompts.CallbackPress1)
	} else {
		media = append(media, "sound:"+s.set.Prompts.CallbackMenu)
	}
	return s.say(media...)
}

func (s *Session) key(d string) []Action {
	switch s.phase {
	case phMenu, phOutcome, phAgreeing:
		// DTMF does not stop an ARI playback: stop it, the clerk has chosen.
		acts := s.stopPrompts()
		s.deadline = time.Time{}
		switch s.phase {
		case phMenu:
			return append(acts, s.menuKey(d)...)
		case phOutcome:
			return append(acts, s.outcomeKey(d)...)
		}
		return append(acts, s.timeKey(d)...)
	}
	return nil // keys while dialing or talking belong to the conversation
}

func (s *Session) menuKey(d string) []Action {
	switch {
	case d == "1":
		s.phase = phStarting
		s.seq++
		s.citizen = fmt.Sprintf("%s-cb%d", s.id, s.seq)
		return []Action{StartAttempt{Task: s.task.ID, Clerk: s.clerk.ID, Channel: s.citizen}}
	case d == "2" && s.mode == ModeQueue:
		s.skip = append(s.skip, s.task.ID)
		return []Action{ReleaseTask{Task: s.task.ID}, s.claimNext()}
	case d == "3" && s.mode == ModeQueue:
		return []Action{MarkDone{Task: s.task.ID, Resolution: callcare.ResolvedByClerk, By: s.clerk.ID}, s.claimNext()}
	}
	s.timeouts = 0
	return s.present() // 0, * or any other key: once more
}

func (s *Session) timeout() []Action {
	switch s.phase {
	case phMenu:
		s.timeouts++
		if s.timeouts < 2 {
			return s.present()
		}
		// A second silence: end without changing anything.
		acts := []Action{}
		if s.mode == ModeQueue {
			acts = append(acts, ReleaseTask{Task: s.task.ID})
			s.hasTask = false
		} else {
			return append(s.hangupOwn(), s.nextClerkStep()...)
		}
		return append(acts, s.end(s.set.Prompts.Goodbye)...)
	case phOutcome:
		return s.outcomeKey("1") // the clerk said nothing: the call reached the citizen
	case phAgreeing:
		s.timeouts++
		if s.timeouts < 2 {
			s.typed = ""
			return s.say("sound:" + s.set.Prompts.EnterTime)
		}
		return s.outcomeKey("2") // no time given: call again by the schedule
	case phDialing: // the citizen's end was never heard of
		return append([]Action{HangupLeg{Leg: s.citizen, Reason: "no_answer"}}, s.legEnded(s.citizen, callcare.AttemptNoAnswer)...)
	case phRingClerk:
		if s.busyWait {
			s.busyWait = false
			return s.ringStep()
		}
		return append(s.leaveRingingClerks(), s.nextClerkStep()...)
	}
	return nil
}

// --- calling the citizen ---------------------------------------------------

func (s *Session) attemptStarted(ev AttemptStarted) []Action {
	if s.phase != phStarting {
		return nil
	}
	if !ev.OK { // the task closed meanwhile (the citizen got through)
		if s.mode == ModeQueue {
			return []Action{s.claimNext()}
		}
		return s.end(s.set.Prompts.Goodbye)
	}
	s.attempt = ev.Attempt
	s.task.Attempts = ev.Attempt.Seq // the retry schedule counts this one
	s.phase = phDialing
	// Asterisk gives up on the citizen's phone at the originate's timeout;
	// the deadline is there should that end never be heard of.
	s.deadline = s.now.Add(2*s.set.Procedure.RingLimit() + 10*time.Second)
	dial := strings.Replace(s.set.Dial, "{number}", string(s.task.Number), 1)
	acts := []Action{Originate{
		Leg: s.citizen, Endpoint: dial, CallerID: s.set.CallerID,
		Timeout: 2 * s.set.Procedure.RingLimit(), Args: "callback-citizen",
	}}
	return append(acts, s.say("sound:"+s.set.Prompts.PleaseHold, "tone:ring;tonezone=pl")...)
}

func (s *Session) legAnswered(leg string) []Action {
	if s.phase == phRingClerk {
		if c, ok := s.legs[leg]; ok {
			return s.clerkAnswered(leg, c)
		}
		return nil
	}
	if leg != s.citizen || s.phase != phDialing {
		// A citizen's phone answered after the session gave up on it:
		// nobody would be on the line.
		return []Action{HangupLeg{Leg: leg, Reason: "normal"}}
	}
	s.phase = phTalking
	s.deadline = time.Time{}
	acts := s.stopPrompts()
	if len(s.stopping) > 0 {
		s.joinWaiting = true // bridged once the prompts have stopped
		return acts
	}
	return append(acts, s.join()...)
}

func (s *Session) legEnded(leg string, res callcare.AttemptResult) []Action {
	if s.phase == phRingClerk {
		if _, ok := s.legs[leg]; ok {
			return s.clerkLegEnded(leg, res)
		}
		return nil
	}
	if leg != s.citizen {
		return nil
	}
	switch s.phase {
	case phDialing: // not reached
		s.phase = phClaiming
		acts := append(s.stopPrompts(), s.finishAttempt(res))
		if s.mode == ModeQueue {
			acts = append(acts, s.say("sound:"+s.set.Prompts.NotReached)...)
			return append(acts, s.claimNext())
		}
		return append(acts, s.end(s.set.Prompts.NotReached)...)
	case phTalking:
		hungUp := res == callcare.AttemptNoAnswer // the citizen's line ended
		if !s.joined || !hungUp {
			if !s.joined { // gone before the two were bridged: not reached
				res = callcare.AttemptNoAnswer
			}
			s.phase, s.joinWaiting = phClaiming, false
			acts := []Action{HangupLeg{Leg: leg, Reason: "normal"}, s.finishAttempt(res)}
			return append(acts, s.nextTask()...)
		}
		// The citizen hung up: how did it go?
		s.phase = phOutcome
		return s.say("sound:" + s.set.Prompts.CallbackOutcome)
	}
	return nil
}

func (s *Session) outcomeKey(d string) []Action {
	var act Action
	switch d {
	case "2": // reached, but the matter needs another call
		next, close := s.set.Rules.AfterAttempt(s.task, callcare.AttemptNoAnswer, s.now)
		if close != "" { // the schedule is used up, but the clerk wants another call
			next = s.set.Rules.Hours.NextOfficeDay(s.now)
		}
		act = FinishAttempt{Task: s.task.ID, Seq: s.attempt.Seq, Result: callcare.AttemptReached, Next: next}
	case "3":
		act = s.finishAttempt(callcare.AttemptWrongNumber)
	case "1":
		act = s.finishAttempt(callcare.AttemptReached)
	case "4": // P4m: a time agreed with the citizen
		s.phase, s.typed, s.timeouts = phAgreeing, "", 0
		return s.say("sound:" + s.set.Prompts.EnterTime)
	default:
		return s.say("sound:" + s.set.Prompts.CallbackOutcome)
	}
	return s.nextTask(act)
}

// nextTask records how the task went, then goes on: the next task of the
// queue, or the end of an agreed callback.
func (s *Session) nextTask(acts ...Action) []Action {
	s.hasTask = false
	if s.mode == ModeQueue {
		return append(acts, s.claimNext())
	}
	return append(acts, s.end(s.set.Prompts.Goodbye)...)
}

// timeKey takes the digits of the agreed time, HHMM: today if still ahead,
// else tomorrow, in the office's time zone. A wrong time is asked again.
func (s *Session) timeKey(d string) []Action {
	s.typed += d
	if len(s.typed) < 4 {
		s.deadline = s.now.Add(s.set.KeyTimeout) // the next digit, please
		return nil
	}
	at, ok := agreedTime(s.typed, s.now, s.set.Rules.Hours.Location)
	s.typed = ""
	if !ok {
		return s.say("sound:" + s.set.Prompts.EnterTime)
	}
	// The new time first: the task must never be due and free in between.
	done := FinishAttempt{Task: s.task.ID, Seq: s.attempt.Seq, Result: callcare.AttemptReached}
	acts := []Action{Schedule{Task: s.task.ID, At: at}, done}
	acts = append(acts, s.say(append([]string{"sound:" + s.set.Prompts.AgreedFor}, readTime(at, s.now)...)...)...)
	return s.nextTask(acts...)
}

// zone is the office's time zone, in which times are read out.
func (s *Session) zone() *time.Location {
	if l := s.set.Rules.Hours.Location; l != nil {
		return l
	}
	return time.UTC
}

func agreedTime(hhmm string, now time.Time, loc *time.Location) (time.Time, bool) {
	h, errH := strconv.Atoi(hhmm[:2])
	m, errM := strconv.Atoi(hhmm[2:])
	if errH != nil || errM != nil || h > 23 || m > 59 {
		return time.Time{}, false
	}
	if loc == nil {
		loc = time.UTC
	}
	local := now.In(loc)
	at := time.Date(local.Year(), local.Month(), local.Day(), h, m, 0, 0, loc)
	if !at.After(now) {
		at = time.Date(local.Year(), local.Month(), local.Day()+1, h, m, 0, 0, loc)
	}
	return at, true
}

func (s *Session) finishAttempt(res callcare.AttemptResult) Action {
	next, close := s.set.Rules.AfterAttempt(s.task, res, s.now)
	if close != "" {
		s.hasTask = false
	}
	return FinishAttempt{Task: s.task.ID, Seq: s.attempt.Seq, Result: res, Next: next, Close: close}
}

// clerkGone: the clerk hung up. A citizen on the line is hung up too, and a
// task not finished goes back to the queue.
func (s *Session) clerkGone() []Action {
	if s.mode == ModeAgreed && s.phase == phMenu {
		// The clerk answered and hung up without taking it: the callback
		// goes on to the next clerk, as if the phone had not been answered.
		s.own, s.clerk = "", callcare.Clerk{}
		return append(s.stopPrompts(), s.nextClerkStep()...)
	}
	var acts []Action
	switch s.phase {
	case phDialing:
		acts = append(acts, HangupLeg{Leg: s.citizen, Reason: "normal"}, s.finishAttempt(callcare.AttemptFailed))
	case phTalking, phOutcome, phAgreeing:
		res := callcare.AttemptReached
		if s.phase == phTalking {
			acts = append(acts, HangupLeg{Leg: s.citizen, Reason: "normal"})
			if !s.joined {
				res = callcare.AttemptNoAnswer // never connected
			}
		}
		acts = append(acts, s.finishAttempt(res))
	case phRingClerk:
		return nil // not the clerk's channel yet
	}
	if s.hasTask && s.phase != phStarting { // starting: released when the journal answers
		acts = append(acts, ReleaseTask{Task: s.task.ID})
	}
	s.phase = phSessionDone
	s.deadline = time.Time{}
	return append(acts, Finish{})
}

func (s *Session) join() []Action {
	s.joinWaiting, s.joined = false, true
	return []Action{Join{Leg: s.citizen}}
}

// --- agreed time: ringing the clerk first ------------------------------------

func (s *Session) ringStep() []Action {
	if s.step >= len(s.steps) {
		// Nobody took the callback at its time: overdue, for the report
		// and the escalation.
		s.phase = phSessionDone
		s.deadline = time.Time{}
		return []Action{MarkOverdue{Task: s.task.ID}, ReleaseTask{Task: s.task.ID}, Finish{}}
	}
	s.phase = phRingClerk
	s.ringingAt = time.Time{}
	s.deadline = s.now.Add(2 * s.set.Procedure.RingLimit())
	var acts []Action
	for _, c := range s.steps[s.step] {
		s.seq++
		leg := fmt.Sprintf("%s-clerk%d", s.id, s.seq)
		s.legs[leg] = c
		caller, _ := callcare.CallableNumber(s.task.Number)
		acts = append(acts, Originate{Leg: leg, Endpoint: c.Endpoint, CallerID: string(caller),
			Timeout: 2 * s.set.Procedure.RingLimit(), Args: "callback-clerk"})
	}
	return acts
}

func (s *Session) clerkAnswered(leg string, c callcare.Clerk) []Action {
	acts := s.leaveRingingClerksExcept(leg)
	s.own, s.clerk = leg, c
	s.legs = map[string]callcare.Clerk{}
	s.deadline = time.Time{}
	s.timeouts = 0
	return append(acts, s.present()...)
}

func (s *Session) clerkLegEnded(leg string, res callcare.AttemptResult) []Action {
	delete(s.legs, leg)
	var acts []Action
	if res == callcare.AttemptBusy {
		acts = append(acts, HangupLeg{Leg: leg, Reason: "normal"})
	}
	if len(s.legs) > 0 {
		return acts
	}
	// A clerk on another call is not rung until free: ring the same step
	// again a ring limit later, a few times, before moving on.
	if res == callcare.AttemptBusy && s.busyTries < 3 {
		s.busyTries++
		s.busyWait = true
		s.deadline = s.now.Add(s.set.Procedure.RingLimit())
		return acts
	}
	return append(acts, s.nextClerkStep()...)
}

func (s *Session) leaveRingingClerks() []Action { return s.leaveRingingClerksExcept("") }

func (s *Session) leaveRingingClerksExcept(keep string) []Action {
	var acts []Action
	for leg := range s.legs {
		if leg != keep {
			acts = append(acts, HangupLeg{Leg: leg, Reason: "no_answer"})
		}
	}
	for leg := range s.legs {
		if leg != keep {
			delete(s.legs, leg)
		}
	}
	return acts
}

func (s *Session) nextClerkStep() []Action {
	s.step++
	s.busyTries = 0
	return s.ringStep()
}

// hangupOwn ends the clerk's leg of an agreed callback that was answered
// but never confirmed, so the next clerk can be rung.
func (s *Session) hangupOwn() []Action {
	leg := s.own
	s.own, s.clerk = "", callcare.Clerk{}
	return []Action{HangupLeg{Leg: leg, Reason: "normal"}}
}

// liveLegs are the legs whose end the session still waits for.
func (s *Session) liveLegs() []string {
	var legs []string
	for leg := range s.legs {
		legs = append(legs, leg)
	}
	if s.phase == phDialing || s.phase == phTalking {
		legs = append(legs, s.citizen)
	}
	return legs
}

// --- prompts ---------------------------------------------------------------

func (s *Session) say(media ...string) []Action {
	s.seq++
	id := fmt.Sprintf("%s-p%d", s.id, s.seq)
	s.prompts = append(s.prompts, id)
	return []Action{Say{Playback: id, Media: media}}
}

func (s *Session) stopPrompts() []Action {
	var acts []Action
	for _, p := range s.prompts {
		acts = append(acts, StopPlayback{Playback: p})
	}
	s.stopping = append(s.stopping, s.prompts...)
	s.prompts = nil
	return acts
}

func (s *Session) playbackDone(id string) []Action {
	if i := slices.Index(s.stopping, id); i >= 0 {
		s.stopping = slices.Delete(s.stopping, i, i+1)
		if s.joinWaiting && len(s.stopping) == 0 && len(s.prompts) == 0 {
			return s.join()
		}
		return nil
	}
	i := slices.Index(s.prompts, id)
	if i < 0 {
		return nil
	}
	s.prompts = slices.Delete(s.prompts, i, i+1)
	if len(s.prompts) > 0 {
		return nil
	}
	switch s.phase {
	case phMenu, phOutcome, phAgreeing:
		s.deadline = s.now.Add(s.set.KeyTimeout)
	case phEnding:
		s.phase = phSessionDone
		return []Action{HangupCaller{Reason: "normal"}, Finish{}}
	}
	return nil
}

// end says a last prompt, then hangs up the clerk's line.
func (s *Session) end(sound string) []Action {
	acts := s.stopPrompts()
	if s.hasTask {
		acts = append(acts, ReleaseTask{Task: s.task.ID})
		s.hasTask = false
	}
	s.phase = phEnding
	s.deadline = time.Time{}
	return append(acts, s.say("sound:"+sound)...)
}
