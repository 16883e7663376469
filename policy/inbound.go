package policy

import (
	"fmt"
	"time"

	"github.com/callcare/callcare"
)

// InboundSettings are what a citizen's call needs to know.
type InboundSettings struct {
	Procedure  callcare.Procedure
	Prompts    callcare.Prompts
	Say        Saying // numbers and times in the office's language
	Rules      CallbackRules
	KeyTimeout time.Duration // P5.1: long
	NoteMax    time.Duration // the longest voice note
	FlagKey    string        // the key a clerk presses during a call to flag special needs
	// Waiting says how a waiting caller is kept informed (P4h, P4p).
	Waiting callcare.Waiting
	// Music is each department's music-on-hold class, by number; one not
	// listed plays Waiting.MusicClass.
	Music map[string]string
	// WhenBusy is each department's choice for a busy clerk's caller
	// (P4b), by number; one not listed overflows.
	WhenBusy map[string]callcare.BusyPolicy
	// TransferPrefix starts a transfer keyed in by a clerk during a call
	// (P4o): the prefix, the number, then # or a pause. Empty: none.
	TransferPrefix string
	// DisplayMax is how many characters the desk phones display of a
	// caller id name (P4d); 0 for no limit.
	DisplayMax int
}

// Arrival is a citizen's call as it enters the service.
type Arrival struct {
	CallID     string
	CallerID   callcare.Number // as Asterisk gave it; never interpreted
	CallerName string
	Dialed     string
	Target     callcare.Target
	Found      bool            // false when the dialed number reaches nobody
	Steps      []callcare.Step // the overflow chain, expanded (RouteCall)
	Needs      callcare.NeedsSource
	// Forwarded: the clerk the call was meant for is away, and the first
	// step rings who covers them (RouteCall); OnDuty: outside office
	// hours too, so the call rings instead of hearing that the office is
	// closed.
	Forwarded callcare.Forwarding
	OnDuty    bool
}

type phase int

const (
	phaseRinging      phase = iota // clerks are being rung (P4a)
	phaseConnected                 // a clerk took the call
	phaseClosing                   // a last message plays before the service hangs up
	phaseAfterHours                // the office is closed: the caller may ask for a callback
	phaseRecording                 // the caller records a voice note for the callback
	phaseHoldCallback              // on hold, the caller took a callback: both sides are let go
	phaseBusyMenu                  // the clerk is busy: the caller chooses (P4b)
	phaseSlots                     // the caller picks a time for the callback (P4b)
	phaseLine                      // waiting in the department's line with music (P5.3)
	phaseWhisper                   // a transfer's target hears who and why before being connected (P4o)
	phaseDone
)

type legState int

const (
	legDialing legState = iota
	legRinging
	legAnswered
	legGone
)

type leg struct {
	id      string
	step    int
	attempt int // index into the record's Attempts
	state   legState
	// replaced: for Asterisk's Local channel standing in for a clerk's
	// phone after its transfer key (LegReplaced), that phone's leg.
	replaced *leg
}

// Inbound is one citizen's call to a clerk or a department: rung along the
// overflow chain by the procedure's count (P4a), connected to whoever
// answers first, recorded as missed or abandoned otherwise.
type Inbound struct {
	set      InboundSettings
	proc     callcare.Procedure
	rec      callcare.CallRecord
	steps    []callcare.Step
	step     int // index of the step being rung
	legs     []*leg
	phase    phase
	deadline time.Time
	// ringingAt is the first RINGING of the current step: P4a counts rings
	// from the moment a phone rings, not from the dial.
	ringingAt time.Time
	answered  *leg
	playing   string
	timeouts  int  // silences in the after-hours menu
	tasked    bool // the callback task is recorded
	// linkDown: events are being lost. A deadline that passes meanwhile
	// waits for the resync: the clerk may have answered in the gap.
	linkDown bool

	hold        holdState // the clerk holds the call (hold.go)
	music       string    // the music class set on the caller's channel; "" for Asterisk's default
	clerkNotice string    // the prompt a clerk back from hold hears
	callerLeft  bool      // phaseHoldCallback: the caller's side is over

	overflowing  string // the overflow announcement and tone playing now (overflow.go)
	overflowSaid bool   // said once a call

	menuN int // menus said, for their playback ids (busy.go)
	// offeredAt is when a busy clerk's caller was offered a choice (P4b):
	// the rings the caller heard end there, whatever the wait in line after.
	offeredAt time.Time
	keys      keyWait     // waiting for a key after a menu (keywait.go)
	slots     []time.Time // the free times read out to the caller

	inLine    bool      // the call waits in its department's line (inline.go)
	lineSince time.Time // when it joined
	linePos   int       // its place, as last told; 0 before the first

	xfer      transferState // a transfer under way (transfer.go)
	xferStart int           // the first step of the transfer's target

	shown string // the name the desk phones of the step show (display.go)

	handed handover // the menu or a notice handed the caller over (handover.go)
}

