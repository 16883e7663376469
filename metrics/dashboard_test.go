package metrics

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/policy"
	"github.com/callcare/callcare/sqlite"
)

// TestDashboard: the Grafana dashboard shipped in deploy/grafana reads
// only metrics the service serves, every panel has a title, a place and
// a query, and its data source is chosen on import.
func TestDashboard(t *testing.T) {
	raw, err := os.ReadFile("../deploy/grafana/callcare-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Title      string
		UID        string
		Templating struct{ List []struct{ Name, Type string } }
		Panels     []struct {
			ID          int
			Type, Title string
			GridPos     struct{ H, W, X, Y int }
			Datasource  struct{ UID string }
			Targets     []struct{ Expr string }
		}
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if d.Title == "" || d.UID == "" || len(d.Templating.List) != 1 || d.Templating.List[0].Type != "datasource" {
		t.Errorf("title %q, uid %q, templating %+v", d.Title, d.UID, d.Templating)
	}
	// The names the service serves: a store is needed for the callbacks'.
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "callcare.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m, _ := newTest(t, Options{Callbacks: db, Activity: db})
	// A vector shows once it has a sample: a request, and a call that
	// moved on, waited in line, was held and transferred, and one missed.
	m.Request("GET", "/applications/{id}", 200, 0, nil)
	r := forAnna("c1")
	r.Attempts = []callcare.Attempt{attempt("anowak", 0), attempt("pwisniewski", 15*time.Second)}
	r.LineWaits = []callcare.LineWait{{Department: "200", From: at(time.Second), To: at(2 * time.Second)}}
	r.AnsweredAt, r.RingsHeard = at(20*time.Second), 4
	r.Holds = []callcare.Hold{{Clerk: "pwisniewski", From: at(30 * time.Second), To: at(40 * time.Second)}}
	r.Transfers = []callcare.Transfer{{By: "pwisniewski", At: at(50 * time.Second)}}
	m.Observe(Step{Call: "c1", At: t0, Record: forAnna("c1")})
	m.Observe(Step{Call: "c1", At: at(time.Minute), Record: r, Actions: []policy.Action{policy.Finish{}}})
	missed := forAnna("c2")
	missed.Outcome = callcare.OutcomeMissed
	m.Observe(Step{Call: "c2", At: t0, Record: missed, Actions: []policy.Action{policy.Finish{}}})
	served := map[string]bool{}
	for sample := range scrape(t, m) {
		name, _, _ := strings.Cut(sample, "{")
		served[name] = true
	}
	ids := map[int]bool{}
	metric := regexp.MustCompile(`callcare_[a-z_]+`)
	for _, p := range d.Panels {
		if p.Title == "" || ids[p.ID] || p.GridPos.W == 0 || p.GridPos.H == 0 || p.GridPos.X+p.GridPos.W > 24 {
			t.Errorf("panel %d %q: title, a unique id and a place within 24 columns needed (%+v)", p.ID, p.Title, p.GridPos)
		}
		ids[p.ID] = true
		if p.Type == "row" {
			continue
		}
		if len(p.Targets) == 0 || p.Datasource.UID != "${datasource}" {
			t.Errorf("panel %q: %d queries, data source %q", p.Title, len(p.Targets), p.Datasource.UID)
		}
		for _, q := range p.Targets {
			names := metric.FindAllString(q.Expr, -1)
			if len(names) == 0 || strings.Count(q.Expr, "(") != strings.Count(q.Expr, ")") {
				t.Errorf("panel %q: %q", p.Title, q.Expr)
			}
			for _, n := range names {
				if !served[n] {
					t.Errorf("panel %q reads %s, which the service does not serve", p.Title, n)
				}
			}
		}
	}
}
