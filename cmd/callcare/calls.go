package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/callcare/callcare"
)

func newCallsCmd() *cobra.Command {
	c := group(&cobra.Command{
		Use:   "calls",
		Short: "the call log",
	})
	c.AddCommand(newCallsListCmd())
	return c
}

func newCallsListCmd() *cobra.Command {
	var (
		where storeFlags
		since string
		limit int
	)
	c := &cobra.Command{
		Use:   "list",
		Short: "the call log, newest first",
		Long: `Print the call log, newest first: who called which number, which clerks were
rung and at which ring each was left, who answered and after how long, how it
ended, who hung up first. It reads the database the service is writing (SQLite
in WAL mode lets both at once) and never creates one.`,
		Example: `  callcare calls list --config /etc/callcare/callcare.yaml --since 2026-11-24
  callcare calls list --db /var/lib/callcare/callcare.db --since 2h --limit 20`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return callsList(c.Context(), where, since, limit, c.OutOrStdout())
		},
	}
	where.add(c.Flags())
	c.Flags().StringVar(&since, "since", "24h", "how far back: a duration (24h) or a date (2026-11-24)")
	c.Flags().IntVar(&limit, "limit", 100, "at most this many calls")
	return c
}

// callsList prints the call log, newest first.
func callsList(ctx context.Context, where storeFlags, since string, limit int, stdout io.Writer) error {
	if _, err := parseSince(since, time.Now(), time.UTC); err != nil {
		return usageError{err} // before any file is read
	}
	s, err := where.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	from, err := parseSince(since, time.Now(), s.loc)
	if err != nil {
		return usageError{err}
	}
	calls, err := s.db.Calls(ctx, callcare.CallFilter{Since: from, Limit: limit})
	if err != nil {
		return err
	}
	printCalls(stdout, calls, s.loc)
	return nil
}

func parseSince(s string, now time.Time, loc *time.Location) (time.Time, error) {
	if d, err := time.ParseDuration(s); err == nil {
		return now.Add(-d), nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--since %q: want a duration like 24h or a date like 2026-11-24", s)
}

// printCalls writes one line per call: who called which number, who was
// rung, and how it ended. Numbers are shown whole: this is the office's own
// record, read by its staff.
func printCalls(w io.Writer, calls []callcare.CallRecord, loc *time.Location) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STARTED\tCALLER\tDIALED\tRUNG (ring left or answered)\tOUTCOME\tWAIT\tHUNG UP")
	for _, c := range calls {
		var rung []string
		for _, a := range c.Attempts {
			rung = append(rung, fmt.Sprintf("%s %s@%d", a.Clerk, a.Result, a.Rings))
		}
		wait := "-"
		if !c.AnsweredAt.IsZero() {
			wait = fmt.Sprintf("%.0fs", c.WaitToAnswer().Seconds())
		}
		outcome := string(c.Outcome)
		if outcome == "" {
			outcome = "in progress"
		}
		caller := c.CallerID
		if caller == "" {
			caller = "(none)"
		}
		dialed := c.Dialed
		if f := c.Forwarded; f.Forwarded() {
			// P4c: for whom it was meant, and why it rang somebody else.
			why := string(f.By)
			if f.Reason != "" {
				why = string(f.Reason) + ", " + why
			}
			if f.Loop {
				why += ", forwards looped"
			}
			dialed += fmt.Sprintf(" (%s away: %s; to %s)", f.For.ID, why, f.To.ID)
		}
		fmt.Fprintf(tw, "%s\t%q\t%s\t%s\t%s\t%s\t%s\n", c.StartedAt.In(loc).Format("2006-01-02 15:04:05"),
			caller, dialed, strings.Join(rung, ", "), outcome, wait, c.HungUpBy)
	}
	tw.Flush()
}
