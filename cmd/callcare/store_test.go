package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/config"
	"github.com/callcare/callcare/sqlite"
)

// TestRead_MissingDatabase: a command that reads the office's database never
// creates one. A mistyped path fails naming the path and the flag that
// pointed there, and leaves no file behind.
func TestRead_MissingDatabase(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.db")
	cfgPath := filepath.Join(dir, "callcare.yaml")
	cfg := strings.Replace(string(config.Example()), "/var/lib/callcare/callcare.db", missing, 1)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"calls", "list", "--db", missing}, []string{"no database at " + missing, "--db"}},
		{[]string{"callbacks", "list", "--db", missing}, []string{"no database at " + missing, "--db"}},
		{[]string{"callbacks", "show", "1", "--db", missing}, []string{"no database at " + missing, "--db"}},
		{[]string{"calls", "list", "--config", cfgPath}, []string{"no database at " + missing, "--config " + cfgPath}},
		{[]string{"callbacks", "list", "--config", cfgPath}, []string{"no database at " + missing, "--config " + cfgPath}},
		{[]string{"callbacks", "done", "1", "--config", cfgPath}, []string{"no database at " + missing, "--config " + cfgPath}},
	} {
		status, out, errOut := runArgs(t, tc.args...)
		if status != 1 || out != "" || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit status %d, stdout %q, stderr:\n%s\nwant status 1 and one line", tc.args, status, out, errOut)
		}
		for _, w := range tc.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", tc.args, w, errOut)
			}
		}
		if _, err := os.Stat(missing); !os.IsNotExist(err) {
			t.Fatalf("%v created %s (%v)", tc.args, missing, err)
		}
	}
}

// TestRead_MissingConfiguration: without --db, the configuration is where
// the database is named; a missing one says so and what else to give.
func TestRead_MissingConfiguration(t *testing.T) {
	cfgPath := filepath.Join(t.TempDir(), "callcare.yaml")
	for _, args := range [][]string{
		{"calls", "list", "--config", cfgPath},
		{"callbacks", "list", "--config", cfgPath},
	} {
		status, _, errOut := runArgs(t, args...)
		if status != 1 || !strings.Contains(errOut, "no configuration at "+cfgPath+" (--config); give --config FILE or --db FILE") {
			t.Errorf("%v: exit status %d, stderr:\n%s", args, status, errOut)
		}
	}
}

// TestCallsList_Database: calls list reads a database that is there, named
// by --db.
func TestCallsList_Database(t *testing.T) {
	path := callbackFixture(t) // no calls in it: the header only
	status, out, errOut := runArgs(t, "calls", "list", "--db", path, "--since", "2026-01-01")
	if status != 0 || !strings.HasPrefix(out, "STARTED") {
		t.Errorf("exit status %d, stdout:\n%s\nstderr:\n%s", status, out, errOut)
	}
}

// TestCallsList_DatabaseWithConfig: --db and --config together: the
// database given, the times in the office's zone (the example's Warsaw),
// not the machine's.
func TestCallsList_DatabaseWithConfig(t *testing.T) {
	cfg := exampleWithDB(t, false)
	other := filepath.Join(t.TempDir(), "copy.db")
	db, err := sqlite.Open(context.Background(), other)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 24, 7, 0, 0, 0, time.UTC) // 08:00 in Warsaw
	if err := db.SaveCall(context.Background(), callcare.CallRecord{ID: "c1", CallerID: "48600100200", Dialed: "100", StartedAt: at, EndedAt: at.Add(time.Minute), Outcome: callcare.OutcomeAbandoned}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	status, out, errOut := runArgs(t, "calls", "list", "--db", other, "--config", cfg, "--since", "2026-11-01")
	if status != 0 || !strings.Contains(out, "2026-11-24 08:00:00") {
		t.Errorf("exit status %d, stdout:\n%s\nstderr:\n%s", status, out, errOut)
	}
}
