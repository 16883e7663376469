package policy

// Overflow (P4p): from the first overflow on, the caller hears once that
// they are being connected to another person, then the ringing tone,
// played by the service as early media: the call is not answered until a
// clerk answers, and the caller never waits in silence (the phone's own
// ringback stops when media starts). The tone plays until it is stopped:
// when a clerk answers, or before a last message.

// ringTone is the Polish ringing tone (indications.conf's pl zone).
const ringTone = "tone:ring;tonezone=pl"

// announceOverflow is said when the call moves on to the next step, once.
func (c *Inbound) announceOverflow() []Action {
	if c.overflowing != "" || c.overflowSaid {
		return nil
	}
	c.overflowSaid = true
	c.overflowing = c.rec.ID + "-overflow"
	return []Action{EarlyMedia{Playback: c.overflowing, Media: []string{"sound:" + c.set.Prompts.Overflowing, ringTone}}}
}

// stopOverflow stops the announcement and tone before anything else is
// played or the caller is connected.
func (c *Inbound) stopOverflow() []Action {
	if c.overflowing == "" {
		return nil
	}
	p := c.overflowing
	c.overflowing = ""
	return []Action{StopPlayback{Playback: p}}
}
