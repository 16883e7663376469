// Package aritrace loads traces recorded against a real Asterisk (one JSON
// object a line, see /work/shared/asterisk/README.md) and reduces their
// events to per-channel sequences that a simulator's output can be compared
// with, ignoring ids and timestamps.
package aritrace

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Line is one line of a trace. Fields that a kind does not use are zero.
type Line struct {
	Kind     string          `json:"kind"` // event, rest, ws or note
	TMs      int64           `json:"t_ms"`
	Event    json.RawMessage `json:"event,omitempty"`    // event: the WebSocket message, verbatim
	Method   string          `json:"method,omitempty"`   // rest
	Path     string          `json:"path,omitempty"`     // rest: without /ari
	Query    string          `json:"query,omitempty"`    // rest: URL-encoded
	Status   int             `json:"status,omitempty"`   // rest; ws handshakes
	Response json.RawMessage `json:"response,omitempty"` // rest: parsed JSON answer (null when none)
	Body     json.RawMessage `json:"body,omitempty"`     // rest, ws: the raw text when not JSON, as a JSON string
	Note     string          `json:"note,omitempty"`     // ws, note
}

// Trace is a loaded trace file.
type Trace struct {
	Name  string // file name without .ari.jsonl
	Lines []Line
}

// Load reads one trace file.
func Load(path string) (*Trace, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	t := &Trace{Name: strings.TrimSuffix(filepath.Base(path), ".ari.jsonl")}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, len(data)+1)
	for n := 1; sc.Scan(); n++ {
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		var l Line
		if err := json.Unmarshal(raw, &l); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		if l.Kind == "" {
			return nil, fmt.Errorf("%s:%d: no kind", path, n)
		}
		t.Lines = append(t.Lines, l)
	}
	return t, sc.Err()
}

// LoadDir loads every *.ari.jsonl in dir, sorted by name.
func LoadDir(dir string) ([]*Trace, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.ari.jsonl"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no *.ari.jsonl in %s", dir)
	}
	sort.Strings(paths)
	traces := make([]*Trace, 0, len(paths))
	for _, p := range paths {
		t, err := Load(p)
		if err != nil {
			return nil, err
		}
		traces = append(traces, t)
	}
	return traces, nil
}

// Requests returns the rest lines in order.
func (t *Trace) Requests() []Line { return t.ofKind("rest") }

// Events returns the raw events in order.
func (t *Trace) Events() [][]byte {
	var evs [][]byte
	for _, l := range t.ofKind("event") {
		evs = append(evs, l.Event)
	}
	return evs
}

// Summary summarizes the trace's events, see Summarize.
func (t *Trace) Summary(ignore ...string) map[string][]Step {
	return Summarize(t.Events(), ignore...)
}

func (t *Trace) ofKind(kind string) []Line {
	var out []Line
	for _, l := range t.Lines {
		if l.Kind == kind {
			out = append(out, l)
		}
	}
	return out
}
