package ari

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/CyCoreSystems/ari/v5"
	"github.com/coder/websocket"

	"github.com/callcare/callcare/clock"
)

// Link holds the event WebSocket to Asterisk: it dials, reads and decodes
// frames, pings Asterisk to notice when it hangs, and redials when the
// socket drops: at once, then at most a second apart.
type Link struct {
	url      string // ws://host:8088/ari/events
	user     string
	password string
	app      string
	log      *slog.Logger
	clock    clock.Clock   // waits between tries (the service's sleepClock)
	work     *atomic.Int64 // the service's work: the link's count is Run's

	// pingEvery and pongWait are on the wall clock: a ping unanswered
	// for pongWait is a hung Asterisk (process alive, socket open,
	// nothing answered), handled as a drop.
	pingEvery, pongWait time.Duration

	// Hold, if set, is called before each dial and may wait (on the
	// service's clock) until the link may dial: an instance whose
	// application another client took stands by there.
	Hold func(ctx context.Context)
	// OnUp is called after each (re)connect, before any frame is read.
	OnUp func(ctx context.Context)
	// OnDown is called when a connected socket is lost.
	OnDown func(err error)
	// OnEvent gets each decoded event, on the reading goroutine: it must not
	// block.
	OnEvent func(ev ari.Event)

	// readAt is when the frame handed to OnEvent was read (wall clock);
	// OnEvent runs on the reading goroutine, which alone writes it.
	readAt time.Time

	frames  atomic.Int64
	unknown atomic.Int64 // frames of a type the event model does not know
	bad     atomic.Int64 // frames that could not be decoded at all
	hung    atomic.Int64 // sockets given up because Asterisk stopped answering pings

	socket       atomic.Pointer[string] // local address of the open socket
	socketFrames atomic.Int64           // frames read from it and routed
	drop         atomic.Pointer[websocket.Conn]
}

// LinkStats counts what came over the socket.
type LinkStats struct {
	Frames, Unknown, Undecodable int64
	// Hung counts the sockets given up because Asterisk answered no ping.
	Hung int64
	// Socket is the local address of the event socket while it is open
	// and read ("127.0.0.1:53211"; "" while not), the address Asterisk
	// (or pbxsim's Activity) sees the connection from; SocketFrames counts
	// the frames read from it and routed to their calls.
	Socket       string
	SocketFrames int64
}

// Stats reports the counters.
func (l *Link) Stats() LinkStats {
	st := LinkStats{Frames: l.frames.Load(), Unknown: l.unknown.Load(), Undecodable: l.bad.Load(),
		Hung: l.hung.Load(), SocketFrames: l.socketFrames.Load()}
	if p := l.socket.Load(); p != nil {
		st.Socket = *p
	}
	return st
}

// CredentialsError is Asterisk refusing the ARI user or password: no retry
// can mend it, so the service stops and says which settings to check.
type CredentialsError struct {
	User   string
	Status int
}

func (e *CredentialsError) Error() string {
	return fmt.Sprintf("Asterisk refused the ARI user %q (HTTP %d): check asterisk.user in the configuration and the ARI password "+
		"(asterisk.password_env or asterisk.password_file) against the user in Asterisk's ari.conf", e.User, e.Status)
}

// unreachableEvery: while Asterisk cannot be reached, the log says so at
// the first failure and then about this often, not at every try.
const unreachableEvery = 30 * time.Second

// Run keeps the link up until ctx ends. A drop is redialed at once, then
// at most a second apart, however long the outage: every second without
// events is a second in which no call's timer may decide (see policy's
// LinkLost). It returns a *CredentialsError when Asterisk refuses the
// credentials, nil when ctx ends.
func (l *Link) Run(ctx context.Context) error {
	backoff := clock.Backoff{Clock: l.clock, Min: 0, Max: time.Second}
	var downSince, lastSaid time.Time
	for ctx.Err() == nil {
		if l.Hold != nil {
			l.Hold(ctx)
			if ctx.Err() != nil {
				return nil
			}
		}
		ws, local, err := l.dial(ctx)
		if err != nil {
			var cred *CredentialsError
			if errors.As(err, &cred) {
				l.log.Error("not ready: "+cred.Error(), "url", l.url)
				return err
			}
			now := l.clock.Now()
			switch {
			case backoff.Failures() == 0:
				downSince, lastSaid = now, now
				l.log.Warn("not ready: cannot reach Asterisk events; trying again at most a second apart", "err", err)
			case now.Sub(lastSaid) >= unreachableEvery:
				lastSaid = now
				l.log.Warn("not ready: still cannot reach Asterisk events", "for", now.Sub(downSince).Round(time.Second),
					"tries", backoff.Failures()+1, "err", err)
			}
			backoff.BackOff(ctx, err)
			continue
		}
		if backoff.Failures() > 0 {
			l.log.Info("Asterisk events reachable again", "after", l.clock.Now().Sub(downSince).Round(time.Millisecond), "tries", backoff.Failures()+1)
		}
		backoff.BackOff(ctx, nil)
		l.log.Info("connected to Asterisk events", "app", l.app)
		if l.OnUp != nil {
			l.OnUp(ctx)
		}
		err = l.read(ctx, ws, local)
		if ctx.Err() != nil {
			return nil
		}
		l.log.Warn("not ready: lost Asterisk events; calls go on, no decision is taken on a timer until they are back", "err", err)
		if l.OnDown != nil {
			l.OnDown(err)
		}
		downSince, lastSaid = l.clock.Now(), l.clock.Now()
		backoff.BackOff(ctx, err)
	}
	return nil
}

