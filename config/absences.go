package config

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/callcare/callcare"
)

// FileAbsence is one of absences: a clerk away, and who takes their calls
// (P4c). Without from, to, every, hours and outside_office_hours it holds
// until it is taken out of the file.
type FileAbsence struct {
	Clerk string `yaml:"clerk" jsonschema:"required"`
	// From and To bound it: a date (the whole day: to is the last day
	// away) or a date and time, in the office's zone.
	From When `yaml:"from"`
	To   When `yaml:"to"`
	// Every limits it to days of the week (monday ... sunday); Hours to a
	// span of those days, "13:00-24:00" (a span ending at or before it
	// starts runs past midnight: "22:00-06:00").
	Every []string `yaml:"every"`
	Hours string   `yaml:"hours"`
	// OutsideOfficeHours limits it to the times the office is closed.
	OutsideOfficeHours bool `yaml:"outside_office_hours"`
	// Substitute is a clerk id or a department number; left out, the
	// clerk's substitute (clerks[].substitute), else the department.
	Substitute string `yaml:"substitute" jsonschema:"oneof_type=string;integer"`
	Reason     string `yaml:"reason"` // leave, sick_leave, training or field_work
}

// FileForwarding is the forwarding: section: the desk phone's feature
// codes that set and clear a clerk's forward.
type FileForwarding struct {
	SetCode   string `yaml:"set_code"`
	ClearCode string `yaml:"clear_code"`
	MaxDays   int    `yaml:"max_days"`
}

// When is a moment written as a date (YYYY-MM-DD) or a date and time
// (YYYY-MM-DD HH:MM), quoted or not, in the office's time zone.
type When string

// Forwarding is how clerks forward their calls from the desk phone.
type Forwarding struct {
	// SetCode, then an extension or a department number, optionally # and
	// a number of office days, sets a forward (*21112#5); ClearCode clears
	// it (*20). The secretariat may put another clerk's extension and *
	// first (*21101*112, *20101).
	SetCode, ClearCode string
	MaxDays            int // the most office days a forward set by phone may last
}

// Defaults of forwarding.
const (
	DefaultSetCode   = "*21"
	DefaultClearCode = "*20"
	DefaultMaxDays   = 60
)

var (
	whenRe        = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}:\d{2}))?$`)
	forwardCodeRe = regexp.MustCompile(`^[*#][0-9]{1,4}$`)
)

// buildAbsences checks absences: and forwarding: (and secretariat:), the
// directory and the office's zone and hours being known.
func (p *parser) buildAbsences(f *File, c *Config, idx dirIndex) {
	c.Forwarding = Forwarding{SetCode: f.Forwarding.SetCode, ClearCode: f.Forwarding.ClearCode, MaxDays: f.Forwarding.MaxDays}
	p.buildForwarding(c)
	p.buildSecretariat(f, c, idx)
	if !p.has("absences") || !idx.clerksOK || !idx.depsOK {
		return
	}
	var paths []string
	for i, fa := range f.Absences {
		base := fmt.Sprintf("absences[%d]", i)
		if _, ok := p.lines[base]; !ok || p.bad[base] {
			continue
		}
		if a, ok := p.absence(base, fa, c, idx); ok {
			c.Absences = append(c.Absences, a)
			paths = append(paths, base)
		}
	}
	p.absenceLoops(&c.Directory, c.Absences, paths, c.OfficeHours)
}

