package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/callcare/callcare"
)

// The phone matters of P3.2 in the store: appointment requests are
// callbacks of their own kind (one open per number and person), and the
// calls the service makes itself (documents ready, reminders) are tasks of
// outbound kinds, claimed, attempted and retried as callbacks are, in no
// clerk's queue.

// queueKinds selects the tasks clerks work: callbacks and appointment
// requests.
const queueKinds = `kind IN ('', 'appointment')`

// noticeKinds selects the calls the service makes itself.
const noticeKinds = `kind IN ('documents_ready', 'reminder')`

// missedKey is how MissedCall finds the open task a call adds a try to, by
// its kind: the number's callback, or the number's request to that person.
// It returns the WHERE fragment and the upsert's conflict target.
func missedKey(kind callcare.TaskKind) (same, conflict string, err error) {
	switch kind {
	case callcare.KindCallback:
		return `number = :number AND kind = ''`, `(number) WHERE status = 'open' AND kind = ''`, nil
	case callcare.KindAppointment:
		return `number = :number AND kind = 'appointment' AND target_kind = :target_kind AND target_id = :target_id`,
			`(number, target_kind, target_id) WHERE status = 'open' AND kind = 'appointment'`, nil
	}
	return "", "", fmt.Errorf("a task of kind %q is no missed call", kind)
}

