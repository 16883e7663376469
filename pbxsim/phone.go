package pbxsim

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// PhoneMode is how an endpoint reacts when it is dialed.
type PhoneMode int

const (
	// Answers rings after RingAfter and answers AnswerAfter later.
	Answers PhoneMode = iota
	// NeverAnswers rings until the dial times out or the app hangs up.
	NeverAnswers
	// Busy answers 486: Dial BUSY at once, cause 17. Use it for a clerk
	// already on a call too (or SetOnCall).
	Busy
	// Unavailable is an unregistered phone: Dial CHANUNAVAIL, cause 20.
	Unavailable
	// Rejects declines the call (SIP 603): Dial BUSY, cause 21.
	Rejects
	// Congested is a network failure: Dial CONGESTION, cause 34.
	Congested
)

var modeNames = []string{"answers", "never-answers", "busy", "unavailable", "rejects", "congested"}

func (m PhoneMode) String() string {
	if int(m) < len(modeNames) {
		return modeNames[m]
	}
	return fmt.Sprintf("PhoneMode(%d)", int(m))
}

// UnmarshalText reads "answers", "never-answers", "busy", "unavailable",
// "rejects" or "congested".
func (m *PhoneMode) UnmarshalText(b []byte) error {
	for i, n := range modeNames {
		if strings.EqualFold(string(b), n) {
			*m = PhoneMode(i)
			return nil
		}
	}
	return fmt.Errorf("unknown phone mode %q", b)
}

func (m PhoneMode) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// ActionKind is something a person does on an established call.
type ActionKind int

const (
	// Hangup ends the call from the person's side (a SIP BYE).
	Hangup ActionKind = iota + 1
	// Hold puts the call on hold from the phone: ChannelHold.
	Hold
	// Unhold resumes it: ChannelUnhold.
	Unhold
	// PressKeys sends Action.Digits as DTMF, one ChannelDtmfReceived per
	// digit, DigitGap apart.
	PressKeys
	// Transfer is the desk phone's own transfer key: a blind transfer
	// (SIP REFER) of the call to Action.Digits (transfer.go).
	Transfer
)

var actionNames = []string{"", "hangup", "hold", "unhold", "press-keys", "transfer"}

func (k ActionKind) String() string {
	if k > 0 && int(k) < len(actionNames) {
		return actionNames[k]
	}
	return fmt.Sprintf("ActionKind(%d)", int(k))
}

func (k *ActionKind) UnmarshalText(b []byte) error {
	for i, n := range actionNames {
		if i > 0 && strings.EqualFold(string(b), n) {
			*k = ActionKind(i)
			return nil
		}
	}
	return fmt.Errorf("unknown action %q", b)
}

func (k ActionKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Action is one step of a person's script, At counted from the moment the
// call starts for them (answer for a phone, entering Stasis for a caller).
type Action struct {
	At     time.Duration
	Do     ActionKind
	Digits string // for PressKeys; the number transferred to, for Transfer
}

// DTMF timing: each digit lasts DigitDuration and the next starts DigitGap
// after the previous one.
const (
	DigitDuration = 280 * time.Millisecond
	DigitGap      = 400 * time.Millisecond
)

// Phone is the behaviour of a desk phone or other endpoint.
type Phone struct {
	Mode        PhoneMode
	RingAfter   time.Duration // from dial to RINGING
	AnswerAfter time.Duration // from RINGING to answer (Answers)
	Script      []Action      // from answer
}

// phoneState is an endpoint the simulator knows.
type phoneState struct {
	Phone
	onCall bool
}

// defaultAutoPhone is what AutoPhones gives an endpoint nobody set up.
var defaultAutoPhone = Phone{Mode: Answers, AnswerAfter: 3 * time.Second}

// SetPhone defines (or replaces) the behaviour of endpoint ("PJSIP/101",
// "SIP/103"). Calls already under way keep the behaviour they started with.
func (s *Server) SetPhone(endpoint string, p Phone) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ps := s.phones[endpoint]
	if ps == nil {
		ps = &phoneState{}
		s.phones[endpoint] = ps
	}
	ps.Phone = p
}

// SetOnCall marks a phone as busy with another call (true) or free again:
// while on a call, dialing it gives BUSY (cause 17) whatever its mode.
func (s *Server) SetOnCall(endpoint string, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ps := s.phones[endpoint]
	if ps == nil {
		ps = &phoneState{Phone: defaultAutoPhone}
		s.phones[endpoint] = ps
	}
	ps.onCall = on
}