// Drop closes the open socket, if any: the link redials (after Hold).
func (l *Link) Drop() {
	if c := l.drop.Load(); c != nil {
		c.CloseNow()
	}
}

func (l *Link) dial(ctx context.Context) (*websocket.Conn, string, error) {
	u, err := url.Parse(l.url)
	if err != nil {
		return nil, "", fmt.Errorf("websocket url: %w", err)
	}
	q := u.Query()
	q.Set("app", l.app)
	u.RawQuery = q.Encode()
	// A server that accepts TCP and then says nothing must not hang the
	// service: the handshake has a deadline of its own.
	ctx, cancel := context.WithTimeout(ctx, handshakeTimeout)
	defer cancel()
	var local string
	// TCP keepalive notices a peer that vanished without closing (a
	// half-open connection); pings notice one that hangs.
	d := net.Dialer{KeepAliveConfig: net.KeepAliveConfig{Enable: true, Idle: 10 * time.Second, Interval: 5 * time.Second, Count: 3}}
	transport := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := d.DialContext(ctx, network, addr)
			if err == nil {
				local = c.LocalAddr().String()
			}
			return c, err
		},
		TLSClientConfig: &tls.Config{ServerName: u.Hostname()},
	}
	header := http.Header{}
	header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(l.user+":"+l.password)))
	ws, resp, err := websocket.Dial(ctx, u.String(), &websocket.DialOptions{HTTPClient: &http.Client{Transport: transport}, HTTPHeader: header})
	if err != nil {
		transport.CloseIdleConnections()
		if resp != nil {
			switch resp.StatusCode {
			case http.StatusUnauthorized, http.StatusForbidden:
				return nil, "", &CredentialsError{User: l.user, Status: resp.StatusCode}
			}
			return nil, "", fmt.Errorf("dial %s: the WebSocket handshake was refused (%s): %w", u.Redacted(), resp.Status, err)
		}
		return nil, "", fmt.Errorf("dial %s: %w", u.Redacted(), err)
	}
	// Asterisk's events can be large (a bridge lists its channels).
	ws.SetReadLimit(4 << 20)
	return ws, local, nil
}

// handshakeTimeout bounds a dial and its handshake (wall clock).
const handshakeTimeout = 5 * time.Second

// read routes frames until the socket ends. Waiting for a frame is no
// work: a frame on its way shows as SocketFrames behind what the PBX wrote.
func (l *Link) read(ctx context.Context, ws *websocket.Conn, local string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer ws.CloseNow()
	l.drop.Store(ws)
	defer l.drop.Store(nil)
	done := make(chan struct{})
	defer func() { cancel(); <-done }()
	go func() {
		defer close(done)
		l.keepAlive(ctx, ws)
	}()
	l.socketFrames.Store(0)
	l.socket.Store(&local)
	l.work.Add(-1)
	defer func() {
		l.work.Add(1) // before the socket is seen gone
		l.socket.Store(nil)
	}()
	for {
		_, data, err := ws.Read(ctx)
		if err != nil {
			return err
		}
		l.readAt = time.Now()
		l.frames.Add(1)
		if ev := l.decode(data); ev != nil && l.OnEvent != nil {
			l.OnEvent(ev)
		}
		l.socketFrames.Add(1)
	}
}

// keepAlive pings Asterisk every pingEvery and closes the socket when a
// pong does not come within pongWait: Asterisk sends nothing on a quiet
// socket, so only a ping tells a hung Asterisk from a quiet one. The pings
// are on the wall clock (they measure Asterisk, not the procedure) and
// are no work: they change nothing the service decides.
func (l *Link) keepAlive(ctx context.Context, ws *websocket.Conn) {
	if l.pingEvery <= 0 {
		return
	}
	t := time.NewTicker(l.pingEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		pctx, cancel := context.WithTimeout(ctx, l.pongWait)
		err := ws.Ping(pctx)
		cancel()
		if err != nil {
			if ctx.Err() == nil {
				l.hung.Add(1)
				l.log.Warn("Asterisk answers no ping: the event socket is given up as lost", "waited", l.pongWait)
				ws.CloseNow()
			}
			return
		}
	}
}

