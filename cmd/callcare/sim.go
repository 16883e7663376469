package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/callcare/callcare/pbxsim"
	"github.com/callcare/callcare/prompts"
)

func newSimCmd() *cobra.Command {
	var o simOptions
	c := &cobra.Command{
		Use:   "sim",
		Short: "a simulated Asterisk 20 for any ARI client",
		Long: `Serve the project's simulated Asterisk 20 (ARI's REST and WebSocket, scripted
desk phones that answer) until stopped, so a person can point any ARI client at
it, as httptest's -httptest.serve does. Calls are placed with its control API
under /sim/, with the ARI user's credentials, once an application of the name
the call asks for is connected (callcare serve, say).`,
		Example: `  callcare sim --listen 127.0.0.1:8088
  curl -u callcare:callcare -X POST -d '{"number":"48600100200","exten":"101","app":"callcare"}' http://127.0.0.1:8088/sim/calls`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return sim(c.Context(), o, c.OutOrStdout(), c.ErrOrStderr())
		},
	}
	c.Flags().StringVar(&o.listen, "listen", "127.0.0.1:8088", "`address` to serve ARI on")
	c.Flags().StringVar(&o.user, "user", "callcare", "ARI user")
	c.Flags().StringVar(&o.password, "password", "callcare", "ARI password")
	c.Flags().BoolVar(&o.prompts, "prompts", false, "play the office's prompts as long as their Polish words take (as the demo does)")
	return c
}

type simOptions struct {
	listen, user, password string
	prompts                bool
}

// sim serves the simulated Asterisk until ctx ends.
func sim(ctx context.Context, o simOptions, stdout, stderr io.Writer) error {
	opts := pbxsim.Options{
		User: o.user, Password: o.password, AutoPhones: true,
		Logger: slog.New(slog.NewTextHandler(stderr, nil)),
	}
	if o.prompts {
		texts, err := prompts.Texts()
		if err != nil {
			return err
		}
		opts.Sounds = texts.Lengths("pl")
	}
	pbx := pbxsim.NewUnstartedServer(opts)
	if err := pbx.Start(o.listen); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "simulated Asterisk 20 at %s (events %s), user %q\n", pbx.URL(), pbx.WebsocketURL(), o.user)
	fmt.Fprintf(stdout, "place a call, once the application is connected: curl -u %s:... -X POST -d '{\"number\":\"48600100200\",\"exten\":\"101\",\"app\":\"callcare\"}' http://%s/sim/calls\n", o.user, o.listen)
	<-ctx.Done()
	return pbx.Close()
}
