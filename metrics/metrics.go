package metrics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/clock"
)

// Options are what the metrics read besides what they are told.
type Options struct {
	// Clock is the service's: waits and callbacks' ages are measured on it.
	Clock clock.Clock
	// Directory gives the office's directory as it stands now (a reload
	// replaces it): which department a call, a clerk or a line is of.
	Directory func() *callcare.Directory
	// Callbacks and Activity are the store, read at each scrape: the open
	// tasks, and what closed or was attempted since the scrape before.
	// Nil: no callback figures.
	Callbacks callcare.CallbackService
	Activity  callcare.CallbackActivity
	// Ready tells whether the service takes calls (ari's Service.Ready).
	Ready func() bool
	// OverCapacity counts the citizens' calls the service, or the dialplan
	// for it, handed to the fallback for want of capacity (ari's
	// Stats.ToFallback).
	OverCapacity func() int64
	// Writable tells whether the database takes writes (for /readyz).
	Writable func(context.Context) error
	Logger   *slog.Logger
}

// Metrics counts what the service does, for Prometheus.
type Metrics struct {
	o   Options
	reg *prometheus.Registry

	calls         *prometheus.CounterVec   // outcome
	rings         *prometheus.HistogramVec // department
	overflows     *prometheus.CounterVec   // department
	missed        *prometheus.CounterVec   // department
	hold          *prometheus.HistogramVec // department
	line          *prometheus.HistogramVec // department
	transfers     *prometheus.CounterVec   // came_back
	agreedOverdue prometheus.Counter
	reloads       *prometheus.CounterVec // result
	connected     prometheus.Gauge
	reconnects    prometheus.Counter
	ups           atomic.Int64
	requests      *prometheus.CounterVec   // method, route, code
	latency       *prometheus.HistogramVec // method, route

	mu          sync.Mutex
	live        map[string]*call // calls under way, by the flow's id
	unannounced map[string]float64

	probe probe // the database's, for /readyz
}

