package policy

import (
	"strings"
	"time"
)

// keyedNumber collects a transfer keyed in by a clerk during a call (P4o,
// the DTMF fallback of a phone without a transfer key): the prefix, the
// number, then # or a pause. A citizen's call (transfer.go) and a
// callback's conversation (desk_keys.go) read it alike.
type keyedNumber struct {
	keys string    // the keys so far, the prefix first
	done time.Time // the pause that ends the number; zero before a digit
}

// add takes a key. taken: it belongs to the keyed number (a key that
// does not is the conversation's, or another key's such as the flag);
// complete: # ended the number, which number then gives.
func (k *keyedNumber) add(key, prefix string, now time.Time, pause time.Duration) (taken, complete bool) {
	keys := k.keys + key
	switch {
	case len(keys) <= len(prefix):
		if !strings.HasPrefix(prefix, keys) {
			k.keys = ""
			return false, false
		}
		k.keys = keys
		return true, false
	case key == "#":
		return true, true
	case key >= "0" && key <= "9":
		k.keys, k.done = keys, now.Add(pause)
		return true, false
	}
	k.keys = ""
	return true, false
}

// paused tells whether the pause after the last digit has passed.
func (k *keyedNumber) paused(now time.Time) bool {
	return !k.done.IsZero() && !now.Before(k.done)
}

// number is the number keyed in ("" for none), and starts afresh.
func (k *keyedNumber) number(prefix string) string {
	n := strings.TrimPrefix(k.keys, prefix)
	*k = keyedNumber{}
	return n
}

// sooner is the earlier of two moments; a zero one is none.
func sooner(a, b time.Time) time.Time {
	if a.IsZero() || !b.IsZero() && b.Before(a) {
		return b
	}
	return a
}