func (p *parser) buildForwarding(c *Config) {
	fw := &c.Forwarding
	for _, code := range []struct {
		key string
		v   *string
	}{{"set_code", &fw.SetCode}, {"clear_code", &fw.ClearCode}} {
		path := "forwarding." + code.key
		*code.v = strings.TrimSpace(*code.v)
		if p.usable(path) && !forwardCodeRe.MatchString(*code.v) {
			p.add(path, p.lineOf(path), "%q is not a feature code: * or # and up to four digits, in quotes (\"*21\")", *code.v)
		}
	}
	if fw.SetCode != "" && fw.ClearCode != "" && (strings.HasPrefix(fw.SetCode, fw.ClearCode) || strings.HasPrefix(fw.ClearCode, fw.SetCode)) {
		p.add("forwarding.clear_code", p.lineOf("forwarding.clear_code"), "%q and set_code %q: neither code may begin the other, or a phone could not tell them apart", fw.ClearCode, fw.SetCode)
	}
	if cb := strings.TrimSpace(c.Callbacks.FeatureCode); cb != "" {
		for _, code := range []struct{ key, v string }{{"set_code", fw.SetCode}, {"clear_code", fw.ClearCode}} {
			if code.v == "" || !strings.HasPrefix(cb, code.v) && !strings.HasPrefix(code.v, cb) {
				continue
			}
			path := "forwarding." + code.key
			if !p.has(path) {
				// The default clashes: the line to change is the
				// callback code's, or a forwarding: to write.
				p.add("callbacks.feature_code", p.lineOf("callbacks.feature_code"), "%q clashes with the forwards' default %s %q: neither code may begin the other; choose another, or set forwarding.%s",
					cb, code.key, code.v, code.key)
				continue
			}
			p.add(path, p.lineOf(path), "%q clashes with callbacks.feature_code %q: neither code may begin the other", code.v, cb)
		}
	}
	if path := "forwarding.max_days"; p.usable(path) && (fw.MaxDays < 1 || fw.MaxDays > 366) {
		p.add(path, p.lineOf(path), "must be 1 to 366 office days, not %d", fw.MaxDays)
	}
}

// buildSecretariat checks secretariat: the department that answers when
// the service is down and may change others' forwards; the first
// department by default.
func (p *parser) buildSecretariat(f *File, c *Config, idx dirIndex) {
	if v, ok := p.text("secretariat", f.Secretariat); ok {
		if _, known := idx.deps[v]; idx.depsOK && !known {
			p.add("secretariat", p.lineOf("secretariat"), "no department has the number %q", v)
		}
		c.Secretariat = v
		return
	}
	if len(c.Directory.Departments) > 0 {
		c.Secretariat = c.Directory.Departments[0].Number
	}
}