// phoneFor returns the behaviour of endpoint, or false if it does not
// exist (500 Allocation failed). Call with s.mu held.
func (s *Server) phoneFor(endpoint string) (Phone, bool, bool) {
	tech, _, ok := splitEndpoint(endpoint)
	if !ok {
		return Phone{}, false, false
	}
	if ps := s.phones[endpoint]; ps != nil {
		return ps.Phone, ps.onCall, true
	}
	if s.opts.AutoPhones && (tech == "SIP" || tech == "PJSIP") {
		return defaultAutoPhone, false, true
	}
	return Phone{}, false, false
}

// Caller is a citizen calling in.
type Caller struct {
	Number, Name string   // caller id as given; "" and "anonymous" allowed
	Exten        string   // the number dialed
	App          string   // Stasis application
	Args         []string // Stasis args; default {"inbound", Exten}, and "ringing" if Ringing
	// Ringing: the dialplan rang the caller (Ringing()) before Stasis, as
	// callcare's rendered dialplan does: the caller hears ringing from the
	// start.
	Ringing     bool
	Endpoint    string        // names the channel; default "PJSIP/trunk"
	HangupAfter time.Duration // the caller gives up this long after entering Stasis; 0: never
	Script      []Action      // from entering Stasis
	// Then is what the dialplan does after the app calls continue with no
	// location: the app and args of the next Stasis() priority. Empty:
	// the dialplan plays a goodbye and hangs up.
	Then []string
	// Overloaded names a global variable the dialplan reads before
	// Stasis(), as callcare's rendered dialplan reads CALLCARE_OVERLOADED:
	// the share of calls, in percent, that go to the fallback without
	// entering the application (Call.ShedByDialplan); the dialplan adds
	// one to the global of that name with _CALLS for each. Asterisk draws
	// RAND(0,99) for each call; the simulator sends that share evenly.
	Overloaded string
}

// Call is an inbound call placed with Server.Call.
type Call struct {
	s    *Server
	ch   *channel
	done chan struct{}

	silentSince time.Time     // the caller hears nothing since (zero: they hear something)
	longest     time.Duration // the longest silence that ended
	shed        bool          // the dialplan sent it to the fallback (Caller.Overloaded)
}

// ChannelID is the id of the caller's channel.
func (c *Call) ChannelID() string { return c.ch.id }

// Hangup hangs up from the citizen's side now.
func (c *Call) Hangup() {
	c.s.mu.Lock()
	if !c.ch.gone {
		c.s.personHangup(c.ch)
	}
	c.s.trackSilence()
	c.s.mu.Unlock()
	c.s.flush()
}

// ShedByDialplan tells whether the dialplan sent the call to its fallback
// without entering the application (Caller.Overloaded).
func (c *Call) ShedByDialplan() bool { return c.shed }

// Done is closed when the caller's channel is destroyed.
func (c *Call) Done() <-chan struct{} { return c.done }

// Heard lists the media played to the caller in order: "sound:vm-goodbye"
// for a playback (on the channel or its bridge), "moh:default" whenever
// music on hold started for them. Tests use it to prove a caller never
// waits on a dead line.
func (c *Call) Heard() []string {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	return append([]string(nil), c.ch.heard...)
}

// Call places an inbound call: a channel enters Stasis in state Ring with
// the args the dialplan gives. Like Stasis() in the dialplan, it fails at
// once when no client holds the application.
func (s *Server) Call(c Caller) (*Call, error) {
	s.mu.Lock()
	call, err := s.placeCall(c)
	s.trackSilence()
	s.mu.Unlock()
	s.flush()
	return call, err
}

