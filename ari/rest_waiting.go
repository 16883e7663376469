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
