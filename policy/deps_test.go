package policy

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestPure fences the policy in, as tailscale's deptest does: the procedure's
// decisions must be provable without a PBX, a database or a clock.
func TestPure(t *testing.T) {
	banned := map[string]string{
		"net":                                "no sockets: the ari shell talks to Asterisk",
		"net/http":                           "no sockets",
		"database/sql":                       "no SQL: the store persists what Save says",
		"os":                                 "no files or environment",
		"os/exec":                            "no processes",
		"sync":                               "no goroutines: one owner per call carries the state",
		"github.com/CyCoreSystems/ari/v5":    "the ARI types stay in the shell",
		"github.com/mattn/go-sqlite3":        "no SQL",
		"github.com/callcare/callcare/clock": "time comes in as a value",
	}
	for _, dir := range []string{".", ".."} { // the policy and the domain it imports
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			af, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range af.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				if why, ok := banned[p]; ok {
					t.Errorf("%s imports %s: %s", f, p, why)
				}
				if strings.HasPrefix(p, "github.com/callcare/callcare/") {
					t.Errorf("%s imports %s: policy depends on the domain only", f, p)
				}
			}
		}
	}
}
