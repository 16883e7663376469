package pbxsim

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

func (s *Server) ariRoutes() []route {
	rs := []struct {
		method, path string
		do           func(*request) reply
	}{
		{"GET", "/asterisk/info", s.asteriskInfo},
		{"GET", "/asterisk/ping", s.asteriskPing},
		{"GET", "/asterisk/variable", s.getGlobal},
		{"POST", "/asterisk/variable", s.setGlobal},
		{"GET", "/applications", s.listApps},
		{"GET", "/applications/{applicationName}", s.getApp},
		{"PUT", "/applications/{applicationName}/eventFilter", s.setEventFilter},

		{"GET", "/channels", s.listChannels},
		{"POST", "/channels", s.originate},
		{"POST", "/channels/create", s.createChannel},
		{"GET", "/channels/{channelId}", s.getChannel},
		{"POST", "/channels/{channelId}", s.originate},
		{"DELETE", "/channels/{channelId}", s.hangupChannel},
		{"POST", "/channels/{channelId}/answer", s.answer},
		{"POST", "/channels/{channelId}/ring", s.ring},
		{"DELETE", "/channels/{channelId}/ring", s.ring},
		{"POST", "/channels/{channelId}/dial", s.dial},
		{"POST", "/channels/{channelId}/hold", s.hold},
		{"DELETE", "/channels/{channelId}/hold", s.hold},
		{"POST", "/channels/{channelId}/moh", s.channelMOH},
		{"DELETE", "/channels/{channelId}/moh", s.channelMOH},
		{"POST", "/channels/{channelId}/play", s.channelPlay},
		{"POST", "/channels/{channelId}/play/{playbackId}", s.channelPlay},
		{"POST", "/channels/{channelId}/record", s.channelRecord},
		{"GET", "/channels/{channelId}/variable", s.getVariable},
		{"POST", "/channels/{channelId}/variable", s.setVariable},
		{"POST", "/channels/{channelId}/redirect", s.redirect},
		{"POST", "/channels/{channelId}/continue", s.continueDialplan},
		{"POST", "/channels/{channelId}/move", s.move},

		{"GET", "/bridges", s.listBridges},
		{"POST", "/bridges", s.createBridge},
		{"POST", "/bridges/{bridgeId}", s.createBridge},
		{"GET", "/bridges/{bridgeId}", s.getBridge},
		{"DELETE", "/bridges/{bridgeId}", s.destroyBridge},
		{"POST", "/bridges/{bridgeId}/addChannel", s.addChannel},
		{"POST", "/bridges/{bridgeId}/removeChannel", s.removeChannelFromBridge},
		{"POST", "/bridges/{bridgeId}/moh", s.bridgeMOH},
		{"DELETE", "/bridges/{bridgeId}/moh", s.bridgeMOH},
		{"POST", "/bridges/{bridgeId}/play", s.bridgePlay},
		{"POST", "/bridges/{bridgeId}/play/{playbackId}", s.bridgePlay},

		{"GET", "/playbacks/{playbackId}", s.getPlayback},
		{"DELETE", "/playbacks/{playbackId}", s.stopPlayback},
		{"POST", "/playbacks/{playbackId}/control", s.controlPlayback},

		{"GET", "/sounds", s.listSounds},
		{"GET", "/sounds/{soundId}", s.getSound},

		{"GET", "/recordings/stored", s.listStored},
		{"GET", "/recordings/stored/{recordingName}", s.getStored},
		{"GET", "/recordings/stored/{recordingName}/file", s.getStoredFile},
		{"DELETE", "/recordings/stored/{recordingName}", s.deleteStored},
		{"GET", "/recordings/live/{recordingName}", s.getLive},
		{"DELETE", "/recordings/live/{recordingName}", s.discardLive},
		{"POST", "/recordings/live/{recordingName}/stop", s.stopLive},
	}
	out := make([]route, 0, len(rs))
	for _, r := range rs {
		out = append(out, route{Route: Route{r.method, r.path}, segs: strings.Split(strings.Trim(r.path, "/"), "/"), do: r.do})
	}
	return out
}

