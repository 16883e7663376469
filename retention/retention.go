// Package retention keeps personal data only as long as the office
// configured (GDPR) without losing the compliance report: before a day's
// records go, the report's figures of that day are archived, in the same
// transaction (callcare.ArchiveService). A report reads each day of its
// period from the records while they are kept, and from the archive once
// they are not, so its figures are the same before and after a purge.
//
// What goes, and when (callcare.Retention):
//   - the call log: a day's calls once the whole day is older than
//     Retention.Calls;
//   - callback tasks: a closed task once the day of its first missed call
//     is archived, and its voice note is gone; an open task never (the
//     office still owes the call), it is counted as it stood when its day
//     was archived;
//   - callers' numbers: erased from the records kept once older than
//     Retention.Numbers (a call from its start, a task from its closing);
//   - voice notes: Retention.Notes after their task closed, deleted by the
//     service, which holds the connection to Asterisk where they are.
//
// It speaks only the root's contracts and the report's figures: the store
// behind them is the caller's (package sqlite in the program).
package retention

import (
	"context"
	"fmt"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/report"
)

// Store is what the report and the purge read and write.
type Store interface {
	callcare.CallService
	callcare.CallbackService
	callcare.ArchiveService
}

// Read reads the records of [from, to): the calls that started in it, the
// callback tasks first missed in it, and their attempts.
func Read(ctx context.Context, s Store, from, to time.Time) (report.Records, error) {
	calls, err := s.Calls(ctx, callcare.CallFilter{Since: from, Until: to})
	if err != nil {
		return report.Records{}, err
	}
	tasks, err := s.Callbacks(ctx, callcare.CallbackFilter{Since: from, Until: to})
	if err != nil {
		return report.Records{}, err
	}
	r := report.Records{Calls: calls, Tasks: tasks, Attempts: map[int64][]callcare.CallbackAttempt{}}
	for _, t := range tasks {
		as, err := s.CallbackAttempts(ctx, t.ID)
		if err != nil {
			return report.Records{}, err
		}
		r.Attempts[t.ID] = as
	}
	return r, nil
}

// Report makes the compliance report of the days from..to (YYYY-MM-DD,
// both included, in the office's zone): each day from its records, or from
// the archive once the retention purged them.
func Report(ctx context.Context, s Store, from, to string, o report.Options) (*report.Report, error) {
	start, _, err := o.DaySpan(from)
	if err != nil {
		return nil, fmt.Errorf("report: from %q: want YYYY-MM-DD", from)
	}
	_, end, err := o.DaySpan(to)
	if err != nil {
		return nil, fmt.Errorf("report: to %q: want YYYY-MM-DD", to)
	}
	days, err := s.ArchivedDays(ctx, from, to)
	if err != nil {
		return nil, err
	}
	figs, err := s.DayFigures(ctx, from, to)
	if err != nil {
		return nil, err
	}
	archived, err := report.FromArchive(figs)
	if err != nil {
		return nil, err
	}
	var live report.Days
	if end.After(start) {
		recs, err := Read(ctx, s, start, end)
		if err != nil {
			return nil, err
		}
		live = report.Tally(recs, o)
	}
	return report.Build(report.Source{Live: live, Archived: archived, ArchivedDays: days}, from, to, o)
}

// Result says what a purge did or, dry, would do.
type Result struct {
	callcare.Purge
	// Days are the days archived, their calls deleted.
	Days []string
	// Notes are, in a dry run, the voice notes past their retention: the
	// service deletes them from Asterisk; a purge does not.
	Notes int
}

// Purge archives and deletes what r no longer allows to keep, as of
// o.Now; dry only says what would go. Days are archived oldest first, each
// in its own transaction; a failure stops the purge with what was done
// kept, and the next purge goes on from there. A Retention of 0 keeps that
// kind.
func Purge(ctx context.Context, s Store, r callcare.Retention, o report.Options, dry bool) (Result, error) {
	var res Result
	var first time.Time // where the records kept begin
	if r.Calls > 0 {
		var err error
		if first, _, err = o.DaySpan(o.Day(o.Now.Add(-r.Calls))); err != nil {
			return res, err
		}
		if err := archiveBefore(ctx, s, first, o, dry, &res); err != nil {
			return res, err
		}
		n, err := s.DeleteClosedCallbacks(ctx, first, dry)
		if err != nil {
			return res, err
		}
		res.Callbacks = n
	}
	if r.Numbers > 0 {
		n, err := s.EraseNumbers(ctx, first, o.Now.Add(-r.Numbers), dry)
		if err != nil {
			return res, err
		}
		res.Numbers = n
	}
	if dry {
		notes, err := s.NotesToDelete(ctx, o.Now.Add(-r.Notes))
		if err != nil {
			return res, err
		}
		res.Notes = len(notes)
	}
	return res, nil
}

// archiveBefore archives every day before first that holds a record and is
// not archived yet.
func archiveBefore(ctx context.Context, s Store, first time.Time, o report.Options, dry bool, res *Result) error {
	oldest, err := s.Oldest(ctx)
	if err != nil || oldest.IsZero() || !oldest.Before(first) {
		return err
	}
	last := o.Day(first.Add(-time.Nanosecond))
	done, err := s.ArchivedDays(ctx, o.Day(oldest), last)
	if err != nil {
		return err
	}
	archived := map[string]bool{}
	for _, d := range done {
		archived[d] = true
	}
	for day := o.Day(oldest); day <= last; {
		start, end, err := o.DaySpan(day)
		if err != nil {
			return err
		}
		if !archived[day] {
			recs, err := Read(ctx, s, start, end)
			if err != nil {
				return fmt.Errorf("retention: read %s: %w", day, err)
			}
			if len(recs.Calls) > 0 || len(recs.Tasks) > 0 {
				n := len(recs.Calls)
				if !dry {
					if n, err = s.ArchiveDay(ctx, day, start, end, report.Tally(recs, o).Archive()); err != nil {
						return fmt.Errorf("retention: archive %s: %w", day, err)
					}
				}
				res.Days = append(res.Days, day)
				res.Calls += n
			}
		}
		day = o.Day(end)
	}
	return nil
}
