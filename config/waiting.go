package config

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/callcare/callcare"
)

// mohClassRe is a class of musiconhold.conf: a section name.
var mohClassRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,80}$`)

// Limits of the waiting: section.
const (
	// MinAnnounceEvery: more often, the announcements leave no music.
	MinAnnounceEvery = 10 * time.Second
	// MaxAnnounceEvery: P4p, nobody waits longer without hearing why.
	MaxAnnounceEvery = 2 * time.Minute
)

// buildWaiting checks waiting:, how waiting callers are kept informed.
func (p *parser) buildWaiting(rw *FileWaiting) callcare.Waiting {
	const base = "waiting."
	w := callcare.Waiting{
		AnnounceEvery:  time.Duration(rw.AnnounceEvery),
		HoldOfferAfter: time.Duration(rw.HoldOfferAfter),
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
	if usable("music_class") {
		w.MusicClass = p.musicClass(base+"music_class", rw.MusicClass)
	}
	return w
}

// buildMusic checks departments[].music_class.
func (p *parser) buildMusic(f *File, c *Config) {
	for i, rd := range f.Departments {
		path := fmt.Sprintf("departments[%d].music_class", i)
		if !p.has(path) || i >= len(c.Directory.Departments) {
			continue
		}
		class := p.musicClass(path, rd.Music)
		number := strings.TrimSpace(rd.Number)
		for j := range c.Directory.Departments {
			if c.Directory.Departments[j].Number == number {
				c.Directory.Departments[j].MusicClass = class
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
