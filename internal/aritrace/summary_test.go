package aritrace

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func evs(lines ...string) [][]byte {
	out := make([][]byte, len(lines))
	for i, l := range lines {
		out[i] = []byte(l)
	}
	return out
}

func TestSummarize(t *testing.T) {
	tests := []struct {
		name   string
		events [][]byte
		ignore []string
		want   map[string][]Step
	}{
		{
			name: "channels named by first appearance, Dial keyed by peer",
			events: evs(
				`{"type":"Dial","peer":{"id":"9.9","state":"Down"},"dialstatus":""}`,
				`{"type":"StasisStart","channel":{"id":"1.0","state":"Ring"},"args":["inbound","100"]}`,
				`{"type":"Dial","peer":{"id":"9.9","state":"Ringing"},"caller":{"id":"1.0"},"dialstatus":"RINGING"}`,
				`{"type":"ChannelDestroyed","channel":{"id":"9.9","state":"Ringing"},"cause":19}`,
			),
			want: map[string][]Step{
				"c1": {{Type: "Dial", State: "Down"}, {Type: "Dial", DialStatus: "RINGING", State: "Ringing"},
					{Type: "ChannelDestroyed", State: "Ringing", Cause: "19"}},
				"c2": {{Type: "StasisStart", State: "Ring", Args: "inbound,100"}},
			},
		},
		{
			name: "varset and ignored types are left out",
			events: evs(
				`{"type":"ChannelVarset","channel":{"id":"1.0","state":"Up"},"variable":"X"}`,
				`{"type":"ChannelVarset","variable":"GLOBAL"}`,
				`{"type":"ChannelDialplan","channel":{"id":"1.0","state":"Up"}}`,
				`{"type":"ChannelDtmfReceived","channel":{"id":"1.0","state":"Up"},"digit":"1"}`,
			),
			ignore: []string{"ChannelDialplan"},
			want:   map[string][]Step{"c1": {{Type: "ChannelDtmfReceived", State: "Up", Digit: "1"}}},
		},
		{
			name: "playbacks and recordings by target, bridges by id",
			events: evs(
				`{"type":"PlaybackStarted","playback":{"id":"p","target_uri":"bridge:B","state":"playing"}}`,
				`{"type":"PlaybackFinished","playback":{"id":"p2","target_uri":"channel:1.0","state":"failed"}}`,
				`{"type":"RecordingStarted","recording":{"name":"n","target_uri":"channel:1.0","state":"recording"}}`,
				`{"type":"ChannelEnteredBridge","channel":{"id":"1.0","state":"Up"},"bridge":{"id":"A"}}`,
				`{"type":"BridgeDestroyed","bridge":{"id":"A"}}`,
				`{"type":"BridgeDestroyed","bridge":{"id":"B"}}`,
			),
			want: map[string][]Step{
				"b1": {{Type: "PlaybackStarted", PlaybackState: "playing"}, {Type: "BridgeDestroyed"}},
				"b2": {{Type: "BridgeDestroyed"}},
				"c1": {{Type: "PlaybackFinished", PlaybackState: "failed"},
					{Type: "RecordingStarted", PlaybackState: "recording"},
					{Type: "ChannelEnteredBridge", State: "Up"}},
			},
		},
		{
			name: "events about neither go to the app key, garbage is skipped",
			events: evs(
				`{"type":"ApplicationReplaced","application":"lab"}`,
				`not json`,
				`{"no":"type"}`,
			),
			want: map[string][]Step{AppKey: {{Type: "ApplicationReplaced"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Summarize(tt.events, tt.ignore...)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %v\nwant %v", got, tt.want)
			}
		})
	}
}

// The real abandon trace: the caller gives up while 101 rings.
func TestSummaryAbandon(t *testing.T) {
	tr, err := Load(filepath.Join(tracesDir, "abandon.ari.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	sum := tr.Summary("ChannelDialplan", "ChannelConnectedLine")
	caller := sum["c1"]
	if len(caller) < 4 {
		t.Fatalf("c1 = %v", caller)
	}
	if got := caller[0]; got.Type != "StasisStart" || got.Args != "inbound,100" {
		t.Errorf("c1 starts with %v", got)
	}
	// Asterisk adds a soft hangup request (cause 16) after StasisEnd.
	tail := caller[len(caller)-4:]
	want := []string{"ChannelHangupRequest", "StasisEnd", "ChannelHangupRequest", "ChannelDestroyed"}
	for i, s := range tail {
		if s.Type != want[i] {
			t.Errorf("c1 ends with %v, want types %v", tail, want)
			break
		}
	}
	if tail[3].Cause != "0" {
		t.Errorf("caller destroyed with cause %q, want 0", tail[3].Cause)
	}
}

// Ids and timestamps do not matter: the same trace with other ids compares equal.
func TestSummaryIgnoresIDs(t *testing.T) {
	traces, err := LoadDir(tracesDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range traces {
		t.Run(tr.Name, func(t *testing.T) {
			r := strings.NewReplacer("17954", "42424", "2026-11-2", "1999-01-0", `"id":"`, `"id":"other-`,
				`channel:`, `channel:other-`, `bridge:`, `bridge:other-`)
			var moved [][]byte
			for _, e := range tr.Events() {
				moved = append(moved, []byte(r.Replace(string(e))))
			}
			if err := Compare(tr.Summary(), Summarize(moved)); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestCompare(t *testing.T) {
	up := Step{Type: "StasisStart", State: "Up", Args: "a"}
	end := Step{Type: "StasisEnd", State: "Up"}
	gone := Step{Type: "ChannelDestroyed", State: "Up", Cause: "16"}
	tests := []struct {
		name      string
		want, got map[string][]Step
		wantErr   []string // substrings, in order; none means no error
	}{
		{name: "equal", want: map[string][]Step{"c1": {up, end}}, got: map[string][]Step{"c1": {up, end}}},
		{name: "both empty", want: nil, got: map[string][]Step{}},
		{
			name: "first mismatch per channel, channels in natural order",
			want: map[string][]Step{"c10": {up, end}, "c2": {up, end, gone}},
			got:  map[string][]Step{"c10": {up, gone}, "c2": {up, gone, gone}},
			wantErr: []string{
				`c2: step 2: want StasisEnd state="Up", got ChannelDestroyed state="Up" cause="16"`,
				`c10: step 2: want StasisEnd`,
			},
		},
		{
			name:    "missing steps",
			want:    map[string][]Step{"c1": {up, end, gone}},
			got:     map[string][]Step{"c1": {up}},
			wantErr: []string{`c1: after 1 steps: missing StasisEnd state="Up" (2 more)`},
		},
		{
			name:    "unexpected channel",
			want:    map[string][]Step{},
			got:     map[string][]Step{"b1": {{Type: "BridgeDestroyed"}}},
			wantErr: []string{`b1: after 0 steps: unexpected BridgeDestroyed (1 more)`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Compare(tt.want, tt.got)
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			at := 0
			for _, w := range tt.wantErr {
				i := strings.Index(msg[at:], w)
				if i < 0 {
					t.Fatalf("error %q lacks %q (in order)", msg, w)
				}
				at += i + len(w)
			}
		})
	}
}
