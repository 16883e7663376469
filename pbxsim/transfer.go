package pbxsim

import "fmt"

// A desk phone's own transfer key in a bridge of the application, as a
// real Asterisk 20 does it (traces blind-transfer on chan_sip and
// blind-transfer-pjsip): the phone's REFER makes Asterisk swap a Local
// channel pair in for the phone. The ;2 half runs the clerks' dialplan,
// which here re-enters the phone's application as Stasis(app,inbound,TO)
// with an empty caller id; the ;1 half enters the application with no
// args and replace_channel naming the phone's channel, and takes the
// phone's place in the bridge; BridgeBlindTransfer comes last. The phone
// is told the transfer succeeded at once, is not hung up (it hangs up by
// itself, and no ChannelDestroyed follows its StasisEnd), and nothing
// happens to the other party's channel. Asterisk never cleans the Local
// pair up: the application must.
//
// The pair passes on what the application does to ;2: ring and answer
// show on ;1 (a Dial RINGING, Dial ANSWER with ;1 as the peer); a hangup
// of either half asks the other to hang up too, which stays in Stasis.

// blindTransfer is the phone of ch pressing its transfer key to number to.
func (s *Server) blindTransfer(ch *channel, to string) {
	b := ch.bridge
	if b == nil || !ch.inStasis || to == "" {
		return
	}
	var other *channel
	for _, m := range b.members {
		if m != ch {
			other = m
		}
	}
	if other == nil {
		return
	}
	before := b.json()
	if ch.tech == "SIP" {
		s.setVar(other, "SIPREFERRINGCONTEXT", "from-clerks")
	}
	s.setVar(other, "__SIPREFERREDBYHDR", fmt.Sprintf("<sip:127.0.0.1:%s>", ch.resource))
	s.emitChannel(ch, "ChannelUnhold", nil)
	s.setVar(other, "BLINDTRANSFER", ch.name)
	s.setVar(ch, "BLINDTRANSFER", other.name)

	s.localSeq++
	base := fmt.Sprintf("Local/%s@from-clerks-%08x", to, s.localSeq)
	one := s.newLocal(base+";1", to, 1)
	two := s.newLocal(base+";2", to, 2)
	one.peer, two.peer = two, one
	two.state = "Ring"
	two.inbound = true
	two.dp.AppName, two.dp.AppData = "Stasis", ch.app+",inbound,"+to
	one.app = ch.app
	one.dp.AppName, one.dp.AppData = "Stasis", ch.app
	enterOne := func() {
		one.inStasis = true
		s.emitChannel(one, "StasisStart", event{"args": []string{}, "replace_channel": ch.json()})
	}
	if s.localOneFirst {
		enterOne()
		s.enterStasis(two, ch.app, []string{"inbound", to})
	} else {
		s.enterStasis(two, ch.app, []string{"inbound", to})
		enterOne()
	}

	ch.transferred = true
	s.leaveBridge(ch)
	s.joinBridge(b, one)      // ;1 shows the other party as its connected line
	two.caller = other.caller // shown at its answer (ChannelCallerId)
	oneJSON := one.json()
	oneJSON.Dialplan.AppName, oneJSON.Dialplan.AppData = "", ""
	s.emitChannel(ch, "BridgeBlindTransfer", event{
		"bridge": before, "context": "from-clerks", "exten": to, "is_external": true,
		"replace_channel": oneJSON, "result": "Success", "transferee": other.json(),
	})
}

// SetTransferOneFirst makes a transfer's Local pair reach the application
// ;1 first, as the real Asterisk's threads sometimes deliver it: the traces
// have ;2 first by a millisecond, and the lab's chan_sip gave ;1 first on
// 2026-11-30.
func (s *Server) SetTransferOneFirst(on bool) {
	s.mu.Lock()
	s.localOneFirst = on
	s.mu.Unlock()
}

func (s *Server) newLocal(name, exten string, priority int) *channel {
	ch := s.newChannel("Local/"+exten, "")
	ch.name = name
	ch.protocolID = ""
	ch.local = true
	ch.linked = true
	ch.dp = dialplanCEP{Context: "from-clerks", Exten: exten, Priority: priority}
	return ch
}

// localRing: the application rings ;2; its ;1 half shows it.
func (s *Server) localRing(two *channel) {
	one := two.peer
	if one == nil || one.gone || one.state != "Down" {
		return
	}
	s.setState(one, "Ringing")
	s.dialEvent(one, "RINGING", "")
}

// localAnswer: the application answers ;2; ;1 is up too, and ;2 now shows
// the caller id of the party on ;1's side.
func (s *Server) localAnswer(two *channel) {
	s.emitChannel(two, "ChannelCallerId", event{"caller_presentation": 0, "caller_presentation_txt": "Presentation Allowed, Not Screened"})
	one := two.peer
	if one == nil || one.gone {
		return
	}
	s.setState(one, "Up")
	s.dialEvent(one, "ANSWER", "")
}

// localHangup: one half of a Local pair is hung up; the other is asked to
// hang up too (cause 16) and stays in Stasis until the application ends it.
func (s *Server) localHangup(ch *channel) {
	p := ch.peer
	ch.peer = nil
	if p == nil || p.gone {
		return
	}
	p.peer = nil
	if p.inStasis {
		s.emitChannel(p, "ChannelHangupRequest", event{"cause": 16})
	}
}
