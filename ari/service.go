package ari

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/CyCoreSystems/ari/v5"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/clock"
	"github.com/callcare/callcare/dialplan"
	"github.com/callcare/callcare/policy"
)

// Settings is what the service reads from the configuration. A call or a
// session keeps the settings it started with.
type Settings struct {
	Directory *callcare.Directory
	Inbound   policy.InboundSettings
	Session   policy.SessionSettings
	Needs     policy.SpecialNeeds
	// Lines are the dedicated lines for people with special needs (P5.3):
	// dialed number to what it rings.
	Lines map[string]callcare.Target
	// Absences are the file's absences and the office's hours (P4c); the
	// forwards set by phone come from the store when a call starts.
	Absences callcare.Absences
	// Forwarding is what the desk phone's forward codes need.
	Forwarding policy.ForwardSettings
	// EscalateToHead rings the department's head for an agreed callback
	// nobody else took.
	EscalateToHead bool
	ClaimFor       time.Duration // a session's hold on a task
	SchedulerTick  time.Duration // how often agreed callbacks are looked for
	NoteRetention  time.Duration // a voice note outlives its closed task this long
	// Retention is how long records are kept; the daily purge (purge.go)
	// archives the report's figures of a day before its records go.
	Retention callcare.Retention
	// Menu is the voice menu of the main numbers, Notices the calls the
	// service makes to citizens, at most NoticesAtOnce at a time (P3.2,
	// matters.go).
	Menu          policy.MenuSettings
	Notices       policy.NoticeSettings
	NoticesAtOnce int
}

// Stores are the parts of the store the shell uses (the sqlite package in
// production): the call log, the callback tasks, and the queue's claims
// and attempts.
type Stores struct {
	Calls     callcare.CallService
	Callbacks callcare.CallbackService
	Queue     callcare.CallbackQueue
	Archive   callcare.ArchiveService // the report's figures of purged days; nil: no purge
	Forwards  callcare.ForwardService // nil: no forwards by phone
	Notices   callcare.NoticeService  // nil: no notices (P3.2)
}

// Options say how to reach Asterisk.
type Options struct {
	URL            string // REST base, e.g. http://127.0.0.1:8088/ari
	WebsocketURL   string // e.g. ws://127.0.0.1:8088/ari/events
	User, Password string
	App            string
	RequestTimeout time.Duration
	// MaxConnections bounds the HTTP connections of REST requests
	// (default DefaultMaxConnections): requests beyond wait their turn.
	MaxConnections int
	// MaxCalls and MaxLatency are the service's capacity (overload.go):
	// while it carries MaxCalls calls and sessions, or Asterisk's recent
	// answers take MaxLatency on average, or new calls' StasisStart come
	// that late on average, a new citizen's call goes at once to the
	// dialplan's fallback. Defaults DefaultMaxCalls and
	// DefaultMaxLatency; negative: no bound.
	MaxCalls   int
	MaxLatency time.Duration
	// MaxCallsPerSecond is how many new citizens' calls a second the
	// service takes at most (rate.go); the rest go to the fallback.
	// Default DefaultMaxCallsPerSecond; negative: no bound.
	MaxCallsPerSecond float64
	// MaxHostCPU is the busy share (0-1) of the machine's processors past
	// which new calls go to the fallback too (hostcpu.go). Default
	// DefaultMaxHostCPU; negative: no bound. HostCPU reads the machine's
	// CPU counters (nil: Linux's /proc/stat).
	MaxHostCPU float64
	HostCPU    func() (busy, total uint64, err error)
	Clock      clock.Clock
	Logger     *slog.Logger
	// Observe, if set, is told of every step of every call and session, on
	// its goroutine: the demo's timeline, and later the metrics. Keep it quick.
	Observe func(Step)
	// Decided, if set, is told how long each decision took: from an event
	// read off the socket to the first request it caused (decision.go),
	// on the call's goroutine. Keep it quick.
	Decided func(time.Duration)
	// Metrics, if set, is told of the event stream and of each REST
	// request (meter.go).
	Metrics Meter

	// PingEvery and PongWait (wall clock): Asterisk is pinged on the event
	// socket every PingEvery, and one that answers no ping within
	// PongWait hangs: the socket is given up as lost. Defaults 1 s and
	// 2 s: a hung Asterisk is noticed within 3 s.
	PingEvery, PongWait time.Duration
	// ReconcileEvery is how often (on the service's clock) the service
	// compares its calls with what Asterisk has; it does so after every
	// (re)connect too. Default 5 s; negative: only after a (re)connect.
	ReconcileEvery time.Duration
	// RetryFor is how long a call's request is tried again when Asterisk
	// refuses it for a moment (wall clock). Default 2 s: less than a ring
	// cycle of silence for the caller.
	RetryFor time.Duration
	// StandbyPoll is how often an instance whose application another
	// client took looks whether it is free again. Default 10 s.
	StandbyPoll time.Duration
	// CallLogGather is how long (wall clock) a version of a call record
	// waits to be written, so that one commit carries many calls'
	// (saver.go). Default 100 ms; negative: written as soon as handed over.
	CallLogGather time.Duration
}

