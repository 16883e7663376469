package ari

import (
	"context"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/report"
	"github.com/callcare/callcare/retention"
)

// purgeEvery is how often the retention's purge runs: once as the service
// starts, then once a day.
const purgeEvery = 24 * time.Hour

// purgeDaily deletes what the retention no longer allows to keep (GDPR),
// keeping the compliance report's figures of each day it purges (package
// retention), until ctx ends. It runs beside the scheduler, on its own
// goroutine: a day's archive must never delay an agreed callback. Voice
// notes are the scheduler's (deleteOldNotes): they live in Asterisk.
func (s *Service) purgeDaily(ctx context.Context) {
	for ctx.Err() == nil {
		s.purge(ctx, s.settings.Load())
		s.pause(ctx, purgeEvery)
	}
}

// purgeStore is the store as the purge speaks to it.
type purgeStore struct {
	callcare.CallService
	callcare.CallbackService
	callcare.ArchiveService
}

func (s *Service) purge(ctx context.Context, set *Settings) {
	r := set.Retention
	if s.store.Archive == nil || (r.Calls <= 0 && r.Numbers <= 0) {
		return
	}
	o := report.Options{Directory: set.Directory, Procedure: set.Session.Procedure, Hours: set.Session.Rules.Hours, Now: s.clock.Now()}
	res, err := retention.Purge(ctx, purgeStore{s.store.Calls, s.store.Callbacks, s.store.Archive}, r, o, false)
	if err != nil {
		s.log.Warn("purge what the retention no longer allows to keep; the next purge goes on", "err", err)
	}
	if len(res.Days) > 0 || res.Callbacks > 0 || res.Numbers > 0 {
		s.log.Info("purged by the retention; the report keeps each day's figures",
			"days", len(res.Days), "calls", res.Calls, "callbacks", res.Callbacks, "numbers", res.Numbers)
	}
}
