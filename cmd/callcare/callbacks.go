package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/config"
	"github.com/callcare/callcare/sqlite"
)

// callbacksUsage is printed for `callcare callbacks` without a subcommand,
// or with a wrong one.
const callbacksUsage = `Usage:
  callcare callbacks list [--status open|done|all] [--clerk ID] [--department N] [--number N] [--limit 100]
  callcare callbacks show ID
  callcare callbacks done ID [--by admin] [--resolution marked_done|reached|wrong_number]
  callcare callbacks schedule ID --at "2026-11-25 10:30" | --clear
  callcare callbacks note ID --out FILE   export the caller's voice note (needs ARI access)
Each takes --config FILE (default callcare.yaml) or --db FILE; times are in
the office's time zone from the configuration (the machine's with --db).
`

// runCallbacks is the admin's view of the callback queue (issue 5): list,
// show, close and schedule tasks in the database the service is using
// (SQLite in WAL mode lets both at once; every change is one short write
// transaction, as the service's own are).
//
// A refusal (no such task, task closed, time in the past) is one line on
// stderr and exit status 1; a wrong command line is exit status 2.
func runCallbacks(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, callbacksUsage)
		return exitError(2)
	}
	sub, rest := args[0], args[1:]
	var cmd func(context.Context, *callbacksCmd, []string) error
	switch sub {
	case "list":
		cmd = callbacksList
	case "show":
		cmd = callbacksShow
	case "done":
		cmd = callbacksDone
	case "schedule":
		cmd = callbacksSchedule
	case "note":
		cmd = callbacksNote
	case "help", "-h", "--help":
		fmt.Fprint(stdout, callbacksUsage)
		return nil
	default:
		fmt.Fprintf(stderr, "callbacks: unknown command %q\n\n%s", sub, callbacksUsage)
		return exitError(2)
	}
	c := &callbacksCmd{name: "callbacks " + sub, stdout: stdout, stderr: stderr, now: time.Now()}
	return cmd(ctx, c, rest)
}

// callbacksCmd is what every callbacks subcommand shares: its name for
// messages, its output, and, once opened, the database and the office's
// settings.
type callbacksCmd struct {
	name           string
	stdout, stderr io.Writer
	now            time.Time

	db  *sqlite.DB
	loc *time.Location
	// cfg is the checked configuration, nil with --db: then clerks are shown
	// by id only and times in the machine's zone.
	cfg *config.Config
}

// fail prints one line and ends the program with status 1.
func (c *callbacksCmd) fail(format string, args ...any) error {
	fmt.Fprintf(c.stderr, "callcare %s: %s\n", c.name, fmt.Sprintf(format, args...))
	return exitError(1)
}

// usageError prints one line and the usage and ends with status 2.
func (c *callbacksCmd) usageError(err error) error {
	fmt.Fprintf(c.stderr, "callcare %s: %v\n\n%s", c.name, err, callbacksUsage)
	return exitError(2)
}

// storeError turns an error of the store into one line for the admin.
func (c *callbacksCmd) storeError(id int64, err error) error {
	switch callcare.ErrorCode(err) {
	case callcare.ENOTFOUND:
		return c.fail("%s", callcare.ErrorMessage(err))
	case callcare.ECONFLICT:
		return c.fail("%s; nothing was changed", callcare.ErrorMessage(err))
	}
	return c.fail("%s", oneLine(err.Error()))
}

// dbFlags adds --config and --db to fs.
func dbFlags(fs *flag.FlagSet) (cfgPath, dbPath *string) {
	cfgPath = fs.String("config", defaultConfig, "configuration file (for the database path and time zone)")
	dbPath = fs.String("db", "", "database file (instead of the one in the configuration); times in the machine's zone")
	return cfgPath, dbPath
}

