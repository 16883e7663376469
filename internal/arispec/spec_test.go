package arispec

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func mustLoad(t *testing.T) *Spec {
	t.Helper()
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The embedded spec carries structure only: no description, summary, notes
// or reason (a model property may be named "description"; that is structure).
func TestEmbeddedSpecHasNoProse(t *testing.T) {
	var doc any
	if err := json.Unmarshal(specJSON, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(v any, parent string)
	walk = func(v any, parent string) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if parent != "properties" {
					switch k {
					case "description", "descriptioni", "summary", "notes", "reason", "__note", "_copyright", "_author":
						t.Errorf("prose key %q in spec.json", k)
					}
				}
				walk(x, k)
			}
		case []any:
			for _, x := range v {
				walk(x, parent)
			}
		}
	}
	walk(doc, "")
}

func TestSpecIsComplete(t *testing.T) {
	s := mustLoad(t)
	routes := s.Routes()
	if len(routes) < 100 {
		t.Errorf("%d routes", len(routes))
	}
	seen := map[Route]bool{}
	for _, r := range routes {
		if seen[r] {
			t.Errorf("route %v twice", r)
		}
		seen[r] = true
	}
	for _, op := range s.Operations {
		rc := op.ResponseClass
		if rc != "void" && rc != "binary" && !s.knownType(rc) {
			t.Errorf("%s %s: response class %q unknown", op.Method, op.Path, rc)
		}
	}
	for name, m := range s.Models {
		for pn, p := range m.Properties {
			if !s.knownType(p.Type) {
				t.Errorf("%s.%s: type %q unknown", name, pn, p.Type)
			}
		}
	}
	events := s.EventTypes()
	for _, want := range []string{"StasisStart", "StasisEnd", "Dial", "ChannelDestroyed", "PlaybackFinished", "ApplicationReplaced"} {
		if !slices.Contains(events, want) {
			t.Errorf("EventTypes lacks %s", want)
		}
	}
	for _, not := range []string{"Event", "Message", "MissingParams", "Channel"} {
		if slices.Contains(events, not) {
			t.Errorf("EventTypes has %s", not)
		}
	}
	if !slices.IsSorted(events) {
		t.Error("EventTypes not sorted")
	}
}

