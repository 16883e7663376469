package main

import (
	"fmt"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/callcare/callcare"
)

// How the callbacks commands print tasks: a line each in the list, every
// field in show, times in the office's zone.

// printList writes one line per task. Numbers are shown whole: this is the
// office's own record, read by its staff.
func (v *view) printList(tasks []callcare.CallbackTask) {
	tw := tabwriter.NewWriter(v.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPRIORITY\tNUMBER\tFOR\tREASON\tTRIES\tDUE / AGREED\tATTEMPTS\tSTATUS\tNOTE")
	for _, t := range tasks {
		note := "no"
		if t.Note != "" {
			note = "yes"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\t%d\t%s\t%s\n",
			t.ID, priority(t), t.Number, target(t.Target), reasonOf(t), t.Tries,
			v.promise(t), t.Attempts, v.status(t), note)
	}
	tw.Flush()
}

// priority names a task's priority, and how special needs are known.
func priority(t callcare.CallbackTask) string {
	if t.Priority < callcare.PrioritySpecialNeeds {
		return "normal"
	}
	if t.Needs == callcare.NeedsNone {
		return "SPECIAL NEEDS"
	}
	return "SPECIAL NEEDS (" + string(t.Needs) + ")"
}

func target(t callcare.Target) string {
	switch t.Kind {
	case callcare.TargetClerk:
		return "clerk " + t.ID
	case callcare.TargetDepartment:
		return "department " + t.ID
	}
	return t.String()
}

// promise is the time the office must call back by: the agreed time when
// there is one (P4m), else the due time; OVERDUE when it passed with the
// task still open, or when the service marked it overdue.
func (v *view) promise(t callcare.CallbackTask) string {
	s := "-"
	switch p := t.Promise(); {
	case !t.AgreedAt.IsZero():
		s = "agreed " + v.minute(p)
	case !p.IsZero():
		s = "due " + v.minute(p)
	}
	if t.Late(v.now) {
		s += " OVERDUE"
	}
	return s
}

// status is open (and who works it now), or done and how.
func (v *view) status(t callcare.CallbackTask) string {
	if t.Status == callcare.CallbackDone {
		return "done: " + string(t.Resolution)
	}
	if t.Claimed(v.now) {
		return "open, " + string(t.ClaimedBy) + " working it"
	}
	return string(t.Status)
}

func (v *view) minute(t time.Time) string { return t.In(v.loc).Format("2006-01-02 15:04") }

func (v *view) second(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(v.loc).Format("2006-01-02 15:04:05")
}

var reasons = map[callcare.CallbackReason]string{
	callcare.ReasonMissed:     "missed: nobody answered in time (P4c)",
	callcare.ReasonAbandoned:  "abandoned: the caller hung up before an answer (P4c)",
	callcare.ReasonAfterHours: "after hours: called while the office was closed",
	callcare.ReasonRequested:  "requested: the caller asked to be called back",
}

var needs = map[callcare.NeedsSource]string{
	callcare.NeedsRegistry: "the number is in the consented special-needs list",
	callcare.NeedsLine:     "the caller dialed the dedicated line",
	callcare.NeedsClerk:    "a clerk flagged the call",
}

func (v *view) printTask(t callcare.CallbackTask, attempts []callcare.CallbackAttempt) {
	tw := tabwriter.NewWriter(v.stdout, 0, 4, 2, ' ', 0)
	field := func(name, format string, args ...any) {
		fmt.Fprintf(tw, "%s:\t%s\n", name, fmt.Sprintf(format, args...))
	}
	status := "open"
	if t.Status == callcare.CallbackDone {
		status = fmt.Sprintf("done: %s, by %s at %s", t.Resolution, orDash(t.ClosedBy), v.second(t.ClosedAt))
	} else if t.Status != callcare.CallbackOpen {
		status = string(t.Status)
	}
	field("Callback", "%d", t.ID)
	field("Status", "%s", status)
	p := priority(t)
	if why, ok := needs[t.Needs]; ok && t.Priority >= callcare.PrioritySpecialNeeds {
		p += ": " + why + "; served first (P5.3)"
	}
	field("Priority", "%s", p)
	field("Number", "%s", t.Number)
	field("For", "%s", v.who(t.Target))
	field("Dialed", "%s", orDash(t.Dialed))
	r, ok := reasons[t.Reason]
	if !ok {
		r = string(t.Reason)
	}
	if t.Kind == callcare.KindAppointment { // P3.2 (1)
		r = "appointment request (" + r + ")"
		if !t.MeetingAt.IsZero() {
			field("Meeting", "%s", v.second(t.MeetingAt))
		}
	}
	field("Reason", "%s", r)
	field("Call", "%s", orDash(t.CallID))
	field("First call", "%s", v.second(t.FirstAt))
	field("Last call", "%s", v.second(t.LastAt))
	field("Tries", "%d (calls from the citizen that did not get through)", t.Tries)
	due := v.second(t.Due)
	if t.Late(v.now) && t.AgreedAt.IsZero() {
		due += " OVERDUE"
	}
	field("Due by", "%s", due)
	agreed := "none"
	if !t.AgreedAt.IsZero() {
		agreed = v.second(t.AgreedAt) + " (P4m)"
		if t.Late(v.now) {
			agreed += " OVERDUE"
		}
	}
	field("Agreed time", "%s", agreed)
	next := "at once"
	if t.NextAttemptAt.After(v.now) {
		next = "not before " + v.second(t.NextAttemptAt)
	}
	if t.Status == callcare.CallbackOpen {
		field("Next attempt", "%s", next)
	}
	overdue := "no"
	if t.Overdue {
		overdue = "yes, marked by the service"
		if !t.EscalatedAt.IsZero() {
			overdue += ", escalated at " + v.second(t.EscalatedAt)
		} else {
			overdue += ", not escalated"
		}
	}
	field("Overdue", "%s", overdue)
	claim := "nobody"
	if t.Claimed(v.now) {
		claim = fmt.Sprintf("%s, until %s", t.ClaimedBy, v.second(t.ClaimedUntil))
	}
	field("Worked by", "%s", claim)
	field("Voice note", "%s", v.note(t.Note))
	field("Attempts", "%d", t.Attempts)
	tw.Flush()

	if len(attempts) == 0 {
		return
	}
	fmt.Fprintln(v.stdout)
	tw = tabwriter.NewWriter(v.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEQ\tCLERK\tSTARTED\tENDED\tRESULT\tCHANNEL")
	for _, a := range attempts {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", a.Seq, orDash(string(a.Clerk)), v.second(a.StartedAt), v.second(a.EndedAt), attemptResult(a.Result), orDash(a.Channel))
	}
	tw.Flush()
}

// who names the clerk or department a task is for, with the directory's
// names when the configuration is at hand.
func (v *view) who(t callcare.Target) string {
	s := target(t)
	if v.cfg == nil {
		return s
	}
	switch t.Kind {
	case callcare.TargetClerk:
		if k, ok := v.cfg.Directory.Clerk(callcare.ClerkID(t.ID)); ok {
			s += fmt.Sprintf(" (%s %s, %s)", k.Name, k.Surname, k.Position)
		} else {
			s += " (not in the configuration)"
		}
	case callcare.TargetDepartment:
		if d, ok := v.cfg.Directory.Department(t.ID); ok {
			s += fmt.Sprintf(" (%s)", d.Name)
		} else {
			s += " (not in the configuration)"
		}
	}
	return s
}

// note names the voice note and where Asterisk serves it. It is never
// played here: a note is personal data, for the clerk handling the task.
func (v *view) note(name string) string {
	if name == "" {
		return "none"
	}
	path := "/recordings/stored/" + url.PathEscape(name) + "/file"
	if v.cfg != nil && v.cfg.Asterisk.ARIURL != "" {
		path = strings.TrimSuffix(v.cfg.Asterisk.ARIURL, "/") + path
	}
	return fmt.Sprintf("%q, an Asterisk stored recording (not played here); fetch it with ARI: GET %s", name, path)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// attemptResult is how an attempt ended, or that it is under way.
func attemptResult(r callcare.AttemptResult) string {
	if r == callcare.AttemptPending {
		return "under way"
	}
	return string(r)
}
