package ari

import (
	"context"
	"log/slog"
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

// Settings is what the service reads from the configuration for each new
// call. A call keeps the settings it started with.
type Settings struct {
	Directory *callcare.Directory
	Procedure callcare.Procedure
	Sounds    policy.Sounds
}

// Recorder keeps call records (the sqlite store in production).
type Recorder interface {
	SaveCall(ctx context.Context, rec callcare.CallRecord) error
}

// Options say how to reach Asterisk.
type Options struct {
	URL            string // REST base, e.g. http://127.0.0.1:8088/ari
	WebsocketURL   string // e.g. ws://127.0.0.1:8088/ari/events
	User, Password string
	App            string
	RequestTimeout time.Duration
	Clock          clock.Clock
	Logger         *slog.Logger
	// Observe, if set, is told of every step of every call, on the call's
	// goroutine: the demo's timeline, and later the metrics. Keep it quick.
	Observe func(Step)
}

// Step is one step of a call: what happened (nil when the call arrives),
// what the policy decided, and the record as it then stands.
type Step struct {
	Call    string
	At      time.Time
	Event   policy.Event
	Actions []policy.Action
	Record  callcare.CallRecord
}

// eventsNeeded are the only event types the call path asks Asterisk for.
var eventsNeeded = []string{
	ari.Events.StasisStart, ari.Events.StasisEnd, ari.Events.Dial,
	ari.Events.PlaybackFinished, ari.Events.ApplicationReplaced,
}

// Service runs the Stasis application: it starts one owner per call and
// routes events to it.
type Service struct {
	client   *Client
	link     *Link
	store    Recorder
	observe  func(Step)
	clock    clock.Clock
	log      *slog.Logger
	settings atomic.Pointer[Settings]

	ctx   context.Context
	wg    sync.WaitGroup
	mu    sync.Mutex       // guards routes and calls
	route map[string]*call // channel and playback ids to the call that owns them
	calls map[*call]struct{}

	stray  atomic.Int64 // events for no call: leftovers of ended calls, noise
	everUp atomic.Bool  // a later link up is a return, which the calls hear of
}

// New makes a service; Run starts it.
func New(opts Options, s Settings, store Recorder) *Service {
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
	svc := &Service{
		client:  NewClient(opts.URL, opts.User, opts.Password, opts.App, opts.RequestTimeout),
		store:   store,
		observe: opts.Observe,
		clock:   opts.Clock,
		log:     opts.Logger,
		route:   map[string]*call{},
		calls:   map[*call]struct{}{},
	}
	svc.link = &Link{
		url: opts.WebsocketURL, user: opts.User, password: opts.Password, app: opts.App, log: opts.Logger,
		OnUp:    svc.linkUp,
		OnDown:  func(error) { svc.broadcast(policy.LinkLost{}) },
		OnEvent: svc.dispatch,
	}
	svc.SetSettings(s)
	return svc
}

// SetSettings replaces the settings for calls that start from now on.
func (s *Service) SetSettings(set Settings) { s.settings.Store(&set) }

// Run serves calls until ctx ends, then waits for the call owners to stop.
// Calls stay up in Asterisk: a restarted service can adopt them.
func (s *Service) Run(ctx context.Context) {
	s.ctx = ctx
	s.link.Run(ctx)
	s.wg.Wait()
}

// Stats is what the service has seen and done.
type Stats struct {
	Requests    int64 // REST requests made
	Link        LinkStats
	Stray       int64 // events for no live call
	ActiveCalls int
}

func (s *Service) Stats() Stats {
	s.mu.Lock()
	n := len(s.calls)
	s.mu.Unlock()
	return Stats{Requests: s.client.Requests(), Link: s.link.Stats(), Stray: s.stray.Load(), ActiveCalls: n}
}

func (s *Service) linkUp(ctx context.Context) {
	// The filter belongs to the registration, which a reconnect renews.
	// Asterisk registers the application just after the handshake, so the
	// first try can find no application yet.
	var err error
	for wait := 10 * time.Millisecond; wait < time.Second; wait *= 2 {
		if err = s.client.AllowEvents(ctx, eventsNeeded); !IsNotFound(err) {
			break
		}
		sleep(ctx, wait)
	}
	if err != nil {
		s.log.Warn("cannot set the event filter; receiving every event", "err", err)
	}
	if s.everUp.Swap(true) {
		s.broadcast(policy.LinkBack{})
	}
}

// dispatch runs on the link's reading goroutine: it only routes.
func (s *Service) dispatch(ev ari.Event) {
	id := subject(ev)
	s.mu.Lock()
	c := s.route[id]
	s.mu.Unlock()
	if c != nil {
		c.in.push(ev)
		return
	}
	if st, ok := ev.(*ari.StasisStart); ok && len(st.Args) > 0 && st.Args[0] == "inbound" {
		s.startCall(st)
		return
	}
	s.stray.Add(1)
}

// subject is the id an event is about: the dialed channel for Dial (which
// never carries its caller), the playback for playback events.
func subject(ev ari.Event) string {
	switch e := ev.(type) {
	case *ari.Dial:
		return e.Peer.ID
	case *ari.StasisStart:
		return e.Channel.ID
	case *ari.StasisEnd:
		return e.Channel.ID
	case *ari.ChannelDestroyed:
		return e.Channel.ID
	case *ari.ChannelHangupRequest:
		return e.Channel.ID
	case *ari.PlaybackFinished:
		return e.Playback.ID
	case *ari.PlaybackStarted:
		return e.Playback.ID
	}
	return ""
}

func (s *Service) startCall(st *ari.StasisStart) {
	dialed := ""
	if len(st.Args) > 1 {
		dialed = st.Args[1]
	}
	var callerID, callerName string
	if st.Channel.Caller != nil {
		callerID, callerName = st.Channel.Caller.Number, st.Channel.Caller.Name
	}
	c := &call{
		svc:      s,
		id:       st.Channel.ID,
		caller:   st.Channel.ID,
		settings: s.settings.Load(),
		in:       newInbox(),
		log:      s.log.With("call", st.Channel.ID),
	}
	c.arrival = policy.Arrival{CallID: c.id, CallerID: callerID, CallerName: callerName, Dialed: dialed}
	s.mu.Lock()
	s.route[c.caller] = c
	s.calls[c] = struct{}{}
	s.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		c.run(s.ctx)
	}()
}

// resolve finds who a dialed number reaches and the chain it rings through.
func (set *Settings) resolve(a *policy.Arrival) error {
	t, ok := dialplan.Resolve(set.Directory, a.Dialed)
	if !ok {
		return nil
	}
	steps, err := set.Directory.Chain(t)
	a.Target, a.Found, a.Steps = t, true, steps
	return err
}

func (s *Service) addRoute(id string, c *call) {
	s.mu.Lock()
	s.route[id] = c
	s.mu.Unlock()
}

func (s *Service) forget(c *call, ids []string) {
	s.mu.Lock()
	for _, id := range ids {
		if s.route[id] == c {
			delete(s.route, id)
		}
	}
	delete(s.calls, c)
	s.mu.Unlock()
}

func (s *Service) broadcast(ev policy.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.calls {
		c.in.push(ev)
	}
}
