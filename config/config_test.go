package config_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/config"
)

// base is a small valid file. Cases edit it with replacements and mark the
// line where they expect the problem with "#!".
const base = `asterisk:
  ari_url: http://127.0.0.1:8088/ari
  user: callcare
database: /tmp/callcare.db
departments:
  - number: "100"
    name: Sekretariat
    members: [sek1, sek2]
  - number: "200"
    name: Wydział Komunikacji
    members: [anowak]
    ring: in_order
    overflow: "100"
clerks:
  - id: sek1
    name: Joanna
    surname: Kowalska
    position: Sekretarz
    department: "100"
    extension: "101"
    endpoint: PJSIP/101
  - id: sek2
    name: Marek
    surname: Zieliński
    position: Podinspektor
    department: "100"
    extension: "102"
    endpoint: PJSIP/102
  - id: anowak
    name: Anna
    surname: Nowak
    position: Inspektor
    department: "200"
    extension: "111"
    endpoint: PJSIP/111
    overflow: sek1
`

func noEnv(string) string { return "" }

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// edit applies old->new replacements to base, failing if one does not apply.
func edit(tb testing.TB, pairs ...string) string {
	tb.Helper()
	s := base
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			tb.Fatalf("base has no %q", pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}

// marked is the line of the first "#!" in s.
func marked(tb testing.TB, s string) int {
	tb.Helper()
	for i, l := range strings.Split(s, "\n") {
		if strings.Contains(l, "#!") {
			return i + 1
		}
	}
	tb.Fatalf("no #! marker in\n%s", s)
	return 0
}

func mustParse(tb testing.TB, data string) *config.Config {
	tb.Helper()
	c, err := config.Parse("callcare.yaml", []byte(data), env(map[string]string{"CALLCARE_ARI_PASSWORD": "secret"}))
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	return c
}

func TestParse_OK(t *testing.T) {
	c := mustParse(t, base)
	if c.Asterisk.ARIURL != "http://127.0.0.1:8088/ari" || c.Asterisk.WebsocketURL != "ws://127.0.0.1:8088/ari/events" {
		t.Errorf("urls: %q %q", c.Asterisk.ARIURL, c.Asterisk.WebsocketURL)
	}
	if c.Asterisk.Password != "secret" || c.Asterisk.PasswordEnv != "CALLCARE_ARI_PASSWORD" {
		t.Errorf("password: %+v", c.Asterisk)
	}
	if c.Asterisk.App != "callcare" || c.Asterisk.RequestTimeout != 5*time.Second {
		t.Errorf("defaults: %+v", c.Asterisk)
	}
	if c.TimeZone == nil || c.TimeZone.String() != "Europe/Warsaw" {
		t.Errorf("time zone: %v", c.TimeZone)
	}
	if c.Procedure != callcare.DefaultProcedure {
		t.Errorf("procedure: %+v", c.Procedure)
	}
	if c.Prompts != callcare.DefaultPrompts {
		t.Errorf("sounds: %+v", c.Prompts)
	}
	if err := c.PasswordProblem(); err != nil {
		t.Errorf("PasswordProblem: %v", err)
	}
	d := c.Directory
	if len(d.Clerks) != 3 || len(d.Departments) != 2 {
		t.Fatalf("directory: %+v", d)
	}
	if d.Departments[0].Ring != callcare.RingTogether || d.Departments[1].Ring != callcare.RingInOrder {
		t.Errorf("rings: %q %q", d.Departments[0].Ring, d.Departments[1].Ring)
	}
	want := callcare.Clerk{ID: "anowak", Name: "Anna", Surname: "Nowak", Position: "Inspektor",
		Department: "200", Extension: "111", Endpoint: "PJSIP/111", Overflow: "sek1"}
	if d.Clerks[2] != want {
		t.Errorf("clerk: %+v", d.Clerks[2])
	}
	steps, err := d.Chain(callcare.Target{Kind: callcare.TargetDepartment, ID: "200"})
	if err != nil || len(steps) != 2 {
		t.Errorf("chain: %v %+v", err, steps)
	}
}

func TestParse_Values(t *testing.T) {
	c := mustParse(t, edit(t,
		"  user: callcare\n", "  user: callcare\n  app: ratusz\n  request_timeout: 1500ms\n  max_connections: 8\n  max_calls: 0\n  max_latency: 1s\n  websocket_url: wss://pbx.example/ari/events\n",
		"database:", "timezone: Europe/London\nprocedure:\n  answer_within_rings: 2\n  ring_cycle: 40ms\nsounds:\n  goodbye: custom/do-widzenia\ndatabase:",
		`extension: "111"`, "extension: 111", // a plain whole number is read as written
		"endpoint: PJSIP/111", "endpoint: pjsip/111", // as Asterisk names the technology
	))
	if c.Asterisk.App != "ratusz" || c.Asterisk.RequestTimeout != 1500*time.Millisecond || c.Asterisk.MaxConnections != 8 || c.Asterisk.MaxCalls != 0 || c.Asterisk.MaxLatency != time.Second || c.Asterisk.WebsocketURL != "wss://pbx.example/ari/events" {
		t.Errorf("asterisk: %+v", c.Asterisk)
	}
	if c.TimeZone.String() != "Europe/London" || c.Procedure.AnswerWithinRings != 2 || c.Procedure.RingCycle != 40*time.Millisecond {
		t.Errorf("tz %v procedure %+v", c.TimeZone, c.Procedure)
	}
	if c.Prompts.Goodbye != "custom/do-widzenia" || c.Prompts.UnknownNumber != "callcare/unknown-number" {
		t.Errorf("sounds: %+v", c.Prompts)
	}
	if c.Directory.Clerks[2].Extension != "111" || c.Directory.Clerks[2].Endpoint != "PJSIP/111" {
		t.Errorf("extension %q, endpoint %q", c.Directory.Clerks[2].Extension, c.Directory.Clerks[2].Endpoint)
	}
	c = mustParse(t, edit(t, "http://127.0.0.1:8088/ari", "https://pbx.example:8089/ari/", "  user: callcare\n", "  user: callcare\n  websocket_url: \"\"\n"))
	if c.Asterisk.ARIURL != "https://pbx.example:8089/ari" || c.Asterisk.WebsocketURL != "wss://pbx.example:8089/ari/events" {
		t.Errorf("derived: %q %q", c.Asterisk.ARIURL, c.Asterisk.WebsocketURL)
	}
}

// TestParse_Problems has one case per kind of problem; each asserts the
// path, the line and a piece of the message.
func TestParse_Problems(t *testing.T) {
	for _, tc := range []struct {
		name string
		yaml string
		path string
		msg  string
	}{
		{"SyntaxError", edit(t, "  user: callcare\n", "  user: callcare\n   bad: [unclosed #!\n"), "", "invalid YAML"},
		{"TabIndent", edit(t, "  user: callcare\n", "\tuser: callcare #!\n"), "", "tab"},
		{"UnknownKeyNested", edit(t, `    extension: "102"`, `    extention: "102" #!`), "clerks[1].extention", `did you mean "extension"`},
		{"UnknownKeyTop", edit(t, "database:", "Clerks: [] #!\ndatabase:"), "Clerks", "unknown key"},
		{"DuplicateKey", edit(t, "    name: Marek\n", "    name: Marek\n    name: Marcin #!\n"), "clerks[1].name", "written twice"},
		{"PasswordInFile", edit(t, "  user: callcare\n", "  user: callcare\n  password: hunter2 #!\n"), "asterisk.password", "password_env"},
		{"StringForList", edit(t, "members: [anowak]", "members: anowak #!"), "departments[1].members", "must be a list"},
		{"WordForNumber", edit(t, "database:", "procedure:\n  answer_within_rings: three #!\ndatabase:"), "procedure.answer_within_rings", "whole number"},
		{"DurationWithoutUnit", edit(t, "database:", "procedure:\n  ring_cycle: 5 #!\ndatabase:"), "procedure.ring_cycle", "unit"},
		{"BadDuration", edit(t, "  user: callcare\n", "  user: callcare\n  request_timeout: soon #!\n"), "asterisk.request_timeout", "duration"},
		{"ListForText", edit(t, "    name: Anna\n", "    name: [Anna] #!\n"), "clerks[2].name", "must be text"},
		{"LeadingZeroNumber", edit(t, `extension: "111"`, `extension: 0111 #!`), "clerks[2].extension", "quotes"},
		{"MissingRequired", edit(t, "    endpoint: PJSIP/102\n", "", "  - id: sek2", "  - id: sek2 #!"), "clerks[1].endpoint", "missing required"},
		{"MissingRequiredTop", edit(t, "database: /tmp/callcare.db\n", ""), "database", "missing required"},
		{"RequiredWithoutValue", edit(t, "  user: callcare", "  user: #!"), "asterisk.user", "needs a value"},
		{"EmptyRequired", edit(t, "    surname: Nowak", `    surname: "" #!`), "clerks[2].surname", "must not be empty"},
		{"DuplicateClerkID", edit(t, "  - id: sek2", "  - id: sek1 #!"), "clerks[1].id", `duplicate clerk id "sek1" (also clerks[0], line 15)`},
		{"DuplicateExtension", edit(t, `extension: "102"`, `extension: "101" #!`), "clerks[1].extension", `duplicate extension "101" (also clerks[0]`},
		{"DuplicateEndpoint", edit(t, "endpoint: PJSIP/111", "endpoint: PJSIP/101 #!"), "clerks[2].endpoint", `duplicate endpoint "PJSIP/101"`},
		{"DuplicateEndpointInLowerCase", edit(t, "endpoint: PJSIP/111", "endpoint: pjsip/101 #!"), "clerks[2].endpoint", `duplicate endpoint "PJSIP/101"`},
		{"DuplicateDepartment", edit(t, `number: "200"`, `number: "100" #!`), "departments[1].number", "duplicate department number"},
		{"ExtensionIsDepartment", edit(t, `extension: "111"`, `extension: "200" #!`), "clerks[2].extension", `also the number of departments[1]`},
		{"ClerkIDIsDepartment", edit(t, "  - id: anowak", `  - id: "200" #!`, "members: [anowak]", `members: ["200"]`), "clerks[2].id", "ambiguous"},
		{"NotDialable", edit(t, `extension: "111"`, `extension: "1-11" #!`), "clerks[2].extension", "digits only"},
		{"EndpointForm", edit(t, "endpoint: PJSIP/111", "endpoint: 111 #!"), "clerks[2].endpoint", "TECH/resource"},
		{"EndpointTwoPhones", edit(t, "endpoint: PJSIP/111", "endpoint: PJSIP/111&PJSIP/112 #!"), "clerks[2].endpoint", "TECH/resource"},
		{"UnknownDepartment", edit(t, `department: "200"`, `department: "900" #!`), "clerks[2].department", `no department has the number "900"`},
		{"UnknownMember", edit(t, "members: [sek1, sek2]", "members: [sek1, sek3] #!"), "departments[0].members[1]", `member "sek3" is not a clerk id`},
		{"MemberTwice", edit(t, "members: [sek1, sek2]", "members: [sek1, sek1] #!"), "departments[0].members[1]", "listed twice"},
		{"EmptyDepartment", edit(t, "  - number: \"200\"", "  - number: \"200\" #!", "    members: [anowak]\n", "", "    overflow: \"100\"\n", ""), "departments[1]", "ring nobody"},
		{"UnknownClerkOverflow", edit(t, "overflow: sek1", "overflow: sek9 #!"), "clerks[2].overflow", `overflow "sek9" names neither`},
		{"UnknownDepartmentOverflow", edit(t, `overflow: "100"`, `overflow: "999" #!`), "departments[1].overflow", "names neither"},
		{"OverflowLoop", edit(t, "    endpoint: PJSIP/101\n", "    endpoint: PJSIP/101\n    overflow: \"200\"\n", `name: Sekretariat`, "name: Sekretariat\n    overflow: sek1 #!"), "departments[0].overflow", "loops: 100 -> sek1 -> 200 -> 100"},
		{"OverflowToSelf", edit(t, "overflow: sek1", "overflow: anowak #!"), "clerks[2].overflow", "loops: anowak -> anowak"},
		{"ZeroDuration", edit(t, "database:", "procedure:\n  ring_cycle: 0s #!\ndatabase:"), "procedure.ring_cycle", "longer than zero"},
		{"NegativeDuration", edit(t, "  user: callcare\n", "  user: callcare\n  request_timeout: -5s #!\n"), "asterisk.request_timeout", "longer than zero"},
		{"NoConnections", edit(t, "  user: callcare\n", "  user: callcare\n  max_connections: 0 #!\n"), "asterisk.max_connections", "at least 1"},
		{"NegativeMaxCalls", edit(t, "  user: callcare\n", "  user: callcare\n  max_calls: -1 #!\n"), "asterisk.max_calls", "0 (no bound) or more"},
		{"NegativeMaxCallsPerSecond", edit(t, "  user: callcare\n", "  user: callcare\n  max_calls_per_second: -1 #!\n"), "asterisk.max_calls_per_second", "0 (no bound) or more"},
		{"ZeroRings", edit(t, "database:", "procedure:\n  answer_within_rings: 0 #!\ndatabase:"), "procedure.answer_within_rings", "at least 1"},
		{"UnknownRingStrategy", edit(t, "ring: in_order", "ring: parallel #!"), "departments[1].ring", `unknown ring strategy "parallel"`},
		{"UnknownTimeZone", edit(t, "database:", "timezone: Europe/Hajnowka #!\ndatabase:"), "timezone", "unknown time zone"},
		{"BadARIURL", edit(t, "ari_url: http://127.0.0.1:8088/ari", "ari_url: 127.0.0.1:8088 #!"), "asterisk.ari_url", "http://"},
		{"BadWebsocketURL", edit(t, "  user: callcare\n", "  user: callcare\n  websocket_url: http://x/events #!\n"), "asterisk.websocket_url", "ws://"},
		{"BadAppName", edit(t, "  user: callcare\n", "  user: callcare\n  app: call care #!\n"), "asterisk.app", "application name"},
		{"BadEnvName", edit(t, "  user: callcare\n", "  user: callcare\n  password_env: $PASS #!\n"), "asterisk.password_env", "environment variable name"},
		{"SoundWithScheme", edit(t, "database:", "sounds:\n  goodbye: sound:vm-goodbye #!\ndatabase:"), "sounds.goodbye", "without \"sound:\""},
		{"SecondDocument", base + "--- #!\nfoo: bar\n", "", "second YAML document"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			line := 1 // a missing top-level key is reported at the top
			if tc.name != "MissingRequiredTop" {
				line = marked(t, tc.yaml)
			}
			wantProblem(t, tc.yaml, tc.path, line, tc.msg)
		})
	}
}

