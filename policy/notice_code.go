package policy

import (
	"fmt"
	"strings"
	"time"

	"github.com/callcare/callcare"
)

// AddNotice asks the store to record a notice the service will make (a
// documents-ready call); NoticeAdded comes back.
type AddNotice struct{ Task callcare.CallbackTask }

func (AddNotice) action() {}

// NoticeAdded: the store recorded the notice (result of AddNotice); OK
// false when it could not.
type NoticeAdded struct {
	Task callcare.CallbackTask
	OK   bool
}

func (NoticeAdded) event() {}

// NoticeCode is a clerk who dialed the documents-ready feature code on the
// desk phone (P3.2 (3)): they key in the citizen's number and #, the case
// number and #, hear both said back (P4j: making sure), and press 1 to
// send it or 2 to start again. The notice is the clerk's: "talk to the
// clerk now" rings them. The clerk is the desk phone's endpoint Asterisk
// authenticated, never a caller id. A pause ends a number as # does; a
// silent clerk is asked twice, then the line ends with nothing sent.
type NoticeCode struct {
	id       string
	set      NoticeSettings
	clerk    callcare.Clerk
	phase    codePhase
	now      time.Time
	typed    string
	number   callcare.Number
	caseRef  string
	playing  string
	n        int
	deadline time.Time
	silences int
	linkDown bool
}

type codePhase int

const (
	codeNumber  codePhase = iota // the citizen's number is keyed in
	codeCase                     // the case number is keyed in
	codeConfirm                  // both said back: 1 sends, 2 starts again
	codeSaving                   // the store records it
	codeEnding                   // last words, then the line ends
	codeDone
)

// maxCase is the most digits a case number may have.
const maxCase = 20

// StartNoticeCode begins the feature code dialed by clerk on the channel id.
func StartNoticeCode(id string, clerk callcare.Clerk, set NoticeSettings, now time.Time) (*NoticeCode, []Action) {
	c := &NoticeCode{id: id, set: set, clerk: clerk, now: now}
	acts := []Action{OwnChannel{Channel: id, Clerk: clerk.ID}, Answer{}}
	return c, append(acts, c.say("sound:"+set.Prompts.NoticeEnterNumber)...)
}

// Deadline is when the code wants a TimerFired.
func (c *NoticeCode) Deadline() time.Time {
	if c.linkDown {
		return time.Time{}
	}
	return c.deadline
}

// Done tells whether the clerk's line is over.
func (c *NoticeCode) Done() bool { return c.phase == codeDone }

// Step feeds one event to the code.
func (c *NoticeCode) Step(ev Event, now time.Time) []Action {
	c.now = now
	if c.phase == codeDone {
		return nil
	}
	switch ev := ev.(type) {
	case KeyPressed:
		return c.key(ev.Digit)
	case NoticeAdded:
		if c.phase != codeSaving {
			return nil
		}
		if !ev.OK {
			return c.end(c.set.Prompts.NoticeFailed)
		}
		return c.end(c.set.Prompts.NoticeQueued)
	case PlaybackDone:
		if ev.Playback != c.playing || c.playing == "" {
			return nil
		}
		c.playing = ""
		if c.phase == codeEnding {
			c.phase = codeDone
			return []Action{HangupCaller{Reason: "normal"}, Finish{}}
		}
		c.deadline = now.Add(c.set.KeyTimeout)
	case TimerFired:
		if c.linkDown || c.deadline.IsZero() || now.Before(c.deadline) {
			return nil
		}
		c.deadline = time.Time{}
		return c.timeout()
	case ClerkGone:
		c.phase = codeDone // what was keyed in is not sent
		return []Action{Finish{}}
	case LinkLost:
		c.linkDown = true
	case LinkBack:
		c.linkDown = false
		return []Action{Resync{}}
	}
	return nil
}

