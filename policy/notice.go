package policy

import (
	"fmt"
	"strings"
	"time"

	"github.com/callcare/callcare"
)

// A notice is a call the service makes to a citizen (P3.2 (3), P4e):
// "your documents are ready", or the reminder of a meeting agreed on an
// appointment request. Whoever answers hears only that the Town Hall calls
// about a matter, and is asked to press 1 to hear it (2 if the call is not
// for them): nothing personal is said before the 1, so an answering
// machine or a silent line records nothing of the matter, and the line
// ends after the question was asked twice. On 1 the citizen hears the
// message (the case number digit by digit, where and when to collect the
// documents; or when the meeting is), then 2 to talk to the clerk now
// (rung by the procedure's rings and overflow, else a callback), 3 to hear
// it again.
//
// A notice is a task of an outbound kind: the scheduler claims it within
// office hours, the attempt is journaled before the citizen is dialed, and
// an attempt not confirmed by the key (no answer, busy, silence, a hangup
// before the 1) is tried again by the callback schedule, up to the
// notices' maximum.

// NoticeSettings are what the service's calls to citizens need.
type NoticeSettings struct {
	Procedure callcare.Procedure
	// Rules: the office hours and the retry schedule; MaxAttempts the
	// notices' own.
	Rules      CallbackRules
	Prompts    callcare.Prompts
	Say        Saying
	KeyTimeout time.Duration // P5.1: long
	Dial       string        // how a citizen is dialed, with {number}
	CallerID   string        // the office's number, shown to the citizen
	// RemindDaysBefore: a meeting recorded on an appointment request is
	// reminded of this many office days before; 0 for never.
	RemindDaysBefore int
}

type noticePhase int

const (
	noticeStarting noticePhase = iota // the attempt is being journaled
	noticeDialing                     // the citizen's phone rings
	noticeIntro                       // who calls, and "press 1": nothing of the matter yet (P4e)
	noticeMessage                     // the message, then its keys
	noticeEnding                      // last words, then the line ends
	noticeDone
)

// NoticeCall is one attempt at a notice: the citizen dialed, told, and
// perhaps handed over to the clerk.
type NoticeCall struct {
	id       string
	set      NoticeSettings
	in       InboundSettings
	dir      *callcare.Directory
	book     *callcare.Absences
	task     callcare.CallbackTask
	leg      string // the citizen's channel
	seq      int    // the attempt's
	phase    noticePhase
	now      time.Time
	playing  string
	n        int
	deadline time.Time
	silences int
	keys     keyWait  // waiting for a key after a prompt (keywait.go)
	recorded bool     // the attempt's result is recorded
	call     *Inbound // the citizen talks to the clerk: the hand-over
	linkDown bool
}

// StartNotice begins an attempt at task, which the scheduler claimed: it
// is journaled first, with the id of the channel the dial will use, so a
// service that dies meanwhile never dials it twice.
func StartNotice(id string, task callcare.CallbackTask, dir *callcare.Directory, book *callcare.Absences, set NoticeSettings, in InboundSettings, now time.Time) (*NoticeCall, []Action) {
	c := &NoticeCall{id: id, set: set, in: in, dir: dir, book: book, task: task, leg: id + "-citizen", now: now}
	c.deadline = now.Add(promptLimit) // should the journal never answer
	return c, []Action{StartAttempt{Task: task.ID, Clerk: callcare.Notifier, Channel: c.leg}}
}

// Deadline is when the notice wants a TimerFired.
func (c *NoticeCall) Deadline() time.Time {
	if c.call != nil {
		return c.call.Deadline()
	}
	if c.linkDown {
		return time.Time{}
	}
	return c.deadline
}

// Done tells whether the attempt, and any conversation it led to, is over.
func (c *NoticeCall) Done() bool {
	if c.call != nil {
		return c.call.Done()
	}
	return c.phase == noticeDone
}