// absence checks one of absences: at base.
func (p *parser) absence(base string, fa FileAbsence, c *Config, idx dirIndex) (callcare.Absence, bool) {
	a := callcare.Absence{Source: callcare.SetInFile, Where: fmt.Sprintf("%s, line %d", base, p.lineOf(base))}
	ok := true
	bad := func(key, format string, args ...any) {
		p.add(base+"."+key, p.lineOf(base+"."+key), format, args...)
		ok = false
	}
	clerk, known := callcare.Clerk{}, false
	if v, has := p.text(base+".clerk", fa.Clerk); has {
		a.Clerk = callcare.ClerkID(v)
		if clerk, known = c.Directory.Clerk(a.Clerk); !known {
			bad("clerk", "no clerk has the id %q", v)
		}
	} else {
		ok = false
	}
	if v, has := p.text(base+".substitute", fa.Substitute); has {
		_, isClerk := idx.ids[v]
		_, isDep := idx.deps[v]
		switch {
		case v == string(a.Clerk):
			bad("substitute", "a clerk cannot be their own substitute")
		case isClerk:
			a.To = callcare.Target{Kind: callcare.TargetClerk, ID: v}
		case isDep:
			a.To = callcare.Target{Kind: callcare.TargetDepartment, ID: v}
		default:
			bad("substitute", "substitute %q names neither a clerk id nor a department number", v)
		}
	} else if known && !p.has(base+".substitute") && !p.bad[base+".substitute"] {
		switch d, _ := c.Directory.Department(clerk.Department); {
		case clerk.Substitute != "":
			a.To = callcare.Target{Kind: callcare.TargetClerk, ID: string(clerk.Substitute)}
		// Somebody else is rung: the clerk may or may not be among the
		// members (a mismatch is only warned of).
		case slices.ContainsFunc(d.Members, func(m callcare.ClerkID) bool { return m != clerk.ID }) || d.Overflow != "":
			a.To = callcare.Target{Kind: callcare.TargetDepartment, ID: clerk.Department}
		default:
			p.add(base, p.lineOf(base), "%s has no substitute (clerks[].substitute) and nobody else in department %s: write substitute:", a.Clerk, clerk.Department)
			ok = false
		}
	}
	if v, has := p.text(base+".reason", fa.Reason); has {
		a.Reason = callcare.AbsenceReason(v)
		valid := false
		for _, r := range callcare.AbsenceReasons {
			valid = valid || r == a.Reason
		}
		if !valid {
			bad("reason", "unknown reason %q; use leave, sick_leave, training or field_work", v)
		}
	}
	zone := c.TimeZone
	if zone == nil {
		return a, false // reported at timezone:
	}
	if v, has := p.text(base+".from", string(fa.From)); has {
		t, _, err := parseWhen(v, zone)
		if err != nil {
			bad("from", "%v", err)
		}
		a.From = t
	}
	if v, has := p.text(base+".to", string(fa.To)); has {
		t, withTime, err := parseWhen(v, zone)
		if err != nil {
			bad("to", "%v", err)
		} else if !withTime {
			t = time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, zone) // the whole last day
		}
		a.Until = t
		if err == nil && !a.From.IsZero() && !a.Until.After(a.From) {
			bad("to", "%s ends before it begins (from %s)", v, strings.TrimSpace(string(fa.From)))
		}
	}
	if p.has(base+".every") || p.has(base+".hours") {
		w := &callcare.Weekly{From: 0, To: 24 * 60}
		if p.has(base + ".every") {
			for j, name := range fa.Every {
				path := fmt.Sprintf("%s.every[%d]", base, j)
				d, found := weekday(strings.TrimSpace(name))
				if !found {
					p.add(path, p.lineOf(path), "%q is not a day of the week (monday ... sunday)", name)
					ok = false
					continue
				}
				w.Days[d] = true
			}
		} else {
			for d := range w.Days {
				w.Days[d] = true
			}
		}
		if v, has := p.text(base+".hours", fa.Hours); has {
			from, to, err := absenceHours(v)
			if err != nil {
				bad("hours", "%v", err)
			}
			w.From, w.To = from, to
		}
		a.Weekly = w
	}
	a.OutsideHours = fa.OutsideOfficeHours
	return a, ok
}

func weekday(name string) (time.Weekday, bool) {
	for _, d := range days {
		if d.key == strings.ToLower(name) {
			return d.day, true
		}
	}
	return 0, false
}

// parseWhen reads a moment of absences: in zone; withTime tells a date and
// time from a date alone.
func parseWhen(s string, zone *time.Location) (t time.Time, withTime bool, err error) {
	m := whenRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return t, false, fmt.Errorf("%q: want a date, 2026-07-01, or a date and time, \"2026-07-01 13:00\"", s)
	}
	day, err := time.ParseInLocation(time.DateOnly, m[1], zone)
	if err != nil {
		return t, false, fmt.Errorf("%q is not a date of the calendar", m[1])
	}
	if m[2] == "" {
		return day, false, nil
	}
	minutes, err := parseMinutes(m[2])
	if err != nil || minutes >= 24*60 {
		return t, false, fmt.Errorf("%q: the time must be 00:00 to 23:59", s)
	}
	return time.Date(day.Year(), day.Month(), day.Day(), 0, minutes, 0, 0, zone), true, nil
}

// absenceHours reads "HH:MM-HH:MM" as minutes after midnight; an end at or
// before the start runs into the next day.
func absenceHours(s string) (from, to int, err error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	if ok {
		if from, err = parseMinutes(a); err == nil {
			to, err = parseMinutes(b)
		}
	}
	if !ok || err != nil || from >= 24*60 {
		return 0, 0, fmt.Errorf("%q: want hours such as \"13:00-24:00\" (or \"22:00-06:00\", past midnight)", s)
	}
	return from, to, nil
}

func parseMinutes(s string) (int, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || len(m) != 2 || len(h) < 1 || len(h) > 2 || hh < 0 || mm < 0 || mm > 59 || hh > 24 || hh == 24 && mm > 0 {
		return 0, fmt.Errorf("%q is not a time of day", s)
	}
	return hh*60 + mm, nil
}

