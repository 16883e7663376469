package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/config"
	"github.com/callcare/callcare/dialplan"
)

// The admin's view of absences (P4c): the rules of callcare.yaml and the
// forwards set from desk phones or here, which win over the file while
// they last. Both are read from where the service reads them, so what is
// listed is what the next call follows.
func newAbsencesCmd() *cobra.Command {
	c := group(&cobra.Command{
		Use:   "absences",
		Short: "who is away and who takes their calls: callcare.yaml and the forwards set by phone (P4c)",
		Long: `Absences: the rules of callcare.yaml (absences:) and the forwards set from
desk phones (*21, *20) or with absences set and clear. A forward wins over the
file's rules while it lasts. Each command takes --config FILE (default
callcare.yaml): the directory and the time zone come from it, the forwards
from its database.`,
		Example: `  callcare absences list
  callcare absences set anowak --to 112 --days 5
  callcare absences clear anowak`,
	})
	c.AddCommand(newAbsencesListCmd(), newAbsencesSetCmd(), newAbsencesClearCmd())
	return c
}

// absenceView is the configuration and the forwards in the database.
type absenceView struct {
	cfg      *config.Config
	st       *store // nil when the database does not exist yet
	forwards []callcare.Absence
	now      time.Time
}

func (v *absenceView) Close() {
	if v.st != nil {
		v.st.Close()
	}
}

// book is every absence: the file's and the forwards.
func (v *absenceView) book() *callcare.Absences {
	return &callcare.Absences{Rules: v.cfg.Absences, Forwards: v.forwards, Hours: v.cfg.OfficeHours}
}

// openAbsences reads the configuration and, when needDB or when it exists,
// the database it names.
func openAbsences(ctx context.Context, path string, needDB bool) (*absenceView, error) {
	cfg, err := readConfig(ctx, path, config.CheckContext, "")
	if err != nil {
		return nil, err
	}
	v := &absenceView{cfg: cfg, now: time.Now()}
	if _, err := os.Stat(cfg.Database); errors.Is(err, fs.ErrNotExist) && !needDB {
		return v, nil
	}
	v.st, err = openStore(ctx, cfg.Database, "the database of --config "+path, cfg)
	if err != nil {
		return nil, err
	}
	if v.forwards, err = v.st.db.Forwards(ctx, v.now); err != nil {
		v.Close()
		return nil, err
	}
	return v, nil
}

func newAbsencesListCmd() *cobra.Command {
	var path, at string
	c := &cobra.Command{
		Use:   "list",
		Short: "every absence and forward, and who takes whose calls now",
		Long: `List every absence of callcare.yaml and every forward set by phone or from the
command line that has not ended: whose, to whom, from when to when, on which
days, why, and where it was set. NOW marks the rule each clerk's calls follow
at the moment (a forward wins over the file). Then, for each clerk away, who
takes their calls in the end, following substitutes who are away too.`,
		Example: `  callcare absences list --config /etc/callcare/callcare.yaml
  callcare absences list --at "2026-12-24 10:00"`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			v, err := openAbsences(c.Context(), path, false)
			if err != nil {
				return err
			}
			defer v.Close()
			if at != "" {
				t, err := parseMoment(at, v.cfg.TimeZone)
				if err != nil {
					return usageError{err}
				}
				v.now = t
			}
			v.print(c.OutOrStdout())
			return nil
		},
	}
	configFlag(c.Flags(), &path, "for the directory, the time zone and the database")
	c.Flags().StringVar(&at, "at", "", `the moment to look at: "2026-12-24 10:00" (default now)`)
	return c
}

