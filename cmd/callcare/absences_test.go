package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/callcare/callcare/config"
	"github.com/callcare/callcare/dialplan"
	"github.com/callcare/callcare/sqlite"
)

// exampleWithDB writes the example configuration with its database in a
// temporary directory (created when withDB) and returns its path.
func exampleWithDB(t *testing.T, withDB bool, edits ...string) string {
	t.Helper()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "callcare.db")
	cfg := strings.Replace(string(config.Example()), "/var/lib/callcare/callcare.db", dbPath, 1)
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(cfg, edits[i]) {
			t.Fatalf("the example has no %q", edits[i])
		}
		cfg = strings.Replace(cfg, edits[i], edits[i+1], 1)
	}
	path := filepath.Join(dir, "callcare.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	if withDB {
		db, err := sqlite.Open(context.Background(), dbPath)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	return path
}

// TestDialplanRender_ShippedIsTheExamples: the shipped extensions.conf is
// what `dialplan render` makes of callcare.example.yaml, so the two never
// disagree. After changing either: go run ./cmd/callcare dialplan render
// --config callcare.example.yaml --out dialplan/asterisk/extensions.conf
func TestDialplanRender_ShippedIsTheExamples(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "callcare.example.yaml")
	os.WriteFile(path, config.Example(), 0o600)
	out := filepath.Join(dir, "extensions.conf")
	if status, _, errOut := runArgs(t, "dialplan", "render", "--config", path, "--out", out); status != 0 {
		t.Fatalf("render: %d %s", status, errOut)
	}
	got, _ := os.ReadFile(out)
	shipped, err := dialplan.Asterisk.ReadFile("asterisk/extensions.conf")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, shipped) {
		t.Errorf("dialplan/asterisk/extensions.conf is not the render of callcare.example.yaml; render it again:\n" +
			"  go run ./cmd/callcare dialplan render --config callcare.example.yaml --out dialplan/asterisk/extensions.conf")
	}
}

// TestDirectoryExport: the staff list for the website (P3.3), from the
// directory the PBX follows: a complete accessible page, JSON and CSV with
// the fields asked for, in their order.
func TestDirectoryExport(t *testing.T) {
	path := exampleWithDB(t, false, "name: Joanna", `name: "Joanna <script>alert(1)</script>"`)
	status, page, errOut := runArgs(t, "directory", "export", "--config", path, "--prefix", "+48 85 600 0")
	if status != 0 {
		t.Fatalf("html: %d %s", status, errOut)
	}
	for _, want := range []string{
		`<!DOCTYPE html>`, `<html lang="pl">`, `<meta name="viewport" content="width=device-width, initial-scale=1">`,
		`<th scope="col">Imię</th><th scope="col">Nazwisko</th><th scope="col">Stanowisko</th><th scope="col">Wydział</th><th scope="col">Telefon</th>`,
		`<caption>`, `<td>Wiśniewska</td>`, `<a href="tel:&#43;48856000112">&#43;48 85 600 0112</a>`,
		`Joanna &lt;script&gt;alert(1)&lt;/script&gt;`, `<td>Sekretariat</td>`, "rem",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "<script>") {
		t.Error("a name became a script")
	}
	// Readable at 200 %: sizes in rem and em, no width fixed in pixels.
	if m := regexp.MustCompile(`(width|font-size):[^;]*px`).FindString(page); m != "" {
		t.Errorf("the page fixes %q", m)
	}

	status, out, _ := runArgs(t, "directory", "export", "--config", path, "--format", "csv", "--fields", "surname,name,number")
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if status != 0 || err != nil || len(recs) != 9 || strings.Join(recs[0], ",") != "surname,name,number" || strings.Join(recs[3], ",") != "Nowak,Anna,111" {
		t.Errorf("csv: %d %v\n%s", status, err, out)
	}

	status, out, _ = runArgs(t, "directory", "export", "--config", path, "--format", "json", "--fields", "name,department")
	var doc struct {
		Fields      []string
		Staff       []map[string]string
		Departments []map[string]string
	}
	if err := json.Unmarshal([]byte(out), &doc); status != 0 || err != nil || len(doc.Staff) != 8 || len(doc.Departments) != 4 ||
		doc.Staff[2]["department"] != "Wydział Komunikacji" || len(doc.Staff[2]) != 2 {
		t.Errorf("json: %d %v %+v", status, err, doc)
	}
	if status, _, errOut := runArgs(t, "directory", "export", "--config", path, "--fields", "name,salary"); status != 2 || !strings.Contains(errOut, `"salary" is not a field`) {
		t.Errorf("an unknown field: %d %s", status, errOut)
	}
}