// Step is one step of a call or session: what happened (nil when it
// starts), what the policy decided, and the call record as it then stands
// (zero for a clerk's session, which names the clerk instead).
type Step struct {
	Call    string
	At      time.Time
	Event   policy.Event
	Actions []policy.Action
	Record  callcare.CallRecord
	Clerk   callcare.ClerkID // a clerk's session: whose
	// Wait is what the caller waits through after the step, and WaitBound
	// the longest the policy lets pass before they hear something again
	// (policy.Inbound.Waiting, P4p); none for a session.
	Wait      policy.Wait
	WaitBound time.Duration
}

// eventsNeeded are the only event types the service asks Asterisk for.
// ChannelDestroyed is the only sign of an originated call nobody answered.
// ChannelHangupRequest is the only sign that Asterisk itself ended a
// channel (a restart: soft, cause 4): it costs about two events a call.
var eventsNeeded = []string{
	ari.Events.StasisStart, ari.Events.StasisEnd, ari.Events.Dial, ari.Events.ChannelDestroyed,
	ari.Events.PlaybackFinished, ari.Events.ChannelDtmfReceived, ari.Events.RecordingFinished, ari.Events.RecordingFailed,
	ari.Events.ApplicationReplaced, ari.Events.ChannelHangupRequest,
	// A clerk's hold key (P4h): rare, and nothing else says it.
	ari.Events.ChannelHold, ari.Events.ChannelUnhold,
}

// Service runs the Stasis application: it starts one owner per call or
// clerk's session, and routes events to it.
type Service struct {
	client   *Client
	link     *Link
	store    Stores
	observe  func(Step)
	decided  func(time.Duration)
	clock    clock.Clock
	log      *slog.Logger
	settings atomic.Pointer[Settings]

	ctx   context.Context
	wg    sync.WaitGroup
	mu    sync.Mutex       // guards route, flows, busy and ending
	route map[string]*flow // channel, playback and recording ids to their owner
	flows map[*flow]struct{}
	// busy counts the clerks on a call through the service: a clerk on
	// another call is not rung for a callback until free.
	busy map[callcare.ClerkID]int
	// ending are channels the service keeps trying to end (keeper.go).
	ending map[string]bool
	// handedOver are channels sent to the dialplan (a continue answered)
	// that have not left the application yet: Asterisk carries a continue
	// out only once a playback ends. Nobody adopts them meanwhile.
	handedOver map[string]bool
	// taskLater are the numbers whose callback task is being written again
	// (tasklater.go); true once the citizen got through meanwhile.
	taskLater map[callcare.Number]bool

	app            string
	retryFor       time.Duration
	reconcileEvery time.Duration
	standbyPoll    time.Duration
	reconciling    sync.Mutex           // one reconciliation at a time
	unowned        map[string]time.Time // channels and bridges nobody owned, since when
	standby        atomic.Bool          // another client took the application
	// lines are the departments' waiting lines, by number (line.go).
	lines map[string]*lineOwner
	// The halves of transfers' Local pairs, by what their names share
	// (transfer.go): a ;2 waiting for its ;1, and a ;1's call waiting for
	// its ;2.
	pendingLocal map[string]*pendingHalf
	localFlows   map[string]*flow

	stray  atomic.Int64 // events for nobody: leftovers of ended calls, noise
	everUp atomic.Bool  // a later link up is a return, which the flows hear of
	linked atomic.Bool  // the event stream is up

	work    atomic.Int64 // work under way (see work.go)
	sleeper sleepClock   // the clock for goroutines that wait on it

	overload overload // when new calls go to the fallback (overload.go)
	saver    *saver   // writes the call log behind the calls (saver.go)
}

