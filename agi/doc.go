// Package agi is the FastAGI server the dialplan calls to tell the service
// what happened outside ARI. Its one hook today: a clerk's outbound call was
// answered ([ScriptOutboundAnswered]), which closes the callback task for
// that number (issue 5: "any clerk's outbound call to that number is
// answered"). We chose to have the dialplan notify the service rather than
// send clerks' outbound calls through Stasis: an outside call then never
// depends on the service being up.
//
// # The dialplan side
//
// dialplan/asterisk/extensions.conf, context from-clerks, dials an outside
// number with Dial()'s U() option, which runs a subroutine on the called
// channel when it answers, before it is connected to the clerk:
//
//	Dial(PJSIP/${CALLCARE_NUMBER}@trunk,,U(callcare-outbound-answered^${CALLCARE_NUMBER}^PJSIP/${CHANNEL(endpoint)}))
//
// and the subroutine runs
//
//	AGI(agi://127.0.0.1:4573/outbound-answered,${ARG1},${ARG2})
//
// Asterisk connects, writes a header block ("agi_network: yes",
// "agi_network_script: outbound-answered", agi_request, agi_channel, ...,
// "agi_arg_1: <number>", "agi_arg_2: PJSIP/101", a blank line; see
// testdata/route.fastagi.jsonl) and then waits for commands. The endpoint
// is the clerk's, taken on the clerk's own channel when Dial() starts: the
// desk phone Asterisk authenticated, never a caller id.
//
// # Ending a session: close the socket, send nothing
//
// The server reads the header, closes the connection without writing a
// byte, and only then calls [Hooks]. It never sends a command, so no
// caller-controlled text ever reaches one.
//
//   - Asterisk's run_agi (res/res_agi.c) treats the end of the stream as
//     "AGI Script ... completed": AGI() sets AGISTATUS=SUCCESS and the
//     dialplan goes on with Return(), so the clerk and the citizen are
//     connected.
//   - HANGUP is never sent. Inside U() the channel is the citizen's, just
//     answered; HANGUP would cut the call the clerk is making. (In the trace
//     the script sends HANGUP and gets "200 result=1": that ends the
//     channel, not the session.) A bare "HANGUP" line from Asterisk only
//     tells a script that the channel is gone; this server has stopped
//     reading by then.
//   - Closing before the hook matters: U() runs before the two are
//     connected, so the citizen waits in silence until AGI() returns. The
//     store's write must not add to that wait. Its failure cannot help the
//     call anyway; it is logged.
//
// Unknown scripts are logged and ended the same way; a malformed or cut
// header (a value with a newline in it, a key twice, too long) ends the
// session with no hook and a warning.
//
// # When the service is down
//
// Nothing listens on 4573, the connection is refused at once, AGI() sets
// AGISTATUS=FAILURE and returns 0: the subroutine goes on to Return() and
// the call connects as usual; the task stays open for a clerk to close. A
// service that is up but frozen (accepts and never answers) would hold the
// answered call until someone hangs up: Asterisk's AGI has no read timeout.
// That is why the server closes every session within HeaderTimeout.
//
// # Not the library
//
// github.com/CyCoreSystems/agi v0.6.4 is not used: its Listen reads each
// header on the accept goroutine (one silent client stalls all others) and
// has no deadlines or shutdown, and this hook sends no commands. The server
// runs its own accept loop, one goroutine per connection with deadlines,
// recovers a panicking hook, and on shutdown waits for sessions under way.
package agi