// open reads the configuration (unless --db is given) and opens the
// database. It refuses a database file that does not exist: a mistyped path
// must not create an empty database that lists nothing.
func (c *callbacksCmd) open(ctx context.Context, cfgPath, dbPath string) error {
	c.loc = time.Local
	if dbPath == "" {
		cfg, err := config.Check(cfgPath)
		var problems config.Problems
		switch {
		case errors.As(err, &problems):
			return c.fail("%s has %d problem(s); run `callcare config check --config %s`, or give --db", cfgPath, len(problems), cfgPath)
		case err != nil:
			return c.fail("%s", oneLine(err.Error()))
		}
		c.cfg, c.loc, dbPath = cfg, cfg.TimeZone, cfg.Database
	}
	if _, err := os.Stat(dbPath); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return c.fail("no database at %s (has the service run yet?)", dbPath)
		}
		return c.fail("%s", oneLine(err.Error()))
	}
	db, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		return c.fail("%s", oneLine(err.Error()))
	}
	c.db = db
	return nil
}

func (c *callbacksCmd) close() {
	if c.db != nil {
		c.db.Close()
	}
}

// parseArgs parses flags given before or after the positional arguments
// (`done 7 --by x` as well as `done --by x 7`) and returns the positionals.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// parseID parses the command line of a subcommand that takes one task id.
func (c *callbacksCmd) parseID(fs *flag.FlagSet, args []string) (int64, error) {
	pos, err := parseArgs(fs, args)
	if err != nil {
		return 0, err
	}
	if len(pos) != 1 {
		return 0, errors.New("want one callback id (see `callcare callbacks list`)")
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%q is not a callback id (a number, see `callcare callbacks list`)", pos[0])
	}
	return id, nil
}

// help answers -h: the usage and the flags, on stdout.
func (c *callbacksCmd) help(fs *flag.FlagSet) error {
	fmt.Fprint(c.stdout, callbacksUsage)
	fmt.Fprintf(c.stdout, "\nFlags of %s:\n", c.name)
	fs.SetOutput(c.stdout)
	fs.PrintDefaults()
	return nil
}

// flagError handles a bad command line: -h is help, anything else a usage
// error.
func (c *callbacksCmd) flagError(fs *flag.FlagSet, err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return c.help(fs)
	}
	return c.usageError(err)
}

// callbacksList prints the tasks in the order they are worked (special needs
// first, then the earliest promise).
func callbacksList(ctx context.Context, c *callbacksCmd, args []string) error {
	fs := newFlags(c.name)
	cfgPath, dbPath := dbFlags(fs)
	status := fs.String("status", "open", "open, done or all")
	clerk := fs.String("clerk", "", "only tasks for this clerk (with --department: the clerk's queue, either)")
	dept := fs.String("department", "", "only tasks for this department's number")
	number := fs.String("number", "", "only tasks for this citizen's number")
	limit := fs.Int("limit", 100, "at most this many tasks, the first in queue order; 0 for all")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return c.flagError(fs, err)
	}
	if len(pos) > 0 {
		return c.usageError(fmt.Errorf("unexpected arguments %q", pos))
	}
	f := callcare.CallbackFilter{Clerk: callcare.ClerkID(*clerk), Department: *dept, Limit: *limit}
	switch *status {
	case "open":
		f.Status = callcare.CallbackOpen
	case "done":
		f.Status = callcare.CallbackDone
	case "all":
	default:
		return c.usageError(fmt.Errorf("--status %q: want open, done or all", *status))
	}
	if *limit < 0 {
		return c.usageError(fmt.Errorf("--limit %d: want 0 (all) or more", *limit))
	}
	if *number != "" {
		f.Number = callcare.Number(*number)
		if n, ok := callcare.CallableNumber(f.Number); ok {
			f.Number = n // as the service stores it: no spaces or dashes
		}
	}
	if *limit > 0 {
		f.Limit = *limit + 1 // one more, to say when there are more
	}
	if err := c.open(ctx, *cfgPath, *dbPath); err != nil {
		return err
	}
	defer c.close()
	tasks, err := c.db.Callbacks(ctx, f)
	if err != nil {
		return c.fail("%s", oneLine(err.Error()))
	}
	more := *limit > 0 && len(tasks) > *limit
	if more {
		tasks = tasks[:*limit]
	}
	if len(tasks) == 0 {
		fmt.Fprintln(c.stdout, "no callback tasks match")
		return nil
	}
	c.printList(tasks)
	if more {
		fmt.Fprintf(c.stderr, "(the first %d; --limit 0 shows all)\n", *limit)
	}
	return nil
}

