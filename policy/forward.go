package policy

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/callcare/callcare"
)

// ForwardSettings are what the forward feature codes need (P4c).
type ForwardSettings struct {
	Prompts callcare.Prompts
	Say     Saying
	// Hours are the office's: "for N days" ends when the office opens on
	// the day after the N-th office day, read in its zone.
	Hours callcare.OfficeHours
	// SetCode and ClearCode start what a clerk dials: SetCode, then the
	// extension or department number to forward to, optionally # and
	// the office days it lasts (*21112#3); ClearCode alone (*20). The
	// secretariat may put another clerk's extension and * first (*21101*112,
	// *20101).
	SetCode, ClearCode string
	// Secretariat is the department whose clerks may set and clear the
	// forwards of others.
	Secretariat string
	MaxDays     int // the most office days #N may say
}

// ForwardSaved: the store recorded the forward, or its end (result of
// SetForward or ClearForward); OK false when it could not.
type ForwardSaved struct{ OK bool }

func (ForwardSaved) event() {}

// SetForward records a forward set by phone: it wins over the file's
// absences while it is in force.
type SetForward struct{ Forward callcare.Absence }

// ClearForward ends a clerk's forward set by phone or from the command line.
type ClearForward struct {
	Clerk callcare.ClerkID
	By    callcare.ClerkID
}

func (SetForward) action()   {}
func (ClearForward) action() {}

// forwardRequest is what a dialed code asks for.
type forwardRequest struct {
	who    callcare.Clerk // whose forward
	other  bool           // the secretariat changes another clerk's
	clear  bool
	to     callcare.Target
	number string // the number forwarded to, as said back
	until  time.Time
}

// ForwardCode is a clerk who dialed a forward feature code on the desk
// phone: the code is read, the forward set or cleared, and the phone says
// what is now in force (P4c), then the line ends. The clerk is the one of
// the endpoint Asterisk authenticated, never a caller id; only the
// secretariat may change another clerk's forward.
type ForwardCode struct {
	id       string
	set      ForwardSettings
	dir      *callcare.Directory
	book     *callcare.Absences
	req      forwardRequest
	saving   bool
	playing  string
	deadline time.Time
	done     bool
	now      time.Time
}

// StartForward begins a feature code dialed on the channel id by clerk:
// dialed is the whole code as dialed (the dialplan keeps only digits, * and
// #). book holds the file's absences, to say what is in force once a
// forward is cleared.
func StartForward(id string, clerk callcare.Clerk, dialed string, dir *callcare.Directory, book *callcare.Absences, set ForwardSettings, now time.Time) (*ForwardCode, []Action) {
	f := &ForwardCode{id: id, set: set, dir: dir, book: book, now: now}
	acts := []Action{OwnChannel{Channel: id, Clerk: clerk.ID}, Answer{}}
	req, refusal := f.parse(clerk, dialed)
	if refusal != "" {
		return f, append(acts, f.say("sound:"+refusal)...)
	}
	f.req, f.saving = req, true
	f.deadline = now.Add(promptLimit) // should the store never answer
	if req.clear {
		return f, append(acts, ClearForward{Clerk: req.who.ID, By: clerk.ID})
	}
	return f, append(acts, SetForward{Forward: callcare.Absence{
		Clerk: req.who.ID, To: req.to, Until: req.until,
		Source: callcare.SetByPhone, SetBy: string(clerk.ID), SetAt: now,
	}})
}

// parse reads a dialed code: set (SetCode target [# days], the secretariat
// SetCode extension * target [# days]) or clear (ClearCode [extension]).
// It returns the prompt that refuses it, if it is refused.
func (f *ForwardCode) parse(clerk callcare.Clerk, dialed string) (forwardRequest, string) {
	p := f.set.Prompts
	req := forwardRequest{who: clerk}
	var rest string
	switch {
	case f.set.SetCode != "" && strings.HasPrefix(dialed, f.set.SetCode):
		rest = dialed[len(f.set.SetCode):]
	case f.set.ClearCode != "" && strings.HasPrefix(dialed, f.set.ClearCode):
		rest, req.clear = dialed[len(f.set.ClearCode):], true
	default:
		return req, p.ForwardRefused
	}
	body, days, hasDays := strings.Cut(rest, "#")
	if req.clear {
		if strings.Trim(days, "#") != "" || strings.Contains(body, "*") {
			return req, p.ForwardRefused
		}
		if body != "" && !f.other(&req, clerk, body) {
			return req, f.otherRefusal(body)
		}
		return req, ""
	}
	if who, to, ok := strings.Cut(body, "*"); ok {
		if !f.other(&req, clerk, who) {
			return req, f.otherRefusal(who)
		}
		body = to
	}
	to, ok := numberTarget(f.dir, body)
	if !ok || to == (callcare.Target{Kind: callcare.TargetClerk, ID: string(req.who.ID)}) {
		return req, p.ForwardRefused
	}
	req.to, req.number = to, body
	if days = strings.TrimRight(days, "#"); hasDays && days != "" {
		n, err := strconv.Atoi(days)
		if err != nil || n < 1 || n > f.set.MaxDays || len(days) > 3 {
			return req, p.ForwardRefused
		}
		req.until = f.afterOfficeDays(n)
		if req.until.IsZero() {
			return req, p.ForwardRefused
		}
	}
	return req, ""
}

