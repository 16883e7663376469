package config_test

import (
	"testing"
	"time"

	"github.com/callcare/callcare"
)

func TestWaiting_Defaults(t *testing.T) {
	c := mustParse(t, base)
	if c.Waiting != callcare.DefaultWaiting {
		t.Errorf("waiting %+v, want %+v", c.Waiting, callcare.DefaultWaiting)
	}
	if d, _ := c.Directory.Department("100"); d.MusicClass != "" || c.Waiting.MusicOf(d) != "default" {
		t.Errorf("department 100 plays %q (own %q), want the office's default", c.Waiting.MusicOf(d), d.MusicClass)
	}
}

func TestWaiting_Values(t *testing.T) {
	y := before(t, "waiting:\n  announce_every: 45s\n  hold_offer_after: 3m\n  music_class: urzad\n  transfer_prefix: \"#9\"\n",
		"    ring: in_order\n", "    ring: in_order\n    music_class: komunikacja\n    when_busy: offer\n")
	c := mustParse(t, y)
	want := callcare.Waiting{AnnounceEvery: 45 * time.Second, HoldOfferAfter: 3 * time.Minute, MusicClass: "urzad", LineMaxWait: 5 * time.Minute, SlotLength: 30 * time.Minute, TransferPrefix: "#9", DisplayLength: 20}
	if c.Waiting != want {
		t.Errorf("waiting %+v, want %+v", c.Waiting, want)
	}
	d100, _ := c.Directory.Department("100")
	d200, _ := c.Directory.Department("200")
	if got := c.Waiting.MusicOf(d100); got != "urzad" {
		t.Errorf("department 100 plays %q, want the office's urzad", got)
	}
	if got := c.Waiting.MusicOf(d200); got != "komunikacja" {
		t.Errorf("department 200 plays %q, want its own", got)
	}
	if d100.WhenBusy != callcare.BusyOverflow || d200.WhenBusy != callcare.BusyOffer {
		t.Errorf("when busy: 100 %q, 200 %q", d100.WhenBusy, d200.WhenBusy)
	}
}

func TestWaiting_Problems(t *testing.T) {
	w := func(s string) string { return before(t, "waiting:\n"+s) }
	for _, tc := range []struct {
		name, yaml, path, msg string
	}{
		{"AnnounceTooOften", w("  announce_every: 5s #!\n"), "waiting.announce_every", "from 10s to 2m"},
		{"AnnounceTooRarely", w("  announce_every: 5m #!\n"), "waiting.announce_every", "(P4p)"},
		{"OfferZero", w("  hold_offer_after: 0s #!\n"), "waiting.hold_offer_after", "longer than zero"},
		{"ClassWithSpace", w("  music_class: \"our music\" #!\n"), "waiting.music_class", "not a music-on-hold class"},
		{"UnknownKey", w("  announce_evry: 30s #!\n"), "waiting.announce_evry", `did you mean "announce_every"`},
		{"TransferPrefixStar", w("  transfer_prefix: \"*1\" #!\n"), "waiting.transfer_prefix", "special-needs key"},
		{"DisplayShort", w("  display_length: 4 #!\n"), "waiting.display_length", "from 8 to 64"},
		{"SlotOdd", w("  slot_length: 7m #!\n"), "waiting.slot_length", "must divide a day"},
		{"WhenBusyUnknown", edit(t, "    ring: in_order\n", "    ring: in_order\n    when_busy: wait #!\n"), "departments[1].when_busy", `unknown "wait"`},
		{"DepartmentClass", edit(t, "    ring: in_order\n", "    ring: in_order\n    music_class: a/b #!\n"), "departments[1].music_class", "not a music-on-hold class"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantProblem(t, tc.yaml, tc.path, marked(t, tc.yaml), tc.msg)
		})
	}
}
