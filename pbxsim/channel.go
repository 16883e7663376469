package pbxsim

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// channel is one Asterisk channel. Its events go to app.
type channel struct {
	id, name       string
	tech, resource string
	seq            int
	state          string // Down, Ring, Ringing, Up
	caller         callerID
	connected      callerID
	created        time.Time
	dp             dialplanCEP
	protocolID     string
	vars           map[string]string

	app      string   // the application that gets its events
	inStasis bool     // in app now
	left     bool     // left Stasis for the dialplan: no more events
	args     []string // Stasis args
	then     []string // next Stasis() after continue (inbound calls)

	inbound bool // a citizen's call: the dialplan runs after Stasis
	// linked: the channel took part in a dial, or was originated for
	// another. Only then does the app see ChannelDestroyed after StasisEnd
	// (and, for a dialplan channel, the soft hangup cause 16); sharing a
	// bridge alone does not link (trace bridge-dtmf-native).
	linked bool

	phone      Phone
	originated bool // POST /channels: enters Stasis only once answered
	dialing    bool
	dialCount  int
	timeout    *simTimer // dial or originate timeout
	timers     map[*simTimer]struct{}

	bridge *bridge
	moh    string
	rung   bool // the app or the dialplan rang the channel (the caller hears ringing until answered)
	held   bool // its phone holds the call
	// holdMOH is the music Asterisk plays to ch by itself because heldBy,
	// a member of its bridge, holds (hold.go); musicClass is ch's own
	// CHANNEL(musicclass).
	holdMOH    string
	heldBy     *channel
	musicClass string
	playing    *playback
	queued     []*playback
	rec        *recording
	heard      []string

	call *Call
	gone bool

	// A Local channel pair made by a phone's transfer (transfer.go): each
	// half's peer is the other; transferred marks the phone's channel the
	// pair replaced.
	local       bool
	peer        *channel
	transferred bool

	// heldCommands wait for the playback to end, as Asterisk holds a
	// channel's commands behind it (trace playback-holds-commands).
	heldCommands []func()
}

func (s *Server) newChannel(endpoint, id string) *channel {
	tech, resource, _ := splitEndpoint(endpoint)
	s.seq++
	if id == "" {
		id = fmt.Sprintf("%d.%d", s.idBase, s.seq)
	}
	ch := &channel{
		id:         id,
		name:       fmt.Sprintf("%s/%s-%08x", tech, resource, s.seq),
		tech:       tech,
		resource:   resource,
		seq:        s.seq,
		state:      "Down",
		created:    s.clock.Now(),
		protocolID: newUUID() + "@127.0.0.1",
		vars:       map[string]string{},
		timers:     map[*simTimer]struct{}{},
	}
	s.channels[id] = ch
	if s.onNewChannel != nil {
		s.onNewChannel(id)
	}
	return ch
}

func (ch *channel) json() channelJSON {
	return channelJSON{
		Caller:       ch.caller,
		Connected:    ch.connected,
		CreationTime: ts(ch.created),
		Dialplan:     ch.dp,
		ID:           ch.id,
		Language:     "en",
		Name:         ch.name,
		ProtocolID:   ch.protocolID,
		State:        ch.state,
	}
}

// finish marks the channel gone and tells the Call. Idempotent.
func (ch *channel) finish() {
	if ch.call != nil {
		ch.call.hear(ch.call.s.clock.Now(), false) // the line ended: no silence any more
		select {
		case <-ch.call.done:
		default:
			close(ch.call.done)
		}
	}
	ch.gone = true
}

// chAfter arms a timer that belongs to ch: it is cancelled when ch ends.
func (s *Server) chAfter(ch *channel, d time.Duration, f func()) *simTimer {
	var st *simTimer
	st = s.after(d, func() {
		delete(ch.timers, st)
		if !ch.gone {
			f()
		}
	})
	ch.timers[st] = struct{}{}
	return st
}

func (s *Server) stopChTimer(ch *channel, st *simTimer) {
	if st != nil {
		delete(ch.timers, st)
		s.stop(st)
	}
}

func (s *Server) setState(ch *channel, state string) {
	if ch.state == state {
		return
	}
	ch.state = state
	s.emitChannel(ch, "ChannelStateChange", nil)
}

func (s *Server) setVar(ch *channel, name, value string) {
	ch.vars[name] = value
	s.emitChannel(ch, "ChannelVarset", event{"variable": name, "value": value})
}

// enterStasis hands ch to app with args: StasisStart.
func (s *Server) enterStasis(ch *channel, appName string, args []string) {
	ch.app = appName
	ch.inStasis = true
	ch.left = false
	ch.args = args
	ch.dp.AppName = "Stasis"
	ch.dp.AppData = strings.Join(append([]string{appName}, args...), ",")
	if args == nil {
		args = []string{}
	}
	s.emitChannel(ch, "StasisStart", event{"args": args})
}

