package pbxsim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/callcare/callcare/clock"
)

// Options configure a Server. The zero value is usable.
type Options struct {
	// User and Password are the ARI credentials; both default to "callcare".
	User, Password string
	// Clock drives every timer and timestamp; default clock.Real{}.
	Clock clock.Clock
	// Logger receives what the simulator does; default: discarded.
	Logger *slog.Logger
	// AutoPhones makes every SIP/x and PJSIP/x endpoint exist and answer
	// 3 s after it starts ringing, unless SetPhone says otherwise. Without
	// it, dialing an endpoint nobody set up fails as Asterisk fails for an
	// unknown peer: 500 {"error":"Allocation failed"}.
	AutoPhones bool
	// Sounds adds sounds (name without "sound:" to duration) to the ones
	// the simulator knows.
	Sounds map[string]time.Duration
	// StasisAfterCreate delays a created channel's StasisStart past the
	// reply to /channels/create, as a real Asterisk often does: until then
	// a dial answers 409 "Channel not in Stasis application".
	StasisAfterCreate time.Duration
	// SessionLimit is Asterisk's http.conf sessionlimit: an HTTP
	// connection beyond it is closed at once, unanswered (Asterisk logs
	// "HTTP session count exceeded"), so a request on it fails with EOF.
	// A WebSocket counts only until its handshake. Default 100, as
	// Asterisk's; negative for no limit.
	SessionLimit int
}

// Server is a simulated Asterisk 20: ARI REST under /ari, the event
// WebSocket at /ari/events, and a small control API under /sim.
type Server struct {
	opts  Options
	clock clock.Clock
	log   *slog.Logger

	srv     *http.Server
	handler http.Handler
	routes  []route

	lnMu       sync.Mutex // guards ln, addr, connStates
	ln         net.Listener
	addr       string
	connStates map[net.Conn]http.ConnState
	eventsSent int64 // atomic
	// HTTP sessions refused past SessionLimit, and the most open at once
	sessionsRefused, mostSessions atomic.Int64
	busy                          atomic.Int64                  // requests being served, a restart's return: see Activity
	frozen                        atomic.Pointer[chan struct{}] // Freeze: closed by Thaw

	// mu guards all simulated state below: one lock, held by every REST
	// request and every timer for the whole of its work.
	mu       sync.Mutex
	closed   bool
	wg       sync.WaitGroup // REST requests, WebSocket sessions, writers
	epoch    int            // bumped by Restart: older timers are void
	timers   map[*simTimer]struct{}
	started  time.Time // startup_time
	entityID string
	idBase   int64
	seq      int
	localSeq int // Local channel pairs made, for their names
	// localOneFirst: SetTransferOneFirst.
	localOneFirst bool

	apps       map[string]*app
	clients    map[*wsClient]struct{}
	channels   map[string]*channel
	bridges    map[string]*bridge
	playbacks  map[string]*playback
	liveRecs   map[string]*recording
	storedRecs map[string]storedRecording
	phones     map[string]*phoneState
	sounds     map[string]time.Duration
	globals    map[string]string // the dialplan's global variables
	shedDrawn  int               // Caller.Overloaded's draws so far, percent
	delay      time.Duration
	failures   []*failRule
	stats      Stats
	offered    []Offer             // calls offered to phones, for tests
	endedHeard map[string][]string // what ended phones' channels heard, for tests
	reorder    bool                // SetEventReorder
	held       *heldEvent          // an event held back to be swapped
	appsMoved  chan struct{}       // closed and replaced when an application comes or goes

	onNewChannel func(id string) // tests: learn ids in creation order
}

// Stats counts what the server did.
type Stats struct {
	Requests       int            // every REST request under /ari
	RequestsByPath map[string]int // "METHOD /route/{template}" to count
	EventsSent     int            // events written to WebSockets
	EventsFiltered int            // events an application's filter kept back
	// HeldBehindPlayback counts the requests a real Asterisk answers only
	// once the channel's playback ends (POST /channels/{id}/variable;
	// trace playback-holds-commands): a client that sends one during a
	// tone that plays until stopped waits for ever. The simulator answers
	// at once, and counts.
	HeldBehindPlayback int
	// SessionsRefused counts the HTTP connections closed unanswered
	// because SessionLimit were open (Options.SessionLimit).
	SessionsRefused int
	// MostSessions is the most HTTP sessions open at once.
	MostSessions int
}

