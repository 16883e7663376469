package callcare

import (
	"context"
	"time"
)

// Notifier is who holds and attempts the calls the service makes itself
// (documents ready, reminders): the claimant of their tasks and the clerk
// of their attempts.
const Notifier ClerkID = "(notice)"

// NoticeService keeps the calls the service makes to citizens (P3.2 (3),
// reminders of meetings) and the meetings agreed on appointment requests.
// A notice is a callback task of an outbound kind (TaskKind.Outbound):
// it is claimed, its attempts are journaled before the citizen is dialed
// and retried by the callback schedule, as a clerk's callback is
// (CallbackQueue), but it is in no clerk's queue.
type NoticeService interface {
	// AddNotice records a notice to make (Kind documents_ready or
	// reminder), open, its first attempt at t.NextAttemptAt (zero: at
	// once, within office hours).
	AddNotice(ctx context.Context, t CallbackTask) (CallbackTask, error)
	// Notices lists the notices that match f, newest first.
	Notices(ctx context.Context, f NoticeFilter) ([]CallbackTask, error)
	// DueNotices lists the open notices ready at now (no retry wait left,
	// not claimed, no attempt under way), oldest first, at most atOnce
	// less the notices under way (claimed by Notifier).
	DueNotices(ctx context.Context, now time.Time, atOnce int) ([]CallbackTask, error)
	// AgreeMeeting records the meeting agreed on appointment request id
	// (open or closed: the clerk may record it after the call that agreed
	// it), closes it if open (ResolvedMeeting, by), and replaces the
	// reminder of an earlier meeting by one at remindAt (zero: none). It
	// returns the reminder, ok false when there is none. A task that is
	// no appointment request is EINVALID.
	AgreeMeeting(ctx context.Context, id int64, at time.Time, by string, now, remindAt time.Time) (reminder CallbackTask, ok bool, err error)
}

// NoticeFilter selects notices. Zero fields select everything.
type NoticeFilter struct {
	Kind   TaskKind       // documents_ready or reminder; empty for both
	Status CallbackStatus // open or done; empty for both
	Number Number
	Limit  int // at most this many, the newest; 0 for all
}
