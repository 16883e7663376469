package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/agi"
	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/clock"
	"github.com/callcare/callcare/config"
	"github.com/callcare/callcare/policy"
	"github.com/callcare/callcare/sqlite"
)

func newServeCmd() *cobra.Command {
	var path string
	var debug bool
	c := &cobra.Command{
		Use:   "serve",
		Short: "run the service against Asterisk",
		Long: `Run the Stasis application against the office's Asterisk until stopped
(SIGINT or SIGTERM), with the FastAGI hooks of the dialplan. An invalid
configuration is refused with the same list of problems as config check.
The ARI password comes from the environment or a file, never the YAML.

The configuration is read again when it is saved and on SIGHUP (systemctl
reload): a valid file takes effect for new calls within a second, calls in
progress finish under the rules they started with; an invalid one is
refused with the same problems as config check, the running rules stay,
and callcare status shows why.`,
		Example: `  CALLCARE_ARI_PASSWORD=... callcare serve --config /etc/callcare/callcare.yaml`,
		Args:    noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return serve(c.Context(), path, debug, c.ErrOrStderr())
		},
	}
	configFlag(c.Flags(), &path, "the office, its clerks and its Asterisk")
	c.Flags().BoolVar(&debug, "debug", false, "log every step of every call")
	return c
}

