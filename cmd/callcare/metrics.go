package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"sync/atomic"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/clock"
	"github.com/callcare/callcare/config"
	"github.com/callcare/callcare/metrics"
	"github.com/callcare/callcare/sqlite"
)

// monitor is what serve runs for the office's monitoring: the metrics,
// told of every step and of Asterisk's side, and their listener
// (metrics.listen). A nil monitor does nothing: none configured.
type monitor struct {
	m   *metrics.Metrics
	ln  net.Listener
	svc atomic.Pointer[ari.Service]
	log *slog.Logger
}

// newMonitor listens on metrics.listen, before serving, so that a taken
// port stops the start as the FastAGI port does; nil when none is set.
// The directory is read through h, which a reload updates.
func newMonitor(ctx context.Context, c *config.Config, log *slog.Logger, db *sqlite.DB, h *hooks) (*monitor, error) {
	if c.Metrics.Listen == "" {
		return nil, nil
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", c.Metrics.Listen)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	mon := &monitor{ln: ln, log: log}
	mon.m = metrics.New(metrics.Options{
		Clock:     clock.Real{},
		Directory: func() *callcare.Directory { return &h.cfg.Load().Directory },
		Callbacks: db, Activity: db,
		Ready: func() bool {
			svc := mon.svc.Load()
			return svc != nil && svc.Ready()
		},
		OverCapacity: func() int64 {
			if svc := mon.svc.Load(); svc != nil {
				return svc.Stats().ToFallback
			}
			return 0
		},
		Writable: db.Writable,
		Logger:   log,
	})
	return mon, nil
}

// wire has the service tell the metrics of every step, of its event
// stream and of its REST requests.
func (mon *monitor) wire(o ari.Options) ari.Options {
	if mon == nil {
		return o
	}
	o.Observe = func(st ari.Step) { mon.m.Observe(metrics.Step(st)) }
	o.Metrics = mon.m
	return o
}

// serve serves /metrics, /healthz and /readyz for svc until ctx ends; the
// channel it returns says when it has stopped.
func (mon *monitor) serve(ctx context.Context, svc *ari.Service) <-chan error {
	done := make(chan error, 1)
	if mon == nil {
		done <- nil
		return done
	}
	mon.svc.Store(svc)
	mon.log.Info("metrics served", "url", "http://"+mon.ln.Addr().String()+"/metrics")
	go func() { done <- mon.m.Serve(ctx, mon.ln) }()
	return done
}

// reloaded counts a reload of the configuration, taken or refused.
func (mon *monitor) reloaded(ok bool) {
	if mon != nil {
		mon.m.Reloaded(ok)
	}
}
