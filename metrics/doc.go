// Package metrics is the service's Prometheus adapter: what the office's
// monitoring scrapes at /metrics, and the health (/healthz) and readiness
// (/readyz) of the service, on one loopback listener.
//
// It changes nothing on the call path. The figures of calls come from the
// steps the ARI shell tells its observer of (Observe: each step of each
// call, with the call record as it stands and what the caller waits
// through); the figures of the event stream and of REST requests from the
// shell's Meter hooks (LinkUp, LinkDown, Request); the callback tasks'
// from the store, read at each scrape through the root's contracts; the
// configuration's reloads from the command that reloads (Reloaded).
//
// What counts is what the procedure asks: calls by outcome, the rings a
// caller heard until a clerk answered (P4a: the share within 3 rings is
// the histogram's bucket le="3" over its count), calls moved on along the
// overflow chain, missed calls, holds and waits in line (P4h, P4p, P5.3),
// transfers and those that came back (P4o), callbacks open, overdue and
// closed and the age of the oldest open one (P4c), how late agreed-time
// callbacks started (P4m), and waits without an announcement: any wait
// that passes the policy's bound (policy.Inbound.Waiting) with the caller
// hearing nothing, being offered nothing and reaching nobody. That one
// must stay 0. README.md lists every metric.
//
// Counters live as long as the process: a call a dead run left, adopted
// by this one, counts only what happens to it from here on.
package metrics
