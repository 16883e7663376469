package pbxsim

import "strings"

// Hold, as a real Asterisk 20 does it (traces hold-watch, hold-pjsip,
// hold-pjsip-passive, hold-moh-class, hold-moh-class-pjsip):
//   - a phone's hold in a bridge is ChannelHold on its channel (musicclass
//     "N/A" from chan_sip, the endpoint's moh_suggest, "default", from
//     PJSIP), and Asterisk plays music on hold to the other members by
//     itself, with no event saying so, until ChannelUnhold;
//   - the class is the held channel's own CHANNEL(musicclass) when set
//     (musiconhold.conf's preferchannelclass), else "default";
//   - a playback on a channel with that music replaces it while it plays,
//     and the music comes back by itself after it; a hold during a
//     playback starts the music only once the playback ends; a resume
//     during a playback leaves the playback alone, and no music follows.

// holdPeers starts or stops Asterisk's own music on hold for the other
// members of the holder's bridge.
func (s *Server) holdPeers(holder *channel, on bool) {
	b := holder.bridge
	if b == nil {
		return
	}
	for _, m := range b.members {
		if m == holder {
			continue
		}
		if on {
			s.startHoldMusic(m, holder)
		} else if m.heldBy == holder {
			m.heldBy, m.holdMOH = nil, ""
		}
	}
}

func (s *Server) startHoldMusic(m, holder *channel) {
	m.heldBy = holder
	m.holdMOH = m.mohClass("")
	if m.playing == nil {
		m.heard = append(m.heard, "moh:"+m.holdMOH)
	}
}

// mohClass is the music on hold ch plays when asked for class: its own
// CHANNEL(musicclass) first, as musiconhold.conf's preferchannelclass
// (the default) has it.
func (ch *channel) mohClass(class string) string {
	switch {
	case ch.musicClass != "":
		return ch.musicClass
	case class != "":
		return class
	}
	return "default"
}

// resumeMusic: after a playback, a channel's music on hold (the app's, or
// the one a peer's hold plays) comes back by itself.
func (ch *channel) resumeMusic() {
	switch {
	case ch.moh != "":
		ch.heard = append(ch.heard, "moh:"+ch.moh)
	case ch.holdMOH != "":
		ch.heard = append(ch.heard, "moh:"+ch.holdMOH)
	}
}

// leftHolding: a channel leaves its bridge; the music its hold played to
// the others stops, and the music it heard from a peer's hold too.
func (s *Server) leftHolding(ch *channel, b *bridge) {
	ch.heldBy, ch.holdMOH = nil, ""
	if !ch.held {
		return
	}
	for _, m := range b.members {
		if m.heldBy == ch {
			m.heldBy, m.holdMOH = nil, ""
		}
	}
}

// holdClass is what ChannelHold's musicclass says for a phone of tech.
func holdClass(tech string) string {
	if strings.EqualFold(tech, "PJSIP") {
		return "default"
	}
	return "N/A"
}

// setFunction writes a dialplan function over ARI's variable request: no
// ChannelVarset follows (Asterisk writes the function, not a variable).
func (s *Server) setFunction(ch *channel, name, value string) {
	switch strings.ToUpper(name) {
	case "CHANNEL(MUSICCLASS)":
		ch.musicClass = value
	case "CALLERID(NAME)":
		ch.caller.Name = value
		s.emitChannel(ch, "ChannelCallerId", event{"caller_presentation": 0, "caller_presentation_txt": "Presentation Allowed, Not Screened"})
	case "CALLERID(NUM)":
		ch.caller.Number = value
		s.emitChannel(ch, "ChannelCallerId", event{"caller_presentation": 0, "caller_presentation_txt": "Presentation Allowed, Not Screened"})
	}
	ch.vars[name] = value
}
