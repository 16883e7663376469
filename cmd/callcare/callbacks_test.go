package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/config"
	"github.com/callcare/callcare/sqlite"
)

// The tasks of callbackFixture, by id (ids follow creation order).
const (
	taskNormal  = 1 // clerk jkowalska, due in 2 h, one failed attempt
	taskSpecial = 2 // special needs (registry), department 100, due in 3 h, a voice note
	taskLate    = 3 // department 200, due an hour ago
	taskClosed  = 4 // closed: reached by mzielinski
)

// callbackFixture writes a database with the four tasks above, as the
// service would, and returns its path.
func callbackFixture(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "callcare.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Now()
	for _, task := range []callcare.CallbackTask{
		{Number: "48600100200", Dialed: "101", Target: callcare.Target{Kind: callcare.TargetClerk, ID: "jkowalska"},
			Reason: callcare.ReasonMissed, CallID: "call-1", FirstAt: now.Add(-3 * time.Hour), Due: now.Add(2 * time.Hour)},
		{Number: "48600300400", Dialed: "100", Target: callcare.Target{Kind: callcare.TargetDepartment, ID: "100"},
			Reason: callcare.ReasonAbandoned, Priority: callcare.PrioritySpecialNeeds, Needs: callcare.NeedsRegistry,
			CallID: "call-2", FirstAt: now.Add(-2 * time.Hour), Due: now.Add(3 * time.Hour), Note: "callcare/note-call-2"},
		{Number: "48600500600", Dialed: "200", Target: callcare.Target{Kind: callcare.TargetDepartment, ID: "200"},
			Reason: callcare.ReasonMissed, CallID: "call-3", FirstAt: now.Add(-5 * time.Hour), Due: now.Add(-time.Hour)},
		{Number: "48600700800", Dialed: "100", Target: callcare.Target{Kind: callcare.TargetDepartment, ID: "100"},
			Reason: callcare.ReasonRequested, CallID: "call-4", FirstAt: now.Add(-6 * time.Hour), Due: now.Add(time.Hour)},
	} {
		if _, _, err := db.MissedCall(ctx, task); err != nil {
			t.Fatal(err)
		}
	}
	// The citizen of task 1 called twice.
	if _, _, err := db.MissedCall(ctx, callcare.CallbackTask{Number: "48600100200", Dialed: "101",
		Target: callcare.Target{Kind: callcare.TargetClerk, ID: "jkowalska"}, Reason: callcare.ReasonMissed,
		CallID: "call-5", FirstAt: now.Add(-2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	a, err := db.StartAttempt(ctx, taskNormal, "jkowalska", "cb-1-1", now.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.FinishAttempt(ctx, taskNormal, a.Seq, callcare.AttemptNoAnswer, now.Add(-59*time.Minute), now.Add(-45*time.Minute), ""); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkDone(ctx, taskClosed, callcare.ResolvedReached, "mzielinski", now.Add(-30*time.Minute)); err != nil {
		t.Fatal(err)
	}
	return path
}

func openFixture(t *testing.T, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func task(t *testing.T, path string, id int64) callcare.CallbackTask {
	t.Helper()
	c, err := openFixture(t, path).Callback(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// listIDs returns the ID column of `callbacks list` output, in order.
func listIDs(out string) []string {
	var ids []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		ids = append(ids, strings.Fields(line)[0])
	}
	return ids
}

// lineOf returns the line of `callbacks list` output for task id.
func lineOf(out, id string) string {
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == id {
			return line
		}
	}
	return ""
}

func TestCallbacks(t *testing.T) {
	future := time.Now().Add(48 * time.Hour).Truncate(time.Minute)
	futureText := future.Format("2006-01-02 15:04")
	past := time.Now().Add(-48 * time.Hour).Format("2006-01-02 15:04")

	for _, tc := range []struct {
		name    string
		args    []string // after "callbacks"; --db is added
		exit    int      // 0 for success
		out     []string // stdout contains each
		notOut  []string // stdout contains none
		errOut  []string // stderr contains each
		ids     []string // list: the ID column, in order
		check   func(t *testing.T, path string)
		nodb    bool // do not add --db
		usesCfg bool
	}{
		{
			name: "list: open tasks, special needs first, then by due time",
			args: []string{"list"},
			ids:  []string{"2", "3", "1"},
			out: []string{"ID", "PRIORITY", "NUMBER", "FOR", "REASON", "TRIES", "DUE / AGREED", "ATTEMPTS", "STATUS", "NOTE",
				"SPECIAL NEEDS (registry)", "48600300400", "department 100", "clerk jkowalska"},
			check: func(t *testing.T, path string) {},
		},
		{
			name:   "list --status done: only the closed task, with its resolution",
			args:   []string{"list", "--status", "done"},
			ids:    []string{"4"},
			out:    []string{"done: reached"},
			notOut: []string{"48600100200"},
		},
		{
			name: "list --status all",
			args: []string{"list", "--status", "all"},
			ids:  []string{"2", "3", "4", "1"},
		},
		{name: "list --clerk", args: []string{"list", "--clerk", "jkowalska"}, ids: []string{"1"}},
		{name: "list --department", args: []string{"list", "--department", "100"}, ids: []string{"2"}},
		{name: "list --clerk and --department: the clerk's queue", args: []string{"list", "--clerk", "jkowalska", "--department", "200"}, ids: []string{"3", "1"}},
		{name: "list --number, written with spaces", args: []string{"list", "--number", "48 600 500 600"}, ids: []string{"3"}},
		{name: "list --limit", args: []string{"list", "--limit", "1"}, ids: []string{"2"}, errOut: []string{"the first 1"}},
		{name: "list: nothing matches", args: []string{"list", "--clerk", "nobody"}, out: []string{"no callback tasks match"}},
		{name: "list --status wrong", args: []string{"list", "--status", "closed"}, exit: 2, errOut: []string{`--status "closed"`}},
		{name: "list: unknown flag", args: []string{"list", "--since", "24h"}, exit: 2, errOut: []string{"-since"}},
		{
			name: "show: every field and the attempts",
			args: []string{"show", "1"},
			out: []string{"Callback:", "Status:", "open", "Number:", "48600100200", "For:", "clerk jkowalska",
				"Dialed:", "101", "Reason:", "missed: nobody answered in time (P4c)", "Call:", "call-1",
				"Tries:", "2 (calls", "Due by:", "Agreed time:", "none", "Next attempt:", "Voice note:", "none",
				"SEQ", "CLERK", "STARTED", "ENDED", "RESULT", "cb-1-1", "no_answer"},
		},
		{
			name: "show: the voice note is named, with where ARI serves it",
			args: []string{"show", "2"},
			out: []string{"SPECIAL NEEDS (registry): the number is in the consented special-needs list",
				`"callcare/note-call-2"`, "not played here", "GET /recordings/stored/callcare%2Fnote-call-2/file"},
		},
		{
			name: "show: a closed task says how and by whom",
			args: []string{"show", "4"},
			out:  []string{"done: reached, by mzielinski at"},
		},
		{name: "show: no such task", args: []string{"show", "99"}, exit: 1, errOut: []string{"no callback task 99"}},
		{name: "show: not an id", args: []string{"show", "abc"}, exit: 2, errOut: []string{`"abc" is not a callback id`}},
		{name: "show: no id", args: []string{"show"}, exit: 2, errOut: []string{"want one callback id"}},
		{
			name: "done: by the admin, marked done",
			args: []string{"done", "1"},
			out:  []string{"callback 1 (48600100200) closed: marked_done, by admin"},
			check: func(t *testing.T, path string) {
				c := task(t, path, 1)
				if c.Status != callcare.CallbackDone || c.Resolution != callcare.ResolvedByClerk || c.ClosedBy != "admin" {
					t.Errorf("task after done: %+v", c)
				}
			},
		},
		{
			name: "done: flags after the id, another resolution",
			args: []string{"done", "3", "--by", "jkowalska", "--resolution", "wrong_number"},
			out:  []string{"closed: wrong_number, by jkowalska"},
			check: func(t *testing.T, path string) {
				c := task(t, path, 3)
				if c.Status != callcare.CallbackDone || c.Resolution != callcare.ResolvedWrongNumber || c.ClosedBy != "jkowalska" {
					t.Errorf("task after done: %+v", c)
				}
			},
		},
		{
			name:   "done: refused on a closed task",
			args:   []string{"done", "4"},
			exit:   1,
			errOut: []string{"callback 4 is already closed (reached, by mzielinski", "nothing was changed"},
			check: func(t *testing.T, path string) {
				if c := task(t, path, 4); c.Resolution != callcare.ResolvedReached || c.ClosedBy != "mzielinski" {
					t.Errorf("a closed task changed: %+v", c)
				}
			},
		},
		{name: "done: no such task", args: []string{"done", "99"}, exit: 1, errOut: []string{"no callback task 99"}},
		{name: "done: a resolution the admin may not give", args: []string{"done", "1", "--resolution", "got_through"}, exit: 2, errOut: []string{`--resolution "got_through"`}},
		{
			name: "schedule: office time",
			args: []string{"schedule", "1", "--at", futureText},
			out:  []string{"callback 1 (48600100200): agreed time " + futureText},
			check: func(t *testing.T, path string) {
				if c := task(t, path, 1); !c.AgreedAt.Equal(future) {
					t.Errorf("agreed %v, want %v", c.AgreedAt, future)
				}
			},
		},
		{
			name: "schedule: RFC 3339, and the list shows the agreed time",
			args: []string{"schedule", "--at", future.UTC().Format(time.RFC3339), "2"},
			check: func(t *testing.T, path string) {
				if c := task(t, path, 2); !c.AgreedAt.Equal(future) {
					t.Errorf("agreed %v, want %v", c.AgreedAt, future)
				}
				var out bytes.Buffer
				if err := run(context.Background(), []string{"callbacks", "list", "--db", path}, &out, &out); err != nil {
					t.Fatal(err)
				}
				if line := lineOf(out.String(), "2"); !strings.Contains(line, "agreed "+futureText) {
					t.Errorf("list line of task 2: %q", line)
				}
			},
		},
		{
			name:   "schedule: refused in the past",
			args:   []string{"schedule", "1", "--at", past},
			exit:   1,
			errOut: []string{"is in the past", "nothing was changed"},
			check: func(t *testing.T, path string) {
				if c := task(t, path, 1); !c.AgreedAt.IsZero() {
					t.Errorf("agreed %v after a refusal", c.AgreedAt)
				}
			},
		},
		{name: "schedule: refused on a closed task", args: []string{"schedule", "4", "--at", futureText}, exit: 1, errOut: []string{"callback 4 is already closed"}},
		{name: "schedule: no such task", args: []string{"schedule", "99", "--at", futureText}, exit: 1, errOut: []string{"no callback task 99"}},
		{name: "schedule: not a time", args: []string{"schedule", "1", "--at", "tomorrow"}, exit: 2, errOut: []string{`--at "tomorrow"`}},
		{name: "schedule: neither --at nor --clear", args: []string{"schedule", "1"}, exit: 2, errOut: []string{"either --at TIME or --clear"}},
		{name: "schedule: both --at and --clear", args: []string{"schedule", "1", "--clear", "--at", futureText}, exit: 2, errOut: []string{"either --at TIME or --clear"}},
		{
			name: "schedule --clear",
			args: []string{"schedule", "2", "--clear"},
			out:  []string{"agreed time cleared"},
			check: func(t *testing.T, path string) {
				if c := task(t, path, 2); !c.AgreedAt.IsZero() {
					t.Errorf("agreed %v after --clear", c.AgreedAt)
				}
			},
		},
		{name: "no subcommand", args: nil, exit: 2, errOut: []string{"callcare callbacks list"}, nodb: true},
		{name: "unknown subcommand", args: []string{"delete", "1"}, exit: 2, errOut: []string{`unknown command "delete"`}, nodb: true},
		{name: "no database there", args: []string{"list", "--db", "/nonexistent/callcare.db"}, exit: 1, errOut: []string{"no database at /nonexistent/callcare.db"}, nodb: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := callbackFixture(t)
			if tc.name == "schedule --clear" {
				if err := openFixture(t, path).Schedule(context.Background(), 2, future); err != nil {
					t.Fatal(err)
				}
			}
			args := append([]string{"callbacks"}, tc.args...)
			if !tc.nodb {
				args = append(args, "--db", path)
			}
			var out, errOut bytes.Buffer
			err := run(context.Background(), args, &out, &errOut)
			var exit exitError
			switch {
			case tc.exit == 0 && err != nil:
				t.Fatalf("%v: %v\nstdout:\n%s\nstderr:\n%s", args, err, out.String(), errOut.String())
			case tc.exit != 0 && (!errors.As(err, &exit) || int(exit) != tc.exit):
				t.Fatalf("%v: %v, want exit status %d\nstderr:\n%s", args, err, tc.exit, errOut.String())
			}
			if tc.exit == 1 && strings.Count(errOut.String(), "\n") != 1 {
				t.Errorf("a refusal is one line, got:\n%s", errOut.String())
			}
			for _, want := range tc.out {
				if !strings.Contains(out.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, out.String())
				}
			}
			for _, not := range tc.notOut {
				if strings.Contains(out.String(), not) {
					t.Errorf("stdout has %q:\n%s", not, out.String())
				}
			}
			for _, want := range tc.errOut {
				if !strings.Contains(errOut.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut.String())
				}
			}
			if tc.ids != nil {
				if got := listIDs(out.String()); strings.Join(got, " ") != strings.Join(tc.ids, " ") {
					t.Errorf("ids %v, want %v:\n%s", got, tc.ids, out.String())
				}
			}
			if tc.check != nil {
				tc.check(t, path)
			}
		})
	}
}

// TestCallbacksListColumns checks what each line of the queue says.
func TestCallbacksListColumns(t *testing.T) {
	path := callbackFixture(t)
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"callbacks", "list", "--status", "all", "--db", path}, &out, &errOut); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	for id, want := range map[string][]string{
		"1": {"normal", "48600100200", "clerk jkowalska", "missed", "  2  ", "due ", "  1  ", "open", "no"},
		"2": {"SPECIAL NEEDS (registry)", "48600300400", "department 100", "abandoned", "yes"},
		"3": {"normal", "department 200", "OVERDUE"},
		"4": {"requested", "done: reached"},
	} {
		line := lineOf(out.String(), id)
		for _, w := range want {
			if !strings.Contains(line, w) {
				t.Errorf("line of task %s lacks %q: %q", id, w, line)
			}
		}
	}
	for _, id := range []string{"1", "2", "4"} {
		if strings.Contains(lineOf(out.String(), id), "OVERDUE") {
			t.Errorf("task %s is not overdue: %q", id, lineOf(out.String(), id))
		}
	}
}

