package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/callcare/callcare"
)

// ClaimTask claims one task for by, as the scheduler does when an agreed
// callback's time has come (P4m): only if it is open, ready (as in
// ClaimNext) and nobody else holds it. ok is false otherwise, so a clerk
// working the queue and the scheduler never take the same task.
func (db *DB) ClaimTask(ctx context.Context, id int64, by callcare.ClerkID, now time.Time, lease time.Duration) (callcare.CallbackTask, bool, error) {
	fail := func(err error) (callcare.CallbackTask, bool, error) {
		return callcare.CallbackTask{}, false, fmt.Errorf("sqlite: claim callback %d for %s: %w", id, by, err)
	}
	if by == "" || now.IsZero() || lease <= 0 {
		return fail(errors.New("claimer, time and a positive lease required"))
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	t, err := scanCallback(tx.QueryRowContext(ctx, `
		UPDATE callbacks SET claimed_by = :clerk, claimed_until = :until, updated_at = :updated
		WHERE id = :id AND `+readyCond+`
		RETURNING `+callbackColumns,
		sql.Named("id", id),
		sql.Named("clerk", string(by)),
		sql.Named("now", formatTime(now)),
		sql.Named("until", formatTime(now.Add(lease))),
		sql.Named("updated", formatTime(tx.now)),
	))
	if errors.Is(err, sql.ErrNoRows) {
		return callcare.CallbackTask{}, false, nil
	}
	if err != nil {
		return fail(err)
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return t, true, nil
}

// RaisePriority puts the open tasks of number first in the queue, for a
// person with special needs (P5.3), noting how that is known, and due by
// dueBy at the latest (zero: as they were).
func (db *DB) RaisePriority(ctx context.Context, number callcare.Number, needs callcare.NeedsSource, dueBy time.Time) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("sqlite: raise priority: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `
		UPDATE callbacks SET priority = :priority, needs = :needs, updated_at = :updated,
			due_at = CASE WHEN :due IS NOT NULL AND :due < due_at THEN :due ELSE due_at END
		WHERE number = :number AND status = 'open' AND priority < :priority`,
		sql.Named("priority", int(callcare.PrioritySpecialNeeds)),
		sql.Named("needs", string(needs)),
		sql.Named("number", number),
		sql.Named("updated", formatTime(tx.now)),
		sql.Named("due", formatTime(dueBy)),
	); err != nil {
		return fmt.Errorf("sqlite: raise priority: %w", err)
	}
	return tx.Commit()
}
