package main

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
)

// The calls the service makes to citizens (P3.2 (3), P4e), for the admin
// and the clerks: send a documents-ready notice, list and show them with
// every attempt; and the meeting agreed on an appointment request.

func newNotifyCmd() *cobra.Command {
	c := group(&cobra.Command{
		Use:   "notify",
		Short: "calls the service makes to citizens: documents ready, reminders (P3.2)",
		Long: `Calls the service makes to citizens by itself: "your documents are ready"
(P3.2 (3)) and the reminders of meetings agreed on appointment requests.
Within office hours the service calls the citizen showing the office's
number (callbacks.caller_id); whoever answers hears only that the Town Hall
calls about a matter and is asked to press 1 (P4e: nothing personal before
that, nothing left on an answering machine). An attempt not confirmed by the
key (no answer, busy, silence) is tried again by the callback schedule, up
to notices.max_attempts. Each command takes --config FILE or --db FILE.`,
		Example: `  callcare notify documents-ready --to 600100200 --case 2026117 --where usc --clerk kwojcik
  callcare notify list --status open
  callcare notify show 12`,
	})
	c.AddCommand(newNotifyDocumentsCmd(), newNotifyListCmd(), newNotifyShowCmd())
	return c
}

// caseRe: a case number is said digit by digit, so it is digits.
var caseRe = regexp.MustCompile(`^[0-9]{1,20}$`)

func newNotifyDocumentsCmd() *cobra.Command {
	var (
		where                  storeFlags
		to, caseRef, at, clerk string
	)
	c := &cobra.Command{
		Use:   "documents-ready --to NUMBER --case ID",
		Short: "call a citizen: the documents of their matter are ready to collect",
		Long: `Record a documents-ready notice: within office hours (at once, or at the
next opening) the service calls the citizen. After they press 1 they hear
that the documents are ready, the case number digit by digit, and where and
when to collect them (--where names one of notices.places; the default is
sounds.documents_where); 2 connects them to the clerk (--clerk, by the
procedure's rings and overflow; the secretariat if none is given), 3 says it
again. The case number is digits: it is said digit by digit.`,
		Example: `  callcare notify documents-ready --to 600100200 --case 2026117
  callcare notify documents-ready --to +48600100200 --case 77 --where usc --clerk kwojcik`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			number, ok := callcare.CallableNumber(callcare.Number(to))
			if !ok || len(strings.TrimLeft(string(number), "+")) < 9 {
				return usagef("--to %q: a phone number the office can call, such as 600100200", to)
			}
			if !caseRe.MatchString(caseRef) {
				return usagef("--case %q: the case number, digits only (it is said digit by digit)", caseRef)
			}
			v, err := openView(c.Context(), c, where)
			if err != nil {
				return err
			}
			defer v.Close()
			t := callcare.CallbackTask{Kind: callcare.KindDocuments, Number: number, Case: caseRef,
				FirstAt: v.now, Status: callcare.CallbackOpen, CallID: "cli"}
			if err := v.noticeOf(&t, at, clerk); err != nil {
				return err
			}
			n, err := v.db.AddNotice(c.Context(), t)
			if err != nil {
				return storeError(err)
			}
			when := "at once"
			if v.cfg != nil && !v.cfg.OfficeHours.IsOpen(v.now) {
				when = "at the next opening, " + v.second(v.cfg.OfficeHours.NextOpening(v.now))
			}
			fmt.Fprintf(v.stdout, "notice %d: documents ready, case %s, to %s; the service calls %s (2 connects %s)\n",
				n.ID, n.Case, n.Number, when, v.who(n.Target))
			return nil
		},
	}
	where.add(c.Flags())
	c.Flags().StringVar(&to, "to", "", "the citizen's phone `number`")
	c.Flags().StringVar(&caseRef, "case", "", "the case `number`, digits")
	c.Flags().StringVar(&at, "where", "", "the `place` to collect them, one of notices.places (default: sounds.documents_where)")
	c.Flags().StringVar(&clerk, "clerk", "", "the clerk `id` the citizen may talk to (default: the secretariat)")
	return c
}

