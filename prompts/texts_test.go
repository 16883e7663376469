package prompts_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/prompts"
)

func mustTexts(t *testing.T) *prompts.Catalogue {
	t.Helper()
	cat, err := prompts.Texts()
	if err != nil {
		t.Fatalf("texts.yaml: %v", err)
	}
	return cat
}

// Every prompt the service plays has words in Polish and English: adding a
// field to callcare.Prompts without its texts fails here.
func TestTexts_EveryPromptInEveryLanguage(t *testing.T) {
	cat := mustTexts(t)
	callcare.DefaultPrompts.Each(func(key, _ string) {
		p, ok := cat.Prompt(key)
		if !ok {
			t.Errorf("sounds.%s: no entry under prompts: in texts.yaml", key)
			return
		}
		for _, lang := range prompts.Languages {
			if p.Texts[lang] == "" {
				t.Errorf("sounds.%s: no %s text", key, lang)
			}
		}
	})
}

// No entry outlives its prompt.
func TestTexts_EveryEntryIsAPrompt(t *testing.T) {
	keys := map[string]bool{}
	callcare.DefaultPrompts.Each(func(key, _ string) { keys[key] = true })
	for _, s := range mustTexts(t).Sounds {
		if s.Group == prompts.GroupPrompt && !keys[s.Key] {
			t.Errorf("texts.yaml: prompts.%s: callcare.Prompts has no such key", s.Key)
		}
	}
}

// A default under callcare/ is the office's own sound: build makes it under
// that very name.
func TestTexts_DefaultsAreWhatBuildMakes(t *testing.T) {
	cat := mustTexts(t)
	callcare.DefaultPrompts.Each(func(key, sound string) {
		p, _ := cat.Prompt(key)
		if strings.HasPrefix(sound, "callcare/") && p.Name != sound {
			t.Errorf("sounds.%s: the default is %s, but texts.yaml builds %s", key, sound, p.Name)
		}
	})
}

// What policy/say.go says (numbers 0 to 20, the tens, hundred, "oh", the
// days) exists in every language, and every sound the policy names in its
// code is in the catalogue.
func TestTexts_CoverWhatThePolicySays(t *testing.T) {
	cat := mustTexts(t)
	has := map[string]prompts.Sound{}
	for _, s := range cat.Sounds {
		has[s.Name] = s
	}
	want := []string{"digits/hundred", "digits/oh", "beep"}
	for n := 0; n <= 20; n++ {
		want = append(want, "digits/"+strconv.Itoa(n))
	}
	for n := 30; n <= 90; n += 10 {
		want = append(want, "digits/"+strconv.Itoa(n))
	}
	for d := range 7 {
		want = append(want, "digits/day-"+strconv.Itoa(d))
	}
	for _, name := range want {
		for _, lang := range prompts.Languages {
			if !has[name].In(lang) {
				t.Errorf("%s: no %s sound", name, lang)
			}
		}
	}

	// Literal sound names in the policy's code.
	files, err := filepath.Glob("../policy/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("policy sources: %v", err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			v, _ := strconv.Unquote(lit.Value)
			name, ok := strings.CutPrefix(v, "sound:")
			if !ok || name == "" {
				return true
			}
			if strings.HasSuffix(name, "/") || strings.HasSuffix(name, "-") {
				// A prefix completed by a number: some sound must start so.
				for s := range has {
					if strings.HasPrefix(s, name) {
						return true
					}
				}
			} else if _, ok := has[name]; ok {
				return true
			}
			t.Errorf("%s: the policy plays %q, which texts.yaml does not build", fset.Position(lit.Pos()), v)
			return true
		})
	}
}

// Polish hours and numbers as Asterisk's say.c asks for them.
func TestTexts_PolishSayingOfAsterisk(t *testing.T) {
	cat := mustTexts(t)
	has := map[string]bool{}
	for _, s := range cat.In("pl") {
		has[s.Name] = true
	}
	var want []string
	for h := 1; h <= 24; h++ {
		want = append(want, "digits/t-"+strconv.Itoa(h))
	}
	for m := range 12 {
		want = append(want, "digits/mon-"+strconv.Itoa(m))
	}
	for n := 100; n <= 900; n += 100 {
		want = append(want, "digits/"+strconv.Itoa(n), "digits/"+strconv.Itoa(n)+"m")
	}
	want = append(want, "digits/1z", "digits/2z", "digits/1000", "digits/1000.2", "digits/1000.5", "digits/oclock", "digits/year")
	for _, w := range want {
		if !has[w] {
			t.Errorf("pl: no %s", w)
		}
	}
}

func TestParse_Refuses(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"NoEnglish", "prompts:\n  goodbye: {sound: callcare/goodbye, pl: Do widzenia.}\n", "no en text"},
		{"NoSound", "prompts:\n  goodbye: {pl: Do widzenia., en: Goodbye.}\n", "no sound"},
		{"PathOut", "prompts:\n  goodbye: {sound: ../../etc/x, pl: a, en: b}\n", "not a sound name"},
		{"Absolute", "callcare:\n  /etc/passwd: {pl: a}\n", "not a sound name"},
		{"Twice", "prompts:\n  goodbye: {sound: x/y, pl: a, en: b}\ncallcare:\n  x/y: {pl: a}\n", "also built at line 2"},
		{"UnknownSection", "sounds:\n  x: {pl: a}\n", "unknown section"},
		{"BadTone", "callcare:\n  beep: {tone: loud}\n", "tone \"loud\""},
		{"ToneTooHigh", "callcare:\n  beep: {tone: 8000 Hz 1 s}\n", "3400 Hz"},
		{"NoText", "asterisk:\n  digits/1z: {}\n", "no text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := prompts.Parse([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error with %q", err, tc.want)
			}
		})
	}
}
