package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/config"
	"github.com/callcare/callcare/retention"
)

func newPurgeCmd() *cobra.Command {
	var (
		where officeFlags
		dry   bool
	)
	c := &cobra.Command{
		Use:   "purge",
		Short: "delete what the retention no longer allows to keep (GDPR); --dry-run to see what",
		Long: `Delete the personal data the configuration's retention: no longer allows to
keep: the call log of the days older than retention.calls (each day's
figures for the compliance report are kept first), the closed callbacks first
missed on those days, the callers' numbers in the records older than
retention.numbers. A callback still open is never deleted. The service does
this by itself once a day; this command does it now, or, with --dry-run,
only says what would go. Voice notes are deleted by the service, which
reaches Asterisk where they are kept: --dry-run counts those past their
retention.`,
		Example: `  callcare purge --config /etc/callcare/callcare.yaml --dry-run
  callcare purge --config /etc/callcare/callcare.yaml`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return purge(c.Context(), c.Flags(), where, dry, c.OutOrStdout())
		},
	}
	where.add(c.Flags(), "its retention: says how long")
	c.Flags().BoolVar(&dry, "dry-run", false, "only say what would go")
	return c
}

func purge(ctx context.Context, fs *pflag.FlagSet, where officeFlags, dry bool, stdout io.Writer) error {
	if !dry && where.db != "" && !fs.Changed("config") {
		return usagef("a purge needs the configuration's retention: give --config (and --db to purge another database), or --dry-run")
	}
	s, err := where.open(ctx, fs)
	if err != nil {
		return err
	}
	defer s.Close()
	r := config.DefaultRetention()
	if s.cfg != nil {
		r = s.cfg.Retention
	} else {
		fmt.Fprintln(stdout, "No configuration: the default retention, in the machine's time zone.")
	}
	fmt.Fprintf(stdout, "Retention: %s.\n", describeRetention(r))
	res, err := retention.Purge(ctx, s.db, r, s.reportOptions(now()), dry)
	verb := map[bool][3]string{false: {"Archived and deleted", "Deleted", "Erased"}, true: {"Would archive and delete", "Would delete", "Would erase"}}[dry]
	if len(res.Days) > 0 {
		fmt.Fprintf(stdout, "%s the call log of %d day(s), %s: %d call(s); each day's figures stay in the report.\n",
			verb[0], len(res.Days), daySpans(res.Days), res.Calls)
	}
	if res.Callbacks > 0 {
		fmt.Fprintf(stdout, "%s %d closed callback(s), with their attempts.\n", verb[1], res.Callbacks)
	}
	if res.Numbers > 0 {
		fmt.Fprintf(stdout, "%s the caller's number in %d record(s).\n", verb[2], res.Numbers)
	}
	if dry && res.Notes > 0 {
		fmt.Fprintf(stdout, "%d voice note(s) past their retention: the service deletes them from Asterisk.\n", res.Notes)
	}
	if err != nil {
		return err
	}
	if len(res.Days) == 0 && res.Callbacks == 0 && res.Numbers == 0 && !(dry && res.Notes > 0) {
		fmt.Fprintln(stdout, "Nothing is older than the retention allows.")
	}
	return nil
}

// describeRetention says r in words.
func describeRetention(r callcare.Retention) string {
	days := func(d interface{ Hours() float64 }) string { return fmt.Sprintf("%g days", d.Hours()/24) }
	var parts []string
	if r.Calls > 0 {
		parts = append(parts, "the call log "+days(r.Calls))
	} else {
		parts = append(parts, "the call log for ever")
	}
	switch {
	case r.Numbers > 0:
		parts = append(parts, "callers' numbers "+days(r.Numbers))
	default:
		parts = append(parts, "callers' numbers as long as the log")
	}
	parts = append(parts, "voice notes "+days(r.Notes)+" after their callback closes")
	return strings.Join(parts, ", ")
}

// daySpans writes days (in order) as spans: 2026-08-01..2026-08-03, 2026-08-05.
func daySpans(days []string) string {
	var out []string
	for i := 0; i < len(days); {
		j := i
		for j+1 < len(days) && nextDay(days[j]) == days[j+1] {
			j++
		}
		if j > i {
			out = append(out, days[i]+".."+days[j])
		} else {
			out = append(out, days[i])
		}
		i = j + 1
	}
	return strings.Join(out, ", ")
}
