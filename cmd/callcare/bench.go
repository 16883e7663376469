package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/ari"
	"github.com/callcare/callcare/config"
	"github.com/callcare/callcare/dialplan"
	"github.com/callcare/callcare/pbxsim"
	"github.com/callcare/callcare/prompts"
	"github.com/callcare/callcare/sqlite"
)

func newBenchCmd() *cobra.Command {
	o := benchOptions{calls: 500, rate: 250, mix: "answer=40,overflow=20,busy=15,abandon=15,callback=10",
		ringCycle: time.Second, answerAfter: time.Second, talk: 5 * time.Second}
	c := &cobra.Command{
		Use:   "bench",
		Short: "the service under load on the simulated Asterisk",
		Long: `Run the service, as serve runs it (a real SQLite database in a temporary
directory, the configuration's defaults), against the simulated Asterisk in a
process of its own, and place --calls citizens' calls at --rate a second, of
mixed scenarios: a clerk answers; a clerk does not answer in three rings and
the call overflows to a colleague who does; a clerk's phone is busy and a
colleague answers; the citizen gives up while it rings (a callback task); a
busy clerk's department offers a choice and the citizen asks for a callback.

It prints the calls placed and how each ended against what its scenario
should give (errors), the decision latency (an event read off the socket to
the first request it causes: p50, p99, max), the memory and goroutines per
live call at the peak, the goroutines after the run against before, the Go
runtime settings it ran with (GOMAXPROCS, GODEBUG's schedtrace) beside the
systemd unit's, the service's CPU and wake-ups per call beside the simulator's (the simulator
plays Asterisk, the phones and the citizens: its cost is the bench's, not
the service's; the wake-ups, voluntary context switches, are counted, so
they vary less from run to run than the CPU), and the REST requests and
events per call. Durations are real time: a run lasts about --calls /
--rate plus a call's length.`,
		Example: `  callcare bench                              # 500 calls at 250 a second
  callcare bench --calls 2000 --rate 500 --talk 2s
  callcare bench --mix answer=100 --cpuprofile service.pprof`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if o.calls < 1 || !(o.rate > 0) || o.ringCycle <= 0 || o.talk <= 0 || o.answerAfter <= 0 {
				return usagef("--calls, --rate, --ring-cycle, --answer-after and --talk must be above zero")
			}
			if o.answerAfter >= 3*o.ringCycle {
				return usagef("--answer-after %s must be shorter than three rings of --ring-cycle %s", o.answerAfter, o.ringCycle)
			}
			mix, err := parseMix(o.mix)
			if err != nil {
				return usagef("--mix: %v", err)
			}
			return bench(c.Context(), o, mix, c.OutOrStdout())
		},
	}
	f := c.Flags()
	f.IntVar(&o.calls, "calls", o.calls, "how many calls to place")
	f.Float64Var(&o.rate, "rate", o.rate, "calls placed a second")
	f.StringVar(&o.mix, "mix", o.mix, "scenarios and their weights: answer, overflow, busy, abandon, callback")
	f.DurationVar(&o.ringCycle, "ring-cycle", o.ringCycle, "one ring (the procedure: three of them, then overflow)")
	f.DurationVar(&o.answerAfter, "answer-after", o.answerAfter, "how long a phone that answers rings first")
	f.DurationVar(&o.talk, "talk", o.talk, "how long an answered call lasts before the clerk hangs up")
	f.BoolVar(&o.inProcess, "sim-in-process", false, "run the simulator in this process (its CPU and wake-ups are then not told apart)")
	f.StringVar(&o.cpuprofile, "cpuprofile", "", "write the service's CPU profile of the run to `file`")
	return c
}

type benchOptions struct {
	calls                        int
	rate                         float64
	mix                          string
	ringCycle, answerAfter, talk time.Duration
	inProcess                    bool
	cpuprofile                   string
}

// The scenarios of a bench call, each with what its record must say.
const (
	scAnswer   = "answer"   // the clerk answers
	scOverflow = "overflow" // the clerk does not answer in three rings; the colleague does
	scBusy     = "busy"     // the clerk's phone is busy; the colleague answers
	scAbandon  = "abandon"  // nobody answers; the citizen gives up while it rings
	scCallback = "callback" // busy, and the department offers a choice: 2, a callback
)

type weighted struct {
	name   string
	weight int
}

