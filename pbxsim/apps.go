package pbxsim

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
)

func (s *Server) appJSON(a *app) applicationJSON {
	out := applicationJSON{
		BridgeIDs: []string{}, ChannelIDs: []string{}, DeviceNames: []string{}, EndpointIDs: []string{},
		EventsAllowed: []any{}, EventsDisallowed: []any{}, Name: a.name,
	}
	for _, ch := range s.sortedChannels() {
		// An originated channel is the application's from the originate:
		// Asterisk subscribes it at once, so it is listed while it rings,
		// outside Stasis (checked on Asterisk 20.20.1, 2026-11-30).
		if ch.app == a.name && (ch.inStasis || ch.originated && !ch.left) {
			out.ChannelIDs = append(out.ChannelIDs, ch.id)
		}
	}
	for _, b := range s.sortedBridges() {
		if slices.Contains(b.apps, a.name) {
			out.BridgeIDs = append(out.BridgeIDs, b.id)
		}
	}
	if a.allowedRaw != nil {
		out.EventsAllowed = a.allowedRaw
	}
	if a.disallRaw != nil {
		out.EventsDisallowed = a.disallRaw
	}
	return out
}

func (s *Server) listApps(r *request) reply {
	names := make([]string, 0, len(s.apps))
	for n := range s.apps {
		names = append(names, n)
	}
	sort.Strings(names)
	out := []applicationJSON{}
	for _, n := range names {
		out = append(out, s.appJSON(s.apps[n]))
	}
	return ok(out)
}

func (s *Server) getApp(r *request) reply {
	a := s.apps[r.p("applicationName")]
	if a == nil {
		return fail(http.StatusNotFound, "Application not found")
	}
	return ok(s.appJSON(a))
}

// setEventFilter is PUT /applications/{app}/eventFilter. The body is the
// filter, {"allowed":[{"type":"StasisStart"}],"disallowed":[...]}, or an
// object holding it under "filter".
func (s *Server) setEventFilter(r *request) reply {
	a := s.apps[r.p("applicationName")]
	if a == nil {
		return fail(http.StatusNotFound, "Application not found")
	}
	body := r.body
	if raw, has := body["filter"]; has {
		var inner map[string]json.RawMessage
		if err := json.Unmarshal(raw, &inner); err != nil {
			return fail(http.StatusBadRequest, "Invalid format definition")
		}
		body = inner
	}
	allowed, allowedRaw, good1 := parseFilterList(body["allowed"])
	disallowed, disallRaw, good2 := parseFilterList(body["disallowed"])
	if !good1 || !good2 {
		return fail(http.StatusBadRequest, "Invalid format definition")
	}
	a.allowed, a.allowedRaw = allowed, allowedRaw
	a.disallowed, a.disallRaw = disallowed, disallRaw
	return ok(s.appJSON(a))
}

func parseFilterList(raw json.RawMessage) ([]string, []any, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil, true
	}
	var list []map[string]any
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, nil, false
	}
	var types []string
	var out []any
	for _, e := range list {
		t, isString := e["type"].(string)
		if !isString || t == "" {
			return nil, nil, false
		}
		types = append(types, t)
		out = append(out, map[string]any{"type": t})
	}
	return types, out, true
}