// absenceLoops refuses absences of the file that make a loop (A away to B
// while B is away to A, also through a department whose members are all
// away) at some moment when they all hold: a call then would ring nobody it
// was meant to. Each loop is reported once, at the rule written first,
// naming the others' lines and a moment it happens.
//
// A loop needs a cycle among the absences regardless of time, so only the
// rules on one are looked at, at every moment the set of rules in force can
// change (each day's midnight, the rules' hours, the office's openings, the
// periods' ends): whatever holds at once holds at one of those moments.
func (p *parser) absenceLoops(dir *callcare.Directory, rules []callcare.Absence, paths []string, hours callcare.OfficeHours) {
	relevant := cyclicRules(dir, rules)
	if len(relevant) == 0 {
		return
	}
	book := &callcare.Absences{Rules: rules, Hours: hours}
	zone := hours.Location
	if zone == nil {
		zone = time.UTC
	}
	// The days to look at: around every period written, and a whole year
	// after (the weekly rules and the office's year repeat within it).
	var first, last time.Time
	anyOutside := false
	for _, i := range relevant {
		r := rules[i]
		for _, t := range []time.Time{r.From, r.Until} {
			if t.IsZero() {
				continue
			}
			if first.IsZero() || t.Before(first) {
				first = t
			}
			if t.After(last) {
				last = t
			}
		}
		anyOutside = anyOutside || r.OutsideHours
	}
	if first.IsZero() {
		first = time.Date(2026, 1, 1, 0, 0, 0, 0, zone) // any year will do
		last = first
	}
	start := first.In(zone).AddDate(0, 0, -1)
	end := last.In(zone).AddDate(0, 0, 372)
	if limit := start.AddDate(3, 0, 0); end.After(limit) {
		end = limit // bounded work, whatever the file says
	}
	reported := map[string]bool{}
	lastSet := ""
	// Bounded work however large the file: past it, the loops left are
	// met at call time (the call goes on to the department, with a warning).
	budget := 20_000_000
	for day := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, zone); day.Before(end); day = day.AddDate(0, 0, 1) {
		if p.ctx.Err() != nil {
			return
		}
		for _, at := range moments(day, rules, relevant, hours, anyOutside) {
			if budget -= len(relevant); budget < 0 {
				return
			}
			set := inForceKey(rules, relevant, at, hours)
			if set == lastSet || strings.Count(set, ",") < 1 {
				lastSet = set
				continue
			}
			lastSet = set
			for _, i := range relevant {
				if !rules[i].InForce(at, hours) {
					continue
				}
				cov, _ := book.Cover(dir, rules[i].Clerk, at)
				if cov.Problem == "" || cov.Problem == "unknown" {
					continue
				}
				p.reportLoop(cov, rules, paths, at.In(zone), reported)
			}
		}
	}
}

// reportLoop reports the loop of cov once, at the rule of it written first.
func (p *parser) reportLoop(cov callcare.Cover, rules []callcare.Absence, paths []string, at time.Time, reported map[string]bool) {
	var idxs []int
	for _, r := range cov.Rules {
		for i := range rules {
			if rules[i].Where == r.Where {
				idxs = append(idxs, i)
			}
		}
	}
	sort.Ints(idxs)
	key := fmt.Sprint(idxs)
	if reported[key] || len(idxs) == 0 {
		return
	}
	reported[key] = true
	var others []string
	for _, i := range idxs[1:] {
		others = append(others, rules[i].Where)
	}
	what := "a loop"
	if cov.Problem == "too long" {
		what = fmt.Sprintf("a chain of more than %d absences", callcare.MaxForwardHops)
	}
	first := paths[idxs[0]]
	p.add(first, p.lineOf(first), "%s: the absences make %s when they hold at once (with %s), e.g. at %s: a call would skip to the department's overflow",
		cov.PathString(), what, strings.Join(others, "; "), at.Format("2006-01-02 15:04"))
}

