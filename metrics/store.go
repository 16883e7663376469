package metrics

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/report"
)

// The callback tasks' figures are read from the store at each scrape: the
// open tasks as they stand, and what closed or was attempted since the
// scrape before, window by window. A window ends storeLag before the
// scrape, so that what was written with a moment's delay after its time
// still falls in a window not read yet.
const (
	storeLag     = 10 * time.Second
	storeTimeout = 5 * time.Second
)

// lateBounds are the buckets of the agreed-time callbacks' lateness, in
// seconds: on time is at most report.AgreedGrace (5 min) late.
var lateBounds = []float64{0, 60, 120, 300, 600, 1800, 3600}

var (
	openDesc = prometheus.NewDesc("callcare_callbacks_open",
		"Callback tasks open now (P4c), by priority: special_needs or normal.", []string{"priority"}, nil)
	overdueDesc = prometheus.NewDesc("callcare_callbacks_overdue",
		"Open callback tasks whose promise has passed: the due time, or the agreed time (P4c, P4m).", nil, nil)
	oldestDesc = prometheus.NewDesc("callcare_callbacks_oldest_open_age_seconds",
		"Age of the oldest open callback task, from its first missed call; 0 when none is open.", nil, nil)
	closedDesc = prometheus.NewDesc("callcare_callbacks_closed_total",
		"Callback tasks closed, by resolution: reached, got_through, outbound, marked_done, wrong_number, unreachable.", []string{"resolution"}, nil)
	lateDesc = prometheus.NewDesc("callcare_agreed_callback_lateness_seconds",
		"How late each agreed-time callback started: its first attempt from 5 min before the agreed time on, less the agreed time, 0 when early (P4m: on time within 300 s).", nil, nil)
	storeErrDesc = prometheus.NewDesc("callcare_store_read_errors_total",
		"Scrapes whose reading of the callback tasks failed: their figures are left out of that scrape.", nil, nil)
)

var resolutions = []callcare.Resolution{callcare.ResolvedReached, callcare.ResolvedGotThrough, callcare.ResolvedOutbound,
	callcare.ResolvedByClerk, callcare.ResolvedWrongNumber, callcare.ResolvedUnreachable}

// storeCollector reads the callback tasks at each scrape; it keeps the
// counts of the windows read so far.
type storeCollector struct {
	m *Metrics

	mu      sync.Mutex // one scrape at a time reads the store
	mark    time.Time  // where the next window starts
	closed  map[callcare.Resolution]float64
	late    []uint64 // by lateBounds, not cumulative
	lateN   uint64
	lateSum float64
	errors  float64
}

func newStoreCollector(m *Metrics) *storeCollector {
	return &storeCollector{m: m, mark: m.o.Clock.Now(), closed: map[callcare.Resolution]float64{}, late: make([]uint64, len(lateBounds))}
}

func (s *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{openDesc, overdueDesc, oldestDesc, closedDesc, lateDesc, storeErrDesc} {
		ch <- d
	}
}

func (s *storeCollector) Collect(ch chan<- prometheus.Metric) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	now := s.m.o.Clock.Now()
	if err := s.open(ctx, ch, now); err != nil {
		s.failed(err)
	} else if err := s.window(ctx, now.Add(-storeLag)); err != nil {
		s.failed(err)
	}
	for _, r := range resolutions {
		ch <- prometheus.MustNewConstMetric(closedDesc, prometheus.CounterValue, s.closed[r], string(r))
	}
	buckets := map[float64]uint64{}
	var cum uint64
	for i, b := range lateBounds {
		cum += s.late[i]
		buckets[b] = cum
	}
	ch <- prometheus.MustNewConstHistogram(lateDesc, s.lateN, s.lateSum, buckets)
	ch <- prometheus.MustNewConstMetric(storeErrDesc, prometheus.CounterValue, s.errors)
}

func (s *storeCollector) failed(err error) {
	s.errors++
	s.m.o.Logger.Warn("metrics: cannot read the callback tasks", "err", err)
}

// open gives the open tasks' figures as they stand at now.
func (s *storeCollector) open(ctx context.Context, ch chan<- prometheus.Metric, now time.Time) error {
	tasks, err := s.m.o.Callbacks.Callbacks(ctx, callcare.CallbackFilter{Status: callcare.CallbackOpen})
	if err != nil {
		return err
	}
	var special, normal, overdue float64
	var oldest time.Time
	for _, t := range tasks {
		if t.Priority > callcare.PriorityNormal {
			special++
		} else {
			normal++
		}
		if t.Late(now) {
			overdue++
		}
		if oldest.IsZero() || t.FirstAt.Before(oldest) {
			oldest = t.FirstAt
		}
	}
	age := 0.0
	if !oldest.IsZero() {
		age = max(now.Sub(oldest).Seconds(), 0)
	}
	ch <- prometheus.MustNewConstMetric(openDesc, prometheus.GaugeValue, special, "special_needs")
	ch <- prometheus.MustNewConstMetric(openDesc, prometheus.GaugeValue, normal, "normal")
	ch <- prometheus.MustNewConstMetric(overdueDesc, prometheus.GaugeValue, overdue)
	ch <- prometheus.MustNewConstMetric(oldestDesc, prometheus.GaugeValue, age)
	return nil
}

// window counts what closed and which agreed callbacks started in
// [mark, until), and moves the mark on; a window that fails is read again
// at the next scrape.
func (s *storeCollector) window(ctx context.Context, until time.Time) error {
	if !until.After(s.mark) {
		return nil
	}
	closed, err := s.m.o.Activity.ClosedCallbacks(ctx, s.mark, until)
	if err != nil {
		return err
	}
	tasks, attempts, err := s.m.o.Activity.AgreedAttempts(ctx, s.mark, until)
	if err != nil {
		return err
	}
	for _, t := range closed {
		s.closed[t.Resolution]++
	}
	for _, t := range tasks {
		at, ok := agreedStart(t, attempts[t.ID])
		if !ok || at.Before(s.mark) || !at.Before(until) {
			continue // not its first start, or counted in another window
		}
		late := max(at.Sub(t.AgreedAt), 0).Seconds()
		s.lateN++
		s.lateSum += late
		for i, b := range lateBounds {
			if late <= b {
				s.late[i]++
				break
			}
		}
	}
	s.mark = until
	return nil
}

// agreedStart is when an agreed-time callback started, as the report
// counts it: its first attempt from report.AgreedGrace before the agreed
// time on, one nobody took aside.
func agreedStart(t callcare.CallbackTask, attempts []callcare.CallbackAttempt) (time.Time, bool) {
	from := t.AgreedAt.Add(-report.AgreedGrace)
	for _, a := range attempts {
		if a.Result != callcare.AttemptClerkAbsent && !a.StartedAt.Before(from) {
			return a.StartedAt, true
		}
	}
	return time.Time{}, false
}
