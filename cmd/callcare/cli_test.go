package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// runArgs runs the program with args and returns its exit status, stdout
// and stderr.
func runArgs(t *testing.T, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, &out, &errOut)
	var exit exitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		status = int(exit)
	default:
		t.Fatalf("%v: run returned %v, not an exit status", args, err)
	}
	return status, out.String(), errOut.String()
}

// commandArgs is the command line that names c, without the program.
func commandArgs(c *cobra.Command) []string {
	return strings.Fields(c.CommandPath())[1:]
}

// TestHelp_EveryCommand walks the whole command tree: --help on each
// command exits 0 and prints its usage, naming it, on stdout.
func TestHelp_EveryCommand(t *testing.T) {
	var cmds []*cobra.Command
	walk(newRoot(io.Discard, io.Discard), func(c *cobra.Command) {
		if !c.Hidden {
			cmds = append(cmds, c)
		}
	})
	if len(cmds) < 15 {
		t.Fatalf("only %d commands in the tree", len(cmds))
	}
	for _, c := range cmds {
		args := append(commandArgs(c), "--help")
		t.Run(c.CommandPath(), func(t *testing.T) {
			status, out, errOut := runArgs(t, args...)
			if status != 0 || errOut != "" {
				t.Fatalf("%v: exit status %d, stderr:\n%s", args, status, errOut)
			}
			if !strings.Contains(out, "Usage:") || !strings.Contains(out, c.CommandPath()) {
				t.Errorf("%v: the usage does not name %q:\n%s", args, c.CommandPath(), out)
			}
			if c.Runnable() && c.HasAvailableLocalFlags() && !strings.Contains(out, "Flags:") {
				t.Errorf("%v: no flags listed:\n%s", args, out)
			}
		})
	}
}

// TestHelp_ListsEveryCommand: the top-level help names every command there
// is, through the groups (the hand-written usage once forgot one).
func TestHelp_ListsEveryCommand(t *testing.T) {
	_, out, _ := runArgs(t, "--help")
	want := []string{"demo", "serve", "sim", "config check", "calls list", "callbacks list", "callbacks show",
		"callbacks done", "callbacks schedule", "callbacks note", "completion", "help"}
	walk(newRoot(io.Discard, io.Discard), func(c *cobra.Command) {
		if c.Runnable() && !c.Hidden && c.Annotations[groupAnnotation] == "" && c.Parent() != nil && c.Parent().Name() != "completion" {
			want = append(want, strings.Join(commandArgs(c), " "))
		}
	})
	for _, w := range want {
		if !strings.Contains(out, "\n  "+w+" ") {
			t.Errorf("the top-level help does not list %q:\n%s", w, out)
		}
	}
}

func TestNoCommand(t *testing.T) {
	status, out, errOut := runArgs(t)
	if status != 2 || out != "" || !strings.Contains(errOut, "callbacks schedule") {
		t.Errorf("no command: exit status %d, stdout %q, stderr:\n%s", status, out, errOut)
	}
}

func TestUnknownCommand_SuggestsTheNearest(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"cals"}, `unknown command "cals"; did you mean "calls"?`},
		{[]string{"serv", "--config", "x.yaml"}, `did you mean "serve"?`},
		{[]string{"callbacks", "shw", "3"}, `callcare callbacks: unknown command "shw"; did you mean "show"?`},
		{[]string{"config", "chek"}, `did you mean "check"?`},
		{[]string{"dance"}, `unknown command "dance"`},
		{[]string{"help", "cals"}, `unknown command "cals"; did you mean "calls"?`},
		{[]string{"help", "calls", "lisst"}, `unknown command "lisst"; did you mean "list"?`},
	} {
		status, _, errOut := runArgs(t, tc.args...)
		if status != 2 || !strings.Contains(errOut, tc.want) || !strings.Contains(errOut, "--help' for usage") {
			t.Errorf("%v: exit status %d, stderr:\n%s\nwant %q", tc.args, status, errOut, tc.want)
		}
	}
}

// TestUsageErrors: a wrong command line is exit status 2, with the command
// named and where to read its usage.
func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--nope"}, "callcare serve: unknown flag: --nope"},
		{[]string{"serve", "extra"}, `callcare serve: unexpected argument "extra"`},
		{[]string{"demo", "--speed", "0"}, "--speed 0"},
		{[]string{"demo", "--speed", "fast"}, `invalid argument "fast"`},
		{[]string{"calls", "list", "--since", "yesterday"}, `--since "yesterday"`},
		{[]string{"calls", "list", "--limit"}, "flag needs an argument"},
		{[]string{"callbacks", "note", "3"}, "--out is required"},
		{[]string{"completion", "tcsh"}, `unknown command "tcsh"`},
	} {
		status, out, errOut := runArgs(t, tc.args...)
		if status != 2 || out != "" || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit status %d, stdout %q, stderr:\n%s\nwant %q", tc.args, status, out, errOut, tc.want)
		}
	}
}

func TestCompletion(t *testing.T) {
	for shell, want := range map[string]string{
		"bash": "complete -o default -F __start_callcare callcare",
		"zsh":  "#compdef callcare",
		"fish": "complete -c callcare",
	} {
		status, out, errOut := runArgs(t, "completion", shell)
		if status != 0 || errOut != "" || !strings.Contains(out, want) {
			t.Errorf("completion %s: exit status %d, stderr %q; script lacks %q", shell, status, errOut, want)
		}
	}
}

// TestFlagsAfterArguments: flags may come before or after a command's
// arguments.
func TestFlagsAfterArguments(t *testing.T) {
	path := callbackFixture(t)
	for _, args := range [][]string{
		{"callbacks", "show", "3", "--db", path},
		{"callbacks", "show", "--db", path, "3"},
		{"callbacks", "--db", path, "show", "3"},
	} {
		status, out, errOut := runArgs(t, args...)
		if status != 0 || !strings.Contains(out, "48600500600") {
			t.Errorf("%v: exit status %d\nstdout:\n%s\nstderr:\n%s", args, status, out, errOut)
		}
	}
}

// TestOutIntoAMissingDirectory: the error names the file asked for, not
// the hidden one it is first written to.
func TestOutIntoAMissingDirectory(t *testing.T) {
	_, db := knownOffice(t, "")
	out := filepath.Join(t.TempDir(), "none", "x.html")
	status, _, errOut := runArgs(t, "report", "--db", db, "--out", out)
	if status != 1 || !strings.Contains(errOut, "--out "+out+": no such file or directory") || strings.Contains(errOut, ".x.html.") {
		t.Errorf("exit status %d, stderr:\n%s", status, errOut)
	}
}