// printList writes one line per task. Numbers are shown whole: this is the
// office's own record, read by its staff.
func (c *callbacksCmd) printList(tasks []callcare.CallbackTask) {
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPRIORITY\tNUMBER\tFOR\tREASON\tTRIES\tDUE / AGREED\tATTEMPTS\tSTATUS\tNOTE")
	for _, t := range tasks {
		note := "no"
		if t.Note != "" {
			note = "yes"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\t%d\t%s\t%s\n",
			t.ID, priority(t), t.Number, target(t.Target), t.Reason, t.Tries,
			c.promise(t), t.Attempts, c.status(t), note)
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
func (c *callbacksCmd) promise(t callcare.CallbackTask) string {
	s := "-"
	switch p := t.Promise(); {
	case !t.AgreedAt.IsZero():
		s = "agreed " + c.minute(p)
	case !p.IsZero():
		s = "due " + c.minute(p)
	}
	if t.Late(c.now) {
		s += " OVERDUE"
	}
	return s
}

// status is open (and who works it now), or done and how.
func (c *callbacksCmd) status(t callcare.CallbackTask) string {
	if t.Status == callcare.CallbackDone {
		return "done: " + string(t.Resolution)
	}
	if t.Claimed(c.now) {
		return "open, " + string(t.ClaimedBy) + " working it"
	}
	return string(t.Status)
}

func (c *callbacksCmd) minute(t time.Time) string { return t.In(c.loc).Format("2006-01-02 15:04") }

func (c *callbacksCmd) second(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(c.loc).Format("2006-01-02 15:04:05")
}

// callbacksShow prints every field of one task, and its attempts.
func callbacksShow(ctx context.Context, c *callbacksCmd, args []string) error {
	fs := newFlags(c.name)
	cfgPath, dbPath := dbFlags(fs)
	id, err := c.parseID(fs, args)
	if err != nil {
		return c.flagError(fs, err)
	}
	if err := c.open(ctx, *cfgPath, *dbPath); err != nil {
		return err
	}
	defer c.close()
	t, err := c.db.Callback(ctx, id)
	if err != nil {
		return c.storeError(id, err)
	}
	attempts, err := c.db.CallbackAttempts(ctx, id)
	if err != nil {
		return c.storeError(id, err)
	}
	c.printTask(t, attempts)
	return nil
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

func (c *callbacksCmd) printTask(t callcare.CallbackTask, attempts []callcare.CallbackAttempt) {
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	field := func(name, format string, args ...any) {
		fmt.Fprintf(tw, "%s:\t%s\n", name, fmt.Sprintf(format, args...))
	}
	status := "open"
	if t.Status == callcare.CallbackDone {
		status = fmt.Sprintf("done: %s, by %s at %s", t.Resolution, orDash(t.ClosedBy), c.second(t.ClosedAt))
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
	field("For", "%s", c.who(t.Target))
	field("Dialed", "%s", orDash(t.Dialed))
	r, ok := reasons[t.Reason]
	if !ok {
		r = string(t.Reason)
	}
	field("Reason", "%s", r)
	field("Call", "%s", orDash(t.CallID))
	field("First call", "%s", c.second(t.FirstAt))
	field("Last call", "%s", c.second(t.LastAt))
	field("Tries", "%d (calls from the citizen that did not get through)", t.Tries)
	due := c.second(t.Due)
	if t.Late(c.now) && t.AgreedAt.IsZero() {
		due += " OVERDUE"
	}
	field("Due by", "%s", due)
	agreed := "none"
	if !t.AgreedAt.IsZero() {
		agreed = c.second(t.AgreedAt) + " (P4m)"
		if t.Late(c.now) {
			agreed += " OVERDUE"
		}
	}
	field("Agreed time", "%s", agreed)
	next := "at once"
	if t.NextAttemptAt.After(c.now) {
		next = "not before " + c.second(t.NextAttemptAt)
	}
	if t.Status == callcare.CallbackOpen {
		field("Next attempt", "%s", next)
	}
	overdue := "no"
	if t.Overdue {
		overdue = "yes, marked by the service"
		if !t.EscalatedAt.IsZero() {
			overdue += ", escalated at " + c.second(t.EscalatedAt)
		} else {
			overdue += ", not escalated"
		}
	}
	field("Overdue", "%s", overdue)
	claim := "nobody"
	if t.Claimed(c.now) {
		claim = fmt.Sprintf("%s, until %s", t.ClaimedBy, c.second(t.ClaimedUntil))
	}
	field("Worked by", "%s", claim)
	field("Voice note", "%s", c.note(t.Note))
	field("Attempts", "%d", t.Attempts)
	tw.Flush()

	if len(attempts) == 0 {
		return
	}
	fmt.Fprintln(c.stdout)
	tw = tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEQ\tCLERK\tSTARTED\tENDED\tRESULT\tCHANNEL")
	for _, a := range attempts {
		res := string(a.Result)
		if a.Result == callcare.AttemptPending {
			res = "under way"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", a.Seq, orDash(string(a.Clerk)), c.second(a.StartedAt), c.second(a.EndedAt), res, orDash(a.Channel))
	}
	tw.Flush()
}

// who names the clerk or department a task is for, with the directory's
// names when the configuration is at hand.
func (c *callbacksCmd) who(t callcare.Target) string {
	s := target(t)
	if c.cfg == nil {
		return s
	}
	switch t.Kind {
	case callcare.TargetClerk:
		if k, ok := c.cfg.Directory.Clerk(callcare.ClerkID(t.ID)); ok {
			s += fmt.Sprintf(" (%s %s, %s)", k.Name, k.Surname, k.Position)
		} else {
			s += " (not in the configuration)"
		}
	case callcare.TargetDepartment:
		if d, ok := c.cfg.Directory.Department(t.ID); ok {
			s += fmt.Sprintf(" (%s)", d.Name)
		} else {
			s += " (not in the configuration)"
		}
	}
	return s
}

// note names the voice note and where Asterisk serves it. It is never
// played here: a note is personal data, for the clerk handling the task.
func (c *callbacksCmd) note(name string) string {
	if name == "" {
		return "none"
	}
	path := "/recordings/stored/" + url.PathEscape(name) + "/file"
	if c.cfg != nil && c.cfg.Asterisk.ARIURL != "" {
		path = strings.TrimSuffix(c.cfg.Asterisk.ARIURL, "/") + path
	}
	return fmt.Sprintf("%q, an Asterisk stored recording (not played here); fetch it with ARI: GET %s", name, path)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// callbacksDone closes a task, as a clerk marking it done would.
func callbacksDone(ctx context.Context, c *callbacksCmd, args []string) error {
	fs := newFlags(c.name)
	cfgPath, dbPath := dbFlags(fs)
	by := fs.String("by", "admin", "who closes it, for the record")
	res := fs.String("resolution", string(callcare.ResolvedByClerk), "marked_done, reached or wrong_number")
	id, err := c.parseID(fs, args)
	if err != nil {
		return c.flagError(fs, err)
	}
	switch r := callcare.Resolution(*res); r {
	case callcare.ResolvedByClerk, callcare.ResolvedReached, callcare.ResolvedWrongNumber:
	default:
		return c.usageError(fmt.Errorf("--resolution %q: want marked_done, reached or wrong_number", *res))
	}
	if strings.TrimSpace(*by) == "" {
		return c.usageError(errors.New("--by: say who closes it"))
	}
	if err := c.open(ctx, *cfgPath, *dbPath); err != nil {
		return err
	}
	defer c.close()
	t, err := c.db.Callback(ctx, id)
	if err != nil {
		return c.storeError(id, err)
	}
	if t.Status != callcare.CallbackOpen {
		return c.closedError(t)
	}
	if err := c.db.MarkDone(ctx, id, callcare.Resolution(*res), *by, c.now); err != nil {
		if callcare.ErrorCode(err) == callcare.ECONFLICT {
			// Closed since we looked (the citizen got through meanwhile).
			if t, err := c.db.Callback(ctx, id); err == nil {
				return c.closedError(t)
			}
		}
		return c.storeError(id, err)
	}
	fmt.Fprintf(c.stdout, "callback %d (%s) closed: %s, by %s at %s\n", id, t.Number, *res, *by, c.second(c.now))
	if t.Claimed(c.now) {
		fmt.Fprintf(c.stdout, "note: %s was working it; their phone may still be on it\n", t.ClaimedBy)
	}
	return nil
}

func (c *callbacksCmd) closedError(t callcare.CallbackTask) error {
	return c.fail("callback %d is already closed (%s, by %s at %s); nothing was changed",
		t.ID, t.Resolution, orDash(t.ClosedBy), c.second(t.ClosedAt))
}

// callbacksSchedule sets or clears the time agreed with the citizen (P4m).
func callbacksSchedule(ctx context.Context, c *callbacksCmd, args []string) error {
	fs := newFlags(c.name)
	cfgPath, dbPath := dbFlags(fs)
	at := fs.String("at", "", `the agreed time, "2026-11-25 10:30" in the office's time zone, or RFC 3339`)
	clearIt := fs.Bool("clear", false, "remove the agreed time")
	id, err := c.parseID(fs, args)
	if err != nil {
		return c.flagError(fs, err)
	}
	if (*at == "") == !*clearIt {
		return c.usageError(errors.New("give either --at TIME or --clear"))
	}
	if err := c.open(ctx, *cfgPath, *dbPath); err != nil {
		return err
	}
	defer c.close()
	var when time.Time
	if *at != "" {
		if when, err = parseAgreed(*at, c.loc); err != nil {
			return c.usageError(err)
		}
		if !when.After(c.now) {
			return c.fail("%s is in the past (now %s); nothing was changed", c.second(when), c.second(c.now))
		}
	}
	t, err := c.db.Callback(ctx, id)
	if err != nil {
		return c.storeError(id, err)
	}
	if t.Status != callcare.CallbackOpen {
		return c.closedError(t)
	}
	if err := c.db.Schedule(ctx, id, when); err != nil {
		if callcare.ErrorCode(err) == callcare.ECONFLICT {
			if t, err := c.db.Callback(ctx, id); err == nil {
				return c.closedError(t)
			}
		}
		return c.storeError(id, err)
	}
	if when.IsZero() {
		fmt.Fprintf(c.stdout, "callback %d (%s): agreed time cleared; due by %s\n", id, t.Number, c.second(t.Due))
		return nil
	}
	fmt.Fprintf(c.stdout, "callback %d (%s): agreed time %s (%s)\n", id, t.Number, c.minute(when), c.loc)
	if c.cfg != nil && !c.cfg.OfficeHours.IsOpen(when) {
		fmt.Fprintf(c.stderr, "warning: %s is outside the office hours of the configuration\n", c.minute(when))
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

// oneLine keeps a message on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// callbacksNote exports a task's voice note from Asterisk, where it is
// stored, to a file only its owner can read: it is personal data (P4e).
func callbacksNote(ctx context.Context, c *callbacksCmd, args []string) error {
	fs := newFlags(c.name)
	cfgPath := fs.String("config", defaultConfig, "configuration file (for the database and ARI)")
	out := fs.String("out", "", "file to write the note to (WAV)")
	id, err := c.parseID(fs, args)
	if err != nil {
		return c.flagError(fs, err)
	}
	if *out == "" {
		return c.flagError(fs, errors.New("--out is required"))
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		return c.fail("%s", oneLine(err.Error()))
	}
	if err := c.open(ctx, "", cfg.Database); err != nil {
		return err
	}
	defer c.close()
	t, err := c.db.Callback(ctx, id)
	if err != nil {
		return c.storeError(id, err)
	}
	if t.Note == "" {
		return c.fail("callback %d has no voice note (none was left, or it was deleted after the retention)", id)
	}
	a := cfg.Asterisk
	data, err := ari.NewClient(a.ARIURL, a.User, a.Password, a.App, a.RequestTimeout).RecordingFile(ctx, t.Note)
	if err != nil {
		return c.fail("fetch the note %s from Asterisk: %s", t.Note, oneLine(err.Error()))
	}
	if err := os.WriteFile(*out, data, 0o600); err != nil {
		return c.fail("%s", oneLine(err.Error()))
	}
	fmt.Fprintf(c.stdout, "%s: the voice note of callback %d (%d bytes)\n", *out, id, len(data))
	return nil
}
