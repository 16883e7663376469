package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/callcare/callcare"
)

// ClosedCallbacks lists the tasks closed in [since, until), in the order
// they closed.
func (db *DB) ClosedCallbacks(ctx context.Context, since, until time.Time) ([]callcare.CallbackTask, error) {
	ts, err := queryCallbacks(ctx, db.read, `WHERE status = 'done' AND closed_at >= ? AND closed_at < ? ORDER BY closed_at, id`,
		formatTime(since), formatTime(until))
	if err != nil {
		return nil, fmt.Errorf("sqlite: callbacks closed: %w", err)
	}
	return ts, nil
}

// AgreedAttempts lists the tasks with an agreed time that have an attempt
// started in [since, until), with all their attempts, from one snapshot.
func (db *DB) AgreedAttempts(ctx context.Context, since, until time.Time) ([]callcare.CallbackTask, map[int64][]callcare.CallbackAttempt, error) {
	fail := func(err error) ([]callcare.CallbackTask, map[int64][]callcare.CallbackAttempt, error) {
		return nil, nil, fmt.Errorf("sqlite: agreed callbacks' attempts: %w", err)
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	const tasks = `SELECT task_id FROM callback_attempts WHERE started_at >= ? AND started_at < ?`
	ts, err := queryCallbacks(ctx, tx, `WHERE agreed_at IS NOT NULL AND id IN (`+tasks+`) ORDER BY id`, formatTime(since), formatTime(until))
	if err != nil {
		return fail(err)
	}
	as, err := queryAttempts(ctx, tx, `WHERE task_id IN (SELECT id FROM callbacks WHERE agreed_at IS NOT NULL AND id IN (`+tasks+`)) ORDER BY task_id, seq`,
		formatTime(since), formatTime(until))
	if err != nil {
		return fail(err)
	}
	byTask := map[int64][]callcare.CallbackAttempt{}
	for _, a := range as {
		byTask[a.TaskID] = append(byTask[a.TaskID], a)
	}
	return ts, byTask, nil
}

// Writable tells whether the database takes writes now: it commits a
// one-row write (the table readiness). A read-only file or directory, a
// full disk, the write lock held by another process for longer than ctx
// allows, or a broken file is an error. The service's readiness (/readyz)
// asks it.
func (db *DB) Writable(ctx context.Context) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("sqlite: writable: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO readiness (id, checked_at) VALUES (1, ?)
		ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`, formatTime(tx.now)); err != nil {
		return fmt.Errorf("sqlite: writable: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: writable: %w", err)
	}
	return nil
}

var _ callcare.CallbackActivity = (*DB)(nil)