// AddNotice records a call the service makes to a citizen: a documents-ready
// notice or a reminder of a meeting, open. Its first attempt may start at
// t.NextAttemptAt (zero: at once); FirstAt is when it was asked for.
func (db *DB) AddNotice(ctx context.Context, t callcare.CallbackTask) (callcare.CallbackTask, error) {
	fail := func(err error) (callcare.CallbackTask, error) {
		return callcare.CallbackTask{}, fmt.Errorf("sqlite: add a notice to %q: %w", t.Number.Masked(), err)
	}
	switch {
	case !t.Kind.Outbound():
		return fail(callcare.Errorf(callcare.EINVALID, "a notice is documents_ready or reminder, not %q", t.Kind))
	case t.Number == "":
		return fail(callcare.Errorf(callcare.EINVALID, "number required"))
	case t.FirstAt.IsZero():
		return fail(callcare.Errorf(callcare.EINVALID, "time required"))
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	stored, err := insertNotice(ctx, tx, t)
	if err != nil {
		return fail(err)
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return stored, nil
}

// Notices lists the notices that match f, newest first.
func (db *DB) Notices(ctx context.Context, f callcare.NoticeFilter) ([]callcare.CallbackTask, error) {
	where, args := []string{noticeKinds}, []any{}
	if f.Kind != "" {
		where, args = append(where, "kind = :kind"), append(args, sql.Named("kind", string(f.Kind)))
	}
	if f.Status != "" {
		where, args = append(where, "status = :status"), append(args, sql.Named("status", string(f.Status)))
	}
	if f.Number != "" {
		where, args = append(where, "number = :number"), append(args, sql.Named("number", f.Number))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = -1
	}
	args = append(args, sql.Named("limit", limit))
	ts, err := queryCallbacks(ctx, db.read, `WHERE `+strings.Join(where, " AND ")+` ORDER BY id DESC LIMIT :limit`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: notices: %w", err)
	}
	return ts, nil
}

// DueNotices lists the open notices ready at now, oldest first: no retry
// wait left, not claimed, no attempt under way; at most atOnce less those
// the service is making now (claimed by callcare.Notifier), so a clerk
// who sends many at once does not take every line of the trunk.
func (db *DB) DueNotices(ctx context.Context, now time.Time, atOnce int) ([]callcare.CallbackTask, error) {
	if now.IsZero() {
		return nil, errors.New("sqlite: due notices: time required")
	}
	ts, err := queryCallbacks(ctx, db.read, `
		WHERE `+noticeKinds+` AND status = 'open'
			AND (next_attempt_at IS NULL OR next_attempt_at <= :now)
			AND (claimed_until IS NULL OR claimed_until <= :now)
			AND NOT EXISTS (SELECT 1 FROM callback_attempts a WHERE a.task_id = callbacks.id AND a.result = '')
		ORDER BY coalesce(next_attempt_at, first_at), id
		LIMIT max(0, :at_once - (SELECT count(*) FROM callbacks
			WHERE `+noticeKinds+` AND status = 'open' AND claimed_by = :clerk AND claimed_until > :now))`,
		sql.Named("now", formatTime(now)),
		sql.Named("clerk", string(callcare.Notifier)),
		sql.Named("at_once", atOnce))
	if err != nil {
		return nil, fmt.Errorf("sqlite: due notices: %w", err)
	}
	return ts, nil
}

// AgreeMeeting records the meeting agreed on appointment request id (open
// or closed), closes the request if still open (ResolvedMeeting, by by),
// ends the reminder of an earlier meeting still to come, and adds one at
// remindAt unless it is zero. It returns the new reminder.
func (db *DB) AgreeMeeting(ctx context.Context, id int64, at time.Time, by string, now, remindAt time.Time) (callcare.CallbackTask, bool, error) {
	fail := func(err error) (callcare.CallbackTask, bool, error) {
		return callcare.CallbackTask{}, false, fmt.Errorf("sqlite: agree a meeting on task %d: %w", id, err)
	}
	if at.IsZero() || now.IsZero() {
		return fail(errors.New("times required"))
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	t, err := scanCallback(tx.QueryRowContext(ctx, `SELECT `+callbackColumns+` FROM callbacks WHERE id = ?`, id))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fail(noTask(id))
	case err != nil:
		return fail(err)
	case t.Kind != callcare.KindAppointment:
		return fail(callcare.Errorf(callcare.EINVALID, "task %d is no appointment request (it is a %s)", id, t.Kind))
	}
	stamp := formatTime(tx.now)
	if _, err := tx.ExecContext(ctx, `UPDATE callbacks SET meeting_at = :at, updated_at = :now WHERE id = :id`,
		sql.Named("at", formatTime(at)), sql.Named("now", stamp), sql.Named("id", id)); err != nil {
		return fail(err)
	}
	if t.Status == callcare.CallbackOpen {
		if _, err := tx.ExecContext(ctx, `UPDATE callbacks SET `+closeSet+` WHERE id = :id AND status = 'open'`,
			sql.Named("res", string(callcare.ResolvedMeeting)), sql.Named("at", formatTime(now)), sql.Named("by", by),
			sql.Named("now", stamp), sql.Named("id", id)); err != nil {
			return fail(err)
		}
	}
	// A reminder of the meeting as it was is no longer wanted, even one
	// whose call rings now: that call ends as it is, and the closed
	// reminder is never tried again to tell the old time.
	if _, err := tx.ExecContext(ctx, `UPDATE callbacks SET `+closeSet+`
		WHERE of_task = :id AND kind = 'reminder' AND status = 'open'`,
		sql.Named("res", string(callcare.ResolvedByClerk)), sql.Named("at", formatTime(now)), sql.Named("by", by),
		sql.Named("now", stamp), sql.Named("id", id)); err != nil {
		return fail(err)
	}
	var reminder callcare.CallbackTask
	if !remindAt.IsZero() {
		reminder, err = insertNotice(ctx, tx, callcare.CallbackTask{Kind: callcare.KindReminder, OfTask: id, MeetingAt: at,
			Number: t.Number, Target: t.Target, Priority: t.Priority, Needs: t.Needs, CallID: t.CallID,
			FirstAt: now, NextAttemptAt: remindAt})
		if err != nil {
			return fail(err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return reminder, !remindAt.IsZero(), nil
}

// insertNotice writes t, a notice or reminder, open, and reads it back as
// stored.
func insertNotice(ctx context.Context, tx *tx, t callcare.CallbackTask) (callcare.CallbackTask, error) {
	var ofTask any
	if t.OfTask != 0 {
		ofTask = t.OfTask
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `
		INSERT INTO callbacks (
			number, dialed, target_kind, target_id, reason, priority, needs, call_id,
			first_at, last_at, tries, due_at, next_attempt_at, status, created_at, updated_at,
			kind, case_ref, place, meeting_at, of_task
		) VALUES (
			:number, '', :target_kind, :target_id, '', :priority, :needs, :call_id,
			:first_at, :first_at, 1, :due_at, :next, 'open', :now, :now,
			:kind, :case_ref, :place, :meeting_at, :of_task
		) RETURNING id`,
		sql.Named("number", t.Number),
		sql.Named("target_kind", string(t.Target.Kind)),
		sql.Named("target_id", t.Target.ID),
		sql.Named("priority", int(t.Priority)),
		sql.Named("needs", string(t.Needs)),
		sql.Named("call_id", t.CallID),
		sql.Named("first_at", formatTime(t.FirstAt)),
		sql.Named("due_at", formatTime(t.Due)),
		sql.Named("next", formatTime(t.NextAttemptAt)),
		sql.Named("now", formatTime(tx.now)),
		sql.Named("kind", string(t.Kind)),
		sql.Named("case_ref", t.Case),
		sql.Named("place", t.Place),
		sql.Named("meeting_at", formatTime(t.MeetingAt)),
		sql.Named("of_task", ofTask),
	).Scan(&id); err != nil {
		return callcare.CallbackTask{}, err
	}
	return scanCallback(tx.QueryRowContext(ctx, `SELECT `+callbackColumns+` FROM callbacks WHERE id = ?`, id))
}

// The store keeps the notices' contract too.
var _ callcare.NoticeService = (*DB)(nil)
