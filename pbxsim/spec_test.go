package pbxsim

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/callcare/callcare/internal/arispec"
)

var (
	specOnce sync.Once
	spec     *arispec.Spec
	specErr  error
)

func mustSpec(tb testing.TB) *arispec.Spec {
	tb.Helper()
	specOnce.Do(func() { spec, specErr = arispec.Load() })
	if specErr != nil {
		tb.Fatal(specErr)
	}
	return spec
}

// TestSpec_Routes: every operation the simulator serves is one of ARI's,
// with the same path template.
func TestSpec_Routes(t *testing.T) {
	sp := mustSpec(t)
	known := map[arispec.Route]bool{}
	for _, r := range sp.Routes() {
		known[r] = true
	}
	s := NewUnstartedServer(Options{})
	defer s.Close()
	for _, r := range s.Routes() {
		if !known[arispec.Route{Method: r.Method, Path: r.Path}] {
			t.Errorf("%s %s is not in the ARI specification", r.Method, r.Path)
		}
	}
}

// emittedTypes finds every event type the simulator's source can emit.
func emittedTypes(tb testing.TB) []string {
	files, err := filepath.Glob("*.go")
	if err != nil {
		tb.Fatal(err)
	}
	re := regexp.MustCompile(`emit(?:Channel|Bridge|Playback|ChannelBridge)?\([^"\n]*"([A-Z][A-Za-z]+)"`)
	var out []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(data), -1) {
			if !slices.Contains(out, m[1]) {
				out = append(out, m[1])
			}
		}
		if strings.Contains(string(data), `"Dial", event{`) && !slices.Contains(out, "Dial") {
			out = append(out, "Dial")
		}
	}
	// Typed through helpers with the type as a variable.
	for _, t := range []string{"ChannelEnteredBridge", "ChannelLeftBridge", "PlaybackStarted", "PlaybackContinuing", "PlaybackFinished"} {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out
}

// TestSpec_EventTypes: every event type the simulator can emit is an ARI
// event (each event it sends is also validated in the trace replays).
func TestSpec_EventTypes(t *testing.T) {
	sp := mustSpec(t)
	types := emittedTypes(t)
	if len(types) < 20 {
		t.Fatalf("found only %d event types in the source: %v", len(types), types)
	}
	for _, typ := range types {
		if !slices.Contains(sp.EventTypes(), typ) {
			t.Errorf("%s is not an ARI event type", typ)
		}
	}
}