// parseMix reads "answer=40,overflow=20": scenarios and their weights.
func parseMix(s string) ([]weighted, error) {
	var out []weighted
	for _, part := range strings.Split(s, ",") {
		name, w, ok := strings.Cut(strings.TrimSpace(part), "=")
		n, err := strconv.Atoi(w)
		if !ok || err != nil || n < 0 {
			return nil, fmt.Errorf("%q is not scenario=weight", part)
		}
		if !slices.Contains([]string{scAnswer, scOverflow, scBusy, scAbandon, scCallback}, name) {
			return nil, fmt.Errorf("unknown scenario %q (answer, overflow, busy, abandon, callback)", name)
		}
		if n > 0 {
			out = append(out, weighted{name, n})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no scenario with a weight")
	}
	return out, nil
}

// deal gives each of n calls a scenario, spread evenly by weight.
func deal(mix []weighted, n int) []string {
	total := 0
	for _, m := range mix {
		total += m.weight
	}
	given := make([]int, len(mix))
	out := make([]string, n)
	for i := range out {
		best := 0
		for j := range mix { // the scenario furthest behind its share
			if float64(given[j]+1)/float64(mix[j].weight) < float64(given[best]+1)/float64(mix[best].weight) {
				best = j
			}
		}
		given[best]++
		out[i] = mix[best].name
	}
	return out
}

// simulator is the simulated Asterisk the bench runs against.
type simulator struct {
	url   string // ARI base
	cost  func() cost
	close func()
}

// startSim runs the simulator: in a process of its own (this program's
// sim command), so that its CPU is told apart, or in this one.
func startSim(ctx context.Context, inProcess bool) (*simulator, error) {
	if inProcess {
		texts, err := prompts.Texts()
		if err != nil {
			return nil, err
		}
		pbx := pbxsim.NewServer(pbxsim.Options{AutoPhones: true, Sounds: texts.Lengths("pl")})
		return &simulator{url: pbx.URL(), cost: func() cost { return unknownCost }, close: func() { pbx.Close() }}, nil
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, self, "sim", "--listen", "127.0.0.1:0", "--prompts")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	stop := func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	}
	lines := bufio.NewScanner(out)
	if !lines.Scan() {
		stop()
		return nil, fmt.Errorf("the simulator said nothing: %v", lines.Err())
	}
	// "simulated Asterisk 20 at http://127.0.0.1:PORT/ari (events ...)"
	_, rest, _ := strings.Cut(lines.Text(), " at ")
	url, _, _ := strings.Cut(rest, " ")
	if !strings.HasPrefix(url, "http://") {
		stop()
		return nil, fmt.Errorf("the simulator said %q", lines.Text())
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	pid := cmd.Process.Pid
	return &simulator{url: url, cost: func() cost { return processCost(pid) }, close: stop}, nil
}

// benchOffice is the office the bench rings: two clerks per call (the
// first overflows to the second), so that no call finds its clerk busy
// with another bench call; the clerks of the callback scenario are in a
// department that offers a choice when they are busy (P4b).
func benchOffice(ariURL, db string, sc []string, o benchOptions) []byte {
	var b bytes.Buffer
	days := ""
	for _, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"} {
		days += fmt.Sprintf("  %s: \"00:00-24:00\"\n", d)
	}
	fmt.Fprintf(&b, `asterisk:
  ari_url: %s
  user: callcare
  password_env: CALLCARE_BENCH_PASSWORD
database: %s
timezone: UTC
procedure:
  answer_within_rings: 3
  ring_cycle: %s
office_hours:
%s  polish_holidays: false
`, ariURL, db, o.ringCycle, days)
	var plain, offer []string
	var clerks strings.Builder
	for i, s := range sc {
		a, bb := benchClerk(i, 0), benchClerk(i, 1)
		dept := "900"
		if s == scCallback {
			dept = "901"
			offer = append(offer, a.id, bb.id)
		} else {
			plain = append(plain, a.id, bb.id)
		}
		fmt.Fprintf(&clerks, "  - {id: %s, name: Bench, surname: %s, position: Clerk, department: %q, extension: %q, endpoint: %s, overflow: %s}\n",
			a.id, a.id, dept, a.ext, a.endpoint, bb.id)
		fmt.Fprintf(&clerks, "  - {id: %s, name: Bench, surname: %s, position: Clerk, department: %q, extension: %q, endpoint: %s}\n",
			bb.id, bb.id, dept, bb.ext, bb.endpoint)
	}
	b.WriteString("departments:\n")
	if len(plain) > 0 {
		fmt.Fprintf(&b, "  - {number: \"900\", name: Bench, members: [%s], ring: in_order}\n", strings.Join(plain, ", "))
	}
	if len(offer) > 0 {
		fmt.Fprintf(&b, "  - {number: \"901\", name: Bench offers, members: [%s], ring: in_order, when_busy: offer}\n", strings.Join(offer, ", "))
	}
	b.WriteString("clerks:\n")
	b.WriteString(clerks.String())
	return b.Bytes()
}

