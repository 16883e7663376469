package prompts

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

//go:embed texts.yaml
var textsYAML []byte

// Languages are the languages every prompt is written in, the office's
// first.
var Languages = []string{"pl", "en"}

// Group says who asks for a sound.
type Group string

const (
	// GroupPrompt is a prompt of callcare.Prompts, named by the sounds:
	// section of callcare.yaml.
	GroupPrompt Group = "prompt"
	// GroupCallcare is a sound callcare says between prompts: a digit, a
	// number word, a day, the beep.
	GroupCallcare Group = "callcare"
	// GroupAsterisk is a sound Asterisk's own saying of numbers and times
	// asks for in a language (main/say.c).
	GroupAsterisk Group = "asterisk"
)

// Sound is one sound file to build: its Asterisk name and what it says in
// each language, or the tone it is.
type Sound struct {
	Name  string            // Asterisk sound name: callcare/goodbye, digits/5, beep
	Key   string            // a prompt's key in the sounds: section; empty for other sounds
	Group Group             // who asks for it
	Texts map[string]string // language to words; empty for a tone
	Tone  Tone              // for a tone, its pitch and length
}

// Tone is a sound that is not speech: a sine of Hz hertz, Seconds long.
type Tone struct {
	Hz      int
	Seconds float64
}

// IsTone says whether the sound is a tone rather than speech.
func (s Sound) IsTone() bool { return s.Tone.Hz > 0 }

// In says whether the sound exists in lang: a tone exists in every one.
func (s Sound) In(lang string) bool {
	return s.IsTone() || s.Texts[lang] != ""
}

// Catalogue is every sound of texts.yaml, prompts first, each group in
// the order of the file.
type Catalogue struct {
	Sounds []Sound
}

// Texts is the catalogue of the embedded texts.yaml.
func Texts() (*Catalogue, error) {
	return Parse(textsYAML)
}

// Prompt is the prompt of a sounds: key.
func (c *Catalogue) Prompt(key string) (Sound, bool) {
	for _, s := range c.Sounds {
		if s.Group == GroupPrompt && s.Key == key {
			return s, true
		}
	}
	return Sound{}, false
}

// In is every sound that exists in lang, in catalogue order.
func (c *Catalogue) In(lang string) []Sound {
	var out []Sound
	for _, s := range c.Sounds {
		if s.In(lang) {
			out = append(out, s)
		}
	}
	return out
}

