package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callcare/callcare/internal/chromium"
	"github.com/callcare/callcare/internal/reporttest"
	"github.com/callcare/callcare/report"
	"github.com/callcare/callcare/sqlite"
)

// knownOffice writes the known office of internal/reporttest: its
// database, and a configuration that describes it and keeps records for
// retention (a duration, or "" for the default).
func knownOffice(t *testing.T, retention string) (cfgPath, dbPath string) {
	t.Helper()
	dir := t.TempDir()
	dbPath = filepath.Join(dir, "callcare.db")
	db, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := reporttest.Load(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	db.Close()
	var b strings.Builder
	fmt.Fprintf(&b, "asterisk:\n  ari_url: http://127.0.0.1:8088/ari\n  user: callcare\ndatabase: %s\ntimezone: Europe/Warsaw\n", dbPath)
	if retention != "" {
		fmt.Fprintf(&b, "retention:\n  calls: %s\n  numbers: 168h\n  notes: 168h\n", retention)
	}
	dir2 := reporttest.Directory()
	b.WriteString("departments:\n")
	for _, d := range dir2.Departments {
		fmt.Fprintf(&b, "  - {number: %q, name: %q, members: [%s], overflow: %q}\n", d.Number, d.Name, join(d.Members), d.Overflow)
	}
	b.WriteString("clerks:\n")
	for _, c := range dir2.Clerks {
		fmt.Fprintf(&b, "  - {id: %s, name: %s, surname: %s, position: %s, department: %q, extension: %q, endpoint: %s, overflow: %q}\n",
			c.ID, c.Name, c.Surname, c.Position, c.Department, c.Extension, c.Endpoint, c.Overflow)
	}
	cfgPath = filepath.Join(dir, "callcare.yaml")
	if err := os.WriteFile(cfgPath, []byte(strings.ReplaceAll(b.String(), `, overflow: ""`, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfgPath, dbPath
}

func join[T ~string](ids []T) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = string(id)
	}
	return strings.Join(s, ", ")
}

// at makes the program's clock read t for the test.
func at(t *testing.T, when time.Time) {
	t.Helper()
	old := now
	now = func() time.Time { return when }
	t.Cleanup(func() { now = old })
}

// shown are figures of the known office as the Polish report must show
// them, worked out by hand from reporttest.Expected.
var shown = map[string]string{
	"office.p4a": "30,8%", "office.not_answered": "9", "office.p4c": "50%", "office.p4m": "33,3%", "office.p4l": "2",
	"office.hold": "2 min", "office.line": "8 s", "office.transfers_back": "2",

	"department.100.calls": "10", "department.100.answered": "2", "department.100.p4a": "33,3%", "department.100.missed": "3",
	"department.100.abandoned": "1", "department.100.after_hours": "3", "department.100.p4l": "1",
	"department.100.callbacks": "3", "department.100.p4c": "66,7%", "department.100.callbacks_late": "1",
	"department.100.callbacks_overdue": "0", "department.100.callbacks_pending": "0",
	"department.100.callback_time": "23 min 20 s", "department.100.callback_time_max": "40 min",
	"department.100.agreed": "3", "department.100.p4m": "33,3%",
	"department.100.holds": "2", "department.100.line_waits": "1", "department.100.hold": "45 s", "department.100.line": "0 s", "department.100.transfers_back": "1 / 1",

	"department.200.calls": "7", "department.200.answered": "2", "department.200.p4a": "16,7%", "department.200.missed": "4",
	"department.200.abandoned": "1", "department.200.after_hours": "0", "department.200.p4l": "1",
	"department.200.callbacks": "4", "department.200.p4c": "33,3%", "department.200.callbacks_late": "1",
	"department.200.callbacks_overdue": "1", "department.200.callbacks_pending": "1",
	"department.200.callback_time": "2 godz. 30 min", "department.200.callback_time_max": "3 godz.",
	"department.200.agreed": "1", "department.200.p4m": "nie dotyczy",
	"department.200.holds": "2", "department.200.line_waits": "1", "department.200.hold": "2 min", "department.200.line": "6 s", "department.200.transfers_back": "0 / 1",

	"clerk.jkowalska.rung": "11", "clerk.jkowalska.answered": "1", "clerk.jkowalska.p4a": "12,5%", "clerk.jkowalska.not_answered": "7",
	"clerk.jkowalska.busy": "1 / 0", "clerk.jkowalska.p4l": "0", "clerk.jkowalska.callbacks": "0", "clerk.jkowalska.p4m": "0%",
	"clerk.mzielinski.rung": "9", "clerk.mzielinski.p4a": "14,3%", "clerk.mzielinski.not_answered": "6", "clerk.mzielinski.p4l": "1",
	"clerk.mzielinski.p4m": "100%",
	"clerk.anowak.rung":    "7", "clerk.anowak.p4a": "16,7%", "clerk.anowak.p4l": "1", "clerk.anowak.callbacks": "2", "clerk.anowak.p4c": "0%",
	"clerk.pwisniewska.rung": "5", "clerk.pwisniewska.p4a": "20%", "clerk.pwisniewska.not_answered": "4",
	"clerk.xformer.rung": "1", "clerk.xformer.p4a": "100%",
	"clerk.jkowalska.holds": "2", "clerk.anowak.holds": "1", "clerk.xformer.holds": "0", "clerk.jkowalska.hold": "45 s", "clerk.jkowalska.transfers_back": "0 / 0", "clerk.mzielinski.hold": "nie dotyczy",
	"clerk.mzielinski.transfers_back": "1 / 1", "clerk.anowak.hold": "1 min", "clerk.pwisniewska.hold": "2 min",
	"clerk.pwisniewska.transfers_back": "0 / 1", "clerk.xformer.transfers_back": "1 / 1",

	"special.calls": "3", "others.calls": "16", "special.answer_wait": "17 s", "others.answer_wait": "9 s",
	"special.answer_wait_max": "17 s", "others.answer_wait_max": "14 s", "special.p4a": "0%", "others.p4a": "36,4%",
	"special.callback_time": "30 min", "others.callback_time": "1 godz. 25 min", "special.p4c": "0%", "others.p4c": "60%",
	"special.line": "nie dotyczy", "others.line": "8 s",

	"day.2026-11-09.calls": "5", "day.2026-11-12.calls": "3", "day.2026-11-13.calls": "7", "day.2026-11-14.calls": "0",
	"day.2026-11-09.p4a": "50%", "day.2026-11-12.p4a": "0%", "day.2026-11-30.not_answered": "1",
}

// TestReport_KnownOffice makes the known office's report with the whole
// program, opens it in headless Chromium and reads it as a person would:
// no error in the console, the figures counted by hand, the summary on one
// A4 page, nothing wider than the window at 200 % zoom. Then it purges the
// first three days and finds the same figures, read from the archive.
func TestReport_KnownOffice(t *testing.T) {
	path, err := chromium.Find()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must run this test: %v", err)
		}
		t.Skip(err)
	}
	b, err := chromium.Start(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	cfg, _ := knownOffice(t, "432h") // 18 days
	out := filepath.Join(t.TempDir(), "report.html")
	makeIt := func(lang string) {
		t.Helper()
		at(t, reporttest.Now)
		if status, stdout, stderr := runArgs(t, "report", "--config", cfg, "--from", reporttest.From, "--to", reporttest.To,
			"--lang", lang, "--out", out); status != 0 || stdout != "" {
			t.Fatalf("report: exit status %d\n%s%s", status, stdout, stderr)
		}
	}
	open := func() *chromium.Page {
		t.Helper()
		p, err := b.Open(ctx, "file://"+out)
		if err != nil {
			t.Fatal(err)
		}
		if probs := p.Problems(); len(probs) > 0 {
			t.Errorf("the page's console:\n%s", strings.Join(probs, "\n"))
		}
		return p
	}
	figures := func(p *chromium.Page) map[string]string {
		t.Helper()
		var got map[string]string
		if err := p.Eval(ctx, `Object.fromEntries([...document.querySelectorAll("[data-figure]")].map(e => [e.dataset.figure, e.textContent.trim()]))`, &got); err != nil {
			t.Fatal(err)
		}
		return got
	}
	check := func(got map[string]string, source string) {
		t.Helper()
		for fig, want := range shown {
			if got[fig] != want {
				t.Errorf("%s shows %q, want %q", fig, got[fig], want)
			}
		}
		for _, day := range reporttest.PurgedDays {
			if got["day."+day+".source"] != source {
				t.Errorf("%s: from %q, want %q", day, got["day."+day+".source"], source)
			}
		}
	}

	makeIt("pl")
	p := open()
	check(figures(p), "rejestr połączeń")
	var lang string
	if err := p.Eval(ctx, `document.documentElement.lang`, &lang); err != nil || lang != "pl" {
		t.Errorf("lang %q, %v", lang, err)
	}

	t.Run("PrintsOnA4", func(t *testing.T) {
		// A4 less the page's margins (11 mm, 12 mm), in CSS pixels.
		const width, height = 703, 1039
		if err := p.Media(ctx, "print"); err != nil {
			t.Fatal(err)
		}
		defer p.Media(ctx, "")
		if err := p.Emulate(ctx, width, height, 1); err != nil {
			t.Fatal(err)
		}
		var m struct{ Summary, Wide float64 }
		if err := p.Eval(ctx, `({Summary: document.querySelector(".summary").getBoundingClientRect().height,
			Wide: document.documentElement.scrollWidth})`, &m); err != nil {
			t.Fatal(err)
		}
		t.Logf("printed: summary %.0f px high, page %.0f px wide", m.Summary, m.Wide)
		if m.Summary > height {
			t.Errorf("the summary is %.0f px high: more than one A4 page (%d px)", m.Summary, height)
		}
		if m.Wide > width {
			t.Errorf("printed, the page is %.0f px wide: wider than A4 (%d px)", m.Wide, width)
		}
		pdf, err := p.PDF(ctx)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("PDF %d bytes", len(pdf))
		if n := bytes.Count(pdf, []byte("/Type /Page\n")) + bytes.Count(pdf, []byte("/Type /Page ")) + bytes.Count(pdf, []byte("/Type /Page>")); n < 2 {
			t.Errorf("the PDF has %d pages, want the summary alone on the first and the details after", n)
		}
	})
	t.Run("ReadableAt200Percent", func(t *testing.T) {
		// A 1280 px wide window at 200 %: 640 CSS px, two device pixels each.
		if err := p.Emulate(ctx, 640, 900, 2); err != nil {
			t.Fatal(err)
		}
		var m struct {
			Wide, Window float64
			Font         string
		}
		if err := p.Eval(ctx, `({Wide: document.documentElement.scrollWidth, Window: window.innerWidth,
			Font: getComputedStyle(document.body).fontSize})`, &m); err != nil {
			t.Fatal(err)
		}
		t.Logf("at 200%%: %.0f px wide in %.0f, font %s", m.Wide, m.Window, m.Font)
		if m.Wide > m.Window {
			t.Errorf("at 200 %% the page is %.0f px wide in a %.0f px window: it scrolls sideways", m.Wide, m.Window)
		}
		if m.Font != "16px" {
			t.Errorf("body text is %s, want the reader's 16px", m.Font)
		}
	})

	t.Run("English", func(t *testing.T) {
		makeIt("en")
		got := figures(open())
		for fig, want := range map[string]string{"office.p4a": "30.8%", "office.hold": "2 min", "office.line": "8 s",
			"department.200.callback_time": "2 h 30 min", "day.2026-11-09.source": "call log"} {
			if got[fig] != want {
				t.Errorf("%s shows %q, want %q", fig, got[fig], want)
			}
		}
	})

	t.Run("AfterAPurge", func(t *testing.T) {
		at(t, reporttest.PurgeNow)
		status, stdout, stderr := runArgs(t, "purge", "--config", cfg)
		if status != 0 || !strings.Contains(stdout, "Archived and deleted the call log of 3 day(s), 2026-11-09..2026-11-11: 8 call(s)") ||
			!strings.Contains(stdout, "Deleted 5 closed callback(s)") {
			t.Fatalf("purge: exit status %d\n%s%s", status, stdout, stderr)
		}
		makeIt("pl")
		p := open()
		got := figures(p)
		check(got, "zestawienie dzienne")
		if !strings.Contains(got["archived"], "09.11.2026–11.11.2026") {
			t.Errorf("the archived days are not named: %q", got["archived"])
		}
	})
}

// The JSON and CSV exports carry the same figures, by the archive's names.
func TestReport_Exports(t *testing.T) {
	cfg, _ := knownOffice(t, "")
	at(t, reporttest.Now)
	want := reporttest.Expected()[report.Scope{Kind: report.ScopeOffice}]

	status, stdout, stderr := runArgs(t, "report", "--config", cfg, "--from", reporttest.From, "--to", reporttest.To, "--format", "json")
	if status != 0 {
		t.Fatalf("json: exit status %d\n%s", status, stderr)
	}
	var e struct {
		Scopes []struct {
			Scope   string
			Figures map[string]int64
		}
	}
	if err := json.Unmarshal([]byte(stdout), &e); err != nil {
		t.Fatal(err)
	}
	if e.Scopes[0].Scope != "office" || e.Scopes[0].Figures["calls"] != want.Calls || e.Scopes[0].Figures["in_rings"] != want.InRings ||
		e.Scopes[0].Figures["callback_time.sum_ns"] != int64(want.CallbackTime.Sum) {
		t.Errorf("json office figures: %v", e.Scopes[0])
	}

	out := filepath.Join(t.TempDir(), "november.csv")
	if status, _, stderr := runArgs(t, "report", "--config", cfg, "--from", reporttest.From, "--to", reporttest.To, "--format", "csv", "--out", out); status != 0 {
		t.Fatalf("csv: exit status %d\n%s", status, stderr)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	if rows[1][col["scope"]] != "office" || rows[1][col["missed"]] != fmt.Sprint(want.Missed) || rows[1][col["p4c"]] != "0.5000" {
		t.Errorf("csv office row: %v", rows[1])
	}
}

func TestReport_CommandLine(t *testing.T) {
	cfg, db := knownOffice(t, "")
	at(t, reporttest.Now)
	for _, tc := range []struct {
		args   []string
		status int
		want   string
	}{
		{[]string{"--from", "1.11.2026"}, 2, `--from "1.11.2026": want a day`},
		{[]string{"--from", "2026-11-30", "--to", "2026-11-01"}, 2, "--to 2026-11-01 is before --from 2026-11-30"},
		{[]string{"--format", "pdf"}, 2, `--format "pdf"`},
		{[]string{"--lang", "de"}, 2, `--lang "de"`},
		{[]string{"--config", filepath.Join(t.TempDir(), "none.yaml")}, 1, "no configuration at"},
		{[]string{"--db", filepath.Join(t.TempDir(), "none.db")}, 1, "no database at"},
	} {
		status, _, stderr := runArgs(t, append([]string{"report"}, tc.args...)...)
		if status != tc.status || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit status %d, want %d, stderr:\n%s", tc.args, status, tc.status, stderr)
		}
	}
	// --db alone: no configuration, clerks by id; the defaults cover last
	// month and this one so far.
	status, stdout, stderr := runArgs(t, "report", "--db", db, "--format", "csv")
	if status != 0 || !strings.Contains(stdout, "\nclerk,jkowalska,jkowalska,") || !strings.Contains(stdout, ",2026-10-01,2026-11-30,") {
		t.Errorf("--db alone: exit status %d\n%s%s", status, stdout, stderr)
	}
	// It says so: the figures are not the office's.
	if !strings.Contains(stderr, "No configuration: default office hours") {
		t.Errorf("--db alone: nothing says the figures use defaults:\n%s", stderr)
	}
	_ = cfg
}

func TestPurge_DryRun(t *testing.T) {
	cfg, db := knownOffice(t, "432h")
	at(t, reporttest.PurgeNow)
	status, stdout, stderr := runArgs(t, "purge", "--config", cfg, "--dry-run")
	for _, want := range []string{
		"Retention: the call log 18 days, callers' numbers 7 days, voice notes 7 days after their callback closes.",
		"Would archive and delete the call log of 3 day(s), 2026-11-09..2026-11-11: 8 call(s); each day's figures stay in the report.",
		"Would delete 5 closed callback(s), with their attempts.",
		"Would erase the caller's number in 12 record(s).",
	} {
		if status != 0 || !strings.Contains(stdout, want) {
			t.Errorf("dry run: exit status %d, lacks %q:\n%s%s", status, want, stdout, stderr)
		}
	}
	// Nothing went.
	d, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	days, _ := d.ArchivedDays(context.Background(), "2026-01-01", "2026-12-31")
	if len(days) != 0 {
		t.Errorf("a dry run archived %v", days)
	}
	if status, _, stderr := runArgs(t, "purge", "--db", db); status != 2 || !strings.Contains(stderr, "needs the configuration's retention") {
		t.Errorf("purge --db alone: exit status %d\n%s", status, stderr)
	}
}
