package config

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/callcare/callcare"
)

var (
	// mohClassRe is a class of musiconhold.conf: a section name.
	mohClassRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,80}$`)
	// transferPrefixRe: keys a clerk presses before a number; * is the
	// key that flags special needs (P5.3).
	transferPrefixRe = regexp.MustCompile(`^[#0-9][*#0-9]{0,3}$`)
)

// Limits of the waiting: section.
const (
	// MinAnnounceEvery: more often, the announcements leave no music.
	MinAnnounceEvery = 10 * time.Second
	// MaxAnnounceEvery: P4p, nobody waits longer without hearing why.
	MaxAnnounceEvery = 2 * time.Minute
	MinSlotLength    = 10 * time.Minute
	MaxSlotLength    = 4 * time.Hour
)

// buildWaiting checks waiting:, how waiting callers are kept informed.
func (p *parser) buildWaiting(rw *FileWaiting) callcare.Waiting {
	const base = "waiting."
	w := callcare.Waiting{
		AnnounceEvery:  time.Duration(rw.AnnounceEvery),
		HoldOfferAfter: time.Duration(rw.HoldOfferAfter),
		LineMaxWait:    time.Duration(rw.LineMaxWait),
		SlotLength:     time.Duration(rw.SlotLength),
		DisplayLength:  rw.DisplayLength,
	}
	problem := func(key, format string, args ...any) {
		p.add(base+key, p.lineOf(base+key), format, args...)
	}
	usable := func(key string) bool { return p.usable(base + key) }
	if usable("announce_every") && (w.AnnounceEvery < MinAnnounceEvery || w.AnnounceEvery > MaxAnnounceEvery) {
		problem("announce_every", "must be from %s to %s, not %s: a waiting caller hears why they wait at this interval (P4p)",
			short(MinAnnounceEvery), short(MaxAnnounceEvery), short(w.AnnounceEvery))
	}
	if usable("hold_offer_after") && w.HoldOfferAfter <= 0 {
		problem("hold_offer_after", "must be longer than zero, not %s", short(w.HoldOfferAfter))
	}
	if usable("line_max_wait") && w.LineMaxWait <= 0 {
		problem("line_max_wait", "must be longer than zero, not %s", short(w.LineMaxWait))
	}
	if usable("slot_length") && (w.SlotLength < MinSlotLength || w.SlotLength > MaxSlotLength || (24*time.Hour)%w.SlotLength != 0) {
		problem("slot_length", "must divide a day, from %s to %s, not %s: the times a caller picks for a callback start on its multiples", short(MinSlotLength), short(MaxSlotLength), short(w.SlotLength))
	}
	if usable("display_length") && (w.DisplayLength < 8 || w.DisplayLength > 64) {
		problem("display_length", "must be from 8 to 64, not %d: the characters a desk phone displays of a caller id name", w.DisplayLength)
	}
	if usable("transfer_prefix") {
		switch v := strings.TrimSpace(rw.TransferPrefix); {
		case v == "" || v == "off":
			w.TransferPrefix = ""
		case !transferPrefixRe.MatchString(v):
			problem("transfer_prefix", "%q is not a key prefix: up to 4 of # and digits, not starting with * (the special-needs key), such as ##; or off", v)
		default:
			w.TransferPrefix = v
		}
	}
	if usable("music_class") {
		w.MusicClass = p.musicClass(base+"music_class", rw.MusicClass)
	}
	return w
}

// buildMusic checks departments[].music_class and departments[].when_busy.
func (p *parser) buildMusic(f *File, c *Config) {
	set := func(number string, change func(*callcare.Department)) {
		for j := range c.Directory.Departments {
			if c.Directory.Departments[j].Number == number {
				change(&c.Directory.Departments[j])
			}
		}
	}
	for i, rd := range f.Departments {
		number := strings.TrimSpace(rd.Number)
		set(number, func(d *callcare.Department) { d.WhenBusy = callcare.BusyOverflow })
		if path := fmt.Sprintf("departments[%d].music_class", i); p.has(path) {
			class := p.musicClass(path, rd.Music)
			set(number, func(d *callcare.Department) { d.MusicClass = class })
		}
		if path := fmt.Sprintf("departments[%d].when_busy", i); p.has(path) {
			switch v := callcare.BusyPolicy(strings.TrimSpace(rd.WhenBusy)); v {
			case callcare.BusyOverflow, callcare.BusyOffer:
				set(number, func(d *callcare.Department) { d.WhenBusy = v })
			default:
				p.add(path, p.lineOf(path), "unknown %q; use %q (the next person rings at once) or %q (a callback is offered)", v, callcare.BusyOverflow, callcare.BusyOffer)
			}
		}
	}
}

func (p *parser) musicClass(path, v string) string {
	v = strings.TrimSpace(v)
	if !mohClassRe.MatchString(v) {
		p.add(path, p.lineOf(path), "%q is not a music-on-hold class of musiconhold.conf (letters, digits, _ and -), such as %s", v, callcare.DefaultMusicClass)
		return ""
	}
	return v
}