// New makes a service; Run starts it.
func New(opts Options, s Settings, store Stores) *Service {
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.App == "" {
		opts.App = "callcare"
	}
	if opts.WebsocketURL == "" {
		opts.WebsocketURL = strings.Replace(strings.TrimRight(opts.URL, "/"), "http", "ws", 1) + "/events"
	}
	if opts.PingEvery == 0 {
		opts.PingEvery = time.Second
	}
	if opts.PongWait <= 0 {
		opts.PongWait = 2 * time.Second
	}
	if opts.ReconcileEvery == 0 {
		opts.ReconcileEvery = 5 * time.Second
	}
	if opts.RetryFor == 0 {
		opts.RetryFor = 2 * time.Second
	}
	if opts.StandbyPoll <= 0 {
		opts.StandbyPoll = 10 * time.Second
	}
	if opts.MaxCalls == 0 {
		opts.MaxCalls = DefaultMaxCalls
	}
	if opts.MaxLatency == 0 {
		opts.MaxLatency = DefaultMaxLatency
	}
	if opts.MaxHostCPU == 0 {
		opts.MaxHostCPU = DefaultMaxHostCPU
	}
	if opts.MaxCallsPerSecond == 0 {
		opts.MaxCallsPerSecond = DefaultMaxCallsPerSecond
	}
	if opts.CallLogGather == 0 {
		opts.CallLogGather = 100 * time.Millisecond
	}
	if opts.HostCPU == nil {
		opts.HostCPU = procStat
	}
	svc := &Service{
		client:     newClient(opts.URL, opts.User, opts.Password, opts.App, opts.RequestTimeout, opts.MaxConnections),
		store:      store,
		observe:    opts.Observe,
		decided:    opts.Decided,
		clock:      opts.Clock,
		log:        opts.Logger,
		route:      map[string]*flow{},
		flows:      map[*flow]struct{}{},
		busy:       map[callcare.ClerkID]int{},
		ending:     map[string]bool{},
		handedOver: map[string]bool{},
		taskLater:  map[callcare.Number]bool{},
		unowned:    map[string]time.Time{},

		app:            opts.App,
		retryFor:       opts.RetryFor,
		reconcileEvery: opts.ReconcileEvery,
		standbyPoll:    opts.StandbyPoll,
		lines:          map[string]*lineOwner{},

		pendingLocal: map[string]*pendingHalf{},
		localFlows:   map[string]*flow{},

		overload: overload{maxCalls: opts.MaxCalls, maxLatency: opts.MaxLatency, maxCPU: opts.MaxHostCPU,
			cpu: cpuMeter{read: opts.HostCPU}, rate: callRate{perSecond: opts.MaxCallsPerSecond}},
	}
	svc.client.log = opts.Logger
	svc.saver = newSaver(svc, opts.CallLogGather)
	svc.work.Add(1) // Run's, which the link holds
	svc.sleeper = sleepClock{opts.Clock, &svc.work}
	svc.link = &Link{
		url: opts.WebsocketURL, user: opts.User, password: opts.Password, app: opts.App, log: opts.Logger,
		clock: svc.sleeper, work: &svc.work,
		pingEvery: opts.PingEvery, pongWait: opts.PongWait,
		Hold: svc.holdWhileReplaced,
		OnUp: svc.linkUp,
		OnDown: func(error) {
			svc.linked.Store(false)
			svc.broadcast(policy.LinkLost{})
		},
		OnEvent: svc.dispatch,
	}
	svc.SetSettings(s)
	svc.meter(opts.Metrics)
	return svc
}

// SetSettings replaces the settings for calls that start from now on.
func (s *Service) SetSettings(set Settings) { s.settings.Store(&set) }

