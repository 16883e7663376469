package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/callcare/callcare"
)

// The staff list for the website (P3.3): made from the same directory the
// PBX follows, so the published list never disagrees with it.

// directoryFields are the columns an export may have, with their Polish
// headings (the HTML page's); JSON and CSV use the keys.
var directoryFields = []struct{ key, heading string }{
	{"name", "Imię"},
	{"surname", "Nazwisko"},
	{"position", "Stanowisko"},
	{"department", "Wydział"},
	{"number", "Telefon"},
	{"extension", "Numer wewnętrzny"},
	{"department_number", "Numer wydziału"},
	{"absent_until", "Nieobecność do"},
	{"substitute", "Zastępstwo"},
	{"substitute_number", "Telefon zastępstwa"},
}

func newDirectoryCmd() *cobra.Command {
	c := group(&cobra.Command{
		Use:   "directory",
		Short: "the staff directory (P3.3)",
	})
	c.AddCommand(newDirectoryExportCmd())
	return c
}

func newDirectoryExportCmd() *cobra.Command {
	var (
		path, format, out, fields, prefix, title string
		absences                                 bool
	)
	c := &cobra.Command{
		Use:   "export",
		Short: "the staff list for the website, from the directory the PBX follows (P3.3)",
		Long: `Write the staff list as the office publishes it: name, surname, position,
department and the number to call, from callcare.yaml, so the published list
never disagrees with the PBX. --format html is a complete page to publish as
is (lang="pl", a table with headings, readable at 200 % zoom and on a phone);
json and csv are for the website's own templates. --fields chooses the
columns and their order; --absences adds who is away now, until when, and
who takes their calls (never why: a reason such as sick leave is personal
data). --prefix turns an extension into the number a citizen dials.`,
		Example: `  callcare directory export --format html --prefix "+48 85 600 0" --out /var/www/telefony.html
  callcare directory export --format csv --fields surname,name,number
  callcare directory export --format json --absences`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			cols, err := parseFields(fields, absences)
			if err != nil {
				return usageError{err}
			}
			if format != "html" && format != "json" && format != "csv" {
				return usagef("--format %q: want html, json or csv", format)
			}
			var v *absenceView
			if absences {
				v, err = openAbsences(c.Context(), path, false)
			} else {
				v, err = openAbsences(context.WithoutCancel(c.Context()), path, false)
				if v != nil {
					v.forwards = nil
				}
			}
			if err != nil {
				return err
			}
			defer v.Close()
			rows := directoryRows(v, absences, prefix)
			var buf bytes.Buffer
			switch format {
			case "html":
				err = writeDirectoryHTML(&buf, title, v.now.In(v.cfg.TimeZone), cols, rows, departmentRows(v, prefix))
			case "json":
				err = writeDirectoryJSON(&buf, v.now.In(v.cfg.TimeZone), cols, rows, departmentRows(v, prefix))
			case "csv":
				err = writeDirectoryCSV(&buf, cols, rows)
			}
			if err != nil {
				return err
			}
			return writeOut(out, c.OutOrStdout(), bytesOf(buf.Bytes()))
		},
	}
	configFlag(c.Flags(), &path, "the staff directory")
	c.Flags().StringVar(&format, "format", "html", "html, json or csv")
	c.Flags().StringVar(&out, "out", "", "write to this `file` (default: standard output)")
	c.Flags().StringVar(&fields, "fields", "name,surname,position,department,number",
		"the columns, in order: "+fieldKeys())
	c.Flags().BoolVar(&absences, "absences", false, "add who is away now, until when, and who takes their calls")
	c.Flags().StringVar(&prefix, "prefix", "", `what a citizen dials before an extension, such as "+48 85 600 0"`)
	c.Flags().StringVar(&title, "title", "Wykaz telefonów", "the HTML page's title")
	return c
}

func fieldKeys() string {
	var keys []string
	for _, f := range directoryFields {
		keys = append(keys, f.key)
	}
	return strings.Join(keys, ", ")
}

// column is a chosen field.
type column struct{ key, heading string }

