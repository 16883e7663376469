package config

import (
	"time"

	"github.com/callcare/callcare"
)

// FileRetention is the retention: section: how long personal data is kept
// (GDPR). Each key is a duration; 0s keeps that kind for ever (calls,
// numbers) or deletes a note as soon as its task closes (notes).
type FileRetention struct {
	// Calls is how long the call log and the closed callback tasks are
	// kept, counted from their day (default 2160h, 90 days; at least 24h,
	// since days go whole). Before a day goes, the compliance report's
	// figures of it are kept.
	Calls Duration `yaml:"calls"`
	// Numbers is how long callers' numbers (and the names their phones
	// sent) stay in the records kept: a call's from its start, a closed
	// task's from its closing (default 0s: as long as the records; never
	// longer than calls). An open task keeps its number.
	Numbers Duration `yaml:"numbers"`
	// Notes is how long a caller's voice note is kept after its task
	// closes (default 720h, 30 days; never longer than calls).
	// callbacks.note_retention is its older name.
	Notes Duration `yaml:"notes"`
}

// DefaultRetention is the retention when the file gives none: the call
// log for 90 days, numbers as long as the log, notes 30 days after their
// task.
func DefaultRetention() callcare.Retention {
	return callcare.Retention{Calls: 90 * 24 * time.Hour, Notes: DefaultCallbacks().NoteRetention}
}

func defaultFileRetention() FileRetention {
	r := DefaultRetention()
	return FileRetention{Calls: Duration(r.Calls), Numbers: Duration(r.Numbers), Notes: Duration(r.Notes)}
}

// MinCallRetention is the shortest retention of the call log: the purge
// deletes whole days.
const MinCallRetention = 24 * time.Hour

// buildRetention checks retention:, and folds callbacks.note_retention
// into it: written alone, that older key sets how long notes are kept;
// written with retention.notes, the two must agree. Callbacks.NoteRetention
// is set to the notes' retention either way.
func (p *parser) buildRetention(rf *FileRetention, c *Config) {
	const base = "retention."
	r := callcare.Retention{Calls: time.Duration(rf.Calls), Numbers: time.Duration(rf.Numbers), Notes: time.Duration(rf.Notes)}
	problem := func(key, format string, args ...any) {
		p.add(base+key, p.lineOf(base+key), format, args...)
	}
	usable := func(key string) bool { return p.usable(base + key) }

	const older = "callbacks.note_retention"
	switch {
	case !p.has(older):
	case !p.has(base + "notes"):
		r.Notes = c.Callbacks.NoteRetention
	case p.usable(older) && usable("notes") && c.Callbacks.NoteRetention != r.Notes:
		problem("notes", "%s, but %s (line %d, its older name) says %s: write it once, here",
			short(r.Notes), older, p.lineOf(older), short(c.Callbacks.NoteRetention))
	}

	if usable("calls") {
		switch {
		case r.Calls < 0:
			problem("calls", "must not be negative, not %s (0s keeps the call log for ever)", short(r.Calls))
		case r.Calls > 0 && r.Calls < MinCallRetention:
			problem("calls", "must be at least %s, not %s: the call log goes by whole days (0s keeps it for ever)", short(MinCallRetention), short(r.Calls))
		}
	}
	// The notes' value was written under the older name when only it is.
	notesAt := base + "notes"
	if !p.has(notesAt) && p.has(older) {
		notesAt = older
	}
	for _, k := range []struct {
		path string
		d    time.Duration
	}{{base + "numbers", r.Numbers}, {notesAt, r.Notes}} {
		if !p.usable(k.path) {
			continue
		}
		switch {
		case k.d < 0:
			p.add(k.path, p.lineOf(k.path), "must not be negative, not %s", short(k.d))
		case usable("calls") && r.Calls > 0 && k.d > r.Calls:
			// Report it where the admin wrote a value.
			if p.has(k.path) || !p.has(base+"calls") {
				p.add(k.path, p.lineOf(k.path), "%s is longer than calls (%s): the records that hold them go first", short(k.d), short(r.Calls))
			} else {
				problem("calls", "%s is shorter than %s (default %s): set %s too, no longer than calls", short(r.Calls), k.path, short(k.d), k.path)
			}
		}
	}
	c.Retention = r
	c.Callbacks.NoteRetention = r.Notes
}
