package policy

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/callcare/callcare"
)

// SessionSettings are what a clerk's desk-phone flow needs to know: the
// callback queue (QueueSession) and the agreed-time callback
// (AgreedCallback).
type SessionSettings struct {
	Procedure  callcare.Procedure
	Rules      CallbackRules
	Prompts    callcare.Prompts
	Say        Saying              // numbers and times in the office's language
	Directory  *callcare.Directory // whose number a task is for (P4i)
	KeyTimeout time.Duration       // P5.1: long, so nobody is rushed
	Dial       string              // dial string for a citizen, with {number}
	CallerID   string              // the office's number, shown to citizens
	DisplayMax int                 // characters a desk phone displays of a caller id name (P4d)
	// RemindDaysBefore: a meeting the clerk records on an appointment
	// request is reminded of this many office days before (desk_meeting.go).
	RemindDaysBefore int
	// Inbound is how citizens' calls are served: a callback's conversation
	// is held (desk_hold.go) and transferred (desk_transfer.go) as any.
	Inbound InboundSettings
}

type deskPhase int

const (
	phRingClerk deskPhase = iota // agreed: ringing the clerk, substitute, department
	phGreeting                   // queue: counting what waits
	phClaiming                   // queue: waiting for the next task
	phMenu                       // the task is read out; a key is awaited
	phStarting                   // the attempt is being journaled
	phDialing                    // the citizen's phone rings
	phTalking                    // clerk and citizen are bridged
	phOutcome                    // after the call: how did it go?
	phAgreeing                   // the clerk keys in the time agreed with the citizen
	phEnding                     // goodbye plays
	phFarewell                   // the clerk hung up first: the citizen hears goodbye
	phSessionDone
)

// turn is what the shared desk part hands back to the machine that owns
// it: the points where the queue and the agreed-time callback differ.
type turn int

const (
	turnNone       turn = iota
	turnTaskOver        // the attempt is recorded: what next?
	turnNotReached      // the citizen did not answer; the attempt is recorded
	turnTaskClosed      // the task closed before the citizen was dialed
	turnMenuKey         // a key other than 1 at the menu (desk.key holds it)
	turnMenuSilent      // the clerk said nothing at the menu, twice
)

// desk is what both desk-phone machines share: a clerk on the line (no
// screen, only keys and voice), the prompts played to them, and one task
// worked from read-out to outcome: the task read out (who, since when, how
// many tries, the caller's own words: P4i), the citizen dialed when the
// clerk presses 1, the two bridged, and how it went recorded. Every prompt
// can be cut short by a key, and a silent clerk is not hurried.
type desk struct {
	id    string
	set   SessionSettings
	clerk callcare.Clerk
	own   string // the clerk's channel; empty until there is one
	phase deskPhase
	now   time.Time

	task     callcare.CallbackTask
	hasTask  bool
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
	typed       string      // digits of the agreed time keyed in so far
	keyed       keyedNumber // a transfer keyed in during the conversation (desk_keys.go)
	key         string      // the menu key handed to the owner with turnMenuKey

	// intro is said before the task (an agreed callback says why it
	// rings); menu is the choice said after it.
	intro, menu string

	linkDown bool // events are being lost: no timeout acts on an old view

	joinedAt time.Time // when clerk and citizen were bridged
	hold     deskHold  // the clerk holds the citizen (desk_hold.go)
	// call is the citizen's call once the clerk transferred it
	// (desk_transfer.go): every event is its from then on.
	call *Inbound
}

// Deadline is when the flow wants a TimerFired; zero for never, and none
// while the link is down.
func (d *desk) Deadline() time.Time {
	if d.call != nil {
		return d.call.Deadline()
	}
	if d.linkDown {
		return time.Time{}
	}
	return d.deadline
}

// Done tells whether the flow is over.
func (d *desk) Done() bool { return d.phase == phSessionDone }

