package config_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/invopop/jsonschema"
	santhosh "github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/callcare/callcare/config"
)

var update = flag.Bool("update", false, "write callcare.schema.json anew from config.File")

// schemaFile is the JSON Schema editors use to complete and check
// callcare.yaml (the example names it on its first line).
const schemaFile = "../callcare.schema.json"

// reflectSchema reflects the schema from config.File, the one description
// of the file: the schema is generated, never written by hand.
func reflectSchema(t *testing.T) []byte {
	t.Helper()
	r := &jsonschema.Reflector{
		FieldNameTag:               "yaml",
		RequiredFromJSONSchemaTags: true,
		DoNotReference:             true,
		Mapper: func(ty reflect.Type) *jsonschema.Schema {
			switch ty {
			case reflect.TypeFor[config.Duration]():
				return &jsonschema.Schema{Type: "string", Pattern: `^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$`,
					Description: "a duration with its unit, as Go reads it: 5s, 1500ms, 2h30m", Examples: []any{"5s", "2h"}}
			case reflect.TypeFor[config.Date]():
				return &jsonschema.Schema{Type: "string", Pattern: `^[0-9]{4}-[0-9]{2}-[0-9]{2}`, Description: "a day, YYYY-MM-DD"}
			case reflect.TypeFor[config.When]():
				return &jsonschema.Schema{Type: "string", Pattern: `^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{1,2}:[0-9]{2})?`,
					Description: "a day (YYYY-MM-DD) or a day and a time (YYYY-MM-DD HH:MM), in the office's time zone"}
			case reflect.TypeFor[config.NumberList]():
				return &jsonschema.Schema{Type: "array", Items: &jsonschema.Schema{OneOf: []*jsonschema.Schema{{Type: "string"}, {Type: "integer"}}}}
			case reflect.TypeFor[config.Day]():
				span := &jsonschema.Schema{Type: "string", Pattern: `^\s*([0-9]{1,2}:[0-9]{2}\s*-\s*[0-9]{1,2}:[0-9]{2}|closed)\s*$`}
				return &jsonschema.Schema{Description: `opening hours of a day: "07:30-15:30", a list of such spans, or "closed"`,
					OneOf: []*jsonschema.Schema{span, {Type: "array", Items: span}}}
			}
			return nil
		},
	}
	// Descriptions come from the Go comments of config.File and the root's
	// Prompts, read from the module's root.
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir("..")
	err = r.AddGoComments("github.com/callcare/callcare", ".")
	t.Chdir(wd)
	if err != nil {
		t.Fatal(err)
	}
	s := r.Reflect(&config.File{})
	s.ID = "https://callcare.invalid/callcare.schema.json"
	s.Title = "callcare.yaml"
	s.Description = "The office's configuration of callcare: the Asterisk connection, the procedure, office hours, callbacks, special needs, the sounds and the staff directory."
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

func TestSchema_IsUpToDate(t *testing.T) {
	got := reflectSchema(t)
	if *update {
		if err := os.WriteFile(schemaFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not what config.File describes: run go test ./config -run TestSchema -update", schemaFile)
	}
	example, err := os.ReadFile("../callcare.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if first, _, _ := strings.Cut(string(example), "\n"); first != "# yaml-language-server: $schema=callcare.schema.json" {
		t.Errorf("the example's first line does not name the schema: %q", first)
	}
}

// TestSchema_RefusesWhatConfigCheckRefuses feeds the same files to the
// schema and to config check: what an editor marks red, check refuses too,
// and the example passes both.
func TestSchema_RefusesWhatConfigCheckRefuses(t *testing.T) {
	c := santhosh.NewCompiler()
	doc, err := santhosh.UnmarshalJSON(bytes.NewReader(reflectSchema(t)))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("callcare.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("callcare.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	validate := func(y string) error {
		var v any
		if err := yaml.Unmarshal([]byte(y), &v); err != nil {
			return err
		}
		b, err := json.Marshal(v) // a YAML date becomes a JSON string, as an editor sees it
		if err != nil {
			return err
		}
		inst, err := santhosh.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return err
		}
		return schema.Validate(inst)
	}
	example, err := os.ReadFile("../callcare.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := validate(string(example)); err != nil {
		t.Fatalf("the example fails the schema: %v", err)
	}
	// Numbers written bare, as admins do: both take them, alone or in a
	// list.
	for what, bare := range map[string]string{
		"extension":               edit(t, `extension: "111"`, "extension: 111"),
		"menu number":             edit(t, "database:", "menu:\n  numbers: [100, \"200\"]\ndatabase:"),
		"special needs' number":   edit(t, "database:", "special_needs:\n  numbers: [48600100200]\ndatabase:"),
		"department":              edit(t, `    department: "200"`, "    department: 200"),
		"overflow":                edit(t, `overflow: "100"`, "overflow: 100"),
		"secretariat":             edit(t, "database:", "secretariat: 100\ndatabase:"),
		"dedicated line's target": edit(t, "database:", "special_needs:\n  lines:\n    - number: 500\n      target: 100\ndatabase:"),
	} {
		if _, err := config.Parse("callcare.yaml", []byte(bare), noEnv); err != nil {
			t.Fatalf("config check refuses a bare %s: %v", what, err)
		}
		if err := validate(bare); err != nil {
			t.Errorf("the schema refuses a bare %s, which config check takes: %v", what, err)
		}
	}
	for _, tc := range []struct{ name, yaml string }{
		{"UnknownKey", edit(t, "database:", "databse: x.db\ndatabase:")},
		{"MissingDatabase", edit(t, "database: /tmp/callcare.db\n", "")},
		{"RingCycleWithoutUnit", edit(t, "database:", "procedure:\n  ring_cycle: 5\ndatabase:")},
		{"BadDuration", edit(t, "database:", "callbacks:\n  promise: two hours\ndatabase:")},
		{"RingsNotANumber", edit(t, "database:", "procedure:\n  answer_within_rings: three\ndatabase:")},
		{"ClerkWithoutEndpoint", edit(t, "    endpoint: PJSIP/101\n", "")},
		{"PasswordInTheFile", edit(t, "  user: callcare", "  user: callcare\n  password: secret")},
		{"BadOpeningHours", edit(t, "database:", "office_hours:\n  monday: all day\ndatabase:")},
		{"DepartmentsNotAList", edit(t, "database:", "sounds: loud\ndatabase:")},
		{"RetentionInDays", edit(t, "database:", "retention:\n  calls: 90d\ndatabase:")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := config.Parse("callcare.yaml", []byte(tc.yaml), noEnv); err == nil {
				t.Errorf("config check accepts it")
			}
			if err := validate(tc.yaml); err == nil {
				t.Errorf("the schema accepts it")
			}
		})
	}
}