func (s *Server) asteriskInfo(r *request) reply {
	return ok(map[string]any{
		"build": map[string]any{"date": "2026-11-24 04:09:56 UTC", "kernel": "pbxsim", "machine": "x86_64",
			"options": "OPTIONAL_API", "os": "Linux", "user": "pbxsim"},
		"config": map[string]any{"default_language": "en", "name": "",
			"setid": map[string]string{"group": "", "user": ""}},
		"status": map[string]string{"last_reload_time": ts(s.started), "startup_time": ts(s.started)},
		"system": map[string]string{"entity_id": s.entityID, "version": "20.21.0"},
	})
}

func (s *Server) asteriskPing(r *request) reply {
	return ok(map[string]string{"asterisk_id": s.entityID, "ping": "pong", "timestamp": ts(s.clock.Now())})
}

// getGlobal reads a global variable of the dialplan: "" when unset, as
// Asterisk answers.
func (s *Server) getGlobal(r *request) reply {
	name := r.params["variable"]
	if name == "" {
		return fail(http.StatusBadRequest, "Variable name is required")
	}
	return ok(map[string]string{"value": s.globals[name]})
}

func (s *Server) setGlobal(r *request) reply {
	name := r.params["variable"]
	if name == "" {
		return fail(http.StatusBadRequest, "Variable name is required")
	}
	s.globals[name] = r.params["value"]
	return noContent()
}

// Global reads a global variable of the dialplan, as the dialplan would.
func (s *Server) Global(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.globals[name]
}

// SetGlobal sets a global variable of the dialplan, as an admin's
// `+"`dialplan set global`"+` would.
func (s *Server) SetGlobal(name, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.globals[name] = value
}

// channelIn looks up the channel a request names: 404 if it is gone.
func (s *Server) channelIn(r *request) (*channel, *reply) {
	ch := s.channels[r.p("channelId")]
	if ch == nil {
		rep := fail(http.StatusNotFound, "Channel not found")
		return nil, &rep
	}
	return ch, nil
}

// stasisChannel is channelIn plus: the channel must be in Stasis (409).
func (s *Server) stasisChannel(r *request) (*channel, *reply) {
	ch, rep := s.channelIn(r)
	if rep != nil {
		return nil, rep
	}
	if !ch.inStasis {
		rep := fail(http.StatusConflict, "Channel not in Stasis application")
		return nil, &rep
	}
	return ch, nil
}

func (s *Server) listChannels(r *request) reply {
	out := []channelJSON{}
	for _, ch := range s.sortedChannels() {
		out = append(out, ch.json())
	}
	return ok(out)
}

func (s *Server) getChannel(r *request) reply {
	ch, rep := s.channelIn(r)
	if rep != nil {
		return *rep
	}
	return ok(ch.json())
}

var callerIDRe = regexp.MustCompile(`^\s*"?([^"<]*?)"?\s*<([^>]*)>\s*$`)

// parseCallerID reads "Name <number>" or a bare number.
func parseCallerID(v string) callerID {
	if m := callerIDRe.FindStringSubmatch(v); m != nil {
		return callerID{Name: strings.TrimSpace(m[1]), Number: m[2]}
	}
	return callerID{Number: strings.TrimSpace(v)}
}

// splitAppArgs splits appArgs as ARI does for create, originate and move:
// on every comma, quotes kept as characters, empty args dropped.
func splitAppArgs(v string) []string {
	out := []string{}
	for _, a := range strings.Split(v, ",") {
		if a != "" {
			out = append(out, a)
		}
	}
	return out
}

// linkOriginator makes ch a call placed on behalf of the originator: it
// shows the originator's caller id as connected line.
func (s *Server) linkOriginator(ch *channel, id string) {
	o := s.channels[id]
	if o == nil {
		return
	}
	o.linked = true
	ch.linked = true
	if o.caller.Number != "" && ch.connected != o.caller {
		ch.connected = o.caller
		if ch.inStasis {
			s.emitChannel(ch, "ChannelConnectedLine", nil)
		}
	}
}