// wantProblem parses y and asserts a problem at path and line whose message
// contains msg.
func wantProblem(t *testing.T, y, path string, line int, msg string) {
	t.Helper()
	_, err := config.Parse("callcare.yaml", []byte(y), noEnv)
	var ps config.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("want Problems, got %v", err)
	}
	for _, p := range ps {
		if p.Path == path && strings.Contains(p.Message, msg) {
			if p.Line != line {
				t.Errorf("line %d, want %d: %v", p.Line, line, p)
			}
			if p.File != "callcare.yaml" {
				t.Errorf("file %q", p.File)
			}
			return
		}
	}
	t.Errorf("no problem at %s containing %q; got:\n%v", path, msg, err)
}

// A loop is reported once, not at every member nor at what leads into it.
func TestParse_LoopReportedOnce(t *testing.T) {
	y := edit(t, "    endpoint: PJSIP/102\n", "    endpoint: PJSIP/102\n    overflow: sek1\n",
		"    endpoint: PJSIP/101\n", "    endpoint: PJSIP/101\n    overflow: sek2 #!\n")
	_, err := config.Parse("callcare.yaml", []byte(y), noEnv)
	var ps config.Problems
	if !errors.As(err, &ps) || len(ps) != 1 {
		t.Fatalf("want one problem, got %v", err)
	}
	if ps[0].Path != "clerks[0].overflow" || ps[0].Line != marked(t, y) || !strings.Contains(ps[0].Message, "sek1 -> sek2 -> sek1") {
		t.Errorf("got %v", ps[0])
	}
}

