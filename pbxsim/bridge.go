package pbxsim

import (
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"
)

// bridge is an ARI bridge. Its events go to the applications of the
// channels that ever entered it.
type bridge struct {
	id, name string
	typ      string // "mixing" or "holding"
	// dtmfEvents: created with type dtmf_events (or proxy_media), so
	// Asterisk never bridges its channels' media natively (nativeRTP).
	dtmfEvents bool
	created    time.Time
	seq        int
	apps       []string
	members    []*channel
	moh        string
	playing    *playback
	queued     []*playback
	// hungUp: a member hung up while in it. Asterisk then reports the
	// bridge's destruction; a bridge whose channels only moved on to
	// other bridges goes without BridgeDestroyed (errors trace).
	hungUp bool
}

func (b *bridge) json() bridgeJSON {
	ids := make([]string, 0, len(b.members))
	for _, m := range b.members {
		ids = append(ids, m.id)
	}
	tech := "simple_bridge"
	switch {
	case b.typ == "holding":
		tech = "holding_bridge"
	case len(b.members) > 2 || b.playing != nil:
		tech = "softmix"
	}
	return bridgeJSON{
		BridgeClass:  "stasis",
		BridgeType:   b.typ,
		Channels:     ids,
		CreationTime: ts(b.created),
		Creator:      "Stasis",
		ID:           b.id,
		Name:         b.name,
		Technology:   tech,
		VideoMode:    "talker",
	}
}

// nativeRTP tells whether Asterisk passes the media of b's two channels
// between them itself, keys (RFC 2833) included, so that no
// ChannelDtmfReceived is raised (traces bridge-dtmf-native,
// bridge-dtmf-events): a mixing bridge of two phones talking, nothing
// playing, not created with dtmf_events.
func (b *bridge) nativeRTP() bool {
	if b.typ != "mixing" || b.dtmfEvents || len(b.members) != 2 || b.playing != nil || b.moh != "" {
		return false
	}
	for _, m := range b.members {
		if m.local || m.held || m.holdMOH != "" || m.playing != nil || m.moh != "" {
			return false
		}
	}
	return true
}

func (b *bridge) remove(ch *channel) {
	b.members = slices.DeleteFunc(b.members, func(m *channel) bool { return m == ch })
}

func (s *Server) emitBridge(b *bridge, typ string, ev event) {
	for _, a := range b.apps {
		e := event{}
		for k, v := range ev {
			e[k] = v
		}
		e["bridge"] = b.json()
		s.emit(a, typ, e)
	}
}

var bridgeTypes = []string{"mixing", "holding", "dtmf_events", "proxy_media", "video_sfu", "video_single", "sdp_label"}

func (s *Server) createBridge(r *request) reply {
	id := r.p("bridgeId")
	if b := s.bridges[id]; id != "" && b != nil {
		return ok(b.json())
	}
	typ, dtmfEvents := "mixing", false
	for _, t := range strings.Split(r.params["type"], ",") {
		if t == "" {
			continue
		}
		if !slices.Contains(bridgeTypes, t) {
			return fail(http.StatusBadRequest, "Invalid bridge type")
		}
		if t == "holding" {
			typ = "holding"
		}
		dtmfEvents = dtmfEvents || t == "dtmf_events" || t == "proxy_media"
	}
	if id == "" {
		id = newUUID()
	}
	s.seq++
	b := &bridge{id: id, name: r.params["name"], typ: typ, dtmfEvents: dtmfEvents, created: s.clock.Now(), seq: s.seq}
	s.bridges[id] = b
	return ok(b.json())
}

func (s *Server) bridgeIn(r *request) (*bridge, *reply) {
	b := s.bridges[r.p("bridgeId")]
	if b == nil {
		rep := fail(http.StatusNotFound, "Bridge not found")
		return nil, &rep
	}
	return b, nil
}

