package prompts_test

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/callcare/callcare/prompts"
)

// needTools skips a test on a machine without espeak-ng or sox, saying so.
// CI installs both (.ci/run), so there it always runs.
func needTools(t *testing.T) {
	t.Helper()
	if _, _, err := (prompts.Builder{}).Tools(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must run this test: %v", err)
		}
		t.Skipf("cannot build sounds here: %v", err)
	}
}

const smallTexts = `
prompts:
  goodbye: {sound: callcare/goodbye, pl: "Dziękujemy za rozmowę. Do widzenia.", en: "Thank you for calling. Goodbye."}
callcare:
  digits/7: {pl: siedem, en: seven}
  beep: {tone: 1000 Hz 0.3 s}
asterisk:
  digits/t-14: {pl: czternasta}
`

func mustParse(t *testing.T, y string) *prompts.Catalogue {
	t.Helper()
	cat, err := prompts.Parse([]byte(y))
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func mustBuild(t *testing.T, b prompts.Builder, cat *prompts.Catalogue, lang, dir string) prompts.Result {
	t.Helper()
	res, err := b.Build(context.Background(), cat, lang, dir)
	if err != nil {
		t.Fatalf("build %s: %v", lang, err)
	}
	return res
}

// assertPlayable checks a built sound is what Asterisk's wav format plays:
// 8 kHz, mono, 16-bit PCM, and long enough to be heard.
func assertPlayable(t *testing.T, path string) {
	t.Helper()
	f, err := prompts.ReadFormatFile(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if f != prompts.Asterisk {
		t.Errorf("%s: %v, want %v", path, f, prompts.Asterisk)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if seconds := float64(st.Size()-44) / 16000; seconds < 0.2 || seconds > 20 {
		t.Errorf("%s: %.2f s of sound", path, seconds)
	}
}

func TestBuild_AsteriskFormat(t *testing.T) {
	needTools(t)
	dir := t.TempDir()
	cat := mustParse(t, smallTexts)
	pl := mustBuild(t, prompts.Builder{}, cat, "pl", dir)
	en := mustBuild(t, prompts.Builder{}, cat, "en", dir)
	if want := []string{"beep", "callcare/goodbye", "digits/7", "digits/t-14"}; !slices.Equal(pl.Made, want) {
		t.Errorf("pl made %v, want %v", pl.Made, want)
	}
	if want := []string{"beep", "callcare/goodbye", "digits/7"}; !slices.Equal(en.Made, want) {
		t.Errorf("en made %v, want %v (no English t-14: Asterisk's core sounds say English times)", en.Made, want)
	}
	for _, p := range []string{"pl/callcare/goodbye.wav", "pl/digits/7.wav", "pl/digits/t-14.wav", "pl/beep.wav",
		"en/callcare/goodbye.wav", "en/digits/7.wav", "en/beep.wav"} {
		assertPlayable(t, filepath.Join(dir, p))
	}
	// Slow speech: the Polish goodbye takes a while.
	st, _ := os.Stat(filepath.Join(dir, "pl/callcare/goodbye.wav"))
	if seconds := float64(st.Size()-44) / 16000; seconds < 1.5 {
		t.Errorf("the goodbye lasts %.2f s: too fast to follow", seconds)
	}
}

// The office replaces a sound by its own recording of the same name:
// building again keeps it, and remakes only what changed.
func TestBuild_KeepsRecordings(t *testing.T) {
	needTools(t)
	dir := t.TempDir()
	cat := mustParse(t, smallTexts)
	mustBuild(t, prompts.Builder{}, cat, "pl", dir)

	recording := filepath.Join(dir, "pl/callcare/goodbye.wav")
	writeWAV(t, recording, prompts.Asterisk, 8000)
	stock := filepath.Join(dir, "pl/digits/7.gsm") // a recording in another format
	if err := os.WriteFile(stock, []byte("gsm"), 0o644); err != nil {
		t.Fatal(err)
	}
	again := mustBuild(t, prompts.Builder{}, cat, "pl", dir)
	if len(again.Made) != 0 || !slices.Equal(again.Kept, []string{"callcare/goodbye", "digits/7"}) ||
		!slices.Equal(again.Unchanged, []string{"beep", "digits/t-14"}) {
		t.Errorf("second build: %+v", again)
	}
	if f, _ := prompts.ReadFormatFile(recording); f != prompts.Asterisk {
		t.Errorf("the recording changed: %v", f)
	}
	st, _ := os.Stat(recording)
	if st.Size() != 44+16000 {
		t.Errorf("the recording was overwritten: %d bytes", st.Size())
	}

	// New words: only that sound is made again.
	changed := mustParse(t, `
prompts:
  goodbye: {sound: callcare/goodbye, pl: "Do widzenia.", en: "Goodbye."}
callcare:
  digits/7: {pl: siedem, en: seven}
  beep: {tone: 1000 Hz 0.3 s}
asterisk:
  digits/t-14: {pl: "czternasta, czyli druga po południu"}
`)
	third := mustBuild(t, prompts.Builder{}, changed, "pl", dir)
	if !slices.Equal(third.Made, []string{"digits/t-14"}) {
		t.Errorf("third build made %v, want only digits/t-14", third.Made)
	}

	// --force takes the recordings over.
	forced := mustBuild(t, prompts.Builder{Force: true}, cat, "pl", dir)
	if !slices.Contains(forced.Made, "callcare/goodbye") {
		t.Errorf("forced build: %+v", forced)
	}
	assertPlayable(t, recording)
}

// Every prompt speaks, in both languages. (The single words of numbers and
// dates: cmd/callcare's test builds the English ones; the whole catalogue
// takes some 20 s on 2 cores.)
func TestBuild_EveryPrompt(t *testing.T) {
	needTools(t)
	dir := t.TempDir()
	all := mustTexts(t)
	cat := &prompts.Catalogue{}
	for _, s := range all.Sounds {
		if s.Group == prompts.GroupPrompt {
			cat.Sounds = append(cat.Sounds, s)
		}
	}
	for _, lang := range prompts.Languages {
		res := mustBuild(t, prompts.Builder{Jobs: 4}, cat, lang, dir)
		if len(res.Made) != len(cat.Sounds) {
			t.Errorf("%s: made %d of %d prompts", lang, len(res.Made), len(cat.Sounds))
		}
		for _, name := range res.Made {
			assertPlayable(t, filepath.Join(dir, lang, name+".wav"))
		}
	}
}

func TestBuild_UnknownLanguage(t *testing.T) {
	_, err := prompts.Builder{}.Build(context.Background(), mustParse(t, smallTexts), "de", t.TempDir())
	if err == nil {
		t.Fatal("built German")
	}
}

// writeWAV writes a silent WAV of the given format and number of samples.
func writeWAV(t *testing.T, path string, f prompts.Format, samples int) {
	t.Helper()
	size := samples * int(f.Channels) * int(f.Bits) / 8
	b := make([]byte, 44+size)
	copy(b[0:], "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+size))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], f.Encoding)
	binary.LittleEndian.PutUint16(b[22:], f.Channels)
	binary.LittleEndian.PutUint32(b[24:], f.Rate)
	binary.LittleEndian.PutUint32(b[28:], f.Rate*uint32(f.Channels)*uint32(f.Bits)/8)
	binary.LittleEndian.PutUint16(b[32:], f.Channels*f.Bits/8)
	binary.LittleEndian.PutUint16(b[34:], f.Bits)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(size))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
