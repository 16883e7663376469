package callcare

import "time"

// Waiting is how the office keeps a caller who waits informed (P4h, P4p):
// on hold, while being transferred, in a department's waiting line. Nobody
// waits longer than AnnounceEvery without hearing why, and a long wait
// offers a callback instead.
type Waiting struct {
	// AnnounceEvery: a waiting caller hears why at once, then again after
	// this long, and so on.
	AnnounceEvery time.Duration
	// HoldOfferAfter: a hold longer than this offers the caller a callback
	// (press 1) between the music.
	HoldOfferAfter time.Duration
	// MusicClass is the music-on-hold class (Asterisk's musiconhold.conf)
	// of the departments that name none of their own.
	MusicClass string
	// LineMaxWait: a caller waiting in a department's line longer than
	// this is offered a callback at every announcement (P5.3, P4p).
	LineMaxWait time.Duration
	// TransferPrefix starts a transfer a clerk keys in during a call, the
	// fallback of the desk phone's own transfer key (P4o): the prefix, the
	// number, then # or a pause. Empty: no keyed transfers.
	TransferPrefix string
	// DisplayLength is how many characters the desk phones display of a
	// caller id name, where the service says why a call comes (P4d).
	DisplayLength int
	// SlotLength is the length of the times a caller may pick for a
	// callback when the clerk is busy (P4b): they start on its multiples
	// of the day, within office hours.
	SlotLength time.Duration
}

// DefaultMusicClass is the class Asterisk plays when none is named.
const DefaultMusicClass = "default"

// DefaultWaiting is what the office does unless its configuration says
// otherwise.
var DefaultWaiting = Waiting{
	AnnounceEvery:  30 * time.Second,
	HoldOfferAfter: 2 * time.Minute,
	MusicClass:     DefaultMusicClass,
	LineMaxWait:    5 * time.Minute,
	SlotLength:     30 * time.Minute,
	TransferPrefix: "##",
	DisplayLength:  20,
}

// MusicOf is the music-on-hold class of a department: its own, else the
// office's.
func (w Waiting) MusicOf(d Department) string {
	if d.MusicClass != "" {
		return d.MusicClass
	}
	if w.MusicClass != "" {
		return w.MusicClass
	}
	return DefaultMusicClass
}
