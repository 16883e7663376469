package policy

import (
	"time"

	"github.com/callcare/callcare"
)

// The hand-over: the voice menu (menu.go) and a notice the citizen asked to
// talk about (notice.go) have the caller on the line, answered, and hand
// the call to the ringing of a citizen's call (Inbound), which rings the
// clerk or department by the procedure's rings and overflow (P4a), as for
// a call dialed straight to them. The caller hears "connecting" and the
// ringing tone meanwhile. What differs is kept here: rings are counted from
// the hand-over, not from the call's start (the menu is no ringing); the
// tasks the call leaves are of the menu choice's kind (an appointment
// request); a matter's caller whom nobody answered may leave a few words
// for the callback, as after hours; an appointment nobody took ends with
// its own words.

// handover is what a handed-over call keeps of where it came from.
type handover struct {
	on       bool
	ringFrom time.Time         // rings count from here
	kind     callcare.TaskKind // of the tasks the call leaves
	// offerNote: nobody answered; the caller may press 1 and leave a
	// voice note for the callback (a matter, P3.2 (2)).
	offerNote bool
	closing   string   // the last words when nobody answered; "" for NobodyAvailable
	intro     []string // said before "connecting" (media)
}

// handOver starts ringing for a caller the service already answered: rec
// is the call's record so far (its start, its caller, their needs), r
// where the call now goes.
func handOver(rec callcare.CallRecord, r Route, set InboundSettings, h handover, now time.Time) (*Inbound, []Action) {
	h.on, h.ringFrom = true, now
	c := &Inbound{set: set, proc: set.Procedure, steps: r.Steps, rec: rec, handed: h}
	c.rec.Target, c.rec.Forwarded = r.Target, r.Forwarded
	acts := append([]Action{Save{c.rec}}, r.logged()...)
	if len(r.Steps) == 0 {
		// Everyone who could take it is away (P4c): missed, called back.
		return c, append(acts, c.next(now)...)
	}
	// The tone plays until a clerk answers or a last message is said, as
	// the overflow's does (overflow.go).
	c.overflowing = c.rec.ID + "-connecting"
	media := append(append([]string(nil), h.intro...), "sound:"+set.Prompts.PleaseHold, ringTone)
	acts = append(acts, EarlyMedia{Playback: c.overflowing, Media: media})
	return c, append(acts, c.dialStep(now)...)
}

// offerNote: nobody answered a matter's caller. They may press 1 and say
// in a few words what it is about (the after-hours machinery: afterhours.go);
// silence or a hangup leaves the callback all the same.
func (c *Inbound) offerNote(now time.Time) []Action {
	if !c.callable() {
		return c.close(c.closing(), now) // a note nobody would call back about
	}
	acts := c.stopOverflow()
	c.phase = phaseAfterHours
	c.timeouts = 0
	return append(acts, c.sayAfterHours(c.rec.ID+"-offer", now, "sound:"+c.set.Prompts.NobodyLeaveNote))
}

// unansweredReason is why a call that offered a voice note is called back
// when no note came: a matter nobody answered is missed; the office was
// closed otherwise.
func (c *Inbound) unansweredReason() callcare.CallbackReason {
	if c.handed.offerNote {
		return callcare.ReasonMissed
	}
	return callcare.ReasonAfterHours
}

// closing is the last message of a call nobody answered: each promises
// the callback.
func (c *Inbound) closing() string {
	if c.handed.closing != "" {
		return c.promising(c.handed.closing)
	}
	return c.promising(c.set.Prompts.NobodyAvailable)
}

// flagNeeds marks the call as of a person with special needs (P5.3), from
// source: the menu's assistance key pressed while the call rings or waits
// in line. The phones rung next show it, its callbacks go first, and in
// line it goes before those without.
func (c *Inbound) flagNeeds(source callcare.NeedsSource, now time.Time) []Action {
	if c.rec.Needs != callcare.NeedsNone || c.phase == phaseDone {
		return nil
	}
	c.rec.Needs = source
	acts := []Action{Save{c.rec}}
	if n, ok := callcare.CallableNumber(c.rec.CallerID); ok {
		acts = append(acts, FlagNeeds{Number: n, Needs: source, Due: c.set.Rules.SpecialDue(now)})
	}
	if c.inLine { // ahead of those without: the place said next tells the caller
		acts = append(acts, JoinLine{Department: c.lineDepartment(), Target: c.busyFor(), Needs: true})
	}
	return acts
}
