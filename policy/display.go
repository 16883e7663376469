package policy

import (
	"strings"
	"unicode/utf8"

	"github.com/callcare/callcare"
)

// What the ringing desk phone shows (P4d): the citizen's number as the
// caller id number, and as its name why the call comes, so the clerk
// knows how to introduce themselves: overflowed from a colleague,
// transferred by one, a callback at an agreed time, a person with special
// needs. A direct call shows what the caller's own network sent, and
// costs no request. The text is cut to what phones display.

// Why is the reason a desk phone rings.
type Why int

const (
	WhyDirect   Why = iota // the clerk (or their department) was dialed
	WhyOverflow            // the one dialed did not answer in time (P4a)
	WhyTransfer            // a colleague transferred the call (P4o)
	WhyBack                // the clerk's own transfer came back unanswered
	WhyCallback            // an agreed-time callback (P4m)
)

// labels are the words of the display, by language.
var labels = map[string]map[Why]string{
	"pl": {WhyOverflow: "Przekier. od", WhyTransfer: "Przek. od", WhyBack: "Powrót przek.", WhyCallback: "Oddzwonienie"},
	"en": {WhyOverflow: "Overflow from", WhyTransfer: "Transfer from", WhyBack: "Transfer back", WhyCallback: "Callback"},
}

var needsLabel = map[string]string{"pl": "SP", "en": "SN"}

// callbackForLabel: an agreed callback that rings another than the clerk
// it was agreed with says whose it is (P4d, P4m).
var callbackForLabel = map[string]string{"pl": "Oddzw. za", "en": "Callback for"}

// awayLabels are the words of a substitute's display (P4c, P4d): for whom,
// then the absence's reason, short.
var awayLabels = map[string]struct {
	forWhom string
	reasons map[callcare.AbsenceReason]string
}{
	"pl": {"Za", map[callcare.AbsenceReason]string{callcare.AbsenceLeave: "urlop", callcare.AbsenceSickLeave: "L4",
		callcare.AbsenceTraining: "szkol.", callcare.AbsenceFieldWork: "teren"}},
	"en": {"For", map[callcare.AbsenceReason]string{callcare.AbsenceLeave: "leave", callcare.AbsenceSickLeave: "sick",
		callcare.AbsenceTraining: "training", callcare.AbsenceFieldWork: "field"}},
}

// DisplayName is the caller id name a desk phone shows for a call that
// rings it for why, from clerk (who overflowed or transferred it, or whose
// agreed callback another takes; zero for none), with special needs or
// not, cut to max characters (0: no limit). It is "" for a direct call of a caller without known needs:
// the phone then shows what came with the call.
func DisplayName(lang string, why Why, from callcare.Clerk, needs bool, max int) string {
	if lang != "en" {
		lang = "pl"
	}
	var parts []string
	if needs {
		parts = append(parts, needsLabel[lang])
	}
	switch l := labels[lang][why]; {
	case why == WhyCallback && from.ID != "":
		parts = append(parts, callbackForLabel[lang], shortName(from))
	case l != "":
		parts = append(parts, l)
		if (why == WhyOverflow || why == WhyTransfer) && from.ID != "" {
			parts = append(parts, shortName(from))
		}
	}
	return cut(strings.Join(parts, " "), max)
}

// DepartmentName is the caller id name a phone rung for a department's
// number shows (P4d): the department's name, so the clerk introduces
// themselves as its; special needs first, as in DisplayName.
func DepartmentName(lang, department string, needs bool, max int) string {
	if lang != "en" {
		lang = "pl"
	}
	if needs {
		department = needsLabel[lang] + " " + department
	}
	return cut(department, max)
}

// AwayName is the caller id name a substitute's phone shows when it rings
// in place of an absent clerk (P4c, P4d): "Za A. Nowak, urlop", the reason
// left out when the absence gives none; special needs first, as in
// DisplayName. What is cut to max is the end: the reason before the name.
func AwayName(lang string, absent callcare.Clerk, reason callcare.AbsenceReason, needs bool, max int) string {
	if lang != "en" {
		lang = "pl"
	}
	l := awayLabels[lang]
	s := l.forWhom + " " + shortName(absent)
	if r := l.reasons[reason]; r != "" {
		s += ", " + r
	}
	if needs {
		s = needsLabel[lang] + " " + s
	}
	return cut(s, max)
}

// shortName is "A. Nowak", or the id when the directory has no name.
func shortName(c callcare.Clerk) string {
	if c.Surname == "" {
		return string(c.ID)
	}
	if r, _ := utf8.DecodeRuneInString(c.Name); r != utf8.RuneError && c.Name != "" {
		return string(r) + ". " + c.Surname
	}
	return c.Surname
}

func cut(s string, max int) string {
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:max]))
}

// display decides what the phones of the step about to ring show: it
// goes with each dial (DialClerk), so it costs no request of its own and
// never waits for a playback to end.
func (c *Inbound) display() {
	why, from := WhyDirect, callcare.Clerk{}
	switch {
	case c.xfer.on && c.xfer.back:
		why = WhyBack
	case c.xfer.on:
		why, from = WhyTransfer, c.xfer.from
	case c.inLine:
	case c.steps[c.step].Forward.Forwarded() && !c.steps[c.step].Forward.Loop:
		st := c.steps[c.step]
		c.shown = AwayName(c.set.Say.Lang, st.Absent, st.Forward.Reason, c.rec.Needs != callcare.NeedsNone, c.set.DisplayMax)
		return
	case c.step == 0 && c.steps[0].Via.Kind == callcare.TargetDepartment && c.steps[0].Department != "":
		// The department's number was dialed: the clerk answers as its.
		c.shown = DepartmentName(c.set.Say.Lang, c.steps[0].Department, c.rec.Needs != callcare.NeedsNone, c.set.DisplayMax)
		return
	case c.step > 0:
		why = WhyOverflow
		if prev := c.steps[c.step-1]; len(prev.Clerks) > 0 {
			from = prev.Clerks[0]
		}
	}
	c.shown = DisplayName(c.set.Say.Lang, why, from, c.rec.Needs != callcare.NeedsNone, c.set.DisplayMax)
	if c.shown == "" {
		c.shown = c.rec.CallerName // what the caller's network sent
	}
}
