// Package policy is where the procedure's decisions live, one rule in one
// place. It is pure: it takes what happened and the current time, and returns
// what to do and when it next needs to be woken. It knows nothing of ARI,
// SQL, sockets, goroutines or clocks; the shell (package ari) feeds it events
// and carries out its actions, and tests prove each rule without a server.
//
// Rules implemented here:
//   - P4a, answer by the 3rd ring: inbound.go counts rings from the clerk's
//     first RINGING and overflows along the chain when the limit passes.
//   - P4l: when the clerk hangs up first, the caller hears closing words
//     instead of a dead line (inbound.go, legGone).
//   - P4c (recording what a callback needs): a call that nobody answered ends
//     missed or abandoned with the caller, the number dialed, the intended
//     target and the rings heard.
package policy
