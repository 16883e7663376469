package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/config"
	"github.com/callcare/callcare/report"
	"github.com/callcare/callcare/retention"
)

// now is when a report or a purge is made; tests set it.
var now = time.Now

// officeFlags say where the office is described and where its database
// is: --config (the directory, procedure, office hours, zone, retention
// and database), --db to read another database. Given --db alone, no
// configuration is read.
type officeFlags struct {
	config, db string
}

func (f *officeFlags) add(fs *pflag.FlagSet, what string) {
	configFlag(fs, &f.config, what)
	fs.StringVar(&f.db, "db", "", "database `file`, instead of the configuration's")
}

// open reads the configuration (unless --db alone is given) and opens the
// database.
func (f officeFlags) open(ctx context.Context, fs *pflag.FlagSet) (*store, error) {
	if f.db != "" && !fs.Changed("config") {
		return openStore(ctx, f.db, "given by --db", nil)
	}
	cfg, err := readConfig(ctx, f.config, config.CheckContext, "--db FILE")
	if err != nil {
		return nil, err
	}
	if f.db != "" {
		return openStore(ctx, f.db, "given by --db", cfg)
	}
	return openStore(ctx, cfg.Database, "the database of --config "+f.config, cfg)
}

// reportOptions are the report's options for the office the store
// describes; without a configuration, the procedure's and a Polish office's
// defaults, in the machine's zone, and clerks by id.
func (s *store) reportOptions(at time.Time) report.Options {
	if s.cfg == nil {
		h := callcare.DefaultOfficeHours()
		h.Location = s.loc
		return report.Options{Directory: &callcare.Directory{}, Procedure: callcare.DefaultProcedure, Hours: h, Now: at}
	}
	return report.Options{Directory: &s.cfg.Directory, Procedure: s.cfg.Procedure, Hours: s.cfg.OfficeHours, Now: at}
}

func newReportCmd() *cobra.Command {
	var (
		where          officeFlags
		from, to, lang string
		format, out    string
	)
	c := &cobra.Command{
		Use:   "report",
		Short: "the compliance report for the Town Secretary: is the procedure kept?",
		Long: `Make the compliance report of a period: per department and per clerk, the
share of calls answered within the procedure's rings (P4a), missed calls and
how fast each was called back (P4c), agreed-time callbacks on time (P4m),
clerks who hung up first (P4l), callers with special needs against everyone
else (P5.3). A one-page summary on top, charts, tables, and how each figure
is counted; printable on A4.

HTML (the default) is one file that needs nothing else: open it in a
browser, or print it. In Polish by default, --lang en for English. JSON and
CSV give the same figures by name, for a spreadsheet or a script.

Days are the office's (its time zone); --to is included. Days whose records
the retention purged are read from the figures kept of them. The report holds
no caller's number.`,
		Example: `  callcare report --config /etc/callcare/callcare.yaml --from 2026-11-01 --to 2026-11-30 --out report.html
  callcare report --config callcare.example.yaml --db demo.db --from 2026-11-24 --to 2026-11-24 --out report.html
  callcare report --format csv --out november.csv --from 2026-11-01 --to 2026-11-30`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return makeReport(c.Context(), c.Flags(), where, from, to, lang, format, out, c.OutOrStdout(), c.ErrOrStderr())
		},
	}
	where.add(c.Flags(), "the office: clerks, departments, office hours, database")
	c.Flags().StringVar(&from, "from", "", "first `day` of the period, YYYY-MM-DD (default: the first day of last month)")
	c.Flags().StringVar(&to, "to", "", "last `day` of the period, included (default: today)")
	c.Flags().StringVar(&lang, "lang", "pl", "language of the HTML report: pl or en")
	c.Flags().StringVar(&format, "format", "html", "html, json or csv")
	c.Flags().StringVar(&out, "out", "-", "write to this `file`; - for standard output")
	return c
}

// period reads --from and --to as the office's days; the defaults are the
// first day of last month and today.
func period(from, to string, at time.Time, loc *time.Location) (string, string, error) {
	today := at.In(loc)
	if to == "" {
		to = today.Format(time.DateOnly)
	}
	if from == "" {
		y, m, _ := today.Date()
		from = time.Date(y, m-1, 1, 12, 0, 0, 0, loc).Format(time.DateOnly)
	}
	f, err := time.Parse(time.DateOnly, from)
	if err != nil {
		return "", "", fmt.Errorf("--from %q: want a day such as 2026-11-01", from)
	}
	t, err := time.Parse(time.DateOnly, to)
	if err != nil {
		return "", "", fmt.Errorf("--to %q: want a day such as 2026-11-30", to)
	}
	if t.Before(f) {
		return "", "", fmt.Errorf("--to %s is before --from %s", to, from)
	}
	return from, to, nil
}

func makeReport(ctx context.Context, fs *pflag.FlagSet, where officeFlags, from, to, lang, format, out string, stdout, stderr io.Writer) error {
	switch format {
	case "html", "json", "csv":
	default:
		return usagef("--format %q: want html, json or csv", format)
	}
	if _, err := report.TextsFor(lang); err != nil || lang == "" {
		return usagef("--lang %q: want pl or en", lang)
	}
	at := now()
	if _, _, err := period(from, to, at, time.UTC); err != nil {
		return usageError{err} // before any file is read
	}
	s, err := where.open(ctx, fs)
	if err != nil {
		return err
	}
	defer s.Close()
	if s.cfg == nil {
		// The figures depend on the office: its hours (callbacks count in
		// office time), its zone (the days), its staff (the departments).
		fmt.Fprintln(stderr, "No configuration: default office hours, the machine's time zone, clerks by id and no departments; give --config for the office's own figures.")
	}
	from, to, err = period(from, to, at, s.loc)
	if err != nil {
		return usageError{err}
	}
	r, err := retention.Report(ctx, s.db, from, to, s.reportOptions(at))
	if err != nil {
		return err
	}
	return writeOut(out, stdout, func(w io.Writer) error {
		switch format {
		case "json":
			return r.JSON(w)
		case "csv":
			return r.CSV(w)
		}
		return r.HTML(w, lang)
	})
}

func nextDay(day string) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	return d.AddDate(0, 0, 1).Format(time.DateOnly)
}
