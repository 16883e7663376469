package aritrace

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const tracesDir = "testdata/traces"

func TestLoadDir(t *testing.T) {
	traces, err := LoadDir(tracesDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(traces) < 24 {
		t.Fatalf("loaded %d traces, want the 24 recorded ones", len(traces))
	}
	for _, tr := range traces {
		if len(tr.Events()) == 0 {
			t.Errorf("%s: no events", tr.Name)
		}
		for i, l := range tr.Lines {
			switch l.Kind {
			case "event", "rest", "ws", "note":
			default:
				t.Errorf("%s line %d: kind %q", tr.Name, i+1, l.Kind)
			}
			if l.Kind == "rest" && (l.Method == "" || !strings.HasPrefix(l.Path, "/") || l.Status == 0) {
				t.Errorf("%s line %d: incomplete rest line %+v", tr.Name, i+1, l)
			}
		}
	}
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		content string
		wantErr string
		want    []Line
	}{
		{name: "kinds", content: `{"kind":"ws","note":"connected","t_ms":1}
{"kind":"rest","method":"POST","path":"/channels/1.0/ring","query":"a=b","response":null,"status":204,"t_ms":2}

{"kind":"rest","method":"GET","path":"/x","query":"","body":"<html>","status":400,"t_ms":3}
`, want: []Line{
			{Kind: "ws", Note: "connected", TMs: 1},
			{Kind: "rest", Method: "POST", Path: "/channels/1.0/ring", Query: "a=b", Status: 204, TMs: 2},
			{Kind: "rest", Method: "GET", Path: "/x", Body: []byte(`"<html>"`), Status: 400, TMs: 3},
		}},
		{name: "bad json", content: "{\"kind\":\"ws\"}\n{oops\n", wantErr: ".ari.jsonl:2:"},
		{name: "no kind", content: `{"t_ms":1}`, wantErr: "no kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.ari.jsonl")
			if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			tr, err := Load(path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tr.Name != "x" || len(tr.Lines) != len(tt.want) {
				t.Fatalf("got %q with %d lines, want x with %d", tr.Name, len(tr.Lines), len(tt.want))
			}
			for i, w := range tt.want {
				g := tr.Lines[i]
				if g.Kind != w.Kind || g.TMs != w.TMs || g.Method != w.Method || g.Path != w.Path ||
					g.Query != w.Query || g.Status != w.Status || g.Note != w.Note || !bytes.Equal(g.Body, w.Body) {
					t.Errorf("line %d = %+v, want %+v", i+1, g, w)
				}
			}
		})
	}
}

func TestRequests(t *testing.T) {
	tr, err := Load(filepath.Join(tracesDir, "answer.ari.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	reqs := tr.Requests()
	if len(reqs) == 0 {
		t.Fatal("no requests")
	}
	first := reqs[0]
	if first.Method != "POST" || first.Path != "/channels/1795478171.0/ring" || first.Status != 204 {
		t.Errorf("first request = %s %s %d", first.Method, first.Path, first.Status)
	}
	for i := 1; i < len(reqs); i++ {
		if reqs[i].TMs < reqs[i-1].TMs {
			t.Errorf("requests out of order at %d", i)
		}
	}
}
