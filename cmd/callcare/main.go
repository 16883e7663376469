// Command callcare makes the office's Asterisk keep the telephone procedure
// for people with special needs, and keeps the record that shows it.
//
//	callcare demo                  a scripted morning at the Town Hall, on a simulated PBX
//	callcare serve                 run the service against Asterisk
//	callcare sim                   a simulated Asterisk 20 for any ARI client
//	callcare config check          validate the configuration; every problem with its line
//	callcare calls list            the call log, newest first
//	callcare callbacks list        the callback queue, in the order it is worked
//	callcare callbacks show ID     a callback task in full, with its attempts
//	callcare callbacks done ID     close a task, as a clerk would
//	callcare callbacks schedule ID agree a time with the citizen (P4m)
//	callcare callbacks note ID     export the caller's voice note from Asterisk
//	callcare report                the compliance report for the Town Secretary
//	callcare purge                 delete what the retention no longer allows to keep
//	callcare absences list         who is away, who takes their calls (P4c)
//	callcare absences set|clear    forward a clerk's calls, as *21 and *20 do
//	callcare status                the service's start and last reload
//	callcare directory export      the staff list for the website (P3.3)
//	callcare dialplan render       the Asterisk dialplan for the configured numbers
//	callcare completion SHELL      a completion script for bash, zsh, fish or powershell
//
// Every command takes --help. The command line is parsed by
// github.com/spf13/cobra; run is the whole program, so tests run it in
// process as a user would (benbjohnson/wtf's Main).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
)

// defaultConfig is where serve, config check, calls list and callbacks look
// first.
const defaultConfig = "callcare.yaml"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	var exit exitError
	switch {
	case errors.As(err, &exit):
		os.Exit(int(exit))
	case err != nil:
		fmt.Fprintln(os.Stderr, "callcare:", err)
		os.Exit(1)
	}
}

// exitError ends the program with a status after the message was printed:
// 1 when a command refused or failed, 2 when the command line is wrong.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// usageError is a wrong command line found by a command itself (a flag's
// value it cannot use): exit status 2, as cobra's own findings are.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

func init() {
	// Commands are listed in the order they are added: the order a new
	// admin meets them, not the alphabet's.
	cobra.EnableCommandSorting = false
}

// run is the whole program. Every message goes to stdout or stderr here;
// the error it returns is an exitError.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	root := newRoot(stdout, stderr)
	// What fails before a command's own work began is the command line's
	// fault (an unknown flag, a missing argument): exit status 2.
	ran := false
	walk(root, func(c *cobra.Command) {
		if run := c.RunE; run != nil {
			c.RunE = func(c *cobra.Command, args []string) error {
				ran = true
				return run(c, args)
			}
		}
	})
	if args == nil {
		args = []string{} // nil would make cobra read os.Args
	}
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return nil
	}
	var exit exitError
	if errors.As(err, &exit) {
		return exit
	}
	if cmd == nil {
		cmd = root
	}
	name := cmd.CommandPath()
	if errors.As(err, new(usageError)) || !ran {
		fmt.Fprintf(stderr, "%s: %v\nRun '%s --help' for usage.\n", name, err, name)
		return exitError(2)
	}
	fmt.Fprintf(stderr, "%s: %s\n", name, oneLine(err.Error()))
	return exitError(1)
}

