package ari

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// FallbackContext is the dialplan context that rings a person without the
// service (dialplan/asterisk/extensions.conf): where a citizen's call left
// by an earlier run of the service goes.
const FallbackContext = "callcare-fallback"

// adoptOrphansLater deals, a moment after the first connection, with what
// an earlier run of the service left in the application: Asterisk keeps
// its channels in Stasis and replays nothing. The wait lets the
// StasisStart of calls arriving right now be read first: what is still
// nobody's after it was there before.
func (s *Service) adoptOrphansLater(ctx context.Context) {
	s.spawn(func() {
		s.pause(ctx, time.Second)
		if ctx.Err() == nil {
			s.adoptOrphans(ctx)
		}
	})
}

// adoptOrphans: two parties talking in a bridge are left to talk. A citizen
// whose call was still being put through goes to the dialplan's fallback,
// which rings a person; anything else (a clerk's leg, a lone party) is hung
// up.
func (s *Service) adoptOrphans(ctx context.Context) {
	app, err := s.client.Application(ctx)
	if err != nil {
		s.log.Warn("look for calls left by an earlier run", "err", err)
		return
	}
	talking := map[string]bool{}
	for _, id := range app.BridgeIDs {
		b, err := s.client.Bridge(ctx, id)
		if err != nil || s.owns(id) {
			continue
		}
		if len(b.Channels) >= 2 {
			for _, ch := range b.Channels {
				talking[ch] = true
			}
			continue
		}
		s.logErr("remove a bridge left by an earlier run", s.client.DestroyBridge(ctx, id))
	}
	var orphans []string
	for _, id := range app.ChannelIDs {
		if !talking[id] && !s.owns(id) {
			orphans = append(orphans, id)
		}
	}
	// Once more: a call whose StasisStart was on its way is someone's now.
	s.pause(ctx, time.Second)
	for _, id := range orphans {
		if s.owns(id) {
			continue
		}
		ch, err := s.client.channelPlace(ctx, id)
		if err != nil {
			continue
		}
		if strings.Contains(ch.Dialplan.AppData, ",inbound,") {
			s.log.Info("a call left by an earlier run goes to the dialplan's fallback", "channel", id)
			s.logErr("hand a call to the fallback", s.client.Continue(ctx, id, FallbackContext, ch.Dialplan.Exten))
			continue
		}
		s.logErr("hang up a channel left by an earlier run", s.client.Hangup(ctx, id, "normal"))
	}
}

func (s *Service) owns(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.route[id] != nil
}

func (s *Service) logErr(what string, err error) {
	if err != nil && !IsNotFound(err) {
		s.log.Warn(what, "err", err)
	}
}

// application is what the service reads of its ARI application.
type application struct {
	ChannelIDs []string `json:"channel_ids"`
	BridgeIDs  []string `json:"bridge_ids"`
}

// Application lists the channels and bridges in the application.
func (c *Client) Application(ctx context.Context) (application, error) {
	var a application
	err := c.do(ctx, http.MethodGet, "/applications/"+url.PathEscape(c.app), nil, nil, &a)
	return a, err
}

type bridgeMembers struct {
	Channels []string `json:"channels"`
}

// Bridge lists a bridge's channels.
func (c *Client) Bridge(ctx context.Context, id string) (bridgeMembers, error) {
	var b bridgeMembers
	err := c.do(ctx, http.MethodGet, "/bridges/"+url.PathEscape(id), nil, nil, &b)
	return b, err
}

// channelPlace is where a channel is in the dialplan; the v5 model drops
// app_data, which tells a citizen's call from a clerk's leg.
type channelPlace struct {
	Dialplan struct {
		Exten   string `json:"exten"`
		AppData string `json:"app_data"`
	} `json:"dialplan"`
}

func (c *Client) channelPlace(ctx context.Context, id string) (channelPlace, error) {
	var ch channelPlace
	err := c.do(ctx, http.MethodGet, chanPath(id), nil, nil, &ch)
	return ch, err
}

// Continue sends a channel on in the dialplan, out of the application.
func (c *Client) Continue(ctx context.Context, id, context, extension string) error {
	q := url.Values{"context": {context}, "extension": {extension}, "priority": {"1"}}
	return c.do(ctx, http.MethodPost, chanPath(id, "/continue"), q, nil, nil)
}
