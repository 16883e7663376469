package ari

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/CyCoreSystems/ari/v5"
)

// Error is an error answer from Asterisk.
type Error struct {
	Method, Path string
	Status       int
	Message      string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s %s: %d %s", e.Method, e.Path, e.Status, e.Message)
}

// IsNotFound tells whether Asterisk answered that the resource is gone: for
// a channel, the normal end of a race with its hangup. Adding a channel that
// is gone to a bridge answers 400 "Channel not found": the same race.
func IsNotFound(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Status == http.StatusNotFound || e.Status == http.StatusBadRequest && e.Message == "Channel not found"
}

// Client makes ARI REST requests, each with a deadline, over a bounded
// pool of kept-alive connections (see pool).
type Client struct {
	base     string // e.g. http://127.0.0.1:8088/ari
	user     string
	password string
	app      string
	timeout  time.Duration
	log      *slog.Logger
	http     *http.Client
	requests atomic.Int64
	latency  latency // recent requests' time (overload.go)
}

// DefaultMaxConnections is how many HTTP connections the service opens to
// Asterisk at most (asterisk.max_connections): well under the 100
// sessions Asterisk's HTTP server takes at once (http.conf sessionlimit),
// beyond which it closes a new connection unanswered. One request takes
// about a millisecond on loopback, so 20 carry thousands a second; more
// requests at once wait for a free connection.
const DefaultMaxConnections = 20

// idleFor: an idle connection is closed by the service before Asterisk
// closes it (http.conf session_keep_alive, 15 s by default), so no request
// is written on a connection Asterisk is about to close.
const idleFor = 10 * time.Second

// NewClient makes a REST client for the application app, with at most
// DefaultMaxConnections connections.
func NewClient(baseURL, user, password, app string, timeout time.Duration) *Client {
	return newClient(baseURL, user, password, app, timeout, DefaultMaxConnections)
}

func newClient(baseURL, user, password, app string, timeout time.Duration, maxConns int) *Client {
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	if maxConns <= 0 {
		maxConns = DefaultMaxConnections
	}
	return &Client{
		base:     strings.TrimRight(baseURL, "/"),
		user:     user,
		password: password,
		app:      app,
		timeout:  timeout,
		log:      slog.New(slog.DiscardHandler),
		http:     &http.Client{Transport: pool(maxConns)},
	}
}

// pool keeps at most n connections to Asterisk, all kept alive between
// requests: a request beyond them waits for one to be free (within its
// deadline), where a new connection would be closed by Asterisk past its
// session limit and every request on it fail. Keeping them alive also
// spares Asterisk a thread per connection. The event WebSocket has a
// connection of its own (link.go): requests never starve it.
func pool(n int) *http.Transport {
	return &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 15 * time.Second}).DialContext,
		MaxConnsPerHost:     n,
		MaxIdleConns:        n,
		MaxIdleConnsPerHost: n,
		IdleConnTimeout:     idleFor,
	}
}

// Requests counts the requests made so far.
func (c *Client) Requests() int64 { return c.requests.Load() }

// do makes a request. With a retry budget in ctx (withRetry), what
// Asterisk may answer differently next time (a refused or broken
// connection, a 5xx) is tried again, soon and then less often, until the
// budget is spent; a 409 after a try whose fate is unknown (no answer)
// means that try took effect, which is success. The service picks the ids
// of what it creates, so every request it retries is idempotent so.
func (c *Client) do(ctx context.Context, method, path string, q url.Values, body, out any) error {
	budget, _ := ctx.Value(retryKey{}).(time.Duration)
	if budget <= 0 {
		return c.once(ctx, method, path, q, body, out)
	}
	deadline := time.Now().Add(budget) // Asterisk's moment: the wall clock
	wait := 20 * time.Millisecond
	unknown := false // a try that got no answer may have taken effect
	for tries := 1; ; tries++ {
		err := c.once(ctx, method, path, q, body, out)
		var e *Error
		isErr := errors.As(err, &e)
		switch {
		case err == nil:
			return nil
		case unknown && isErr && e.Status == http.StatusConflict:
			return nil
		case !retriable(err) || ctx.Err() != nil || time.Now().Add(wait).After(deadline):
			if tries > 1 {
				err = fmt.Errorf("%w (after %d tries)", err, tries)
			}
			return err
		}
		unknown = unknown || !isErr
		loggerFrom(ctx, c.log).Debug("retrying a request", "method", method, "path", path, "err", err, "tries", tries)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		wait = min(2*wait, 400*time.Millisecond)
	}
}

// retriable tells the failures worth a second try: Asterisk unreachable
// for a moment, or answering 5xx, but for an endpoint it cannot make a
// channel to. A 4xx says the request itself is wrong
// now (a channel gone, a state it is not in): trying again changes
// nothing.
func retriable(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		// An endpoint Asterisk cannot reach now (an unregistered phone)
		// stays so for longer than a retry: its caller rings on.
		return e.Status >= 500 && !IsAllocationFailed(err)
	}
	return !errors.Is(err, context.Canceled)
}