func (s *Server) sortedBridges() []*bridge {
	out := make([]*bridge, 0, len(s.bridges))
	for _, b := range s.bridges {
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	return out
}

func (s *Server) listBridges(r *request) reply {
	out := []bridgeJSON{}
	for _, b := range s.sortedBridges() {
		out = append(out, b.json())
	}
	return ok(out)
}

func (s *Server) getBridge(r *request) reply {
	b, rep := s.bridgeIn(r)
	if rep != nil {
		return *rep
	}
	return ok(b.json())
}

// destroyBridge: members leave, then BridgeDestroyed.
func (s *Server) destroyBridge(r *request) reply {
	b, rep := s.bridgeIn(r)
	if rep != nil {
		return *rep
	}
	report := b.hungUp || len(b.members) > 0
	for len(b.members) > 0 {
		s.leaveBridge(b.members[0])
	}
	s.stopBridgeMedia(b)
	if report {
		s.emitBridge(b, "BridgeDestroyed", event{})
	}
	delete(s.bridges, b.id)
	return noContent()
}

// channelsParam resolves the channel list of addChannel/removeChannel.
func (s *Server) channelsParam(r *request) ([]*channel, *reply) {
	v := r.params["channel"]
	if v == "" {
		rep := fail(http.StatusBadRequest, "Required parameter channel not present")
		return nil, &rep
	}
	var out []*channel
	for _, id := range strings.Split(v, ",") {
		ch := s.channels[id]
		if ch == nil || ch.gone {
			rep := fail(http.StatusBadRequest, "Channel not found")
			return nil, &rep
		}
		out = append(out, ch)
	}
	for _, ch := range out {
		if !ch.inStasis {
			rep := fail(http.StatusUnprocessableEntity, "Channel not in Stasis application")
			return nil, &rep
		}
	}
	return out, nil
}

func (s *Server) addChannel(r *request) reply {
	b, rep := s.bridgeIn(r)
	if rep != nil {
		return *rep
	}
	chans, rep := s.channelsParam(r)
	if rep != nil {
		return *rep
	}
	for _, ch := range chans {
		if ch.bridge == b {
			continue
		}
		if ch.bridge != nil {
			s.leaveBridge(ch)
		}
		s.joinBridge(b, ch)
	}
	return noContent()
}

func (s *Server) removeChannelFromBridge(r *request) reply {
	b, rep := s.bridgeIn(r)
	if rep != nil {
		return *rep
	}
	chans, rep := s.channelsParam(r)
	if rep != nil {
		return *rep
	}
	for _, ch := range chans {
		if ch.bridge != b {
			return fail(http.StatusUnprocessableEntity, "Channel not in this bridge")
		}
	}
	for _, ch := range chans {
		s.leaveBridge(ch)
	}
	return noContent()
}

func (s *Server) joinBridge(b *bridge, ch *channel) {
	if !slices.Contains(b.apps, ch.app) {
		b.apps = append(b.apps, ch.app)
	}
	b.members = append(b.members, ch)
	ch.bridge = b
	if b.moh != "" {
		ch.heard = append(ch.heard, "moh:"+b.moh)
	}
	s.emitChannelBridge(ch, b, "ChannelEnteredBridge")
	s.bridgeChanged(b)
}

// leaveBridge takes ch out of its bridge: ChannelLeftBridge.
func (s *Server) leaveBridge(ch *channel) {
	b := ch.bridge
	if b == nil {
		return
	}
	if len(b.members) > 1 {
		s.setVar(ch, "BRIDGEPEER", "")
		s.setVar(ch, "BRIDGEPVTCALLID", "")
	}
	b.remove(ch)
	ch.bridge = nil
	s.leftHolding(ch, b)
	s.emitChannelBridge(ch, b, "ChannelLeftBridge")
	s.bridgeChanged(b)
}

func (s *Server) emitChannelBridge(ch *channel, b *bridge, typ string) {
	apps := append([]string{ch.app}, b.apps...)
	seen := map[string]bool{}
	for _, a := range apps {
		if seen[a] {
			continue
		}
		seen[a] = true
		s.emit(a, typ, event{"bridge": b.json(), "channel": ch.json()})
	}
}

// bridgeChanged updates what members learn from each other: BRIDGEPEER,
// and with exactly two, each one's connected line is the other's caller.
func (s *Server) bridgeChanged(b *bridge) {
	if len(b.members) < 2 {
		return
	}
	for _, m := range b.members {
		var peers []string
		var pvt string
		for _, o := range b.members {
			if o != m {
				peers = append(peers, o.name)
				if pvt == "" {
					pvt = o.protocolID
				}
			}
		}
		s.setVar(m, "BRIDGEPEER", strings.Join(peers, ","))
		s.setVar(m, "BRIDGEPVTCALLID", pvt)
	}
	if len(b.members) == 2 {
		for i, m := range b.members {
			o := b.members[1-i]
			if m.connected != o.caller {
				m.connected = o.caller
				s.emitChannel(m, "ChannelConnectedLine", nil)
			}
		}
	}
}

func (s *Server) bridgeMOH(r *request) reply {
	b, rep := s.bridgeIn(r)
	if rep != nil {
		return *rep
	}
	if r.method == http.MethodPost {
		class := r.params["mohClass"]
		if class == "" {
			class = "default"
		}
		b.moh = class
		for _, m := range b.members {
			m.heard = append(m.heard, "moh:"+class)
		}
	} else {
		b.moh = ""
	}
	return noContent()
}

// BridgeInfo describes a live bridge.
type BridgeInfo struct {
	ID       string
	Type     string // mixing, holding
	Channels []string
}

// Bridges lists the live bridges, oldest first.
func (s *Server) Bridges() []BridgeInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []BridgeInfo
	for _, b := range s.sortedBridges() {
		out = append(out, BridgeInfo{ID: b.id, Type: b.typ, Channels: b.json().Channels})
	}
	return out
}