// Run serves calls and runs the callback scheduler until ctx ends, then
// waits for the owners to stop. Calls stay up in Asterisk: the next run
// adopts them. It returns a *CredentialsError, at once, when Asterisk
// refuses the ARI user or password; nil when ctx ends.
func (s *Service) Run(ctx context.Context) error {
	defer s.work.Add(-1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.ctx = ctx
	s.saver.run(ctx)
	s.recover(ctx)
	s.spawn(func() { s.schedule(ctx) })
	s.spawn(func() { s.reconcileEveryFew(ctx) })
	err := s.link.Run(ctx)
	cancel()
	s.dropPendingHalves()
	s.wg.Wait()
	s.saver.stop(ctx)                    // every call has stopped: what they saved is written
	s.client.http.CloseIdleConnections() // nothing of the run outlives it
	return err
}

// CloseIdleConnections closes the REST pool's idle connections now rather
// than after their idle time: for a bench that counts goroutines.
func (s *Service) CloseIdleConnections() { s.client.http.CloseIdleConnections() }

// Ready tells whether the service takes calls now: the event stream is up
// and the application is its own.
func (s *Service) Ready() bool { return s.linked.Load() && !s.standby.Load() }

// Stats is what the service has seen and done.
type Stats struct {
	Requests    int64 // REST requests made
	Link        LinkStats
	Stray       int64 // events for nobody
	ActiveCalls int   // calls and clerks' sessions under way
	Linked      bool  // the event stream is up, and the calls know it
	// ToFallback counts the citizens' calls handed to the dialplan's
	// fallback at once for want of capacity (overload.go), the ones the
	// dialplan sent there itself while the service was full included.
	ToFallback int64
	// EventsLate is how late new calls' StasisStart came, on average.
	EventsLate time.Duration
	// Latency is the recent average time of a REST request, with its wait
	// for a free connection.
	Latency time.Duration
	// Work counts what is under way: inputs calls and sessions have not
	// finished handling, helpers at work, the link connecting (see
	// work.go). 0 means every goroutine waits for the clock or for the
	// socket; after Run it is 0.
	Work int64
}

func (s *Service) Stats() Stats {
	s.mu.Lock()
	n := len(s.flows)
	s.mu.Unlock()
	return Stats{Requests: s.client.Requests(), Link: s.link.Stats(), Stray: s.stray.Load(), ActiveCalls: n,
		Linked: s.linked.Load(), Work: s.work.Load(), ToFallback: s.overload.shed.Load(), Latency: s.client.latency.get(),
		EventsLate: s.overload.lag.get()}
}

func (s *Service) linkUp(ctx context.Context) {
	// The filter belongs to the registration, which a reconnect renews.
	// Asterisk registers the application just after the handshake, so the
	// first try can find no application yet. That wait is on the wall
	// clock whatever the service's: it is Asterisk's own moment, not a
	// time of the procedure.
	retry := clock.Backoff{Min: 10 * time.Millisecond, Max: 640 * time.Millisecond}
	var err error
	for range 8 {
		if err = s.client.AllowEvents(ctx, eventsNeeded); !IsNotFound(err) || retry.BackOff(ctx, err) != nil {
			break
		}
	}
	if err != nil {
		s.log.Warn("cannot set the event filter; receiving every event", "err", err)
	}
	if !s.overload.shedding() {
		s.tellDialplan(ctx, 0) // a run that ended while full left it set
	}
	s.linked.Store(true)
	if s.everUp.Swap(true) {
		s.broadcast(policy.LinkBack{})
	}
	s.log.Info("ready: taking calls", "app", s.app)
	s.reconcileAfterConnect(ctx)
}

// dispatch runs on the link's reading goroutine: it only routes.
func (s *Service) dispatch(ev ari.Event) {
	id := subject(ev)
	s.mu.Lock()
	f := s.route[id]
	s.mu.Unlock()
	if f != nil {
		f.in.push(heard{ev, s.link.readAt})
		return
	}
	switch ev := ev.(type) {
	case *ari.StasisStart:
		if s.transferHalf(ev) {
			return // a clerk's transfer, the call's own (P4o)
		}
		switch {
		case s.standby.Load():
			// Another instance holds the application: its call.
		case len(ev.Args) > 0 && ev.Args[0] == "inbound":
			if s.admit(ev) {
				s.startCall(ev)
			}
		case len(ev.Args) > 0 && ev.Args[0] == "clerk":
			s.startQueue(ev)
		case len(ev.Args) > 0 && ev.Args[0] == "forward":
			s.startForward(ev)
		case len(ev.Args) > 0 && ev.Args[0] == "menu":
			if s.admit(ev) { // a main number's call counts as any other
				s.startMenu(ev)
			}
		case len(ev.Args) > 0 && ev.Args[0] == "documents":
			s.startNoticeCode(ev)
		default:
			// A leg of a call nobody owns any more (an earlier run's
			// callback answered late): nobody would be on the line.
			s.hangupLater(ev.Channel.ID)
		}
		return
	case *ari.ApplicationReplaced:
		s.replaced()
		return
	case *ari.StasisEnd, *ari.ChannelDestroyed:
		s.mu.Lock()
		handed := s.handedOver[id]
		delete(s.handedOver, id)
		s.mu.Unlock()
		if handed {
			return // the dialplan has it now, as the service asked
		}
	}
	s.stray.Add(1)
}

// handOver notes that a continue sent id to the dialplan: until it leaves
// the application, it is nobody's to adopt.
func (s *Service) handOver(id string) {
	s.mu.Lock()
	s.handedOver[id] = true
	s.mu.Unlock()
}

// subject is the id an event is about: the dialed channel for Dial (which
// never carries its caller), the playback or recording for theirs.
func subject(ev ari.Event) string {
	switch e := ev.(type) {
	case *ari.Dial:
		return e.Peer.ID
	case *ari.StasisStart:
		return e.Channel.ID
	case *ari.StasisEnd:
		return e.Channel.ID
	case *ari.ChannelHangupRequest:
		return e.Channel.ID
	case *ari.ChannelDestroyed:
		return e.Channel.ID
	case *ari.ChannelDtmfReceived:
		return e.Channel.ID
	case *ari.PlaybackFinished:
		return e.Playback.ID
	case *ari.RecordingFinished:
		return e.Recording.Name
	case *ari.RecordingFailed:
		return e.Recording.Name
	}
	return waitingSubject(ev)
}

// session is the desk phone's settings, with how citizens' calls are
// served: a callback's conversation is held and transferred as any.
func (set *Settings) session() policy.SessionSettings {
	s := set.Session
	s.Inbound, s.Directory = set.Inbound, set.Directory
	return s
}

// resolve finds who a dialed number reaches and the chain it rings through
// at now, with the absences in book (P4c); a dedicated line marks the
// caller as having special needs (P5.3). It returns the warnings of
// forwards that looped at call time.
func (set *Settings) resolve(a *policy.Arrival, book *callcare.Absences, now time.Time) ([]string, error) {
	a.Needs = set.Needs.NeedsOf(a.CallerID, a.Dialed)
	t, ok := set.Lines[a.Dialed]
	if !ok {
		t, ok = dialplan.Resolve(set.Directory, a.Dialed)
	}
	if !ok && set.Menu.Menu.Has(a.Dialed) {
		t, ok = set.Menu.Menu.Operator, true // a menu number of no one's: its operator
	}
	if !ok {
		return nil, nil
	}
	r, err := policy.RouteCall(set.Directory, book, t, now)
	a.Target, a.Found, a.Steps = t, true, r.Steps
	a.Forwarded, a.OnDuty = r.Forwarded, r.OnDuty
	return r.Warnings, err
}

// start registers a flow under its first ids and runs it.
func (s *Service) start(f *flow, ids ...string) {
	f.in.track(&s.work)
	s.mu.Lock()
	for _, id := range ids {
		s.route[id] = f
	}
	s.flows[f] = struct{}{}
	s.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		f.run(s.ctx)
	}()
}

