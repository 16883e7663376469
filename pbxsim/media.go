package pbxsim

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// knownSounds are the sounds the simulator can play, with their length.
// The first six are measured on the lab's Asterisk (a little under the
// shortest run seen, so a client reacting to PlaybackFinished keeps its order); the rest are common
// core sounds with a plausible length. Options.Sounds adds more.
var knownSounds = map[string]time.Duration{
	"beep":                    250 * time.Millisecond,
	"vm-press":                650 * time.Millisecond,
	"vm-goodbye":              820 * time.Millisecond,
	"auth-thankyou":           870 * time.Millisecond,
	"pls-hold-while-try":      2400 * time.Millisecond,
	"lab-long":                20 * time.Second,
	"hello-world":             1200 * time.Millisecond,
	"demo-congrats":           15 * time.Second,
	"vm-intro":                3 * time.Second,
	"vm-nobodyavail":          2 * time.Second,
	"vm-isunavail":            1500 * time.Millisecond,
	"vm-rec-name":             2 * time.Second,
	"pls-wait-connect-call":   2 * time.Second,
	"please-try-again":        1500 * time.Millisecond,
	"queue-thankyou":          2 * time.Second,
	"queue-periodic-announce": 3 * time.Second,
	"conf-onlyperson":         2 * time.Second,
	"tt-allbusy":              3 * time.Second,
	"tt-weasels":              4 * time.Second,
	"all-circuits-busy-now":   2 * time.Second,
	"transfer":                1 * time.Second,
	"pbx-transfer":            1 * time.Second,
	"agent-loggedoff":         1500 * time.Millisecond,
	"silence/1":               1 * time.Second,
	"silence/2":               2 * time.Second,
	"silence/5":               5 * time.Second,
	// Stock core sounds callcare's defaults use.
	"ss-noservice":        2500 * time.Millisecond,
	"vm-nomore":           1500 * time.Millisecond,
	"vm-youhave":          700 * time.Millisecond,
	"vm-from-phonenumber": 1200 * time.Millisecond,
	"vm-received":         800 * time.Millisecond,
	// Said numbers: one word each (callcare says numbers with these, not
	// with digits: and number:, which a real Asterisk cannot stop).
	"digits/hundred": 500 * time.Millisecond,
	"digits/oh":      300 * time.Millisecond,
	"digits/day-0":   600 * time.Millisecond,
	"digits/day-1":   600 * time.Millisecond,
	"digits/day-2":   600 * time.Millisecond,
	"digits/day-3":   600 * time.Millisecond,
	"digits/day-4":   600 * time.Millisecond,
	"digits/day-5":   600 * time.Millisecond,
	"digits/day-6":   600 * time.Millisecond,
}

func init() {
	for n := 0; n <= 20; n++ {
		knownSounds["digits/"+strconv.Itoa(n)] = 450 * time.Millisecond
	}
	for n := 30; n <= 90; n += 10 {
		knownSounds["digits/"+strconv.Itoa(n)] = 500 * time.Millisecond
	}
	// Polish: hours as ordinals, minutes in the feminine, hundreds as
	// words (the files callcare prompts build makes; Asterisk's say.c
	// asks for the same).
	for h := 1; h <= 24; h++ {
		knownSounds["digits/t-"+strconv.Itoa(h)] = 700 * time.Millisecond
	}
	for n := 100; n <= 900; n += 100 {
		knownSounds["digits/"+strconv.Itoa(n)] = 600 * time.Millisecond
	}
	knownSounds["digits/1z"] = 450 * time.Millisecond
	knownSounds["digits/2z"] = 450 * time.Millisecond
}

// otherMediaLength is the length of digits:, number:, characters: media;
// a tone: plays until stopped.
const otherMediaLength = time.Second

// playback is one ARI playback on a channel or a bridge. Its media may be a
// list, played one after another: PlaybackContinuing between them.
type playback struct {
	id, media, target string
	items             []string // the media list; media is items[idx]
	idx               int
	ch                *channel
	b                 *bridge
	state             string
	lang              string
	timer             *simTimer // the end of the current item
}

func (p *playback) json() playbackJSON {
	j := playbackJSON{ID: p.id, Language: p.lang, MediaURI: p.media, State: p.state, TargetURI: p.target}
	if p.idx+1 < len(p.items) {
		j.NextMedia = p.items[p.idx+1]
	}
	return j
}

func (s *Server) emitPlayback(p *playback, typ string) {
	ev := event{"playback": p.json()}
	if p.ch != nil {
		s.emit(p.ch.app, typ, ev)
		return
	}
	for _, a := range p.b.apps {
		s.emit(a, typ, event{"playback": p.json()})
	}
}