type benchClerkID struct{ id, ext, endpoint string }

// benchClerk is call i's first (n=0) or second (n=1) clerk.
func benchClerk(i, n int) benchClerkID {
	ext := strconv.Itoa(100000 + 2*i + n)
	return benchClerkID{id: "c" + ext, ext: ext, endpoint: "PJSIP/" + ext}
}

// benchNumber is call i's citizen.
func benchNumber(i int) callcare.Number { return callcare.Number(fmt.Sprintf("48600%06d", i)) }

// warnings counts what the service logs at warning and above, and keeps
// the first few.
type warnings struct {
	mu    sync.Mutex
	n     int
	first []string
}

func (w *warnings) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }
func (w *warnings) Handle(_ context.Context, r slog.Record) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.n++
	if len(w.first) < 5 {
		line := r.Message
		r.Attrs(func(a slog.Attr) bool { line += " " + a.String(); return true })
		w.first = append(w.first, line)
	}
	return nil
}
func (w *warnings) WithAttrs([]slog.Attr) slog.Handler { return w }
func (w *warnings) WithGroup(string) slog.Handler      { return w }

// latencies keeps the decisions' times.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

func (l *latencies) quantile(q float64) time.Duration {
	if len(l.d) == 0 {
		return 0
	}
	return l.d[min(len(l.d)-1, int(float64(len(l.d))*q))]
}

// simRequest is a request to the simulator's control API.
func simRequest(ctx context.Context, base, method, path string, body any) ([]byte, error) {
	data, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	u := strings.TrimSuffix(base, "/ari") + "/sim" + path
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	req.SetBasicAuth("callcare", "callcare")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return nil, fmt.Errorf("%s %s: %s %s", method, path, resp.Status, out)
	}
	return out, err
}

type simAction struct {
	At     string `json:"at"`
	Do     string `json:"do"`
	Digits string `json:"digits,omitempty"`
}

type simPhone struct {
	Mode        string      `json:"mode"`
	RingAfter   string      `json:"ring_after,omitempty"`
	AnswerAfter string      `json:"answer_after,omitempty"`
	Script      []simAction `json:"script,omitempty"`
}

type simCaller struct {
	Number      string      `json:"number"`
	Exten       string      `json:"exten"`
	App         string      `json:"app"`
	Ringing     bool        `json:"ringing"`
	HangupAfter string      `json:"hangup_after,omitempty"`
	Script      []simAction `json:"script,omitempty"`
	Overloaded  string      `json:"overloaded,omitempty"`
}

