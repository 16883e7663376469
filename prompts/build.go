package prompts

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// DefaultRate is how fast the prompts are spoken, in words per minute:
// slower than espeak-ng's 175, for callers who need time (P5.1).
const DefaultRate = 130

// Voices are espeak-ng's voice for each language.
var Voices = map[string]string{"pl": "pl", "en": "en-gb"}

// manifestName is the file, in each language's directory, that lists the
// sounds Build made: a file of the same name that it does not list, or
// whose contents changed, is someone's recording and is kept.
const manifestName = ".callcare-prompts"

// Builder makes sound files from a catalogue's texts with espeak-ng and sox.
type Builder struct {
	Espeak string // the espeak-ng program; empty: found in PATH
	Sox    string // the sox program; empty: found in PATH
	Rate   int    // words per minute; 0 is DefaultRate
	Force  bool   // overwrite files that Build did not make, too
	Jobs   int    // sounds made at once; 0 is 2
}

// Result says what Build did with each sound, by name.
type Result struct {
	Made      []string // written now
	Unchanged []string // made before from the same words
	Kept      []string // a file of that name that Build did not make: left as it is
}

// ToolsMissing is the error of a machine without espeak-ng or sox.
type ToolsMissing struct{ Tools []string }

func (e ToolsMissing) Error() string {
	return fmt.Sprintf("%s not found: install %s (Debian: apt-get install espeak-ng sox)",
		strings.Join(e.Tools, " and "), strings.Join(e.Tools, " and "))
}

// Tools finds espeak-ng and sox, or says which are missing.
func (b Builder) Tools() (espeak, sox string, err error) {
	var missing []string
	find := func(path, name string) string {
		if path == "" {
			path = name
		}
		p, err := exec.LookPath(path)
		if err != nil {
			missing = append(missing, name)
		}
		return p
	}
	espeak, sox = find(b.Espeak, "espeak-ng"), find(b.Sox, "sox")
	if len(missing) > 0 {
		return "", "", ToolsMissing{missing}
	}
	return espeak, sox, nil
}

// Build writes every sound of cat that exists in lang under dir/lang, as
// NAME.wav in 8 kHz mono 16-bit PCM. A sound already made from the same
// words is left alone; so is any file of that name Build did not make
// (unless Force). Files appear whole: each is written aside, then renamed.
func (b Builder) Build(ctx context.Context, cat *Catalogue, lang, dir string) (Result, error) {
	var res Result
	voice, ok := Voices[lang]
	if !ok {
		return res, fmt.Errorf("no voice for language %q (%s)", lang, strings.Join(Languages, ", "))
	}
	espeak, sox, err := b.Tools()
	if err != nil {
		return res, err
	}
	rate := b.Rate
	if rate == 0 {
		rate = DefaultRate
	}
	if rate < 80 || rate > 450 {
		return res, fmt.Errorf("rate %d: espeak-ng speaks 80 to 450 words per minute", rate)
	}
	root := filepath.Join(dir, lang)
	if err := os.MkdirAll(root, 0o755); err != nil {
		return res, err
	}
	made, err := readManifest(filepath.Join(root, manifestName))
	if err != nil {
		return res, err
	}

	type job struct {
		s      Sound
		recipe string
	}
	var jobs []job
	for _, s := range cat.In(lang) {
		recipe := recipeOf(s, lang, voice, rate)
		switch state, err := fileState(root, s.Name, made); {
		case err != nil:
			return res, err
		case state == stateOurs && made[s.Name].recipe == recipe:
			res.Unchanged = append(res.Unchanged, s.Name)
		case state == stateTheirs && !b.Force:
			res.Kept = append(res.Kept, s.Name)
		default:
			jobs = append(jobs, job{s, recipe})
		}
	}

	workers := b.Jobs
	if workers <= 0 {
		workers = 2
	}
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
		next = make(chan job)
	)
	for range min(workers, max(len(jobs), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				sum, err := b.make(ctx, espeak, sox, voice, rate, j.s, lang, root)
				mu.Lock()
				if err != nil {
					errs = append(errs, fmt.Errorf("%s/%s: %w", lang, j.s.Name, err))
				} else {
					made[j.s.Name] = madeFile{sum: sum, recipe: j.recipe}
					res.Made = append(res.Made, j.s.Name)
				}
				mu.Unlock()
			}
		}()
	}
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		next <- j
	}
	close(next)
	wg.Wait()
	slices.Sort(res.Made)
	// What was made is recorded even when something failed, so a second
	// run does not take the first one's files for recordings.
	if err := writeManifest(filepath.Join(root, manifestName), made); err != nil {
		errs = append(errs, err)
	}
	if ctx.Err() != nil {
		errs = append(errs, ctx.Err())
	}
	return res, errors.Join(errs...)
}

