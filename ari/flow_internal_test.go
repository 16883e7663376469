package ari

import (
	"log/slog"
	"testing"
	"time"

	"github.com/callcare/callcare/clock"
	"github.com/callcare/callcare/policy"
)

// TestFlow_OwnChannelForgottenAfterASwitch: a callback session whose
// citizen was transferred talks to the citizen's channel from then on; the
// clerk's channel it started on is still routed to it, and is forgotten
// with it, so a later event of that channel finds no dead flow.
func TestFlow_OwnChannelForgottenAfterASwitch(t *testing.T) {
	svc := New(Options{URL: "http://127.0.0.1:1/ari", Logger: slog.New(slog.DiscardHandler),
		Clock: clock.NewFake(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))}, Settings{}, Stores{})
	f := svc.newFlow("Q", "Q", policy.ClerkGone{}, nil)
	svc.route["Q"] = f
	f.ownChannel(policy.OwnChannel{Channel: "Q-cb3", Up: true, Caller: true})
	svc.route["Q-cb3"] = f
	f.cleanup()
	for _, id := range []string{"Q", "Q-cb3"} {
		if svc.owns(id) {
			t.Errorf("%s is still routed to the ended flow", id)
		}
	}
}