func parseFields(s string, absences bool) ([]column, error) {
	var cols []column
	seen := map[string]bool{}
	for _, k := range strings.Split(s, ",") {
		k = strings.TrimSpace(k)
		found := false
		for _, f := range directoryFields {
			if f.key == k {
				found = true
				if !seen[k] {
					cols = append(cols, column{f.key, f.heading})
					seen[k] = true
				}
			}
		}
		if !found {
			return nil, fmt.Errorf("--fields: %q is not a field; the fields are %s", k, fieldKeys())
		}
	}
	if absences {
		for _, k := range []string{"absent_until", "substitute", "substitute_number"} {
			if !seen[k] {
				for _, f := range directoryFields {
					if f.key == k {
						cols = append(cols, column{f.key, f.heading})
					}
				}
			}
		}
	}
	return cols, nil
}

// dirRow is one clerk's values by field key; tel is the number to call as a
// tel: URI (digits and +), "" when it cannot be one.
type dirRow struct {
	values map[string]string
	tel    map[string]string
}

func publicNumber(prefix, ext string) (shown, tel string) {
	shown = strings.TrimSpace(prefix) + ext
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == '+' {
			return r
		}
		return -1
	}, shown)
	if prefix == "" {
		return ext, ""
	}
	return shown, digits
}

func directoryRows(v *absenceView, absences bool, prefix string) []dirRow {
	dir := &v.cfg.Directory
	book := v.book()
	var rows []dirRow
	for _, d := range dir.Departments { // department by department, as the office is organised
		for _, c := range dir.Clerks {
			if c.Department != d.Number {
				continue
			}
			number, tel := publicNumber(prefix, c.Extension)
			depNumber, depTel := publicNumber(prefix, d.Number)
			r := dirRow{
				values: map[string]string{"name": c.Name, "surname": c.Surname, "position": c.Position,
					"department": d.Name, "number": number, "extension": c.Extension, "department_number": depNumber},
				tel: map[string]string{"number": tel, "department_number": depTel},
			}
			if cov, away := book.Cover(dir, c.ID, v.now); absences && away {
				until := "do odwołania"
				if a := cov.Rule; !a.Until.IsZero() && a.Weekly == nil && !a.OutsideHours {
					until = untilText(a, v.cfg.TimeZone)
					until = strings.TrimSuffix(until, " (whole day)")
				} else if a.Weekly != nil || a.OutsideHours {
					until = "dziś"
				}
				r.values["absent_until"] = until
				switch cov.To.Kind {
				case callcare.TargetClerk:
					s, _ := dir.Clerk(callcare.ClerkID(cov.To.ID))
					r.values["substitute"] = s.FullName()
					r.values["substitute_number"], r.tel["substitute_number"] = publicNumber(prefix, s.Extension)
				case callcare.TargetDepartment:
					sd, _ := dir.Department(cov.To.ID)
					r.values["substitute"] = sd.Name
					r.values["substitute_number"], r.tel["substitute_number"] = publicNumber(prefix, sd.Number)
				}
			}
			rows = append(rows, r)
		}
	}
	return rows
}

// depRow is a department and its number.
type depRow struct{ Name, Number, Tel string }

func departmentRows(v *absenceView, prefix string) []depRow {
	var out []depRow
	for _, d := range v.cfg.Directory.Departments {
		n, tel := publicNumber(prefix, d.Number)
		out = append(out, depRow{Name: d.Name, Number: n, Tel: tel})
	}
	return out
}

func writeDirectoryCSV(w io.Writer, cols []column, rows []dirRow) error {
	cw := csv.NewWriter(w)
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = c.key
	}
	cw.Write(head)
	for _, r := range rows {
		rec := make([]string, len(cols))
		for i, c := range cols {
			rec[i] = csvSafe(r.values[c.key])
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a spreadsheet from reading a value as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) && !isPhoneNumber(s) {
		return "'" + s
	}
	return s
}

func isPhoneNumber(s string) bool {
	return strings.Trim(s, "+0123456789 ") == "" && strings.HasPrefix(s, "+")
}