// IsOriginatorGone tells Asterisk's answer to an originate on behalf of a
// channel that is gone: the caller hung up as their clerk was to be rung.
func IsOriginatorGone(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == http.StatusBadRequest && e.Message == "Provided originator channel was not found"
}

// IsAllocationFailed tells Asterisk's answer for an endpoint it cannot
// make a channel to (no such peer, an unregistered phone): the phone is
// unavailable, which no retry changes for long.
func IsAllocationFailed(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == http.StatusInternalServerError && e.Message == "Allocation failed"
}

type retryKey struct{}

// withRetry makes requests made with ctx retry transient failures for up
// to budget (see do); zero turns retries off.
func withRetry(ctx context.Context, budget time.Duration) context.Context {
	return context.WithValue(ctx, retryKey{}, budget)
}

func (c *Client) once(ctx context.Context, method, path string, q url.Values, body, out any) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	u := c.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.SetBasicAuth(c.user, c.password)
	c.requests.Add(1)
	sent(ctx)
	start := time.Now()
	resp, err := c.http.Do(req)
	c.latency.add(time.Since(start))
	if err != nil {
		// The url.Error's text holds the whole URL, and its query can hold
		// a citizen's number: the error is for the log, so only the cause.
		if ue, ok := errors.AsType[*url.Error](err); ok {
			err = ue.Err
		}
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	// The path names channels and bridges by id; the query, which can hold
	// a citizen's number in a dial string, is left out.
	loggerFrom(ctx, c.log).Debug("request", "method", method, "path", path, "status", resp.StatusCode, "took", time.Since(start).Round(time.Microsecond))
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("%s %s: read answer: %w", method, path, err)
	}
	if resp.StatusCode >= 300 {
		// Asterisk says {"message": ...}, or {"error": ...} for allocation failures.
		var m struct{ Message, Error string }
		_ = json.Unmarshal(data, &m)
		msg := m.Message
		if msg == "" {
			msg = m.Error
		}
		return &Error{Method: method, Path: path, Status: resp.StatusCode, Message: msg}
	}
	if raw, ok := out.(*rawBody); ok {
		*raw = data
		return nil
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s %s: decode answer: %w", method, path, err)
		}
	}
	return nil
}

func chanPath(id string, rest ...string) string {
	return "/channels/" + url.PathEscape(id) + strings.Join(rest, "")
}

// Ring makes the caller hear ringing while the service rings a clerk.
func (c *Client) Ring(ctx context.Context, channel string) error {
	return c.do(ctx, http.MethodPost, chanPath(channel, "/ring"), nil, nil, nil)
}

// Variable reads a channel variable.
func (c *Client) Variable(ctx context.Context, channel, name string) (string, error) {
	var v struct{ Value string }
	err := c.do(ctx, http.MethodGet, chanPath(channel, "/variable"), url.Values{"variable": {name}}, nil, &v)
	return v.Value, err
}

// Hangup ends a channel with an ARI hangup reason (normal, no_answer...).
func (c *Client) Hangup(ctx context.Context, id, reason string) error {
	var q url.Values
	if reason != "" {
		q = url.Values{"reason": {reason}}
	}
	return c.do(ctx, http.MethodDelete, chanPath(id), q, nil, nil)
}

// Answer answers a channel.
func (c *Client) Answer(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodPost, chanPath(id, "/answer"), nil, nil, nil)
}

// Play plays media ("sound:vm-goodbye", "digits:123") on a channel, one
// after another as one playback (one request), under the playback id the
// service chose, so its PlaybackFinished can be routed before the answer.
func (c *Client) Play(ctx context.Context, channel, playback string, media ...string) error {
	q := url.Values{"media": {strings.Join(media, ",")}}
	return c.do(ctx, http.MethodPost, chanPath(channel, "/play/", url.PathEscape(playback)), q, nil, nil)
}

// Channel reads a channel's state.
func (c *Client) Channel(ctx context.Context, id string) (ari.ChannelData, error) {
	var ch ari.ChannelData
	err := c.do(ctx, http.MethodGet, chanPath(id), nil, nil, &ch)
	return ch, err
}

// CreateBridge makes a mixing bridge with the id the service chose. It
// raises the keys its phones press (dtmf_events): in a plain mixing bridge
// Asterisk passes two phones' media between them natively, keys included,
// and the application never hears a clerk's ##102# or flag key (traces
// bridge-dtmf-native, bridge-dtmf-events). The media then goes through
// Asterisk's core for the length of the call.
func (c *Client) CreateBridge(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodPost, "/bridges", url.Values{"type": {"mixing,dtmf_events"}, "bridgeId": {id}}, nil, nil)
}

// AddChannels puts channels into a bridge, in one request.
func (c *Client) AddChannels(ctx context.Context, bridge string, channels ...string) error {
	q := url.Values{"channel": {strings.Join(channels, ",")}}
	return c.do(ctx, http.MethodPost, "/bridges/"+url.PathEscape(bridge)+"/addChannel", q, nil, nil)
}

