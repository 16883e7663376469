package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/callcare/callcare/config"
)

// runConfigCheck validates a configuration and lists every problem with its
// line, so an admin fixes them all in one go.
func runConfigCheck(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("config check")
	path := fs.String("config", defaultConfig, "configuration file")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	c, err := config.Check(*path)
	var problems config.Problems
	switch {
	case errors.As(err, &problems):
		fmt.Fprintln(stderr, problems.Error())
		fmt.Fprintf(stderr, "%s: %d problem(s); nothing was changed\n", *path, len(problems))
		return exitError(1)
	case err != nil:
		return fmt.Errorf("config check: %w", err)
	}
	if perr := c.PasswordProblem(); perr != nil {
		fmt.Fprintf(stderr, "warning (serve will refuse to start until it is set):\n%s\n", perr)
	}
	fmt.Fprintf(stdout, "%s: valid: %d clerks, %d departments, answer within %d rings of %s\n",
		*path, len(c.Directory.Clerks), len(c.Directory.Departments), c.Procedure.AnswerWithinRings, c.Procedure.RingCycle)
	return nil
}
