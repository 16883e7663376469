// Package agi is the FastAGI server the dialplan calls to tell the service
// what happened outside ARI, and to ask it where a call goes. Its hooks:
//
//   - [ScriptOutboundAnswered]: a clerk's outbound call was answered, which
//     closes the callback task for that number (issue 5: "any clerk's
//     outbound call to that number is answered"). We chose to have the
//     dialplan notify the service rather than send clerks' outbound calls
//     through Stasis: an outside call then never depends on the service
//     being up.
//   - [ScriptRoute] and [ScriptMissed] (issue 9), for offices that keep
//     their own dialplan and use the service for absences and callbacks
//     only: route sets channel variables telling the dialplan whom to Dial
//     after absences and forwards; missed records a call nobody answered
//     into the callback queue. They are served once [Server.HandleCalls] is
//     given the hooks.
//
// # Route and missed: the dialplan lines
//
// An office's own context asks whom to ring, rings them, and from the h
// extension reports a call nobody answered:
//
//	exten => _XXX,1,Set(CALLCARE_DIALED=${FILTER(0-9,${EXTEN})})
//	 same => n,AGI(agi://127.0.0.1:4573/route,${CALLCARE_DIALED})
//	 same => n,GotoIf($["${CALLCARE_TARGET}" = ""]?nobody)
//	 same => n,Dial(${CALLCARE_TARGET},${CALLCARE_RING_SECONDS})
//	 same => n,Hangup()
//	 same => n(nobody),Playback(callcare/unknown-number)
//	 same => n,Hangup()
//	exten => h,1,AGI(agi://127.0.0.1:4573/missed,${CALLCARE_DIALED},${DIALSTATUS})
//
// route sets CALLCARE_TARGET (a Dial string: "PJSIP/112", or the members
// of a department joined by &; empty when the number reaches nobody or
// everyone who could take it is away), CALLCARE_RING_SECONDS (the
// procedure's rings) and CALLCARE_REASON (leave, sick_leave, training,
// field_work, or empty: why the call goes to a substitute, for the phone's
// display, P4d). Only the first step of the chain is given: what follows
// an unanswered Dial is the office's dialplan. A number dialed that is not
// digits reaches nobody and is never passed on, echoed or logged.
//
// route sends commands (SET VARIABLE, one reply read for each), each value
// quoted as Asterisk's parse_args reads it (a double quote groups, a
// backslash escapes the next character), as the trace shows: SET VARIABLE
// TARGET "SIP/101". A value with a control character is never sent: a
// newline would end the command. A bare HANGUP or a 511 from Asterisk ends
// the session. The service's answer is a moment's work; when the service
// is down the connection is refused, AGI() sets AGISTATUS=FAILURE,
// CALLCARE_TARGET stays empty, and the dialplan should ring the number
// itself.
//
// missed reads the caller id from the header (agi_callerid, which Asterisk
// writes as the channel has it: caller-controlled; only a callable number
// makes a task) and ends the session before recording, like the notice
// below. DIALSTATUS ANSWER records nothing; CANCEL (the caller gave up) is
// an abandoned call.
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
// For outbound-answered and missed, the server reads the header, closes the
// connection without writing a byte, and only then calls [Hooks]. It never
// sends a command, so no caller-controlled text ever reaches one.
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
// has no deadlines or shutdown; its SET VARIABLE sends the value unquoted
// (a space cuts it, a newline injects a command), and a bare HANGUP from
// Asterisk shifts every later reply by one. route sends three commands and
// reads three replies itself. The server
// runs its own accept loop, one goroutine per connection with deadlines,
// recovers a panicking hook, and on shutdown waits for sessions under way.
package agi
