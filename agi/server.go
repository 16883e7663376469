package agi

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime/debug"
	"sync"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/clock"
)

// Hooks is what the dialplan can tell the service. cmd/callcare implements
// it with the store.
type Hooks interface {
	// OutboundAnswered says that a clerk's outbound call to number was
	// answered. number is what the clerk dialed, without the outside-line
	// prefix, checked and cleaned by callcare.CallableNumber (digits with an
	// optional leading +); clerkEndpoint is the desk phone that dialed, as
	// "TECH/resource" ("PJSIP/101"). Both come from the dialplan, so they are
	// only as good as its checks: treat them as data, never as commands.
	OutboundAnswered(ctx context.Context, number callcare.Number, clerkEndpoint string) error
}

// Default limits of a session; see the Server fields.
const (
	DefaultHeaderTimeout  = 5 * time.Second
	DefaultSessionTimeout = 10 * time.Second
)

// Server answers FastAGI sessions from Asterisk. Create it with NewServer;
// the exported fields may be changed before Serve, not after.
type Server struct {
	// HeaderTimeout bounds the time from accept to the header's blank line.
	// A client that says nothing (or too little) is dropped when it passes.
	HeaderTimeout time.Duration
	// SessionTimeout bounds the whole session from accept, the hook
	// included: the hook's context ends when it passes. It also bounds how
	// long Serve waits for a session after its context ends.
	SessionTimeout time.Duration

	hooks   Hooks
	calls   CallHooks // nil: no route and missed scripts
	log     *slog.Logger
	scripts map[string]script
	talkers map[string]talker
}

// talker runs one agi_network_script that sends commands: the connection
// stays open until it returns (the route script).
type talker func(ctx context.Context, req *request, sess *session) error

// HandleCalls serves the route and missed scripts with c (issue 9: offices
// that keep their own dialplan). Call it before Serve.
func (s *Server) HandleCalls(c CallHooks) {
	s.calls = c
	s.scripts[ScriptMissed] = s.missed
	s.talkers[ScriptRoute] = s.route
}

// script runs one agi_network_script. The connection is already closed:
// the script gets the header only (see the package comment).
type script func(ctx context.Context, req *request) error

// NewServer returns a server that tells h (not nil) what the dialplan
// reports and logs to log (nil: discard).
func NewServer(h Hooks, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		HeaderTimeout:  DefaultHeaderTimeout,
		SessionTimeout: DefaultSessionTimeout,
		hooks:          h,
		log:            log,
	}
	s.scripts = map[string]script{
		ScriptOutboundAnswered: s.outboundAnswered,
	}
	s.talkers = map[string]talker{}
	return s
}

// ListenAndServe listens on the TCP address addr (Asterisk's default
// FastAGI port is 4573: "127.0.0.1:4573") and calls Serve.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("agi: %w", err)
	}
	return s.Serve(ctx, ln)
}

// Serve accepts sessions on ln until ctx ends, each in its own goroutine,
// then closes ln, waits for the sessions under way (each is bounded by
// SessionTimeout) and returns nil. A failed Accept is retried with a
// backoff; Serve returns an error only when ln was closed by someone else.
// A hook under way keeps its context when ctx ends (it ends with
// SessionTimeout instead), so a shutdown does not cut a store write short.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	var sessions sync.WaitGroup
	defer sessions.Wait()
	defer ln.Close()

	s.log.Info("agi: serving FastAGI", "addr", ln.Addr().String())
	retry := clock.Backoff{Min: 5 * time.Millisecond, Max: time.Second}
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				s.log.Info("agi: stopped; waiting for sessions under way")
				return nil
			}
			if errors.Is(err, net.ErrClosed) {
				return fmt.Errorf("agi: accept: %w", err)
			}
			// Out of file descriptors, a connection reset before accept:
			// wait and go on, as net/http does.
			s.log.Warn("agi: accept failed; retrying", "err", err, "failures", retry.Failures()+1)
			retry.BackOff(ctx, err)
			continue
		}
		retry.BackOff(ctx, nil)
		sessions.Go(func() { s.serveConn(ctx, conn) })
	}
}

// serveConn runs one session: read the header within HeaderTimeout, close
// the connection without writing a byte, then run the script, recovering a
// panic.
func (s *Server) serveConn(ctx context.Context, conn net.Conn) {
	start := time.Now()
	remote := conn.RemoteAddr().String()
	closeConn := sync.OnceFunc(func() { conn.Close() })
	defer closeConn()
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("agi: session panicked", "remote", remote, "panic", p, "stack", string(debug.Stack()))
		}
	}()

	conn.SetDeadline(start.Add(s.HeaderTimeout))
	r := bufio.NewReaderSize(conn, maxHeaderLine)
	req, err := readHeader(r)
	if err != nil {
		s.log.Warn("agi: session dropped", "remote", remote, "err", err)
		return
	}
	if talk, ok := s.talkers[req.Script]; ok {
		// The commands and their replies, the hook included, within the
		// session's bound: Asterisk's AGI() waits as long as it is open.
		conn.SetDeadline(start.Add(s.SessionTimeout))
		hctx, cancel := context.WithDeadline(context.WithoutCancel(ctx), start.Add(s.SessionTimeout))
		defer cancel()
		if err := talk(hctx, req, &session{conn: conn, r: r}); err != nil {
			s.log.Warn("agi: script failed", "script", req.Script, "uniqueid", req.Env["uniqueid"], "err", err)
		}
		return
	}
	// End the session before the script runs: AGI() in the dialplan sees
	// the end of the stream, returns with AGISTATUS=SUCCESS and the call
	// goes on at once, whatever the hook does next.
	closeConn()

	run, ok := s.scripts[req.Script]
	log := s.log.With("script", req.Script, "uniqueid", req.Env["uniqueid"])
	if !ok {
		log.Warn("agi: unknown script; session ended", "remote", remote)
		return
	}
	hctx, cancel := context.WithDeadline(context.WithoutCancel(ctx), start.Add(s.SessionTimeout))
	defer cancel()
	if err := run(hctx, req); err != nil {
		log.Warn("agi: script failed", "err", err)
	}
}