func TestOperation(t *testing.T) {
	s := mustLoad(t)
	tests := []struct {
		method, path string
		wantPath     string
		wantParams   map[string]string
		wantErr      error
	}{
		{"POST", "/ari/channels/1795.1/dial", "/channels/{channelId}/dial", map[string]string{"channelId": "1795.1"}, nil},
		{"POST", "/channels/1795.1/dial?timeout=5", "/channels/{channelId}/dial", map[string]string{"channelId": "1795.1"}, nil},
		{"POST", "/channels/create", "/channels/create", map[string]string{}, nil},
		{"GET", "/channels/create", "/channels/{channelId}", map[string]string{"channelId": "create"}, nil},
		{"POST", "/channels", "/channels", map[string]string{}, nil},
		{"GET", "/recordings/stored/a%20b/file", "/recordings/stored/{recordingName}/file", map[string]string{"recordingName": "a b"}, nil},
		{"GET", "/endpoints/SIP/101", "/endpoints/{tech}/{resource}", map[string]string{"tech": "SIP", "resource": "101"}, nil},
		{"DELETE", "/bridges/b-1/moh", "/bridges/{bridgeId}/moh", map[string]string{"bridgeId": "b-1"}, nil},
		{"GET", "/events", "/events", map[string]string{}, nil},
		{"GET", "/no-such-resource", "", nil, ErrNoRoute},
		{"GET", "/ari", "", nil, ErrNoRoute},
		{"POST", "/channels/1/dial/extra", "", nil, ErrNoRoute},
		{"PUT", "/channels/1/dial", "", nil, ErrMethod},
		{"GET", "/channels/1/ring", "", nil, ErrMethod},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			op, params, err := s.Operation(tt.method, tt.path)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if s.CheckRoute(tt.method, tt.path) == nil {
					t.Error("CheckRoute accepts it")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if op.Path != tt.wantPath || op.Method != tt.method || !reflect.DeepEqual(params, tt.wantParams) {
				t.Errorf("got %s %s %v, want %s %v", op.Method, op.Path, params, tt.wantPath, tt.wantParams)
			}
			if err := s.CheckRoute(tt.method, tt.path); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestCheckParams(t *testing.T) {
	s := mustLoad(t)
	tests := []struct {
		name, method, path string
		params             map[string]string
		wantErr            string // substring; "" means valid
	}{
		{"create ok", "POST", "/channels/create", map[string]string{"app": "lab", "endpoint": "SIP/101"}, ""},
		{"create no endpoint", "POST", "/channels/create", map[string]string{"app": "lab"}, "endpoint: required"},
		{"create empty endpoint", "POST", "/channels/create", map[string]string{"app": "lab", "endpoint": ""}, "endpoint: required"},
		{"unknown param ignored", "POST", "/channels/1/ring", map[string]string{"no_such_param": "1"}, ""},
		{"hangup reason", "DELETE", "/channels/1", map[string]string{"reason": "no_answer"}, ""},
		{"bad hangup reason", "DELETE", "/channels/1", map[string]string{"reason": "no-such-reason"}, `reason="no-such-reason": not one of`},
		{"dial timeout", "POST", "/channels/1/dial", map[string]string{"timeout": "5"}, ""},
		{"dial timeout not int", "POST", "/channels/1/dial", map[string]string{"timeout": "5s"}, "not an integer"},
		{"dial timeout negative", "POST", "/channels/1/dial", map[string]string{"timeout": "-1"}, "out of range"},
		{"record ok", "POST", "/channels/1/record", map[string]string{"name": "n", "format": "wav", "beep": "false", "terminateOn": "#", "ifExists": "overwrite", "maxDurationSeconds": "5"}, ""},
		{"record bad boolean", "POST", "/channels/1/record", map[string]string{"name": "n", "format": "wav", "beep": "maybe"}, "not a boolean"},
		{"record no format", "POST", "/channels/1/record", map[string]string{"name": "n"}, "format: required"},
		{"multiple media", "POST", "/channels/1/play", map[string]string{"media": "sound:a,sound:b"}, ""},
		{"asterisk info only", "GET", "/asterisk/info", map[string]string{"only": "build,status"}, ""},
		{"asterisk info bad only", "GET", "/asterisk/info", map[string]string{"only": "build,nope"}, `only="nope"`},
		{"body variables required", "POST", "/channels/1/variables", map[string]string{}, "variables: required body parameter"},
		{"no route", "GET", "/nope", nil, "no such resource"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.CheckParams(tt.method, tt.path, tt.params)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

const channel = `{"accountcode":"","caller":{"name":"","number":"48600100200"},"connected":{"name":"","number":""},` +
	`"creationtime":"2026-11-23T23:56:11.954+0000","dialplan":{"app_data":"lab","app_name":"Stasis","context":"from-outside","exten":"100","priority":2},` +
	`"id":"1795478171.0","language":"en","name":"SIP/127.0.0.1-00000000","protocol_id":"x@127.0.0.1","state":"Ring"}`

const head = `"application":"lab","asterisk_id":"02:fc:00:00:00:01","timestamp":"2026-11-23T23:56:11.954+0000"`

func TestCheckEvent(t *testing.T) {
	s := mustLoad(t)
	tests := []struct {
		name, raw string
		wantErr   []string // substrings; none means valid
	}{
		{"stasis start", `{"type":"StasisStart",` + head + `,"args":["inbound","100"],"channel":` + channel + `}`, nil},
		{"no asterisk_id is fine", `{"type":"StasisEnd","application":"lab","timestamp":"2026-11-23T23:56:11.954+0000","channel":` + channel + `}`, nil},
		{"hangup with soft", `{"type":"ChannelHangupRequest",` + head + `,"cause":16,"soft":true,"channel":` + channel + `}`, nil},
		{"not json", `{`, []string{"event:"}},
		{"no type", `{"application":"lab"}`, []string{"no type"}},
		{"unknown type", `{"type":"ChannelRinging",` + head + `}`, []string{`type "ChannelRinging" is not an ARI event`}},
		{"abstract type", `{"type":"Event",` + head + `}`, []string{"not an ARI event"}},
		{"model that is no event", `{"type":"Channel",` + head + `}`, []string{"not an ARI event"}},
		{"missing application", `{"type":"StasisEnd","timestamp":"2026-11-23T23:56:11.954+0000","channel":` + channel + `}`, []string{`required field "application" missing`}},
		{"unknown field", `{"type":"StasisEnd",` + head + `,"channel":` + channel + `,"reason":"x"}`, []string{`field "reason" is not in StasisEnd`}},
		{"args not a list", `{"type":"StasisStart",` + head + `,"args":"inbound","channel":` + channel + `}`, []string{"args: want List[string]"}},
		{"cause as text", `{"type":"ChannelDestroyed",` + head + `,"cause":"16","cause_txt":"Normal Clearing","channel":` + channel + `}`, []string{"cause: want int"}},
		{"bad date", `{"type":"StasisEnd","application":"lab","timestamp":"2026-11-23T23:56:11Z","channel":` + channel + `}`, []string{"timestamp: date"}},
		{"bad nested", `{"type":"StasisEnd",` + head + `,"channel":` + strings.Replace(channel, `"priority":2`, `"priority":"2"`, 1) + `}`,
			[]string{"channel.dialplan.priority: want long"}},
		{"nested missing and unknown", `{"type":"Dial",` + head + `,"dialstatus":"","peer":{"id":"1","state":"Ring","x":1}}`,
			[]string{`peer: required field "accountcode" missing from Channel`, `peer: field "x" is not in Channel`}},
		{"bad state", `{"type":"StasisEnd",` + head + `,"channel":` + strings.Replace(channel, `"Ring"`, `"Alerting"`, 1) + `}`,
			[]string{`channel.state: "Alerting" not one of`}},
		{"null field", `{"type":"StasisEnd",` + head + `,"channel":null}`, []string{"channel: null"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.CheckEvent([]byte(tt.raw))
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v\nwant it to contain %q", err, w)
				}
			}
		})
	}
}

func TestCheckModel(t *testing.T) {
	s := mustLoad(t)
	tests := []struct {
		model, raw string
		wantErr    string // substring; "" means valid
	}{
		{"Channel", channel, ""},
		{"List[Channel]", `[` + channel + `,` + channel + `]`, ""},
		{"List[Channel]", `[` + channel + `,{}]`, `[1]: required field "id" missing`},
		{"Playback", `{"id":"p","media_uri":"sound:beep","target_uri":"channel:1","language":"en","state":"playing"}`, ""},
		{"Playback", `{"id":"p","media_uri":"sound:beep","target_uri":"channel:1","language":"en","state":"started"}`, `state: "started" not one of`},
		{"Bridge", `{"id":"b","technology":"simple_bridge","bridge_type":"mixing","bridge_class":"stasis","creator":"Stasis","name":"","channels":[],"creationtime":"2026-11-23T23:56:11.954+0000","video_mode":"talker"}`, ""},
		{"Bridge", `{"id":"b","technology":"simple_bridge","bridge_type":"mixing","bridge_class":"stasis","creator":"Stasis","name":"","channels":[1]}`, "channels[0]: want string"},
		{"Application", `{"name":"lab","channel_ids":[],"bridge_ids":[],"endpoint_ids":[],"device_names":[],"events_allowed":[],"events_disallowed":[]}`, ""},
		{"Application", `{"name":"lab"}`, `required field "channel_ids" missing`},
		{"Channel", `[]`, "want Channel object"},
		{"NoSuchModel", `{}`, "unknown model"},
	}
	for _, tt := range tests {
		t.Run(tt.model+" "+tt.wantErr, func(t *testing.T) {
			err := s.CheckModel(tt.model, []byte(tt.raw))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}
