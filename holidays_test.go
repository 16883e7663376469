package callcare

import (
	"testing"
	"time"
)

func TestEaster(t *testing.T) {
	tests := []struct {
		year int
		want string
	}{
		{1961, "1961-04-02"},
		{2000, "2000-04-23"},
		{2008, "2008-03-23"},
		{2011, "2011-04-24"},
		{2024, "2024-03-31"},
		{2025, "2025-04-20"},
		{2026, "2026-04-05"},
		{2027, "2027-03-28"},
		{2038, "2038-04-25"},
		{2285, "2285-03-22"}, // earliest possible date
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			m, d := easter(tt.year)
			got := time.Date(tt.year, m, d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
			if got != tt.want {
				t.Errorf("easter(%d) = %s, want %s", tt.year, got, tt.want)
			}
		})
	}
}

func TestPolishHolidays(t *testing.T) {
	warsaw := mustWarsaw(t)
	tests := []struct {
		name  string
		year  int
		date  string // YYYY-MM-DD
		want  string // "" means: not a holiday
		count int
	}{
		{"Easter 2024", 2024, "2024-03-31", "Wielkanoc", 13},
		{"Easter Monday 2024", 2024, "2024-04-01", "Poniedziałek Wielkanocny", 13},
		{"no Wigilia in 2024", 2024, "2024-12-24", "", 13},
		{"Wigilia from 2025", 2025, "2025-12-24", "Wigilia", 14},
		{"Easter 2025", 2025, "2025-04-20", "Wielkanoc", 14},
		{"Easter 2026", 2026, "2026-04-05", "Wielkanoc", 14},
		{"Pentecost 2026", 2026, "2026-05-24", "Zielone Świątki", 14},
		{"Corpus Christi 2026", 2026, "2026-06-04", "Boże Ciało", 14},
		{"Easter 2027", 2027, "2027-03-28", "Wielkanoc", 14},
		{"Easter 2038", 2038, "2038-04-25", "Wielkanoc", 14},
		{"Corpus Christi 2038", 2038, "2038-06-24", "Boże Ciało", 14},
		{"New Year", 2026, "2026-01-01", "Nowy Rok", 14},
		{"Epiphany", 2026, "2026-01-06", "Trzech Króli", 14},
		{"Labour Day", 2026, "2026-05-01", "Święto Pracy", 14},
		{"Constitution Day", 2026, "2026-05-03", "Święto Konstytucji 3 Maja", 14},
		{"Assumption", 2026, "2026-08-15", "Wniebowzięcie NMP", 14},
		{"All Saints", 2026, "2026-11-01", "Wszystkich Świętych", 14},
		{"Independence Day", 2026, "2026-11-11", "Narodowe Święto Niepodległości", 14},
		{"Christmas", 2026, "2026-12-25", "Boże Narodzenie", 14},
		{"Boxing Day", 2026, "2026-12-26", "Drugi dzień Bożego Narodzenia", 14},
		{"ordinary Thursday", 2026, "2026-06-11", "", 14},
		{"Good Friday is a working day", 2026, "2026-04-03", "", 14},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs := PolishHolidays(tt.year, warsaw)
			if len(hs) != tt.count {
				t.Fatalf("PolishHolidays(%d) has %d days, want %d: %v", tt.year, len(hs), tt.count, hs)
			}
			got := ""
			for _, h := range hs {
				if h.Date.Format(time.DateOnly) == tt.date {
					got = h.Name
				}
			}
			if got != tt.want {
				t.Errorf("holiday on %s = %q, want %q", tt.date, got, tt.want)
			}
		})
	}
}

func TestPolishHolidays_OrderAndZone(t *testing.T) {
	warsaw := mustWarsaw(t)
	for year := 1990; year <= 2100; year++ {
		hs := PolishHolidays(year, warsaw)
		for i, h := range hs {
			if h.Date.Location() != warsaw {
				t.Fatalf("%d %s: location %v, want Europe/Warsaw", year, h.Name, h.Date.Location())
			}
			if h.Date.Hour() != 0 || h.Date.Minute() != 0 || h.Date.Year() != year {
				t.Fatalf("%d %s: date %v, want midnight of that year", year, h.Name, h.Date)
			}
			if i > 0 && !hs[i-1].Date.Before(h.Date) {
				t.Fatalf("%d: %s (%v) not after %s (%v)", year, h.Name, h.Date, hs[i-1].Name, hs[i-1].Date)
			}
		}
		// The movable feasts keep their weekdays.
		for _, h := range hs {
			want := map[string]time.Weekday{
				"Wielkanoc":                time.Sunday,
				"Poniedziałek Wielkanocny": time.Monday,
				"Zielone Świątki":          time.Sunday,
				"Boże Ciało":               time.Thursday,
			}
			if wd, ok := want[h.Name]; ok && h.Date.Weekday() != wd {
				t.Errorf("%d %s on %v, want a %v", year, h.Name, h.Date.Weekday(), wd)
			}
		}
	}
}

func TestPolishHolidays_NilLocationIsUTC(t *testing.T) {
	hs := PolishHolidays(2026, nil)
	if len(hs) == 0 || hs[0].Date.Location() != time.UTC {
		t.Fatalf("PolishHolidays(2026, nil)[0] = %v, want a date in UTC", hs)
	}
}

func mustWarsaw(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