func (s *Server) placeCall(c Caller) (*Call, error) {
	if s.closed {
		return nil, fmt.Errorf("pbxsim: server closed")
	}
	shed := c.Overloaded != "" && s.drawShed(s.globals[c.Overloaded])
	if a := s.apps[c.App]; !shed && (a == nil || a.client == nil) {
		return nil, fmt.Errorf("pbxsim: Stasis app '%s' doesn't exist", c.App)
	}
	ep := c.Endpoint
	if ep == "" {
		ep = "PJSIP/trunk"
	}
	if _, _, ok := splitEndpoint(ep); !ok {
		return nil, fmt.Errorf("pbxsim: endpoint %q is not tech/resource", ep)
	}
	args := c.Args
	if args == nil {
		args = []string{"inbound", c.Exten}
		if c.Ringing {
			args = append(args, "ringing")
		}
	}
	ch := s.newChannel(ep, "")
	ch.state = "Ring"
	ch.inbound = true
	ch.caller = callerID{Name: c.Name, Number: c.Number}
	ch.rung = c.Ringing
	ch.dp = dialplanCEP{Context: "from-outside", Exten: c.Exten, Priority: 2}
	ch.then = c.Then
	call := &Call{s: s, ch: ch, done: make(chan struct{})}
	ch.call = call
	if shed {
		// Out of the application's sight: a plain Dial it never hears of.
		n, _ := strconv.Atoi(s.globals[c.Overloaded+"_CALLS"])
		s.globals[c.Overloaded+"_CALLS"] = strconv.Itoa(n + 1)
		call.shed, ch.left = true, true
		ch.dp = dialplanCEP{Context: "callcare-fallback", Exten: c.Exten, Priority: 1}
		s.chAfter(ch, 2*time.Second, func() { s.removeChannel(ch) })
		return call, nil
	}
	s.enterStasis(ch, c.App, args)
	if c.HangupAfter > 0 {
		s.chAfter(ch, c.HangupAfter, func() { s.personHangup(ch) })
	}
	s.runScript(ch, c.Script)
	return call, nil
}

// drawShed tells whether the dialplan sends this call to the fallback when
// share (percent) of calls go there: evenly, every 100/share-th call.
func (s *Server) drawShed(share string) bool {
	pct, _ := strconv.Atoi(share)
	s.shedDrawn += min(max(pct, 0), 100)
	if s.shedDrawn < 100 {
		return false
	}
	s.shedDrawn -= 100
	return true
}

// runScript arms a person's actions, times counted from now.
func (s *Server) runScript(ch *channel, script []Action) {
	for _, a := range script {
		a := a
		switch a.Do {
		case PressKeys:
			for i, d := range a.Digits {
				digit := string(d)
				s.chAfter(ch, a.At+time.Duration(i)*DigitGap+DigitDuration, func() { s.dtmf(ch, digit) })
			}
		default:
			s.chAfter(ch, a.At, func() { s.doAction(ch, a) })
		}
	}
}

func (s *Server) doAction(ch *channel, a Action) {
	switch a.Do {
	case Hangup:
		s.personHangup(ch)
	case Hold:
		if ch.held {
			return
		}
		ch.held = true
		s.emitChannel(ch, "ChannelHold", event{"musicclass": holdClass(ch.tech)})
		s.holdPeers(ch, true)
	case Transfer:
		s.blindTransfer(ch, a.Digits)
	case Unhold:
		if !ch.held {
			return
		}
		ch.held = false
		s.emitChannel(ch, "ChannelUnhold", nil)
		s.holdPeers(ch, false)
	}
}

// phoneJSON is Phone on the /sim control API, durations as "3s".
type phoneJSON struct {
	Mode        PhoneMode    `json:"mode"`
	RingAfter   jsonDuration `json:"ring_after"`
	AnswerAfter jsonDuration `json:"answer_after"`
	Script      []actionJSON `json:"script"`
}

type actionJSON struct {
	At     jsonDuration `json:"at"`
	Do     ActionKind   `json:"do"`
	Digits string       `json:"digits,omitempty"`
}

type callerJSON struct {
	Number      string       `json:"number"`
	Name        string       `json:"name"`
	Exten       string       `json:"exten"`
	App         string       `json:"app"`
	Args        []string     `json:"args"`
	Endpoint    string       `json:"endpoint"`
	HangupAfter jsonDuration `json:"hangup_after"`
	Script      []actionJSON `json:"script"`
	Ringing     bool         `json:"ringing"`
	Overloaded  string       `json:"overloaded"`
}

func (c callerJSON) caller() Caller {
	return Caller{
		Number: c.Number, Name: c.Name, Exten: c.Exten, App: c.App, Args: c.Args, Endpoint: c.Endpoint,
		HangupAfter: time.Duration(c.HangupAfter), Script: actionsFromJSON(c.Script), Ringing: c.Ringing,
		Overloaded: c.Overloaded,
	}
}

type jsonDuration time.Duration

func (d *jsonDuration) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case string:
		dd, err := time.ParseDuration(x)
		if err != nil {
			return err
		}
		*d = jsonDuration(dd)
	case float64:
		*d = jsonDuration(time.Duration(x * float64(time.Second)))
	case nil:
		*d = 0
	default:
		return fmt.Errorf("duration must be a string like \"3s\" or seconds")
	}
	return nil
}

func actionsFromJSON(in []actionJSON) []Action {
	out := make([]Action, 0, len(in))
	for _, a := range in {
		out = append(out, Action{At: time.Duration(a.At), Do: a.Do, Digits: a.Digits})
	}
	return out
}