// Every problem is reported, not just the first, in file order.
func TestParse_AllProblems(t *testing.T) {
	y := edit(t,
		"  user: callcare\n", "  user: callcare\n  request_timeout: -1s\n",
		`extension: "102"`, `extension: "101"`,
		"endpoint: PJSIP/111", "endpoint: PJSIP-111",
		"overflow: sek1", "overflow: nobody",
		"ring: in_order", "ring: sometimes",
		"    surname: Nowak\n", "    surnme: Nowak\n",
	)
	_, err := config.Parse("callcare.yaml", []byte(y), noEnv)
	var ps config.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("want Problems, got %v", err)
	}
	want := []string{"asterisk.request_timeout", "departments[1].ring", "clerks[1].extension",
		"clerks[2].surname", "clerks[2].surnme", "clerks[2].endpoint", "clerks[2].overflow"}
	var got []string
	for _, p := range ps {
		got = append(got, p.Path)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("paths %v, want %v\n%v", got, want, err)
	}
	for i := 1; i < len(ps); i++ {
		if ps[i].Line < ps[i-1].Line {
			t.Errorf("not in file order:\n%v", err)
		}
	}
	if n := strings.Count(err.Error(), "\n") + 1; n != len(ps) {
		t.Errorf("Error() has %d lines for %d problems", n, len(ps))
	}
	if !strings.HasPrefix(err.Error(), "callcare.yaml:4: asterisk.request_timeout: ") {
		t.Errorf("Error() starts %q", strings.SplitN(err.Error(), "\n", 2)[0])
	}
}