func (c *NoticeCode) key(d string) []Action {
	switch c.phase {
	case codeNumber, codeCase, codeConfirm:
	default:
		return nil
	}
	acts := c.stop() // the clerk need not hear the rest
	c.deadline = time.Time{}
	c.silences = 0
	if c.phase == codeConfirm {
		switch d {
		case "1":
			c.phase = codeSaving
			c.deadline = c.now.Add(promptLimit) // should the store never answer
			return append(acts, AddNotice{Task: callcare.CallbackTask{
				Kind: callcare.KindDocuments, Number: c.number, Case: c.caseRef,
				Target: callcare.Target{Kind: callcare.TargetClerk, ID: string(c.clerk.ID)},
				CallID: c.id, FirstAt: c.now, Status: callcare.CallbackOpen,
			}})
		case "2":
			c.phase, c.typed = codeNumber, ""
			return append(acts, c.say("sound:"+c.set.Prompts.NoticeEnterNumber)...)
		}
		return append(acts, c.say(c.check()...)...)
	}
	switch {
	case d == "#":
		return append(acts, c.field()...)
	case d == "*": // start the number again
		c.typed = ""
		return append(acts, c.say(c.ask())...)
	}
	if c.phase == codeCase && len(c.typed) >= maxCase {
		return append(acts, c.field()...)
	}
	c.typed += d
	c.deadline = c.now.Add(c.set.KeyTimeout) // a pause ends it too
	return acts
}

// field: the number keyed in so far is complete.
func (c *NoticeCode) field() []Action {
	typed := c.typed
	c.typed = ""
	if c.phase == codeNumber {
		// No citizen's number starts with 0 once a leading 00 is read as
		// the international prefix: a 0 is the outside line's, keyed by
		// habit, and a trunk would refuse every dial.
		n, ok := callcare.CallableNumber(callcare.Number(typed))
		if !ok || len(typed) < 9 || strings.HasPrefix(string(n), "0") {
			return c.say("sound:"+c.set.Prompts.NoticeBadNumber, c.ask())
		}
		c.number, c.phase = n, codeCase
		return c.say(c.ask())
	}
	if typed == "" {
		return c.say(c.ask())
	}
	c.caseRef, c.phase = typed, codeConfirm
	return c.say(c.check()...)
}

func (c *NoticeCode) timeout() []Action {
	switch c.phase {
	case codeNumber, codeCase:
		if c.typed != "" {
			return c.field() // a pause ends the number
		}
		fallthrough
	case codeConfirm:
		c.silences++
		if c.silences < 2 {
			if c.phase == codeConfirm {
				return c.say(c.check()...)
			}
			return c.say(c.ask())
		}
		return c.end(c.set.Prompts.Goodbye) // nothing sent
	case codeSaving:
		return c.end(c.set.Prompts.NoticeFailed)
	case codeEnding:
		c.phase = codeDone
		return []Action{HangupCaller{Reason: "normal"}, Finish{}}
	}
	return nil
}

// ask is what the number being keyed in is.
func (c *NoticeCode) ask() string {
	if c.phase == codeCase {
		return "sound:" + c.set.Prompts.NoticeEnterCase
	}
	return "sound:" + c.set.Prompts.NoticeEnterNumber
}

// check says back what would be sent.
func (c *NoticeCode) check() []string {
	p := c.set.Prompts
	media := append([]string{"sound:" + p.NoticeFor}, sayDigits(string(c.number))...)
	media = append(media, "sound:"+p.NoticeCase)
	media = append(media, sayDigits(c.caseRef)...)
	return append(media, "sound:"+p.NoticeConfirm)
}

func (c *NoticeCode) end(sound string) []Action {
	acts := c.stop()
	c.phase = codeEnding
	return append(acts, c.say("sound:"+sound)...)
}

func (c *NoticeCode) say(media ...string) []Action {
	c.n++
	c.playing = fmt.Sprintf("%s-p%d", c.id, c.n)
	c.deadline = c.now.Add(promptLimit)
	return []Action{Say{Playback: c.playing, Media: media}}
}

func (c *NoticeCode) stop() []Action {
	if c.playing == "" {
		return nil
	}
	p := c.playing
	c.playing = ""
	return []Action{StopPlayback{Playback: p}}
}