// New makes the metrics and registers them.
func New(o Options) *Metrics {
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	if o.Directory == nil {
		o.Directory = func() *callcare.Directory { return &callcare.Directory{} }
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	m := &Metrics{o: o, reg: prometheus.NewRegistry(), live: map[string]*call{}, unannounced: map[string]float64{}}
	dept := []string{"department"}
	m.calls = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "callcare_calls_total",
		Help: "Citizens' calls that ended, by outcome: answered, missed (nobody of the chain answered), abandoned (the caller hung up first), after_hours, unrouted, failed, fallback, interrupted, callback (a busy clerk's caller chose one)."}, []string{"outcome"})
	m.rings = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "callcare_rings_until_answer",
		Help:    "Rings the caller heard until a clerk answered, every step of the chain counted (P4a: the share within 3 rings is the bucket le=\"3\" over the count), by the department the call was for.",
		Buckets: prometheus.LinearBuckets(1, 1, 10)}, dept)
	m.overflows = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "callcare_overflows_total",
		Help: "Times a call moved on to the next of its overflow chain (rings up, busy or unreachable), by the department the call was for."}, dept)
	m.missed = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "callcare_missed_calls_total",
		Help: "Calls nobody answered in office hours (missed or abandoned): each is owed a callback (P4c), by the department the call was for."}, dept)
	m.hold = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "callcare_hold_seconds",
		Help:    "Each time a clerk held a caller, until the caller stopped waiting (P4h, P4p), by the holding clerk's department.",
		Buckets: []float64{5, 15, 30, 60, 120, 300, 600}}, dept)
	m.line = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "callcare_line_wait_seconds",
		Help:    "Each wait in a department's waiting line, until a clerk answered, a callback was chosen or the caller hung up (P5.3, P4p), by the line's department.",
		Buckets: []float64{5, 15, 30, 60, 120, 300, 600}}, dept)
	m.transfers = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "callcare_transfers_total",
		Help: "Transfers by clerks of calls that ended (P4o); came_back=\"true\": nobody of the target took it and the transferring clerk was rung again."}, []string{"came_back"})
	m.agreedOverdue = prometheus.NewCounter(prometheus.CounterOpts{Name: "callcare_agreed_callbacks_overdue_total",
		Help: "Agreed-time callbacks nobody took at their time (P4m): marked overdue."})
	m.reloads = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "callcare_config_reloads_total",
		Help: "Reloads of callcare.yaml: ok (taken for new calls) or refused (the running rules stay)."}, []string{"result"})
	m.connected = prometheus.NewGauge(prometheus.GaugeOpts{Name: "callcare_ari_connected",
		Help: "1 while the ARI event stream is up, else 0."})
	m.reconnects = prometheus.NewCounter(prometheus.CounterOpts{Name: "callcare_ari_reconnects_total",
		Help: "Times the ARI event stream came back after a drop, a hung Asterisk or a restart."})
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "callcare_ari_requests_total",
		Help: "ARI REST requests, every try, by method, route (ids as {id}) and answer: 2xx, 3xx, 4xx, 5xx, or error (no answer)."}, []string{"method", "route", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "callcare_ari_request_duration_seconds",
		Help:    "Time from an ARI REST request to Asterisk's answer, by method and route.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}}, []string{"method", "route"})
	ready := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "callcare_ready",
		Help: "1 while the service takes calls: the ARI event stream is up and the application is its own."}, func() float64 {
		if o.Ready != nil && o.Ready() {
			return 1
		}
		return 0
	})
	overCapacity := prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "callcare_calls_over_capacity_total",
		Help: "Citizens' calls handed at once to the dialplan's fallback (a plain Dial; recorded only if nobody answers there) because the service was at asterisk.max_calls, new calls came faster than asterisk.max_calls_per_second, Asterisk answered, or sent new calls' events, later than asterisk.max_latency, or the machine's processors were busier than asterisk.max_host_cpu; with those the dialplan sent there itself while the service was full."}, func() float64 {
		if o.OverCapacity == nil {
			return 0
		}
		return float64(o.OverCapacity())
	})
	for _, outcome := range []callcare.Outcome{callcare.OutcomeAnswered, callcare.OutcomeMissed, callcare.OutcomeAbandoned,
		callcare.OutcomeAfterHours, callcare.OutcomeUnrouted, callcare.OutcomeFailed, callcare.OutcomeFallback,
		callcare.OutcomeInterrupted, callcare.OutcomeCallback} {
		m.calls.WithLabelValues(string(outcome))
	}
	for _, r := range []string{"ok", "refused"} {
		m.reloads.WithLabelValues(r)
	}
	for _, b := range []string{"false", "true"} {
		m.transfers.WithLabelValues(b)
	}
	m.reg.MustRegister(m.calls, m.rings, m.overflows, m.missed, m.hold, m.line, m.transfers, m.agreedOverdue,
		m.reloads, m.connected, m.reconnects, m.requests, m.latency, ready, overCapacity,
		callsCollector{m}, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if o.Callbacks != nil && o.Activity != nil {
		m.reg.MustRegister(newStoreCollector(m))
	}
	m.departments()
	return m
}

// departments makes the series of every department exist from the start,
// at 0: Prometheus's increase() sees no rise in a series that begins at
// its first count.
func (m *Metrics) departments() {
	d := m.o.Directory()
	if d == nil {
		return
	}
	for _, dep := range d.Departments {
		m.rings.WithLabelValues(dep.Number)
		m.overflows.WithLabelValues(dep.Number)
		m.missed.WithLabelValues(dep.Number)
		m.hold.WithLabelValues(dep.Number)
		m.line.WithLabelValues(dep.Number)
	}
}

// Reloaded counts a reload of the configuration: taken, or refused.
func (m *Metrics) Reloaded(ok bool) {
	if ok {
		m.reloads.WithLabelValues("ok").Inc()
		m.departments() // a new department's series, at 0
	} else {
		m.reloads.WithLabelValues("refused").Inc()
	}
}

// Handler serves /metrics, /healthz and /readyz.
func (m *Metrics) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorLog: slogPrinter{m.o.Logger}}))
	mux.HandleFunc("GET /healthz", m.healthz)
	mux.HandleFunc("GET /readyz", m.readyz)
	return mux
}

// Serve serves Handler on ln until ctx ends.
func (m *Metrics) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: m.Handler(), ReadHeaderTimeout: 5 * time.Second}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	err := srv.Serve(ln)
	cancel()
	<-done
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// slogPrinter logs what promhttp has to say.
type slogPrinter struct{ log *slog.Logger }

func (p slogPrinter) Println(v ...any) { p.log.Warn("metrics", "err", fmt.Sprint(v...)) }