// newOutbound checks what create and originate share: endpoint, ids.
func (s *Server) newOutbound(r *request, id string) (*channel, *reply) {
	ep := r.params["endpoint"]
	if ep == "" {
		rep := fail(http.StatusBadRequest, "Endpoint must be specified")
		return nil, &rep
	}
	if id != "" && s.channels[id] != nil {
		rep := fail(http.StatusConflict, "Channel with given unique ID already exists")
		return nil, &rep
	}
	if o := r.params["otherChannelId"]; o != "" && s.channels[o] != nil {
		rep := fail(http.StatusConflict, "Channel with given unique ID already exists")
		return nil, &rep
	}
	vars, good := bodyVariables(r)
	if !good {
		rep := fail(http.StatusBadRequest, "Invalid variables")
		return nil, &rep
	}
	phone, _, exists := s.phoneFor(ep)
	if !exists {
		rep := allocationFailed()
		return nil, &rep
	}
	ch := s.newChannel(ep, id)
	ch.phone = phone
	ch.dp = dialplanCEP{Context: "from-internal", Priority: 1}
	for k, v := range vars {
		ch.vars[k] = v // set before the channel is the app's: no ChannelVarset reaches it
	}
	return ch, nil
}

// bodyVariables reads the "variables" object of a create or originate
// body ({"variables": {"NAME": "value"}}); false if it is not one.
func bodyVariables(r *request) (map[string]string, bool) {
	raw, has := r.body["variables"]
	if !has || string(raw) == "null" {
		return nil, true
	}
	var vars map[string]string
	if err := json.Unmarshal(raw, &vars); err != nil {
		return nil, false
	}
	return vars, true
}

// createChannel is POST /channels/create: a channel in Stasis, not dialed.
// Asterisk answers before the channel has entered Stasis (a thread of its
// own runs Stasis()): the traces show StasisStart first, a real Asterisk
// under load often the reply first, and a dial in between answers 409.
// Options.StasisAfterCreate plays the late case. When no client holds the
// application, the channel dies at once and nobody hears of it.
func (s *Server) createChannel(r *request) reply {
	appName := r.params["app"]
	if r.params["endpoint"] != "" && appName == "" {
		return fail(http.StatusBadRequest, "Application must be specified")
	}
	ch, rep := s.newOutbound(r, r.params["channelId"])
	if rep != nil {
		return *rep
	}
	body := ch.json()
	args := splitAppArgs(r.params["appArgs"])
	ch.app = appName
	ch.dp.AppName, ch.dp.AppData = "Stasis", strings.Join(append([]string{appName}, args...), ",")
	if a := s.apps[appName]; a == nil || a.client == nil {
		s.removeChannel(ch)
		return ok(body)
	}
	enter := func() {
		s.emitChannel(ch, "ChannelDialplan", event{"dialplan_app": "Stasis", "dialplan_app_data": ch.dp.AppData})
		s.setVar(ch, "STASISSTATUS", "")
		s.enterStasis(ch, appName, args)
		if o := r.params["originator"]; o != "" {
			s.linkOriginator(ch, o)
		}
	}
	if d := s.opts.StasisAfterCreate; d > 0 {
		s.chAfter(ch, d, enter)
	} else {
		enter()
	}
	return ok(body)
}

// originate is POST /channels and POST /channels/{channelId}: dial at
// once; the channel enters Stasis only when answered. The timeout counts
// from now; when it passes unanswered, the only event is ChannelDestroyed
// cause 19.
func (s *Server) originate(r *request) reply {
	id := r.p("channelId")
	appName := r.params["app"]
	if appName == "" && r.params["extension"] == "" && r.params["endpoint"] != "" {
		return fail(http.StatusBadRequest, "Application or extension must be specified")
	}
	if appName == "" && r.params["endpoint"] != "" {
		// Dialplan originate: beyond the simulator's dialplan.
		return fail(http.StatusBadRequest, "Application or extension must be specified")
	}
	timeout, good := intParam(r, "timeout", 30)
	if !good {
		return fail(http.StatusBadRequest, "timeout must be an integer")
	}
	if o := r.params["originator"]; o != "" && s.channels[o] == nil {
		// resource_channels.c: nothing is dialed for a channel that is gone.
		return fail(http.StatusBadRequest, "Provided originator channel was not found")
	}
	ch, rep := s.newOutbound(r, id)
	if rep != nil {
		return *rep
	}
	ch.originated = true
	ch.app = appName
	ch.args = splitAppArgs(r.params["appArgs"])
	ch.dp = dialplanCEP{AppName: "AppDial2", AppData: "(Outgoing Line)", Context: "from-internal", Priority: 1}
	if o := r.params["originator"]; o != "" {
		s.linkOriginator(ch, o)
	}
	// Asterisk sets callerId after the channel is made with its
	// originator: it is what the called phone shows.
	if v := r.params["callerId"]; v != "" {
		ch.caller = parseCallerID(v)
		ch.connected = ch.caller
	}
	body := ch.json()
	if timeout > 0 {
		ch.timeout = s.chAfter(ch, time.Duration(timeout)*time.Second, func() {
			if ch.state != "Up" {
				ch.dialing = false
				s.endChannel(ch, ending{cause: 19})
			}
		})
	}
	s.startDial(ch)
	return ok(body)
}

