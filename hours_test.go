package callcare

import (
	"strings"
	"testing"
	"time"
)

// at reads "2006-01-02 15:04" in the office's zone.
func at(t testing.TB, loc *time.Location, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestParseSpan(t *testing.T) {
	tests := []struct {
		in      string
		want    Span
		wantErr string
	}{
		{in: "07:30-15:30", want: Span{450, 930}},
		{in: " 7:30 - 15:30 ", want: Span{450, 930}},
		{in: "00:00-24:00", want: Span{0, 1440}},
		{in: "12:00-12:30", want: Span{720, 750}},
		{in: "15:30-07:30", wantErr: "after start"},
		{in: "08:00-08:00", wantErr: "after start"},
		{in: "07:30", wantErr: "HH:MM-HH:MM"},
		{in: "07:60-08:00", wantErr: "out of range"},
		{in: "24:30-24:40", wantErr: "out of range"},
		{in: "25:00-26:00", wantErr: "out of range"},
		{in: "7-15", wantErr: "HH:MM"},
		{in: "07:3-15:30", wantErr: "HH:MM"},
		{in: "+7:30-15:30", wantErr: "HH:MM"},
		{in: "aa:bb-15:30", wantErr: "HH:MM"},
		{in: "", wantErr: "HH:MM-HH:MM"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSpan(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseSpan(%q) = %v, %v; want error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseSpan(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestSpan_String(t *testing.T) {
	for _, s := range []string{"07:30-15:30", "00:00-24:00", "09:05-10:00"} {
		t.Run(s, func(t *testing.T) {
			sp, err := ParseSpan(s)
			if err != nil {
				t.Fatal(err)
			}
			if got := sp.String(); got != s {
				t.Errorf("String() = %q, want %q", got, s)
			}
		})
	}
}

func TestDefaultOfficeHours(t *testing.T) {
	h := DefaultOfficeHours()
	if h.Location == nil || h.Location.String() != "Europe/Warsaw" {
		t.Fatalf("Location = %v, want Europe/Warsaw", h.Location)
	}
	if !h.PolishHolidays {
		t.Error("PolishHolidays is off, want on")
	}
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		open := wd >= time.Monday && wd <= time.Friday
		if got := len(h.Week[wd]) > 0; got != open {
			t.Errorf("%v open = %v, want %v", wd, got, open)
		}
		if open && (len(h.Week[wd]) != 1 || h.Week[wd][0].String() != "07:30-15:30") {
			t.Errorf("%v spans = %v, want [07:30-15:30]", wd, h.Week[wd])
		}
	}
	// Each day owns its slice: editing Monday leaves Tuesday alone.
	h.Week[time.Monday][0].From = 0
	if h.Week[time.Tuesday][0].From != 450 {
		t.Error("weekdays share one span slice")
	}
}

func TestOfficeHours_IsOpen(t *testing.T) {
	h := DefaultOfficeHours()
	w := h.Location
	tests := []struct {
		name string
		at   time.Time
		want bool
	}{
		{"opening minute", at(t, w, "2026-06-12 07:30"), true},
		{"just before opening", at(t, w, "2026-06-12 07:29"), false},
		{"last minute", at(t, w, "2026-06-12 15:29"), true},
		{"closing minute", at(t, w, "2026-06-12 15:30"), false},
		{"one ns before closing", at(t, w, "2026-06-12 15:30").Add(-time.Nanosecond), true},
		{"Saturday", at(t, w, "2026-06-13 10:00"), false},
		{"Sunday", at(t, w, "2026-06-14 10:00"), false},
		{"Corpus Christi", at(t, w, "2026-06-04 10:00"), false},
		{"Easter Monday", at(t, w, "2026-04-06 10:00"), false},
		{"Wigilia 2026", at(t, w, "2026-12-24 10:00"), false},
		{"Wigilia 2024 was a working day", at(t, w, "2024-12-24 10:00"), true},
		{"other zone: 05:30 UTC is 07:30 in summer", time.Date(2026, 6, 12, 5, 30, 0, 0, time.UTC), true},
		{"other zone: 06:00 UTC is 07:00 in winter", time.Date(2026, 1, 9, 6, 0, 0, 0, time.UTC), false},
		{"other zone: 06:30 UTC is 07:30 in winter", time.Date(2026, 1, 9, 6, 30, 0, 0, time.UTC), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := h.IsOpen(tt.at); got != tt.want {
				t.Errorf("IsOpen(%v) = %v, want %v", tt.at, got, tt.want)
			}
		})
	}
}

func TestOfficeHours_IsOpen_SplitDay(t *testing.T) {
	h := DefaultOfficeHours()
	w := h.Location
	h.Week[time.Friday] = []Span{{450, 720}, {750, 930}} // 07:30-12:00, 12:30-15:30
	tests := []struct {
		at   string
		want bool
	}{
		{"2026-06-12 11:59", true},
		{"2026-06-12 12:00", false},
		{"2026-06-12 12:29", false},
		{"2026-06-12 12:30", true},
	}
	for _, tt := range tests {
		t.Run(tt.at, func(t *testing.T) {
			if got := h.IsOpen(at(t, w, tt.at)); got != tt.want {
				t.Errorf("IsOpen(%s) = %v, want %v", tt.at, got, tt.want)
			}
		})
	}
}

func TestOfficeHours_Holiday(t *testing.T) {
	h := DefaultOfficeHours()
	w := h.Location
	h.Closed = []time.Time{
		at(t, w, "2026-05-04 13:17"),                   // any time of the day marks the day
		time.Date(2026, 8, 13, 23, 30, 0, 0, time.UTC), // 01:30 on 14 August in Warsaw
	}
	noPL := h
	noPL.PolishHolidays = false
	tests := []struct {
		name     string
		h        OfficeHours
		at       time.Time
		want     string
		wantBool bool
	}{
		{"Corpus Christi", h, at(t, w, "2026-06-04 00:00"), "Boże Ciało", true},
		{"last minute of Christmas", h, at(t, w, "2026-12-25 23:59"), "Boże Narodzenie", true},
		{"extra day off", h, at(t, w, "2026-05-04 08:00"), "dzień wolny", true},
		{"extra day off read in Location", h, at(t, w, "2026-08-14 09:00"), "dzień wolny", true},
		{"not the UTC day", h, at(t, w, "2026-08-13 09:00"), "", false},
		{"ordinary day", h, at(t, w, "2026-05-05 08:00"), "", false},
		{"Polish holidays off", noPL, at(t, w, "2026-06-04 10:00"), "", false},
		{"Polish holidays off, extra day still off", noPL, at(t, w, "2026-05-04 10:00"), "dzień wolny", true},
		{"UTC instant on Warsaw's New Year", h, time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC), "Nowy Rok", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.h.Holiday(tt.at)
			if got != tt.want || ok != tt.wantBool {
				t.Errorf("Holiday(%v) = %q, %v; want %q, %v", tt.at, got, ok, tt.want, tt.wantBool)
			}
		})
	}
}

// checkAt compares an instant with a wall-clock time in loc, and requires the
// result to be expressed in loc.
func checkAt(t *testing.T, got time.Time, loc *time.Location, want string) {
	t.Helper()
	if want == "" {
		if !got.IsZero() {
			t.Errorf("got %v, want the zero time", got)
		}
		return
	}
	if w := at(t, loc, want); !got.Equal(w) {
		t.Errorf("got %v, want %v", got, w)
	}
	if got.Location() != loc {
		t.Errorf("got location %v, want %v", got.Location(), loc)
	}
}

func TestOfficeHours_NextOpening(t *testing.T) {
	def := DefaultOfficeHours()
	w := def.Location
	split := def
	split.Week[time.Friday] = []Span{{450, 720}, {750, 930}}
	extra := def
	extra.Closed = []time.Time{at(t, w, "2026-06-15 00:00")} // the Monday after
	none := OfficeHours{Location: w}
	tests := []struct {
		name string
		h    OfficeHours
		from time.Time
		want string
	}{
		{"open: t itself", def, at(t, w, "2026-06-12 10:15"), "2026-06-12 10:15"},
		{"early morning", def, at(t, w, "2026-06-12 06:00"), "2026-06-12 07:30"},
		{"Friday evening to Monday", def, at(t, w, "2026-06-12 18:00"), "2026-06-15 07:30"},
		{"at closing to Monday", def, at(t, w, "2026-06-12 15:30"), "2026-06-15 07:30"},
		{"Saturday to Monday", def, at(t, w, "2026-06-13 12:00"), "2026-06-15 07:30"},
		{"lunch break to afternoon", split, at(t, w, "2026-06-12 12:10"), "2026-06-12 12:30"},
		{"Christmas 2026: Wednesday evening to Monday 28th", def, at(t, w, "2026-12-23 16:00"), "2026-12-28 07:30"},
		{"Christmas 2024: Wigilia still open", def, at(t, w, "2024-12-23 16:00"), "2024-12-24 07:30"},
		{"Easter 2026: Good Friday evening to Tuesday", def, at(t, w, "2026-04-03 16:00"), "2026-04-07 07:30"},
		{"Corpus Christi eve to Friday", def, at(t, w, "2026-06-03 16:00"), "2026-06-05 07:30"},
		{"extra day off skipped", extra, at(t, w, "2026-06-12 18:00"), "2026-06-16 07:30"},
		{"DST spring: Sunday 29 March to Monday in CEST", def, at(t, w, "2026-03-29 01:00"), "2026-03-30 07:30"},
		{"DST autumn: Friday before to Monday in CET", def, at(t, w, "2026-10-23 16:00"), "2026-10-26 07:30"},
		{"no spans never opens", none, at(t, w, "2026-06-12 10:00"), ""},
		{"UTC input, answer in Warsaw", def, time.Date(2026, 6, 12, 20, 0, 0, 0, time.UTC), "2026-06-15 07:30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkAt(t, tt.h.NextOpening(tt.from), w, tt.want)
		})
	}
}

func TestOfficeHours_NextOpening_NilLocation(t *testing.T) {
	var h OfficeHours
	h.Week[time.Monday] = []Span{{540, 1020}}
	got := h.NextOpening(time.Date(2026, 6, 12, 10, 0, 0, 0, time.FixedZone("X", 7200)))
	checkAt(t, got, time.UTC, "2026-06-15 09:00")
}

func TestOfficeHours_AddOfficeTime(t *testing.T) {
	def := DefaultOfficeHours()
	w := def.Location
	split := def
	split.Week[time.Friday] = []Span{{450, 720}, {750, 930}}
	extra := def
	extra.Closed = []time.Time{at(t, w, "2026-06-15 10:00")}
	overlap := def
	overlap.Week[time.Monday] = []Span{{600, 720}, {450, 660}} // overlapping, unsorted: 07:30-12:00 once
	always := OfficeHours{Location: w}
	for wd := range always.Week {
		always.Week[wd] = []Span{{0, 1440}}
	}
	none := OfficeHours{Location: w}
	tests := []struct {
		name string
		h    OfficeHours
		from time.Time
		d    time.Duration
		want string
	}{
		{"within the day", def, at(t, w, "2026-06-12 09:00"), 2 * time.Hour, "2026-06-12 11:00"},
		{"ends exactly at closing", def, at(t, w, "2026-06-12 13:30"), 2 * time.Hour, "2026-06-12 15:30"},
		{"2h promise Friday 14:30 to Monday 08:30", def, at(t, w, "2026-06-12 14:30"), 2 * time.Hour, "2026-06-15 08:30"},
		{"from the evening counts from the next opening", def, at(t, w, "2026-06-12 20:00"), 2 * time.Hour, "2026-06-15 09:30"},
		{"a whole office day and a bit", def, at(t, w, "2026-06-12 07:30"), 8*time.Hour + 30*time.Minute, "2026-06-15 08:00"},
		{"lunch break does not count", split, at(t, w, "2026-06-12 11:00"), 2 * time.Hour, "2026-06-12 13:30"},
		{"extra day off skipped", extra, at(t, w, "2026-06-12 14:30"), 2 * time.Hour, "2026-06-16 08:30"},
		{"overlapping spans count once", overlap, at(t, w, "2026-06-15 07:30"), 5 * time.Hour, "2026-06-16 08:00"},
		{"DST weekend 2026-03-29: Friday 14:30 CET to Monday 08:30 CEST", def, at(t, w, "2026-03-27 14:30"), 2 * time.Hour, "2026-03-30 08:30"},
		{"DST autumn weekend: Friday 14:30 CEST to Monday 08:30 CET", def, at(t, w, "2026-10-23 14:30"), 2 * time.Hour, "2026-10-26 08:30"},
		{"24/7 office: the spring day has 23 hours", always, at(t, w, "2026-03-28 12:00"), 24 * time.Hour, "2026-03-29 13:00"},
		{"24/7 office: the autumn day has 25 hours", always, at(t, w, "2026-10-24 12:00"), 24 * time.Hour, "2026-10-25 11:00"},
		{"Christmas 2026", def, at(t, w, "2026-12-23 15:00"), time.Hour, "2026-12-28 08:00"},
		{"zero while open is t", def, at(t, w, "2026-06-12 10:00"), 0, "2026-06-12 10:00"},
		{"zero while closed is the next opening", def, at(t, w, "2026-06-12 18:00"), 0, "2026-06-15 07:30"},
		{"negative while open is t", def, at(t, w, "2026-06-12 10:00"), -time.Hour, "2026-06-12 10:00"},
		{"no spans never opens", none, at(t, w, "2026-06-12 10:00"), time.Hour, ""},
		{"no spans, zero duration", none, at(t, w, "2026-06-12 10:00"), 0, ""},
		{"long promise: 10 office days", def, at(t, w, "2026-06-01 07:30"), 80 * time.Hour, "2026-06-15 15:30"}, // Corpus Christi (4 June) is skipped,
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkAt(t, tt.h.AddOfficeTime(tt.from, tt.d), w, tt.want)
		})
	}
}

