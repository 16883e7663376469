package arispec_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/callcare/callcare/internal/arispec"
	"github.com/callcare/callcare/internal/aritrace"
)

// The traces recorded against a real Asterisk 20 are ground truth: the
// validators must accept everything in them except the errors trace's
// deliberate mistakes.
const tracesDir = "../aritrace/testdata/traces"

func load(t *testing.T) *arispec.Spec {
	t.Helper()
	s, err := arispec.Load()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTraceEvents(t *testing.T) {
	s := load(t)
	traces, err := aritrace.LoadDir(tracesDir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, tr := range traces {
		for i, ev := range tr.Events() {
			n++
			if err := s.CheckEvent(ev); err != nil {
				t.Errorf("%s event %d: %v", tr.Name, i+1, err)
			}
		}
	}
	if n < 1000 {
		t.Errorf("checked only %d events", n)
	}
}

// Requests the errors trace makes on purpose that are not ARI routes.
var notRoutes = map[string]bool{"GET /no-such-resource": true}

// Requests Asterisk refused with 400 for a parameter: CheckParams must
// refuse them too.
var badParams = map[string]bool{
	"POST /channels/create?app=lab":                        true, // no endpoint
	"DELETE /channels/1795494491.10?reason=no-such-reason": true,
}

func TestTraceRequests(t *testing.T) {
	s := load(t)
	traces, err := aritrace.LoadDir(tracesDir)
	if err != nil {
		t.Fatal(err)
	}
	models, refused := 0, 0
	for _, tr := range traces {
		for _, r := range tr.Requests() {
			call := r.Method + " " + r.Path
			op, _, err := s.Operation(r.Method, r.Path)
			if notRoutes[call] {
				if !errors.Is(err, arispec.ErrNoRoute) {
					t.Errorf("%s: %s: err = %v, want ErrNoRoute", tr.Name, call, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", tr.Name, err)
				continue
			}
			q, err := url.ParseQuery(r.Query)
			if err != nil {
				t.Fatalf("%s: %s: %v", tr.Name, call, err)
			}
			params := map[string]string{}
			for k, v := range q {
				params[k] = strings.Join(v, ",")
			}
			perr := s.CheckParams(r.Method, r.Path, params)
			if r.Status/100 == 2 && perr != nil {
				t.Errorf("%s: %s?%s answered %d but: %v", tr.Name, call, r.Query, r.Status, perr)
			}
			if badParams[call+"?"+r.Query] {
				refused++
				if perr == nil {
					t.Errorf("%s: %s?%s answered %d but CheckParams accepts it", tr.Name, call, r.Query, r.Status)
				}
			}
			if r.Status/100 != 2 || op.ResponseClass == "void" || len(r.Response) == 0 || string(r.Response) == "null" {
				continue
			}
			models++
			if err := s.CheckModel(op.ResponseClass, r.Response); err != nil {
				t.Errorf("%s: %s: %v", tr.Name, call, err)
			}
		}
	}
	if models < 50 {
		t.Errorf("checked only %d response bodies", models)
	}
	if refused != len(badParams) {
		t.Errorf("found %d of the %d refused requests", refused, len(badParams))
	}
}
