package pbxsim

import (
	"encoding/json"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/websocket"
)

// app is a Stasis application. It exists only while a WebSocket holds it.
type app struct {
	name       string
	client     *wsClient
	allowed    []string // event types; empty allows all
	disallowed []string
	allowedRaw []any
	disallRaw  []any
}

// passes applies the application's event filter as Asterisk 20 does: an
// event must match the allowed list (if any) and no entry of the
// disallowed list.
func (a *app) passes(typ string) bool {
	if len(a.allowed) > 0 && !slices.Contains(a.allowed, typ) {
		return false
	}
	return !slices.Contains(a.disallowed, typ)
}

// emit sends an event to the client holding appName. With no client the
// event is lost, as Asterisk loses it. Call with s.mu held.
func (s *Server) emit(appName string, typ string, ev event) {
	a := s.apps[appName]
	if a == nil || a.client == nil {
		return
	}
	if !a.passes(typ) {
		s.stats.EventsFiltered++
		return
	}
	ev["type"] = typ
	ev["application"] = appName
	ev["asterisk_id"] = s.entityID
	ev["timestamp"] = ts(s.clock.Now())
	data, err := json.Marshal(ev)
	if err != nil {
		s.log.Error("pbxsim: marshal event", "type", typ, "err", err)
		return
	}
	if s.reorder {
		s.swap(a.client, data)
		return
	}
	a.client.enqueue(data, s.clock.Now(), s.delay)
}

// swap sends events in swapped pairs: each one is held back until the next
// one has gone, or for a few milliseconds if none comes.
func (s *Server) swap(c *wsClient, data []byte) {
	held := s.held
	if held == nil || held.c != c {
		if held != nil {
			s.stop(held.timer)
			held.c.enqueue(held.data, s.clock.Now(), s.delay)
		}
		h := &heldEvent{c: c, data: data}
		s.held = h
		h.timer = s.after(5*time.Millisecond, func() {
			if s.held == h {
				s.held = nil
				c.enqueue(data, s.clock.Now(), s.delay)
			}
		})
		return
	}
	s.held = nil
	s.stop(held.timer)
	c.enqueue(data, s.clock.Now(), s.delay)
	c.enqueue(held.data, s.clock.Now(), s.delay)
}

type heldEvent struct {
	c     *wsClient
	data  []byte
	timer *simTimer
}

// emitChannel sends a channel event to the channel's application.
func (s *Server) emitChannel(ch *channel, typ string, ev event) {
	if ev == nil {
		ev = event{}
	}
	ev["channel"] = ch.json()
	s.emit(ch.app, typ, ev)
}

// wsClient is one WebSocket connection and its writer.
type wsClient struct {
	s    *Server
	apps []string
	ws   *websocket.Conn
	raw  net.Conn // for a cut without a close frame
	addr string   // the client's address, as Activity reports it

	mu       sync.Mutex
	queue    []frame
	enq      uint64
	sent     uint64
	progress chan struct{} // closed and replaced whenever sent advances
	closing  bool          // drain the queue, then cut
	holding  bool          // the writer waits for the clock (SetEventDelay)
	closed   bool
	wake     chan struct{}
	done     chan struct{}
}

type frame struct {
	data []byte
	at   time.Time
	hold time.Duration
}

func (c *wsClient) enqueue(data []byte, at time.Time, hold time.Duration) {
	c.mu.Lock()
	if c.closed || c.closing {
		c.mu.Unlock()
		return
	}
	c.queue = append(c.queue, frame{data, at, hold})
	c.enq++
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// writeLoop sends queued frames in order.
func (c *wsClient) writeLoop() {
	defer c.s.wg.Done()
	for {
		c.mu.Lock()
		for len(c.queue) == 0 && !c.closed && !c.closing {
			c.mu.Unlock()
			select {
			case <-c.wake:
			case <-c.done:
			}
			c.mu.Lock()
		}
		if c.closed || (c.closing && len(c.queue) == 0) {
			c.mu.Unlock()
			c.close(true)
			return
		}
		f := c.queue[0]
		c.queue = c.queue[1:]
		c.mu.Unlock()

		if f.hold > 0 {
			if wait := f.at.Add(f.hold).Sub(c.s.clock.Now()); wait > 0 {
				fired := make(chan struct{})
				// Holding only once the timer is set (a test that sees
				// the writer hold must find it), and before it can fire.
				c.mu.Lock()
				t := c.s.clock.AfterFunc(wait, func() {
					c.mu.Lock()
					c.holding = false
					c.mu.Unlock()
					close(fired)
				})
				c.holding = true
				c.mu.Unlock()
				select {
				case <-fired:
				case <-c.done:
					t.Stop()
				}
			}
		}
		if err := websocket.Message.Send(c.ws, string(f.data)); err != nil {
			c.close(true)
			return
		}
		c.s.countSent()
		c.mu.Lock()
		c.sent++
		close(c.progress)
		c.progress = make(chan struct{})
		c.mu.Unlock()
	}
}

// close ends the connection; abrupt cuts the TCP connection without a
// WebSocket close frame (the client sees 1006).
func (c *wsClient) close(abrupt bool) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	close(c.done)
	c.mu.Unlock()
	if abrupt && c.raw != nil {
		_ = c.raw.Close()
	} else {
		_ = c.ws.Close()
	}
}

