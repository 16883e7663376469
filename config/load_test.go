package config_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare/config"
)

// mergeBomb is a "billion laughs" of merge keys, about 600 bytes: each
// level merges the one below nine times, so the mapping under asterisk
// stands for 9^9 keys. Its #! line is where it must be refused.
func mergeBomb() string {
	var b strings.Builder
	b.WriteString("m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9}\n")
	refs := func(n int) string { return strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*m%d,", n), 9), ",") }
	for i := 1; i <= 8; i++ {
		fmt.Fprintf(&b, "m%d: &m%d {<<: [%s]}\n", i, i, refs(i-1))
	}
	fmt.Fprintf(&b, "asterisk:\n  <<: [%s] #!\n", refs(8))
	return b.String()
}

func TestParse_MergeBomb(t *testing.T) {
	y := mergeBomb()
	if len(y) > 700 {
		t.Fatalf("the bomb is %d bytes", len(y))
	}
	wantExpansionRefused(t, y, "asterisk")
}

// wantExpansionRefused parses y within a generous deadline and asserts that
// it is refused for its aliases, under path at the line marked #!.
func wantExpansionRefused(t *testing.T, y, path string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	_, err := config.ParseContext(ctx, "callcare.yaml", []byte(y), noEnv)
	if errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("still parsing after 30 s")
	}
	var ps config.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("want Problems, got %v", err)
	}
	for _, p := range ps {
		if strings.Contains(p.Message, "aliases and merge keys") {
			if p.Line != marked(t, y) || !strings.HasPrefix(p.Path, path) {
				t.Errorf("at %s line %d, want %s line %d: %v", p.Path, p.Line, path, marked(t, y), p)
			}
			return
		}
	}
	t.Fatalf("no expansion problem:\n%v", err)
}

// Aliases are counted as they are decoded: one department of 2000
// members, aliased 100 times, stands for 200 000 values.
func TestParse_AliasBomb(t *testing.T) {
	members := strings.Repeat("sek1, ", 1999) + "sek1"
	aliases := strings.Repeat(", *d", 100)
	y := edit(t, "departments:\n", "departments: [&d {number: \"300\", name: X, members: ["+members+"]}"+aliases+"] #!\nunused:\n")
	wantExpansionRefused(t, y, "departments[")
}

// A mapping that merges itself is a loop, reported, not followed.
func TestParse_MergeLoop(t *testing.T) {
	y := edit(t, "  user: callcare\n", "  user: callcare\n  <<: &a {<<: *a} #!\n")
	wantProblem(t, y, "asterisk", marked(t, y), "a loop")
}

func TestCheck_NotRegular(t *testing.T) {
	for _, tc := range []struct{ name, path, kind string }{
		{"DevZero", "/dev/zero", "character device"},
		{"Directory", t.TempDir(), "directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := os.Stat(tc.path); err != nil {
				t.Skip(err)
			}
			c, err := config.Check(tc.path)
			if c != nil || !errors.Is(err, config.ErrNotRegularFile) || !strings.Contains(err.Error(), tc.kind) {
				t.Fatalf("Check(%s): %v", tc.path, err)
			}
		})
	}
}

func TestCheck_TooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "callcare.yaml")
	data := base + "# " + strings.Repeat("x", config.MaxFileSize) + "\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := config.Check(path)
	var ps config.Problems
	if !errors.As(err, &ps) || len(ps) != 1 || !strings.Contains(ps[0].Message, "larger than 1 MiB") {
		t.Fatalf("Check: %v", err)
	}
}

func TestPassword_NotRegular(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip(err)
	}
	y := edit(t, "  user: callcare\n", "  user: callcare\n  password_file: /dev/zero\n")
	c, err := config.Parse("callcare.yaml", []byte(y), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if perr := c.PasswordProblem(); perr == nil || !strings.Contains(perr.Error(), "character device") {
		t.Fatalf("PasswordProblem: %v", perr)
	}
}

func TestCheck_Cancelled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "callcare.yaml")
	if err := os.WriteFile(path, []byte(base), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := config.CheckContext(ctx, path); !errors.Is(err, context.Canceled) {
		t.Errorf("CheckContext: %v", err)
	}
	if _, err := config.LoadContext(ctx, path); !errors.Is(err, context.Canceled) {
		t.Errorf("LoadContext: %v", err)
	}
}

// countdown is a context that ends after its Err has been asked n times:
// it shows that the decode keeps looking while it works, without timing.
type countdown struct {
	context.Context
	n int
}

func (c *countdown) Err() error {
	if c.n--; c.n < 0 {
		return context.Canceled
	}
	return nil
}

func TestParse_CancelledMidway(t *testing.T) {
	// A large directory: a thousand clerks, some 9000 values.
	var b strings.Builder
	b.WriteString(edit(t, "clerks:\n", "clerks:\n"))
	for i := range 1000 {
		fmt.Fprintf(&b, "  - {id: c%d, name: N, surname: S, position: P, department: \"100\", extension: \"%d\", endpoint: PJSIP/%d}\n", i, 5000+i, 5000+i)
	}
	ctx := &countdown{Context: t.Context(), n: 3}
	_, err := config.ParseContext(ctx, "callcare.yaml", []byte(b.String()), noEnv)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("ParseContext: %v", err)
	}
	if ctx.n >= 0 {
		t.Errorf("cancelled after %d looks at the context", 3-ctx.n)
	}
	if _, err := config.Parse("callcare.yaml", []byte(b.String()), noEnv); err != nil {
		t.Fatalf("the large file is valid: %v", err)
	}
}

