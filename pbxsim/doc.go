// Package pbxsim is a simulated Asterisk 20 for tests, benchmarks and the
// demo: ARI's REST interface under /ari and its event WebSocket at
// /ari/events, served on a loopback port like net/http/httptest.
//
//	pbx := pbxsim.NewServer(pbxsim.Options{})
//	defer pbx.Close()
//	pbx.SetPhone("PJSIP/101", pbxsim.Phone{AnswerAfter: 3 * time.Second})
//	// connect an ARI client to pbx.URL() and pbx.WebsocketURL() as app "callcare"
//	call, err := pbx.Call(pbxsim.Caller{Number: "48600100200", Exten: "100", App: "callcare"})
//
// # What it simulates
//
// The parts of ARI a Stasis application uses, held to recordings of a real
// Asterisk 20 (the traces in testdata/traces) and to its Swagger
// specification:
//   - applications: an application exists only while a WebSocket holds it;
//     a second socket for the same name gets ApplicationReplaced sent to
//     the first; event filters (allowed/disallowed event types) apply to
//     what is sent.
//   - channels: ids like "1795478171.12" unless the client picks one, opaque
//     names like "PJSIP/101-00000001", states Down, Ring, Ringing, Up; create
//     and dial (with caller and timeout), originate (Stasis only once
//     answered; timeout counted from the originate), answer, ring, hold,
//     music on hold, play, record, variables, redirect, continue, move,
//     hangup with reason.
//   - the events Asterisk sends and their order, including the surprises:
//     Dial never carries caller; an originated channel's Dial events come
//     before its StasisStart; a dial timeout ends with the channel's hangup
//     and no NOANSWER; a busy created channel stays in Stasis; DTMF does not
//     stop a playback; a created channel's StasisStart and a PlaybackStarted
//     come before the REST reply; ChannelDestroyed follows StasisEnd only
//     for channels that took part in a dial or shared a bridge.
//   - bridges (mixing and holding), their members, music on hold and
//     playbacks; playbacks with ids and lengths (see knownSounds); a tone:
//     plays until stopped; a playback on an unanswered channel is early
//     media.
//   - a desk phone's hold: Asterisk's own music to the other party, of its
//     CHANNEL(musicclass), replaced by a playback and back after it
//     (hold.go); a desk phone's own transfer key: the Local channel pair a
//     blind transfer swaps in (transfer.go); a variable request carried
//     out only when the channel's playback ends, and counted
//     (Stats.HeldBehindPlayback).
//   - desk phones (Phone: answers, never answers, busy, unavailable,
//     rejects, congested; a script of hangup, hold, unhold, keys and the
//     transfer key) and
//     citizens calling in (Caller, Call), on the injectable clock.
//   - misbehaviour: DropWebSocket, Restart, SetEventDelay, FailRequests
//     (a chosen request N times; the WebSocket handshake too), Freeze (a
//     hung Asterisk: connections accepted, nothing answered, no pong),
//     InjectEvent (for event types a client library does not know). A
//     client that goes away without a word (a crash) leaves its channels
//     in Stasis, as Asterisk does, for the next client to find.
//
// Every mistake gets the status and JSON message Asterisk gives (the errors
// table of the traces' README); a path outside the specification is 404
// "Resource not found".
//
// # What it does not simulate
//
// Media and codecs (no RTP: Call.Heard only lists what would be heard), SIP
// and its details (no registrations, no INVITE/REFER, no From headers),
// the dialplan beyond the Stasis() arguments a Caller brings (Caller.Then
// stands in for the priority after Stasis), endpoints and device states,
// snoop, external media, mailboxes, the asterisk/config and logging
// resources, and most ChannelVarset noise (it sends STASISSTATUS,
// BRIDGEPEER, BRIDGEPVTCALLID and variables the app sets, not RTP QoS).
//
// # Time
//
// All state sits behind one mutex; every timer runs on Options.Clock, so a
// scaled clock runs a 15-second ring limit in milliseconds, and a
// clock.Fake runs it when a test says so. A test that moves a fake clock
// fires the next timer only once the simulator has nothing under way
// (Activity: no request being served, every event written to its socket)
// and its client has read what was written (Activity.Sent, by the
// client's address): then every consequence of one timer, over real
// sockets, comes before the next. Close reports what is left (channels,
// bridges, playbacks, timers); WaitApp waits for a client to hold an
// application, or to be gone.
package pbxsim
