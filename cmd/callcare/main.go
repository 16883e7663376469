// Command callcare makes the office's Asterisk keep the telephone procedure
// for people with special needs, and keeps the record that shows it.
//
//	callcare demo                      a scripted morning at the office, on a simulated PBX
//	callcare serve [--config FILE]     run the service against Asterisk
//	callcare config check [--config FILE]
//	callcare calls list [--config FILE] [--since 24h] [--limit 50]
//	callcare callbacks list|show|done|schedule   the callback queue, for the admin
//	callcare sim [--listen ADDR]       a simulated Asterisk 20 for any ARI client
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `callcare makes the office's Asterisk keep the telephone procedure.

Usage:
  callcare demo                          a scripted morning at the office, on a simulated PBX
  callcare serve [--config FILE]         run the service against Asterisk
  callcare config check [--config FILE]  validate the configuration
  callcare calls list [--config FILE] [--since 24h] [--limit 50]
  callcare callbacks list [--status open|done|all] [--clerk ID] [--department N] [--number N] [--limit 100]
  callcare callbacks show ID             a callback task in full, with its attempts
  callcare callbacks done ID [--by admin] [--resolution marked_done|reached|wrong_number]
  callcare callbacks schedule ID --at "2026-11-25 10:30" | --clear   agree a time (P4m)
      (callbacks: --config FILE or --db FILE, as calls list)
  callcare sim [--listen 127.0.0.1:8088] a simulated Asterisk 20 for any ARI client
`

// defaultConfig is where serve, config check and calls list look first.
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

// exitError ends the program with a status after the message was printed.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// run is the whole program, so tests run it as a user would.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitError(2)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "demo":
		return runDemo(ctx, rest, stdout)
	case "serve":
		return runServe(ctx, rest, stderr)
	case "sim":
		return runSim(ctx, rest, stdout, stderr)
	case "config":
		if len(rest) > 0 && rest[0] == "check" {
			return runConfigCheck(rest[1:], stdout, stderr)
		}
	case "calls":
		if len(rest) > 0 && rest[0] == "list" {
			return runCallsList(ctx, rest[1:], stdout)
		}
	case "callbacks":
		return runCallbacks(ctx, rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "unknown command %q\n\n%s", args, usage)
	return exitError(2)
}

func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%s: %w", fs.Name(), err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%s: unexpected arguments %q", fs.Name(), fs.Args())
	}
	return nil
}
