// Package dialplan turns a dialed number into what it reaches, and makes
// the Asterisk dialplan an office installs so that calls reach the service.
//
// [Resolve] is pure: the staff directory and the dialed text in, a clerk or a
// department out. The dialed number is caller-controlled text (it arrives as
// a Stasis argument), so Resolve only compares it and never builds anything
// from it.
//
// [Render] is pure too: a [Plan] (the directory, the procedure's ring
// seconds, the feature codes, the secretariat, as callcare.yaml has them)
// in, extensions.conf out, so admins never keep two lists. `callcare
// dialplan render` writes it; asterisk/extensions.conf is its output for
// callcare.example.yaml, and a test keeps the two equal. It writes:
//
//   - callcare-numbers: every office number (departments, clerks'
//     extensions, dedicated lines) into callcare-inbound, which runs
//     Ringing() then Stasis(callcare,inbound,${EXTEN},ringing); any other number hears that it
//     reaches nobody. from-outside (the trunk) and from-clerks (desk
//     phones) include it; a citizen reaches nothing else.
//   - callcare-fallback: when the service is down, Stasis() fails at once
//     with STASISSTATUS FAILED and the dialplan rings the clerk (or the
//     department's members) for the procedure's rings, then the
//     secretariat, so a call still reaches someone.
//   - from-clerks: the callback queue's code (*70) and the forward codes
//     (*21, *20) with the desk phone Asterisk authenticated:
//     PJSIP/${CHANNEL(endpoint)}, SIP/${CHANNEL(peername)} on chan_sip,
//     or a subroutine (callcare-desk-phone) when the office has both; and
//     outside calls with the FastAGI notice when answered.
//
// The other snippets in asterisk/ (also embedded as [Asterisk]) are written
// by hand: ari.conf (the ARI user comes from secrets/), http.conf
// (Asterisk's HTTP server on 127.0.0.1:8088, which ARI uses), pjsip.conf and
// musiconhold.conf of the compose setup.
package dialplan
