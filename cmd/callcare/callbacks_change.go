package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/config"
)

// The callbacks commands that change a task or take something out of the
// office's systems: done, schedule, note.

func newCallbacksDoneCmd() *cobra.Command {
	var (
		where   storeFlags
		by, res string
	)
	c := &cobra.Command{
		Use:   "done ID",
		Short: "close a task, as a clerk marking it done would",
		Long: `Close an open callback task, for the record: who closed it and how. A task
closed meanwhile (the citizen got through) is left as it is.`,
		Example: `  callcare callbacks done 7
  callcare callbacks done 7 --by jkowalska --resolution wrong_number`,
		RunE: func(c *cobra.Command, args []string) error {
			id, err := callbackID(args)
			if err != nil {
				return err
			}
			switch callcare.Resolution(res) {
			case callcare.ResolvedByClerk, callcare.ResolvedReached, callcare.ResolvedWrongNumber:
			default:
				return usagef("--resolution %q: want marked_done, reached or wrong_number", res)
			}
			if strings.TrimSpace(by) == "" {
				return usagef("--by: say who closes it")
			}
			v, err := openView(c.Context(), c, where)
			if err != nil {
				return err
			}
			defer v.Close()
			return v.done(c.Context(), id, callcare.Resolution(res), by)
		},
	}
	where.add(c.Flags())
	c.Flags().StringVar(&by, "by", "admin", "who closes it, for the record")
	c.Flags().StringVar(&res, "resolution", string(callcare.ResolvedByClerk), "marked_done, reached or wrong_number")
	return c
}

// done closes task id.
func (v *view) done(ctx context.Context, id int64, res callcare.Resolution, by string) error {
	t, err := v.db.Callback(ctx, id)
	if err != nil {
		return storeError(err)
	}
	if t.Status != callcare.CallbackOpen {
		return v.closedError(t)
	}
	if err := v.db.MarkDone(ctx, id, res, by, v.now); err != nil {
		if callcare.ErrorCode(err) == callcare.ECONFLICT {
			// Closed since we looked (the citizen got through meanwhile).
			if t, err := v.db.Callback(ctx, id); err == nil {
				return v.closedError(t)
			}
		}
		return storeError(err)
	}
	fmt.Fprintf(v.stdout, "callback %d (%s) closed: %s, by %s at %s\n", id, t.Number, res, by, v.second(v.now))
	if t.Claimed(v.now) {
		fmt.Fprintf(v.stdout, "note: %s was working it; their phone may still be on it\n", t.ClaimedBy)
	}
	return nil
}

func newCallbacksScheduleCmd() *cobra.Command {
	var (
		where   storeFlags
		at      string
		clearIt bool
	)
	c := &cobra.Command{
		Use:   "schedule ID",
		Short: "agree a time with the citizen (P4m), or clear it",
		Long: `Set the time agreed with the citizen (P4m): at that minute the service rings
the clerk's phone first, then dials the citizen. A time without a zone is the
office's. --clear removes the agreed time; the task is then due as before.`,
		Example: `  callcare callbacks schedule 7 --at "2026-11-25 10:30"
  callcare callbacks schedule 7 --at 2026-11-25T10:30:00+01:00
  callcare callbacks schedule 7 --clear`,
		RunE: func(c *cobra.Command, args []string) error {
			id, err := callbackID(args)
			if err != nil {
				return err
			}
			if (at == "") == !clearIt {
				return usagef("give either --at TIME or --clear")
			}
			v, err := openView(c.Context(), c, where)
			if err != nil {
				return err
			}
			defer v.Close()
			var when time.Time
			if at != "" {
				if when, err = parseAgreed(at, v.loc); err != nil {
					return usageError{err}
				}
			}
			return v.schedule(c.Context(), id, when)
		},
	}
	where.add(c.Flags())
	c.Flags().StringVar(&at, "at", "", `the agreed `+"`time`"+`, "2026-11-25 10:30" in the office's time zone, or RFC 3339`)
	c.Flags().BoolVar(&clearIt, "clear", false, "remove the agreed time")
	return c
}

