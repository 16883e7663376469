package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/callcare/callcare/pbxsim"
)

// runSim serves the simulated Asterisk on its own, like httptest's
// -httptest.serve, so a person can point any ARI client at it.
func runSim(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sim")
	listen := fs.String("listen", "127.0.0.1:8088", "address to serve ARI on")
	user := fs.String("user", "callcare", "ARI user")
	password := fs.String("password", "callcare", "ARI password")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	pbx := pbxsim.NewUnstartedServer(pbxsim.Options{
		User: *user, Password: *password, AutoPhones: true,
		Logger: slog.New(slog.NewTextHandler(stderr, nil)),
	})
	if err := pbx.Start(*listen); err != nil {
		return fmt.Errorf("sim: %w", err)
	}
	fmt.Fprintf(stdout, "simulated Asterisk 20 at %s (events %s), user %q\n", pbx.URL(), pbx.WebsocketURL(), *user)
	fmt.Fprintf(stdout, "place a call: curl -X POST -d '{\"number\":\"48600100200\",\"exten\":\"101\",\"app\":\"callcare\"}' http://%s/sim/calls\n", *listen)
	<-ctx.Done()
	return pbx.Close()
}