func writeDirectoryJSON(w io.Writer, at time.Time, cols []column, rows []dirRow, deps []depRow) error {
	type dep struct {
		Name   string `json:"name"`
		Number string `json:"number"`
	}
	doc := struct {
		Updated     string              `json:"updated"`
		Fields      []string            `json:"fields"`
		Staff       []map[string]string `json:"staff"`
		Departments []dep               `json:"departments"`
	}{Updated: at.Format(time.RFC3339)}
	for _, c := range cols {
		doc.Fields = append(doc.Fields, c.key)
	}
	for _, r := range rows {
		m := map[string]string{}
		for _, c := range cols {
			m[c.key] = r.values[c.key]
		}
		doc.Staff = append(doc.Staff, m)
	}
	for _, d := range deps {
		doc.Departments = append(doc.Departments, dep{d.Name, d.Number})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// The page: one column of text that reflows at any zoom (relative units,
// no fixed widths), the tables scrolling sideways on their own when a
// narrow screen cannot hold them, headings of the tables' columns, a
// caption, contrast well above WCAG's 4.5:1, numbers as tel: links.
var directoryPage = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="pl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font-family: system-ui, sans-serif; font-size: 1rem; line-height: 1.5; color: #111; background: #fff; margin: 1rem auto; padding: 0 1rem; max-width: 70rem; }
h1 { font-size: 1.75rem; line-height: 1.2; }
h2 { font-size: 1.35rem; margin-top: 2rem; }
.table { overflow-x: auto; }
.table:focus { outline: 0.2rem solid #0b57d0; }
table { border-collapse: collapse; min-width: 100%; }
caption { text-align: left; font-weight: bold; padding: 0.5rem 0; }
th, td { text-align: left; vertical-align: top; padding: 0.5em 0.75em; border-bottom: 1px solid #595959; }
thead th { background: #e8e8e8; }
a { color: #0b57d0; text-decoration: underline; }
a:focus { outline: 0.2rem solid #0b57d0; }
</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
<p>Stan na {{.Updated}}. Wykaz jest tworzony z tego samego spisu, według którego centrala łączy rozmowy.</p>
<h2 id="pracownicy">Pracownicy</h2>
<div class="table" role="region" aria-labelledby="pracownicy" tabindex="0">
<table>
<caption>Pracownicy urzędu: {{range $i, $c := .Columns}}{{if $i}}, {{end}}{{$c.Heading}}{{end}}</caption>
<thead>
<tr>{{range .Columns}}<th scope="col">{{.Heading}}</th>{{end}}</tr>
</thead>
<tbody>
{{range .Rows}}<tr>{{range .}}<td>{{if .Tel}}<a href="tel:{{.Tel}}">{{.Text}}</a>{{else}}{{.Text}}{{end}}</td>{{end}}</tr>
{{end}}</tbody>
</table>
</div>
<h2 id="wydzialy">Wydziały</h2>
<div class="table" role="region" aria-labelledby="wydzialy" tabindex="0">
<table>
<caption>Numery wydziałów</caption>
<thead>
<tr><th scope="col">Wydział</th><th scope="col">Telefon</th></tr>
</thead>
<tbody>
{{range .Departments}}<tr><td>{{.Name}}</td><td>{{if .Tel}}<a href="tel:{{.Tel}}">{{.Number}}</a>{{else}}{{.Number}}{{end}}</td></tr>
{{end}}</tbody>
</table>
</div>
</main>
</body>
</html>
`))

func writeDirectoryHTML(w io.Writer, title string, at time.Time, cols []column, rows []dirRow, deps []depRow) error {
	type cell struct {
		Text string
		Tel  template.URL // digits and + only: built by publicNumber
	}
	type headed struct{ Key, Heading string }
	data := struct {
		Title, Updated string
		Columns        []headed
		Rows           [][]cell
		Departments    []depRow
	}{Title: title, Updated: at.Format("2006-01-02 15:04"), Departments: deps}
	for _, c := range cols {
		data.Columns = append(data.Columns, headed{c.key, c.heading})
	}
	for _, r := range rows {
		var cells []cell
		for _, c := range cols {
			cells = append(cells, cell{Text: r.values[c.key], Tel: template.URL(r.tel[c.key])})
		}
		data.Rows = append(data.Rows, cells)
	}
	return directoryPage.Execute(w, data)
}