// Start takes a call that has just arrived and says what to do first.
func Start(a Arrival, set InboundSettings, now time.Time) (*Inbound, []Action) {
	c := &Inbound{
		set:   set,
		proc:  set.Procedure,
		steps: a.Steps,
		rec: callcare.CallRecord{
			ID:         a.CallID,
			CallerID:   a.CallerID,
			CallerName: a.CallerName,
			Dialed:     a.Dialed,
			Target:     a.Target,
			StartedAt:  now,
			Needs:      a.Needs,
			Forwarded:  a.Forwarded,
		},
	}
	if !a.Found {
		// Never silence: the caller is told the number reaches nobody.
		c.rec.Outcome = callcare.OutcomeUnrouted
		return c, append([]Action{Save{c.rec}}, c.close(c.set.Prompts.UnknownNumber, now)...)
	}
	if !a.OnDuty && !set.Rules.Hours.IsOpen(now) {
		return c, append([]Action{Save{c.rec}}, c.closedOffice(now)...)
	}
	if len(a.Steps) == 0 {
		// Everyone who could take the call is away (P4c): it is missed,
		// and called back.
		return c, append([]Action{Save{c.rec}}, c.next(now)...)
	}
	return c, append([]Action{Save{c.rec}, RingCaller{}}, c.dialStep(now)...)
}

// Deadline is when the policy wants a TimerFired; zero for never, and
// none while the link is down.
func (c *Inbound) Deadline() time.Time {
	if c.linkDown {
		return time.Time{}
	}
	if c.phase == phaseRinging && c.xfer.on && (c.deadline.IsZero() || c.xfer.next.Before(c.deadline)) {
		return c.xfer.next // a request for patience comes first
	}
	return c.deadline
}

// Done tells whether the call is over.
func (c *Inbound) Done() bool { return c.phase == phaseDone }

// Record is the call record as it stands.
func (c *Inbound) Record() callcare.CallRecord { return c.rec }

