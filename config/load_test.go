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