// print writes every absence and who takes whose calls at v.now.
func (v *absenceView) print(w io.Writer) {
	loc := v.cfg.TimeZone
	book := v.book()
	all := append(append([]callcare.Absence(nil), v.forwards...), v.cfg.Absences...)
	if len(all) == 0 {
		fmt.Fprintln(w, "nobody is away: no absences in the file, no forwards set")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CLERK\tAWAY TO\tFROM\tTO\tWHEN\tREASON\tSET BY\tNOW")
	for _, a := range all {
		now := ""
		if in, ok := book.Away(a.Clerk, v.now); ok && in == a {
			now = "in force"
		} else if a.InForce(v.now, book.Hours) {
			now = "overridden"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.Clerk, targetName(&v.cfg.Directory, a.To),
			fromText(a, loc), untilText(a, loc), whenText(a), orDash(string(a.Reason)), setBy(a, v.cfg), orDash(now))
	}
	tw.Flush()
	var away []string
	for _, c := range v.cfg.Directory.Clerks {
		cov, ok := book.Cover(&v.cfg.Directory, c.ID, v.now)
		if !ok {
			continue
		}
		line := fmt.Sprintf("  %s: calls go to %s", c.ID, targetName(&v.cfg.Directory, cov.To))
		if len(cov.Path) > 2 {
			line += " (" + cov.PathString() + ")"
		}
		if cov.Problem != "" {
			line = fmt.Sprintf("  %s: the forwards lead %s (%s): calls go on to department %s", c.ID, cov.Problem, cov.PathString(), c.Department)
		}
		away = append(away, line)
	}
	fmt.Fprintf(w, "\nat %s:\n", v.now.In(loc).Format("2006-01-02 15:04"))
	if len(away) == 0 {
		fmt.Fprintln(w, "  nobody is away")
	}
	for _, l := range away {
		fmt.Fprintln(w, l)
	}
}

// targetName is a clerk's id and extension, or a department's number and
// name.
func targetName(dir *callcare.Directory, t callcare.Target) string {
	switch t.Kind {
	case callcare.TargetClerk:
		if c, ok := dir.Clerk(callcare.ClerkID(t.ID)); ok {
			return fmt.Sprintf("%s (%s)", c.ID, c.Extension)
		}
	case callcare.TargetDepartment:
		if d, ok := dir.Department(t.ID); ok {
			return fmt.Sprintf("%s %s", d.Number, d.Name)
		}
	}
	return t.ID + " (not in the directory)"
}

func fromText(a callcare.Absence, loc *time.Location) string {
	if a.From.IsZero() {
		return "-"
	}
	return a.From.In(loc).Format("2006-01-02 15:04")
}

// untilText is the end as an admin writes it: the last day of a whole-day
// absence, or the moment it ends.
func untilText(a callcare.Absence, loc *time.Location) string {
	if a.Until.IsZero() {
		return "-"
	}
	u := a.Until.In(loc)
	if u.Hour() == 0 && u.Minute() == 0 {
		return u.AddDate(0, 0, -1).Format("2006-01-02") + " (whole day)"
	}
	return u.Format("2006-01-02 15:04")
}

func whenText(a callcare.Absence) string {
	var parts []string
	if a.Weekly != nil {
		parts = append(parts, a.Weekly.String())
	}
	if a.OutsideHours {
		parts = append(parts, "outside office hours")
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

func setBy(a callcare.Absence, cfg *config.Config) string {
	switch a.Source {
	case callcare.SetInFile:
		return "yaml " + a.Where
	case callcare.SetByPhone:
		return fmt.Sprintf("phone of %s, %s", a.SetBy, a.SetAt.In(cfg.TimeZone).Format("2006-01-02 15:04"))
	case callcare.SetByCLI:
		return fmt.Sprintf("command line (%s), %s", a.SetBy, a.SetAt.In(cfg.TimeZone).Format("2006-01-02 15:04"))
	}
	return string(a.Source)
}

// parseMoment reads "2026-12-24 10:00" or "2026-12-24" in loc.
func parseMoment(s string, loc *time.Location) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q: want a date and time such as \"2026-12-24 10:00\", or a date", s)
}

// clerkNamed finds a clerk by id or extension.
func clerkNamed(dir *callcare.Directory, name string) (callcare.Clerk, bool) {
	if c, ok := dir.Clerk(callcare.ClerkID(name)); ok {
		return c, true
	}
	if t, ok := dialplan.Resolve(dir, name); ok && t.Kind == callcare.TargetClerk {
		return dir.Clerk(callcare.ClerkID(t.ID))
	}
	return callcare.Clerk{}, false
}

func newAbsencesSetCmd() *cobra.Command {
	var path, to, until, from, reason, by string
	var days int
	c := &cobra.Command{
		Use:   "set CLERK --to WHO",
		Short: "forward a clerk's calls, as *21 does from the desk phone",
		Long: `Forward the calls of CLERK (an id or an extension) to WHO (a clerk's id or
extension, or a department's number), from now (or --from) until --until, or
for --days office days (until the office opens after them), or until cleared.
forwarding.max_days bounds the desk phone's #N only: an admin may set a
longer absence here, as with --until.
It replaces the clerk's forward, if any, and wins over callcare.yaml's
absences while it lasts. The next call follows it; nothing needs reloading.`,
		Example: `  callcare absences set anowak --to 112 --days 5 --reason leave
  callcare absences set 111 --to 200 --until "2026-12-24 15:30"`,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("want one clerk (an id or an extension)")
			}
			if to == "" {
				return usagef("--to: whom the calls go to (a clerk's id or extension, or a department's number)")
			}
			if until != "" && days > 0 {
				return usagef("--until and --days: one or the other")
			}
			if c.Flags().Changed("days") && days < 1 { // leaving it out is "until cleared"
				return usagef("--days %d: want 1 or more", days)
			}
			v, err := openAbsences(c.Context(), path, true)
			if err != nil {
				return err
			}
			defer v.Close()
			return v.set(c.Context(), c.OutOrStdout(), c.ErrOrStderr(), args[0], to, from, until, days, reason, by)
		},
	}
	configFlag(c.Flags(), &path, "for the directory, the time zone and the database")
	c.Flags().StringVar(&to, "to", "", "who takes the calls: a clerk's `id` or extension, or a department's number")
	c.Flags().StringVar(&from, "from", "", `when it starts: "2026-12-24 10:00" (default now)`)
	c.Flags().StringVar(&until, "until", "", `when it ends: "2026-12-24 15:30", or a date (to its end)`)
	c.Flags().IntVar(&days, "days", 0, "or: for this many office days (ends as the office opens after them)")
	c.Flags().StringVar(&reason, "reason", "", "leave, sick_leave, training or field_work (said on the substitute's phone)")
	c.Flags().StringVar(&by, "by", "admin", "who sets it, for the record")
	return c
}

