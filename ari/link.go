package ari

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/CyCoreSystems/ari/v5"
	"golang.org/x/net/websocket"

	"github.com/callcare/callcare/clock"
)

// Link holds the event WebSocket to Asterisk: it dials, reads and decodes
// frames, and redials when the socket drops: at once, then with a capped,
// jittered backoff.
type Link struct {
	url      string // ws://host:8088/ari/events
	user     string
	password string
	app      string
	log      *slog.Logger
	clock    clock.Clock   // waits between tries (the service's sleepClock)
	work     *atomic.Int64 // the service's work: the link's count is Run's

	// OnUp is called after each (re)connect, before any frame is read.
	OnUp func(ctx context.Context)
	// OnDown is called when a connected socket is lost.
	OnDown func(err error)
	// OnEvent gets each decoded event, on the reading goroutine: it must not
	// block.
	OnEvent func(ev ari.Event)

	frames  atomic.Int64
	unknown atomic.Int64 // frames of a type the event model does not know
	bad     atomic.Int64 // frames that could not be decoded at all

	socket       atomic.Pointer[string] // local address of the open socket
	socketFrames atomic.Int64           // frames read from it and routed
}

// LinkStats counts what came over the socket.
type LinkStats struct {
	Frames, Unknown, Undecodable int64
	// Socket is the local address of the event socket while it is open
	// and read ("127.0.0.1:53211"; "" while not), the address Asterisk
	// (or pbxsim's Activity) sees the connection from; SocketFrames counts
	// the frames read from it and routed to their calls.
	Socket       string
	SocketFrames int64
}

// Stats reports the counters.
func (l *Link) Stats() LinkStats {
	st := LinkStats{Frames: l.frames.Load(), Unknown: l.unknown.Load(), Undecodable: l.bad.Load(), SocketFrames: l.socketFrames.Load()}
	if p := l.socket.Load(); p != nil {
		st.Socket = *p
	}
	return st
}

// Run keeps the link up until ctx ends. A drop is redialed at once, then
// at most a second apart: every second without events is a second in
// which no call's timer may decide (see policy's LinkLost).
func (l *Link) Run(ctx context.Context) {
	backoff := clock.Backoff{Clock: l.clock, Min: 0, Max: time.Second}
	for ctx.Err() == nil {
		ws, local, err := l.dial(ctx)
		if err != nil {
			l.log.Warn("cannot reach Asterisk events", "err", err, "failures", backoff.Failures()+1)
			backoff.BackOff(ctx, err)
			continue
		}
		backoff.BackOff(ctx, nil)
		l.log.Info("connected to Asterisk events", "app", l.app)
		if l.OnUp != nil {
			l.OnUp(ctx)
		}
		err = l.read(ctx, ws, local)
		if ctx.Err() != nil {
			return
		}
		l.log.Warn("lost Asterisk events; calls go on, events in the gap are lost", "err", err)
		if l.OnDown != nil {
			l.OnDown(err)
		}
		backoff.BackOff(ctx, err)
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
	origin := "http://" + u.Host + "/"
	cfg, err := websocket.NewConfig(u.String(), origin)
	if err != nil {
		return nil, "", fmt.Errorf("websocket config: %w", err)
	}
	cfg.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(l.user+":"+l.password)))
	ws, local, err := handshake(ctx, cfg)
	if err != nil {
		if errors.Is(err, websocket.ErrBadStatus) {
			return nil, "", fmt.Errorf("dial %s: the WebSocket handshake was refused (wrong user or password, a bad app name, or a proxy in the way): %w", u.Redacted(), err)
		}
		return nil, "", fmt.Errorf("dial %s: %w", u.Redacted(), err)
	}
	return ws, local, nil
}

// handshake dials and upgrades with a deadline on both, since a server that
// accepts TCP and then says nothing must not hang the service. It returns
// the connection's local address too.
func handshake(ctx context.Context, cfg *websocket.Config) (*websocket.Conn, string, error) {
	port := cfg.Location.Port()
	if port == "" {
		port = map[string]string{"ws": "80", "wss": "443"}[cfg.Location.Scheme]
	}
	host := net.JoinHostPort(cfg.Location.Hostname(), port)
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	// TCP keepalive notices a peer that vanished without closing (a
	// half-open connection): Asterisk sends nothing on a quiet socket, and
	// the WebSocket library hides pongs, so a read deadline cannot.
	d := net.Dialer{KeepAliveConfig: net.KeepAliveConfig{Enable: true, Idle: 10 * time.Second, Interval: 5 * time.Second, Count: 3}}
	conn, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return nil, "", err
	}
	if cfg.Location.Scheme == "wss" {
		conn = tls.Client(conn, &tls.Config{ServerName: cfg.Location.Hostname()})
	}
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	ws, err := websocket.NewClient(cfg, conn)
	if err != nil {
		conn.Close()
		return nil, "", err
	}
	conn.SetDeadline(time.Time{})
	return ws, conn.LocalAddr().String(), nil
}

// read routes frames until the socket ends. Waiting for a frame is no
// work: a frame on its way shows as SocketFrames behind what the PBX wrote.
func (l *Link) read(ctx context.Context, ws *websocket.Conn, local string) error {
	stop := context.AfterFunc(ctx, func() { ws.Close() })
	defer stop()
	defer ws.Close()
	l.socketFrames.Store(0)
	l.socket.Store(&local)
	l.work.Add(-1)
	defer func() {
		l.work.Add(1) // before the socket is seen gone
		l.socket.Store(nil)
	}()
	for {
		var data []byte
		if err := websocket.Message.Receive(ws, &data); err != nil {
			return err
		}
		l.frames.Add(1)
		if ev := l.decode(data); ev != nil && l.OnEvent != nil {
			l.OnEvent(ev)
		}
		l.socketFrames.Add(1)
	}
}

// decode turns a frame into a typed event, or nil for what must be skipped:
// Asterisk 20 sends types the v5 event model lacks (ApplicationRegistered,
// ChannelTransfer...), and nothing the service needs is among them.
func (l *Link) decode(data []byte) ari.Event {
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(data, &head); err != nil || head.Type == "" {
		l.bad.Add(1)
		l.log.Debug("undecodable ARI frame", "err", err)
		return nil
	}
	ev, err := ari.DecodeEvent(data)
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