// Step feeds one event to the call and returns what to do.
func (c *Inbound) Step(ev Event, now time.Time) []Action {
	if c.phase == phaseDone {
		return nil
	}
	if ev, ok := ev.(Stuck); ok {
		// Whatever the caller is doing (in a menu, in the line, on hold,
		// being transferred): a call the service cannot carry on goes to
		// a person through the fallback, never left where it is.
		return c.stuck(ev, now)
	}
	switch c.phase {
	case phaseHoldCallback:
		return c.holdCallbackStep(ev, now)
	case phaseBusyMenu, phaseSlots:
		return c.menuStep(ev, now)
	case phaseLine:
		return c.lineStep(ev, now)
	case phaseWhisper:
		return c.whisperStep(ev, now)
	}
	switch ev := ev.(type) {
	case LinePosition:
		if c.inLine {
			// Told while its turn rings a clerk: said if the turn comes
			// to nothing and the call waits again (lineTurnOver).
			c.linePos = ev.Position
		}
	case Transferred:
		return c.transferred(ev, now)
	case LegReplaced:
		return c.legReplaced(ev, now)
	case LegHeld:
		return c.legHeld(ev.Leg, now)
	case LegUnheld:
		return c.legUnheld(ev.Leg, now)
	case LegRinging:
		return c.legRinging(ev, now)
	case LegAnswered:
		return c.legAnswered(ev.Leg, eventTime(ev.At, now))
	case LegFailed:
		return c.legFailed(ev, now)
	case LegGone:
		return c.legGone(ev, now)
	case CallerGone:
		return c.callerGone(orParty(ev.By, callcare.PartyCaller), now)
	case PlaybackDone:
		if ev.Playback == c.xfer.said && c.xfer.said != "" {
			c.xfer.said = ""
			return nil
		}
		if ev.Playback == c.hold.playing && c.hold.playing != "" {
			c.hold.playing = ""
			return nil
		}
		if c.keys.reminded(ev.Playback) {
			c.deadline = c.keys.next(now, c.proc.RingCycle)
			return nil
		}
		if ev.Playback != c.playing {
			return nil
		}
		switch c.phase {
		case phaseClosing:
			return c.finish(callcare.PartyService, now, HangupCaller{Reason: "normal"})
		case phaseAfterHours, phaseRecording:
			return c.afterHoursSaid(now)
		}
	case TimerFired:
		if c.phase == phaseRinging && c.xfer.on && !c.linkDown {
			return c.transferTimer(now)
		}
		if c.linkDown || c.deadline.IsZero() || now.Before(c.deadline) {
			return nil
		}
		switch c.phase {
		case phaseRinging:
			return c.ringLimitPassed(now)
		case phaseAfterHours:
			if c.playing != "" {
				return c.afterHoursSaid(now) // its end was never heard of
			}
			if acts := c.remindKey(now); acts != nil {
				return acts
			}
			return c.afterHoursSilence(now)
		case phaseRecording:
			if c.playing != "" {
				return c.afterHoursSaid(now) // its end was never heard of
			}
			return c.noteRecorded(RecordingDone{Name: c.noteName(), Seconds: 1}, now)
		case phaseClosing:
			return c.finish(callcare.PartyService, now, HangupCaller{Reason: "normal"})
		case phaseConnected:
			if c.xfer.keyed.paused(now) {
				return c.keyedTransfer()
			}
			if c.hold.on && !now.Before(c.hold.next) {
				return c.announceHold(now)
			}
		}
	case KeyPressed:
		switch {
		case c.phase == phaseRinging && c.inLine && ev.Digit == "2" && c.callable():
			// Leaving the line while its turn rings: the clerk is let go.
			return append(c.leaveLegs(now, now, "cancelled", "normal"), c.leaveLine(now)...)
		case c.phase == phaseAfterHours:
			return c.afterHoursKey(ev.Digit, now)
		case c.phase == phaseConnected && c.hold.on:
			return c.holdKey(ev.Digit, now)
		}
	case LegKeyPressed:
		if acts, taken := c.clerkKeys(ev, now); taken {
			return acts
		}
		return c.clerkKey(ev, now)
	case RecordingDone:
		if c.phase == phaseRecording {
			return c.noteRecorded(ev, now)
		}
	case LinkBack:
		// Resync's findings come in before the timer, which fires again.
		c.linkDown = false
		return []Action{Resync{Legs: c.liveLegs()}}
	case LinkLost:
		// Asterisk keeps the calls; decide nothing on a view that may be old.
		c.linkDown = true
	}
	return nil
}

// dialStep rings every clerk of the current step.
func (c *Inbound) dialStep(now time.Time) []Action {
	s := c.steps[c.step]
	c.ringingAt = time.Time{}
	// A phone that has not even started ringing after twice the ring limit
	// is treated as unreachable, so no call hangs on a silent leg.
	c.deadline = now.Add(2 * c.proc.RingLimit())
	c.display()
	var acts []Action
	for _, clerk := range s.Clerks {
		l := &leg{
			id:      fmt.Sprintf("%s-%d", c.rec.ID, len(c.legs)+1),
			step:    c.step,
			attempt: len(c.rec.Attempts),
		}
		c.legs = append(c.legs, l)
		a := callcare.Attempt{Clerk: clerk.ID, Via: s.Via, DialedAt: now}
		if c.xfer.on && !c.xfer.back {
			a.TransferredBy = c.xfer.from.ID
		}
		c.rec.Attempts = append(c.rec.Attempts, a)
		acts = append(acts, DialClerk{Leg: l.id, Clerk: clerk, Forward: s.Forward, CallerID: c.rec.CallerID, CallerName: c.shown})
	}
	return acts
}