func BenchmarkParse_MergeBomb(b *testing.B) {
	data := []byte(mergeBomb())
	for b.Loop() {
		if _, err := config.Parse("callcare.yaml", data, noEnv); err == nil {
			b.Fatal("accepted")
		}
	}
}

type loaded struct {
	c   *config.Config
	err error
}

// watchDir is a directory holding an ARI password file, and a function
// writing callcare.yaml there with the given database.
func watchDir(t *testing.T) (dir string, file func(db string) []byte) {
	t.Helper()
	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ari-password"), []byte("secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, func(db string) []byte {
		return []byte(edit(t, "  user: callcare\n", "  user: callcare\n  password_file: ari-password\n", "/tmp/callcare.db", db))
	}
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// await waits for a report that satisfies ok, passing over the ones before
// it (an editor's intermediate steps); a hang guard ends the test.
func await(t *testing.T, got <-chan loaded, what string, ok func(loaded) bool) loaded {
	t.Helper()
	guard := time.After(30 * time.Second)
	for {
		select {
		case l := <-got:
			if ok(l) {
				return l
			}
			t.Logf("passing over %v %v", l.c != nil, l.err)
		case <-guard:
			t.Fatalf("no report of %s", what)
		}
	}
}

func database(db string) func(loaded) bool {
	return func(l loaded) bool { return l.err == nil && l.c.Database == db }
}

func TestWatch(t *testing.T) {
	dir, file := watchDir(t)
	path := filepath.Join(dir, "callcare.yaml")
	write(t, path, file("/srv/a.db"))
	got := make(chan loaded, 100)
	w, err := config.Watch(t.Context(), path, func(c *config.Config, err error) { got <- loaded{c, err} })
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()

	t.Run("RenamedOver", func(t *testing.T) { // vim, VS Code, sed -i
		tmp := filepath.Join(dir, ".callcare.yaml.swp")
		write(t, tmp, file("/srv/b.db"))
		if err := os.Rename(tmp, path); err != nil {
			t.Fatal(err)
		}
		l := await(t, got, "the renamed file", database("/srv/b.db"))
		if l.c.Asterisk.Password != "secret" {
			t.Errorf("password %q", l.c.Asterisk.Password)
		}
	})
	t.Run("WrittenInPlace", func(t *testing.T) {
		write(t, path, file("/srv/c.db"))
		await(t, got, "the written file", database("/srv/c.db"))
	})
	t.Run("ProblemsAsCheck", func(t *testing.T) {
		write(t, path, []byte(strings.Replace(string(file("/srv/d.db")), `extension: "102"`, `extension: "101"`, 1)))
		_, want := config.Check(path)
		var ps config.Problems
		if !errors.As(want, &ps) {
			t.Fatalf("Check: %v", want)
		}
		l := await(t, got, "the problems", func(l loaded) bool { return l.err != nil && l.err.Error() == want.Error() })
		if l.c != nil || !errors.As(l.err, &ps) {
			t.Errorf("%v %v", l.c, l.err)
		}
	})
	t.Run("Reload", func(t *testing.T) {
		write(t, path, file("/srv/e.db"))
		await(t, got, "the fixed file", database("/srv/e.db"))
		w.Reload() // SIGHUP: the same bytes are reported again
		await(t, got, "the reload", database("/srv/e.db"))
	})
	t.Run("Removed", func(t *testing.T) {
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		await(t, got, "the missing file", func(l loaded) bool { return errors.Is(l.err, os.ErrNotExist) })
	})

	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	w.Close() // twice is fine
	write(t, path, file("/srv/f.db"))
	w.Reload()
	select {
	case l := <-got: // only what was reported before Close
		if l.err == nil && l.c.Database == "/srv/f.db" {
			t.Errorf("reported after Close: %v", l.c.Database)
		}
	default:
	}
}

// A Kubernetes ConfigMap: callcare.yaml is a symlink into ..data, itself a
// symlink swapped to a new directory when the map changes.
func TestWatch_SymlinkSwap(t *testing.T) {
	dir, file := watchDir(t)
	for _, v := range []string{"v1", "v2"} {
		if err := os.Mkdir(filepath.Join(dir, v), 0o700); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(dir, v, "callcare.yaml"), file("/srv/"+v+".db"))
		write(t, filepath.Join(dir, v, "ari-password"), []byte("secret"))
	}
	if err := os.Symlink("v1", filepath.Join(dir, "..data")); err != nil {
		t.Skip(err)
	}
	path := filepath.Join(dir, "callcare.yaml")
	if err := os.Symlink(filepath.Join("..data", "callcare.yaml"), path); err != nil {
		t.Fatal(err)
	}
	got := make(chan loaded, 100)
	w, err := config.Watch(t.Context(), path, func(c *config.Config, err error) { got <- loaded{c, err} })
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := os.Symlink("v2", filepath.Join(dir, "..data_tmp")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, "..data_tmp"), filepath.Join(dir, "..data")); err != nil {
		t.Fatal(err)
	}
	await(t, got, "the swapped map", database("/srv/v2.db"))
}

// Ending the context stops the watch as Close does.
func TestWatch_ContextEnds(t *testing.T) {
	dir, file := watchDir(t)
	path := filepath.Join(dir, "callcare.yaml")
	write(t, path, file("/srv/a.db"))
	ctx, cancel := context.WithCancel(t.Context())
	w, err := config.Watch(ctx, path, func(*config.Config, error) {})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	w.Close() // returns: the goroutine has ended
	if _, err := config.Watch(t.Context(), filepath.Join(dir, "no-such-dir", "callcare.yaml"), nil); err == nil {
		t.Error("watching a missing directory")
	}
}
