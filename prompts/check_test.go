package prompts_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/prompts"
)

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	ok := prompts.Asterisk
	writeWAV(t, filepath.Join(dir, "pl/callcare/goodbye.wav"), ok, 800)
	writeWAV(t, filepath.Join(dir, "en/vm-nobodyavail.wav"), ok, 800) // English only
	writeWAV(t, filepath.Join(dir, "pl/callcare/office-closed.wav"), prompts.Format{Encoding: 1, Channels: 2, Rate: 44100, Bits: 16}, 800)
	if err := os.WriteFile(filepath.Join(dir, "pl/digits-1.gsm"), nil, 0o644); err != nil { // any format will do
		t.Fatal(err)
	}
	needs := []prompts.Need{
		{Sound: "callcare/goodbye", Why: []string{"sounds.goodbye"}},
		{Sound: "vm-nobodyavail", Why: []string{"sounds.nobody_available"}},
		{Sound: "callcare/office-closed", Why: []string{"sounds.office_closed"}},
		{Sound: "digits-1", Why: []string{"test"}},
		{Sound: "callcare/menu", Why: []string{"sounds.callback_menu"}},
	}
	found, err := prompts.Check(dir, "pl", needs)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range found {
		got[f.Sound] = f.Problem
	}
	for sound, want := range map[string]string{
		"vm-nobodyavail":         "Asterisk plays en/vm-nobodyavail instead, in English",
		"callcare/office-closed": "44.1 kHz 2 channels 16-bit PCM: Asterisk plays only 8 kHz mono 16-bit PCM",
		"callcare/menu":          "missing",
	} {
		if !strings.Contains(got[sound], want) {
			t.Errorf("%s: %q, want %q", sound, got[sound], want)
		}
	}
	if len(found) != 3 {
		t.Errorf("%d findings, want 3: %+v", len(found), found)
	}

	if _, err := prompts.Check(filepath.Join(dir, "nowhere"), "pl", needs); err == nil {
		t.Error("a missing sounds directory is no error")
	}
}

func TestNeeds(t *testing.T) {
	cat := mustTexts(t)
	p := callcare.DefaultPrompts
	p.Goodbye = "custom/do-widzenia"
	pl := prompts.Needs(cat, p, "callcare.yaml", "pl")
	en := prompts.Needs(cat, p, "callcare.yaml", "en")
	has := func(needs []prompts.Need, sound string) []string {
		for _, n := range needs {
			if n.Sound == sound {
				return n.Why
			}
		}
		return nil
	}
	if why := has(pl, "custom/do-widzenia"); len(why) != 1 || why[0] != "sounds.goodbye in callcare.yaml" {
		t.Errorf("the configured goodbye: %v", why)
	}
	if has(pl, "digits/t-14") == nil || has(en, "digits/t-14") != nil {
		t.Error("Polish hours are needed in pl only: Asterisk's core sounds have the English ones")
	}
	if has(en, "beep") == nil || has(en, "digits/day-3") == nil {
		t.Error("what callcare says is needed in every language")
	}
}

func TestReadFormat_SkipsChunks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.wav")
	writeWAV(t, path, prompts.Asterisk, 10)
	b, _ := os.ReadFile(path)
	// A LIST chunk of odd size before fmt, as some editors write.
	list := append([]byte("LIST\x03\x00\x00\x00abc\x00"), b[12:]...)
	b = append(b[:12:12], list...)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if f, err := prompts.ReadFormatFile(path); err != nil || f != prompts.Asterisk {
		t.Errorf("%v, %v", f, err)
	}
	if err := os.WriteFile(path, []byte("ID3 not a wav"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := prompts.ReadFormatFile(path); err == nil {
		t.Error("an MP3 read as WAV")
	}
}
