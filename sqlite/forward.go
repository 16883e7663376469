package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/callcare/callcare"
)

// SetForward records f, a forward set by phone or from the command line, in
// force from f.From (f.SetAt when zero) until f.Until (zero: until
// cleared). The clerk's forward before it, if any, ends at f.SetAt, ended
// by f.SetBy: one transaction, so a clerk never has two, nor none in
// between.
func (db *DB) SetForward(ctx context.Context, f callcare.Absence) error {
	fail := func(err error) error { return fmt.Errorf("sqlite: set forward of %s: %w", f.Clerk, err) }
	switch {
	case f.Clerk == "" || f.To.Kind == "" || f.To.ID == "":
		return fail(errors.New("clerk and target required"))
	case f.Source != callcare.SetByPhone && f.Source != callcare.SetByCLI:
		return fail(fmt.Errorf("source %q: a forward is set by phone or cli", f.Source))
	case f.SetAt.IsZero():
		return fail(errors.New("time set required"))
	case !f.Until.IsZero() && !f.Until.After(f.SetAt):
		return fail(errors.New("it would end before it is set"))
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	if _, err := endForward(ctx, tx, f.Clerk, f.SetBy, f.SetAt); err != nil {
		return fail(err)
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO forwards (clerk, target_kind, target_id, reason, source, set_by, set_at, from_at, until_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		string(f.Clerk), string(f.To.Kind), f.To.ID, string(f.Reason), string(f.Source), f.SetBy,
		formatTime(f.SetAt), formatTime(f.From), formatTime(f.Until), formatTime(tx.now),
	); err != nil {
		return fail(err)
	}
	return tx.Commit()
}

// ClearForward ends the clerk's standing forward at at. It tells whether
// there was one still in force or to come; one that had run out by itself
// is ended too, quietly.
func (db *DB) ClearForward(ctx context.Context, clerk callcare.ClerkID, by string, at time.Time) (bool, error) {
	fail := func(err error) (bool, error) { return false, fmt.Errorf("sqlite: clear forward of %s: %w", clerk, err) }
	if clerk == "" || at.IsZero() {
		return fail(errors.New("clerk and time required"))
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	had, err := endForward(ctx, tx, clerk, by, at)
	if err != nil {
		return fail(err)
	}
	return had, tx.Commit()
}

// endForward ends the clerk's standing forward at at, telling whether it
// was still in force or to come then.
func endForward(ctx context.Context, tx *tx, clerk callcare.ClerkID, by string, at time.Time) (bool, error) {
	var until sql.NullString
	err := tx.QueryRowContext(ctx, `
		UPDATE forwards SET ended_at = :at, ended_by = :by
		WHERE clerk = :clerk AND ended_at IS NULL
		RETURNING until_at`,
		sql.Named("at", formatTime(at)), sql.Named("by", by), sql.Named("clerk", string(clerk)),
	).Scan(&until)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, err
	}
	end, err := parseTime(until)
	return err == nil && (end.IsZero() || end.After(at)), err
}

// Forwards lists the forwards not ended at at (in force, or to come), by
// clerk.
func (db *DB) Forwards(ctx context.Context, at time.Time) ([]callcare.Absence, error) {
	// Read as every call starts: prepared once.
	st, err := db.readPrepared(ctx, `
		SELECT clerk, target_kind, target_id, reason, source, set_by, set_at, from_at, until_at
		FROM forwards
		WHERE ended_at IS NULL AND (until_at IS NULL OR until_at > :at)
		ORDER BY clerk, id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: forwards: %w", err)
	}
	rows, err := st.QueryContext(ctx, sql.Named("at", formatTime(at)))
	if err != nil {
		return nil, fmt.Errorf("sqlite: forwards: %w", err)
	}
	defer rows.Close()
	out := []callcare.Absence{}
	for rows.Next() {
		var (
			f                  callcare.Absence
			clerk, kind        string
			reason, source     string
			setAt, from, until sql.NullString
		)
		if err := rows.Scan(&clerk, &kind, &f.To.ID, &reason, &source, &f.SetBy, &setAt, &from, &until); err != nil {
			return nil, fmt.Errorf("sqlite: forwards: %w", err)
		}
		f.Clerk, f.To.Kind = callcare.ClerkID(clerk), callcare.TargetKind(kind)
		f.Reason, f.Source = callcare.AbsenceReason(reason), callcare.ForwardSource(source)
		for _, tm := range []struct {
			dst *time.Time
			src sql.NullString
		}{{&f.SetAt, setAt}, {&f.From, from}, {&f.Until, until}} {
			if *tm.dst, err = parseTime(tm.src); err != nil {
				return nil, fmt.Errorf("sqlite: forwards: %w", err)
			}
		}
		if f.From.IsZero() {
			f.From = f.SetAt
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: forwards: %w", err)
	}
	return out, nil
}

// SaveStatus writes the running service's status (`callcare status`).
func (db *DB) SaveStatus(ctx context.Context, s callcare.ServiceStatus) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("sqlite: save status: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO service_status (id, pid, config, started_at, reloaded_at, reload_ok, reload_error, reloads, stopped_at, updated_at)
		VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET
			pid = excluded.pid, config = excluded.config, started_at = excluded.started_at,
			reloaded_at = excluded.reloaded_at, reload_ok = excluded.reload_ok,
			reload_error = excluded.reload_error, reloads = excluded.reloads,
			stopped_at = excluded.stopped_at, updated_at = excluded.updated_at`,
		s.PID, s.Config, formatTime(s.StartedAt), formatTime(s.ReloadedAt), s.ReloadOK, s.ReloadError,
		s.Reloads, formatTime(s.StoppedAt), formatTime(tx.now),
	); err != nil {
		return fmt.Errorf("sqlite: save status: %w", err)
	}
	return tx.Commit()
}

// Status reads what the service last saved; ENOTFOUND when no service has.
func (db *DB) Status(ctx context.Context) (callcare.ServiceStatus, error) {
	var (
		s                          callcare.ServiceStatus
		started, reloaded, stopped sql.NullString
	)
	err := db.read.QueryRowContext(ctx, `
		SELECT pid, config, started_at, reloaded_at, reload_ok, reload_error, reloads, stopped_at
		FROM service_status WHERE id = 1`,
	).Scan(&s.PID, &s.Config, &started, &reloaded, &s.ReloadOK, &s.ReloadError, &s.Reloads, &stopped)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return s, callcare.Errorf(callcare.ENOTFOUND, "the service has not run with this database yet")
	case err != nil:
		return s, fmt.Errorf("sqlite: status: %w", err)
	}
	if s.StartedAt, err = parseTime(started); err == nil {
		if s.ReloadedAt, err = parseTime(reloaded); err == nil {
			s.StoppedAt, err = parseTime(stopped)
		}
	}
	if err != nil {
		return s, fmt.Errorf("sqlite: status: %w", err)
	}
	return s, nil
}

var (
	_ callcare.ForwardService = (*DB)(nil)
	_ callcare.StatusService  = (*DB)(nil)
)
