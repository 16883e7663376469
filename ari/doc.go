// Package ari is the shell between Asterisk's REST Interface and the policy.
//
// It uses github.com/CyCoreSystems/ari/v5 for what works there: the event
// model (ari.DecodeEvent and the typed events) and the resource data types.
// It owns the two wires, because the v5.3.1 native client cannot be trusted
// with them in a town hall's PBX:
//   - the WebSocket: the native reader crashes the process on an event type
//     it does not know (Asterisk 20 sends several), reconnects silently and
//     drops events for slow subscribers. Link reads frames itself, skips and
//     counts unknown types, and reports a drop and a return as events.
//   - REST: the native client has no deadline on any request. Client gives
//     every request one, and turns Asterisk's error answers into *Error, so
//     a 404 for a channel already gone is recognised as the normal race it is.
//
// Service routes each event by channel id to the one goroutine that owns the
// call (call.go); that goroutine feeds the policy and carries out its actions
// in order, so a hangup never overtakes the create it cancels.
package ari
