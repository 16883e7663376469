package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/config"
	"github.com/callcare/callcare/policy"
	"github.com/callcare/callcare/sqlite"
)

// runServe runs the Stasis application against Asterisk until stopped.
func runServe(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlags("serve")
	path := fs.String("config", defaultConfig, "configuration file")
	debug := fs.Bool("debug", false, "log every step of every call")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	c, err := config.Load(*path)
	var problems config.Problems
	if errors.As(err, &problems) {
		fmt.Fprintln(stderr, problems.Error())
		fmt.Fprintf(stderr, "%s: refusing to start with %d problem(s)\n", *path, len(problems))
		return exitError(1)
	}
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	level := slog.LevelInfo
	if *debug {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	db, err := sqlite.Open(ctx, c.Database)
	if err != nil {
		return fmt.Errorf("serve: open database: %w", err)
	}
	defer db.Close()
	svc := ari.New(ariOptions(c, log), settings(c), db)
	log.Info("callcare serving", "ari", c.Asterisk.ARIURL, "app", c.Asterisk.App, "clerks", len(c.Directory.Clerks))
	svc.Run(ctx)
	log.Info("callcare stopped")
	return nil
}

func ariOptions(c *config.Config, log *slog.Logger) ari.Options {
	return ari.Options{
		URL: c.Asterisk.ARIURL, WebsocketURL: c.Asterisk.WebsocketURL,
		User: c.Asterisk.User, Password: c.Asterisk.Password, App: c.Asterisk.App,
		RequestTimeout: c.Asterisk.RequestTimeout, Logger: log,
	}
}

func settings(c *config.Config) ari.Settings {
	return ari.Settings{
		Directory: &c.Directory,
		Procedure: c.Procedure,
		Sounds:    policy.Sounds{UnknownNumber: c.Sounds.UnknownNumber, NobodyAvailable: c.Sounds.NobodyAvailable, Goodbye: c.Sounds.Goodbye},
	}
}
