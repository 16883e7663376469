package chromium_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare/internal/chromium"
)

// MustStart starts a headless Chromium for the test, or skips it when
// there is none, except under CI (which installs it).
func MustStart(t *testing.T) *chromium.Browser {
	t.Helper()
	path, err := chromium.Find()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must run this test: %v", err)
		}
		t.Skip(err)
	}
	b, err := chromium.Start(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// The check of a page's console finds what it must: a page that logs an
// error, throws, and asks for a file that is not there is caught three
// times; a clean page is not.
func TestPage_Problems(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b := MustStart(t)
	dir := t.TempDir()
	write := func(name, html string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(html), 0o644); err != nil {
			t.Fatal(err)
		}
		return "file://" + p
	}
	bad := write("bad.html", `<!DOCTYPE html><html lang="en"><title>bad</title>
<img src="missing.png" alt="">
<script>console.error("the figures do not add up"); throw new Error("broken");</script>`)
	good := write("good.html", `<!DOCTYPE html><html lang="en"><title>good</title><p id="x">42</p>`)

	p, err := b.Open(ctx, bad)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(p.Problems(), "\n")
	for _, want := range []string{"console.error: the figures do not add up", "exception:", "missing.png"} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}

	p, err = b.Open(ctx, good)
	if err != nil {
		t.Fatal(err)
	}
	if probs := p.Problems(); len(probs) > 0 {
		t.Errorf("a clean page has problems: %v", probs)
	}
	var text string
	if err := p.Eval(ctx, `document.getElementById("x").textContent`, &text); err != nil || text != "42" {
		t.Errorf("Eval = %q, %v", text, err)
	}
	pdf, err := p.PDF(ctx)
	if err != nil || !strings.HasPrefix(string(pdf), "%PDF") {
		t.Errorf("PDF: %d bytes, %v", len(pdf), err)
	}
}
