package retention_test

import (
	"context"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/callcare/callcare"
	"github.com/callcare/callcare/internal/reporttest"
	"github.com/callcare/callcare/report"
	"github.com/callcare/callcare/retention"
	"github.com/callcare/callcare/sqlite"
)

// knownOffice is a database in a temp dir holding the known office's
// fortnight (internal/reporttest).
func knownOffice(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "callcare.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := reporttest.Load(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	return db
}

func mustReport(t *testing.T, db *sqlite.DB) *report.Report {
	t.Helper()
	r, err := retention.Report(context.Background(), db, reporttest.From, reporttest.To, reporttest.Options())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// checkFigures compares every figure of every scope of r with those
// counted by hand.
func checkFigures(t *testing.T, r *report.Report) {
	t.Helper()
	want := reporttest.Expected()
	got := map[report.Scope]report.Figures{
		{Kind: report.ScopeOffice}:                          r.Office,
		{Kind: report.ScopeGroup, Key: report.GroupSpecial}: r.Special,
		{Kind: report.ScopeGroup, Key: report.GroupOthers}:  r.Others,
	}
	for _, row := range r.Departments {
		got[report.Scope{Kind: report.ScopeDepartment, Key: row.Key}] = row.Figures
	}
	for _, row := range r.Clerks {
		got[report.Scope{Kind: report.ScopeClerk, Key: row.Key}] = row.Figures
	}
	for s, g := range got {
		w := want[s]
		if g == w {
			continue
		}
		gm, wm := figureMap(g), figureMap(w)
		for _, name := range report.Measures() {
			if gm[name] != wm[name] {
				t.Errorf("%s %s: %s = %d, want %d", s.Kind, s.Key, name, gm[name], wm[name])
			}
		}
	}
	for s := range want {
		if _, ok := got[s]; !ok {
			t.Errorf("%s %s: not in the report", s.Kind, s.Key)
		}
	}
}

// figureMap names every figure of f, as the archive does.
func figureMap(f report.Figures) map[string]int64 {
	m := map[string]int64{}
	for _, fig := range (report.Days{"day": {{Kind: "any"}: &f}}).Archive() {
		m[fig.Measure] = fig.Value
	}
	return m
}

func TestReport_KnownOffice(t *testing.T) {
	db := knownOffice(t)
	r := mustReport(t, db)
	checkFigures(t, r)

	if r.From != reporttest.From || r.To != reporttest.To || r.RingLimit != 3 || !r.Made.Equal(reporttest.Now) {
		t.Errorf("report of %s..%s, %d rings, made %s", r.From, r.To, r.RingLimit, r.Made)
	}
	if len(r.Days) != 22 {
		t.Fatalf("%d days, want every day of 9..30 November", len(r.Days))
	}
	// The call that went on past midnight counts on the 12th, the day it
	// began, once.
	byDay := map[string]report.Figures{}
	for _, d := range r.Days {
		byDay[d.Day] = d.Figures
	}
	for day, want := range map[string][3]int64{ // calls, after hours, answered
		"2026-11-09": {5, 0, 3}, "2026-11-10": {2, 1, 0}, "2026-11-11": {1, 1, 0},
		"2026-11-12": {3, 1, 0}, "2026-11-13": {7, 0, 2}, "2026-11-14": {0, 0, 0}, "2026-11-30": {1, 0, 0},
	} {
		f := byDay[day]
		if got := [3]int64{f.Calls, f.AfterHours, f.Answered}; got != want {
			t.Errorf("%s: calls, after hours, answered = %v, want %v", day, got, want)
		}
	}
	// The rows follow the directory, then whoever only the records name.
	var clerks []string
	for _, c := range r.Clerks {
		clerks = append(clerks, c.Key)
		if c.Listed != (c.Key != "xformer") {
			t.Errorf("clerk %s: listed %v", c.Key, c.Listed)
		}
	}
	if !slices.Equal(clerks, []string{"jkowalska", "mzielinski", "anowak", "pwisniewska", "xformer"}) {
		t.Errorf("clerks %v", clerks)
	}
	if len(r.Archived) != 0 {
		t.Errorf("archived days before any purge: %v", r.Archived)
	}
}

// The fixture's edge cases are what they say: the due times the policy
// gave the tasks.
func TestKnownOffice_DueTimes(t *testing.T) {
	db := knownOffice(t)
	tasks, err := db.Callbacks(context.Background(), callcare.CallbackFilter{})
	if err != nil {
		t.Fatal(err)
	}
	due := map[string]time.Time{}
	for _, task := range tasks {
		due[task.CallID] = task.Due
	}
	at := reporttest.At
	for call, want := range map[string]time.Time{
		"c04": at(9, "15:30:00"),  // exactly at closing
		"c05": at(10, "08:00:10"), // half an hour into the next morning
		"c06": at(12, "07:30:00"), // after hours; the 11th is a holiday
		"c07": at(12, "07:30:00"), // on the holiday
		"c17": at(16, "09:00:45"), // over the weekend
	} {
		if !due[call].Equal(want) {
			t.Errorf("task of %s due %s, want %s", call, due[call].In(reporttest.Warsaw), want)
		}
	}
}

func TestPurge_KeepsTheReport(t *testing.T) {
	ctx := context.Background()
	db := knownOffice(t)
	before := mustReport(t, db)
	keep := callcare.Retention{Calls: 18 * 24 * time.Hour, Numbers: 7 * 24 * time.Hour, Notes: 7 * 24 * time.Hour}
	o := reporttest.Options()
	o.Now = reporttest.PurgeNow

	want := retention.Result{Days: reporttest.PurgedDays, Purge: callcare.Purge{Calls: 8, Callbacks: 5, Numbers: 12}}
	dry, err := retention.Purge(ctx, db, keep, o, true)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(dry, want) {
		t.Fatalf("dry run: %+v, want %+v", dry, want)
	}
	if again := mustReport(t, db); !reflect.DeepEqual(again, before) {
		t.Fatal("a dry run changed the report")
	}
	if n, _ := db.Calls(ctx, callcare.CallFilter{}); len(n) != 19 {
		t.Fatalf("a dry run deleted calls: %d left", len(n))
	}

	done, err := retention.Purge(ctx, db, keep, o, false)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(done, want) {
		t.Fatalf("purge: %+v, want %+v", done, want)
	}
	calls, err := db.Calls(ctx, callcare.CallFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range calls {
		if c.StartedAt.Before(reporttest.At(12, "00:00:00")) {
			t.Errorf("call %s of %s kept", c.ID, c.StartedAt)
		}
		if !c.StartedAt.After(reporttest.At(23, "02:00:00")) && c.CallerID != callcare.ErasedNumber {
			t.Errorf("call %s keeps its number %q", c.ID, c.CallerID)
		}
	}
	if len(calls) != 11 {
		t.Errorf("%d calls kept, want 11", len(calls))
	}

	after := mustReport(t, db)
	if !slices.Equal(after.Archived, reporttest.PurgedDays) {
		t.Errorf("archived days %v, want %v", after.Archived, reporttest.PurgedDays)
	}
	checkFigures(t, after)
	after.Archived = nil
	if !reflect.DeepEqual(after, before) {
		for i := range before.Days {
			if before.Days[i] != after.Days[i] {
				t.Errorf("day %s: before %+v\nafter %+v", before.Days[i].Day, before.Days[i].Figures, after.Days[i].Figures)
			}
		}
		t.Fatal("the report changed with the purge")
	}

	t.Run("AgainDoesNothing", func(t *testing.T) {
		res, err := retention.Purge(ctx, db, keep, o, false)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(res, retention.Result{}) {
			t.Fatalf("second purge: %+v", res)
		}
	})
	t.Run("TwoDaysLater", func(t *testing.T) {
		// The 12th and 13th go too. The open tasks of the 13th stay (the
		// office owes them), counted in the archive as they stood: the
		// report made at the same moment is the same before and after.
		o := o
		o.Now = reporttest.PurgeNow.Add(2 * 24 * time.Hour)
		report := func() *report.Report {
			r, err := retention.Report(ctx, db, reporttest.From, reporttest.To, o)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		before := report()
		res, err := retention.Purge(ctx, db, keep, o, false)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(res.Days, []string{"2026-11-12", "2026-11-13"}) || res.Calls != 10 || res.Callbacks != 2 {
			t.Fatalf("purge: %+v", res)
		}
		open, err := db.Callbacks(ctx, callcare.CallbackFilter{Status: callcare.CallbackOpen})
		if err != nil {
			t.Fatal(err)
		}
		if len(open) != 4 {
			t.Errorf("%d open tasks kept, want 4 (of c15, c16, c17, c18)", len(open))
		}
		after := report()
		if want := append(slices.Clone(reporttest.PurgedDays), "2026-11-12", "2026-11-13"); !slices.Equal(after.Archived, want) {
			t.Errorf("archived %v, want %v", after.Archived, want)
		}
		after.Archived = before.Archived
		if !reflect.DeepEqual(after, before) {
			t.Fatalf("the report changed with the purge:\nbefore %+v\nafter  %+v", before.Office, after.Office)
		}
	})
}

func TestPurge_NothingToKeepForEver(t *testing.T) {
	db := knownOffice(t)
	o := reporttest.Options()
	res, err := retention.Purge(context.Background(), db, callcare.Retention{}, o, false)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res, retention.Result{}) {
		t.Fatalf("a retention of 0 purged %+v", res)
	}
}