// step takes the events both machines handle alike.
func (d *desk) step(ev Event) ([]Action, turn) {
	if d.phase == phSessionDone {
		// Results of the store that were on their way when the clerk hung up.
		switch ev := ev.(type) {
		case AttemptStarted: // nobody was dialed
			if ev.OK {
				return []Action{FinishAttempt{Task: d.task.ID, Seq: ev.Attempt.Seq, Result: callcare.AttemptFailed}, ReleaseTask{Task: d.task.ID}}, turnNone
			}
		case TaskClaimed:
			if ev.OK {
				return []Action{ReleaseTask{Task: ev.Task.ID}}, turnNone
			}
		}
		return nil, turnNone
	}
	if d.phase == phFarewell {
		return d.farewell(ev), turnNone
	}
	if acts, ok := d.handOverTransfer(ev); ok {
		return acts, turnNone
	}
	if acts, ok := d.holdStep(ev); ok {
		return acts, turnNone
	}
	switch ev := ev.(type) {
	case ClerkGone:
		return d.clerkGone(), turnNone
	case KeyPressed:
		return d.keyPressed(ev.Digit)
	case PlaybackDone:
		return d.playbackDone(ev.Playback), turnNone
	case LinkLost:
		d.linkDown = true
	case LinkBack:
		d.linkDown = false
	case TimerFired:
		if !d.linkDown && !d.deadline.IsZero() && !d.now.Before(d.deadline) {
			d.deadline = time.Time{}
			return d.timeout()
		}
	case AttemptStarted:
		return d.attemptStarted(ev)
	case LegAnswered:
		return d.citizenAnswered(ev.Leg), turnNone
	case LegFailed:
		return d.citizenEnded(ev.Leg, attemptResult(ev.Result))
	case LegGone:
		return d.citizenEnded(ev.Leg, callcare.AttemptNoAnswer)
	}
	return nil, turnNone
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

// present reads the task out (P4i: who, for whom, why, since when, how
// many tries, and the caller's own words), then the menu.
func (d *desk) present() []Action {
	d.phase = phMenu
	t := d.task
	var media []string
	if d.intro != "" {
		media = append(media, "sound:"+d.intro)
	}
	media = append(media, d.kindIntro()...) // an appointment request (P3.2)
	media = append(media, "sound:"+d.set.Prompts.CallbackFrom)
	media = append(media, sayDigits(string(t.Number))...)
	media = append(media, d.forWhom()...)
	media = append(media, d.why()...)
	if !t.FirstAt.IsZero() {
		media = append(media, "sound:"+d.set.Prompts.CallbackReceived)
		media = append(media, d.set.Say.Time(t.FirstAt.In(d.zone()), d.now)...)
	}
	media = append(media, d.set.Say.Number(t.Tries)...)
	media = append(media, "sound:"+d.set.Prompts.CallbackTries)
	if t.Note != "" {
		media = append(media, "recording:"+t.Note)
	}
	media = append(media, "sound:"+d.menu)
	return d.say(media...)
}

// forWhom is whom the citizen called, when not the clerk who hears it: a
// colleague covered, the department, the one a time was agreed with.
func (d *desk) forWhom() []string {
	t := d.task.Target
	if t.ID == "" || t.Kind == callcare.TargetClerk && callcare.ClerkID(t.ID) == d.clerk.ID || d.set.Directory == nil {
		return nil
	}
	n := numberOf(d.set.Directory, t)
	if n == "" || strings.Trim(n, "0123456789") != "" {
		return nil
	}
	return append([]string{"sound:" + d.set.Prompts.CallbackFor}, sayDigits(n)...)
}

// why says what the citizen asked for, by the task's reason; an
// appointment request says so itself (kindIntro).
func (d *desk) why() []string {
	if d.isAppointment() {
		return nil
	}
	p := d.set.Prompts
	var sound string
	switch d.task.Reason {
	case callcare.ReasonMissed:
		sound = p.CallbackMissed
	case callcare.ReasonAbandoned:
		sound = p.CallbackAbandoned
	case callcare.ReasonAfterHours:
		sound = p.CallbackAfterHours
	case callcare.ReasonRequested:
		sound = p.CallbackRequested
	case callcare.ReasonLongHold:
		sound = p.CallbackLongHold
	default:
		return nil
	}
	return []string{"sound:" + sound}
}

// repeatMenu reads the task once more: 0, * or any key the menu does not
// know.
func (d *desk) repeatMenu() []Action {
	d.timeouts = 0
	return d.present()
}

func (d *desk) keyPressed(k string) ([]Action, turn) {
	switch d.phase {
	case phMenu, phOutcome, phAgreeing, phMeeting:
	case phTalking:
		if d.joined {
			return d.talkKey(k), turnNone
		}
		return nil, turnNone
	default:
		return nil, turnNone // keys while dialing belong to nobody
	}
	// DTMF does not stop an ARI playback: stop it, the clerk has chosen.
	acts := d.stopPrompts()
	d.deadline = time.Time{}
	switch d.phase {
	case phMenu:
		if k != "1" {
			d.key = k
			return acts, turnMenuKey
		}
		d.phase = phStarting
		d.seq++
		d.citizen = fmt.Sprintf("%s-cb%d", d.id, d.seq)
		return append(acts, StartAttempt{Task: d.task.ID, Clerk: d.clerk.ID, Channel: d.citizen}), turnNone
	case phOutcome:
		acts2, t := d.outcomeKey(k)
		return append(acts, acts2...), t
	case phMeeting:
		acts2, t := d.meetingKey(k)
		return append(acts, acts2...), t
	}
	acts2, t := d.timeKey(k)
	return append(acts, acts2...), t
}

func (d *desk) timeout() ([]Action, turn) {
	switch d.phase {
	case phMenu:
		d.timeouts++
		if d.timeouts < 2 {
			return d.present(), turnNone
		}
		return nil, turnMenuSilent
	case phOutcome:
		return d.outcomeKey("1") // the clerk said nothing: the call reached the citizen
	case phAgreeing:
		d.timeouts++
		if d.timeouts < 2 {
			d.typed = ""
			return d.say("sound:" + d.set.Prompts.EnterTime), turnNone
		}
		return d.outcomeKey("2") // no time given: call again by the schedule
	case phMeeting:
		d.timeouts++
		if d.timeouts < 2 {
			d.typed = ""
			return d.say("sound:" + d.set.Prompts.MeetingEnter), turnNone
		}
		return d.outcomeKey("1") // no meeting given: the citizen was reached
	case phTalking:
		if d.keyed.paused(d.now) {
			return d.keyedTransfer(), turnNone
		}
		if d.hold.on && !d.now.Before(d.hold.next) {
			return d.announceHold(), turnNone
		}
	case phDialing: // the citizen's end was never heard of
		acts, t := d.citizenEnded(d.citizen, callcare.AttemptNoAnswer)
		return append([]Action{HangupLeg{Leg: d.citizen, Reason: "no_answer"}}, acts...), t
	}
	return nil, turnNone
}

// --- calling the citizen ---------------------------------------------------

func (d *desk) attemptStarted(ev AttemptStarted) ([]Action, turn) {
	if d.phase != phStarting {
		return nil, turnNone
	}
	if !ev.OK { // the task closed meanwhile (the citizen got through)
		return nil, turnTaskClosed
	}
	d.attempt = ev.Attempt
	d.task.Attempts = ev.Attempt.Seq // the retry schedule counts this one
	d.phase = phDialing
	// Asterisk gives up on the citizen's phone at the originate's timeout;
	// the deadline is there should that end never be heard of.
	d.deadline = d.now.Add(2*d.set.Procedure.RingLimit() + 10*time.Second)
	dial := strings.Replace(d.set.Dial, "{number}", string(d.task.Number), 1)
	acts := []Action{Originate{
		Leg: d.citizen, Endpoint: dial, CallerID: d.set.CallerID,
		Timeout: 2 * d.set.Procedure.RingLimit(), Args: "callback-citizen",
	}}
	return append(acts, d.say("sound:"+d.set.Prompts.PleaseHold, "tone:ring;tonezone=pl")...), turnNone
}

func (d *desk) citizenAnswered(leg string) []Action {
	if leg != d.citizen || d.phase != phDialing {
		// A citizen's phone answered after the flow gave up on it:
		// nobody would be on the line.
		return []Action{HangupLeg{Leg: leg, Reason: "normal"}}
	}
	d.phase = phTalking
	d.deadline = time.Time{}
	acts := d.stopPrompts()
	if len(d.stopping) > 0 {
		d.joinWaiting = true // bridged once the prompts have stopped
		return acts
	}
	return append(acts, d.join()...)
}

func (d *desk) citizenEnded(leg string, res callcare.AttemptResult) ([]Action, turn) {
	if leg != d.citizen {
		return nil, turnNone
	}
	switch d.phase {
	case phDialing: // not reached
		d.phase = phClaiming
		return append(d.stopPrompts(), d.finishAttempt(res)), turnNotReached
	case phTalking:
		hungUp := res == callcare.AttemptNoAnswer // the citizen's line ended
		if !d.joined || !hungUp {
			if !d.joined { // gone before the two were bridged: not reached
				res = callcare.AttemptNoAnswer
			}
			d.phase, d.joinWaiting = phClaiming, false
			d.endTalk()
			return []Action{HangupLeg{Leg: leg, Reason: "normal"}, d.finishAttempt(res)}, turnTaskOver
		}
		// The citizen hung up: how did it go? A clerk who holds them hears
		// the question at the resume, not into a phone on hold.
		d.phase = phOutcome
		held := d.hold.on
		d.endTalk()
		if held {
			d.hold.on = true
			d.deadline = d.now.Add(heldLimit) // a phone left on hold: the call reached them
			return nil, turnNone
		}
		return d.say(d.outcomeMenu()...), turnNone
	}
	return nil, turnNone
}

// endTalk forgets what the conversation left: a hold, keys of a transfer
// not finished; the next task's conversation starts afresh.
func (d *desk) endTalk() {
	d.hold = deskHold{n: d.hold.n}
	d.keyed, d.deadline = keyedNumber{}, time.Time{}
}

func (d *desk) outcomeKey(k string) ([]Action, turn) {
	var act Action
	switch k {
	case "2": // reached, but the matter needs another call
		next, close := d.set.Rules.AfterAttempt(d.task, callcare.AttemptNoAnswer, d.now)
		if close != "" { // the schedule is used up, but the clerk wants another call
			next = d.set.Rules.Hours.NextOfficeDay(d.now)
		}
		act = FinishAttempt{Task: d.task.ID, Seq: d.attempt.Seq, Result: callcare.AttemptReached, Next: next}
	case "3":
		act = d.finishAttempt(callcare.AttemptWrongNumber)
	case "1":
		act = d.finishAttempt(callcare.AttemptReached)
	case "4": // P4m: a time agreed with the citizen
		d.phase, d.typed, d.timeouts = phAgreeing, "", 0
		return d.say("sound:" + d.set.Prompts.EnterTime), turnNone
	case "5":
		if d.isAppointment() { // P3.2 (1): the meeting agreed
			d.phase, d.typed, d.timeouts = phMeeting, "", 0
			return d.say("sound:" + d.set.Prompts.MeetingEnter), turnNone
		}
		return d.say(d.outcomeMenu()...), turnNone
	default:
		return d.say(d.outcomeMenu()...), turnNone
	}
	return []Action{act}, turnTaskOver
}

// timeKey takes the digits of the agreed time, HHMM, in the office's time
// zone (agreedTime says which day). A wrong time is asked again.
func (d *desk) timeKey(k string) ([]Action, turn) {
	d.typed += k
	if len(d.typed) < 4 {
		d.deadline = d.now.Add(d.set.KeyTimeout) // the next digit, please
		return nil, turnNone
	}
	at, ok := agreedTime(d.typed, d.now, d.set.Rules.Hours)
	d.typed = ""
	if !ok {
		return d.say("sound:" + d.set.Prompts.EnterTime), turnNone
	}
	// The new time first: the task must never be due and free in between.
	done := FinishAttempt{Task: d.task.ID, Seq: d.attempt.Seq, Result: callcare.AttemptReached}
	acts := []Action{Schedule{Task: d.task.ID, At: at}, done}
	acts = append(acts, d.say(append([]string{"sound:" + d.set.Prompts.AgreedFor}, d.set.Say.Time(at, d.now)...)...)...)
	return acts, turnTaskOver
}

// zone is the office's time zone, in which times are read out.
func (d *desk) zone() *time.Location {
	if l := d.set.Rules.Hours.Location; l != nil {
		return l
	}
	return time.UTC
}

// agreedTime is the moment a time keyed as HHMM means (P4m): today if
// still ahead, else the next day; a day the office does not open (a
// weekend, a holiday) is passed over, so 0830 keyed on a Friday afternoon
// is Monday's, not Saturday's. The hour itself is the clerk's: one who
// stays late may agree a time after closing.
func agreedTime(hhmm string, now time.Time, hours callcare.OfficeHours) (time.Time, bool) {
	h, errH := strconv.Atoi(hhmm[:2])
	m, errM := strconv.Atoi(hhmm[2:])
	if errH != nil || errM != nil || h > 23 || m > 59 {
		return time.Time{}, false
	}
	loc := hours.Location
	if loc == nil {
		loc = time.UTC
	}
	local := now.In(loc)
	on := func(days int) time.Time {
		return time.Date(local.Year(), local.Month(), local.Day()+days, h, m, 0, 0, loc)
	}
	first := 0
	if !on(0).After(now) {
		first = 1
	}
	for days := first; days < first+15; days++ { // past two weeks of holidays, Christmas to Epiphany
		if at := on(days); hours.OpensOn(at) {
			return at, true
		}
	}
	return on(first), true // an office that never opens: the day as keyed
}

func (d *desk) finishAttempt(res callcare.AttemptResult) Action {
	next, close := d.set.Rules.AfterAttempt(d.task, res, d.now)
	if close != "" {
		d.hasTask = false
	}
	return FinishAttempt{Task: d.task.ID, Seq: d.attempt.Seq, Result: res, Next: next, Close: close}
}

// clerkGone: the clerk hung up. A citizen they talked with hears goodbye
// first (P4l: no dead line); one not yet connected is hung up. A task not
// finished goes back to the queue.
func (d *desk) clerkGone() []Action {
	var acts []Action
	farewell := d.phase == phTalking && d.joined
	switch d.phase {
	case phDialing:
		acts = append(acts, HangupLeg{Leg: d.citizen, Reason: "normal"}, d.finishAttempt(callcare.AttemptFailed))
	case phTalking, phOutcome, phAgreeing, phMeeting:
		res := callcare.AttemptReached
		if d.phase == phTalking && !d.joined {
			acts = append(acts, HangupLeg{Leg: d.citizen, Reason: "normal"})
			res = callcare.AttemptNoAnswer // never connected
		}
		acts = append(acts, d.finishAttempt(res))
	}
	if d.hasTask && d.phase != phStarting { // starting: released when the journal answers
		acts = append(acts, ReleaseTask{Task: d.task.ID})
	}
	if farewell {
		acts = append(acts, d.endHold()...) // not played before the goodbye
		d.phase = phFarewell
		d.deadline = d.now.Add(promptLimit) // should the goodbye's end never be heard of
		return append(acts, SayLeg{Leg: d.citizen, Playback: d.farewellID(), Media: []string{"sound:" + d.set.Prompts.Goodbye}})
	}
	d.phase = phSessionDone
	d.deadline = time.Time{}
	return append(acts, Finish{})
}

func (d *desk) farewellID() string { return d.id + "-farewell" }

// farewell: the citizen hears goodbye, then the line ends; their hanging
// up first ends it too.
func (d *desk) farewell(ev Event) []Action {
	hangup := []Action{HangupLeg{Leg: d.citizen, Reason: "normal"}}
	switch ev := ev.(type) {
	case PlaybackDone:
		if ev.Playback == d.farewellID() {
			return d.farewellOver(hangup...)
		}
	case LegGone:
		if ev.Leg == d.citizen {
			return d.farewellOver()
		}
	case LegFailed:
		if ev.Leg == d.citizen {
			return d.farewellOver()
		}
	case TimerFired:
		if !d.linkDown && !d.now.Before(d.deadline) {
			return d.farewellOver(hangup...)
		}
	case LinkLost:
		d.linkDown = true
	case LinkBack:
		d.linkDown = false
	}
	return nil
}

func (d *desk) farewellOver(acts ...Action) []Action {
	d.phase = phSessionDone
	d.deadline = time.Time{}
	return append(acts, Finish{})
}

func (d *desk) join() []Action {
	d.joinWaiting, d.joined, d.joinedAt = false, true, d.now
	acts := []Action{Join{Leg: d.citizen}}
	if class := d.musicClass(); class != "" {
		// Asterisk plays it by itself on the clerk's hold (desk_hold.go).
		acts = append(acts, SetMusicClass{Leg: d.citizen, Class: class})
	}
	return acts
}

// liveLegs are the legs whose end the flow still waits for.
func (d *desk) liveLegs() []string {
	if d.phase == phDialing || d.phase == phTalking || d.phase == phFarewell {
		return []string{d.citizen}
	}
	return nil
}

// --- prompts ---------------------------------------------------------------

func (d *desk) say(media ...string) []Action {
	d.seq++
	id := fmt.Sprintf("%s-p%d", d.id, d.seq)
	d.prompts = append(d.prompts, id)
	return []Action{Say{Playback: id, Media: media}}
}

func (d *desk) stopPrompts() []Action {
	var acts []Action
	for _, p := range d.prompts {
		acts = append(acts, StopPlayback{Playback: p})
	}
	d.stopping = append(d.stopping, d.prompts...)
	d.prompts = nil
	return acts
}

func (d *desk) playbackDone(id string) []Action {
	if i := slices.Index(d.stopping, id); i >= 0 {
		d.stopping = slices.Delete(d.stopping, i, i+1)
		if d.joinWaiting && len(d.stopping) == 0 && len(d.prompts) == 0 {
			return d.join()
		}
		return nil
	}
	i := slices.Index(d.prompts, id)
	if i < 0 {
		return nil
	}
	d.prompts = slices.Delete(d.prompts, i, i+1)
	if len(d.prompts) > 0 {
		return nil
	}
	switch d.phase {
	case phMenu, phOutcome, phAgreeing, phMeeting:
		d.deadline = d.now.Add(d.set.KeyTimeout)
	case phEnding:
		d.phase = phSessionDone
		return []Action{HangupCaller{Reason: "normal"}, Finish{}}
	}
	return nil
}

// end says a last prompt, then hangs up the clerk's line. What still
// plays is said to its end first: the time or meeting just agreed, "not
// reached".
func (d *desk) end(sound string) []Action {
	var acts []Action
	if d.hasTask {
		acts = append(acts, ReleaseTask{Task: d.task.ID})
		d.hasTask = false
	}
	d.phase = phEnding
	d.deadline = time.Time{}
	return append(acts, d.say("sound:"+sound)...)
}