func (s *Server) hangupChannel(r *request) reply {
	ch, rep := s.channelIn(r)
	if rep != nil {
		return *rep
	}
	cause := 16
	if v := r.params["reason_code"]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fail(http.StatusBadRequest, "Invalid reason for hangup reason_code provided")
		}
		cause = n
	} else if v := r.params["reason"]; v != "" {
		c, known := hangupReasons[v]
		if !known {
			return fail(http.StatusBadRequest, "Invalid reason for hangup reason provided")
		}
		cause = c
	}
	if ch.left {
		s.removeChannel(ch)
		return noContent()
	}
	s.appHangup(ch, cause)
	return noContent()
}

func (s *Server) answer(r *request) reply {
	ch, rep := s.stasisChannel(r)
	if rep != nil {
		return *rep
	}
	switch ch.state {
	case "Up":
	case "Down":
		return fail(http.StatusPreconditionFailed, "Channel in invalid state")
	default:
		s.setState(ch, "Up")
		if ch.local {
			s.localAnswer(ch)
		}
	}
	return noContent()
}

func (s *Server) ring(r *request) reply {
	ch, rep := s.stasisChannel(r)
	if rep != nil {
		return *rep
	}
	ch.rung = r.method == http.MethodPost
	if ch.local && r.method == http.MethodPost {
		s.localRing(ch)
	}
	return noContent()
}

// dial is POST /channels/{id}/dial on a created channel.
func (s *Server) dial(r *request) reply {
	ch, rep := s.stasisChannel(r)
	if rep != nil {
		return *rep
	}
	timeout, good := intParam(r, "timeout", 0)
	if !good {
		return fail(http.StatusBadRequest, "timeout must be an integer")
	}
	var caller *channel
	if id := r.params["caller"]; id != "" {
		if caller = s.channels[id]; caller == nil {
			return fail(http.StatusNotFound, "Caller not found")
		}
	}
	if ch.state != "Down" || ch.inbound || ch.originated {
		return fail(http.StatusConflict, "Channel is not in the 'Down' state")
	}
	ch.dialCount++
	if ch.dialCount > 1 {
		if !ch.dialing {
			return fail(http.StatusConflict, "Channel is not in the 'Down' state")
		}
		return noContent()
	}
	if caller != nil {
		caller.linked = true
		if caller.caller.Number != "" && ch.connected != caller.caller {
			ch.connected = caller.caller
			s.emitChannel(ch, "ChannelConnectedLine", nil)
		}
	}
	if timeout > 0 {
		ch.timeout = s.chAfter(ch, time.Duration(timeout)*time.Second, func() {
			if ch.state != "Up" {
				ch.dialing = false
				s.appHangup(ch, 19)
			}
		})
	}
	s.startDial(ch)
	return noContent()
}

// hold is the app holding a channel: ChannelHold on it; the others in its
// bridge hear music.
func (s *Server) hold(r *request) reply {
	ch, rep := s.stasisChannel(r)
	if rep != nil {
		return *rep
	}
	if r.method == http.MethodPost {
		ch.held = true
		s.emitChannel(ch, "ChannelHold", nil)
		s.holdPeers(ch, true)
	} else {
		ch.held = false
		s.emitChannel(ch, "ChannelUnhold", nil)
		s.holdPeers(ch, false)
	}
	return noContent()
}