// ending says how a channel ends, in the terms of its events.
type ending struct {
	request      bool // send ChannelHangupRequest
	requestCause int  // its cause; 0 with !soft: none
	soft         bool
	cause        int // ChannelDestroyed cause
}

// endChannel runs a channel's end as Asterisk reports it:
// ChannelHangupRequest, playbacks failed, ChannelLeftBridge, StasisEnd,
// and, only for a linked channel, the dialplan's soft hangup (cause 16)
// and ChannelDestroyed.
func (s *Server) endChannel(ch *channel, e ending) {
	if ch.gone {
		return
	}
	if ch.left {
		// In the dialplan, out of the app's sight.
		s.removeChannel(ch)
		return
	}
	if e.request {
		ev := event{}
		if e.soft {
			ev["soft"] = true
			ev["cause"] = e.requestCause
		} else if e.requestCause != 0 {
			ev["cause"] = e.requestCause
		}
		s.emitChannel(ch, "ChannelHangupRequest", ev)
	}
	if e.requestCause == appHangupCause && ch.originated && ch.dialing {
		// The application hung up an originated channel that still rang:
		// its dial ends as NOANSWER (trace originate-subscribed).
		ch.dialing = false
		s.dialEvent(ch, "NOANSWER", ch.resource)
	}
	s.stopMedia(ch)
	if ch.bridge != nil {
		ch.bridge.hungUp = true
		s.leaveBridge(ch)
	}
	wasInStasis := ch.inStasis
	if ch.inStasis {
		ch.inStasis = false
		s.emitChannel(ch, "StasisEnd", nil)
	}
	if ch.local {
		s.localHangup(ch)
		if ch.inbound && wasInStasis { // ;2 ran the dialplan: its end is reported
			s.emitChannel(ch, "ChannelHangupRequest", event{"soft": true, "cause": 16})
			s.emitChannel(ch, "ChannelDestroyed", event{"cause": e.cause, "cause_txt": causeText[e.cause]})
		}
		s.removeChannel(ch)
		return
	}
	if ch.transferred {
		// A phone that transferred the call away: no ChannelDestroyed
		// (traces blind-transfer, blind-transfer-pjsip).
		s.removeChannel(ch)
		return
	}
	if ch.linked || !wasInStasis {
		if wasInStasis && ch.inbound {
			s.emitChannel(ch, "ChannelHangupRequest", event{"soft": true, "cause": 16})
		}
		ch.dp.AppName, ch.dp.AppData = "", ""
		if ch.originated {
			ch.dp.AppName, ch.dp.AppData = "AppDial2", "(Outgoing Line)"
		}
		s.emitChannel(ch, "ChannelDestroyed", event{"cause": e.cause, "cause_txt": causeText[e.cause]})
	}
	s.removeChannel(ch)
}

func (s *Server) removeChannel(ch *channel) {
	for st := range ch.timers {
		s.stop(st)
	}
	ch.timers = map[*simTimer]struct{}{}
	if ch.bridge != nil {
		b := ch.bridge
		b.remove(ch)
		ch.bridge = nil
	}
	delete(s.channels, ch.id)
	if len(ch.heard) > 0 && ch.call == nil {
		s.endedHeard[ch.id] = ch.heard // a phone's: tests read it later
	}
	ch.finish()
}

// Heard lists the media played to a channel, live or ended, as Call.Heard
// does for a caller: what a clerk's phone heard alone (a whisper, a
// prompt).
func (s *Server) Heard(channelID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ch := s.channels[channelID]; ch != nil {
		return append([]string(nil), ch.heard...)
	}
	return append([]string(nil), s.endedHeard[channelID]...)
}

// personHangup is the person on ch hanging up (a SIP BYE).
func (s *Server) personHangup(ch *channel) {
	if ch.gone {
		return
	}
	if ch.inbound {
		// The citizen: no cause on the request; cause 0 if never answered.
		cause := 16
		if ch.state != "Up" {
			cause = 0
		}
		s.endChannel(ch, ending{request: true, cause: cause})
		return
	}
	s.endChannel(ch, ending{request: true, requestCause: 16, cause: 16})
}

// appHangup is DELETE /channels/{id}: soft hangup 32, then the end.
func (s *Server) appHangup(ch *channel, cause int) {
	s.endChannel(ch, ending{request: true, soft: true, requestCause: appHangupCause, cause: cause})
}

// appHangupCause is the cause of the ChannelHangupRequest a hang-up by the
// application makes (soft, 32).
const appHangupCause = 32

func (s *Server) dtmf(ch *channel, digit string) {
	if ch.gone || ch.left || ch.bridge != nil && ch.bridge.nativeRTP() {
		return
	}
	s.emitChannel(ch, "ChannelDtmfReceived", event{"digit": digit, "duration_ms": int(DigitDuration / time.Millisecond)})
	if r := ch.rec; r != nil && strings.Contains(r.terminateOn, digit) {
		s.finishRecording(r)
	}
}

