package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/prompts"
)

// notBuilt are the default sounds that prompts build does not make: stock
// Asterisk names, until the defaults are all callcare/...
func notBuilt() []string {
	var names []string
	callcare.DefaultPrompts.Each(func(_, sound string) {
		if !strings.HasPrefix(sound, "callcare/") {
			names = append(names, sound)
		}
	})
	return names
}

// An admin builds the English sounds, checks them, and is told of a sound
// that went missing.
func TestPrompts_BuildThenCheck(t *testing.T) {
	for _, tool := range []string{"espeak-ng", "sox"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("CI must run this test: %s not installed", tool)
			}
			t.Skipf("%s not installed: cannot build sounds here", tool)
		}
	}
	sounds := t.TempDir()
	// With the example's matters (P3.2): their names are spoken too.
	status, out, errOut := runArgs(t, "prompts", "build", "--lang", "en", "--out", sounds, "--config", writeSoundsConfig(t, nil))
	if status != 0 {
		t.Fatalf("build: exit status %d\n%s%s", status, out, errOut)
	}
	if !strings.Contains(out, "en: ") || !strings.Contains(out, " made, 0 unchanged, 0 kept") {
		t.Errorf("build said:\n%s", out)
	}
	for _, p := range []string{"en/callcare/goodbye.wav", "en/digits/day-3.wav", "en/beep.wav", "en/callcare/matter-1.wav"} {
		if f, err := prompts.ReadFormatFile(filepath.Join(sounds, p)); err != nil || f != prompts.Asterisk {
			t.Errorf("%s: %v %v", p, f, err)
		}
	}

	// Only the stock names among the defaults are missing: the rest was built.
	status, out, errOut = runArgs(t, "prompts", "check", "--sounds", sounds, "--lang", "en", "--config", writeSoundsConfig(t, nil))
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if want := notBuilt(); len(want) == 0 {
		if status != 0 || !strings.Contains(out, "all ") {
			t.Errorf("check: exit status %d\n%s%s", status, out, errOut)
		}
	} else if status != 1 || len(lines) != len(want)+1 {
		t.Errorf("check: exit status %d, want 1 listing %v\n%s%s", status, want, out, errOut)
	}

	// The configuration names only built sounds; one goes missing.
	cfg := writeSoundsConfig(t, builtDefaults(t))
	if status, out, errOut = runArgs(t, "prompts", "check", "--sounds", sounds, "--lang", "en", "--config", cfg); status != 0 {
		t.Fatalf("check: exit status %d\n%s%s", status, out, errOut)
	}
	if err := os.Remove(filepath.Join(sounds, "en/digits/7.wav")); err != nil {
		t.Fatal(err)
	}
	status, out, errOut = runArgs(t, "prompts", "check", "--sounds", sounds, "--lang", "en", "--config", cfg)
	if status != 1 || !strings.Contains(out, "digits/7 ") || !strings.Contains(out, "missing") ||
		!strings.Contains(errOut, "1 of ") {
		t.Errorf("check after a removal: exit status %d\n%s%s", status, out, errOut)
	}

	// Building again remakes only that one.
	if status, out, _ = runArgs(t, "prompts", "build", "--lang", "en", "--out", sounds); status != 0 ||
		!strings.Contains(out, "en: 1 made, ") {
		t.Errorf("rebuild: exit status %d\n%s", status, out)
	}

	// A Polish caller on English-only sounds would hear English: listed.
	status, out, _ = runArgs(t, "prompts", "check", "--sounds", sounds, "--lang", "pl", "--config", cfg)
	if status != 1 || !strings.Contains(out, "Asterisk plays en/callcare/goodbye instead, in English") ||
		!strings.Contains(out, "digits/t-14") {
		t.Errorf("check pl: exit status %d\n%s", status, out)
	}
}

// builtDefaults names, for every prompt, the sound prompts build makes.
func builtDefaults(t *testing.T) map[string]string {
	t.Helper()
	cat, err := prompts.Texts()
	if err != nil {
		t.Fatal(err)
	}
	sounds := map[string]string{}
	callcare.DefaultPrompts.Each(func(key, _ string) {
		p, _ := cat.Prompt(key)
		sounds[key] = p.Name
	})
	return sounds
}

// writeSoundsConfig writes the example configuration with a sounds: section
// of the given sounds (none: the defaults), and returns its path.
func writeSoundsConfig(t *testing.T, sounds map[string]string) string {
	t.Helper()
	example, err := os.ReadFile("../../callcare.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// Drop the example's sounds: section, then add ours.
	var kept []string
	in := false
	for _, line := range strings.Split(string(example), "\n") {
		switch {
		case strings.HasPrefix(line, "sounds:"):
			in = true
			continue
		case in && (line == "" || strings.HasPrefix(line, " ") || strings.HasPrefix(line, "#")):
			continue
		}
		in = false
		kept = append(kept, line)
	}
	text := strings.Join(kept, "\n")
	if len(sounds) > 0 {
		text += "\nsounds:\n"
		for k, v := range sounds {
			text += "  " + k + ": " + v + "\n"
		}
	}
	path := filepath.Join(t.TempDir(), "callcare.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPrompts_CheckRefuses(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		status int
		want   string
	}{
		{"NoSuchDirectory", []string{"prompts", "check", "--sounds", "/nonexistent/sounds"}, 1, "sounds directory"},
		{"UnknownLanguage", []string{"prompts", "check", "--lang", "de"}, 2, `--lang "de"`},
		{"NamedConfigMissing", []string{"prompts", "check", "--sounds", ".", "--config", "/nonexistent/callcare.yaml"}, 1, "nonexistent"},
		{"BuildUnknownLanguage", []string{"prompts", "build", "--lang", "fr"}, 2, `--lang "fr"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, errOut := runArgs(t, tc.args...)
			if status != tc.status || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit status %d, stderr:\n%s", status, errOut)
			}
		})
	}
}

func TestPrompts_List(t *testing.T) {
	status, out, _ := runArgs(t, "prompts", "list", "--lang", "en")
	if status != 0 || !strings.Contains(out, "goodbye") || !strings.Contains(out, "en/callcare/goodbye.wav") ||
		!strings.Contains(out, "Thank you for calling. Goodbye.") {
		t.Errorf("exit status %d:\n%s", status, out)
	}
}
