package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/callcare/callcare/config"
)

func newConfigCmd() *cobra.Command {
	c := group(&cobra.Command{
		Use:   "config",
		Short: "the configuration file",
	})
	c.AddCommand(newConfigCheckCmd())
	return c
}

func newConfigCheckCmd() *cobra.Command {
	var path string
	c := &cobra.Command{
		Use:   "check",
		Short: "validate the configuration; every problem with its line",
		Long: `Validate the configuration and list every problem with its YAML path and line
(unknown keys, wrong types, duplicate extensions, an overflow naming nobody, a
chain that loops, absences that send calls round in a loop), so they are all
fixed in one go. Nothing is changed. A missing ARI password is a warning:
serve refuses to start until it is set. The forwards set by phone or with
absences set, which win over the file while they last, are listed as
current overrides (read from the configuration's database, if it exists).`,
		Example: `  callcare config check --config /etc/callcare/callcare.yaml`,
		Args:    noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return configCheck(c.Context(), path, c.OutOrStdout(), c.ErrOrStderr())
		},
	}
	configFlag(c.Flags(), &path, "to validate")
	return c
}

// configCheck validates a configuration and lists every problem with its
// line, so an admin fixes them all in one go.
func configCheck(ctx context.Context, path string, stdout, stderr io.Writer) error {
	c, err := config.CheckContext(ctx, path)
	var problems config.Problems
	switch {
	case errors.As(err, &problems):
		fmt.Fprintln(stderr, problems.Error())
		fmt.Fprintf(stderr, "%s: %d problem(s); nothing was changed\n", path, len(problems))
		return exitError(1)
	case err != nil:
		return err
	}
	for _, w := range c.Warnings() {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	if perr := c.PasswordProblem(); perr != nil {
		fmt.Fprintf(stderr, "warning (serve will refuse to start until it is set):\n%s\n", perr)
	}
	fmt.Fprintf(stdout, "%s: valid: %d clerks, %d departments, %d absences, answer within %d rings of %s\n",
		path, len(c.Directory.Clerks), len(c.Directory.Departments), len(c.Absences), c.Procedure.AnswerWithinRings, c.Procedure.RingCycle)
	overrides(ctx, c, stdout)
	return nil
}
