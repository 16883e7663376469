package arispec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// DateLayout is how Asterisk writes a Date ("2026-11-23T23:56:11.954+0000").
const DateLayout = "2006-01-02T15:04:05.000-0700"

// CheckEvent validates a WebSocket message: its "type" names a concrete
// model that extends Message (every event extends Event, which extends
// Message), and the object is valid against that model, see CheckModel.
func (s *Spec) CheckEvent(raw []byte) error {
	var head struct {
		Type *string `json:"type"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return fmt.Errorf("event: %w", err)
	}
	if head.Type == nil {
		return errors.New("event: no type")
	}
	name := *head.Type
	m := s.Models[name]
	if m == nil || !s.extends(name, "Message") || len(m.SubTypes) > 0 {
		return fmt.Errorf("event: type %q is not an ARI event", name)
	}
	if err := s.check(name, raw, ""); err != nil {
		return fmt.Errorf("event %s: %w", name, err)
	}
	return nil
}

// CheckModel validates JSON against a model (or a type such as
// List[Channel]): every required field present, every field known to the
// model (its own or inherited) and of the declared type, nested models
// recursively, strings within their allowable values, Dates in Asterisk's
// layout. All problems are reported, each with its JSON path.
func (s *Spec) CheckModel(model string, raw []byte) error {
	if !s.knownType(model) {
		return fmt.Errorf("unknown model %q", model)
	}
	if err := s.check(model, raw, ""); err != nil {
		return fmt.Errorf("%s: %w", model, err)
	}
	return nil
}

func (s *Spec) knownType(t string) bool {
	if elem, ok := listElem(t); ok {
		return s.knownType(elem)
	}
	switch t {
	case "string", "Date", "int", "long", "double", "boolean", "object":
		return true
	}
	return s.Models[t] != nil
}

func listElem(t string) (string, bool) {
	if strings.HasPrefix(t, "List[") && strings.HasSuffix(t, "]") {
		return t[len("List[") : len(t)-1], true
	}
	return "", false
}

// check validates raw against type t; at is the JSON path for messages.
func (s *Spec) check(t string, raw json.RawMessage, at string) error {
	where := func(err error) error {
		if at == "" {
			return err
		}
		return fmt.Errorf("%s: %w", at, err)
	}
	raw = bytes.TrimSpace(raw)
	if bytes.Equal(raw, []byte("null")) {
		return where(fmt.Errorf("null, want %s", t))
	}
	if elem, ok := listElem(t); ok {
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return where(fmt.Errorf("want %s", t))
		}
		var errs []error
		for i, it := range items {
			errs = append(errs, s.check(elem, it, fmt.Sprintf("%s[%d]", at, i)))
		}
		return errors.Join(errs...)
	}
	switch t {
	case "string", "Date":
		var v string
		if err := json.Unmarshal(raw, &v); err != nil {
			return where(fmt.Errorf("want %s, got %s", t, raw))
		}
		if t == "Date" {
			if _, err := time.Parse(DateLayout, v); err != nil {
				return where(fmt.Errorf("date %q not in Asterisk's layout %s", v, DateLayout))
			}
		}
		return nil
	case "int", "long":
		var v int64
		if err := json.Unmarshal(raw, &v); err != nil {
			return where(fmt.Errorf("want %s, got %s", t, raw))
		}
		return nil
	case "double":
		var v float64
		if err := json.Unmarshal(raw, &v); err != nil {
			return where(fmt.Errorf("want %s, got %s", t, raw))
		}
		return nil
	case "boolean":
		var v bool
		if err := json.Unmarshal(raw, &v); err != nil {
			return where(fmt.Errorf("want %s, got %s", t, raw))
		}
		return nil
	case "object":
		var v map[string]json.RawMessage
		if err := json.Unmarshal(raw, &v); err != nil {
			return where(fmt.Errorf("want object, got %s", raw))
		}
		return nil
	}
	if s.Models[t] == nil {
		return where(fmt.Errorf("type %s not in the spec", t))
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return where(fmt.Errorf("want %s object, got %.40s", t, raw))
	}
	props := s.properties(t)
	var errs []error
	for _, name := range sortedKeys(props) {
		if _, ok := obj[name]; !ok && props[name].Required {
			errs = append(errs, where(fmt.Errorf("required field %q missing from %s", name, t)))
		}
	}
	for _, name := range sortedKeys(obj) {
		p, ok := props[name]
		if !ok {
			errs = append(errs, where(fmt.Errorf("field %q is not in %s", name, t)))
			continue
		}
		sub := name
		if at != "" {
			sub = at + "." + name
		}
		if err := s.check(p.Type, obj[name], sub); err != nil {
			errs = append(errs, err)
			continue
		}
		if a := p.AllowableValues; a != nil && a.ValueType == "LIST" {
			var v string
			if json.Unmarshal(obj[name], &v) == nil && !contains(a.Values, v) {
				errs = append(errs, fmt.Errorf("%s: %q not one of %v", sub, v, a.Values))
			}
		}
	}
	return errors.Join(errs...)
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
