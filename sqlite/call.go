package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/callcare/callcare"
)

// SaveCall writes rec, replacing any earlier version with the same ID
// together with its attempts, in one transaction. The service saves a call
// when it starts (Outcome empty: in progress) and again when it ends, so a
// crash mid-call leaves a trace.
//
// Times are kept in UTC at millisecond precision (finer digits are dropped);
// zero times stay zero.
func (db *DB) SaveCall(ctx context.Context, rec callcare.CallRecord) error {
	return db.SaveCalls(ctx, []callcare.CallRecord{rec})
}

// SaveCalls writes recs as SaveCall does, all in one transaction: all or
// none. The service writes its call log so, many calls a commit.
func (db *DB) SaveCalls(ctx context.Context, recs []callcare.CallRecord) error {
	for _, rec := range recs {
		if rec.ID == "" {
			return errors.New("sqlite: save call: id required")
		}
		if rec.StartedAt.IsZero() {
			return fmt.Errorf("sqlite: save call %s: start time required", rec.ID)
		}
	}
	what := "save calls"
	if len(recs) == 1 {
		what = "save call " + recs[0].ID
	}
	st, err := db.saveStmts(ctx)
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	defer tx.Rollback()
	for _, rec := range recs {
		if err := saveCall(ctx, tx, st, rec); err != nil {
			return fmt.Errorf("sqlite: save call %s: %w", rec.ID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	return nil
}

// The statements of saveCall.
const (
	upsertCallSQL = `
		INSERT INTO calls (
			id, caller_id, caller_name, dialed, target_kind, target_id,
			started_at, answered_at, ended_at, answered_by, answered_ring,
			rings_heard, outcome, hung_up_by, needs, hung_up_clerk, created_at, updated_at,
			forwarded_kind, forwarded_id, forwarded_by, absence_reason, forward_loop, origin
		) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET
			caller_id     = excluded.caller_id,
			caller_name   = excluded.caller_name,
			dialed        = excluded.dialed,
			target_kind   = excluded.target_kind,
			target_id     = excluded.target_id,
			started_at    = excluded.started_at,
			answered_at   = excluded.answered_at,
			ended_at      = excluded.ended_at,
			answered_by   = excluded.answered_by,
			answered_ring = excluded.answered_ring,
			rings_heard   = excluded.rings_heard,
			outcome       = excluded.outcome,
			hung_up_by    = excluded.hung_up_by,
			needs         = excluded.needs,
			hung_up_clerk = excluded.hung_up_clerk,
			updated_at    = excluded.updated_at,
			forwarded_kind = excluded.forwarded_kind,
			forwarded_id   = excluded.forwarded_id,
			forwarded_by   = excluded.forwarded_by,
			absence_reason = excluded.absence_reason,
			forward_loop   = excluded.forward_loop,
			origin         = excluded.origin`
	deleteAttemptsSQL = `DELETE FROM call_attempts WHERE call_id = ?`
	insertAttemptSQL  = `
		INSERT INTO call_attempts (
			call_id, seq, clerk, via_kind, via_id,
			dialed_at, ringing_at, ended_at, result, rings, transferred_by
		) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
)

// saveStmts are saveCall's statements, prepared once.
type saveStmts struct {
	upsert, deleteAttempts, insertAttempt         *sql.Stmt
	deleteHolds, deleteLineWaits, deleteTransfers *sql.Stmt
	insertHold, insertLineWait, insertTransfer    *sql.Stmt
}

func (db *DB) saveStmts(ctx context.Context) (saveStmts, error) {
	var st saveStmts
	var err error
	for _, s := range []struct {
		dst *(*sql.Stmt)
		sql string
	}{
		{&st.upsert, upsertCallSQL}, {&st.deleteAttempts, deleteAttemptsSQL}, {&st.insertAttempt, insertAttemptSQL},
		{&st.deleteHolds, deleteHoldsSQL}, {&st.deleteLineWaits, deleteLineWaitsSQL}, {&st.deleteTransfers, deleteTransfersSQL},
		{&st.insertHold, insertHoldSQL}, {&st.insertLineWait, insertLineWaitSQL}, {&st.insertTransfer, insertTransferSQL},
	} {
		if *s.dst, err = db.prepared(ctx, s.sql); err != nil {
			return st, err
		}
	}
	return st, nil
}

func saveCall(ctx context.Context, tx *tx, st saveStmts, rec callcare.CallRecord) error {
	now := formatTime(tx.now)
	if _, err := tx.StmtContext(ctx, st.upsert).ExecContext(ctx,
		rec.ID, rec.CallerID, rec.CallerName, rec.Dialed,
		string(rec.Target.Kind), rec.Target.ID,
		formatTime(rec.StartedAt), formatTime(rec.AnsweredAt), formatTime(rec.EndedAt),
		string(rec.AnsweredBy), rec.AnsweredRing, rec.RingsHeard,
		string(rec.Outcome), string(rec.HungUpBy), string(rec.Needs), string(rec.HungUpClerk), now, now,
		string(rec.Forwarded.To.Kind), rec.Forwarded.To.ID, string(rec.Forwarded.By),
		string(rec.Forwarded.Reason), rec.Forwarded.Loop, string(rec.Origin),
	); err != nil {
		return err
	}

	if _, err := tx.StmtContext(ctx, st.deleteAttempts).ExecContext(ctx, rec.ID); err != nil {
		return err
	}
	if err := saveWaits(ctx, tx, st, rec); err != nil {
		return err
	}
	stmt := tx.StmtContext(ctx, st.insertAttempt)
	for i, a := range rec.Attempts {
		if _, err := stmt.ExecContext(ctx,
			rec.ID, i+1, string(a.Clerk), string(a.Via.Kind), a.Via.ID,
			formatTime(a.DialedAt), formatTime(a.RingingAt), formatTime(a.EndedAt),
			a.Result, a.Rings, string(a.TransferredBy),
		); err != nil {
			return fmt.Errorf("attempt %d: %w", i+1, err)
		}
	}
	return nil
}

// Call returns the call with the given id, or an ENOTFOUND error.
func (db *DB) Call(ctx context.Context, id string) (callcare.CallRecord, error) {
	recs, err := db.calls(ctx, `id = ?`, []any{id}, -1)
	if err != nil {
		return callcare.CallRecord{}, fmt.Errorf("sqlite: call %s: %w", id, err)
	}
	if len(recs) == 0 {
		return callcare.CallRecord{}, callcare.Errorf(callcare.ENOTFOUND, "no call %s", id)
	}
	return recs[0], nil
}

// Calls returns the calls that match f, newest first, each with its attempts.
func (db *DB) Calls(ctx context.Context, f callcare.CallFilter) ([]callcare.CallRecord, error) {
	// The WHERE clause is assembled from fixed fragments only; every value
	// travels as a parameter.
	where, args := []string{"1 = 1"}, []any{}
	if !f.Since.IsZero() {
		where, args = append(where, "started_at >= ?"), append(args, formatTime(f.Since))
	}
	if !f.Until.IsZero() {
		where, args = append(where, "started_at < ?"), append(args, formatTime(f.Until))
	}
	if f.Outcome != "" {
		where, args = append(where, "outcome = ?"), append(args, string(f.Outcome))
	}
	if f.InProgress {
		where = append(where, "ended_at IS NULL")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	recs, err := db.calls(ctx, strings.Join(where, " AND "), args, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: calls: %w", err)
	}
	return recs, nil
}

// ClerksHungUpFirst counts, per clerk, the calls started in f's window
// that the clerk hung up before the caller (P4l). f's Limit and Outcome
// are not used.
func (db *DB) ClerksHungUpFirst(ctx context.Context, f callcare.CallFilter) (map[callcare.ClerkID]int, error) {
	where, args := []string{"hung_up_clerk <> ''"}, []any{}
	if !f.Since.IsZero() {
		where, args = append(where, "started_at >= ?"), append(args, formatTime(f.Since))
	}
	if !f.Until.IsZero() {
		where, args = append(where, "started_at < ?"), append(args, formatTime(f.Until))
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: clerks hung up first: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT hung_up_clerk, COUNT(*) FROM calls WHERE `+strings.Join(where, " AND ")+` GROUP BY hung_up_clerk`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: clerks hung up first: %w", err)
	}
	defer rows.Close()
	out := map[callcare.ClerkID]int{}
	for rows.Next() {
		var clerk string
		var n int
		if err := rows.Scan(&clerk, &n); err != nil {
			return nil, fmt.Errorf("sqlite: clerks hung up first: %w", err)
		}
		out[callcare.ClerkID(clerk)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: clerks hung up first: %w", err)
	}
	return out, nil
}

// calls reads the calls matching where (newest first, at most limit, -1 for
// all) and their attempts, from one snapshot.
func (db *DB) calls(ctx context.Context, where string, args []any, limit int) ([]callcare.CallRecord, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	selected := `SELECT id FROM calls WHERE ` + where + ` ORDER BY started_at DESC, id DESC LIMIT ?`
	args = append(args, limit)

	rows, err := tx.QueryContext(ctx, `
		SELECT id, caller_id, caller_name, dialed, target_kind, target_id,
			started_at, answered_at, ended_at, answered_by, answered_ring,
			rings_heard, outcome, hung_up_by, needs, hung_up_clerk,
			forwarded_kind, forwarded_id, forwarded_by, absence_reason, forward_loop, origin
		FROM calls
		WHERE `+where+`
		ORDER BY started_at DESC, id DESC
		LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	recs := []callcare.CallRecord{}
	index := map[string]int{}
	for rows.Next() {
		var (
			r                         callcare.CallRecord
			targetKind                string
			answeredBy, outcome, hung string
			needs, hungClerk          string
			started, answered, ended  sql.NullString
			fwdKind, fwdBy, fwdReason string
			origin                    string
			fwd                       = &r.Forwarded
		)
		if err := rows.Scan(&r.ID, &r.CallerID, &r.CallerName, &r.Dialed, &targetKind, &r.Target.ID,
			&started, &answered, &ended, &answeredBy, &r.AnsweredRing,
			&r.RingsHeard, &outcome, &hung, &needs, &hungClerk,
			&fwdKind, &fwd.To.ID, &fwdBy, &fwdReason, &fwd.Loop, &origin); err != nil {
			return nil, err
		}
		if fwdKind != "" || fwd.Loop {
			// The call was meant for its target: that is whom it was for.
			fwd.For = callcare.Target{Kind: callcare.TargetKind(targetKind), ID: r.Target.ID}
			fwd.To.Kind = callcare.TargetKind(fwdKind)
			fwd.By = callcare.ForwardSource(fwdBy)
			fwd.Reason = callcare.AbsenceReason(fwdReason)
		}
		r.Target.Kind = callcare.TargetKind(targetKind)
		r.AnsweredBy = callcare.ClerkID(answeredBy)
		r.Outcome = callcare.Outcome(outcome)
		r.HungUpBy = callcare.Party(hung)
		r.Needs = callcare.NeedsSource(needs)
		r.HungUpClerk = callcare.ClerkID(hungClerk)
		r.Origin = callcare.CallOrigin(origin)
		if r.StartedAt, err = parseTime(started); err != nil {
			return nil, err
		}
		if r.AnsweredAt, err = parseTime(answered); err != nil {
			return nil, err
		}
		if r.EndedAt, err = parseTime(ended); err != nil {
			return nil, err
		}
		index[r.ID] = len(recs)
		recs = append(recs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if len(recs) == 0 {
		return recs, nil
	}

	rows, err = tx.QueryContext(ctx, `
		SELECT call_id, clerk, via_kind, via_id, dialed_at, ringing_at, ended_at, result, rings, transferred_by
		FROM call_attempts
		WHERE call_id IN (`+selected+`)
		ORDER BY call_id, seq`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			a                      callcare.Attempt
			callID, clerk, viaKind string
			dialed, ringing, ended sql.NullString
			transferredBy          string
		)
		if err := rows.Scan(&callID, &clerk, &viaKind, &a.Via.ID, &dialed, &ringing, &ended, &a.Result, &a.Rings, &transferredBy); err != nil {
			return nil, err
		}
		a.Clerk = callcare.ClerkID(clerk)
		a.TransferredBy = callcare.ClerkID(transferredBy)
		a.Via.Kind = callcare.TargetKind(viaKind)
		if a.DialedAt, err = parseTime(dialed); err != nil {
			return nil, err
		}
		if a.RingingAt, err = parseTime(ringing); err != nil {
			return nil, err
		}
		if a.EndedAt, err = parseTime(ended); err != nil {
			return nil, err
		}
		i, ok := index[callID]
		if !ok {
			continue // cannot happen within one snapshot
		}
		recs[i].Attempts = append(recs[i].Attempts, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := loadWaits(ctx, tx, selected, args, recs, index); err != nil {
		return nil, err
	}
	return recs, nil
}