// noticeOf fills in where and who, from the configuration.
func (v *view) noticeOf(t *callcare.CallbackTask, where, clerk string) error {
	t.Target = callcare.Target{Kind: callcare.TargetDepartment, ID: "100"}
	if v.cfg != nil {
		t.Target.ID = v.cfg.Secretariat
	}
	if where != "" {
		if v.cfg == nil {
			return usagef("--where needs --config: the places are notices.places")
		}
		sound, ok := v.cfg.Notices.Places[where]
		switch {
		case !ok && len(v.cfg.Notices.Places) == 0:
			return usagef("--where %q: the configuration has no notices.places; add the place there (a name and its recorded sound), or leave --where out", where)
		case !ok:
			names := make([]string, 0, len(v.cfg.Notices.Places))
			for n := range v.cfg.Notices.Places {
				names = append(names, n)
			}
			slices.Sort(names)
			return usagef("--where %q: not one of notices.places (%s)", where, strings.Join(names, ", "))
		}
		t.Place = sound
	}
	if clerk != "" {
		t.Target = callcare.Target{Kind: callcare.TargetClerk, ID: clerk}
		if v.cfg != nil {
			if _, ok := v.cfg.Directory.Clerk(callcare.ClerkID(clerk)); !ok {
				return usagef("--clerk %q: no clerk has that id", clerk)
			}
		}
	}
	return nil
}

func newNotifyListCmd() *cobra.Command {
	var (
		where                storeFlags
		status, kind, number string
		limit                int
	)
	c := &cobra.Command{
		Use:   "list",
		Short: "the notices, newest first, with how each went",
		Example: `  callcare notify list
  callcare notify list --status open --kind documents`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			f := callcare.NoticeFilter{Limit: limit}
			switch status {
			case "all":
			case "open", "done":
				f.Status = callcare.CallbackStatus(status)
			default:
				return usagef("--status %q: want open, done or all", status)
			}
			switch kind {
			case "all":
			case "documents":
				f.Kind = callcare.KindDocuments
			case "reminders":
				f.Kind = callcare.KindReminder
			default:
				return usagef("--kind %q: want documents, reminders or all", kind)
			}
			if number != "" {
				n, ok := callcare.CallableNumber(callcare.Number(number))
				if !ok {
					return usagef("--number %q is not a phone number", number)
				}
				f.Number = n
			}
			v, err := openView(c.Context(), c, where)
			if err != nil {
				return err
			}
			defer v.Close()
			ns, err := v.db.Notices(c.Context(), f)
			if err != nil {
				return err
			}
			v.printNotices(ns)
			return nil
		},
	}
	where.add(c.Flags())
	c.Flags().StringVar(&status, "status", "all", "open, done or all")
	c.Flags().StringVar(&kind, "kind", "all", "documents, reminders or all")
	c.Flags().StringVar(&number, "number", "", "only the notices to this `number`")
	c.Flags().IntVar(&limit, "limit", 100, "at most this many, the newest")
	return c
}

func newNotifyShowCmd() *cobra.Command {
	var where storeFlags
	c := &cobra.Command{
		Use:     "show ID",
		Short:   "a notice in full, with every attempt and its outcome",
		Example: `  callcare notify show 12`,
		RunE: func(c *cobra.Command, args []string) error {
			id, err := callbackID(args)
			if err != nil {
				return err
			}
			v, err := openView(c.Context(), c, where)
			if err != nil {
				return err
			}
			defer v.Close()
			t, err := v.db.Callback(c.Context(), id)
			if err != nil {
				return storeError(err)
			}
			if !t.Kind.Outbound() {
				return fmt.Errorf("%d is a callback, not a notice: see `callcare callbacks show %d`", id, id)
			}
			atts, err := v.db.CallbackAttempts(c.Context(), id)
			if err != nil {
				return storeError(err)
			}
			v.printNotice(t, atts)
			return nil
		},
	}
	where.add(c.Flags())
	return c
}

// outcome says how a notice stands: its outcome once closed, else when it
// is tried next.
func (v *view) outcome(t callcare.CallbackTask) string {
	if t.Status == callcare.CallbackDone {
		switch t.Resolution {
		case callcare.ResolvedConfirmed:
			return "confirmed by key"
		case callcare.ResolvedRefused:
			return "refused: not for whoever answered"
		case callcare.ResolvedUnreachable:
			return "not confirmed: attempts used up"
		}
		return string(t.Resolution)
	}
	if t.NextAttemptAt.After(v.now) {
		return "open: next attempt " + v.minute(t.NextAttemptAt)
	}
	return "open: next attempt within office hours"
}

func (v *view) about(t callcare.CallbackTask) string {
	if t.Kind == callcare.KindReminder {
		return "meeting " + v.minute(t.MeetingAt)
	}
	return "case " + t.Case
}

