// Command gen reduces Asterisk's ARI Swagger 1.2 files to their structure.
//
// The project may not carry the specification's prose, so only what a
// validator needs survives: paths, methods, parameters, error codes, response
// classes and models (properties, types, required flags, subtypes). Every
// description, summary, note and error reason is dropped.
//
//	go run ./internal/arispec/gen -from ../shared/asterisk/ari-api-docs -out internal/arispec/spec.json
//
// It is self-contained on purpose: package arispec embeds its output, so it
// cannot be imported here before that output exists.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Input: the parts of a Swagger 1.2 api declaration we read. Fields not
// listed (description, summary, notes, reason, ...) are never decoded.
type inFile struct {
	APIs []struct {
		Path       string `json:"path"`
		Operations []struct {
			HTTPMethod     string    `json:"httpMethod"`
			Nickname       string    `json:"nickname"`
			ResponseClass  string    `json:"responseClass"`
			Upgrade        string    `json:"upgrade"`
			Parameters     []inParam `json:"parameters"`
			ErrorResponses []struct {
				Code json.Number `json:"code"` // some are strings ("404")
			} `json:"errorResponses"`
		} `json:"operations"`
	} `json:"apis"`
	Models map[string]struct {
		ID            string                `json:"id"`
		Discriminator string                `json:"discriminator"`
		SubTypes      []string              `json:"subTypes"`
		Properties    map[string]inProperty `json:"properties"`
	} `json:"models"`
}

type inParam struct {
	Name            string          `json:"name"`
	ParamType       string          `json:"paramType"`
	DataType        string          `json:"dataType"`
	Required        bool            `json:"required"`
	AllowMultiple   bool            `json:"allowMultiple"`
	DefaultValue    json.RawMessage `json:"defaultValue"`
	AllowableValues *allowable      `json:"allowableValues"`
}

type inProperty struct {
	Type            string     `json:"type"`
	Required        bool       `json:"required"`
	AllowableValues *allowable `json:"allowableValues"`
}

type allowable struct {
	ValueType string   `json:"valueType"`
	Values    []string `json:"values,omitempty"`
	Min       *float64 `json:"min,omitempty"`
	Max       *float64 `json:"max,omitempty"`
}

// Output: the shape package arispec decodes.
type outSpec struct {
	Operations []outOperation       `json:"operations"`
	Models     map[string]*outModel `json:"models"`
}

type outOperation struct {
	Method        string     `json:"method"`
	Path          string     `json:"path"`
	Nickname      string     `json:"nickname"`
	Resource      string     `json:"resource"`
	ResponseClass string     `json:"responseClass"`
	Upgrade       string     `json:"upgrade,omitempty"`
	Params        []outParam `json:"params,omitempty"`
	ErrorCodes    []int      `json:"errorCodes,omitempty"`
}

type outParam struct {
	Name            string          `json:"name"`
	ParamType       string          `json:"paramType"`
	DataType        string          `json:"dataType"`
	Required        bool            `json:"required,omitempty"`
	AllowMultiple   bool            `json:"allowMultiple,omitempty"`
	DefaultValue    json.RawMessage `json:"defaultValue,omitempty"`
	AllowableValues *allowable      `json:"allowableValues,omitempty"`
}

type outModel struct {
	ID            string                 `json:"id"`
	Resource      string                 `json:"resource"`
	Extends       string                 `json:"extends,omitempty"`
	Discriminator string                 `json:"discriminator,omitempty"`
	SubTypes      []string               `json:"subTypes,omitempty"`
	Properties    map[string]outProperty `json:"properties"`
}

type outProperty struct {
	Type            string     `json:"type"`
	Required        bool       `json:"required,omitempty"`
	AllowableValues *allowable `json:"allowableValues,omitempty"`
}

func main() {
	from := flag.String("from", "", "directory of the ARI Swagger files (rest-api/api-docs)")
	out := flag.String("out", "spec.json", "file to write")
	flag.Parse()
	if *from == "" {
		log.Fatal("gen: -from is required")
	}
	spec, err := build(*from)
	if err != nil {
		log.Fatal(err)
	}
	data, err := encode(spec)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		log.Fatal(err)
	}
}

// encode writes the spec deterministically (map keys sorted), indented so
// that a new Asterisk version's changes read well in a diff.
func encode(spec *outSpec) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	err := enc.Encode(spec)
	return buf.Bytes(), err
}

var methodOrder = map[string]int{"GET": 0, "POST": 1, "PUT": 2, "DELETE": 3}

func build(dir string) (*outSpec, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	spec := &outSpec{Models: map[string]*outModel{}}
	for _, f := range files {
		if filepath.Base(f) == "resources.json" { // the index of the others
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var in inFile
		if err := json.Unmarshal(data, &in); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		resource := strings.TrimSuffix(filepath.Base(f), ".json")
		for _, api := range in.APIs {
			for _, op := range api.Operations {
				o := outOperation{
					Method:        op.HTTPMethod,
					Path:          api.Path,
					Nickname:      op.Nickname,
					Resource:      resource,
					ResponseClass: op.ResponseClass,
					Upgrade:       op.Upgrade,
				}
				for _, p := range op.Parameters {
					o.Params = append(o.Params, outParam(p))
				}
				for _, e := range op.ErrorResponses {
					code, err := strconv.Atoi(e.Code.String())
					if err != nil {
						return nil, fmt.Errorf("%s %s %s: error code: %w", resource, op.HTTPMethod, api.Path, err)
					}
					o.ErrorCodes = append(o.ErrorCodes, code)
				}
				sort.Ints(o.ErrorCodes)
				spec.Operations = append(spec.Operations, o)
			}
		}
		for name, m := range in.Models {
			if _, dup := spec.Models[name]; dup {
				return nil, fmt.Errorf("%s: model %s defined twice", f, name)
			}
			om := &outModel{ID: m.ID, Resource: resource, Discriminator: m.Discriminator,
				SubTypes: m.SubTypes, Properties: map[string]outProperty{}}
			for pn, p := range m.Properties {
				om.Properties[pn] = outProperty(p)
			}
			spec.Models[name] = om
		}
	}
	for name, m := range spec.Models {
		for _, sub := range m.SubTypes {
			child, ok := spec.Models[sub]
			if !ok {
				return nil, fmt.Errorf("model %s: unknown subtype %s", name, sub)
			}
			child.Extends = name
		}
	}
	sort.SliceStable(spec.Operations, func(i, j int) bool {
		a, b := spec.Operations[i], spec.Operations[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return methodOrder[a.Method] < methodOrder[b.Method]
	})
	return spec, nil
}
