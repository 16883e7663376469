package ari

import (
	"context"
	"net/http"
	"net/url"
)

// SetVariable sets a channel variable or writes a dialplan function, such
// as CHANNEL(musicclass).
func (c *Client) SetVariable(ctx context.Context, channel, name, value string) error {
	q := url.Values{"variable": {name}, "value": {value}}
	return c.do(ctx, http.MethodPost, chanPath(channel, "/variable"), q, nil, nil)
}

// StartMusic plays music on hold on a channel, of class (the channel's
// own CHANNEL(musicclass) wins, as Asterisk prefers it).
func (c *Client) StartMusic(ctx context.Context, channel, class string) error {
	var q url.Values
	if class != "" {
		q = url.Values{"mohClass": {class}}
	}
	return c.do(ctx, http.MethodPost, chanPath(channel, "/moh"), q, nil, nil)
}

// StopMusic stops a channel's music on hold.
func (c *Client) StopMusic(ctx context.Context, channel string) error {
	return c.do(ctx, http.MethodDelete, chanPath(channel, "/moh"), nil, nil, nil)
}
