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
//     instead of a dead line (inbound.go, legGone), and the clerk is named
//     in the record for the report.
//   - P4c (recording what a callback needs): a call that nobody answered ends
//     missed or abandoned with the caller, the number dialed, the intended
//     target and the rings heard; callback.go turns it into a task and
//     decides the retries. A caller it cannot call back (a hidden number)
//     is never offered or promised a callback anywhere: inbound.go's
//     callable and promising say so to each wait and last message.
//   - P4c, P4i, P4m on the desk phone: queue.go (the clerk works the
//     callback queue) and agreed.go (the clerk is rung at a callback's
//     agreed time) share desk.go, which reads a task out, calls the citizen
//     back and records how it went. Where the two differ, desk hands a turn
//     back to its owner.
//   - P4c, absences: route.go decides where a call goes from the directory,
//     the absences in force (callcare.yaml's and the forwards set by phone)
//     and the time: an absent clerk is never rung, who covers them is rung
//     in their place for the same rings, with the same overflow after;
//     forwards that loop at call time go on to the department. It also
//     decides who an absent clerk's agreed callback rings and whose
//     callbacks a substitute's queue holds. forward.go is the desk phone's
//     forward codes (*21, *20): set or clear, and say what is in force.
//   - Whoever waits hears why (P4p), each wait in a file of its own: a
//     clerk's hold (hold.go, P4h), the overflow (overflow.go), a busy
//     clerk's caller offered a callback or a time (busy.go, slots.go, P4b),
//     a department's waiting line (line.go orders it, inline.go is the
//     call in it, P5.3), transfers (transfer.go, P4o), and what a ringing
//     desk phone shows (display.go, P4d). wait.go names each wait and the
//     bound the P4p tables hold every state to.
//
// Every machine has the same three methods: Step(event, now) returns the
// actions to carry out in order, Deadline says when it wants a TimerFired,
// Done says it is over. A change of the channel a machine talks to is an
// action too (OwnChannel), never something the shell infers.
package policy
