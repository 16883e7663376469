package callcare

import (
	"testing"
	"time"
)

func TestOfficeHours_OfficeTime(t *testing.T) {
	h := DefaultOfficeHours() // Mon-Fri 07:30-15:30, Polish holidays
	loc := h.Location
	for _, tc := range []struct {
		name     string
		from, to string
		want     time.Duration
	}{
		{"WithinOneOpening", "2026-11-24 09:00", "2026-11-24 10:30", 90 * time.Minute},
		{"EndsAtClosing", "2026-11-24 13:30", "2026-11-24 15:30", 2 * time.Hour},
		{"AfterClosingCountsNothing", "2026-11-24 15:30", "2026-11-24 20:00", 0},
		{"NightToMorning", "2026-11-24 22:00", "2026-11-25 07:45", 15 * time.Minute},
		{"OverAWeekend", "2026-11-27 15:00", "2026-11-30 08:00", time.Hour},
		// 11 November, Independence Day, a Wednesday: closed all day.
		{"OverAHoliday", "2026-11-10 15:00", "2026-11-12 08:30", 90 * time.Minute},
		{"OnAHoliday", "2026-11-11 09:00", "2026-11-11 12:00", 0},
		{"Backwards", "2026-11-24 10:00", "2026-11-24 09:00", 0},
		{"Equal", "2026-11-24 10:00", "2026-11-24 10:00", 0},
		{"WholeWeek", "2026-11-23 00:00", "2026-11-30 00:00", 5 * 8 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			from, to := at(t, loc, tc.from), at(t, loc, tc.to)
			if got := h.OfficeTime(from, to); got != tc.want {
				t.Errorf("OfficeTime(%s, %s) = %s, want %s", tc.from, tc.to, got, tc.want)
			}
		})
	}
}

// OfficeTime undoes AddOfficeTime: the promise a due time was counted with
// is the office time between the call and the due time.
func TestOfficeHours_OfficeTimeUndoesAddOfficeTime(t *testing.T) {
	h := DefaultOfficeHours()
	start := at(t, h.Location, "2026-11-09 06:00")
	for i := 0; i < 24*14; i += 5 {
		from := start.Add(time.Duration(i) * time.Hour)
		for _, d := range []time.Duration{time.Minute, 2 * time.Hour, 8 * time.Hour, 20 * time.Hour} {
			due := h.AddOfficeTime(from, d)
			if got := h.OfficeTime(from, due); got != d {
				t.Fatalf("from %s, %s: due %s, OfficeTime %s", from, d, due, got)
			}
		}
	}
}