// Record is the record of the citizen's conversation with the clerk, once
// the notice handed them over; zero before.
func (c *NoticeCall) Record() callcare.CallRecord {
	if c.call != nil {
		return c.call.Record()
	}
	return callcare.CallRecord{}
}

// Step feeds one event to the notice.
func (c *NoticeCall) Step(ev Event, now time.Time) []Action {
	c.now = now
	if c.call != nil {
		return c.call.Step(ev, now)
	}
	if c.phase == noticeDone {
		return nil
	}
	switch ev := ev.(type) {
	case AttemptStarted:
		return c.started(ev)
	case LegAnswered:
		return c.answered(ev.Leg)
	case LegFailed:
		if ev.Leg == c.leg && c.phase == noticeDialing {
			return c.end(attemptResult(ev.Result), HangupLeg{Leg: c.leg, Reason: "normal"})
		}
	case LegGone:
		if ev.Leg == c.leg && c.phase == noticeDialing {
			return c.end(callcare.AttemptNoAnswer)
		}
	case CallerGone:
		// A hangup before the 1 is no confirmation: tried again.
		return c.end(callcare.AttemptNotConfirmed)
	case KeyPressed:
		return c.key(ev.Digit)
	case PlaybackDone:
		if c.keys.reminded(ev.Playback) {
			c.deadline = c.keys.next(now, c.set.Procedure.RingCycle)
			return nil
		}
		if ev.Playback != c.playing || c.playing == "" {
			return nil
		}
		c.playing = ""
		if c.phase == noticeEnding {
			return c.end(callcare.AttemptNotConfirmed, HangupCaller{Reason: "normal"})
		}
		c.deadline = c.keys.begin(now, c.set.KeyTimeout, c.set.Procedure.RingCycle)
	case TimerFired:
		if c.linkDown || c.deadline.IsZero() || now.Before(c.deadline) {
			return nil
		}
		if acts := c.keys.remind(c.id, c.set.Prompts.KeyReminder); acts != nil {
			c.deadline = now.Add(promptLimit) // should its end never be heard of
			return acts
		}
		c.deadline = time.Time{}
		return c.timeout()
	case Stuck:
		if c.phase == noticeDialing || c.phase == noticeStarting {
			return c.end(callcare.AttemptFailed, HangupLeg{Leg: c.leg, Reason: "normal"})
		}
		return c.end(callcare.AttemptFailed, HangupCaller{Reason: "normal"})
	case LinkLost:
		c.linkDown = true
	case LinkBack:
		c.linkDown = false
		var legs []string
		if c.phase == noticeDialing {
			legs = []string{c.leg}
		}
		return []Action{Resync{Legs: legs}}
	}
	return nil
}

// started: the attempt is journaled; the citizen is dialed, showing the
// office's number.
func (c *NoticeCall) started(ev AttemptStarted) []Action {
	if c.phase != noticeStarting {
		return nil
	}
	if !ev.OK { // closed meanwhile, or an attempt under way elsewhere
		c.phase = noticeDone
		c.recorded = true
		return []Action{ReleaseTask{Task: c.task.ID}, Finish{}}
	}
	c.seq = ev.Attempt.Seq
	c.phase = noticeDialing
	// Asterisk gives up at the originate's timeout; the deadline is there
	// should that end never be heard of.
	c.deadline = c.now.Add(2*c.set.Procedure.RingLimit() + 10*time.Second)
	return []Action{Originate{
		Leg: c.leg, Endpoint: strings.Replace(c.set.Dial, "{number}", string(c.task.Number), 1),
		CallerID: c.set.CallerID, Timeout: 2 * c.set.Procedure.RingLimit(), Args: "notice-citizen",
	}}
}

