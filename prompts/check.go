package prompts

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/callcare/callcare"
)

// audioExt are the file name extensions of the formats Asterisk plays a
// sound from (its format_* modules).
var audioExt = []string{"wav", "WAV", "wav16", "gsm", "ulaw", "ul", "mu", "pcm", "alaw", "al", "alw",
	"sln", "raw", "sln12", "sln16", "sln24", "sln32", "sln44", "sln48", "sln96", "sln192",
	"g722", "g723", "g726-16", "g726-24", "g726-32", "g726-40", "g729", "ilbc", "ogg", "opus",
	"siren7", "siren14", "vox", "g719"}

// soundFiles are the files in root that Asterisk would play for name, in
// any format.
func soundFiles(root, name string) ([]string, error) {
	base := filepath.Join(root, filepath.FromSlash(name))
	entries, err := os.ReadDir(filepath.Dir(base))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	prefix := filepath.Base(base) + "."
	var files []string
	for _, e := range entries {
		n := e.Name()
		if e.Type().IsRegular() || e.Type()&os.ModeSymlink != 0 {
			if ext, ok := strings.CutPrefix(n, prefix); ok && slices.Contains(audioExt, ext) {
				files = append(files, filepath.Join(filepath.Dir(base), n))
			}
		}
	}
	return files, nil
}

// Need is a sound that something asks for, and who.
type Need struct {
	Sound string
	Why   []string // e.g. "sounds.goodbye in callcare.yaml", "numbers and times (policy/say.go)"
}

// Needs is every sound callcare and Asterisk's saying in lang ask for: the
// configured prompts (sounds: with its defaults), the sounds callcare says
// between them, and, in a language whose saying Asterisk's core sounds do
// not have, what Asterisk's own saying asks for. Each sound once, in that
// order.
func Needs(cat *Catalogue, configured callcare.Prompts, from, lang string) []Need {
	var needs []Need
	index := map[string]int{}
	add := func(sound, why string) {
		if i, ok := index[sound]; ok {
			if !slices.Contains(needs[i].Why, why) {
				needs[i].Why = append(needs[i].Why, why)
			}
			return
		}
		index[sound] = len(needs)
		needs = append(needs, Need{Sound: sound, Why: []string{why}})
	}
	configured.Each(func(key, sound string) {
		add(sound, "sounds."+key+" in "+from)
	})
	for _, s := range cat.Sounds {
		switch {
		case s.Group == GroupCallcare:
			add(s.Name, "said by callcare (numbers, times, the beep)")
		case s.Group == GroupAsterisk && s.In(lang):
			add(s.Name, "Asterisk's own "+lang+" numbers and times (say.c)")
		}
	}
	return needs
}

// Finding is a needed sound that is not right in a sounds directory.
type Finding struct {
	Need
	Problem string
}

// Check looks for every need in the Asterisk sounds directory dir (e.g.
// /var/lib/asterisk/sounds) for language lang, as Asterisk looks: dir/lang/
// NAME in any format, else dir/NAME, else dir/en/NAME. A sound found only
// outside dir/lang is a finding (the caller hears it in another language,
// if at all); so is a .wav that Asterisk cannot play (not 8 kHz mono
// 16-bit PCM).
func Check(dir, lang string, needs []Need) ([]Finding, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("sounds directory: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("sounds directory %s: not a directory", dir)
	}
	var found []Finding
	for _, n := range needs {
		if !ValidName(n.Sound) && !validStockName(n.Sound) {
			found = append(found, Finding{n, "not a sound name Asterisk can find in its sounds directory"})
			continue
		}
		files, err := soundFiles(filepath.Join(dir, lang), n.Sound)
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			found = append(found, Finding{n, missing(dir, lang, n.Sound)})
			continue
		}
		for _, f := range files {
			if filepath.Ext(f) != ".wav" && filepath.Ext(f) != ".wav16" {
				continue
			}
			want := Asterisk
			if filepath.Ext(f) == ".wav16" {
				want.Rate = 16000
			}
			if got, err := ReadFormatFile(f); err != nil {
				found = append(found, Finding{n, fmt.Sprintf("%s: %v", filepath.Base(f), err)})
			} else if got != want {
				found = append(found, Finding{n, fmt.Sprintf("%s is %v: Asterisk plays only %v from it", filepath.Base(f), got, want)})
			}
		}
	}
	return found, nil
}

// validStockName admits the names of Asterisk's own sounds a configuration
// may use (vm-goodbye, ss-noservice): letters, digits, - and _ in at most a
// few directories.
func validStockName(name string) bool {
	if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, "..") {
		return false
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./", r)) {
			return false
		}
	}
	return true
}

// missing says what Asterisk plays instead of a sound dir/lang lacks.
func missing(dir, lang, name string) string {
	for _, alt := range []string{"", "en"} {
		if alt == lang {
			continue
		}
		if files, _ := soundFiles(filepath.Join(dir, alt), name); len(files) > 0 {
			where := filepath.Join(alt, name)
			if alt == "" {
				return fmt.Sprintf("missing in %s/: Asterisk plays %s (no language) instead", lang, where)
			}
			return fmt.Sprintf("missing in %s/: Asterisk plays %s instead, in English", lang, where)
		}
	}
	return "missing: nothing is played"
}