// schedule sets the agreed time of task id to when, or clears it (zero).
func (v *view) schedule(ctx context.Context, id int64, when time.Time) error {
	if !when.IsZero() && !when.After(v.now) {
		return fmt.Errorf("%s is in the past (now %s); nothing was changed", v.second(when), v.second(v.now))
	}
	t, err := v.db.Callback(ctx, id)
	if err != nil {
		return storeError(err)
	}
	if t.Status != callcare.CallbackOpen {
		return v.closedError(t)
	}
	if err := v.db.Schedule(ctx, id, when); err != nil {
		if callcare.ErrorCode(err) == callcare.ECONFLICT {
			if t, err := v.db.Callback(ctx, id); err == nil {
				return v.closedError(t)
			}
		}
		return storeError(err)
	}
	if when.IsZero() {
		fmt.Fprintf(v.stdout, "callback %d (%s): agreed time cleared; due by %s\n", id, t.Number, v.second(t.Due))
		return nil
	}
	fmt.Fprintf(v.stdout, "callback %d (%s): agreed time %s (%s)\n", id, t.Number, v.minute(when), v.loc)
	if v.cfg != nil && !v.cfg.OfficeHours.IsOpen(when) {
		fmt.Fprintf(v.stderr, "warning: %s is outside the office hours of the configuration\n", v.minute(when))
	}
	return nil
}

// parseAgreed reads "2006-01-02 15:04" (or with seconds) in the office's
// zone, or an RFC 3339 time.
func parseAgreed(s string, loc *time.Location) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02 15:04:05", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf(`--at %q: want a time like "2026-11-25 10:30" (%s) or RFC 3339 like 2026-11-25T10:30:00+01:00`, s, loc)
}

func newCallbacksNoteCmd() *cobra.Command {
	var cfgPath, out string
	c := &cobra.Command{
		Use:   "note ID --out FILE",
		Short: "export the caller's voice note from Asterisk",
		Long: `Fetch a task's voice note from Asterisk, where it is stored, over ARI, into a
file only its owner can read: it is personal data (P4e). Needs the
configuration (the database and ARI, with its password), not --db.`,
		Example: `  CALLCARE_ARI_PASSWORD=... callcare callbacks note 7 --out note.wav --config /etc/callcare/callcare.yaml`,
		RunE: func(c *cobra.Command, args []string) error {
			id, err := callbackID(args)
			if err != nil {
				return err
			}
			if out == "" {
				return usagef("--out is required")
			}
			cfg, err := readConfig(c.Context(), cfgPath, config.LoadContext, "")
			if err != nil {
				return err
			}
			s, err := openStore(c.Context(), cfg.Database, "the database of --config "+cfgPath, cfg)
			if err != nil {
				return err
			}
			defer s.Close()
			return exportNote(c.Context(), s, id, out, c.OutOrStdout())
		},
	}
	configFlag(c.Flags(), &cfgPath, "for the database and ARI")
	c.Flags().StringVar(&out, "out", "", "`file` to write the note to (WAV)")
	return c
}

// exportNote writes the voice note of task id to the file out.
func exportNote(ctx context.Context, s *store, id int64, out string, stdout io.Writer) error {
	t, err := s.db.Callback(ctx, id)
	if err != nil {
		return storeError(err)
	}
	if t.Note == "" {
		return fmt.Errorf("callback %d has no voice note (none was left, or it was deleted after the retention)", id)
	}
	a := s.cfg.Asterisk
	data, err := ari.NewClient(a.ARIURL, a.User, a.Password, a.App, a.RequestTimeout).RecordingFile(ctx, t.Note)
	if err != nil {
		return fmt.Errorf("fetch the note %s from Asterisk: %w", t.Note, err)
	}
	if err := os.WriteFile(out, data, 0o600); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: the voice note of callback %d (%d bytes)\n", out, id, len(data))
	return nil
}