func (s *Server) channelPlay(r *request) reply {
	ch, rep := s.stasisChannel(r)
	if rep != nil {
		return *rep
	}
	if ch.state == "Down" {
		return fail(http.StatusPreconditionFailed, "Channel in invalid state")
	}
	p, rep := s.newPlayback(r, "channel:"+ch.id)
	if rep != nil {
		return *rep
	}
	p.ch = ch
	body := p.json()
	if ch.playing == nil {
		s.startPlayback(p)
	} else {
		ch.queued = append(ch.queued, p)
	}
	return created(body)
}

func (s *Server) bridgePlay(r *request) reply {
	b, rep := s.bridgeIn(r)
	if rep != nil {
		return *rep
	}
	p, rep := s.newPlayback(r, "bridge:"+b.id)
	if rep != nil {
		return *rep
	}
	p.b = b
	body := p.json()
	if b.playing == nil {
		s.startPlayback(p)
	} else {
		b.queued = append(b.queued, p)
	}
	return created(body)
}

func (s *Server) newPlayback(r *request, target string) (*playback, *reply) {
	media := r.params["media"]
	if media == "" {
		rep := fail(http.StatusBadRequest, "Required parameter media not present")
		return nil, &rep
	}
	id := r.p("playbackId")
	if id == "" {
		id = newUUID()
	} else if s.playbacks[id] != nil {
		rep := fail(http.StatusConflict, "Playback with the given id already exists")
		return nil, &rep
	}
	lang := r.params["lang"]
	if lang == "" {
		lang = "en"
	}
	items := strings.Split(media, ",")
	p := &playback{id: id, media: items[0], items: items, target: target, state: "queued", lang: lang}
	s.playbacks[id] = p
	return p, nil
}

// mediaLength says how long media plays; false if it cannot be played.
func (s *Server) mediaLength(media string) (time.Duration, bool, bool) {
	scheme, name, _ := strings.Cut(media, ":")
	switch scheme {
	case "sound":
		d, known := s.sounds[name]
		return d, known, true
	case "recording":
		rec, known := s.storedRecs[name]
		return rec.length, known, true
	case "tone", "digits", "number", "characters":
		return otherMediaLength, true, true
	}
	return 0, false, false
}

// startPlayback: PlaybackStarted now, PlaybackFinished when the media
// ends. An unknown sound fails within milliseconds; an unknown scheme
// starts and is never heard of again.
func (s *Server) startPlayback(p *playback) {
	p.state = "playing"
	if p.ch != nil {
		p.ch.playing = p
	} else {
		p.b.playing = p
	}
	s.emitPlayback(p, "PlaybackStarted")
	s.playItem(p)
}

// playItem plays the current item of p's media list.
func (s *Server) playItem(p *playback) {
	if p.ch != nil {
		p.ch.heard = append(p.ch.heard, p.media)
	} else {
		for _, m := range p.b.members {
			m.heard = append(m.heard, p.media)
		}
	}
	d, playable, schemeKnown := s.mediaLength(p.media)
	idx := p.idx
	s.stop(p.timer) // an item cut short (a stop during digits)
	switch {
	case !schemeKnown:
		delete(s.playbacks, p.id)
		p.timer = s.after(0, func() { s.nextPlayback(p) })
	case !playable:
		p.timer = s.after(5*time.Millisecond, func() { s.finishPlayback(p, "failed") })
	case strings.HasPrefix(p.media, "tone:"):
		// A tone plays until it is stopped (trace ring-early-media).
		p.timer = nil
	default:
		p.timer = s.after(d, func() { s.itemDone(p, idx) })
	}
}

// itemDone moves p to its next media, or finishes it.
func (s *Server) itemDone(p *playback, idx int) {
	if p.state != "playing" || p.idx != idx {
		return
	}
	if p.idx+1 >= len(p.items) {
		s.finishPlayback(p, "done")
		return
	}
	p.idx++
	p.media = p.items[p.idx]
	// Asterisk 20 reports the move, then the next item's start (trace
	// ring-early-media).
	p.state = "continuing"
	s.emitPlayback(p, "PlaybackContinuing")
	p.state = "playing"
	s.emitPlayback(p, "PlaybackStarted")
	s.playItem(p)
}

// finishPlayback ends p (if it still runs) and starts the next one queued
// on its target. A bridged channel's music on hold comes back by itself.
func (s *Server) finishPlayback(p *playback, state string) {
	if p.state != "playing" {
		return
	}
	p.state = state
	s.stop(p.timer)
	delete(s.playbacks, p.id)
	s.emitPlayback(p, "PlaybackFinished")
	s.nextPlayback(p)
}

