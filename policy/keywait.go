package policy

import (
	"fmt"
	"time"
)

// keyWait is a citizen's wait for a key after a menu: long (P5.1: the key
// timeout, 10 s by default, so nobody is rushed), but never more than a
// ring cycle of silence (P4p): each ring cycle without a key, a short
// reminder is said ("we are waiting for your choice") and the wait goes on.
// Only when the whole key timeout has passed in silence does the menu act
// on it (say the choices again, or reach a person).
type keyWait struct {
	left      time.Duration // silence still allowed before the wait is over
	reminding string        // the reminder playing, if one is
	said      int           // reminders said, for their playback ids
}

// begin starts the wait when the menu's prompts end: the deadline of its
// first stretch of silence.
func (k *keyWait) begin(now time.Time, timeout, cycle time.Duration) time.Time {
	k.left = timeout
	return k.next(now, cycle)
}

// next is the deadline of the next stretch of silence: a ring cycle, or
// what is left of the wait if that is shorter.
func (k *keyWait) next(now time.Time, cycle time.Duration) time.Time {
	d := k.left
	if cycle > 0 && cycle < d {
		d = cycle
	}
	k.left -= d
	return now.Add(d)
}

// remind says the reminder when a stretch of silence passed and the wait
// is not over; it returns nil when the wait is over.
func (k *keyWait) remind(call, sound string) []Action {
	if k.left <= 0 {
		return nil
	}
	k.said++
	k.reminding = fmt.Sprintf("%s-remind%d", call, k.said)
	return []Action{Say{Playback: k.reminding, Media: []string{"sound:" + sound}}}
}

// reminded tells whether playback was the reminder, which has ended: the
// wait goes on (the caller answers the deadline with next).
func (k *keyWait) reminded(playback string) bool {
	if playback == "" || playback != k.reminding {
		return false
	}
	k.reminding = ""
	return true
}

// stop ends the wait, and stops a reminder still playing: a key came.
func (k *keyWait) stop() []Action {
	k.left = 0
	if k.reminding == "" {
		return nil
	}
	p := k.reminding
	k.reminding = ""
	return []Action{StopPlayback{Playback: p}}
}