func (s *Service) addRoute(id string, f *flow) {
	s.mu.Lock()
	s.route[id] = f
	s.mu.Unlock()
}

func (s *Service) forget(f *flow, ids []string) {
	var stranded []string
	s.mu.Lock()
	for _, id := range ids {
		if s.route[id] == f {
			delete(s.route, id)
		}
	}
	for _, id := range f.halves {
		if s.route[id] == f {
			delete(s.route, id)
			if !slices.Contains(ids, id) {
				stranded = append(stranded, id)
			}
		}
	}
	for base, g := range s.localFlows { // a ;1 came as the call ended
		if g == f {
			delete(s.localFlows, base)
		}
	}
	delete(s.flows, f)
	s.mu.Unlock()
	f.in.close()
	// A transfer's Local channels that came as the call ended, which the
	// call never took: nobody else will end them.
	for _, id := range stranded {
		s.hangupUntilGone(id, "hang up a transfer's channel its call ended before taking")
	}
}

func (s *Service) broadcast(ev policy.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for f := range s.flows {
		f.in.push(ev)
	}
}

// setBusy counts a clerk onto or off a call.
func (s *Service) setBusy(clerk callcare.ClerkID, on bool) {
	if clerk == "" {
		return
	}
	s.mu.Lock()
	free := false
	if on {
		s.busy[clerk]++
	} else if s.busy[clerk]--; s.busy[clerk] <= 0 {
		delete(s.busy, clerk)
		free = true
	}
	s.mu.Unlock()
	if free {
		s.freed(clerk) // a caller may wait in line for them (P5.3)
	}
}

func (s *Service) isBusy(clerk callcare.ClerkID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.busy[clerk] > 0
}