// other makes the request about the clerk of extension ext, if clerk may
// change their forward: it is their own, or clerk is of the secretariat.
func (f *ForwardCode) other(req *forwardRequest, clerk callcare.Clerk, ext string) bool {
	t, ok := numberTarget(f.dir, ext)
	if !ok || t.Kind != callcare.TargetClerk {
		return false
	}
	if t.ID == string(clerk.ID) {
		return true // one's own, written the long way
	}
	if f.set.Secretariat == "" || clerk.Department != f.set.Secretariat {
		return false
	}
	req.who, _ = f.dir.Clerk(callcare.ClerkID(t.ID))
	req.other = true
	return true
}

// otherRefusal says why another's forward may not be changed: they are
// nobody, or the clerk may not.
func (f *ForwardCode) otherRefusal(ext string) string {
	if t, ok := numberTarget(f.dir, ext); ok && t.Kind == callcare.TargetClerk {
		return f.set.Prompts.ForwardNotAllowed
	}
	return f.set.Prompts.ForwardRefused
}

// afterOfficeDays is when a forward for n office days ends: at the opening
// of the office day after the n-th office day after today. Set on Friday
// evening for 5 days, it ends on the Monday after next, as the office
// opens.
func (f *ForwardCode) afterOfficeDays(n int) time.Time {
	t := f.now
	for range n + 1 {
		if t = f.set.Hours.NextOfficeDay(t); t.IsZero() {
			return t
		}
	}
	return t
}

// numberTarget is the clerk (by extension) or the department (by number)
// a dialed number reaches.
func numberTarget(dir *callcare.Directory, n string) (callcare.Target, bool) {
	if n == "" || dir == nil {
		return callcare.Target{}, false
	}
	for _, c := range dir.Clerks {
		if c.Extension == n {
			return callcare.Target{Kind: callcare.TargetClerk, ID: string(c.ID)}, true
		}
	}
	if _, ok := dir.Department(n); ok {
		return callcare.Target{Kind: callcare.TargetDepartment, ID: n}, true
	}
	return callcare.Target{}, false
}

// NumberOf is the number that reaches a target: a clerk's extension or a
// department's number.
func NumberOf(dir *callcare.Directory, t callcare.Target) string {
	if t.Kind == callcare.TargetClerk {
		c, _ := dir.Clerk(callcare.ClerkID(t.ID))
		return c.Extension
	}
	return t.ID
}

// Deadline is when the flow wants a TimerFired.
func (f *ForwardCode) Deadline() time.Time { return f.deadline }

// Done tells whether the flow is over.
func (f *ForwardCode) Done() bool { return f.done }

// Step feeds one event to the flow.
func (f *ForwardCode) Step(ev Event, now time.Time) []Action {
	f.now = now
	if f.done {
		return nil
	}
	switch ev := ev.(type) {
	case ForwardSaved:
		if !f.saving {
			return nil
		}
		f.saving = false
		if !ev.OK {
			return f.say("sound:" + f.set.Prompts.ForwardRefused)
		}
		return f.say(f.confirmation()...)
	case PlaybackDone:
		if ev.Playback == f.playing {
			return f.finish(HangupCaller{Reason: "normal"})
		}
	case ClerkGone:
		return f.finish()
	case TimerFired:
		if !f.deadline.IsZero() && !now.Before(f.deadline) {
			return f.finish(HangupCaller{Reason: "normal"})
		}
	}
	return nil
}

// confirmation says what is now in force for the clerk: the forward just
// set, or, once one is cleared, the file's absence in force, or that
// calls ring the clerk's phone.
func (f *ForwardCode) confirmation() []string {
	p := f.set.Prompts
	var media []string
	if f.req.other {
		media = append(media, "sound:"+p.ForwardFor)
		media = append(media, sayDigits(f.req.who.Extension)...)
	}
	number, until := f.req.number, f.req.until
	if f.req.clear {
		fileOnly := &callcare.Absences{Hours: f.set.Hours}
		if f.book != nil {
			fileOnly.Rules = f.book.Rules
		}
		a, away := fileOnly.Away(f.req.who.ID, f.now)
		if !away {
			return append(media, "sound:"+p.ForwardOff)
		}
		number, until = NumberOf(f.dir, a.To), time.Time{}
		if a.Weekly == nil && !a.OutsideHours {
			until = a.Until
		}
	}
	media = append(media, "sound:"+p.ForwardSet)
	media = append(media, sayDigits(number)...)
	if !until.IsZero() {
		media = append(media, "sound:"+p.ForwardUntil)
		media = append(media, f.set.Say.Time(until.In(f.zone()), f.now)...)
	}
	return media
}

func (f *ForwardCode) zone() *time.Location {
	if l := f.set.Hours.Location; l != nil {
		return l
	}
	return time.UTC
}

func (f *ForwardCode) say(media ...string) []Action {
	f.playing = fmt.Sprintf("%s-say", f.id)
	f.deadline = f.now.Add(promptLimit)
	return []Action{Say{Playback: f.playing, Media: media}}
}

func (f *ForwardCode) finish(acts ...Action) []Action {
	f.done = true
	f.deadline = time.Time{}
	return append(acts, Finish{})
}
