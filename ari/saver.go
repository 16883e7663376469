package ari

import (
	"context"
	"fmt"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/callcare/callcare"
)

// The call log is written behind the calls: a call's Save hands its
// record to the saver and goes on (the next request to Asterisk does not
// wait for the disk), and the saver writes what has been handed to it, a
// call's latest version only, many calls in one transaction when the
// store can (callBatch). What is handed over waits a moment (gather, 100
// ms by default) for others to share its commit: under load that is one
// commit for dozens of records instead of three commits a call, and at a
// few calls a second the versions of calls under way go with the next
// call's first version. What is handed over counts as the service's work
// until it is written (work.go), and Run writes what is left before it
// returns. Two writes do not wait (saveNow), and take what waits along: a
// call's first version, so that a kill -9 never leaves a call without a
// record, and the version a callback task is made from, so that the
// record says how the call ended before the task names it. A crash loses
// at most the last gather's versions of calls under way, which the
// reconciliation's adoption and closing of records left open are there
// for.

// callBatch is a store that writes many records in one transaction.
type callBatch interface {
	SaveCalls(ctx context.Context, recs []callcare.CallRecord) error
}

type saver struct {
	svc     *Service
	mu      sync.Mutex
	pending map[string]callcare.CallRecord
	order   []string      // pending ids, first handed first
	wake    chan struct{} // a token while something is pending
	writing sync.Mutex    // one write at a time: the goroutine's or flush's
	done    chan struct{} // closed when the goroutine has ended
	// gather is how long (wall clock) the goroutine lets a version wait
	// for others before it writes; 0: it writes at once.
	gather time.Duration
}

func newSaver(s *Service, gather time.Duration) *saver {
	return &saver{svc: s, pending: map[string]callcare.CallRecord{}, wake: make(chan struct{}, 1), gather: gather}
}

// save hands rec over, replacing a version of the same call not yet
// written.
func (w *saver) save(rec callcare.CallRecord) {
	rec = rec.Clone() // written later, while the call goes on changing it
	w.mu.Lock()
	if _, queued := w.pending[rec.ID]; !queued {
		w.order = append(w.order, rec.ID)
		w.svc.work.Add(1)
	}
	w.pending[rec.ID] = rec
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// saveNow writes rec at once, on the caller's goroutine, with any version
// of the same call still waiting replaced by it, and every other waiting
// version in the same commit: a call's first version, so that a record
// exists whatever happens to the process next, and the version a
// callback task is made from.
func (w *saver) saveNow(ctx context.Context, rec callcare.CallRecord) { w.flush(ctx, rec) }

// take removes call id's waiting version, if any, from what the saver
// holds, and gives the work it counted back.
func (w *saver) take(id string) (callcare.CallRecord, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	rec, ok := w.pending[id]
	if !ok {
		return rec, false
	}
	delete(w.pending, id)
	w.order = slices.DeleteFunc(w.order, func(o string) bool { return o == id })
	w.svc.work.Add(-1)
	return rec, true
}

// run writes until ctx ends; stop then writes the rest.
func (w *saver) run(ctx context.Context) {
	w.done = make(chan struct{})
	go func() {
		defer close(w.done)
		for {
			select {
			case <-ctx.Done():
				return
			case <-w.wake:
			}
			if !w.wait(ctx) {
				return
			}
			w.flush(ctx)
		}
	}()
}

// wait lets what was just handed over wait w.gather for more; false if
// ctx ended meanwhile (stop writes it then).
func (w *saver) wait(ctx context.Context) bool {
	if w.gather <= 0 {
		return true
	}
	t := time.NewTimer(w.gather)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// stop waits for the goroutine and writes what is left.
func (w *saver) stop(ctx context.Context) {
	if w.done != nil {
		<-w.done
	}
	w.flush(context.WithoutCancel(ctx))
}

// flush writes everything handed over so far, and now (saveNow's
// versions, each replacing a waiting one of its call) in the same commit.
func (w *saver) flush(ctx context.Context, now ...callcare.CallRecord) {
	w.writing.Lock()
	defer w.writing.Unlock()
	for _, rec := range now {
		w.take(rec.ID)
	}
	recs := w.drain()
	w.write(ctx, append(recs, now...))
	w.svc.work.Add(-int64(len(recs)))
}

// drain takes every waiting version, first handed first; the work counted
// for them is the caller's to give back once they are written. Hold
// w.writing, so that versions are written in the order they were taken.
func (w *saver) drain() []callcare.CallRecord {
	w.mu.Lock()
	defer w.mu.Unlock()
	recs := make([]callcare.CallRecord, 0, len(w.order)+1)
	for _, id := range w.order {
		recs = append(recs, w.pending[id])
	}
	w.pending, w.order = map[string]callcare.CallRecord{}, nil
	return recs
}

// write writes recs in one transaction if the store can, else one by one.
// The writes are short and are not cut by ctx: a version taken from the
// saver and not written would be lost (the service stopping is when most
// versions wait).
func (w *saver) write(ctx context.Context, recs []callcare.CallRecord) {
	if len(recs) == 0 {
		return
	}
	ctx = context.WithoutCancel(ctx)
	if b, ok := w.svc.store.Calls.(callBatch); ok {
		err := w.guard(func() error { return b.SaveCalls(ctx, recs) })
		if err == nil {
			return
		}
		w.svc.log.Warn("save the call log: writing the records one by one", "records", len(recs), "err", err)
	}
	for _, rec := range recs {
		if err := w.guard(func() error { return w.svc.store.Calls.SaveCall(ctx, rec) }); err != nil {
			w.svc.log.Warn("save the call record", "call", rec.ID, "err", err)
		}
	}
}

// guard runs a write; a panic in the store is an error of that write, not
// the end of the service.
func (w *saver) guard(write func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			w.svc.log.Error("the store failed writing the call log", "panic", p, "stack", string(debug.Stack()))
			err = fmt.Errorf("the store panicked: %v", p)
		}
	}()
	return write()
}