func (c *Inbound) legRinging(ev LegRinging, now time.Time) []Action {
	l := c.current(ev.Leg)
	if l == nil || l.state != legDialing {
		return nil
	}
	l.state = legRinging
	// P4a counts rings as the phone rang, by Asterisk's own time: an event
	// that came late does not give the clerk more rings.
	at := eventTime(ev.At, now)
	c.rec.Attempts[l.attempt].RingingAt = at
	if c.ringingAt.IsZero() {
		// P4a: the count starts at the step's first ring.
		c.ringingAt = at
		c.deadline = at.Add(c.proc.RingLimit())
	}
	return nil
}

func (c *Inbound) legAnswered(id string, now time.Time) []Action {
	l := c.current(id)
	if l == nil || l.state == legGone || c.phase != phaseRinging {
		// A leg the service already left (overflowed, cancelled) cannot
		// come back: it is being hung up.
		return nil
	}
	if c.xfer.on {
		return c.transferAnswered(l, now) // P4o: the whisper first
	}
	l.state = legAnswered
	c.answered = l
	c.phase = phaseConnected
	c.deadline = time.Time{}
	a := &c.rec.Attempts[l.attempt]
	a.Result = "answered"
	a.Rings = c.ringsAt(*a, now)
	c.rec.AnsweredAt = now
	c.rec.AnsweredBy = a.Clerk
	c.rec.AnsweredRing = a.Rings
	c.rec.RingsHeard = c.ringsHeard(now)
	c.rec.Outcome = callcare.OutcomeAnswered
	acts := c.leaveLegs(now, now, "cancelled", "answered_elsewhere")
	acts = append(acts, c.stopOverflow()...)
	if c.inLine {
		// Served from the line: its music stops, and the line lets it go.
		c.inLine = false
		c.endLineWait(now)
		acts = append(acts, StopMusic{}, LineTurnOver{Clerk: a.Clerk, Answered: true})
	}
	acts = append(acts, Connect{Leg: l.id})
	acts = append(acts, c.setMusic(a.Clerk)...)
	acts = append(acts, Save{c.rec})
	if n, ok := callcare.CallableNumber(c.rec.CallerID); ok {
		// P4c: the citizen got through; what they were owed is settled.
		acts = append(acts, CloseTasks{Number: n, Resolution: callcare.ResolvedGotThrough})
	}
	return acts
}

func (c *Inbound) legFailed(ev LegFailed, now time.Time) []Action {
	l := c.current(ev.Leg)
	if l == nil || l.state == legGone || l.state == legAnswered {
		return nil
	}
	c.endLeg(l, ev.Result, now)
	// A created channel stays in Stasis after BUSY: hang it up ourselves.
	acts := []Action{HangupLeg{Leg: l.id, Reason: "normal"}}
	return append(acts, c.nextIfStepOver(now)...)
}

func (c *Inbound) legGone(ev LegGone, now time.Time) []Action {
	l := c.leg(ev.Leg)
	if l == nil || l.state == legGone {
		return nil
	}
	if l == c.answered {
		// P4l: the clerk should wait for the caller to hang up. When the
		// clerk did not, the caller hears closing words, then the line ends.
		l.state = legGone
		c.rec.Attempts[l.attempt].EndedAt = now
		c.rec.HungUpBy = orParty(ev.By, callcare.PartyClerk)
		if c.rec.HungUpBy == callcare.PartyClerk {
			c.rec.HungUpClerk = c.rec.Attempts[l.attempt].Clerk // counted against them (P4l)
		}
		// A hold announcement would play before the goodbye: stop it.
		acts := c.stopHoldPrompt()
		c.hold.on = false
		c.endHold(now)
		return append(acts, c.close(c.set.Prompts.Goodbye, now)...)
	}
	c.endLeg(l, "ended", now)
	if l.step != c.step || c.phase != phaseRinging {
		return nil
	}
	return c.nextIfStepOver(now)
}

