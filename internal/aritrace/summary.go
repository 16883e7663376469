package aritrace

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Step is what matters of one event for conformance: no ids, no timestamps.
type Step struct {
	Type          string
	DialStatus    string // Dial
	State         string // the channel's state (the peer's for Dial)
	Cause         string // ChannelHangupRequest, ChannelDestroyed: the number as text ("16")
	Digit         string // ChannelDtmfReceived
	Args          string // StasisStart: args joined with ","
	PlaybackState string // Playback*: playback.state; Recording*: recording.state
}

// String renders a step as "Type k=v ...", showing only the fields set.
func (s Step) String() string {
	var b strings.Builder
	b.WriteString(s.Type)
	for _, f := range []struct{ k, v string }{
		{"dialstatus", s.DialStatus}, {"state", s.State}, {"cause", s.Cause},
		{"digit", s.Digit}, {"args", s.Args}, {"playback", s.PlaybackState},
	} {
		if f.v != "" {
			fmt.Fprintf(&b, " %s=%q", f.k, f.v)
		}
	}
	return b.String()
}

// summarized is the part of an event Summarize reads.
type summarized struct {
	Type       string      `json:"type"`
	Channel    *idState    `json:"channel"`
	Peer       *idState    `json:"peer"`
	Bridge     *idState    `json:"bridge"`
	Playback   *target     `json:"playback"`
	Recording  *target     `json:"recording"`
	DialStatus string      `json:"dialstatus"`
	Cause      json.Number `json:"cause"`
	Digit      string      `json:"digit"`
	Args       []string    `json:"args"`
}

type idState struct {
	ID    string `json:"id"`
	State string `json:"state"`
}

type target struct {
	TargetURI string `json:"target_uri"`
	State     string `json:"state"`
}

// AppKey collects the events that concern neither a channel nor a bridge
// (ApplicationReplaced, DeviceStateChanged, ...).
const AppKey = "app"

// Summarize groups events into per-channel step sequences. Channels are
// named "c1", "c2", ... and bridges "b1", "b2", ... in order of first
// appearance as an event's key, so two runs with different ids compare
// equal. An event's key is:
//   - Dial: peer.id;
//   - Playback*/Recording*: the channel or bridge of target_uri ("channel:ID",
//     "bridge:ID");
//   - otherwise channel.id, else bridge.id (bridge events), else AppKey.
//
// ChannelVarset is always left out, and so is every type in ignore.
// Events that are not JSON objects are skipped.
func Summarize(events [][]byte, ignore ...string) map[string][]Step {
	skip := map[string]bool{"ChannelVarset": true}
	for _, t := range ignore {
		skip[t] = true
	}
	names := map[string]string{} // "channel:ID" or "bridge:ID" -> c1, b1
	count := map[string]int{}
	name := func(kind, id string) string {
		k := kind + ":" + id
		if n, ok := names[k]; ok {
			return n
		}
		count[kind]++
		n := kind[:1] + strconv.Itoa(count[kind])
		names[k] = n
		return n
	}
	out := map[string][]Step{}
	for _, raw := range events {
		var e summarized
		if json.Unmarshal(raw, &e) != nil || e.Type == "" || skip[e.Type] {
			continue
		}
		step := Step{Type: e.Type, DialStatus: e.DialStatus, Cause: e.Cause.String(),
			Digit: e.Digit, Args: strings.Join(e.Args, ",")}
		key := AppKey
		var tgt *target
		switch {
		case e.Playback != nil:
			tgt = e.Playback
		case e.Recording != nil:
			tgt = e.Recording
		}
		switch {
		case e.Type == "Dial" && e.Peer != nil:
			key, step.State = name("channel", e.Peer.ID), e.Peer.State
		case tgt != nil:
			step.PlaybackState = tgt.State
			if kind, id, ok := strings.Cut(tgt.TargetURI, ":"); ok && (kind == "channel" || kind == "bridge") {
				key = name(kind, id)
			}
		case e.Channel != nil:
			key, step.State = name("channel", e.Channel.ID), e.Channel.State
		case e.Bridge != nil:
			key = name("bridge", e.Bridge.ID)
		}
		out[key] = append(out[key], step)
	}
	return out
}

// Compare reports, for each channel, bridge or AppKey whose sequences differ,
// the first step where they do. Keys are visited in natural order (c2 before
// c10) so the error text is stable.
func Compare(want, got map[string][]Step) error {
	keys := map[string]bool{}
	for k := range want {
		keys[k] = true
	}
	for k := range got {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Slice(sorted, func(i, j int) bool { return naturalLess(sorted[i], sorted[j]) })

	var errs []error
	for _, k := range sorted {
		w, g := want[k], got[k]
		n := min(len(w), len(g))
		i := 0
		for i < n && w[i] == g[i] {
			i++
		}
		switch {
		case i < n:
			errs = append(errs, fmt.Errorf("%s: step %d: want %s, got %s", k, i+1, w[i], g[i]))
		case len(w) > n:
			errs = append(errs, fmt.Errorf("%s: after %d steps: missing %s (%d more)", k, n, w[n], len(w)-n))
		case len(g) > n:
			errs = append(errs, fmt.Errorf("%s: after %d steps: unexpected %s (%d more)", k, n, g[n], len(g)-n))
		}
	}
	return errors.Join(errs...)
}

// naturalLess orders "c2" before "c10": by letters, then by number.
func naturalLess(a, b string) bool {
	pa, na := splitNum(a)
	pb, nb := splitNum(b)
	if pa != pb {
		return pa < pb
	}
	if na != nb {
		return na < nb
	}
	return a < b
}

func splitNum(s string) (string, int) {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	n, err := strconv.Atoi(s[i:])
	if err != nil {
		return s, -1
	}
	return s[:i], n
}