func (v *view) printNotices(ns []callcare.CallbackTask) {
	if len(ns) == 0 {
		fmt.Fprintln(v.stdout, "no notices")
		return
	}
	tw := tabwriter.NewWriter(v.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tTO\tABOUT\tFOR\tATTEMPTS\tOUTCOME")
	for _, t := range ns {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\n", t.ID, t.Kind, t.Number, v.about(t), target(t.Target), t.Attempts, v.outcome(t))
	}
	tw.Flush()
}

func (v *view) printNotice(t callcare.CallbackTask, atts []callcare.CallbackAttempt) {
	tw := tabwriter.NewWriter(v.stdout, 0, 4, 2, ' ', 0)
	field := func(name, format string, args ...any) {
		fmt.Fprintf(tw, "%s:\t%s\n", name, fmt.Sprintf(format, args...))
	}
	field("Notice", "%d (%s)", t.ID, t.Kind)
	field("Outcome", "%s", v.outcome(t))
	if t.Status == callcare.CallbackDone {
		field("Closed", "%s, by %s", v.second(t.ClosedAt), orDash(t.ClosedBy))
	}
	field("To", "%s", t.Number)
	if t.Kind == callcare.KindReminder {
		field("Meeting", "%s (appointment request %d)", v.second(t.MeetingAt), t.OfTask)
	} else {
		field("Case", "%s", t.Case)
		field("Where", "%s", orDefault(t.Place, "the office's default (sounds.documents_where)"))
	}
	field("Talk to", "%s", v.who(t.Target))
	field("Asked for", "%s", v.second(t.FirstAt))
	field("Attempts", "%d", t.Attempts)
	tw.Flush()
	if len(atts) == 0 {
		return
	}
	fmt.Fprintln(v.stdout)
	tw = tabwriter.NewWriter(v.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEQ\tSTARTED\tENDED\tRESULT")
	for _, a := range atts {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", a.Seq, v.second(a.StartedAt), v.second(a.EndedAt), attemptResult(a.Result))
	}
	tw.Flush()
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func newCallbacksMeetingCmd() *cobra.Command {
	var (
		where storeFlags
		at    string
		by    string
	)
	c := &cobra.Command{
		Use:   "meeting ID --at TIME",
		Short: "record the meeting agreed on an appointment request (P3.2)",
		Long: `Record the meeting agreed with the citizen on an appointment request (a task
of kind appointment): the request closes (meeting_agreed) and the citizen is
called with a reminder appointments.remind_days_before office days before
(the notice says nothing personal before they press 1). A new time replaces
the reminder of the old one. A time without a zone is the office's.`,
		Example: `  callcare callbacks meeting 7 --at "2026-11-26 10:30"`,
		RunE: func(c *cobra.Command, args []string) error {
			id, err := callbackID(args)
			if err != nil {
				return err
			}
			if at == "" {
				return usagef("--at is required")
			}
			v, err := openView(c.Context(), c, where)
			if err != nil {
				return err
			}
			defer v.Close()
			when, err := parseAgreed(at, v.loc)
			if err != nil {
				return usageError{err}
			}
			return v.meeting(c.Context(), id, when, by)
		},
	}
	where.add(c.Flags())
	c.Flags().StringVar(&at, "at", "", `the meeting's `+"`time`"+`, "2026-11-26 10:30" in the office's time zone, or RFC 3339`)
	c.Flags().StringVar(&by, "by", "admin", "who records it, for the record")
	return c
}

// meeting records the meeting of appointment request id at when.
func (v *view) meeting(ctx context.Context, id int64, when time.Time, by string) error {
	if !when.After(v.now) {
		return fmt.Errorf("%s is in the past (now %s); nothing was changed", v.second(when), v.second(v.now))
	}
	hours, days := callcare.DefaultOfficeHours(), 1
	if v.cfg != nil {
		hours, days = v.cfg.OfficeHours, v.cfg.Menu.Appointments.RemindDaysBefore
	}
	r, reminded, err := v.db.AgreeMeeting(ctx, id, when, by, v.now, policy.RemindAt(when, hours, days, v.now))
	if err != nil {
		return storeError(err)
	}
	fmt.Fprintf(v.stdout, "callback %d: meeting %s (%s) recorded", id, v.minute(when), v.loc)
	if reminded {
		fmt.Fprintf(v.stdout, "; the citizen is reminded from %s (notice %d)\n", v.minute(r.NextAttemptAt), r.ID)
	} else {
		fmt.Fprintln(v.stdout, "; no reminder (too close, or reminders are off)")
	}
	return nil
}

// reasonOf is a task's reason in the list, an appointment request's kind
// first (P3.2).
func reasonOf(t callcare.CallbackTask) string {
	if t.Kind == callcare.KindAppointment {
		return "appointment/" + string(t.Reason)
	}
	return string(t.Reason)
}
