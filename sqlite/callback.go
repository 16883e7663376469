package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/callcare/callcare"
)

// callbackColumns are read by scanCallback, in this order.
const callbackColumns = `id, number, dialed, target_kind, target_id, reason, priority, needs, call_id,
	first_at, last_at, tries, due_at, agreed_at, next_attempt_at, attempts, status, resolution,
	closed_at, closed_by, note, overdue, escalated_at, claimed_by, claimed_until,
	kind, case_ref, place, meeting_at, coalesce(of_task, 0)`

// readyCond selects the open tasks a clerk (:clerk) may work at :now: no
// retry wait left, no agreed time still ahead, not claimed by another clerk,
// and no attempt under way (a dial may be ringing the citizen).
const readyCond = `status = 'open'
	AND (next_attempt_at IS NULL OR next_attempt_at <= :now)
	AND (agreed_at IS NULL OR agreed_at <= :now)
	AND (claimed_by = '' OR claimed_by = :clerk OR claimed_until IS NULL OR claimed_until <= :now)
	AND NOT EXISTS (SELECT 1 FROM callback_attempts a WHERE a.task_id = callbacks.id AND a.result = '')`

// ownCond selects the tasks of :clerk, and of the clerks in :covering (a
// JSON array of ids: absent clerks whose calls :clerk takes, P4c).
const ownCond = `(:clerk <> '' AND target_kind = 'clerk'
	AND (target_id = :clerk OR target_id IN (SELECT value FROM json_each(:covering))))`

// queueCond selects the tasks for :clerk (own, see ownCond) and for :dept
// (their department's). An empty clerk or department matches nothing.
// Only callbacks and appointment requests are in a queue: the notices are
// the service's own calls (see queueKinds).
const queueCond = `(` + ownCond + `
	OR (:dept <> '' AND target_kind = 'department' AND target_id = :dept)) AND ` + queueKinds

// jsonIDs is ids as a JSON array, one query parameter whatever its length.
func jsonIDs(ids []callcare.ClerkID) string {
	b, _ := json.Marshal(ids)
	if ids == nil {
		return "[]"
	}
	return string(b)
}

// queueOrder is the order tasks are worked in: special needs first (P5.3),
// then the earliest promise (the agreed time, else the due time; none last),
// then the oldest task.
const queueOrder = `priority DESC, coalesce(agreed_at, due_at) IS NULL, coalesce(agreed_at, due_at), id`