func TestParse_Empty(t *testing.T) {
	for _, data := range []string{"", "# nothing\n", "asterisk:\n"} {
		_, err := config.Parse("callcare.yaml", []byte(data), noEnv)
		var ps config.Problems
		if !errors.As(err, &ps) || len(ps) < 3 {
			t.Errorf("%q: want missing-key problems, got %v", data, err)
		}
	}
	_, err := config.Parse("callcare.yaml", []byte("- a\n- b\n"), noEnv)
	if err == nil || !strings.Contains(err.Error(), "callcare.yaml:1: must be a mapping") {
		t.Errorf("list at top: %v", err)
	}
}

// Anchors, aliases and merge keys work as viper reads them.
func TestParse_Anchors(t *testing.T) {
	y := edit(t, "  - id: sek2\n    name: Marek\n    surname: Zieliński\n    position: Podinspektor\n    department: \"100\"\n",
		"  - <<: &sekretariat {position: Podinspektor, department: \"100\"}\n    id: sek2\n    name: Marek\n    surname: Zieliński\n")
	c := mustParse(t, y)
	if got := c.Directory.Clerks[1]; got.Position != "Podinspektor" || got.Department != "100" {
		t.Errorf("merged clerk: %+v", got)
	}
}

func TestPassword(t *testing.T) {
	dir := t.TempDir()
	pwFile := filepath.Join(dir, "ari-password")
	if err := os.WriteFile(pwFile, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	withFile := edit(t, "  user: callcare\n", "  user: callcare\n  password_env: ARI_PW\n  password_file: "+pwFile+"\n")

	t.Run("EnvWins", func(t *testing.T) {
		c, err := config.Parse("callcare.yaml", []byte(withFile), env(map[string]string{"ARI_PW": "from-env"}))
		if err != nil || c.Asterisk.Password != "from-env" {
			t.Fatalf("%v %+v", err, c)
		}
	})
	t.Run("FileTrimmed", func(t *testing.T) {
		c, err := config.Parse("callcare.yaml", []byte(withFile), noEnv)
		if err != nil || c.Asterisk.Password != "from-file" || c.PasswordProblem() != nil {
			t.Fatalf("%v %+v", err, c)
		}
	})
	t.Run("RelativeFile", func(t *testing.T) {
		y := edit(t, "  user: callcare\n", "  user: callcare\n  password_file: ari-password\n")
		c, err := config.Parse(filepath.Join(dir, "callcare.yaml"), []byte(y), nil)
		if err != nil || c.Asterisk.Password != "from-file" {
			t.Fatalf("%v %+v", err, c)
		}
	})
	// config check in CI: the file is valid without the secret; the
	// problem is kept for serve.
	t.Run("MissingIsNotAFileProblem", func(t *testing.T) {
		c, err := config.Parse("callcare.yaml", []byte(base), noEnv)
		if err != nil {
			t.Fatal(err)
		}
		var ps config.Problems
		if !errors.As(c.PasswordProblem(), &ps) || ps[0].Path != "asterisk.password_env" || ps[0].Line != 1 ||
			!strings.Contains(ps[0].Message, "CALLCARE_ARI_PASSWORD") {
			t.Fatalf("PasswordProblem: %v", c.PasswordProblem())
		}
	})
	t.Run("UnreadableFile", func(t *testing.T) {
		y := edit(t, "  user: callcare\n", "  user: callcare\n  password_file: /nonexistent/pw #!\n")
		c, err := config.Parse("callcare.yaml", []byte(y), noEnv)
		if err != nil {
			t.Fatal(err)
		}
		var ps config.Problems
		if !errors.As(c.PasswordProblem(), &ps) || ps[0].Line != marked(t, y) || !strings.Contains(ps[0].Message, "does not exist") {
			t.Fatalf("PasswordProblem: %v", c.PasswordProblem())
		}
	})
	t.Run("LoadRefuses", func(t *testing.T) {
		path := filepath.Join(dir, "callcare.yaml")
		if err := os.WriteFile(path, []byte(edit(t, "  user: callcare\n", "  user: callcare\n  password_env: CALLCARE_TEST_NO_SUCH_VAR\n")), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := config.Check(path); err != nil {
			t.Errorf("Check: %v", err)
		}
		c, err := config.Load(path)
		var ps config.Problems
		if c != nil || !errors.As(err, &ps) || !strings.Contains(err.Error(), "no ARI password") {
			t.Errorf("Load: %v %v", c, err)
		}
	})
}

// Load of a bad file returns Problems and no Config: nothing half-applied,
// so a reload keeps the running configuration.
func TestLoad_Bad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "callcare.yaml")
	if err := os.WriteFile(path, []byte(edit(t, `extension: "102"`, `extension: "101"`)), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CALLCARE_ARI_PASSWORD", "secret")
	c, err := config.Load(path)
	var ps config.Problems
	if c != nil || !errors.As(err, &ps) || len(ps) != 1 || ps[0].Line != 27 {
		t.Fatalf("Load: %v, %v", c, err)
	}
	if !strings.HasPrefix(err.Error(), path+":27: clerks[1].extension: duplicate extension \"101\"") {
		t.Errorf("message: %v", err)
	}
	if _, err := config.Load(filepath.Join(t.TempDir(), "missing.yaml")); err == nil || errors.As(err, &ps) {
		t.Errorf("missing file: %v", err)
	}
}

func TestExample(t *testing.T) {
	root, err := os.ReadFile("../callcare.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(root, config.Example()) {
		t.Fatal("config/example.yaml differs from ../callcare.example.yaml: run go generate ./config")
	}
	c, err := config.Parse("callcare.example.yaml", config.Example(), noEnv)
	if err != nil {
		t.Fatalf("the shipped example is invalid:\n%v", err)
	}
	d := c.Directory
	if len(d.Departments) < 4 || len(d.Clerks) < 6 {
		t.Errorf("example directory too small: %d departments, %d clerks", len(d.Departments), len(d.Clerks))
	}
	// Every chain ends at the secretariat, and reaches a person.
	for _, c := range d.Clerks {
		steps, err := d.Chain(callcare.Target{Kind: callcare.TargetClerk, ID: string(c.ID)})
		if err != nil || len(steps) < 2 || steps[len(steps)-1].Via.ID != "100" {
			t.Errorf("chain of %s: %v %+v", c.ID, err, steps)
		}
	}
	// Issue 5: a town hall's week, callbacks, special needs, deputies.
	week := c.OfficeHours.Week
	if fmt.Sprint(week[time.Monday], week[time.Wednesday], week[time.Friday], week[time.Saturday]) !=
		"[07:30-17:00] [07:30-15:30] [07:30-14:00] []" || !c.OfficeHours.PolishHolidays || len(c.OfficeHours.Closed) == 0 {
		t.Errorf("office hours: %+v", c.OfficeHours)
	}
	if c.Callbacks.FeatureCode != "*70" || c.Callbacks.CallerID == "" || len(c.Callbacks.Retry) == 0 {
		t.Errorf("callbacks: %+v", c.Callbacks)
	}
	if len(c.SpecialNeeds.Numbers) == 0 || len(c.SpecialNeeds.Lines) == 0 ||
		c.SpecialNeeds.Lines[0] != (config.Line{Number: "500", Target: callcare.Target{Kind: callcare.TargetDepartment, ID: "100"}}) {
		t.Errorf("special needs: %+v", c.SpecialNeeds)
	}
	for _, dep := range d.Departments {
		if dep.Head == "" {
			t.Errorf("department %s has no head", dep.Number)
		}
	}
	subs := 0
	for _, cl := range d.Clerks {
		if cl.Substitute != "" {
			subs++
		}
	}
	if subs == 0 {
		t.Error("no clerk has a substitute")
	}
	if c.Prompts != callcare.DefaultPrompts {
		t.Errorf("the example's sounds are not the defaults: %+v", c.Prompts)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(base))
	f.Add(config.Example())
	f.Add([]byte("a: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		stuck := time.AfterFunc(5*time.Second, func() { panic(fmt.Sprintf("Parse stuck on %q", data)) })
		defer stuck.Stop()
		c, err := config.Parse("f.yaml", data, noEnv)
		if (c == nil) == (err == nil) {
			t.Fatalf("config %v and error %v", c, err)
		}
	})
}

func TestParse_Language(t *testing.T) {
	if c := mustParse(t, base); c.Language != "pl" {
		t.Errorf("default language %q, want pl", c.Language)
	}
	if c := mustParse(t, "language: en\n"+base); c.Language != "en" {
		t.Errorf("language %q, want en", c.Language)
	}
	wantProblem(t, "language: de\n"+base, "language", 1, "pl or en")
}

// asterisk.max_calls_per_second: 50 unless set; 0 lifts the bound.
func TestParse_MaxCallsPerSecond(t *testing.T) {
	for yaml, want := range map[string]int{"": 50, "  max_calls_per_second: 120\n": 120, "  max_calls_per_second: 0\n": 0} {
		c, err := config.Parse("callcare.yaml", []byte(edit(t, "  user: callcare\n", "  user: callcare\n"+yaml)), noEnv)
		if err != nil {
			t.Errorf("%q: %v", yaml, err)
		} else if c.Asterisk.MaxCallsPerSecond != want {
			t.Errorf("%q: %d, want %d", yaml, c.Asterisk.MaxCallsPerSecond, want)
		}
	}
}

// asterisk.max_host_cpu is a share of the processors' time in per cent;
// 0 lifts the bound.
func TestParse_MaxHostCPU(t *testing.T) {
	for _, tc := range []struct {
		yaml string
		want float64
		bad  bool
	}{
		{"", 0.85, false},
		{"  max_host_cpu: 90\n", 0.90, false},
		{"  max_host_cpu: 0\n", 0, false},
		{"  max_host_cpu: 101\n", 0, true},
		{"  max_host_cpu: -5\n", 0, true},
	} {
		c, err := config.Parse("callcare.yaml", []byte(edit(t, "  user: callcare\n", "  user: callcare\n"+tc.yaml)), noEnv)
		if (err != nil) != tc.bad {
			t.Errorf("%q: %v", tc.yaml, err)
			continue
		}
		if err == nil && c.Asterisk.MaxHostCPU != tc.want {
			t.Errorf("%q: %v, want %v", tc.yaml, c.Asterisk.MaxHostCPU, tc.want)
		}
	}
}

// TestParse_MembershipWarnings: where a department's members: and a
// clerk's department: disagree, the file is valid, but a free clerk serves
// only their own department's waiting line (P5.3): the admin is warned,
// at the line that says it.
func TestParse_MembershipWarnings(t *testing.T) {
	for _, tc := range []struct {
		name string
		yaml string
		want []string
	}{
		{"agreeing", base, nil},
		{"a member of a second department", edit(t, "members: [anowak]", "members: [anowak, sek1]"),
			[]string{`callcare.yaml:11: departments[1].members[1]: sek1 is a member of 200 but belongs to 100 (its department:): calls to 200 ring them, but they never serve its waiting line`}},
		{"in the members of another department than their own", edit(t, "    department: \"200\"\n    extension: \"111\"", "    department: \"100\"\n    extension: \"111\""),
			[]string{
				`callcare.yaml:11: departments[1].members[0]: anowak is a member of 200 but belongs to 100 (its department:): calls to 200 ring them, but they never serve its waiting line`,
				`callcare.yaml:33: clerks[2].department: anowak belongs to 100 but is not among its members: calls to 100 do not ring them, but they serve its waiting line`,
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := config.Parse("callcare.yaml", []byte(tc.yaml), noEnv)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range c.Warnings() {
				got = append(got, w.String())
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("warnings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}