// dialEvent is a Dial event: peer is the dialed channel; never a caller.
func (s *Server) dialEvent(ch *channel, status, dialstring string) {
	s.emit(ch.app, "Dial", event{
		"dialstatus": status,
		"dialstring": dialstring,
		"forward":    "",
		"peer":       ch.json(),
	})
}

// startDial rings ch's phone: Dial (empty status), then the phone's
// answer. Originated channels repeat the dialstring in every Dial and
// enter Stasis only when answered.
func (s *Server) startDial(ch *channel) {
	ch.dialing = true
	ch.linked = true
	s.offered = append(s.offered, Offer{Endpoint: ch.tech + "/" + ch.resource, Channel: ch.id,
		CallerID: ch.shownNumber(), CallerName: ch.shownName(), At: s.clock.Now()})
	s.dialEvent(ch, "", ch.resource)
	later := ""
	if ch.originated {
		later = ch.resource
	}
	fail := func(status string, cause int) {
		ch.dialing = false
		s.dialEvent(ch, status, later)
		if ch.originated {
			s.endChannel(ch, ending{cause: cause})
		}
	}
	ps := s.phones[ch.tech+"/"+ch.resource]
	if ps != nil && ps.onCall {
		fail("BUSY", 17)
		return
	}
	switch ch.phone.Mode {
	case Busy:
		fail("BUSY", 17)
		return
	case Rejects:
		fail("BUSY", 21)
		return
	case Unavailable:
		fail("CHANUNAVAIL", 20)
		return
	case Congested:
		fail("CONGESTION", 34)
		return
	}
	// A phone's 180 Ringing takes at least a moment, even on loopback.
	s.chAfter(ch, max(ch.phone.RingAfter, time.Millisecond), func() {
		if !ch.dialing {
			return
		}
		if ch.dialCount > 1 {
			// Dialed twice: chan_sip gives up on the channel.
			s.setState(ch, "Ringing")
			s.dialEvent(ch, "RINGING", later)
			s.endChannel(ch, ending{cause: 16})
			return
		}
		s.setState(ch, "Ringing")
		s.dialEvent(ch, "RINGING", later)
		if ch.phone.Mode != Answers {
			return
		}
		s.chAfter(ch, ch.phone.AnswerAfter, func() {
			if !ch.dialing {
				return
			}
			ch.dialing = false
			s.setState(ch, "Up")
			s.dialEvent(ch, "ANSWER", later)
			if ch.originated {
				s.stopChTimer(ch, ch.dialTimer())
				if a := s.apps[ch.app]; a == nil || a.client == nil {
					// Stasis() fails for an app no client holds, and the
					// originate hangs up the phone it just answered
					// (trace ws-drop-answer).
					s.endChannel(ch, ending{cause: 16})
					return
				}
				s.enterStasis(ch, ch.app, ch.args)
			}
			s.runScript(ch, ch.phone.Script)
		})
	})
}

// dialTimer finds the timeout timer of a dial, if any.
func (ch *channel) dialTimer() *simTimer { return ch.timeout }

// ChannelInfo describes a live channel.
type ChannelInfo struct {
	ID, Name string
	State    string // Down, Ring, Ringing, Up
	Bridge   string // id of its bridge, "" if none
	InStasis bool
	App      string
}

// Channels lists the live channels, oldest first.
func (s *Server) Channels() []ChannelInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []ChannelInfo
	for _, ch := range s.sortedChannels() {
		ci := ChannelInfo{ID: ch.id, Name: ch.name, State: ch.state, InStasis: ch.inStasis, App: ch.app}
		if ch.bridge != nil {
			ci.Bridge = ch.bridge.id
		}
		out = append(out, ci)
	}
	return out
}

func (s *Server) sortedChannels() []*channel {
	out := make([]*channel, 0, len(s.channels))
	for _, ch := range s.channels {
		out = append(out, ch)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	return out
}

// shownNumber is the number the called phone displays: the connected line
// (a channel dialed for a caller), else its own caller id (an originate's
// callerId).
func (ch *channel) shownNumber() string {
	if ch.connected.Number != "" {
		return ch.connected.Number
	}
	return ch.caller.Number
}

// shownName is the name the called phone displays with shownNumber.
func (ch *channel) shownName() string {
	if ch.connected.Number != "" {
		return ch.connected.Name
	}
	return ch.caller.Name
}

// Offer is a call offered to a phone: what its display showed, and when.
type Offer struct {
	Endpoint   string
	Channel    string
	CallerID   string
	CallerName string
	At         time.Time
}

// Offers lists the calls offered to phones so far, in order: tests read
// who was rung when, and what number the phone showed.
func (s *Server) Offers() []Offer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Offer(nil), s.offered...)
}