func (c *Inbound) callerGone(by callcare.Party, now time.Time) []Action {
	switch c.phase {
	case phaseRinging:
		if c.xfer.on {
			// Hung up while being transferred: the call was answered.
			acts := c.leaveLegs(now, now, "cancelled", "normal")
			return c.finish(by, now, acts...)
		}
		reason := callcare.ReasonAbandoned
		c.rec.Outcome = callcare.OutcomeAbandoned
		if by == callcare.PartyPBX {
			// Asterisk ended it (a restart): the caller gave up nothing.
			c.rec.Outcome, reason = callcare.OutcomeFailed, callcare.ReasonMissed
		}
		c.rec.RingsHeard = c.ringsHeard(now)
		acts := c.leaveLegs(now, now, "cancelled", "normal")
		if c.inLine {
			acts = append(acts, LeaveLine{})
		}
		acts = append(acts, c.task(reason, "", now)...)
		return c.finish(by, now, acts...)
	case phaseAfterHours, phaseRecording:
		// The missed call of someone who hangs up becomes a task too; a
		// note being recorded is kept by Asterisk.
		acts := c.task(c.unansweredReason(), c.recordingNote(), now)
		return c.finish(by, now, acts...)
	case phaseConnected:
		c.answered.state = legGone
		c.rec.Attempts[c.answered.attempt].EndedAt = now
		return c.finish(by, now, HangupLeg{Leg: c.answered.id, Reason: "normal"})
	default: // closing: the caller did not wait for the end of the message
		return c.finish(by, now)
	}
}

// ringLimitPassed is P4a itself: the rings are up, so the call moves on to
// the next of the chain, never later.
func (c *Inbound) ringLimitPassed(now time.Time) []Action {
	// The phones were left at the limit, whatever the timer's delay.
	acts := c.leaveLegs(now, c.deadline, "noanswer", "no_answer")
	return append(acts, c.next(now)...)
}

func (c *Inbound) nextIfStepOver(now time.Time) []Action {
	for _, l := range c.legs {
		if l.step == c.step && l.state != legGone {
			return nil
		}
	}
	return c.next(now)
}

// next moves to the next step of the chain, or ends the call as missed.
func (c *Inbound) next(now time.Time) []Action {
	if c.xfer.on {
		if !c.xfer.back && c.step+1 < len(c.steps) {
			c.step++ // the target's own overflow
			return c.dialStep(now)
		}
		return c.transferNext(now)
	}
	if c.inLine {
		return c.lineTurnOver(now) // back in line, in its place
	}
	if c.busyOffered() {
		return c.offerBusy(now) // P4b
	}
	c.step++
	if c.step < len(c.steps) {
		return append(c.announceOverflow(), c.dialStep(now)...)
	}
	c.rec.Outcome = callcare.OutcomeMissed
	c.rec.RingsHeard = c.ringsHeard(now)
	if c.handed.offerNote {
		return c.offerNote(now) // a matter's caller may leave a few words (P3.2)
	}
	// The task is committed before the caller hears it promised.
	return append(c.task(callcare.ReasonMissed, "", now), c.close(c.closing(), now)...)
}

// promptLimit is longer than any prompt: past it, a prompt whose end was
// never heard of is taken as ended.
const promptLimit = 2 * time.Minute

// close plays a last message, then hangs up (on PlaybackDone).
func (c *Inbound) close(sound string, now time.Time) []Action {
	acts := c.stopOverflow()
	c.phase = phaseClosing
	// Should the end of the message never be heard of, the line still ends.
	c.deadline = now.Add(promptLimit)
	c.playing = c.rec.ID + "-closing"
	return append(acts, Play{Playback: c.playing, Sound: sound})
}

// closeSaying is close with a message of several items (a time said).
func (c *Inbound) closeSaying(media []string, now time.Time) []Action {
	acts := c.stopOverflow()
	c.phase = phaseClosing
	c.deadline = now.Add(promptLimit)
	c.playing = c.rec.ID + "-closing"
	return append(acts, Say{Playback: c.playing, Media: media})
}

// callable tells whether the caller can be called back: an anonymous
// (CLIR) or malformed caller id cannot, and makes no task (TaskFor). Such
// a caller is never offered a callback nor promised one: nobody would
// call. They wait on for a person, or are told to call again.
func (c *Inbound) callable() bool {
	_, ok := callcare.CallableNumber(c.rec.CallerID)
	return ok
}

// promising is sound, last words that promise a callback, or for a
// caller who cannot be called back, that they call again.
func (c *Inbound) promising(sound string) string {
	if !c.callable() {
		return c.set.Prompts.CallAgain
	}
	return sound
}

// task records the call as a callback task (P4c), once per call.
func (c *Inbound) task(reason callcare.CallbackReason, note string, now time.Time) []Action {
	return c.taskWith(reason, now, func(t *callcare.CallbackTask) { t.Note = note })
}

