// Package callcare holds the domain of the service: clerks, departments, the
// procedure's settings and the records it keeps. It does no I/O; the adapters
// (config, sqlite, ari, agi) translate to and from these types, and policy
// decides over them.
package callcare