func (v *absenceView) set(ctx context.Context, stdout, stderr io.Writer, who, to, from, until string, days int, reason, by string) error {
	dir, loc := &v.cfg.Directory, v.cfg.TimeZone
	clerk, ok := clerkNamed(dir, who)
	if !ok {
		return fmt.Errorf("no clerk has the id or extension %q", who)
	}
	target, ok := dir.TargetOf(to)
	if c, isExt := clerkNamed(dir, to); !ok && isExt {
		target, ok = callcare.Target{Kind: callcare.TargetClerk, ID: string(c.ID)}, true
	}
	if !ok {
		return fmt.Errorf("%q is neither a clerk's id or extension nor a department's number", to)
	}
	if target == (callcare.Target{Kind: callcare.TargetClerk, ID: string(clerk.ID)}) {
		return fmt.Errorf("%s cannot be their own substitute", clerk.ID)
	}
	f := callcare.Absence{Clerk: clerk.ID, To: target, Source: callcare.SetByCLI, SetBy: by, SetAt: v.now,
		Reason: callcare.AbsenceReason(reason)}
	if reason != "" && !validReason(f.Reason) {
		return usagef("--reason %q: want leave, sick_leave, training or field_work", reason)
	}
	var err error
	if from != "" {
		if f.From, err = parseMoment(from, loc); err != nil {
			return usageError{err}
		}
	}
	switch {
	case until != "":
		if f.Until, err = parseMoment(until, loc); err != nil {
			return usageError{err}
		}
		if !strings.Contains(until, ":") { // a date: to its end
			f.Until = f.Until.AddDate(0, 0, 1)
		}
	case days > 0:
		f.Until = v.now
		for range days + 1 {
			f.Until = v.cfg.OfficeHours.NextOfficeDay(f.Until)
		}
	case days < 0:
		return usagef("--days %d: want 1 or more", days)
	}
	start := f.From
	if start.IsZero() {
		start = v.now
	}
	if !f.Until.IsZero() && !f.Until.After(start) {
		return fmt.Errorf("it would end (%s) before it starts (%s); nothing was changed",
			f.Until.In(loc).Format("2006-01-02 15:04"), start.In(loc).Format("2006-01-02 15:04"))
	}
	if err := v.st.db.SetForward(ctx, f); err != nil {
		return err
	}
	ends := "until cleared"
	if !f.Until.IsZero() {
		ends = "until " + f.Until.In(loc).Format("2006-01-02 15:04")
	}
	fmt.Fprintf(stdout, "%s: calls go to %s from %s %s (set from the command line; wins over callcare.yaml while it lasts)\n",
		clerk.ID, targetName(dir, target), start.In(loc).Format("2006-01-02 15:04"), ends)
	v.forwards = replaceForward(v.forwards, f)
	if cov, away := v.book().Cover(dir, clerk.ID, start); away && cov.Problem != "" {
		fmt.Fprintf(stderr, "warning: with the other absences this leads %s (%s): calls for %s would go on to department %s\n",
			cov.Problem, cov.PathString(), clerk.ID, clerk.Department)
	}
	return nil
}

