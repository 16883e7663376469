package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/callcare/callcare"
)

// Every text exists in both languages, with the same format verbs.
func TestTexts_Complete(t *testing.T) {
	verbs := regexp.MustCompile(`%[a-z]|\{[a-z]+\}`)
	pl, en := reflect.ValueOf(textsPL), reflect.ValueOf(textsEN)
	for i := range pl.NumField() {
		name := pl.Type().Field(i).Name
		a, b := pl.Field(i).Interface(), en.Field(i).Interface()
		switch a := a.(type) {
		case string:
			b := b.(string)
			if a == "" || b == "" {
				t.Errorf("%s: empty (pl %q, en %q)", name, a, b)
			}
			if va, vb := verbs.FindAllString(a, -1), verbs.FindAllString(b, -1); strings.HasSuffix(name, "F") && !reflect.DeepEqual(va, vb) {
				t.Errorf("%s: verbs pl %v, en %v", name, va, vb)
			}
		case []string:
			if b := b.([]string); len(a) != len(b) || len(a) == 0 {
				t.Errorf("%s: %d in pl, %d in en", name, len(a), len(b))
			}
		}
	}
	if _, err := TextsFor("de"); err == nil {
		t.Error("texts in German")
	}
}

func sample(t *testing.T) *Report {
	t.Helper()
	held := answered(2, "a", callcare.PartyClerk)
	held.Holds = []callcare.Hold{{Clerk: "a", From: held.StartedAt.Add(20 * time.Second), To: held.StartedAt.Add(50 * time.Second)}}
	held.Transfers = []callcare.Transfer{{By: "a", CameBack: true}}
	recs := Records{
		Calls:    []callcare.CallRecord{held, ended(callcare.OutcomeMissed, 3)},
		Tasks:    []callcare.CallbackTask{task("24 10:00:00", "24 12:00:00")},
		Attempts: map[int64][]callcare.CallbackAttempt{1: {try("24 10:30:00", callcare.AttemptReached)}},
	}
	r, err := Build(Source{Live: Tally(recs, opts())}, "2026-11-23", "2026-11-29", opts())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestHTML(t *testing.T) {
	r := sample(t)
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"pl", []string{`<html lang="pl">`, "Okres: 23.11.2026 – 29.11.2026", "Odebrane do 3. sygnału", "50%", "Najdłuższe wstrzymanie rozmowy", "1 z 1 przełączeń", "Sekretariat", "Anna A"}},
		{"en", []string{`<html lang="en">`, "Period: 23 Nov 2026 – 29 Nov 2026", "Answered within 3 rings", "50%", "Longest hold", "1 of 1 transfers", "Sekretariat"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			page, err := r.HTMLString(tc.lang)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			checkPage(t, page)
		})
	}
	if err := r.HTML(&bytes.Buffer{}, "de"); err == nil {
		t.Error("a report in German")
	}
}

// checkPage checks what makes the page work offline, print, and read well
// with assistive technology.
func checkPage(t *testing.T, page string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var figures, tables, captions, colHeads, svgs, labelled int
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			attr := map[string]string{}
			for _, a := range n.Attr {
				attr[a.Key] = a.Val
			}
			for _, k := range []string{"src", "href", "action", "srcset"} {
				if v, ok := attr[k]; ok {
					t.Errorf("<%s %s=%q>: the report must load nothing", n.Data, k, v)
				}
			}
			if _, ok := attr["data-figure"]; ok {
				figures++
			}
			switch n.Data {
			case "script", "link", "iframe", "img", "object":
				t.Errorf("<%s> in the report", n.Data)
			case "table":
				tables++
			case "caption":
				captions++
			case "th":
				if attr["scope"] == "col" {
					colHeads++
				}
			case "svg":
				svgs++
				if attr["role"] == "img" && attr["aria-labelledby"] != "" {
					labelled++
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if tables == 0 || captions != tables || colHeads == 0 {
		t.Errorf("%d tables, %d captions, %d column headers", tables, captions, colHeads)
	}
	if svgs != 4 || labelled != svgs {
		t.Errorf("%d charts, %d with a title and description", svgs, labelled)
	}
	if figures < 50 {
		t.Errorf("only %d figures marked", figures)
	}
	for _, w := range []string{"@media print", "size: A4", "break-after: page", `name="viewport"`} {
		if !strings.Contains(page, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if regexp.MustCompile(`url\(|@import|https?://[a-z]`).MatchString(strings.ReplaceAll(page, "http://www.w3.org/2000/svg", "")) {
		t.Error("the page names something to load")
	}
}

func TestExports(t *testing.T) {
	r := sample(t)
	var j bytes.Buffer
	if err := r.JSON(&j); err != nil {
		t.Fatal(err)
	}
	var e struct {
		From, To string
		Scopes   []struct {
			Scope, Key string
			Figures    map[string]int64
			Shares     map[string]float64
		}
		Days []struct{ Key string }
	}
	if err := json.Unmarshal(j.Bytes(), &e); err != nil {
		t.Fatal(err)
	}
	if e.From != "2026-11-23" || len(e.Days) != 7 || e.Scopes[0].Scope != "office" ||
		e.Scopes[0].Figures["calls"] != 2 || e.Scopes[0].Figures["answer_wait.max_ns"] != int64(10*time.Second) ||
		e.Scopes[0].Shares["p4a"] != 0.5 {
		t.Errorf("JSON: %s", j.String())
	}
	if _, ok := e.Scopes[0].Shares["p4m"]; ok {
		t.Error("a share of nothing exported")
	}

	var c bytes.Buffer
	if err := r.CSV(&c); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&c).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := rows[0]
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	// office, 1 department, 2 clerks, 2 groups, 7 days
	if len(rows) != 1+1+1+2+2+7 {
		t.Fatalf("%d rows", len(rows))
	}
	office := rows[1]
	if office[col["scope"]] != "office" || office[col["calls"]] != "2" || office[col["p4a"]] != "0.5000" || office[col["p4m"]] != "" {
		t.Errorf("office row: %v", office)
	}
	if got := fmt.Sprint(len(head)); len(head) != 6+len(Measures())+len(shareNames) {
		t.Errorf("%s columns", got)
	}
}