// closeAfterFlush sends what is queued, then cuts the connection.
func (c *wsClient) closeAfterFlush() {
	c.mu.Lock()
	c.closing = true
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// waitSent waits until the client wrote n frames, closed, or a second passed.
func (c *wsClient) waitSent(n uint64) {
	deadline := time.NewTimer(time.Second)
	defer deadline.Stop()
	for {
		c.mu.Lock()
		if c.sent >= n || c.closed {
			c.mu.Unlock()
			return
		}
		p := c.progress
		c.mu.Unlock()
		select {
		case <-p:
		case <-c.done:
			return
		case <-deadline.C:
			return
		}
	}
}

// flush waits until every event emitted so far is on the wire, so a REST
// reply follows the events it caused (a created channel's StasisStart
// comes before the reply to /channels/create). Call without s.mu.
func (s *Server) flush() {
	s.mu.Lock()
	if s.delay > 0 {
		s.mu.Unlock()
		return
	}
	type mark struct {
		c *wsClient
		n uint64
	}
	var marks []mark
	for c := range s.clients {
		c.mu.Lock()
		marks = append(marks, mark{c, c.enq})
		c.mu.Unlock()
	}
	s.mu.Unlock()
	for _, m := range marks {
		m.c.waitSent(m.n)
	}
}

func (s *Server) allClientsLocked() []*wsClient {
	out := make([]*wsClient, 0, len(s.clients))
	for c := range s.clients {
		out = append(out, c)
	}
	return out
}

const htmlError = "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\r\n<html><head>\r\n<title>%d %s</title>\r\n</head><body>\r\n<h1>%s</h1>\r\n<p>%s</p>\r\n<hr />\r\n<address>Asterisk/20.21.0</address>\r\n</body></html>\r\n"

func writeHTMLError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(status)
	text := http.StatusText(status)
	_, _ = w.Write([]byte(sprintf(htmlError, status, text, text, msg)))
}

// serveEvents is GET /ari/events: the WebSocket handshake and session.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !q.Has("app") {
		writeHTMLError(w, http.StatusBadRequest, "HTTP request is missing param: [app]")
		return
	}
	names := strings.Split(q.Get("app"), ",")
	for _, n := range names {
		if n == "" || len(n) >= 100 {
			writeHTMLError(w, http.StatusInternalServerError, "Stasis app registration failed")
			return
		}
	}
	if _, canHijack := w.(http.Hijacker); !canHijack {
		writeHTMLError(w, http.StatusInternalServerError, "WebSocket upgrade not possible")
		return
	}
	wsrv := websocket.Server{Handler: func(ws *websocket.Conn) { s.session(ws, r.RemoteAddr, names) }}
	wsrv.ServeHTTP(w, r)
}

// session registers the client's applications and reads until the
// connection ends; then the applications it still holds are gone.
func (s *Server) session(ws *websocket.Conn, remote string, names []string) {
	c := &wsClient{
		s:        s,
		apps:     names,
		ws:       ws,
		raw:      s.connFor(remote),
		addr:     remote,
		progress: make(chan struct{}),
		wake:     make(chan struct{}, 1),
		done:     make(chan struct{}),
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = ws.Close()
		return
	}
	s.clients[c] = struct{}{}
	s.wg.Add(1)
	go c.writeLoop()
	for _, n := range names {
		if old := s.apps[n]; old != nil && old.client != nil && old.client != c {
			s.emit(n, "ApplicationReplaced", event{})
		}
		s.apps[n] = &app{name: n, client: c}
	}
	s.appsChangedLocked()
	s.mu.Unlock()
	s.log.Info("pbxsim: websocket connected", "apps", names)

	var msg string
	for {
		if err := websocket.Message.Receive(ws, &msg); err != nil {
			break
		}
	}
	c.close(true)
	s.mu.Lock()
	delete(s.clients, c)
	for _, n := range names {
		if a := s.apps[n]; a != nil && a.client == c {
			delete(s.apps, n)
		}
	}
	s.appsChangedLocked()
	s.mu.Unlock()
	s.log.Info("pbxsim: websocket closed", "apps", names)
}

// DropWebSocket cuts every client WebSocket without a close frame, as a
// network failure does. Channels stay in Stasis; events until a client
// connects again are lost.
func (s *Server) DropWebSocket() {
	s.mu.Lock()
	clients := s.allClientsLocked()
	s.mu.Unlock()
	for _, c := range clients {
		c.close(true)
	}
}

// SetEventDelay delays every event by d (on the server's clock) from now on.
func (s *Server) SetEventDelay(d time.Duration) {
	s.mu.Lock()
	s.delay = d
	s.mu.Unlock()
}

// SetEventReorder makes events arrive in swapped pairs, as they can over a
// busy real Asterisk's threads: a client must not rely on the order of
// events about different things.
func (s *Server) SetEventReorder(on bool) {
	s.mu.Lock()
	s.reorder = on
	s.mu.Unlock()
}

// InjectEvent sends raw as one frame to the client holding app, as it is:
// use it for event types a client library may not know
// (ApplicationRegistered, ChannelTransfer) or for malformed frames.
func (s *Server) InjectEvent(appName string, raw []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.apps[appName]; a != nil && a.client != nil {
		data := append([]byte(nil), raw...)
		a.client.enqueue(data, s.clock.Now(), s.delay)
	}
}
