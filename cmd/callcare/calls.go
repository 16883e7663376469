package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/config"
	"github.com/callcare/callcare/sqlite"
)

// runCallsList prints the call log, newest first, from the same database the
// service writes (SQLite in WAL mode lets both at once).
func runCallsList(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("calls list")
	path := fs.String("config", defaultConfig, "configuration file (for the database path and time zone)")
	dbPath := fs.String("db", "", "database file (instead of the one in the configuration)")
	since := fs.String("since", "24h", "how far back: a duration (24h) or a date (2026-11-24)")
	limit := fs.Int("limit", 100, "at most this many calls")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	loc := time.Local
	if *dbPath == "" {
		c, err := config.Check(*path)
		if err != nil {
			return fmt.Errorf("calls list: %w", err)
		}
		*dbPath, loc = c.Database, c.TimeZone
	}
	from, err := parseSince(*since, time.Now(), loc)
	if err != nil {
		return fmt.Errorf("calls list: %w", err)
	}
	db, err := sqlite.Open(ctx, *dbPath)
	if err != nil {
		return fmt.Errorf("calls list: %w", err)
	}
	defer db.Close()
	calls, err := db.Calls(ctx, callcare.CallFilter{Since: from, Limit: *limit})
	if err != nil {
		return fmt.Errorf("calls list: %w", err)
	}
	printCalls(stdout, calls, loc)
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
		fmt.Fprintf(tw, "%s\t%q\t%s\t%s\t%s\t%s\t%s\n", c.StartedAt.In(loc).Format("2006-01-02 15:04:05"),
			caller, c.Dialed, strings.Join(rung, ", "), outcome, wait, c.HungUpBy)
	}
	tw.Flush()
}