// TestDirectoryExport_Absences: with --absences the list says who is away
// and who takes their calls, never why (a sick leave is personal data).
func TestDirectoryExport_Absences(t *testing.T) {
	path := exampleWithDB(t, true)
	if status, _, errOut := runArgs(t, "absences", "set", "anowak", "--to", "112", "--until", "2099-12-31", "--reason", "sick_leave", "--config", path); status != 0 {
		t.Fatalf("set: %s", errOut)
	}
	status, out, _ := runArgs(t, "directory", "export", "--config", path, "--format", "csv", "--absences", "--fields", "surname")
	if status != 0 || !strings.Contains(out, "Nowak,2099-12-31,Paulina Wiśniewska,112") || strings.Contains(out, "sick") {
		t.Errorf("csv with absences:\n%s", out)
	}
}

// TestAbsencesCommands: set, list and clear from the command line, as the
// desk phone's *21 and *20 do; config check shows what is set as current
// overrides.
func TestAbsencesCommands(t *testing.T) {
	path := exampleWithDB(t, true)
	status, out, errOut := runArgs(t, "absences", "set", "111", "--to", "pwisniewska", "--days", "2", "--reason", "training", "--config", path)
	if status != 0 || !strings.Contains(out, "anowak: calls go to pwisniewska (112)") {
		t.Fatalf("set: %d %s %s", status, out, errOut)
	}
	status, out, _ = runArgs(t, "absences", "list", "--config", path)
	if status != 0 || !strings.Contains(out, "command line (admin)") || !strings.Contains(out, "in force") ||
		!strings.Contains(out, "yaml absences[0], line") || !strings.Contains(out, "anowak: calls go to pwisniewska (112)") {
		t.Errorf("list:\n%s", out)
	}
	status, out, _ = runArgs(t, "config", "check", "--config", path)
	if status != 0 || !strings.Contains(out, "current overrides") || !strings.Contains(out, "anowak -> pwisniewska (112)") {
		t.Errorf("config check:\n%s", out)
	}
	// A loop set by hand is taken (the phone can make one too) and warned of.
	status, _, errOut = runArgs(t, "absences", "set", "pwisniewska", "--to", "anowak", "--config", path)
	if status != 0 || !strings.Contains(errOut, "pwisniewska -> anowak -> pwisniewska") {
		t.Errorf("a loop: %d %s", status, errOut)
	}
	status, out, _ = runArgs(t, "absences", "clear", "anowak", "--config", path)
	if status != 0 || !strings.Contains(out, "anowak: forward cleared") || !strings.Contains(out, "ring their phone (PJSIP/111)") {
		t.Errorf("clear: %d %s", status, out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"absences", "set", "anowak", "--to", "anowak"}, "their own substitute"},
		{[]string{"absences", "set", "nobody", "--to", "112"}, `no clerk has the id or extension "nobody"`},
		{[]string{"absences", "set", "anowak", "--to", "999"}, `"999" is neither`},
		{[]string{"absences", "set", "anowak", "--to", "112", "--until", "2001-01-01"}, "before it starts"},
	} {
		status, _, errOut := runArgs(t, append(tc.args, "--config", path)...)
		if status != 1 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: %d %s; want %q", tc.args, status, errOut, tc.want)
		}
	}
	if status, _, errOut := runArgs(t, "absences", "set", "anowak", "--to", "112", "--reason", "holiday", "--config", path); status != 2 || !strings.Contains(errOut, "sick_leave") {
		t.Errorf("a reason: %d %s", status, errOut)
	}
	// --days 0 is no number of days, not "until cleared".
	if status, _, errOut := runArgs(t, "absences", "set", "anowak", "--to", "112", "--days", "0", "--config", path); status != 2 || !strings.Contains(errOut, "--days 0: want 1 or more") {
		t.Errorf("--days 0: %d %s", status, errOut)
	}
}