// make speaks (or synthesizes) one sound into root/NAME.wav and returns
// the file's hash.
func (b Builder) make(ctx context.Context, espeak, sox, voice string, rate int, s Sound, lang, root string) (string, error) {
	path := filepath.Join(root, filepath.FromSlash(s.Name)+".wav")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(path), ".build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "out.wav")
	// Asterisk's wav format: 8 kHz, mono, 16-bit signed PCM.
	asterisk := []string{"-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "wav", out}
	if s.IsTone() {
		sec := strconv.FormatFloat(s.Tone.Seconds, 'f', -1, 64)
		args := append([]string{"-q", "-n"}, asterisk...)
		args = append(args, "synth", sec, "sine", strconv.Itoa(s.Tone.Hz), "vol", "0.5", "fade", "0.01", sec, "0.01")
		if err := run(ctx, sox, args, ""); err != nil {
			return "", err
		}
	} else {
		spoken := filepath.Join(tmp, "spoken.wav")
		// The words go in on stdin, never as an argument: text that starts
		// with "-" is still text.
		if err := run(ctx, espeak, []string{"-v", voice, "-s", strconv.Itoa(rate), "-w", spoken, "--stdin"}, s.Texts[lang]); err != nil {
			return "", err
		}
		args := append([]string{"-q", spoken}, asterisk...)
		args = append(args, "norm", "-3") // the same loudness for every prompt
		if err := run(ctx, sox, args, ""); err != nil {
			return "", err
		}
	}
	if f, err := ReadFormatFile(out); err != nil || f != Asterisk {
		return "", fmt.Errorf("sox wrote %v, not %v (%v)", f, Asterisk, err)
	}
	sum, err := hashFile(out)
	if err != nil {
		return "", err
	}
	if err := os.Chmod(out, 0o644); err != nil {
		return "", err
	}
	return sum, os.Rename(out, path)
}

// run runs a program with stdin, and returns its error with what it said.
func run(ctx context.Context, prog string, args []string, stdin string) error {
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		msg := strings.TrimSpace(string(out))
		if len(msg) > 300 {
			msg = msg[:300] + "..."
		}
		return fmt.Errorf("%s: %w: %s", filepath.Base(prog), err, msg)
	}
	return nil
}

// recipeOf is what a sound is made from: when it changes, the sound is
// made again.
func recipeOf(s Sound, lang, voice string, rate int) string {
	var in string
	if s.IsTone() {
		in = fmt.Sprintf("tone %d %g", s.Tone.Hz, s.Tone.Seconds)
	} else {
		in = fmt.Sprintf("espeak-ng %s %d %s", voice, rate, s.Texts[lang])
	}
	h := sha256.Sum256([]byte(in))
	return hex.EncodeToString(h[:8])
}

type madeFile struct{ sum, recipe string }

type state int

const (
	stateAbsent state = iota
	stateOurs         // the .wav Build made, unchanged since
	stateTheirs       // a recording: not listed, changed, or in another format
)

// fileState says whose the sound of that name in root is.
func fileState(root, name string, made map[string]madeFile) (state, error) {
	files, err := soundFiles(root, name)
	if err != nil || len(files) == 0 {
		return stateAbsent, err
	}
	wav := filepath.Join(root, filepath.FromSlash(name)+".wav")
	if len(files) > 1 || files[0] != wav {
		return stateTheirs, nil
	}
	m, listed := made[name]
	if !listed {
		return stateTheirs, nil
	}
	sum, err := hashFile(wav)
	if err != nil {
		return stateAbsent, err
	}
	if sum != m.sum {
		return stateTheirs, nil
	}
	return stateOurs, nil
}

func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func readManifest(path string) (map[string]madeFile, error) {
	made := map[string]madeFile{}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return made, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 3 && !strings.HasPrefix(fields[0], "#") {
			made[fields[0]] = madeFile{sum: fields[1], recipe: fields[2]}
		}
	}
	return made, sc.Err()
}

func writeManifest(path string, made map[string]madeFile) error {
	names := make([]string, 0, len(made))
	for n := range made {
		names = append(names, n)
	}
	slices.Sort(names)
	var b strings.Builder
	b.WriteString("# Sounds made by `callcare prompts build`: name, sha256 of the file, what it was made from.\n")
	b.WriteString("# A file not listed here, or changed since, is a recording: build leaves it alone.\n")
	for _, n := range names {
		fmt.Fprintf(&b, "%s\t%s\t%s\n", n, made[n].sum, made[n].recipe)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