func TestOfficeHours_NextOfficeDay(t *testing.T) {
	def := DefaultOfficeHours()
	w := def.Location
	split := def
	split.Week[time.Monday] = []Span{{750, 930}, {450, 720}} // unsorted on purpose
	none := OfficeHours{Location: w}
	tests := []struct {
		name string
		h    OfficeHours
		from time.Time
		want string
	}{
		{"Tuesday morning to Wednesday", def, at(t, w, "2026-06-09 06:00"), "2026-06-10 07:30"},
		{"Tuesday open to Wednesday", def, at(t, w, "2026-06-09 10:00"), "2026-06-10 07:30"},
		{"Friday to Monday", def, at(t, w, "2026-06-12 10:00"), "2026-06-15 07:30"},
		{"first span of a split day", split, at(t, w, "2026-06-12 10:00"), "2026-06-15 07:30"},
		{"Saturday to Monday across DST", def, at(t, w, "2026-03-28 10:00"), "2026-03-30 07:30"},
		{"before Christmas 2026", def, at(t, w, "2026-12-23 09:00"), "2026-12-28 07:30"},
		{"Wednesday before Corpus Christi to Friday", def, at(t, w, "2026-06-03 09:00"), "2026-06-05 07:30"},
		{"late UTC evening is already the next day in Warsaw", def, time.Date(2026, 6, 11, 22, 30, 0, 0, time.UTC), "2026-06-15 07:30"},
		{"no spans", none, at(t, w, "2026-06-12 10:00"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkAt(t, tt.h.NextOfficeDay(tt.from), w, tt.want)
		})
	}
}
