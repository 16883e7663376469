package pbxsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
)

// Route is one ARI operation the simulator serves, with its path template
// as the specification writes it ("/channels/{channelId}/dial").
type Route struct {
	Method string
	Path   string
}

type route struct {
	Route
	segs []string
	do   func(r *request) reply
}

// request is one ARI call: path variables, query and body parameters.
type request struct {
	method string
	params map[string]string
	vars   map[string]string // path variables
	body   map[string]json.RawMessage
}

func (r *request) p(name string) string {
	if v, ok := r.vars[name]; ok {
		return v
	}
	return r.params[name]
}

// reply is what a handler answers: a status and a JSON body (nil: none).
type reply struct {
	status int
	body   any
}

func ok(body any) reply      { return reply{http.StatusOK, body} }
func created(body any) reply { return reply{http.StatusCreated, body} }
func noContent() reply       { return reply{http.StatusNoContent, nil} }
func fail(status int, msg string) reply {
	return reply{status, map[string]string{"message": msg}}
}

// allocationFailed is Asterisk's answer to an endpoint it cannot reach: the
// only ARI error with the key "error" instead of "message".
func allocationFailed() reply {
	return reply{http.StatusInternalServerError, map[string]string{"error": "Allocation failed"}}
}

func (s *Server) newHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/ari/", s.serveARI)
	mux.HandleFunc("/sim/", s.serveSim)
	return mux
}

// Routes lists every ARI operation the simulator serves (the WebSocket
// included, as GET /events).
func (s *Server) Routes() []Route {
	out := make([]Route, 0, len(s.routes)+1)
	for _, rt := range s.routes {
		out = append(out, rt.Route)
	}
	out = append(out, Route{"GET", "/events"})
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}

// match finds the route for method and path segments; literal segments win
// over variables.
func (s *Server) match(method string, segs []string) (*route, map[string]string, bool) {
	var best *route
	bestScore := -1
	pathFound := false
	for i := range s.routes {
		rt := &s.routes[i]
		if len(rt.segs) != len(segs) {
			continue
		}
		score := 0
		okPath := true
		for j, sg := range rt.segs {
			if strings.HasPrefix(sg, "{") {
				if segs[j] == "" {
					okPath = false
					break
				}
				continue
			}
			if sg != segs[j] {
				okPath = false
				break
			}
			score++
		}
		if !okPath {
			continue
		}
		pathFound = true
		if rt.Method == method && score > bestScore {
			best, bestScore = rt, score
		}
	}
	if best == nil {
		return nil, nil, pathFound
	}
	vars := map[string]string{}
	for j, sg := range best.segs {
		if strings.HasPrefix(sg, "{") {
			vars[strings.Trim(sg, "{}")] = segs[j]
		}
	}
	return best, vars, true
}

