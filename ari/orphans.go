package ari

import (
	"context"
	"net/http"
	"net/url"
)

// FallbackContext is the dialplan context that rings a person without the
// service (dialplan/asterisk/extensions.conf): where a citizen's call goes
// when the service cannot carry it on.
const FallbackContext = "callcare-fallback"

// owns tells whether a call of the service handles the channel, bridge,
// playback or recording id, a keeper is ending the channel, or it was
// handed to the dialplan and is on its way out.
func (s *Service) owns(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.route[id] != nil || s.ending[id] || s.handedOver[id]
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

// Continue sends a channel on in the dialplan, out of the application: at
// extension of context; with no extension, Asterisk takes the context's s
// (the fallback context has one).
func (c *Client) Continue(ctx context.Context, id, context, extension string) error {
	q := url.Values{"context": {context}, "priority": {"1"}}
	if extension != "" {
		q.Set("extension", extension)
	}
	return c.do(ctx, http.MethodPost, chanPath(id, "/continue"), q, nil, nil)
}