// NewServer starts a simulated Asterisk on 127.0.0.1 at a free port, like
// httptest.NewServer. Close it when done.
func NewServer(opts Options) *Server {
	s := NewUnstartedServer(opts)
	if err := s.Start("127.0.0.1:0"); err != nil {
		panic(fmt.Sprintf("pbxsim: %v", err))
	}
	return s
}

// NewUnstartedServer returns a server that serves nothing until Start; its
// Handler works at once.
func NewUnstartedServer(opts Options) *Server {
	if opts.User == "" {
		opts.User = "callcare"
	}
	if opts.Password == "" {
		opts.Password = "callcare"
	}
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.SessionLimit == 0 {
		opts.SessionLimit = 100
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Server{
		opts:       opts,
		clock:      opts.Clock,
		log:        opts.Logger,
		connStates: map[net.Conn]http.ConnState{},
		timers:     map[*simTimer]struct{}{},
		entityID:   "02:fc:00:00:00:01",
		apps:       map[string]*app{},
		clients:    map[*wsClient]struct{}{},
		channels:   map[string]*channel{},
		bridges:    map[string]*bridge{},
		playbacks:  map[string]*playback{},
		liveRecs:   map[string]*recording{},
		storedRecs: map[string]storedRecording{},
		phones:     map[string]*phoneState{},
		globals:    map[string]string{},
		endedHeard: map[string][]string{},
		sounds:     map[string]time.Duration{},
		stats:      Stats{RequestsByPath: map[string]int{}},
		appsMoved:  make(chan struct{}),
	}
	for name, d := range knownSounds {
		s.sounds[name] = d
	}
	for name, d := range opts.Sounds {
		s.sounds[name] = d
	}
	s.started = s.clock.Now()
	s.idBase = s.started.Unix()
	s.routes = s.ariRoutes()
	s.handler = s.newHandler()
	s.srv = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ConnState:         s.trackConn,
		ErrorLog:          nil,
	}
	return s
}

// Start listens on addr (":8088", "127.0.0.1:0") and serves in the
// background.
func (s *Server) Start(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.lnMu.Lock()
	s.ln = ln
	s.addr = ln.Addr().String()
	s.lnMu.Unlock()
	s.serve(ln)
	s.log.Info("pbxsim listening", "addr", s.addr)
	return nil
}

func (s *Server) serve(ln net.Listener) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		err := s.srv.Serve(freezeListener{ln, s})
		if err != nil && !errors.Is(err, http.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
			s.log.Warn("pbxsim serve", "err", err)
		}
	}()
}

func (s *Server) trackConn(c net.Conn, st http.ConnState) {
	s.lnMu.Lock()
	defer s.lnMu.Unlock()
	if st == http.StateClosed {
		delete(s.connStates, c)
		return
	}
	if st == http.StateNew {
		// Asterisk counts a session from its first moment to its end, or
		// until a WebSocket takes the connection over.
		n := 0
		for _, cs := range s.connStates {
			if cs != http.StateHijacked {
				n++
			}
		}
		if lim := s.opts.SessionLimit; lim > 0 && n >= lim {
			s.sessionsRefused.Add(1)
			_ = c.Close()
			return
		}
		if int64(n+1) > s.mostSessions.Load() {
			s.mostSessions.Store(int64(n + 1))
		}
	}
	s.connStates[c] = st
}

// connFor finds the network connection of a request by its remote address,
// so a WebSocket can be cut without a close frame.
func (s *Server) connFor(remote string) net.Conn {
	s.lnMu.Lock()
	defer s.lnMu.Unlock()
	for c := range s.connStates {
		if c.RemoteAddr().String() == remote {
			return c
		}
	}
	return nil
}