func (s *Server) authorized(r *http.Request) bool {
	if u, p, ok := r.BasicAuth(); ok {
		return u == s.opts.User && p == s.opts.Password
	}
	if k := r.URL.Query().Get("api_key"); k != "" {
		u, p, _ := strings.Cut(k, ":")
		return u == s.opts.User && p == s.opts.Password
	}
	return false
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	if body == nil {
		w.WriteHeader(status)
		return
	}
	if a, ok := body.(audio); ok {
		w.Header().Set("Content-Type", "audio/wav")
		w.WriteHeader(status)
		_, _ = w.Write(a)
		return
	}
	data, err := json.Marshal(body)
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"message":"Internal Server Error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

func (s *Server) countSent() { atomic.AddInt64(&s.eventsSent, 1) }

// serveARI is every request under /ari.
func (s *Server) serveARI(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/ari/events" { // a WebSocket session is not a request under way
		s.busy.Add(1)
		defer s.busy.Add(-1)
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"message": "Server closed"})
		return
	}
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()

	if !s.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Basic realm="Asterisk REST Interface"`)
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Authentication required"})
		return
	}
	path := strings.TrimPrefix(r.URL.Path, "/ari")
	if path == "/events" && r.Method == http.MethodGet {
		s.mu.Lock()
		var rep reply
		refused := s.takeFailure(r.Method, path, &rep)
		s.mu.Unlock()
		if refused {
			writeJSON(w, rep.status, rep.body)
			return
		}
		s.serveEvents(w, r)
		return
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	rt, vars, _ := s.match(r.Method, segs)
	if rt == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Resource not found"})
		return
	}
	req, errRep := parseRequest(r, vars)
	key := r.Method + " " + rt.Path

	s.mu.Lock()
	s.stats.Requests++
	s.stats.RequestsByPath[key]++
	var rep reply
	switch {
	case s.takeFailure(r.Method, path, &rep):
	case errRep != nil:
		rep = *errRep
	default:
		rep = s.call(rt, req)
	}
	s.trackSilence()
	s.mu.Unlock()
	s.flush()
	writeJSON(w, rep.status, rep.body)
}

// call runs a handler; a panic becomes a 500 so a bad request never takes
// the simulator down. Call with s.mu held.
func (s *Server) call(rt *route, req *request) (rep reply) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("pbxsim: handler panic", "route", rt.Path, "panic", p)
			rep = fail(http.StatusInternalServerError, "Internal Server Error")
		}
	}()
	return rt.do(req)
}

// parseRequest takes parameters from the query string and from a JSON
// object body, as Asterisk does.
func parseRequest(r *http.Request, vars map[string]string) (*request, *reply) {
	req := &request{method: r.Method, params: map[string]string{}, vars: vars}
	for k, v := range r.URL.Query() {
		if len(v) > 0 {
			req.params[k] = v[len(v)-1]
		}
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		rep := fail(http.StatusBadRequest, "Error reading request body")
		return nil, &rep
	}
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return req, nil
	}
	if err := json.Unmarshal(data, &req.body); err != nil {
		rep := fail(http.StatusBadRequest, "Error parsing request body")
		return nil, &rep
	}
	for k, raw := range req.body {
		if v, ok := scalar(raw); ok {
			req.params[k] = v
		}
	}
	return req, nil
}

// scalar renders a JSON string, number or bool as a parameter value.
func scalar(raw json.RawMessage) (string, bool) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", false
	}
	switch x := v.(type) {
	case string:
		return x, true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

// failRule makes the next n requests that match answer status.
type failRule struct {
	method, prefix string
	status, n      int
}

// FailRequests makes the next n requests with method (empty: any) whose
// path (after /ari) starts with pathPrefix, segment by segment, answer
// status with a JSON message, without any effect: "/channels/c1" fails
// "/channels/c1" and "/channels/c1/ring", not "/channels/c1-2"; a prefix
// ending in "$" matches that path alone ("/channels$": an originate). The
// WebSocket handshake (GET /events) is one of them: a client's redial
// can be refused for a while.
func (s *Server) FailRequests(method, pathPrefix string, status, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pathPrefix = strings.TrimPrefix(pathPrefix, "/ari")
	s.failures = append(s.failures, &failRule{method, pathPrefix, status, n})
}

// ClearFailures forgets the failures FailRequests asked for and that have
// not happened yet: Asterisk answers again.
func (s *Server) ClearFailures() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = nil
}

func (s *Server) takeFailure(method, path string, rep *reply) bool {
	for i, f := range s.failures {
		if (f.method == "" || f.method == method) && underPrefix(path, f.prefix) {
			f.n--
			if f.n <= 0 {
				s.failures = append(s.failures[:i], s.failures[i+1:]...)
			}
			*rep = fail(f.status, http.StatusText(f.status))
			return true
		}
	}
	return false
}

func sprintf(format string, a ...any) string { return fmt.Sprintf(format, a...) }

// intParam parses an integer parameter; def when absent.
func intParam(r *request, name string, def int) (int, bool) {
	v, present := r.params[name]
	if !present || v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		f, ferr := strconv.ParseFloat(v, 64)
		if ferr != nil {
			return 0, false
		}
		n = int(f)
	}
	return n, true
}

// underPrefix tells whether path starts with prefix, whole segments only.
func underPrefix(path, prefix string) bool {
	if exact, ok := strings.CutSuffix(prefix, "$"); ok {
		p, _, _ := strings.Cut(path, "?")
		return p == exact
	}
	if !strings.HasPrefix(path, prefix) {
		return false
	}
	return len(path) == len(prefix) || strings.HasSuffix(prefix, "/") || path[len(prefix)] == '/' || path[len(prefix)] == '?'
}
