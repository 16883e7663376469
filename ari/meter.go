package ari

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/callcare/callcare/policy"
)

// Meter is told what the metrics count of the service's side of Asterisk:
// the event stream coming up and going down, and each REST request with
// its route (ids replaced by {id}), status (0 when no answer came) and the
// time to the answer. Its methods must be quick and safe for concurrent
// use: they run on the link's and the flows' goroutines.
type Meter interface {
	LinkUp()
	LinkDown()
	Request(method, route string, status int, took time.Duration, err error)
}

// meter hooks m into the link and the REST client.
func (s *Service) meter(m Meter) {
	if m == nil {
		return
	}
	up, down := s.link.OnUp, s.link.OnDown
	s.link.OnUp = func(ctx context.Context) { m.LinkUp(); up(ctx) }
	s.link.OnDown = func(err error) { m.LinkDown(); down(err) }
	base := s.client.http.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	prefix := ""
	if u, err := url.Parse(s.client.base); err == nil {
		prefix = u.Path
	}
	s.client.http.Transport = meteredTransport{base: base, m: m, prefix: prefix}
}

// meteredTransport tells the meter of each request it carries: every try,
// retries included.
type meteredTransport struct {
	base   http.RoundTripper
	m      Meter
	prefix string // the REST base's path, e.g. /ari
}

func (t meteredTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now() // Asterisk's latency: the wall clock
	resp, err := t.base.RoundTrip(req)
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	t.m.Request(req.Method, route(strings.TrimPrefix(req.URL.Path, t.prefix)), status, time.Since(start), err)
	return resp, err
}

// ariWords are the words of ARI's REST paths; any other segment of a path
// is an id (a channel, bridge, playback, recording or application), which
// a metric's label must not carry: ids are many, and a recording's name
// may hold a citizen's call id.
var ariWords = map[string]bool{
	"channels": true, "bridges": true, "playbacks": true, "recordings": true, "stored": true, "live": true,
	"applications": true, "endpoints": true, "asterisk": true, "events": true, "sounds": true, "deviceStates": true,
	"mailboxes": true, "create": true, "dial": true, "ring": true, "answer": true, "play": true, "variable": true,
	"record": true, "moh": true, "continue": true, "hold": true, "mute": true, "redirect": true, "addChannel": true,
	"removeChannel": true, "eventFilter": true, "file": true, "externalMedia": true, "silence": true, "dtmf": true,
	"snoop": true, "subscription": true, "move": true, "copy": true, "stop": true, "rtp_statistics": true,
	"videoSource": true, "ping": true, "info": true, "user": true, "transfer": true,
}

// route is a REST path with its ids replaced: /channels/{id}/play/{id}.
func route(path string) string {
	path = strings.Trim(path, "/")
	if path == "" {
		return "/"
	}
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if !ariWords[s] {
			segs[i] = "{id}"
		}
	}
	return "/" + strings.Join(segs, "/")
}

// waiter is a machine that says what its caller waits through (P4p).
type waiter interface {
	Waiting() (policy.Wait, time.Duration)
}

// observe tells the observer of a step: when it starts, when something
// happened or was done, or when what the caller waits through changed
// (a hold begins without a word from the service: P4p counts from there).
func (f *flow) observe(ev policy.Event, acts []policy.Action, now time.Time) {
	var wait policy.Wait
	var bound time.Duration
	if w, ok := f.m.(waiter); ok {
		wait, bound = w.Waiting()
	}
	changed := wait != f.wait
	f.wait = wait
	if ev != nil && len(acts) == 0 && !isNews(ev) && !changed {
		return
	}
	st := Step{Call: f.id, At: now, Event: ev, Actions: acts, Clerk: f.ownClerk, Wait: wait, WaitBound: bound}
	if r, ok := f.m.(recorder); ok {
		st.Record = r.Record()
	}
	f.svc.observe(st)
}
