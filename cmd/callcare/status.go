package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/callcare/callcare"
)

func newStatusCmd() *cobra.Command {
	var where storeFlags
	c := &cobra.Command{
		Use:   "status",
		Short: "the service's start and its last reload of the configuration",
		Long: `Print what the running service wrote in its database: when it started (and
stopped), and how its last reload of the configuration went: taken, or
refused with the problems config check lists (the running rules stay then).
No socket is needed: it reads the database. The exit status is 1 when the
last reload was refused, for monitoring.`,
		Example: `  callcare status --config /etc/callcare/callcare.yaml`,
		Args:    noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			s, err := where.open(c.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			return printStatus(c.Context(), s, c.OutOrStdout())
		},
	}
	where.add(c.Flags())
	return c
}

func printStatus(ctx context.Context, s *store, w io.Writer) error {
	st, err := s.db.Status(ctx)
	if callcare.ErrorCode(err) == callcare.ENOTFOUND {
		fmt.Fprintln(w, "the service has not run with this database yet")
		return nil
	}
	if err != nil {
		return err
	}
	at := func(t time.Time) string { return t.In(s.loc).Format("2006-01-02 15:04:05") }
	fmt.Fprintf(w, "service:     started %s (pid %d), configuration %s\n", at(st.StartedAt), st.PID, st.Config)
	if !st.StoppedAt.IsZero() {
		fmt.Fprintf(w, "             stopped %s\n", at(st.StoppedAt))
	}
	switch {
	case st.ReloadedAt.IsZero():
		fmt.Fprintln(w, "last reload: none since the start")
	case st.ReloadOK:
		fmt.Fprintf(w, "last reload: %s, taken (%d since the start)\n", at(st.ReloadedAt), st.Reloads)
	default:
		fmt.Fprintf(w, "last reload: %s, REFUSED; the rules loaded before stay in force (%d taken since the start):\n", at(st.ReloadedAt), st.Reloads)
		for _, l := range strings.Split(st.ReloadError, "\n") {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
	if fwds, err := s.db.Forwards(ctx, time.Now()); err == nil && len(fwds) > 0 {
		fmt.Fprintf(w, "forwards:    %d set by phone or the command line (callcare absences list)\n", len(fwds))
	}
	if !st.ReloadedAt.IsZero() && !st.ReloadOK {
		return exitError(1)
	}
	return nil
}