func validReason(r callcare.AbsenceReason) bool {
	for _, ok := range callcare.AbsenceReasons {
		if r == ok {
			return true
		}
	}
	return false
}

func replaceForward(list []callcare.Absence, f callcare.Absence) []callcare.Absence {
	out := []callcare.Absence{f}
	for _, g := range list {
		if g.Clerk != f.Clerk {
			out = append(out, g)
		}
	}
	return out
}

func newAbsencesClearCmd() *cobra.Command {
	var path, by string
	c := &cobra.Command{
		Use:   "clear CLERK",
		Short: "end a clerk's forward, as *20 does from the desk phone",
		Long: `End the forward of CLERK (an id or an extension) set by phone or from the
command line. callcare.yaml's absences are not touched: the output says
which of them, if any, is in force now.`,
		Example: `  callcare absences clear anowak`,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("want one clerk (an id or an extension)")
			}
			v, err := openAbsences(c.Context(), path, true)
			if err != nil {
				return err
			}
			defer v.Close()
			clerk, ok := clerkNamed(&v.cfg.Directory, args[0])
			if !ok {
				return fmt.Errorf("no clerk has the id or extension %q", args[0])
			}
			had, err := v.st.db.ClearForward(c.Context(), clerk.ID, by, v.now)
			if err != nil {
				return err
			}
			out := c.OutOrStdout()
			if !had {
				fmt.Fprintf(out, "%s had no forward set by phone or from the command line\n", clerk.ID)
			} else {
				fmt.Fprintf(out, "%s: forward cleared\n", clerk.ID)
			}
			fileOnly := &callcare.Absences{Rules: v.cfg.Absences, Hours: v.cfg.OfficeHours}
			if a, away := fileOnly.Away(clerk.ID, v.now); away {
				fmt.Fprintf(out, "%s is still away by callcare.yaml (%s): calls go to %s\n", clerk.ID, a.Where, targetName(&v.cfg.Directory, a.To))
			} else {
				fmt.Fprintf(out, "calls for %s ring their phone (%s)\n", clerk.ID, clerk.Endpoint)
			}
			return nil
		},
	}
	configFlag(c.Flags(), &path, "for the directory and the database")
	c.Flags().StringVar(&by, "by", "admin", "who clears it, for the record")
	return c
}

// overrides writes the forwards in force or to come, for config check: they
// win over the file being checked while they last.
func overrides(ctx context.Context, cfg *config.Config, w io.Writer) {
	if _, err := os.Stat(cfg.Database); err != nil {
		return // no database yet: nothing set by phone
	}
	st, err := openStore(ctx, cfg.Database, "the configuration's database", cfg)
	if err != nil {
		fmt.Fprintf(w, "(the forwards set by phone cannot be read: %v)\n", err)
		return
	}
	defer st.Close()
	fwds, err := st.db.Forwards(ctx, time.Now())
	if err != nil || len(fwds) == 0 {
		return
	}
	fmt.Fprintln(w, "current overrides (set by phone or the command line; they win over this file while they last):")
	for _, f := range fwds {
		ends := "until cleared"
		if !f.Until.IsZero() {
			ends = "until " + f.Until.In(cfg.TimeZone).Format("2006-01-02 15:04")
		}
		fmt.Fprintf(w, "  %s -> %s, %s (%s)\n", f.Clerk, targetName(&cfg.Directory, f.To), ends, setBy(f, cfg))
	}
}