// taskWith records the call as a callback task (P4c), once per call, as
// shape makes it (its target, its agreed time). Whatever the path, a task
// of a handed-over call is of the hand-over's kind: a meeting asked for
// through the menu stays an appointment request (P3.2) when the person
// is busy and the caller takes a callback, or leaves the line for one,
// and waits for that person.
func (c *Inbound) taskWith(reason callcare.CallbackReason, now time.Time, shape func(*callcare.CallbackTask)) []Action {
	if c.tasked {
		return nil
	}
	t, ok := c.set.Rules.TaskFor(c.rec, reason, c.rec.Needs, now)
	if !ok {
		return nil
	}
	c.tasked = true
	if shape != nil {
		shape(&t)
	}
	t.Kind = c.handed.kind
	if t.Kind == callcare.KindAppointment {
		// The person asked for, whoever covered or was busy: a request
		// of a department's is read out as the Mayor's.
		t.Target = c.rec.Target
	}
	return []Action{CreateTask{Task: t, Record: c.rec}}
}

// leaveLegs hangs up every live leg of the current step; their rings are
// counted up to ringsAt.
func (c *Inbound) leaveLegs(now, ringsAt time.Time, result, reason string) []Action {
	var acts []Action
	for _, l := range c.legs {
		if l.step != c.step || l.state == legGone || l.state == legAnswered || l == c.answered {
			continue
		}
		c.endLeg(l, result, now)
		a := &c.rec.Attempts[l.attempt]
		a.Rings = c.ringsAt(*a, ringsAt)
		acts = append(acts, HangupLeg{Leg: l.id, Reason: reason})
	}
	return acts
}

func (c *Inbound) endLeg(l *leg, result string, now time.Time) {
	l.state = legGone
	a := &c.rec.Attempts[l.attempt]
	a.EndedAt = now
	a.Result = result
	a.Rings = c.ringsAt(*a, now)
}

// finish ends the call; by hung up first unless someone already had.
func (c *Inbound) finish(by callcare.Party, now time.Time, acts ...Action) []Action {
	c.phase = phaseDone
	c.deadline = time.Time{}
	if c.rec.HungUpBy == "" {
		c.rec.HungUpBy = by
	}
	c.rec.EndedAt = now
	// A wait still under way ends with the call (P4h, P4p).
	c.endHold(now)
	c.endLineWait(now)
	return append(acts, Save{c.rec}, Finish{})
}

// remindKey says the reminder after a ring cycle of silence in a menu, or
// returns nil when the key timeout has passed (P4p, P5.1: keywait.go).
func (c *Inbound) remindKey(now time.Time) []Action {
	acts := c.keys.remind(c.rec.ID, c.set.Prompts.KeyReminder)
	if acts != nil {
		c.deadline = now.Add(promptLimit) // should its end never be heard of
	}
	return acts
}

// ringsHeard is how many rings the caller heard: from the start, or from
// the menu's hand-over (the greeting and the choices were no ringing), until
// now, or until a busy clerk's choices were offered (P4a is about the
// ringing; a wait in line after it is a wait of its own, P5.3).
func (c *Inbound) ringsHeard(now time.Time) int {
	from := c.rec.StartedAt
	if c.handed.on {
		from = c.handed.ringFrom
	}
	if !c.offeredAt.IsZero() && c.offeredAt.Before(now) {
		now = c.offeredAt
	}
	return c.proc.RingsHeard(now.Sub(from))
}

// ringsAt is the ring a clerk's phone was on at now (0 if it never rang).
func (c *Inbound) ringsAt(a callcare.Attempt, now time.Time) int {
	if a.RingingAt.IsZero() {
		return 0
	}
	return c.proc.RingsHeard(now.Sub(a.RingingAt))
}

func (c *Inbound) leg(id string) *leg {
	for _, l := range c.legs {
		if l.id == id {
			return l
		}
	}
	return nil
}

// current finds a leg of the step being rung.
func (c *Inbound) current(id string) *leg {
	if l := c.leg(id); l != nil && l.step == c.step {
		return l
	}
	return nil
}

func (c *Inbound) liveLegs() []string {
	var ids []string
	for _, l := range c.legs {
		if l.state != legGone {
			ids = append(ids, l.id)
		}
	}
	return ids
}
