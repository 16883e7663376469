// Package arispec is the structure of Asterisk 20's ARI specification
// (paths, parameters, models; none of its prose) and validators that tell
// whether a request, an event or a response body is one Asterisk could have
// made. The simulated PBX is tested against it.
package arispec

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
)

//go:generate go run ./gen -from ../../../shared/asterisk/ari-api-docs -out spec.json

//go:embed spec.json
var specJSON []byte

// Spec is the ARI specification. Treat it as read-only.
type Spec struct {
	Operations []*Operation      `json:"operations"`
	Models     map[string]*Model `json:"models"`
}

// Operation is one method on one path template, e.g. POST /channels/{channelId}/dial.
type Operation struct {
	Method        string  `json:"method"`
	Path          string  `json:"path"`     // template, without /ari
	Nickname      string  `json:"nickname"` // the operation's name in its resource, e.g. "dial"
	Resource      string  `json:"resource"` // the api file it comes from, e.g. "channels"
	ResponseClass string  `json:"responseClass"`
	Upgrade       string  `json:"upgrade,omitempty"` // "websocket" for GET /events
	Params        []Param `json:"params,omitempty"`
	ErrorCodes    []int   `json:"errorCodes,omitempty"`
}

// Param is one parameter of an operation.
type Param struct {
	Name            string          `json:"name"`
	ParamType       string          `json:"paramType"` // path, query, body
	DataType        string          `json:"dataType"`  // string, int, long, boolean, containers, object
	Required        bool            `json:"required,omitempty"`
	AllowMultiple   bool            `json:"allowMultiple,omitempty"` // comma-separated values
	DefaultValue    json.RawMessage `json:"defaultValue,omitempty"`
	AllowableValues *Allowable      `json:"allowableValues,omitempty"`
}

// Allowable restricts a value: to a list (ValueType "LIST") or a range ("RANGE").
type Allowable struct {
	ValueType string   `json:"valueType"`
	Values    []string `json:"values,omitempty"`
	Min       *float64 `json:"min,omitempty"`
	Max       *float64 `json:"max,omitempty"`
}

// Model is a JSON object type. Extends names the model that lists this one
// among its SubTypes (Event extends Message, Dial extends Event).
type Model struct {
	ID            string              `json:"id"`
	Resource      string              `json:"resource"`
	Extends       string              `json:"extends,omitempty"`
	Discriminator string              `json:"discriminator,omitempty"`
	SubTypes      []string            `json:"subTypes,omitempty"`
	Properties    map[string]Property `json:"properties"`
}

// Property is one field of a model. Type is a primitive (string, int, long,
// double, boolean, Date, object), a model name or List[T].
type Property struct {
	Type            string     `json:"type"`
	Required        bool       `json:"required,omitempty"`
	AllowableValues *Allowable `json:"allowableValues,omitempty"`
}

// Route is a method and a path template.
type Route struct{ Method, Path string }

// Load decodes the embedded specification.
func Load() (*Spec, error) {
	var s Spec
	if err := json.Unmarshal(specJSON, &s); err != nil {
		return nil, fmt.Errorf("arispec: embedded spec.json: %w", err)
	}
	if len(s.Operations) == 0 || s.Models["Event"] == nil {
		return nil, fmt.Errorf("arispec: embedded spec.json is incomplete; run go generate")
	}
	return &s, nil
}

// Routes lists every operation's method and path template, in spec order.
func (s *Spec) Routes() []Route {
	out := make([]Route, len(s.Operations))
	for i, op := range s.Operations {
		out[i] = Route{op.Method, op.Path}
	}
	return out
}

// EventTypes lists the concrete models that extend Event, sorted.
func (s *Spec) EventTypes() []string {
	var out []string
	for name, m := range s.Models {
		if name != "Event" && len(m.SubTypes) == 0 && s.extends(name, "Event") {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// extends reports whether model name is base or a descendant of it.
func (s *Spec) extends(name, base string) bool {
	for seen := 0; name != "" && seen < 10; seen++ {
		if name == base {
			return true
		}
		m := s.Models[name]
		if m == nil {
			return false
		}
		name = m.Extends
	}
	return false
}

// properties merges a model's properties with those of the models it extends.
func (s *Spec) properties(name string) map[string]Property {
	props := map[string]Property{}
	for seen := 0; name != "" && seen < 10; seen++ {
		m := s.Models[name]
		if m == nil {
			break
		}
		for k, p := range m.Properties {
			if _, ok := props[k]; !ok {
				props[k] = p
			}
		}
		name = m.Extends
	}
	return props
}
