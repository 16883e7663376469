package metrics

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// /healthz says the process serves; /readyz says it takes calls: the ARI
// event stream is up with the application its own, and the database
// takes writes. Both answer in plain text; /readyz 503 with each reason.

// probeTimeout bounds the database's check: SQLite waits up to its busy
// timeout for a lock another process holds, and a readiness check must
// not wait that long.
const probeTimeout = 2 * time.Second

func (m *Metrics) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

func (m *Metrics) readyz(w http.ResponseWriter, r *http.Request) {
	var why []string
	if m.o.Ready == nil || !m.o.Ready() {
		why = append(why, "asterisk: the ARI event stream is down, or another instance holds the application")
	}
	if m.o.Writable != nil {
		if err := m.probe.check(r.Context(), m.o.Writable); err != nil {
			why = append(why, "database: "+err.Error())
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if len(why) > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, "not ready: %s\n", strings.Join(why, "; "))
		return
	}
	fmt.Fprintln(w, "ready")
}

// probe runs the database's check, one at a time: a check still waiting
// for a lock answers every request meanwhile, and no second one starts.
type probe struct {
	mu  sync.Mutex
	cur *probeRun // the check under way; nil for none
}

type probeRun struct {
	done chan struct{} // closed when it ends
	err  error
}

func (p *probe) check(ctx context.Context, f func(context.Context) error) error {
	p.mu.Lock()
	run := p.cur
	if run == nil {
		run = &probeRun{done: make(chan struct{})}
		p.cur = run
		go func() {
			// Its own context: a request that goes away leaves the check
			// to end for the next one.
			cctx, cancel := context.WithTimeout(context.Background(), 2*probeTimeout+5*time.Second)
			defer cancel()
			run.err = f(cctx)
			p.mu.Lock()
			p.cur = nil
			p.mu.Unlock()
			close(run.done)
		}()
	}
	p.mu.Unlock()
	t := time.NewTimer(probeTimeout)
	defer t.Stop()
	select {
	case <-run.done:
		return run.err
	case <-t.C:
		return fmt.Errorf("no write taken within %s", probeTimeout)
	case <-ctx.Done():
		return ctx.Err()
	}
}
