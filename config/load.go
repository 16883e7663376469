package config

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// MaxFileSize is the largest callcare.yaml read, 1 MiB. The example, a town
// hall of six clerks with every comment, is 11 KiB; a directory of a
// thousand clerks fits in a quarter of this.
const MaxFileSize = 1 << 20

// maxPasswordFile is the largest password file read: a password, not a book.
const maxPasswordFile = 4 << 10

// ErrNotRegularFile is why a FIFO, a device, a socket or a directory named as
// the configuration (or as the password file) is refused: reading one could
// wait forever (a FIFO) or never end (/dev/zero).
var ErrNotRegularFile = errors.New("not a regular file")

// Load reads and validates the file at path for a service that will connect
// to Asterisk: a missing ARI password is a problem too. The error is
// Problems when the file is invalid, another error when it cannot be read.
func Load(path string) (*Config, error) { return LoadContext(context.Background(), path) }

// LoadContext is Load, stopping with the context's error when ctx ends.
func LoadContext(ctx context.Context, path string) (*Config, error) {
	_, c, err := load(ctx, path)
	return c, err
}

// load is LoadContext, also returning the bytes read (for Watch).
func load(ctx context.Context, path string) ([]byte, *Config, error) {
	data, c, err := check(ctx, path)
	if err != nil {
		return data, nil, err
	}
	if err := c.PasswordProblem(); err != nil {
		return data, nil, err
	}
	return data, c, nil
}

// Check reads and validates the file at path, as `callcare config check`
// does: a missing password is left in Config.PasswordProblem, not refused.
// The password is looked up in the process's environment.
func Check(path string) (*Config, error) { return CheckContext(context.Background(), path) }

// CheckContext is Check, stopping with the context's error when ctx ends.
func CheckContext(ctx context.Context, path string) (*Config, error) {
	_, c, err := check(ctx, path)
	return c, err
}

func check(ctx context.Context, path string) ([]byte, *Config, error) {
	data, err := readRegular(ctx, path, MaxFileSize)
	if err != nil {
		return nil, nil, err
	}
	c, err := ParseContext(ctx, path, data, os.Getenv)
	return data, c, err
}

// Parse validates data, the contents of the file name (used in messages and
// to resolve a relative password_file). env looks up the password variable;
// nil means no environment. It returns Problems when the file is invalid; a
// missing password is not one of them (see Config.PasswordProblem).
func Parse(name string, data []byte, env func(string) string) (*Config, error) {
	return ParseContext(context.Background(), name, data, env)
}

// ParseContext is Parse, stopping with the context's error when ctx ends.
func ParseContext(ctx context.Context, name string, data []byte, env func(string) string) (*Config, error) {
	if env == nil {
		env = func(string) string { return "" }
	}
	if len(data) > MaxFileSize {
		return nil, Problems{{File: name, Message: fmt.Sprintf("the file is larger than %d MiB, the most a configuration may be", MaxFileSize>>20)}}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	p := newParser(ctx, name)
	root, ok := p.parseTree(data)
	if !ok {
		return nil, p.problems
	}
	f := DefaultFile()
	p.decodeFile(root, &f)
	switch {
	case errors.Is(p.stop, errExpansion):
		p.problems.sort()
		return nil, p.problems
	case p.stop != nil:
		return nil, fmt.Errorf("reading %s: %w", name, p.stop)
	}
	c := p.build(&f)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if len(p.problems) > 0 {
		p.problems.sort()
		return nil, p.problems
	}
	p.warnings.sort()
	c.warnings = p.warnings
	c.passwordProblem = p.resolvePassword(ctx, &f.Asterisk, &c.Asterisk, env)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return c, nil
}

// readRegular reads the regular file at path, at most limit+1 bytes of it
// (so that the caller can tell it is too large), stopping when ctx ends.
// Anything else is refused before a byte is read: the file is opened
// without blocking (a FIFO would wait for a writer) and then looked at.
func readRegular(ctx context.Context, path string, limit int64) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openNonblock, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &notRegularError{path: path, mode: fi.Mode()}
	}
	data := make([]byte, 0, min(fi.Size(), limit)+1)
	chunk := make([]byte, 64<<10)
	for int64(len(data)) <= limit {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
		n, err := f.Read(chunk[:min(int64(len(chunk)), limit+1-int64(len(data)))])
		data = append(data, chunk[:n]...)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	return data, nil
}

type notRegularError struct {
	path string
	mode fs.FileMode
}

func (e *notRegularError) Error() string {
	kind := "not a regular file"
	switch m := e.mode; {
	case m.IsDir():
		kind = "a directory"
	case m&fs.ModeNamedPipe != 0:
		kind = "a FIFO (named pipe)"
	case m&fs.ModeCharDevice != 0:
		kind = "a character device"
	case m&fs.ModeDevice != 0:
		kind = "a block device"
	case m&fs.ModeSocket != 0:
		kind = "a socket"
	}
	return fmt.Sprintf("%s is %s; callcare reads only a regular file", e.path, kind)
}

func (e *notRegularError) Is(target error) bool { return target == ErrNotRegularFile }

// resolvePassword fills a.Password from the environment or the password
// file, or says why it cannot.
func (p *parser) resolvePassword(ctx context.Context, fa *FileAsterisk, a *Asterisk, env func(string) string) Problems {
	a.PasswordEnv = fa.PasswordEnv
	a.PasswordFile = fa.PasswordFile
	if pw := env(a.PasswordEnv); pw != "" {
		a.Password = pw
		return nil
	}
	if a.PasswordFile == "" {
		path := "asterisk.password_env"
		return Problems{{File: p.file, Path: path, Line: p.lineOf(path),
			Message: fmt.Sprintf("no ARI password: the environment variable %s is empty and no password_file is set", a.PasswordEnv)}}
	}
	path := "asterisk.password_file"
	f := a.PasswordFile
	if !filepath.IsAbs(f) {
		f = filepath.Join(filepath.Dir(p.file), f)
	}
	b, err := readRegular(ctx, f, maxPasswordFile)
	switch {
	case errors.Is(err, os.ErrNotExist):
		err = fmt.Errorf("%s does not exist", f)
	case err == nil && len(b) > maxPasswordFile:
		err = fmt.Errorf("%s is larger than %d KiB: is it the password file?", f, maxPasswordFile>>10)
	}
	if err != nil {
		return Problems{{File: p.file, Path: path, Line: p.lineOf(path),
			Message: fmt.Sprintf("no ARI password: %s is empty and the password file cannot be read: %v", a.PasswordEnv, err)}}
	}
	pw := strings.TrimRight(string(b), "\r\n")
	if pw == "" {
		return Problems{{File: p.file, Path: path, Line: p.lineOf(path),
			Message: fmt.Sprintf("no ARI password: %s is empty and so is the password file %s", a.PasswordEnv, f)}}
	}
	a.Password = pw
	return nil
}
