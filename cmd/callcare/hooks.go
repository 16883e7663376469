package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/clock"
	"github.com/callcare/callcare/sqlite"
)

// hooks answers the dialplan's FastAGI hooks with the store.
type hooks struct {
	db    *sqlite.DB
	dir   *callcare.Directory
	clock clock.Clock
	log   *slog.Logger
}

// OutboundAnswered: a clerk's own call to a citizen was answered, so the
// citizen's callbacks are settled (P4c).
func (h hooks) OutboundAnswered(ctx context.Context, number callcare.Number, endpoint string) error {
	by := endpoint
	for _, c := range h.dir.Clerks {
		if c.Endpoint == endpoint {
			by = string(c.ID)
		}
	}
	n, err := h.db.CloseCallbacks(ctx, number, callcare.ResolvedOutbound, by, h.clock.Now())
	if err != nil {
		return fmt.Errorf("close callbacks after an outbound call: %w", err)
	}
	if n > 0 {
		h.log.Info("callbacks closed: a clerk's call reached the citizen", "tasks", n, "by", by)
	}
	return nil
}
