package main

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/config"
	"github.com/callcare/callcare/sqlite"
)

// reloader takes a new callcare.yaml while the service runs: when the file
// is saved (config.Watch) and on SIGHUP. A valid file replaces the settings
// for calls that start from then on (a call keeps the settings it started
// with); an invalid one is refused, logged with the problems config check
// prints, and the running rules stay. Each outcome goes to the database,
// where `callcare status` reads it.
//
// The watch starts before the first read of the file, so no change falls
// between the two; what it reports before the service is up waits for it
// (start).
type reloader struct {
	path string

	mu      sync.Mutex // guards everything below
	log     *slog.Logger
	db      *sqlite.DB
	svc     *ari.Service
	hooks   *hooks
	counted func(ok bool) // the metrics' count of reloads
	running *config.Config
	status  callcare.ServiceStatus
	pending func() // a result reported before start
}

// watch reloads on changes and on SIGHUP until ctx ends; the function it
// returns stops it.
func (r *reloader) watch(ctx context.Context, hup <-chan os.Signal) func() {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	w, err := config.Watch(ctx, r.path, r.apply)
	if err != nil {
		// Without a watch (no inotify left), SIGHUP still reloads.
		r.pending = func() {
			r.log.Warn("cannot watch the configuration; it is read again on SIGHUP only", "err", err)
		}
		w = nil
	}
	wg.Go(func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				r.mu.Lock()
				if r.log != nil {
					r.log.Info("SIGHUP: reading the configuration again", "config", r.path)
				}
				r.mu.Unlock()
				if w != nil {
					w.Reload()
					continue
				}
				c, err := config.LoadContext(ctx, r.path)
				r.apply(c, err)
			}
		}
	})
	return sync.OnceFunc(func() {
		cancel()
		if w != nil {
			w.Close()
		}
		wg.Wait()
	})
}

// start hands the reloader the running service, and applies what was
// reported meanwhile.
func (r *reloader) start(log *slog.Logger, db *sqlite.DB, svc *ari.Service, h *hooks, counted func(bool), c *config.Config, st callcare.ServiceStatus) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.log, r.db, r.svc, r.hooks, r.counted, r.running, r.status = log, db, svc, h, counted, c, st
	r.saveLocked()
	if p := r.pending; p != nil {
		r.pending = nil
		p()
	}
}

// apply takes the result of a reload.
func (r *reloader) apply(c *config.Config, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.svc == nil { // not started: the latest result waits
		r.pending = func() { r.applyLocked(c, err) }
		return
	}
	r.applyLocked(c, err)
}

func (r *reloader) applyLocked(c *config.Config, err error) {
	if err != nil {
		msg := err.Error()
		r.log.Error("configuration refused; the running rules stay", "config", r.path,
			"problems", strings.Count(msg, "\n")+1, "why", strings.ReplaceAll(msg, "\n", "; "))
		r.status.ReloadedAt, r.status.ReloadOK, r.status.ReloadError = time.Now(), false, msg
		r.saveLocked()
		r.counted(false)
		return
	}
	old := r.running
	if old.Asterisk != c.Asterisk || old.Database != c.Database || old.Metrics != c.Metrics {
		r.log.Warn("the asterisk:, database: and metrics: settings take effect at the next start; the rest is taken now", "config", r.path)
	}
	r.running = c
	r.svc.SetSettings(settings(c))
	r.hooks.cfg.Store(c)
	r.status.ReloadedAt, r.status.ReloadOK, r.status.ReloadError = time.Now(), true, ""
	r.status.Reloads++
	r.saveLocked()
	r.counted(true)
	r.log.Info("configuration reloaded: new calls follow it, calls in progress keep their rules", "config", r.path,
		"clerks", len(c.Directory.Clerks), "departments", len(c.Directory.Departments), "absences", len(c.Absences))
	logWarnings(r.log, c)
}

func (r *reloader) saveLocked() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.db.SaveStatus(ctx, r.status); err != nil {
		r.log.Warn("cannot write the service's status for callcare status", "err", err)
	}
}

// stopped records the end of the run.
func (r *reloader) stopped() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status.StoppedAt = time.Now()
	r.saveLocked()
}
