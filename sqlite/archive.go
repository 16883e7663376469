package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"time"

	"github.com/callcare/callcare"
)

// ArchiveDay stores the report's figures of day, which spans [start, end),
// replacing those stored before for it, and deletes the calls that started
// in the span (with their attempts), in one transaction: a report reads the
// day either from its figures or from its records, never both, never
// neither. It says how many calls it deleted. Callback tasks are not
// touched: see DeleteClosedCallbacks.
func (db *DB) ArchiveDay(ctx context.Context, day string, start, end time.Time, figs []callcare.DayFigure) (int, error) {
	fail := func(err error) (int, error) { return 0, fmt.Errorf("sqlite: archive %s: %w", day, err) }
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return fail(errors.New("day must be YYYY-MM-DD"))
	}
	if start.IsZero() || !end.After(start) {
		return fail(errors.New("the day's span must be a start before an end"))
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	r, err := tx.ExecContext(ctx, `DELETE FROM calls WHERE started_at >= ? AND started_at < ?`, formatTime(start), formatTime(end))
	if err != nil {
		return fail(err)
	}
	n, err := r.RowsAffected()
	if err != nil {
		return fail(err)
	}
	// A day archived again keeps the count of every call it ever deleted.
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO archived_days (day, start_at, end_at, calls, archived_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (day) DO UPDATE SET calls = calls + excluded.calls, archived_at = excluded.archived_at`,
		day, formatTime(start), formatTime(end), n, formatTime(tx.now)); err != nil {
		return fail(err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM day_figures WHERE day = ?`, day); err != nil {
		return fail(err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO day_figures (day, scope, key, measure, value) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return fail(err)
	}
	defer stmt.Close()
	for _, f := range figs {
		if f.Day != day {
			return fail(fmt.Errorf("a figure of %s among those of %s", f.Day, day))
		}
		if _, err := stmt.ExecContext(ctx, f.Day, f.Scope, f.Key, f.Measure, f.Value); err != nil {
			return fail(fmt.Errorf("figure %s/%s/%s: %w", f.Scope, f.Key, f.Measure, err))
		}
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return int(n), nil
}

// ArchivedDays lists the archived days from..to (YYYY-MM-DD, both
// included), in order.
func (db *DB) ArchivedDays(ctx context.Context, from, to string) ([]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT day FROM archived_days WHERE day >= ? AND day <= ? ORDER BY day`, from, to)
	if err != nil {
		return nil, fmt.Errorf("sqlite: archived days: %w", err)
	}
	defer rows.Close()
	days := []string{}
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, fmt.Errorf("sqlite: archived days: %w", err)
		}
		days = append(days, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: archived days: %w", err)
	}
	return days, nil
}

// DayFigures lists the figures of the archived days from..to (both
// included), by day, scope, key and measure.
func (db *DB) DayFigures(ctx context.Context, from, to string) ([]callcare.DayFigure, error) {
	rows, err := db.read.QueryContext(ctx, `
		SELECT day, scope, key, measure, value FROM day_figures
		WHERE day >= ? AND day <= ?
		ORDER BY day, scope, key, measure`, from, to)
	if err != nil {
		return nil, fmt.Errorf("sqlite: day figures: %w", err)
	}
	defer rows.Close()
	figs := []callcare.DayFigure{}
	for rows.Next() {
		var f callcare.DayFigure
		if err := rows.Scan(&f.Day, &f.Scope, &f.Key, &f.Measure, &f.Value); err != nil {
			return nil, fmt.Errorf("sqlite: day figures: %w", err)
		}
		figs = append(figs, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: day figures: %w", err)
	}
	return figs, nil
}

// Oldest is the start of the oldest call, or the first missed call of the
// oldest callback task, the store holds; zero when it holds neither.
func (db *DB) Oldest(ctx context.Context) (time.Time, error) {
	var s sql.NullString
	if err := db.read.QueryRowContext(ctx, `
		SELECT min(t) FROM (
			SELECT min(started_at) AS t FROM calls
			UNION ALL SELECT min(first_at) FROM callbacks
		)`).Scan(&s); err != nil {
		return time.Time{}, fmt.Errorf("sqlite: oldest record: %w", err)
	}
	t, err := parseTime(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("sqlite: oldest record: %w", err)
	}
	return t, nil
}

// DeleteClosedCallbacks deletes the closed tasks first missed before
// before, with their attempts, except those that still name a voice note:
// the recording must be deleted first (the service does, by the notes'
// retention), or it would outlive the task that names it. dry only counts
// them.
func (db *DB) DeleteClosedCallbacks(ctx context.Context, before time.Time, dry bool) (int, error) {
	const where = `status = 'done' AND first_at < ? AND note = ''`
	n, err := db.purge(ctx, dry, `SELECT COUNT(*) FROM callbacks WHERE `+where, `DELETE FROM callbacks WHERE `+where, formatTime(before))
	if err != nil {
		return 0, fmt.Errorf("sqlite: delete closed callbacks: %w", err)
	}
	return n, nil
}

// EraseNumbers replaces the callers' numbers by callcare.ErasedNumber, and
// the names their phones sent by "", in the calls started in [since,
// before), and in the closed tasks first missed from since on and closed
// before before; since zero is no lower bound. An open task keeps its
// number: the office still owes that call. It says how many records it
// changed; dry only counts them.
func (db *DB) EraseNumbers(ctx context.Context, since, before time.Time, dry bool) (int, error) {
	fail := func(err error) (int, error) { return 0, fmt.Errorf("sqlite: erase numbers: %w", err) }
	const (
		calls = `started_at >= :since AND started_at < :before AND (caller_id NOT IN ('', :erased) OR caller_name <> '')`
		tasks = `status = 'done' AND first_at >= :since AND closed_at < :before AND number <> :erased`
	)
	from := formatTime(since)
	if since.IsZero() {
		from = ""
	}
	args := []any{sql.Named("since", from), sql.Named("before", formatTime(before)), sql.Named("erased", string(callcare.ErasedNumber))}
	if dry {
		var n int
		if err := db.read.QueryRowContext(ctx, `
			SELECT (SELECT COUNT(*) FROM calls WHERE `+calls+`) + (SELECT COUNT(*) FROM callbacks WHERE `+tasks+`)`,
			args...).Scan(&n); err != nil {
			return fail(err)
		}
		return n, nil
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	total := 0
	for _, q := range []string{
		`UPDATE calls SET caller_id = :erased, caller_name = '', updated_at = :now WHERE ` + calls,
		`UPDATE callbacks SET number = :erased, updated_at = :now WHERE ` + tasks,
	} {
		r, err := tx.ExecContext(ctx, q, append(args, sql.Named("now", formatTime(tx.now)))...)
		if err != nil {
			return fail(err)
		}
		n, err := r.RowsAffected()
		if err != nil {
			return fail(err)
		}
		total += int(n)
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return total, nil
}

// purge counts with count, or deletes with del, the rows args select.
func (db *DB) purge(ctx context.Context, dry bool, count, del string, args ...any) (int, error) {
	if dry {
		var n int
		err := db.read.QueryRowContext(ctx, count, args...).Scan(&n)
		return n, err
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	r, err := tx.ExecContext(ctx, del, args...)
	if err != nil {
		return 0, err
	}
	n, err := r.RowsAffected()
	if err != nil {
		return 0, err
	}
	return int(n), tx.Commit()
}

var _ callcare.ArchiveService = (*DB)(nil)