// answered: somebody, or something, answered. Only who calls is said.
func (c *NoticeCall) answered(leg string) []Action {
	if leg != c.leg || c.phase != noticeDialing {
		return []Action{HangupLeg{Leg: leg, Reason: "normal"}} // given up on already
	}
	c.phase = noticeIntro
	acts := []Action{OwnChannel{Channel: c.leg, Up: true}}
	return append(acts, c.say("sound:"+c.set.Prompts.NoticeIntro)...)
}

func (c *NoticeCall) key(d string) []Action {
	if c.phase != noticeIntro && c.phase != noticeMessage {
		return nil
	}
	acts := append(c.stop(), c.keys.stop()...)
	c.deadline = time.Time{}
	c.silences = 0
	if c.phase == noticeIntro {
		switch d {
		case "1": // P4e: only now the message
			acts = append(acts, c.finish(callcare.AttemptConfirmed))
			c.phase = noticeMessage
			return append(acts, c.say(c.message()...)...)
		case "2": // not for them: sorry, and never again
			acts = append(acts, c.finish(callcare.AttemptRefused))
			c.phase = noticeEnding
			return append(acts, c.say("sound:"+c.set.Prompts.NoticeSorry)...)
		}
		return append(acts, c.say("sound:"+c.set.Prompts.NoticeIntro)...)
	}
	switch d {
	case "2":
		return append(acts, c.toClerk()...)
	case "3":
		return append(acts, c.say(c.message()...)...)
	}
	return append(acts, c.say("sound:"+c.set.Prompts.NoticeMenu)...)
}

// timeout: no key in time, or a prompt whose end was never heard of.
func (c *NoticeCall) timeout() []Action {
	switch c.phase {
	case noticeStarting: // the journal never answered: nobody was dialed
		c.phase, c.recorded = noticeDone, true
		return []Action{ReleaseTask{Task: c.task.ID}, Finish{}}
	case noticeDialing:
		return c.end(callcare.AttemptNoAnswer, HangupLeg{Leg: c.leg, Reason: "no_answer"})
	case noticeIntro:
		c.silences++
		if c.silences < 2 {
			return c.say("sound:" + c.set.Prompts.NoticeIntro)
		}
		// Silence: an answering machine, or nobody there. Nothing more
		// is said; tried again later.
		return c.end(callcare.AttemptNotConfirmed, HangupCaller{Reason: "normal"})
	case noticeMessage:
		c.phase = noticeEnding
		return c.say("sound:" + c.set.Prompts.Goodbye)
	case noticeEnding:
		return c.end(callcare.AttemptNotConfirmed, HangupCaller{Reason: "normal"})
	}
	return nil
}

// message is what the citizen hears after pressing 1.
func (c *NoticeCall) message() []string {
	p := c.set.Prompts
	var media []string
	switch c.task.Kind {
	case callcare.KindReminder:
		media = append([]string{"sound:" + p.MeetingReminder}, c.set.Say.Meeting(c.task.MeetingAt.In(c.zone()))...)
	default:
		media = []string{"sound:" + p.DocumentsReady}
		if c.task.Case != "" {
			media = append(media, "sound:"+p.NoticeCase)
			media = append(media, sayDigits(c.task.Case)...)
		}
		where := c.task.Place
		if where == "" {
			where = p.DocumentsWhere
		}
		media = append(media, "sound:"+where)
	}
	return append(media, "sound:"+p.NoticeMenu)
}

// toClerk hands the citizen over to the clerk of the notice: rung by the
// procedure's rings and overflow; nobody answering, a callback.
func (c *NoticeCall) toClerk() []Action {
	rec := callcare.CallRecord{ID: c.leg, CallerID: c.task.Number, Dialed: numberOf(c.dir, c.task.Target),
		Target: c.task.Target, StartedAt: c.now, Needs: c.task.Needs, Origin: callcare.OriginNotice}
	r, _ := RouteCall(c.dir, c.book, c.task.Target, c.now)
	call, acts := handOver(rec, r, c.in, handover{}, c.now)
	c.call = call
	return acts
}

