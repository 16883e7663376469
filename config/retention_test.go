package config_test

import (
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/config"
)

func TestRetention(t *testing.T) {
	day := 24 * time.Hour
	for _, tc := range []struct {
		name string
		yaml string
		want callcare.Retention
	}{
		{"Defaults", base, callcare.Retention{Calls: 90 * day, Notes: 30 * day}},
		{"Written", before(t, "retention:\n  calls: 2160h\n  numbers: 720h\n  notes: 168h\n"), callcare.Retention{Calls: 90 * day, Numbers: 30 * day, Notes: 7 * day}},
		{"KeptForEver", before(t, "retention:\n  calls: 0s\n"), callcare.Retention{Notes: 30 * day}},
		// callbacks.note_retention is the notes' older name.
		{"OlderNameAlone", before(t, "callbacks:\n  note_retention: 48h\n"), callcare.Retention{Calls: 90 * day, Notes: 2 * day}},
		{"BothAgree", before(t, "callbacks:\n  note_retention: 48h\nretention:\n  notes: 48h\n"), callcare.Retention{Calls: 90 * day, Notes: 2 * day}},
		{"NotesAtOnce", before(t, "retention:\n  notes: 0s\n"), callcare.Retention{Calls: 90 * day}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := mustParse(t, tc.yaml)
			if c.Retention != tc.want {
				t.Errorf("retention %+v, want %+v", c.Retention, tc.want)
			}
			if c.Callbacks.NoteRetention != tc.want.Notes {
				t.Errorf("callbacks' note retention %s, want %s", c.Callbacks.NoteRetention, tc.want.Notes)
			}
		})
	}
	if got := config.DefaultRetention(); got != (callcare.Retention{Calls: 90 * day, Notes: 30 * day}) {
		t.Errorf("DefaultRetention = %+v", got)
	}
}

func TestRetention_Problems(t *testing.T) {
	r := func(text string) string { return before(t, "retention:\n"+text) }
	for _, tc := range []struct {
		name, yaml, path, msg string
	}{
		{"UnknownKey", r("  call: 90h #!\n"), "retention.call", `did you mean "calls"`},
		{"NotMapping", before(t, "retention: 90d #!\n"), "retention", "mapping"},
		{"Days", r("  calls: 90d #!\n"), "retention.calls", "unit"},
		{"CallsNegative", r("  calls: -1h #!\n"), "retention.calls", "negative"},
		{"CallsUnderADay", r("  calls: 23h #!\n"), "retention.calls", "at least 24h"},
		{"NumbersNegative", r("  numbers: -1h #!\n"), "retention.numbers", "negative"},
		{"NumbersLonger", r("  calls: 720h\n  numbers: 2160h #!\n"), "retention.numbers", "longer than calls (720h)"},
		{"NotesLonger", r("  calls: 48h\n  notes: 72h #!\n"), "retention.notes", "longer than calls"},
		{"CallsShorterThanDefaultNotes", r("  calls: 48h #!\n"), "retention.calls", "set retention.notes too"},
		{"OlderNameLonger", before(t, "callbacks:\n  note_retention: 72h #!\nretention:\n  calls: 48h\n"), "callbacks.note_retention", "longer than calls"},
		{"BothDisagree", before(t, "callbacks:\n  note_retention: 72h\nretention:\n  notes: 48h #!\n"), "retention.notes", "callbacks.note_retention (line"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantProblem(t, tc.yaml, tc.path, marked(t, tc.yaml), tc.msg)
		})
	}
}