// TestCallbacksWithConfig reads the database and the time zone from the
// configuration, and names clerks as the directory does.
func TestCallbacksWithConfig(t *testing.T) {
	path := callbackFixture(t)
	cfg := strings.Replace(string(config.Example()), "/var/lib/callcare/callcare.db", path, 1)
	cfgPath := filepath.Join(t.TempDir(), "callcare.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	c := task(t, path, taskNormal)
	warsaw, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		t.Fatal(err)
	}

	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"callbacks", "show", "1", "--config", cfgPath}, &out, &errOut); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	for _, want := range []string{"clerk jkowalska (Joanna Kowalska", c.FirstAt.In(warsaw).Format("2006-01-02 15:04:05")} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("show lacks %q:\n%s", want, out.String())
		}
	}

	out.Reset()
	if err := run(context.Background(), []string{"callbacks", "show", "2", "--config", cfgPath}, &out, &errOut); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	if want := "GET http://127.0.0.1:8088/ari/recordings/stored/callcare%2Fnote-call-2/file"; !strings.Contains(out.String(), want) {
		t.Errorf("show lacks %q:\n%s", want, out.String())
	}

	// A time written without a zone is the office's.
	at := time.Now().In(warsaw).Add(72 * time.Hour).Truncate(time.Minute)
	out.Reset()
	if err := run(context.Background(), []string{"callbacks", "schedule", "1", "--at", at.Format("2006-01-02 15:04"), "--config", cfgPath}, &out, &errOut); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	if got := task(t, path, taskNormal).AgreedAt; !got.Equal(at) {
		t.Errorf("agreed %v, want %v (Europe/Warsaw)", got, at)
	}
	if !strings.Contains(out.String(), "Europe/Warsaw") {
		t.Errorf("schedule does not say the zone: %s", out.String())
	}
}