// MissedCall records a missed call in the task for its number (P4c). With no
// open task for t.Number it creates one (status open, Tries = max(t.Tries, 1),
// LastAt = FirstAt if unset). With one it updates that task: Tries+1, LastAt
// the later and FirstAt the earlier of the two, Priority raised and Needs
// taken if the new call's priority is higher (or no Needs was known), Due
// the earlier of the two, AgreedAt replaced by a new one (the latest
// agreement with the citizen wins; Overdue cleared), Note kept if the task
// has one, else taken. Target becomes the new call's when it brings an
// agreed time (agreed with that clerk, against their times: P4m) or asks
// for a callback after a long hold (of that clerk: P4h) of a task with no
// agreed time (the time was agreed with its clerk); else it stays.
// Reason, Dialed and CallID stay those of the first call.
//
// The partial unique index on open tasks' numbers makes this one task per
// number even when two processes record calls of the same number at once.
// It is committed before it returns the task as stored, and whether it was
// created. A caller that passed a Note and gets back another must dispose of
// its recording: the task does not name it.
//
// Number is stored verbatim: whether it can be called back is the caller's
// decision (callcare.CallableNumber). Only an empty number is refused.
func (db *DB) MissedCall(ctx context.Context, t callcare.CallbackTask) (callcare.CallbackTask, bool, error) {
	fail := func(err error) (callcare.CallbackTask, bool, error) {
		return callcare.CallbackTask{}, false, fmt.Errorf("sqlite: missed call from %q: %w", t.Number.Masked(), err)
	}
	if t.Number == "" {
		return fail(errors.New("number required"))
	}
	if t.FirstAt.IsZero() {
		return fail(errors.New("time of the call required"))
	}
	last := t.LastAt
	if last.IsZero() || last.Before(t.FirstAt) {
		last = t.FirstAt
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()

	// Under the write lock nobody else can open or close a task of this
	// number between this look and the upsert.
	same, conflict, err := missedKey(t.Kind)
	if err != nil {
		return fail(err)
	}
	var existing int64
	switch err := tx.QueryRowContext(ctx, `SELECT id FROM callbacks WHERE status = 'open' AND `+same,
		sql.Named("number", t.Number), sql.Named("target_kind", string(t.Target.Kind)), sql.Named("target_id", t.Target.ID)).Scan(&existing); {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return fail(err)
	}
	now := formatTime(tx.now)
	var id int64
	if err := tx.QueryRowContext(ctx, `
		INSERT INTO callbacks (
			number, dialed, target_kind, target_id, reason, priority, needs, call_id,
			first_at, last_at, tries, due_at, agreed_at, note, status, created_at, updated_at, kind
		) VALUES (
			:number, :dialed, :target_kind, :target_id, :reason, :priority, :needs, :call_id,
			:first_at, :last_at, :tries, :due_at, :agreed_at, :note, 'open', :now, :now, :kind
		)
		ON CONFLICT `+conflict+` DO UPDATE SET
			tries      = tries + 1,
			first_at   = min(first_at, excluded.first_at),
			last_at    = max(last_at, excluded.last_at),
			needs      = CASE WHEN excluded.priority > priority OR needs = '' THEN excluded.needs ELSE needs END,
			priority   = max(priority, excluded.priority),
			due_at     = coalesce(min(due_at, excluded.due_at), due_at, excluded.due_at),
			agreed_at  = coalesce(excluded.agreed_at, agreed_at),
			target_kind = CASE WHEN excluded.agreed_at IS NOT NULL OR excluded.reason = :long_hold AND agreed_at IS NULL THEN excluded.target_kind ELSE target_kind END,
			target_id   = CASE WHEN excluded.agreed_at IS NOT NULL OR excluded.reason = :long_hold AND agreed_at IS NULL THEN excluded.target_id ELSE target_id END,
			overdue    = CASE WHEN excluded.agreed_at IS NULL THEN overdue ELSE 0 END,
			note       = CASE WHEN note = '' THEN excluded.note ELSE note END,
			updated_at = excluded.updated_at
		RETURNING id`,
		sql.Named("number", t.Number),
		sql.Named("dialed", t.Dialed),
		sql.Named("target_kind", string(t.Target.Kind)),
		sql.Named("target_id", t.Target.ID),
		sql.Named("reason", string(t.Reason)),
		sql.Named("priority", int(t.Priority)),
		sql.Named("needs", string(t.Needs)),
		sql.Named("call_id", t.CallID),
		sql.Named("first_at", formatTime(t.FirstAt)),
		sql.Named("last_at", formatTime(last)),
		sql.Named("tries", max(t.Tries, 1)),
		sql.Named("due_at", formatTime(t.Due)),
		sql.Named("agreed_at", formatTime(t.AgreedAt)),
		sql.Named("note", t.Note),
		sql.Named("now", now),
		sql.Named("kind", string(t.Kind)),
		sql.Named("long_hold", string(callcare.ReasonLongHold)),
	).Scan(&id); err != nil {
		return fail(err)
	}
	stored, err := scanCallback(tx.QueryRowContext(ctx, `SELECT `+callbackColumns+` FROM callbacks WHERE id = ?`, id))
	if err != nil {
		return fail(err)
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return stored, existing == 0, nil
}

// CloseCallbacks closes every open task for number, e.g. because the citizen
// got through (callcare.ResolvedGotThrough) or a clerk's outbound call to the
// number was answered (callcare.ResolvedOutbound), releasing any claim. A
// task with a time agreed with the citizen stays open when the citizen gets
// through by themselves: the clerk promised that call, prepared for it
// (P4m), and the citizen's call may have been about anything. It returns
// how many it closed; none is not an error.
func (db *DB) CloseCallbacks(ctx context.Context, number callcare.Number, res callcare.Resolution, by string, at time.Time) (int, error) {
	fail := func(err error) (int, error) {
		return 0, fmt.Errorf("sqlite: close callbacks of %q: %w", number.Masked(), err)
	}
	if res == "" {
		return fail(errors.New("resolution required"))
	}
	if at.IsZero() {
		return fail(errors.New("time required"))
	}
	// Every answered call asks; most callers are owed nothing, and a read
	// takes no write lock. A task made meanwhile is the next call's to close.
	which := `number = :number AND status = 'open' AND kind = ''`
	if res == callcare.ResolvedGotThrough {
		which += ` AND agreed_at IS NULL`
	}
	open, err := db.readPrepared(ctx, `SELECT 1 FROM callbacks WHERE `+which+` LIMIT 1`)
	if err != nil {
		return fail(err)
	}
	var one int
	switch err := open.QueryRowContext(ctx, sql.Named("number", number)).Scan(&one); {
	case errors.Is(err, sql.ErrNoRows):
		return 0, nil
	case err != nil:
		return fail(err)
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	r, err := tx.ExecContext(ctx, `
		UPDATE callbacks SET `+closeSet+`
		WHERE `+which,
		sql.Named("number", number),
		sql.Named("res", string(res)),
		sql.Named("at", formatTime(at)),
		sql.Named("by", by),
		sql.Named("now", formatTime(tx.now)),
	)
	if err != nil {
		return fail(err)
	}
	n, err := r.RowsAffected()
	if err != nil {
		return fail(err)
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return int(n), nil
}

// closeSet closes a task with resolution :res at :at by :by, and ends any
// claim and retry wait.
const closeSet = `status = 'done', resolution = :res, closed_at = :at, closed_by = :by,
	claimed_by = '', claimed_until = NULL, next_attempt_at = NULL, updated_at = :now`

// Callback returns the task with the given id, or an error wrapping
// ENOTFOUND.
func (db *DB) Callback(ctx context.Context, id int64) (callcare.CallbackTask, error) {
	t, err := scanCallback(db.read.QueryRowContext(ctx, `SELECT `+callbackColumns+` FROM callbacks WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return callcare.CallbackTask{}, noTask(id)
	}
	if err != nil {
		return callcare.CallbackTask{}, fmt.Errorf("sqlite: callback %d: %w", id, err)
	}
	return t, nil
}

// CallbackAttempts returns the attempts of task id in order (seq 1 first),
// or an error wrapping ENOTFOUND when there is no such task.
func (db *DB) CallbackAttempts(ctx context.Context, id int64) ([]callcare.CallbackAttempt, error) {
	fail := func(err error) ([]callcare.CallbackAttempt, error) {
		return nil, fmt.Errorf("sqlite: attempts of callback %d: %w", id, err)
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	if err := taskExists(ctx, tx, id); err != nil {
		return fail(err)
	}
	as, err := queryAttempts(ctx, tx, `WHERE task_id = ? ORDER BY seq`, id)
	if err != nil {
		return fail(err)
	}
	return as, nil
}

// Callbacks lists the tasks that match f in queue order: priority DESC (special
// needs first), then the agreed time, else the due time, ASC (tasks with
// neither last), then id.
func (db *DB) Callbacks(ctx context.Context, f callcare.CallbackFilter) ([]callcare.CallbackTask, error) {
	// Fixed fragments only; every value is a parameter. The notices are
	// listed by Notices.
	where, args := []string{queueKinds}, []any{}
	if f.Status != "" {
		where, args = append(where, "status = :status"), append(args, sql.Named("status", string(f.Status)))
	}
	if f.Clerk != "" || f.Department != "" {
		where = append(where, queueCond)
		args = append(args, sql.Named("clerk", string(f.Clerk)), sql.Named("dept", f.Department), sql.Named("covering", "[]"))
	}
	if f.Number != "" {
		where, args = append(where, "number = :number"), append(args, sql.Named("number", f.Number))
	}
	if !f.Since.IsZero() {
		where, args = append(where, "first_at >= :since"), append(args, sql.Named("since", formatTime(f.Since)))
	}
	if !f.Until.IsZero() {
		where, args = append(where, "first_at < :until"), append(args, sql.Named("until", formatTime(f.Until)))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = -1
	}
	args = append(args, sql.Named("limit", limit))
	ts, err := queryCallbacks(ctx, db.read, `WHERE `+strings.Join(where, " AND ")+` ORDER BY `+queueOrder+` LIMIT :limit`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: callbacks: %w", err)
	}
	return ts, nil
}

// CountWaiting says how many open tasks wait for a clerk at now: their own
// (Target is the clerk) and their department's, counting only those ready to
// be worked: no retry wait left (NextAttemptAt <= now), no agreed time still
// ahead, not claimed by another clerk (ClaimedUntil > now), no attempt under
// way. It counts what ClaimNext could hand out, skip list aside.
func (db *DB) CountWaiting(ctx context.Context, clerk callcare.ClerkID, department string, now time.Time, covering ...callcare.ClerkID) (own, dept int, err error) {
	if now.IsZero() {
		return 0, 0, errors.New("sqlite: count waiting callbacks: time required")
	}
	err = db.read.QueryRowContext(ctx, `
		SELECT
			coalesce(sum(`+ownCond+`), 0),
			coalesce(sum(:dept <> '' AND target_kind = 'department' AND target_id = :dept), 0)
		FROM callbacks
		WHERE `+readyCond+` AND `+queueCond,
		sql.Named("clerk", string(clerk)),
		sql.Named("dept", department),
		sql.Named("covering", jsonIDs(covering)),
		sql.Named("now", formatTime(now)),
	).Scan(&own, &dept)
	if err != nil {
		return 0, 0, fmt.Errorf("sqlite: count waiting callbacks of %s: %w", clerk, err)
	}
	return own, dept, nil
}

// ClaimNext atomically hands the clerk the next task to work: among the open
// tasks ready at now (see CountWaiting), special needs first, the
// department's too (P5.3: they jump every queue); then the clerk's own before
// their department's, each in queue order (see Callbacks); leaving out the
// ids in skip (the tasks the clerk skipped in this session). The task is
// claimed for the clerk until now+lease; a claim that ran out is free to
// anyone, and a clerk's own claim does not hide a task from that clerk.
//
// The choice and the claim are one UPDATE in a write transaction, which holds
// SQLite's write lock: two clerks, in one process or two, never get the same
// task. ok is false when nothing waits.
func (db *DB) ClaimNext(ctx context.Context, clerk callcare.ClerkID, department string, skip []int64, now time.Time, lease time.Duration, covering ...callcare.ClerkID) (t callcare.CallbackTask, ok bool, err error) {
	fail := func(err error) (callcare.CallbackTask, bool, error) {
		return callcare.CallbackTask{}, false, fmt.Errorf("sqlite: claim next callback for %s: %w", clerk, err)
	}
	switch {
	case clerk == "":
		return fail(errors.New("clerk required"))
	case now.IsZero():
		return fail(errors.New("time required"))
	case lease <= 0:
		return fail(errors.New("lease must be positive"))
	}
	// The skip list travels as one JSON array parameter, built from integers.
	var b strings.Builder
	b.WriteByte('[')
	for i, id := range skip {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	b.WriteByte(']')

	tx, err := db.beginWrite(ctx)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	t, err = scanCallback(tx.QueryRowContext(ctx, `
		UPDATE callbacks SET claimed_by = :clerk, claimed_until = :until, updated_at = :updated
		WHERE id = (
			SELECT id FROM callbacks
			WHERE `+readyCond+` AND `+queueCond+`
				AND id NOT IN (SELECT value FROM json_each(:skip))
			ORDER BY priority DESC, (target_kind = 'clerk') DESC, `+queueOrder+`
			LIMIT 1
		)
		RETURNING `+callbackColumns,
		sql.Named("clerk", string(clerk)),
		sql.Named("dept", department),
		sql.Named("covering", jsonIDs(covering)),
		sql.Named("now", formatTime(now)),
		sql.Named("until", formatTime(now.Add(lease))),
		sql.Named("skip", b.String()),
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

// Release ends the clerk's claim on task id. A task claimed by nobody or by
// another clerk is left as it is (no error); a missing task is ENOTFOUND.
func (db *DB) Release(ctx context.Context, id int64, clerk callcare.ClerkID) error {
	err := db.updateTask(ctx, id, false, `
		UPDATE callbacks SET claimed_by = '', claimed_until = NULL, updated_at = :now
		WHERE id = :id AND claimed_by = :clerk`,
		sql.Named("clerk", string(clerk)))
	if err != nil {
		return fmt.Errorf("sqlite: release callback %d: %w", id, err)
	}
	return nil
}

// StartAttempt journals an attempt of task id BEFORE anything is dialed:
// seq = Attempts+1, result pending, channel the id the dial will use; it
// increments the task's Attempts, in the same transaction. It refuses a task
// that is not open (ECONFLICT) or missing (ENOTFOUND), a task with an
// attempt still pending (ECONFLICT), and a channel id any attempt
// has used already (unique index).
func (db *DB) StartAttempt(ctx context.Context, id int64, clerk callcare.ClerkID, channel string, at time.Time) (callcare.CallbackAttempt, error) {
	fail := func(err error) (callcare.CallbackAttempt, error) {
		return callcare.CallbackAttempt{}, fmt.Errorf("sqlite: start attempt of callback %d: %w", id, err)
	}
	if channel == "" {
		return fail(errors.New("channel id required"))
	}
	if at.IsZero() {
		return fail(errors.New("time required"))
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()

	var (
		status   string
		attempts int
		pending  bool
	)
	err = tx.QueryRowContext(ctx, `
		SELECT status, attempts,
			EXISTS (SELECT 1 FROM callback_attempts WHERE task_id = callbacks.id AND result = '')
		FROM callbacks WHERE id = ?`, id).Scan(&status, &attempts, &pending)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fail(noTask(id))
	case err != nil:
		return fail(err)
	case status != string(callcare.CallbackOpen):
		return fail(taskClosed(id))
	case pending:
		return fail(callcare.Errorf(callcare.ECONFLICT, "callback %d has an attempt under way", id))
	}
	seq := attempts + 1
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO callback_attempts (task_id, seq, clerk, channel, started_at, result)
		VALUES (?, ?, ?, ?, ?, '')`,
		id, seq, string(clerk), channel, formatTime(at)); err != nil {
		return fail(err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE callbacks SET attempts = ?, updated_at = ? WHERE id = ?`,
		seq, formatTime(tx.now), id); err != nil {
		return fail(err)
	}
	as, err := queryAttempts(ctx, tx, `WHERE task_id = ? AND seq = ?`, id, seq)
	if err != nil {
		return fail(err)
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return as[0], nil
}

// FinishAttempt records the result of attempt seq of task id, if it is still
// pending; a second finish changes nothing and returns false. With the
// result it applies what the policy decided to the task, if the task is still
// open: next is when the next attempt may start (zero: at once), and a
// non-empty close closes the task with that resolution (ClosedAt = at,
// ClosedBy = the attempt's clerk), releasing any claim. A task closed
// meanwhile (the citizen got through) keeps its resolution.
func (db *DB) FinishAttempt(ctx context.Context, id int64, seq int, res callcare.AttemptResult, at time.Time, next time.Time, close callcare.Resolution) (bool, error) {
	fail := func(err error) (bool, error) {
		return false, fmt.Errorf("sqlite: finish attempt %d of callback %d: %w", seq, id, err)
	}
	if res == callcare.AttemptPending {
		return fail(errors.New("result required"))
	}
	if at.IsZero() {
		return fail(errors.New("time required"))
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()

	var clerk string
	err = tx.QueryRowContext(ctx, `
		UPDATE callback_attempts SET result = ?, ended_at = ?
		WHERE task_id = ? AND seq = ? AND result = ''
		RETURNING clerk`,
		string(res), formatTime(at), id, seq).Scan(&clerk)
	if errors.Is(err, sql.ErrNoRows) {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM callback_attempts WHERE task_id = ? AND seq = ?`, id, seq).Scan(&n); err != nil {
			return fail(err)
		}
		if n == 0 {
			return fail(callcare.Errorf(callcare.ENOTFOUND, "callback %d has no attempt %d", id, seq))
		}
		return false, nil // finished already
	}
	if err != nil {
		return fail(err)
	}
	args := []any{
		sql.Named("id", id),
		sql.Named("next", formatTime(next)),
		sql.Named("now", formatTime(tx.now)),
	}
	set := `next_attempt_at = :next, updated_at = :now`
	if close != "" {
		set = closeSet
		args = append(args, sql.Named("res", string(close)), sql.Named("at", formatTime(at)), sql.Named("by", clerk))
	}
	if _, err := tx.ExecContext(ctx, `UPDATE callbacks SET `+set+` WHERE id = :id AND status = 'open'`, args...); err != nil {
		return fail(err)
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return true, nil
}

// PendingAttempts lists the attempts never finished, oldest first: the
// service died during them. On start the service finishes each as
// interrupted and never dials it again.
func (db *DB) PendingAttempts(ctx context.Context) ([]callcare.CallbackAttempt, error) {
	as, err := queryAttempts(ctx, db.read, `WHERE result = '' ORDER BY started_at, task_id, seq`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: pending callback attempts: %w", err)
	}
	return as, nil
}

// MarkDone closes task id with resolution res (e.g. callcare.ResolvedByClerk)
// by by at at, releasing any claim. A missing task is ENOTFOUND, a closed
// one ECONFLICT.
func (db *DB) MarkDone(ctx context.Context, id int64, res callcare.Resolution, by string, at time.Time) error {
	if res == "" {
		return fmt.Errorf("sqlite: mark callback %d done: resolution required", id)
	}
	if at.IsZero() {
		return fmt.Errorf("sqlite: mark callback %d done: time required", id)
	}
	err := db.updateTask(ctx, id, true, `UPDATE callbacks SET `+closeSet+` WHERE id = :id AND status = 'open'`,
		sql.Named("res", string(res)), sql.Named("at", formatTime(at)), sql.Named("by", by))
	if err != nil {
		return fmt.Errorf("sqlite: mark callback %d done: %w", id, err)
	}
	return nil
}

// Schedule sets the time agreed with the citizen for an open task (P4m); the
// zero time clears it. It clears Overdue: the new agreement is not late yet.
func (db *DB) Schedule(ctx context.Context, id int64, agreed time.Time) error {
	err := db.updateTask(ctx, id, true, `
		UPDATE callbacks SET agreed_at = :agreed, overdue = 0, next_attempt_at = NULL, updated_at = :now
		WHERE id = :id AND status = 'open'`,
		sql.Named("agreed", formatTime(agreed)))
	if err != nil {
		return fmt.Errorf("sqlite: schedule callback %d: %w", id, err)
	}
	return nil
}

// DueAgreed lists the open tasks whose agreed time has come (AgreedAt <= now)
// and that nobody works: not claimed (ClaimedUntil <= now), no retry wait
// left (NextAttemptAt <= now), no attempt under way. These the scheduler
// must ring a clerk for (P4m), in queue order.
func (db *DB) DueAgreed(ctx context.Context, now time.Time) ([]callcare.CallbackTask, error) {
	if now.IsZero() {
		return nil, errors.New("sqlite: due agreed callbacks: time required")
	}
	ts, err := queryCallbacks(ctx, db.read, `
		WHERE status = 'open'
			AND agreed_at <= :now
			AND (claimed_until IS NULL OR claimed_until <= :now)
			AND (next_attempt_at IS NULL OR next_attempt_at <= :now)
			AND NOT EXISTS (SELECT 1 FROM callback_attempts a WHERE a.task_id = callbacks.id AND a.result = '')
		ORDER BY `+queueOrder,
		sql.Named("now", formatTime(now)))
	if err != nil {
		return nil, fmt.Errorf("sqlite: due agreed callbacks: %w", err)
	}
	return ts, nil
}

// SetOverdue marks an open task overdue, escalated at escalatedAt (zero: not
// escalated yet). A closed task is ECONFLICT: it is no longer late.
func (db *DB) SetOverdue(ctx context.Context, id int64, escalatedAt time.Time) error {
	err := db.updateTask(ctx, id, true, `
		UPDATE callbacks SET overdue = 1, escalated_at = :escalated, updated_at = :now
		WHERE id = :id AND status = 'open'`,
		sql.Named("escalated", formatTime(escalatedAt)))
	if err != nil {
		return fmt.Errorf("sqlite: set callback %d overdue: %w", id, err)
	}
	return nil
}

// SetNote names the caller's recorded voice note of task id, open or closed
// (a recording that ends after the task closed is still found and deleted by
// the retention); "" forgets it.
func (db *DB) SetNote(ctx context.Context, id int64, note string) error {
	err := db.updateTask(ctx, id, false, `UPDATE callbacks SET note = :note, updated_at = :now WHERE id = :id`,
		sql.Named("note", note))
	if err != nil {
		return fmt.Errorf("sqlite: set note of callback %d: %w", id, err)
	}
	return nil
}

// NotesToDelete lists the tasks closed before cutoff that still name a voice
// note, oldest closed first: the notes whose retention has run out. Delete
// the recording, then ClearNote.
func (db *DB) NotesToDelete(ctx context.Context, cutoff time.Time) ([]callcare.CallbackTask, error) {
	if cutoff.IsZero() {
		return nil, errors.New("sqlite: notes to delete: cutoff required")
	}
	ts, err := queryCallbacks(ctx, db.read, `
		WHERE note <> '' AND status = 'done' AND closed_at < :cutoff
		ORDER BY closed_at, id`,
		sql.Named("cutoff", formatTime(cutoff)))
	if err != nil {
		return nil, fmt.Errorf("sqlite: notes to delete: %w", err)
	}
	return ts, nil
}

// ClearNote forgets the voice note of task id.
func (db *DB) ClearNote(ctx context.Context, id int64) error {
	err := db.updateTask(ctx, id, false, `UPDATE callbacks SET note = '', updated_at = :now WHERE id = :id`)
	if err != nil {
		return fmt.Errorf("sqlite: clear note of callback %d: %w", id, err)
	}
	return nil
}

// updateTask runs query, an UPDATE of task :id (also given :now, DB.Now), in
// a write transaction. When it changes no row it tells why: ENOTFOUND for a
// missing task, ECONFLICT for a closed one if requireOpen; otherwise nil.
func (db *DB) updateTask(ctx context.Context, id int64, requireOpen bool, query string, args ...any) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	args = append(args, sql.Named("id", id), sql.Named("now", formatTime(tx.now)))
	r, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	n, err := r.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		var status string
		err := tx.QueryRowContext(ctx, `SELECT status FROM callbacks WHERE id = ?`, id).Scan(&status)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return noTask(id)
		case err != nil:
			return err
		case requireOpen && status != string(callcare.CallbackOpen):
			return taskClosed(id)
		}
	}
	return tx.Commit()
}

// querier is a pool or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func taskExists(ctx context.Context, q querier, id int64) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM callbacks WHERE id = ?`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return noTask(id)
	}
	return nil
}

// noTask and taskClosed are the refusals an admin or a clerk's phone must
// tell apart from a broken store.
func noTask(id int64) error { return callcare.Errorf(callcare.ENOTFOUND, "no callback task %d", id) }

func taskClosed(id int64) error {
	return callcare.Errorf(callcare.ECONFLICT, "callback %d is already closed", id)
}

// queryCallbacks reads the tasks selected by tail (WHERE ... ORDER BY ...).
func queryCallbacks(ctx context.Context, q querier, tail string, args ...any) ([]callcare.CallbackTask, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+callbackColumns+` FROM callbacks `+tail, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ts := []callcare.CallbackTask{}
	for rows.Next() {
		t, err := scanCallback(rows)
		if err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

// scanCallback reads one row of callbackColumns.
func scanCallback(row interface{ Scan(...any) error }) (callcare.CallbackTask, error) {
	var (
		t                                           callcare.CallbackTask
		targetKind, reason, needs, status, res, by  string
		claimedBy                                   string
		first, last, due, agreed, next, closed, esc sql.NullString
		until, meeting                              sql.NullString
		priority                                    int
		kind                                        string
	)
	if err := row.Scan(&t.ID, &t.Number, &t.Dialed, &targetKind, &t.Target.ID, &reason, &priority, &needs, &t.CallID,
		&first, &last, &t.Tries, &due, &agreed, &next, &t.Attempts, &status, &res,
		&closed, &by, &t.Note, &t.Overdue, &esc, &claimedBy, &until,
		&kind, &t.Case, &t.Place, &meeting, &t.OfTask); err != nil {
		return callcare.CallbackTask{}, err
	}
	t.Target.Kind = callcare.TargetKind(targetKind)
	t.Reason = callcare.CallbackReason(reason)
	t.Priority = callcare.Priority(priority)
	t.Needs = callcare.NeedsSource(needs)
	t.Status = callcare.CallbackStatus(status)
	t.Resolution = callcare.Resolution(res)
	t.ClosedBy = by
	t.ClaimedBy = callcare.ClerkID(claimedBy)
	t.Kind = callcare.TaskKind(kind)
	for _, f := range []struct {
		dst *time.Time
		src sql.NullString
	}{
		{&t.FirstAt, first}, {&t.LastAt, last}, {&t.Due, due}, {&t.AgreedAt, agreed},
		{&t.NextAttemptAt, next}, {&t.ClosedAt, closed}, {&t.EscalatedAt, esc}, {&t.ClaimedUntil, until},
		{&t.MeetingAt, meeting},
	} {
		var err error
		if *f.dst, err = parseTime(f.src); err != nil {
			return callcare.CallbackTask{}, err
		}
	}
	return t, nil
}

// queryAttempts reads the attempts selected by tail (WHERE ... ORDER BY ...).
func queryAttempts(ctx context.Context, q querier, tail string, args ...any) ([]callcare.CallbackAttempt, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT task_id, seq, clerk, channel, started_at, ended_at, result
		FROM callback_attempts `+tail, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	as := []callcare.CallbackAttempt{}
	for rows.Next() {
		var (
			a              callcare.CallbackAttempt
			clerk, result  string
			started, ended sql.NullString
		)
		if err := rows.Scan(&a.TaskID, &a.Seq, &clerk, &a.Channel, &started, &ended, &result); err != nil {
			return nil, err
		}
		a.Clerk = callcare.ClerkID(clerk)
		a.Result = callcare.AttemptResult(result)
		if a.StartedAt, err = parseTime(started); err != nil {
			return nil, err
		}
		if a.EndedAt, err = parseTime(ended); err != nil {
			return nil, err
		}
		as = append(as, a)
	}
	return as, rows.Err()
}