// end records the attempt (once) and ends the notice.
func (c *NoticeCall) end(res callcare.AttemptResult, acts ...Action) []Action {
	if !c.recorded {
		acts = append(acts, c.finish(res))
	}
	c.phase = noticeDone
	c.deadline = time.Time{}
	return append(acts, Finish{})
}

// finish records how the attempt went and what follows: confirmed or
// refused, the notice closes; otherwise the next attempt waits by the
// callback schedule, and the notice closes as unreachable once the
// attempts are used up (a reminder, too, once its meeting has come).
func (c *NoticeCall) finish(res callcare.AttemptResult) Action {
	c.recorded = true
	var (
		next  time.Time
		close callcare.Resolution
	)
	switch res {
	case callcare.AttemptConfirmed:
		close = callcare.ResolvedConfirmed
	case callcare.AttemptRefused:
		close = callcare.ResolvedRefused
	default:
		t := c.task
		t.Attempts = c.seq
		next, close = c.set.Rules.AfterAttempt(t, res, c.now)
		if close == "" && t.Kind == callcare.KindReminder && !t.MeetingAt.IsZero() && !next.Before(t.MeetingAt) {
			next, close = time.Time{}, callcare.ResolvedUnreachable
		}
	}
	return FinishAttempt{Task: c.task.ID, Seq: c.seq, Result: res, Next: next, Close: close}
}

func (c *NoticeCall) say(media ...string) []Action {
	c.n++
	c.playing = fmt.Sprintf("%s-p%d", c.id, c.n)
	c.deadline = c.now.Add(promptLimit)
	return []Action{Say{Playback: c.playing, Media: media}}
}

func (c *NoticeCall) stop() []Action {
	if c.playing == "" {
		return nil
	}
	p := c.playing
	c.playing = ""
	return []Action{StopPlayback{Playback: p}}
}

func (c *NoticeCall) zone() *time.Location {
	if l := c.set.Rules.Hours.Location; l != nil {
		return l
	}
	return time.UTC
}

// numberOf is the office number of a target: a clerk's extension, a
// department's number.
func numberOf(dir *callcare.Directory, t callcare.Target) string {
	if t.Kind == callcare.TargetClerk {
		if cl, ok := dir.Clerk(callcare.ClerkID(t.ID)); ok {
			return cl.Extension
		}
	}
	return t.ID
}

// RemindAt is when the citizen is reminded of a meeting at meeting:
// the opening of the office day daysBefore office days before the
// meeting's day; at once (now) when that has passed but the meeting's day
// has not come; zero for no reminder (daysBefore 0, or too late).
func RemindAt(meeting time.Time, hours callcare.OfficeHours, daysBefore int, now time.Time) time.Time {
	if daysBefore <= 0 || !meeting.After(now) {
		return time.Time{}
	}
	loc := hours.Location
	if loc == nil {
		loc = time.UTC
	}
	m := meeting.In(loc)
	day := time.Date(m.Year(), m.Month(), m.Day(), 0, 0, 0, 0, loc)
	if !now.Before(day) {
		return time.Time{} // the meeting is today: too late to remind
	}
	at := day
	for found := 0; found < daysBefore; {
		at = at.AddDate(0, 0, -1)
		if day.Sub(at) > 60*24*time.Hour {
			return time.Time{} // an office with no day open: nothing to wait for
		}
		if open := hours.NextOpening(at); !open.IsZero() && open.Before(at.AddDate(0, 0, 1)) {
			found++
			if found == daysBefore {
				at = open
			}
		}
	}
	if at.Before(now) {
		// Too late for the day asked for: at once, while the office is
		// still open before the meeting's day. Notices go out only while
		// it is open; one that could first go out on the meeting's day
		// would come as the meeting begins.
		if open := hours.NextOpening(now); open.IsZero() || !open.Before(day) {
			return time.Time{}
		}
		return now
	}
	return at
}