// decode turns a frame into a typed event, or nil for what must be skipped:
// Asterisk 20 sends types the v5 event model lacks (ApplicationRegistered,
// ChannelTransfer...), and nothing the service needs is among them.
func (l *Link) decode(data []byte) ari.Event {
	// The type is found by a scan, and the event read once, into its own
	// type: reading frames is much of what the service spends on a call.
	if t, ok := eventType(data); ok {
		if ev := typed(t); ev != nil {
			if err := json.Unmarshal(data, ev); err == nil && ev.GetType() == t {
				return ev
			}
		}
	}
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(data, &head); err != nil || head.Type == "" {
		l.bad.Add(1)
		l.log.Debug("undecodable ARI frame", "err", err)
		return nil
	}
	ev, err := decodeEvent(data)
	if err != nil || ev == nil {
		if _, known := knownTypes[head.Type]; known {
			l.bad.Add(1)
			l.log.Warn("ARI event with unexpected fields skipped", "type", head.Type, "err", err)
		} else {
			l.unknown.Add(1)
			l.log.Debug("ARI event of an unknown type skipped", "type", head.Type)
		}
		return nil
	}
	return ev
}

// eventType reads the "type" of a frame's top-level object without
// decoding the rest (a scan, no allocation); false when the frame is not
// plainly an object with a string "type", which then goes the long way.
func eventType(data []byte) (string, bool) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return "", false
	}
	for i++; ; {
		i = skipSpace(data, i)
		key, next, ok := plainString(data, i)
		if !ok {
			return "", false
		}
		i = skipSpace(data, next)
		if i >= len(data) || data[i] != ':' {
			return "", false
		}
		i = skipSpace(data, i+1)
		if key == "type" {
			t, _, ok := plainString(data, i)
			return t, ok && t != ""
		}
		if i, ok = skipValue(data, i); !ok {
			return "", false
		}
		i = skipSpace(data, i)
		if i >= len(data) || data[i] != ',' {
			return "", false // the end of the object, or not JSON: no type
		}
		i++
	}
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// plainString reads the string at i, which must have no escape, and
// returns it with the index after it.
func plainString(data []byte, i int) (string, int, bool) {
	if i >= len(data) || data[i] != '"' {
		return "", 0, false
	}
	end := bytes.IndexByte(data[i+1:], '"')
	if end < 0 || bytes.IndexByte(data[i+1:i+1+end], '\\') >= 0 {
		return "", 0, false
	}
	return string(data[i+1 : i+1+end]), i + end + 2, true
}

// skipValue returns the index after the JSON value at i.
func skipValue(data []byte, i int) (int, bool) {
	depth := 0
	for ; i < len(data); i++ {
		switch c := data[i]; c {
		case '"':
			for i++; i < len(data) && data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++
				}
			}
			if i >= len(data) {
				return 0, false
			}
			if depth == 0 {
				return i + 1, true
			}
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i, true // the end of the enclosing object
			}
			if depth--; depth == 0 {
				return i + 1, true
			}
		case ',', ' ', '\t', '\n', '\r':
			if depth == 0 {
				return i, true
			}
		}
	}
	return i, depth == 0
}

// typed is an empty event of type t, for the types the service asks
// Asterisk for; nil for others, which go the long way (ari.DecodeEvent).
func typed(t string) ari.Event {
	switch t {
	case ari.Events.StasisStart:
		return &ari.StasisStart{}
	case ari.Events.StasisEnd:
		return &ari.StasisEnd{}
	case ari.Events.Dial:
		return &ari.Dial{}
	case ari.Events.ChannelDestroyed:
		return &ari.ChannelDestroyed{}
	case ari.Events.ChannelHangupRequest:
		return &ari.ChannelHangupRequest{}
	case ari.Events.PlaybackFinished:
		return &ari.PlaybackFinished{}
	case ari.Events.ChannelDtmfReceived:
		return &ari.ChannelDtmfReceived{}
	case ari.Events.ChannelHold:
		return &ari.ChannelHold{}
	case ari.Events.ChannelUnhold:
		return &ari.ChannelUnhold{}
	case ari.Events.RecordingFinished:
		return &ari.RecordingFinished{}
	case ari.Events.RecordingFailed:
		return &ari.RecordingFailed{}
	}
	return nil
}

// decodeEvent is ari.DecodeEvent made safe: the library must never take
// the process down on a frame Asterisk (or anyone on the socket) sends.
func decodeEvent(data []byte) (ev ari.Event, err error) {
	defer func() {
		if p := recover(); p != nil {
			ev, err = nil, fmt.Errorf("the event model panicked: %v", p)
		}
	}()
	return ari.DecodeEvent(data)
}

// knownTypes are the event types the v5 model decodes.
var knownTypes = func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, t := range []string{
		ari.Events.StasisStart, ari.Events.StasisEnd, ari.Events.Dial, ari.Events.ChannelDestroyed,
		ari.Events.PlaybackStarted, ari.Events.PlaybackFinished, ari.Events.ChannelHangupRequest,
		ari.Events.ChannelStateChange, ari.Events.ChannelVarset, ari.Events.ChannelDtmfReceived,
		ari.Events.ChannelHold, ari.Events.ChannelUnhold, ari.Events.ApplicationReplaced,
		ari.Events.RecordingFinished, ari.Events.RecordingFailed, ari.Events.PlaybackContinuing,
	} {
		m[t] = struct{}{}
	}
	return m
}()