// serve runs the Stasis application against Asterisk until ctx ends.
func serve(ctx context.Context, path string, debug bool, stderr io.Writer) error {
	// First of all: SIGHUP ends a process that has not asked for it, and
	// `systemctl reload` sends it.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	started := time.Now()
	r := &reloader{path: path}
	stopWatch := r.watch(ctx, hup) // before the first read: no change falls between
	defer stopWatch()
	c, err := config.LoadContext(ctx, path)
	var problems config.Problems
	if errors.As(err, &problems) {
		fmt.Fprintln(stderr, problems.Error())
		fmt.Fprintf(stderr, "%s: refusing to start with %d problem(s)\n", path, len(problems))
		return exitError(1)
	}
	if err != nil {
		return err
	}
	level := slog.LevelInfo
	if debug {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	db, err := sqlite.Open(ctx, c.Database)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer db.Close()
	// Listen before serving, so a taken port stops the start, not a hook.
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", c.Asterisk.AGIListen)
	if err != nil {
		return fmt.Errorf("FastAGI hooks: %w", err)
	}
	h := &hooks{db: db, clock: clock.Real{}, log: log}
	h.cfg.Store(c)
	mon, err := newMonitor(ctx, c, log, db, h) // metrics.go; nil when metrics.listen is empty
	if err != nil {
		ln.Close()
		return err
	}
	svc := ari.New(mon.wire(ariOptions(c, log)), settings(c), stores(db))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	monDone := mon.serve(ctx, svc)
	hooksDone := make(chan error, 1)
	agiServer := agi.NewServer(h, log)
	agiServer.HandleCalls(h)
	go func() { hooksDone <- agiServer.Serve(ctx, ln) }()

	r.start(log, db, svc, h, mon.reloaded, c, callcare.ServiceStatus{PID: os.Getpid(), Config: path, StartedAt: started})
	log.Info("callcare serving", "ari", c.Asterisk.ARIURL, "app", c.Asterisk.App, "agi", ln.Addr().String(), "clerks", len(c.Directory.Clerks),
		"gomaxprocs", runtime.GOMAXPROCS(0), "go_monitor_steady", monitorSteady(os.Getenv("GODEBUG")))
	logWarnings(log, c)
	runErr := svc.Run(ctx) // a refused ARI password ends it at once
	if runErr != nil {
		cancel() // the hooks stop too
	}
	stopWatch()
	if err := <-hooksDone; err != nil {
		log.Error("FastAGI hooks", "err", err)
	}
	cancel()
	if err := <-monDone; err != nil {
		log.Error("metrics", "err", err)
	}
	r.stopped()
	if runErr != nil {
		return runErr
	}
	log.Info("callcare stopped")
	return nil
}

func ariOptions(c *config.Config, log *slog.Logger) ari.Options {
	return ari.Options{
		URL: c.Asterisk.ARIURL, WebsocketURL: c.Asterisk.WebsocketURL,
		User: c.Asterisk.User, Password: c.Asterisk.Password, App: c.Asterisk.App,
		RequestTimeout: c.Asterisk.RequestTimeout, MaxConnections: c.Asterisk.MaxConnections,
		MaxCalls: noBound(c.Asterisk.MaxCalls), MaxLatency: noBound(c.Asterisk.MaxLatency),
		MaxCallsPerSecond: noBound(float64(c.Asterisk.MaxCallsPerSecond)),
		MaxHostCPU:        noBound(c.Asterisk.MaxHostCPU), Logger: log,
	}
}

func settings(c *config.Config) ari.Settings {
	cb := c.Callbacks
	rules := policy.CallbackRules{
		Hours: c.OfficeHours, Promise: cb.Promise, SpecialNeedsPromise: cb.SpecialNeedsPromise,
		MaxAttempts: cb.MaxAttempts,
	}
	for _, r := range cb.Retry {
		rules.Retry = append(rules.Retry, policy.Retry{After: r.After, NextDay: r.NextDay})
	}
	set := ari.Settings{
		Directory: &c.Directory,
		Inbound: policy.InboundSettings{
			Procedure: c.Procedure, Rules: rules, KeyTimeout: cb.KeyTimeout, NoteMax: cb.NoteMax, FlagKey: "*",
			Prompts: c.Prompts, Say: policy.Saying{Lang: c.Language},
			Waiting: c.Waiting, Music: map[string]string{}, WhenBusy: map[string]callcare.BusyPolicy{},
			TransferPrefix: c.Waiting.TransferPrefix, DisplayMax: c.Waiting.DisplayLength,
		},
		Session: policy.SessionSettings{
			Procedure: c.Procedure, Rules: rules, KeyTimeout: cb.KeyTimeout,
			Dial: cb.Dial, CallerID: cb.CallerID, DisplayMax: c.Waiting.DisplayLength,
			Prompts: c.Prompts, Say: policy.Saying{Lang: c.Language},
		},
		Absences: callcare.Absences{Rules: c.Absences, Hours: c.OfficeHours},
		Forwarding: policy.ForwardSettings{
			Prompts: c.Prompts, Say: policy.Saying{Lang: c.Language}, Hours: c.OfficeHours,
			SetCode: c.Forwarding.SetCode, ClearCode: c.Forwarding.ClearCode, MaxDays: c.Forwarding.MaxDays,
			Secretariat: c.Secretariat,
		},
		Needs:          policy.SpecialNeeds{Numbers: c.SpecialNeeds.Numbers},
		Lines:          map[string]callcare.Target{},
		EscalateToHead: cb.EscalateTo == config.EscalateHead,
		ClaimFor:       cb.ClaimFor,
		SchedulerTick:  cb.SchedulerTick,
		NoteRetention:  cb.NoteRetention,
		Retention:      c.Retention,
	}
	phoneMatters(c, &set, rules)
	for _, d := range c.Directory.Departments {
		set.Inbound.Music[d.Number] = c.Waiting.MusicOf(d)
		set.Inbound.WhenBusy[d.Number] = d.WhenBusy
	}
	for _, l := range c.SpecialNeeds.Lines {
		set.Needs.Lines = append(set.Needs.Lines, l.Number)
		set.Lines[l.Number] = l.Target
	}
	return set
}

// stores gives the shell the store's contracts, all kept by one database.
func stores(db *sqlite.DB) ari.Stores {
	return ari.Stores{Calls: db, Callbacks: db, Queue: db, Archive: db, Forwards: db, Notices: db}
}

// noBound turns the configuration's 0 (no bound) into ari's -1 (its 0 is
// its default).
func noBound[T int | float64 | time.Duration](v T) T {
	if v == 0 {
		return -1
	}
	return v
}

// logWarnings logs what the configuration says that is valid but likely
// not meant (config check prints the same).
func logWarnings(log *slog.Logger, c *config.Config) {
	for _, w := range c.Warnings() {
		log.Warn("configuration: "+w.Message, "config", w.File, "line", w.Line, "path", w.Path)
	}
}