// Addr is the host:port the server listens on.
func (s *Server) Addr() string {
	s.lnMu.Lock()
	defer s.lnMu.Unlock()
	if s.addr == "" {
		return ""
	}
	host, port, err := net.SplitHostPort(s.addr)
	if err != nil {
		return s.addr
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// URL is the ARI base URL, "http://127.0.0.1:PORT/ari".
func (s *Server) URL() string { return "http://" + s.Addr() + "/ari" }

// WebsocketURL is the event URL, "ws://127.0.0.1:PORT/ari/events".
func (s *Server) WebsocketURL() string { return "ws://" + s.Addr() + "/ari/events" }

// Handler serves the whole simulator (ARI and /sim) without a socket, for
// tests with httptest.NewRecorder and for fuzzing.
func (s *Server) Handler() http.Handler { return s.handler }

// Close stops the server, cuts every WebSocket, stops every timer and
// waits for its goroutines. The error lists channels, bridges and
// playbacks still alive and timers still pending, which usually means a
// test forgot to hang up, or its client left something behind.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	var leftovers []string
	for _, ch := range s.channels {
		leftovers = append(leftovers, fmt.Sprintf("channel %s (%s, %s)", ch.id, ch.name, ch.state))
	}
	for _, b := range s.bridges {
		leftovers = append(leftovers, fmt.Sprintf("bridge %s (%d channels)", b.id, len(b.members)))
	}
	for _, p := range s.playbacks {
		leftovers = append(leftovers, fmt.Sprintf("playback %s (%s)", p.id, p.media))
	}
	if n := len(s.timers); n > 0 {
		leftovers = append(leftovers, fmt.Sprintf("%d timers", n))
	}
	for t := range s.timers {
		t.t.Stop()
	}
	s.timers = map[*simTimer]struct{}{}
	for _, ch := range s.channels {
		ch.finish()
	}
	clients := s.allClientsLocked()
	s.mu.Unlock()
	s.Thaw()

	for _, c := range clients {
		c.close(true)
	}
	s.lnMu.Lock()
	s.ln = nil
	s.lnMu.Unlock()
	_ = s.srv.Close()
	s.closeConns()
	s.wg.Wait()
	if len(leftovers) > 0 {
		sort.Strings(leftovers)
		return fmt.Errorf("pbxsim: still alive at close: %s", strings.Join(leftovers, ", "))
	}
	return nil
}

func (s *Server) closeConns() {
	s.lnMu.Lock()
	conns := make([]net.Conn, 0, len(s.connStates))
	for c := range s.connStates {
		conns = append(conns, c)
	}
	s.lnMu.Unlock()
	for _, c := range conns {
		_ = c.Close()
	}
}

// Shutdown is Close with a context, for cmd wiring.
func (s *Server) Shutdown(ctx context.Context) error {
	done := make(chan error, 1)
	go func() { done <- s.Close() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// simTimer is a timer of the simulated world. It fires with s.mu held and
// does nothing once the server closed or restarted.
type simTimer struct {
	t     clock.Timer
	epoch int
}

// after runs f after d on the server's clock, with s.mu held. Call it with
// s.mu held.
func (s *Server) after(d time.Duration, f func()) *simTimer {
	st := &simTimer{epoch: s.epoch}
	s.timers[st] = struct{}{}
	if d < 0 {
		d = 0
	}
	st.t = s.clock.AfterFunc(d, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, ok := s.timers[st]; !ok || s.closed || st.epoch != s.epoch {
			return
		}
		delete(s.timers, st)
		f()
		s.trackSilence()
	})
	return st
}

// stop cancels a timer; call with s.mu held. A nil timer is fine.
func (s *Server) stop(st *simTimer) {
	if st == nil {
		return
	}
	if _, ok := s.timers[st]; ok {
		delete(s.timers, st)
		st.t.Stop()
	}
}

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.EventsSent = int(atomic.LoadInt64(&s.eventsSent))
	st.SessionsRefused = int(s.sessionsRefused.Load())
	st.MostSessions = int(s.mostSessions.Load())
	st.RequestsByPath = make(map[string]int, len(s.stats.RequestsByPath))
	for k, v := range s.stats.RequestsByPath {
		st.RequestsByPath[k] = v
	}
	return st
}
