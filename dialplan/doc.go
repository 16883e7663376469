// Package dialplan turns a dialed number into what it reaches, and ships the
// Asterisk configuration an office installs so that calls reach the service.
//
// [Resolve] is pure: the staff directory and the dialed text in, a clerk or a
// department out. The dialed number is caller-controlled text (it arrives as
// a Stasis argument), so Resolve only compares it and never builds anything
// from it.
//
// The snippets in asterisk/ (also embedded as [Asterisk]) are:
//
//   - extensions.conf: the contexts from-outside (the trunk) and from-clerks
//     (desk phones). Office numbers go to Stasis(callcare,inbound,${EXTEN}).
//     When the service is down, Stasis() fails at once with STASISSTATUS
//     FAILED and the dialplan dials the person (or the secretariat) itself,
//     so a call still reaches someone.
//   - ari.conf: the ARI user callcare (the password is a placeholder; give the
//     service the same one through CALLCARE_ARI_PASSWORD or password_file).
//   - http.conf: Asterisk's HTTP server on 127.0.0.1:8088, which ARI uses.
package dialplan
