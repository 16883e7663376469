package callcare_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestDependencies fences the packages, as tailscale's deptest does: the
// domain and the policy stay pure, the adapters stay apart, and the
// simulated Asterisk knows nothing of the service it tests. Each rule says
// why.
func TestDependencies(t *testing.T) {
	const mod = "github.com/callcare/callcare"
	// fmt needs os, so os is banned only as a direct import (see below).
	io := []string{"net", "net/http", "database/sql", "os/exec", "github.com/CyCoreSystems/ari/v5",
		"github.com/mattn/go-sqlite3", "github.com/spf13/viper", "go.yaml.in/yaml/v3"}
	adapters := []string{mod + "/sqlite", mod + "/ari", mod + "/agi", mod + "/config", mod + "/metrics", mod + "/cmd/callcare"}
	for _, rule := range []struct {
		pkg    string
		banned []string
		why    string
	}{
		{mod, append(io, mod+"/policy", mod+"/clock"), "the domain's nouns and contracts do no I/O and know no package of their own module"},
		{mod + "/policy", append(io, adapters...), "the procedure's decisions are pure: events and time in, actions out"},
		{mod + "/dialplan", append(io, adapters...), "resolving a number is pure; the .conf files are embedded"},
		{mod + "/sqlite", without(adapters, mod+"/sqlite"), "adapters never import each other; only cmd wires them"},
		{mod + "/ari", without(adapters, mod+"/ari"), "adapters never import each other; only cmd wires them"},
		{mod + "/agi", without(adapters, mod+"/agi"), "adapters never import each other; only cmd wires them"},
		{mod + "/config", without(adapters, mod+"/config"), "adapters never import each other; only cmd wires them"},
		{mod + "/metrics", without(adapters, mod+"/metrics"), "adapters never import each other; only cmd wires them (the metrics hear the shell through its observer and meter)"},
		{mod + "/report", append(io, append(adapters, mod+"/policy", mod+"/clock", mod+"/retention", mod+"/dialplan")...),
			"the compliance report is counted and written purely: records in, figures and pages out; only the root and the standard library"},
		{mod + "/retention", append(io, append(adapters, mod+"/policy", mod+"/clock")...),
			"the purge speaks the root's contracts and the report's figures; the store behind them is the caller's"},
		{mod + "/prompts", append([]string{"net", "net/http", "database/sql", "github.com/CyCoreSystems/ari/v5", "github.com/mattn/go-sqlite3"}, adapters...),
			"the prompts' words and their building (espeak-ng, sox) know the domain's list of prompts, nothing of the service"},
		{mod + "/pbxsim", []string{mod, mod + "/policy", mod + "/ari", mod + "/sqlite", mod + "/config", mod + "/agi", mod + "/dialplan"},
			"the simulator tests the client honestly only if it shares none of its code (the clock is time, not callcare)"},
	} {
		out, err := exec.Command("go", "list", "-deps", rule.pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", rule.pkg, err)
		}
		deps := strings.Fields(string(out))
		for _, b := range rule.banned {
			if b != rule.pkg && slices.Contains(deps, b) {
				t.Errorf("%s depends on %s: %s", rule.pkg, b, rule.why)
			}
		}
	}
	// The report imports nothing beyond the root and the standard library:
	// its figures must mean the same wherever they are counted.
	out, err := exec.Command("go", "list", "-deps", mod+"/report").Output()
	if err != nil {
		t.Fatalf("go list -deps report: %v", err)
	}
	for _, d := range strings.Fields(string(out)) {
		if first, _, _ := strings.Cut(d, "/"); strings.Contains(first, ".") && d != mod && d != mod+"/report" {
			t.Errorf("%s/report depends on %s: only the root and the standard library", mod, d)
		}
	}
	for _, pkg := range []string{mod, mod + "/policy", mod + "/dialplan", mod + "/report", mod + "/retention"} {
		out, err := exec.Command("go", "list", "-f", "{{join .Imports \" \"}}", pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		if slices.Contains(strings.Fields(string(out)), "os") {
			t.Errorf("%s imports os: it must not read files, the environment or the clock's host", pkg)
		}
	}
}

func without(list []string, drop string) []string {
	return slices.DeleteFunc(slices.Clone(list), func(s string) bool { return s == drop })
}