func (s *Server) nextPlayback(p *playback) {
	p.state = "done"
	if ch := p.ch; ch != nil {
		if ch.playing != p {
			return
		}
		ch.playing = nil
		if ch.gone {
			return
		}
		// Asterisk turned the music off to play the file; a bridge turns
		// it back on afterwards, nothing else does (trace line-moh).
		if ch.bridge == nil {
			ch.moh = ""
		} else if len(ch.queued) == 0 {
			ch.resumeMusic()
		}
		held := ch.heldCommands
		ch.heldCommands = nil
		for _, f := range held {
			f()
		}
		if len(ch.queued) > 0 {
			next := ch.queued[0]
			ch.queued = ch.queued[1:]
			s.startPlayback(next)
		}
		return
	}
	b := p.b
	if b.playing != p {
		return
	}
	b.playing = nil
	if s.bridges[b.id] == nil {
		return
	}
	if len(b.queued) > 0 {
		next := b.queued[0]
		b.queued = b.queued[1:]
		s.startPlayback(next)
	}
}

// stopMedia ends what plays on a channel that leaves the app: its
// playback fails, its recording is kept.
func (s *Server) stopMedia(ch *channel) {
	for _, q := range ch.queued {
		delete(s.playbacks, q.id)
	}
	ch.queued = nil
	if p := ch.playing; p != nil {
		p.state = "playing"
		s.finishPlayback(p, "failed")
	}
	if ch.rec != nil {
		s.finishRecording(ch.rec)
	}
	ch.moh = ""
}

func (s *Server) stopBridgeMedia(b *bridge) {
	for _, q := range b.queued {
		delete(s.playbacks, q.id)
	}
	b.queued = nil
	if p := b.playing; p != nil {
		s.finishPlayback(p, "done")
	}
}

func (s *Server) getPlayback(r *request) reply {
	p := s.playbacks[r.p("playbackId")]
	if p == nil {
		return fail(http.StatusNotFound, "Playback not found")
	}
	return ok(p.json())
}

// stopPlayback: a stopped playback finishes "done", like one that ended.
func (s *Server) stopPlayback(r *request) reply {
	p := s.playbacks[r.p("playbackId")]
	if p == nil {
		return fail(http.StatusNotFound, "Playback not found")
	}
	if p.state == "queued" {
		delete(s.playbacks, p.id)
		if p.ch != nil {
			p.ch.queued = removePlayback(p.ch.queued, p)
		} else {
			p.b.queued = removePlayback(p.b.queued, p)
		}
		return noContent()
	}
	if scheme, _, _ := strings.Cut(p.media, ":"); scheme == "digits" || scheme == "number" || scheme == "characters" {
		// Asterisk's say functions take the stop for the end of their item:
		// the list plays on from the next one (seen on Asterisk 20.20).
		s.itemDone(p, p.idx)
		return noContent()
	}
	s.finishPlayback(p, "done")
	return noContent()
}

func removePlayback(list []*playback, p *playback) []*playback {
	out := list[:0]
	for _, q := range list {
		if q != p {
			out = append(out, q)
		}
	}
	return out
}

func (s *Server) controlPlayback(r *request) reply {
	p := s.playbacks[r.p("playbackId")]
	if p == nil {
		return fail(http.StatusNotFound, "Playback not found")
	}
	switch r.params["operation"] {
	case "restart", "pause", "unpause", "reverse", "forward":
	case "":
		return fail(http.StatusBadRequest, "Required parameter operation not present")
	default:
		return fail(http.StatusBadRequest, "Invalid operation parameter")
	}
	if p.state != "playing" {
		return fail(http.StatusConflict, "Playback not in a valid state")
	}
	return noContent()
}

func (s *Server) channelMOH(r *request) reply {
	ch, rep := s.stasisChannel(r)
	if rep != nil {
		return *rep
	}
	change := func() { ch.moh = "" }
	if r.method == http.MethodPost {
		class := ch.mohClass(r.params["mohClass"])
		change = func() {
			ch.moh = class
			ch.heard = append(ch.heard, "moh:"+class)
		}
	}
	if ch.playing != nil {
		// Asterisk carries it out once the playback ends.
		ch.heldCommands = append(ch.heldCommands, change)
		return noContent()
	}
	change()
	return noContent()
}

type soundJSON struct {
	Formats []formatLang `json:"formats"`
	ID      string       `json:"id"`
	Text    string       `json:"text,omitempty"`
}

type formatLang struct {
	Format   string `json:"format"`
	Language string `json:"language"`
}

func (s *Server) listSounds(r *request) reply {
	names := make([]string, 0, len(s.sounds))
	for n := range s.sounds {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]soundJSON, 0, len(names))
	for _, n := range names {
		out = append(out, soundJSON{ID: n, Formats: []formatLang{{"gsm", "en"}}})
	}
	return ok(out)
}

func (s *Server) getSound(r *request) reply {
	id := r.p("soundId")
	if _, known := s.sounds[id]; !known {
		return fail(http.StatusNotFound, "Sound not found")
	}
	return ok(soundJSON{ID: id, Formats: []formatLang{{"gsm", "en"}}})
}
