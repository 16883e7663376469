package main

import (
	"bytes"
	"os"
	"testing"
)

// The Swagger files live outside the repository (the office's shared
// Asterisk material); where they are present, the committed spec.json must
// be what the generator makes of them.
const source = "../../../../shared/asterisk/ari-api-docs"

func TestSpecJSONIsUpToDate(t *testing.T) {
	if _, err := os.Stat(source); err != nil {
		t.Skipf("no ARI spec source at %s", source)
	}
	spec, err := build(source)
	if err != nil {
		t.Fatal(err)
	}
	got, err := encode(spec)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("../spec.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, committed) {
		t.Error("internal/arispec/spec.json is stale: run go generate ./internal/arispec")
	}
}