// soundName is what an Asterisk sound name may be here: lower-case words
// in at most a few directories, never a path out of the sounds directory.
var soundName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*){0,3}$`)

// ValidName says whether name is a sound name build may write and check
// may look for: relative, without "..", in lower case.
func ValidName(name string) bool {
	return soundName.MatchString(name) && !strings.Contains(name, "..")
}

type entry struct {
	Sound string `yaml:"sound"`
	PL    string `yaml:"pl"`
	EN    string `yaml:"en"`
	Tone  string `yaml:"tone"`
}

// Parse reads a texts file. Every prompt must have a sound name and both
// texts; every other sound a text in some language or a tone.
func Parse(b []byte) (*Catalogue, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("texts: %w", err)
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("texts: not a mapping of prompts, callcare and asterisk")
	}
	c := &Catalogue{}
	seen := map[string]int{} // sound name to line
	top := doc.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		section, body := top.Content[i].Value, top.Content[i+1]
		group, ok := map[string]Group{"prompts": GroupPrompt, "callcare": GroupCallcare, "asterisk": GroupAsterisk}[section]
		if !ok {
			return nil, fmt.Errorf("texts:%d: unknown section %q (prompts, callcare, asterisk)", top.Content[i].Line, section)
		}
		if body.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("texts:%d: %s: not a mapping", body.Line, section)
		}
		for j := 0; j+1 < len(body.Content); j += 2 {
			k, v := body.Content[j], body.Content[j+1]
			var e entry
			if err := v.Decode(&e); err != nil {
				return nil, fmt.Errorf("texts:%d: %s.%s: %w", k.Line, section, k.Value, err)
			}
			s, err := sound(group, k.Value, e)
			if err != nil {
				return nil, fmt.Errorf("texts:%d: %s.%s: %w", k.Line, section, k.Value, err)
			}
			if line, dup := seen[s.Name]; dup {
				return nil, fmt.Errorf("texts:%d: %s.%s: sound %s is also built at line %d", k.Line, section, k.Value, s.Name, line)
			}
			seen[s.Name] = k.Line
			c.Sounds = append(c.Sounds, s)
		}
	}
	// Prompts first, as the sounds: section lists them.
	slices.SortStableFunc(c.Sounds, func(a, b Sound) int {
		return groupOrder(a.Group) - groupOrder(b.Group)
	})
	return c, nil
}

func groupOrder(g Group) int {
	return slices.Index([]Group{GroupPrompt, GroupCallcare, GroupAsterisk}, g)
}

func sound(group Group, key string, e entry) (Sound, error) {
	s := Sound{Group: group, Name: key, Texts: map[string]string{}}
	if group == GroupPrompt {
		s.Key, s.Name = key, e.Sound
		if e.Sound == "" {
			return s, fmt.Errorf("no sound: name the file it is built as, e.g. callcare/%s", strings.ReplaceAll(key, "_", "-"))
		}
	} else if e.Sound != "" {
		return s, fmt.Errorf("sound: only prompts name their sound; here the key is the sound")
	}
	if !ValidName(s.Name) {
		return s, fmt.Errorf("%q is not a sound name (lower case, relative, like callcare/goodbye)", s.Name)
	}
	for lang, text := range map[string]string{"pl": e.PL, "en": e.EN} {
		if t := strings.Join(strings.Fields(text), " "); t != "" {
			s.Texts[lang] = t
		}
	}
	if e.Tone != "" {
		t, err := parseTone(e.Tone)
		if err != nil {
			return s, err
		}
		if len(s.Texts) > 0 {
			return s, fmt.Errorf("a tone has no text")
		}
		s.Tone = t
		return s, nil
	}
	if group == GroupPrompt {
		for _, lang := range Languages {
			if s.Texts[lang] == "" {
				return s, fmt.Errorf("no %s text: every prompt is written in %s", lang, strings.Join(Languages, " and "))
			}
		}
	}
	if len(s.Texts) == 0 {
		return s, fmt.Errorf("no text in any language")
	}
	return s, nil
}

// parseTone reads "1000 Hz 0.3 s".
func parseTone(v string) (Tone, error) {
	f := strings.Fields(v)
	bad := fmt.Errorf("tone %q: write it as \"1000 Hz 0.3 s\"", v)
	if len(f) != 4 || f[1] != "Hz" || f[3] != "s" {
		return Tone{}, bad
	}
	hz, err1 := strconv.Atoi(f[0])
	sec, err2 := strconv.ParseFloat(f[2], 64)
	if err1 != nil || err2 != nil || hz < 100 || hz > 3400 || sec <= 0 || sec > 5 {
		return Tone{}, fmt.Errorf("%w (100 to 3400 Hz, up to 5 s: a phone line carries no more)", bad)
	}
	return Tone{Hz: hz, Seconds: sec}, nil
}

// Lengths is about how long each sound lasts in lang when built at the
// default rate: what a simulated PBX plays for it (the demo), so a prompt
// takes the time the office's would.
func (c *Catalogue) Lengths(lang string) map[string]time.Duration {
	perWord := time.Minute / DefaultRate
	out := map[string]time.Duration{}
	for _, s := range c.In(lang) {
		if s.IsTone() {
			out[s.Name] = time.Duration(s.Tone.Seconds * float64(time.Second))
			continue
		}
		out[s.Name] = time.Duration(len(strings.Fields(s.Texts[lang])))*perWord + 300*time.Millisecond
	}
	return out
}
