package config

import (
	"context"
	"crypto/sha256"
	"fmt"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// settle is how long the file must stay quiet before a change is read: an
// editor saves in a few steps (truncate and write, or write a copy and
// rename it over), and only the end result is a file to load.
const settle = 100 * time.Millisecond

// A Watcher reloads callcare.yaml when it changes and when asked. Stop it
// with Close or by ending the context given to Watch.
type Watcher struct {
	path   string // as given: it names the file in Problems
	abs    string
	fsw    *fsnotify.Watcher
	kick   chan struct{}
	cancel context.CancelFunc
	done   chan struct{}
}

// Watch watches the file at path and calls f with the result of loading it
// as Load does, each time it has changed and each time Reload is called:
// f(c, nil) with the new configuration, or f(nil, err) where err is the
// Problems `config check` reports for the same file (plus a missing ARI
// password, which serve refuses too) or why the file cannot be read or
// watched. A caller keeps its configuration when err is not nil.
//
// The directory is watched, not the file, so a save that replaces the file
// (an editor's rename over it, a Kubernetes ConfigMap's symlink swap) is
// seen as well as a write in place. A change is read once the file has been
// quiet for a moment (settle). A change that leaves the bytes as the last
// load read them (touch, chmod) does not call f, except the first change
// after Watch starts: start Watch before the first Load, or call Reload once
// after it, so that no change falls between the two.
//
// f is called on the Watcher's own goroutine, one call at a time; it must
// not call Close. The password file is not watched: Reload after changing it.
func Watch(ctx context.Context, path string, f func(*Config, error)) (*Watcher, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("watching %s: %w", path, err)
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watching %s: %w", path, err)
	}
	if err := fsw.Add(filepath.Dir(abs)); err != nil {
		fsw.Close()
		return nil, fmt.Errorf("watching %s: %w", path, err)
	}
	// What the file is now, before Watch returns: a swap after it is a change.
	target, _ := filepath.EvalSymlinks(abs)
	ctx, cancel := context.WithCancel(ctx)
	w := &Watcher{path: path, abs: abs, fsw: fsw, kick: make(chan struct{}, 1), cancel: cancel, done: make(chan struct{})}
	go w.run(ctx, target, f)
	return w, nil
}

// Reload asks for the file to be loaded now and reported, changed or not:
// what the service does on SIGHUP. It does not wait.
func (w *Watcher) Reload() {
	select {
	case w.kick <- struct{}{}:
	default: // one is already asked for
	}
}

// Close stops watching and waits until f is no longer called.
func (w *Watcher) Close() error {
	w.cancel()
	<-w.done
	return nil
}

// run reports loads until ctx ends; target is the file's path with its
// symlinks followed when Watch started ("" if there was no file).
func (w *Watcher) run(ctx context.Context, target string, f func(*Config, error)) {
	defer close(w.done)
	defer w.fsw.Close()
	quiet := time.NewTimer(settle)
	quiet.Stop()
	defer quiet.Stop()
	var last string // what the last load read: a digest of the bytes, or why none
	forced := false
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			// The file itself, or what its symlink points at, changed.
			now, _ := filepath.EvalSymlinks(w.abs)
			if filepath.Clean(ev.Name) == w.abs || now != target {
				target = now
				quiet.Reset(settle)
			}
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			f(nil, fmt.Errorf("watching %s: %w", w.path, err))
			quiet.Reset(settle) // events may be lost: look again
		case <-w.kick:
			forced = true
			quiet.Reset(0)
		case <-quiet.C:
			data, c, err := load(ctx, w.path)
			if ctx.Err() != nil {
				return
			}
			read := fmt.Sprintf("%x", sha256.Sum256(data))
			if data == nil {
				read = "unread: " + err.Error()
			}
			if forced || read != last {
				f(c, err)
			}
			last, forced = read, false
		}
	}
}