// bench runs the service against the simulator under the load o asks for,
// and prints what it measured.
func bench(ctx context.Context, o benchOptions, mix []weighted, stdout io.Writer) error {
	dir, err := os.MkdirTemp("", "callcare-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	sim, err := startSim(ctx, o.inProcess)
	if err != nil {
		return fmt.Errorf("start the simulator: %w", err)
	}
	defer sim.close()
	sc := deal(mix, o.calls)
	c, err := config.Parse("bench.yaml", benchOffice(sim.url, filepath.Join(dir, "callcare.db"), sc, o),
		func(string) string { return "callcare" })
	if err != nil {
		return fmt.Errorf("the bench's office: %w", err)
	}
	db, err := sqlite.Open(ctx, c.Database)
	if err != nil {
		return err
	}
	defer db.Close()
	texts, err := prompts.Texts()
	if err != nil {
		return err
	}
	sounds := texts.Lengths("pl")

	// The phones and the citizens of each scenario.
	ms := func(d time.Duration) string { return d.String() }
	talk := []simAction{{At: ms(o.talk), Do: "hangup"}}
	answers := simPhone{Mode: "answers", RingAfter: "100ms", AnswerAfter: ms(o.answerAfter), Script: talk}
	menu := sounds[c.Prompts.ClerkBusy] + sounds[c.Prompts.BusyChoices] + time.Second
	callers := make([]simCaller, len(sc))
	for i, s := range sc {
		a, b := benchClerk(i, 0), benchClerk(i, 1)
		phones := map[string]simPhone{}
		// As the rendered dialplan: it rings first, and sends a share of
		// new calls to the fallback while the service is full.
		caller := simCaller{Number: string(benchNumber(i)), Exten: a.ext, App: c.Asterisk.App, Ringing: true, Overloaded: dialplan.OverloadedVar}
		switch s {
		case scAnswer:
			phones[a.endpoint] = answers
		case scOverflow:
			phones[a.endpoint], phones[b.endpoint] = simPhone{Mode: "never-answers", RingAfter: "100ms"}, answers
		case scBusy:
			phones[a.endpoint], phones[b.endpoint] = simPhone{Mode: "busy"}, answers
		case scAbandon:
			phones[a.endpoint] = simPhone{Mode: "never-answers", RingAfter: "100ms"}
			caller.HangupAfter = ms(2 * o.ringCycle) // within the first clerk's rings
		case scCallback:
			phones[a.endpoint] = simPhone{Mode: "busy"}
			caller.Script = []simAction{{At: ms(menu), Do: "press-keys", Digits: "2"}}
		}
		for ep, p := range phones {
			if _, err := simRequest(ctx, sim.url, http.MethodPut, "/phones/"+ep, p); err != nil {
				return err
			}
		}
		callers[i] = caller
	}

	warned := &warnings{}
	lat := &latencies{}
	opts := ariOptions(c, slog.New(warned))
	opts.Decided = lat.add
	opts.MaxHostCPU = -1        // the bench busies the machine on purpose
	opts.MaxCallsPerSecond = -1 // and its rate is the load it measures
	svc := ari.New(opts, settings(c), stores(db))
	svcCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- svc.Run(svcCtx) }()
	defer func() { stop(); <-done }()
	for !svc.Ready() {
		select {
		case err := <-done:
			return fmt.Errorf("the service stopped: %w", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
	time.Sleep(100 * time.Millisecond) // the reconciliation after connecting

	// Before.
	var mem runtime.MemStats
	svc.CloseIdleConnections()
	time.Sleep(50 * time.Millisecond) // their goroutines end
	runtime.GC()
	runtime.ReadMemStats(&mem)
	heap0, stack0 := mem.HeapAlloc, mem.StackInuse
	goroutines0 := runtime.NumGoroutine()
	st0 := svc.Stats()
	if o.cpuprofile != "" {
		f, err := os.Create(o.cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	cost0, simCost0 := selfCost(), sim.cost()
	every := time.Duration(float64(time.Second) / o.rate)
	start := time.Now()
	if _, err := simRequest(ctx, sim.url, http.MethodPost, "/batch", map[string]any{"every": every.String(), "calls": callers}); err != nil {
		return err
	}
	placed := start.Add(time.Duration(len(callers)-1) * every)

	// At the peak: every call placed, none ended yet (each lasts at least
	// two ring cycles).
	var peakLive int
	var peakHeap, peakStack uint64
	var peakGoroutines int
	sampled := false
	deadline := placed.Add(time.Minute + 3*o.ringCycle + o.talk + menu)
	for {
		now := time.Now()
		if !sampled && now.After(placed.Add(o.ringCycle/2)) {
			sampled = true
			peakLive = svc.Stats().ActiveCalls
			runtime.GC()
			runtime.ReadMemStats(&mem)
			peakHeap, peakStack, peakGoroutines = mem.HeapAlloc, mem.StackInuse, runtime.NumGoroutine()
		}
		// Every call ended and its record written: the saver writes
		// behind the calls, and what it holds is work until written.
		if st := svc.Stats(); now.After(placed) && st.ActiveCalls == 0 && st.Work == 0 {
			var chans []json.RawMessage
			out, err := simRequest(ctx, sim.url, http.MethodGet, "/channels", nil)
			if err == nil && json.Unmarshal(out, &chans) == nil && len(chans) == 0 {
				break
			}
		}
		if now.After(deadline) {
			st := svc.Stats()
			return fmt.Errorf("the calls did not end within %s of the last one placed (%d under way, %d pieces of work)", time.Minute, st.ActiveCalls, st.Work)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	ended := time.Since(start)
	cost1, simCost1 := selfCost(), sim.cost()
	if o.cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	st1 := svc.Stats()

	// Every call against its scenario.
	recs, err := db.Calls(ctx, callcare.CallFilter{Limit: len(sc) + 10})
	if err != nil {
		return err
	}
	byNumber := map[callcare.Number]callcare.CallRecord{}
	for _, r := range recs {
		byNumber[r.CallerID] = r
	}
	var errs, unrecorded []string
	outcomes := map[string]int{}
	for i, s := range sc {
		r, ok := byNumber[benchNumber(i)]
		want, by := benchWant(s, i)
		switch {
		case !ok:
			unrecorded = append(unrecorded, fmt.Sprintf("call %d (%s): no record", i, s))
		case r.Outcome != want || r.AnsweredBy != by || r.EndedAt.IsZero():
			errs = append(errs, fmt.Sprintf("call %d (%s): %s by %q, ended %v; want %s by %q", i, s, r.Outcome, r.AnsweredBy, !r.EndedAt.IsZero(), want, by))
		}
		outcomes[s]++
	}
	// A call handed to the fallback for want of capacity has no record:
	// whoever answers it there answers it. Any other call without one is
	// an error.
	toFallback := st1.ToFallback - st0.ToFallback
	if extra := len(unrecorded) - int(toFallback); extra > 0 {
		errs = append(errs, unrecorded[:extra]...)
	}

	// Goroutines back where they were, the pool's idle connections
	// closed as before.
	svc.CloseIdleConnections()
	goroutines1 := runtime.NumGoroutine()
	for wait := time.Now(); goroutines1 > goroutines0 && time.Since(wait) < 2*time.Second; goroutines1 = runtime.NumGoroutine() {
		time.Sleep(10 * time.Millisecond)
	}

	slices.Sort(lat.d)
	n := float64(len(sc))
	fmt.Fprintf(stdout, "callcare bench: %d calls placed at %g a second (%s), against the simulated Asterisk %s\n",
		len(sc), o.rate, describeMix(outcomes, sc), map[bool]string{true: "in this process", false: "in a process of its own"}[o.inProcess])
	fmt.Fprintf(stdout, "  calls:       %d ended as their scenario says, %d errors, %d handed to the dialplan's fallback for want of capacity; %d warnings logged\n",
		len(sc)-len(errs)-int(toFallback), len(errs), toFallback, warned.n)
	fmt.Fprintf(stdout, "  throughput:  %.0f calls/s placed; the last ended %s after the first began\n",
		float64(len(sc)-1)/max(placed.Sub(start).Seconds(), 1e-9), ended.Round(10*time.Millisecond))
	fmt.Fprintf(stdout, "  decisions:   p50 %s, p99 %s, max %s (%d: an event read to the first request it causes)\n",
		fmtDur(lat.quantile(0.5)), fmtDur(lat.quantile(0.99)), fmtDur(lat.quantile(1)), len(lat.d))
	if peakLive > 0 {
		fmt.Fprintf(stdout, "  memory:      %.1f KiB per live call (heap and stacks, %d calls live)\n",
			float64(int64(peakHeap+peakStack)-int64(heap0+stack0))/float64(peakLive)/1024, peakLive)
		fmt.Fprintf(stdout, "  goroutines:  %.2f per live call; %d before the run, %d after\n",
			float64(peakGoroutines-goroutines0)/float64(peakLive), goroutines0, goroutines1)
	}
	fmt.Fprintf(stdout, "  runtime:     %s\n", goRuntime(os.Getenv("GODEBUG")))
	printCost(stdout, cost1.minus(cost0), simCost1.minus(simCost0), n, o.inProcess)
	fmt.Fprintf(stdout, "  Asterisk:    %.1f REST requests and %.1f events per call\n",
		float64(st1.Requests-st0.Requests)/n, float64(st1.Link.Frames-st0.Link.Frames)/n)
	for i, e := range errs {
		if i == 5 {
			fmt.Fprintf(stdout, "  ... %d more errors\n", len(errs)-5)
			break
		}
		fmt.Fprintf(stdout, "  error: %s\n", e)
	}
	for _, w := range warned.first {
		fmt.Fprintf(stdout, "  warning: %s\n", w)
	}
	if len(errs) > 0 {
		return exitError(1)
	}
	return nil
}

// benchWant is what call i's record must say for its scenario.
func benchWant(s string, i int) (callcare.Outcome, callcare.ClerkID) {
	switch s {
	case scAnswer:
		return callcare.OutcomeAnswered, callcare.ClerkID(benchClerk(i, 0).id)
	case scOverflow, scBusy:
		return callcare.OutcomeAnswered, callcare.ClerkID(benchClerk(i, 1).id)
	case scAbandon:
		return callcare.OutcomeAbandoned, ""
	}
	return callcare.OutcomeCallback, ""
}

func describeMix(n map[string]int, sc []string) string {
	var parts []string
	for _, s := range []string{scAnswer, scOverflow, scBusy, scAbandon, scCallback} {
		if n[s] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", s, n[s]))
		}
	}
	return strings.Join(parts, ", ")
}

func ms1(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func fmtDur(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
	default:
		return fmt.Sprintf("%.2f ms", ms1(d))
	}
}