// newRoot builds the whole command tree, writing to stdout and stderr.
func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := group(&cobra.Command{
		Use:   "callcare",
		Short: "make the office's Asterisk keep the telephone procedure",
		Long: `callcare makes the office's Asterisk keep the telephone procedure for people
with special needs (answer by the 3rd ring, call back every missed call), and
keeps the record that shows it was done.`,
		Example: `  callcare demo                     # a scripted morning, no PBX needed
  callcare config check --config /etc/callcare/callcare.yaml
  callcare serve --config /etc/callcare/callcare.yaml
  callcare callbacks list --status all`,
	})
	root.SilenceErrors, root.SilenceUsage = true, true // run prints them
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(flagError)
	root.SetUsageFunc(usage)
	root.AddCommand(
		newDemoCmd(),
		newServeCmd(),
		newSimCmd(),
		newBenchCmd(),
		newConfigCmd(),
		newCallsCmd(),
		newCallbacksCmd(),
		newReportCmd(),
		newPurgeCmd(),
		newAbsencesCmd(),
		newStatusCmd(),
		newDirectoryCmd(),
		newDialplanCmd(),
		newPromptsCmd(),
		newNotifyCmd(),
	)
	// Made now rather than at Execute, so the tree is whole for its tests
	// and the listing; the completion scripts write to stdout.
	root.InitDefaultCompletionCmd()
	root.InitDefaultHelpCmd()
	walk(root, func(c *cobra.Command) {
		c.Flags().SortFlags = false // in the order they matter
	})
	for _, c := range root.Commands() {
		switch c.Name() {
		case "completion":
			c.Short = "a script that completes callcare's commands: bash, zsh, fish or powershell"
			holder(c) // listed whole, but refuses an unknown shell as groups do
		case "help":
			c.Short = "help on any command, as --help gives"
			help := c.Run
			c.Run = nil
			c.RunE = func(c *cobra.Command, args []string) error {
				// An unknown topic is a wrong command line, named with the
				// nearest command, as anywhere else.
				if t, rest, err := c.Root().Find(args); err != nil || t == nil || len(rest) > 0 && t.HasSubCommands() {
					name := strings.Join(args, " ")
					if len(rest) > 0 {
						name = rest[0]
					}
					return usageError{unknownCommand(orRoot(t, c.Root()), name)}
				}
				help(c, args)
				return nil
			}
		}
	}
	return root
}

// group makes c a command that holds others, and lists them in its usage
// (and its parents') by their whole path.
func group(c *cobra.Command) *cobra.Command {
	holder(c)
	c.Annotations[groupAnnotation] = "yes"
	return c
}

// holder makes c a command that only holds others: without one of them it
// prints its usage on stderr (exit status 2); an unknown one is named, with
// the nearest known.
func holder(c *cobra.Command) {
	if c.Annotations == nil {
		c.Annotations = map[string]string{}
	}
	c.Annotations[holderAnnotation] = "yes"
	c.SuggestionsMinimumDistance = 2 // "cals" is "calls"
	c.Args = func(c *cobra.Command, args []string) error {
		if len(args) > 0 {
			return unknownCommand(c, args[0])
		}
		return nil
	}
	c.RunE = func(c *cobra.Command, _ []string) error {
		fmt.Fprint(c.ErrOrStderr(), c.UsageString())
		return exitError(2)
	}
}

func orRoot(c, root *cobra.Command) *cobra.Command {
	if c == nil {
		return root
	}
	return c
}

func unknownCommand(c *cobra.Command, name string) error {
	msg := fmt.Sprintf("unknown command %q", name)
	if s := c.SuggestionsFor(name); len(s) > 0 && name != "" {
		for i := range s {
			s[i] = strconv.Quote(s[i])
		}
		msg += fmt.Sprintf("; did you mean %s?", strings.Join(s, " or "))
	}
	return errors.New(msg)
}

// flagError is a wrong flag: a usage error. On a command that holds others,
// a word before it was meant as a command ("serv --config F"): that is the
// mistake to name.
func flagError(c *cobra.Command, err error) error {
	if c.HasAvailableSubCommands() && c.Flags().NArg() > 0 {
		return usageError{unknownCommand(c, c.Flags().Arg(0))}
	}
	return usageError{err}
}

// noArgs refuses positional arguments, for a command that takes none.
func noArgs(_ *cobra.Command, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("unexpected argument %q", args[0])
	}
	return nil
}

// walk calls fn on c and every command under it.
func walk(c *cobra.Command, fn func(*cobra.Command)) {
	fn(c)
	for _, sub := range c.Commands() {
		walk(sub, fn)
	}
}

// oneLine keeps a message on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