// moments are the instants of day at which the rules in force can change.
func moments(day time.Time, rules []callcare.Absence, relevant []int, hours callcare.OfficeHours, outside bool) []time.Time {
	mins := map[int]bool{0: true}
	var exact []time.Time
	for _, i := range relevant {
		r := rules[i]
		if r.Weekly != nil {
			mins[r.Weekly.From] = true
			mins[r.Weekly.To%(24*60)] = true
		}
		for _, t := range []time.Time{r.From, r.Until} {
			if !t.IsZero() && !t.Before(day) && t.Before(day.AddDate(0, 0, 1)) {
				exact = append(exact, t)
			}
		}
	}
	if outside {
		for _, s := range hours.Week[day.Weekday()] {
			mins[s.From], mins[s.To%(24*60)] = true, true
		}
	}
	out := exact
	for m := range mins {
		out = append(out, time.Date(day.Year(), day.Month(), day.Day(), 0, m, 0, 0, day.Location()))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

func inForceKey(rules []callcare.Absence, relevant []int, at time.Time, hours callcare.OfficeHours) string {
	var b strings.Builder
	for _, i := range relevant {
		if rules[i].InForce(at, hours) {
			fmt.Fprintf(&b, "%d,", i)
		}
	}
	return b.String()
}

// cyclicRules are the rules that can take part in a loop: those whose
// clerk is on a cycle of the graph of absences (a clerk to their
// substitute; a department whose members all have absences to its
// overflow), and those of the members of departments on one.
func cyclicRules(dir *callcare.Directory, rules []callcare.Absence) []int {
	edges := map[callcare.Target][]callcare.Target{}
	hasRule := map[callcare.ClerkID]bool{}
	for _, r := range rules {
		from := callcare.Target{Kind: callcare.TargetClerk, ID: string(r.Clerk)}
		edges[from] = append(edges[from], r.To)
		hasRule[r.Clerk] = true
	}
	for _, d := range dir.Departments {
		all := len(d.Members) > 0
		for _, m := range d.Members {
			all = all && hasRule[m]
		}
		if over, ok := dir.TargetOf(d.Overflow); all && ok && d.Overflow != "" {
			from := callcare.Target{Kind: callcare.TargetDepartment, ID: d.Number}
			edges[from] = append(edges[from], over)
		}
	}
	onCycle := cycleNodes(edges)
	keep := map[callcare.ClerkID]bool{}
	for t := range onCycle {
		switch t.Kind {
		case callcare.TargetClerk:
			keep[callcare.ClerkID(t.ID)] = true
		case callcare.TargetDepartment:
			d, _ := dir.Department(t.ID)
			for _, m := range d.Members {
				keep[m] = true
			}
		}
	}
	var out []int
	for i, r := range rules {
		if keep[r.Clerk] {
			out = append(out, i)
		}
	}
	return out
}

// cycleNodes are the nodes of a directed graph that lie on a cycle
// (Tarjan's strongly connected components of more than one node, or with
// an edge to itself).
func cycleNodes(edges map[callcare.Target][]callcare.Target) map[callcare.Target]bool {
	index := map[callcare.Target]int{}
	low := map[callcare.Target]int{}
	onStack := map[callcare.Target]bool{}
	var stack []callcare.Target
	out := map[callcare.Target]bool{}
	n := 0
	var visit func(v callcare.Target)
	visit = func(v callcare.Target) {
		index[v], low[v] = n, n
		n++
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range edges[v] {
			if _, seen := index[w]; !seen {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] != index[v] {
			return
		}
		var comp []callcare.Target
		for {
			w := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[w] = false
			comp = append(comp, w)
			if w == v {
				break
			}
		}
		self := false
		for _, w := range edges[v] {
			self = self || w == v
		}
		if len(comp) > 1 || self {
			for _, w := range comp {
				out[w] = true
			}
		}
	}
	keys := make([]callcare.Target, 0, len(edges))
	for v := range edges {
		keys = append(keys, v)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
	for _, v := range keys {
		if _, seen := index[v]; !seen {
			visit(v)
		}
	}
	return out
}