func (s *Server) getVariable(r *request) reply {
	ch, rep := s.channelIn(r)
	if rep != nil {
		return *rep
	}
	name := r.params["variable"]
	if name == "" {
		return fail(http.StatusBadRequest, "Variable name is required")
	}
	v, found := ch.vars[name]
	if !found {
		switch name {
		case "CALLERID(num)":
			v, found = ch.caller.Number, true
		case "CALLERID(name)":
			v, found = ch.caller.Name, true
		case "CHANNEL(name)":
			v, found = ch.name, true
		}
	}
	if !found {
		return fail(http.StatusNotFound, "Provided variable was not found")
	}
	return ok(map[string]string{"value": v})
}

func (s *Server) setVariable(r *request) reply {
	ch, rep := s.channelIn(r)
	if rep != nil {
		return *rep
	}
	name := r.params["variable"]
	if name == "" {
		return fail(http.StatusBadRequest, "Variable name is required")
	}
	value := r.params["value"]
	set := func() {
		if strings.HasSuffix(name, ")") {
			s.setFunction(ch, name, value)
			return
		}
		s.setVar(ch, name, value)
	}
	if ch.playing != nil {
		// Asterisk carries it out (and answers) once the playback ends.
		s.stats.HeldBehindPlayback++
		ch.heldCommands = append(ch.heldCommands, set)
		return noContent()
	}
	set()
	return noContent()
}

// redirect is a SIP 302 to the caller: the call is over for the citizen,
// but the channel stays in Stasis and nothing more is reported.
func (s *Server) redirect(r *request) reply {
	ch, rep := s.stasisChannel(r)
	if rep != nil {
		return *rep
	}
	ep := r.params["endpoint"]
	if ep == "" {
		return fail(http.StatusBadRequest, "Required parameter endpoint not present")
	}
	tech, _, good := splitEndpoint(ep)
	if !good {
		return fail(http.StatusUnprocessableEntity, "Endpoint parameter '"+ep+"' does not contain tech/resource")
	}
	if !strings.EqualFold(tech, ch.tech) {
		return fail(http.StatusUnprocessableEntity, "Endpoint technology '"+tech+"' does not match channel technology '"+ch.tech+"'")
	}
	for st := range ch.timers {
		s.stop(st)
	}
	ch.timers = map[*simTimer]struct{}{}
	return noContent()
}

// continueDialplan: StasisEnd at once; the dialplan goes on out of the
// app's sight (no ChannelDestroyed), or into the next Stasis() if the
// caller's dialplan has one.
func (s *Server) continueDialplan(r *request) reply {
	ch, rep := s.stasisChannel(r)
	if rep != nil {
		return *rep
	}
	if ch.playing != nil {
		// Asterisk answers at once and carries it out once the playback
		// ends (control.c queues it behind the playback): behind a tone
		// that plays until stopped, never.
		ch.heldCommands = append(ch.heldCommands, func() { s.continueNow(ch, r.params) })
		return noContent()
	}
	s.continueNow(ch, r.params)
	return noContent()
}

func (s *Server) continueNow(ch *channel, params map[string]string) {
	if ch.gone || !ch.inStasis {
		return
	}
	s.stopMedia(ch)
	if ch.bridge != nil {
		s.leaveBridge(ch)
	}
	ch.inStasis = false
	s.emitChannel(ch, "StasisEnd", nil)
	if len(ch.then) > 0 && params["context"] == "" && params["extension"] == "" && params["label"] == "" {
		next := ch.then
		ch.then = nil
		ch.dp.Priority++
		s.enterStasis(ch, next[0], next[1:])
		return
	}
	ch.left = true
	s.chAfter(ch, 2*time.Second, func() { s.removeChannel(ch) })
}

// move hands the channel to another application.
func (s *Server) move(r *request) reply {
	ch, rep := s.stasisChannel(r)
	if rep != nil {
		return *rep
	}
	to := r.params["app"]
	if to == "" {
		return fail(http.StatusBadRequest, "Required parameter app not present")
	}
	if a := s.apps[to]; a == nil {
		return fail(http.StatusNotFound, "Application not found")
	}
	from := ch.app
	args := splitAppArgs(r.params["appArgs"])
	ch.app = to
	ch.args = args
	if args == nil {
		args = []string{}
	}
	s.emitChannel(ch, "StasisStart", event{"args": args})
	s.emit(from, "StasisEnd", event{"channel": ch.json()})
	return noContent()
}