// DestroyBridge removes a bridge.
func (c *Client) DestroyBridge(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodDelete, "/bridges/"+url.PathEscape(id), nil, nil, nil)
}

// SetGlobal sets a global variable of the dialplan.
func (c *Client) SetGlobal(ctx context.Context, name, value string) error {
	return c.do(ctx, http.MethodPost, "/asterisk/variable", url.Values{"variable": {name}, "value": {value}}, nil, nil)
}

// Global reads a global variable of the dialplan: "" when it is not set.
func (c *Client) Global(ctx context.Context, name string) (string, error) {
	var out struct {
		Value string `json:"value"`
	}
	err := c.do(ctx, http.MethodGet, "/asterisk/variable", url.Values{"variable": {name}}, nil, &out)
	return out.Value, err
}

// AllowEvents asks Asterisk to send the application only these event types:
// every event costs Asterisk CPU, and ChannelVarset alone is half of them.
func (c *Client) AllowEvents(ctx context.Context, types []string) error {
	type typ struct {
		Type string `json:"type"`
	}
	var f struct {
		Allowed    []typ `json:"allowed"`
		Disallowed []typ `json:"disallowed"`
	}
	for _, t := range types {
		f.Allowed = append(f.Allowed, typ{t})
	}
	f.Disallowed = []typ{}
	return c.do(ctx, http.MethodPut, "/applications/"+url.PathEscape(c.app)+"/eventFilter", nil, f, nil)
}

// Outbound is a call the service places from the PBX (Originate).
type Outbound struct {
	Endpoint string
	// CallerID is what the called phone shows: `"name" <number>`; "" for
	// Asterisk's default.
	CallerID string
	// Args are the Stasis arguments it enters the application with, once
	// answered.
	Args string
	// Timeout: Asterisk gives up ringing after it, counted from the
	// request: a safety net should the service be gone.
	Timeout time.Duration
	// Originator is the channel it is made for ("" for none): Asterisk
	// links the two.
	Originator string
	// Vars are channel variables it carries (nil for none).
	Vars map[string]string
}

// Originate calls out from the PBX into the application, with the id the
// service chose, in one request. Its Dial events come before it enters
// the application, which happens only once it is answered; unanswered or
// refused by the phone, Asterisk ends it by itself (ChannelDestroyed).
func (c *Client) Originate(ctx context.Context, id string, o Outbound) error {
	q := url.Values{"endpoint": {o.Endpoint}, "app": {c.app}, "appArgs": {o.Args}, "channelId": {id},
		"timeout": {strconv.Itoa(int((o.Timeout + time.Second - 1) / time.Second))}}
	if o.CallerID != "" {
		q.Set("callerId", o.CallerID)
	}
	if o.Originator != "" {
		q.Set("originator", o.Originator)
	}
	var body any
	if len(o.Vars) > 0 {
		body = struct {
			Variables map[string]string `json:"variables"`
		}{o.Vars}
	}
	return c.do(ctx, http.MethodPost, "/channels", q, body, nil)
}

// StopPlayback stops a playback; it then finishes like one that ended.
func (c *Client) StopPlayback(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodDelete, "/playbacks/"+url.PathEscape(id), nil, nil, nil)
}

// Record records what the channel hears from its phone, ended by #, three
// seconds of silence, or maxFor.
func (c *Client) Record(ctx context.Context, channel, name string, maxFor time.Duration) error {
	q := url.Values{"name": {name}, "format": {"wav"}, "maxDurationSeconds": {strconv.Itoa(int(maxFor / time.Second))},
		"maxSilenceSeconds": {"3"}, "beep": {"false"}, "terminateOn": {"#"}, "ifExists": {"overwrite"}}
	return c.do(ctx, http.MethodPost, chanPath(channel, "/record"), q, nil, nil)
}

// RecordingFile fetches a stored recording's sound file.
func (c *Client) RecordingFile(ctx context.Context, name string) ([]byte, error) {
	var raw rawBody
	err := c.do(ctx, http.MethodGet, "/recordings/stored/"+url.PathEscape(name)+"/file", nil, nil, &raw)
	return raw, err
}

// rawBody takes an answer as it is, not as JSON.
type rawBody []byte

// DeleteRecording deletes a stored recording.
func (c *Client) DeleteRecording(ctx context.Context, name string) error {
	return c.do(ctx, http.MethodDelete, "/recordings/stored/"+url.PathEscape(name), nil, nil, nil)
}

type loggerKey struct{}

// withLogger makes requests made with ctx log to l: a flow's logger, which
// names the call.
func withLogger(ctx context.Context, l *slog.Logger) context.Context {
	return context.WithValue(ctx, loggerKey{}, l)
}

func loggerFrom(ctx context.Context, def *slog.Logger) *slog.Logger {
	if l, ok := ctx.Value(loggerKey{}).(*slog.Logger); ok {
		return l
	}
	return def
}
