// Package agi will hold the FastAGI hooks the dialplan calls (absences and
// forwards set from the desk phone, the clerks' outbound calls). It is empty
// until the first hook: the call path runs entirely over ARI.
//
// When it comes, it runs its own accept loop with deadlines: the
// github.com/CyCoreSystems/agi library reads each connection's header on
// the accept goroutine, so one silent client would stall every other.
package agi
