package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/callcare/callcare"
)

// The admin's view of the callback queue (issue 5): list, show, close and
// schedule tasks in the database the service is using (SQLite in WAL mode
// lets both at once; every change is one short write transaction, as the
// service's own are). A refusal (no such task, task closed, time in the
// past) is one line on stderr and exit status 1; a wrong command line is
// exit status 2.
func newCallbacksCmd() *cobra.Command {
	c := group(&cobra.Command{
		Use:   "callbacks",
		Short: "the callback queue: every missed call, until the citizen is reached (P4c)",
		Long: `The callback queue, for the admin: every missed or abandoned call is a task
until the citizen is reached. Each command takes --config FILE (default
callcare.yaml) or --db FILE; times are in the office's time zone from the
configuration (the machine's with --db). A database is never created here.`,
		Example: `  callcare callbacks list --status all --clerk jkowalska
  callcare callbacks show 7
  callcare callbacks done 7 --by jkowalska --resolution reached
  callcare callbacks schedule 7 --at "2026-11-25 10:30"
  callcare callbacks note 7 --out note.wav`,
	})
	c.AddCommand(
		newCallbacksListCmd(),
		newCallbacksShowCmd(),
		newCallbacksDoneCmd(),
		newCallbacksScheduleCmd(),
		newCallbacksNoteCmd(),
		newCallbacksMeetingCmd(),
	)
	return c
}

// view is what every callbacks command shares once the database is open:
// the store and the office's settings, where to write, and the moment the
// queue is looked at.
type view struct {
	*store
	stdout, stderr io.Writer
	now            time.Time
}

func openView(ctx context.Context, c *cobra.Command, where storeFlags) (*view, error) {
	s, err := where.open(ctx)
	if err != nil {
		return nil, err
	}
	return &view{store: s, stdout: c.OutOrStdout(), stderr: c.ErrOrStderr(), now: time.Now()}, nil
}

// storeError turns an error of the store into one line for the admin.
func storeError(err error) error {
	switch callcare.ErrorCode(err) {
	case callcare.ENOTFOUND:
		return errors.New(callcare.ErrorMessage(err))
	case callcare.ECONFLICT:
		return fmt.Errorf("%s; nothing was changed", callcare.ErrorMessage(err))
	}
	return err
}

func (v *view) closedError(t callcare.CallbackTask) error {
	return fmt.Errorf("callback %d is already closed (%s, by %s at %s); nothing was changed",
		t.ID, t.Resolution, orDash(t.ClosedBy), v.second(t.ClosedAt))
}

// callbackID reads the one task id a command takes.
func callbackID(args []string) (int64, error) {
	if len(args) != 1 {
		return 0, usagef("want one callback id (see `callcare callbacks list`)")
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("%q is not a callback id (a number, see `callcare callbacks list`)", args[0])
	}
	return id, nil
}

func newCallbacksListCmd() *cobra.Command {
	var (
		where                       storeFlags
		status, clerk, dept, number string
		limit                       int
	)
	c := &cobra.Command{
		Use:   "list",
		Short: "the callback queue, in the order it is worked",
		Long: `Print the callback tasks in the order clerks work them: special needs first
(P5.3), then the earliest promise (the agreed time, else the due time). A
promise passed with the task still open says OVERDUE.`,
		Example: `  callcare callbacks list
  callcare callbacks list --clerk jkowalska --department 200   # the clerk's queue at *70
  callcare callbacks list --status done --number "48 600 100 200"`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			f := callcare.CallbackFilter{Clerk: callcare.ClerkID(clerk), Department: dept, Limit: limit}
			switch status {
			case "open":
				f.Status = callcare.CallbackOpen
			case "done":
				f.Status = callcare.CallbackDone
			case "all":
			default:
				return usagef("--status %q: want open, done or all", status)
			}
			if limit < 0 {
				return usagef("--limit %d: want 0 (all) or more", limit)
			}
			if number != "" {
				f.Number = callcare.Number(number)
				if n, ok := callcare.CallableNumber(f.Number); ok {
					f.Number = n // as the service stores it: no spaces or dashes
				}
			}
			if limit > 0 {
				f.Limit = limit + 1 // one more, to say when there are more
			}
			v, err := openView(c.Context(), c, where)
			if err != nil {
				return err
			}
			defer v.Close()
			return v.list(c.Context(), f, limit)
		},
	}
	where.add(c.Flags())
	c.Flags().StringVar(&status, "status", "open", "open, done or all")
	c.Flags().StringVar(&clerk, "clerk", "", "only tasks for this clerk `id` (with --department: the clerk's queue, either)")
	c.Flags().StringVar(&dept, "department", "", "only tasks for this department's `number`")
	c.Flags().StringVar(&number, "number", "", "only tasks for this citizen's `number`")
	c.Flags().IntVar(&limit, "limit", 100, "at most this many tasks, the first in queue order; 0 for all")
	return c
}

// list prints the tasks f selects, at most limit of them (0: all).
func (v *view) list(ctx context.Context, f callcare.CallbackFilter, limit int) error {
	tasks, err := v.db.Callbacks(ctx, f)
	if err != nil {
		return err
	}
	more := limit > 0 && len(tasks) > limit
	if more {
		tasks = tasks[:limit]
	}
	if len(tasks) == 0 {
		fmt.Fprintln(v.stdout, "no callback tasks match")
		return nil
	}
	v.printList(tasks)
	if more {
		fmt.Fprintf(v.stderr, "(the first %d; --limit 0 shows all)\n", limit)
	}
	return nil
}

func newCallbacksShowCmd() *cobra.Command {
	var where storeFlags
	c := &cobra.Command{
		Use:   "show ID",
		Short: "a callback task in full, with its attempts",
		Long: `Print every field of one callback task (why it is there, how special needs
are known, the promise, who works it now, the voice note's name) and each
attempt to call the citizen back.`,
		Example: `  callcare callbacks show 7 --config /etc/callcare/callcare.yaml`,
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
			return v.show(c.Context(), id)
		},
	}
	where.add(c.Flags())
	return c
}

// show prints every field of one task, and its attempts.
func (v *view) show(ctx context.Context, id int64) error {
	t, err := v.db.Callback(ctx, id)
	if err != nil {
		return storeError(err)
	}
	attempts, err := v.db.CallbackAttempts(ctx, id)
	if err != nil {
		return storeError(err)
	}
	v.printTask(t, attempts)
	return nil
}
