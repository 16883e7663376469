package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// writeOut writes with write to stdout ("-") or to the file out, whole or
// not at all: a report or a dialplan half written is never left where the
// last one was (and Asterisk never reads half of one).
func writeOut(out string, stdout io.Writer, write func(io.Writer) error) error {
	if out == "-" || out == "" {
		return write(stdout)
	}
	// Written beside it, then renamed: a reader never sees half a file.
	f, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // it names the hidden file, not the one asked for
		}
		return fmt.Errorf("--out %s: %w", out, err)
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), out)
}

// bytesOf writes data as it is.
func bytesOf(data []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}
}
