package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// The exports name every figure as the archive does (Measures), so a
// spreadsheet, a script and the archive speak the same names. Durations
// are in nanoseconds (…_ns); shares are computed, from 0 to 1, empty
// (CSV) or absent (JSON) when there is nothing to share.

// exportRow is one scope's figures in the exports.
type exportRow struct {
	Scope      string             `json:"scope"`
	Key        string             `json:"key,omitempty"`
	Name       string             `json:"name,omitempty"`
	Department string             `json:"department,omitempty"`
	Listed     *bool              `json:"listed,omitempty"`
	Figures    map[string]int64   `json:"figures"`
	Shares     map[string]float64 `json:"shares"`
}

type exportReport struct {
	From      string      `json:"from"`
	To        string      `json:"to"`
	Made      string      `json:"made"`
	RingLimit int         `json:"ring_limit"`
	Archived  []string    `json:"archived_days"`
	Rows      []exportRow `json:"scopes"`
	Days      []exportRow `json:"days"`
}

// shareNames are the computed shares, in the exports' order.
var shareNames = []string{"p4a", "p4a_phone", "p4c", "p4m", "p4l"}

func shares(f Figures) map[string]Ratio {
	return map[string]Ratio{"p4a": f.P4a(), "p4a_phone": f.P4aPhone(), "p4c": f.P4c(), "p4m": f.P4m(), "p4l": f.P4l()}
}

func newExportRow(scope, key, name, dep string, listed *bool, f Figures) exportRow {
	r := exportRow{Scope: scope, Key: key, Name: name, Department: dep, Listed: listed,
		Figures: map[string]int64{}, Shares: map[string]float64{}}
	for _, m := range f.measures() {
		r.Figures[m.name] = *m.v
	}
	for name, s := range shares(f) {
		if s.Known() {
			r.Shares[name] = float64(s.Num) / float64(s.Den)
		}
	}
	return r
}

func (r *Report) export() exportReport {
	e := exportReport{From: r.From, To: r.To, Made: r.Made.Format("2006-01-02T15:04:05Z07:00"), RingLimit: r.RingLimit,
		Archived: append([]string{}, r.Archived...)}
	e.Rows = append(e.Rows, newExportRow(ScopeOffice, "", "", "", nil, r.Office))
	for _, d := range r.Departments {
		e.Rows = append(e.Rows, newExportRow(ScopeDepartment, d.Key, d.Name, "", &d.Listed, d.Figures))
	}
	for _, c := range r.Clerks {
		e.Rows = append(e.Rows, newExportRow(ScopeClerk, c.Key, c.Name, c.Department, &c.Listed, c.Figures))
	}
	e.Rows = append(e.Rows,
		newExportRow(ScopeGroup, GroupSpecial, "", "", nil, r.Special),
		newExportRow(ScopeGroup, GroupOthers, "", "", nil, r.Others))
	for _, d := range r.Days {
		e.Days = append(e.Days, newExportRow("day", d.Day, "", "", nil, d.Figures))
	}
	return e
}

// JSON writes the report's figures as JSON: the period, then every
// scope's figures and shares, then each day's office figures.
func (r *Report) JSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r.export()); err != nil {
		return fmt.Errorf("report: write JSON: %w", err)
	}
	return nil
}

// CSV writes the report's figures as CSV, one row per scope (office,
// departments, clerks, groups) and per day (scope "day", key the day), a
// column per figure and per share.
func (r *Report) CSV(w io.Writer) error {
	e := r.export()
	cw := csv.NewWriter(w)
	head := append([]string{"scope", "key", "name", "department", "from", "to"}, Measures()...)
	head = append(head, shareNames...)
	_ = cw.Write(head)
	for _, row := range append(e.Rows, e.Days...) {
		rec := []string{row.Scope, row.Key, row.Name, row.Department, e.From, e.To}
		if row.Scope == "day" {
			rec[4], rec[5] = row.Key, row.Key
		}
		for _, m := range Measures() {
			rec = append(rec, strconv.FormatInt(row.Figures[m], 10))
		}
		for _, s := range shareNames {
			v, ok := row.Shares[s]
			if ok {
				rec = append(rec, strconv.FormatFloat(v, 'f', 4, 64))
			} else {
				rec = append(rec, "")
			}
		}
		_ = cw.Write(rec)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("report: write CSV: %w", err)
	}
	return nil
}
