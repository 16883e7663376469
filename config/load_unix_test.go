//go:build unix

package config_test

import (
	"errors"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/callcare/callcare/config"
)

// A FIFO is refused at once: opening one to read waits for a writer, and
// nothing would ever write.
func TestCheck_FIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "callcare.yaml")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skip(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := config.Check(path)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, config.ErrNotRegularFile) || !strings.Contains(err.Error(), "FIFO") {
			t.Fatalf("Check: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Check waits on a FIFO")
	}
}
