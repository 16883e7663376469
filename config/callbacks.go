package config

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/callcare/callcare"
)

var (
	callerIDRe    = regexp.MustCompile(`^\+?[0-9]{1,20}$`)
	featureCodeRe = regexp.MustCompile(`^[*0-9]{1,20}$`)
	// dialRe is an endpoint with DialNumber replaced by a digit: one
	// TECH/resource, no second endpoint (&), no spaces, no more braces.
	dialRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*/[^\s,&{}]+$`)
)

// Limits of callback settings.
const (
	MinKeyTimeout    = 3 * time.Second   // P5.1: people need time to find a key
	MinNoteMax       = 5 * time.Second   // shorter notes say nothing
	MaxNoteMax       = 120 * time.Second // a note is a few words, not a message
	MaxSchedulerTick = 2 * time.Second   // P4m: the clerk rings within 2 s of the agreed minute
)

// buildDeputies checks clerks[].substitute and departments[].head and puts
// them in the directory.
func (p *parser) buildDeputies(f *File, c *Config, idx dirIndex) {
	c.substitutes = map[callcare.ClerkID]callcare.ClerkID{}
	c.heads = map[string]callcare.ClerkID{}
	defer func() {
		for i, cl := range c.Directory.Clerks {
			c.Directory.Clerks[i].Substitute = c.substitutes[cl.ID]
		}
		for i, d := range c.Directory.Departments {
			c.Directory.Departments[i].Head = c.heads[d.Number]
		}
	}()
	if idx.clerksOK {
		for i, rc := range f.Clerks {
			path := fmt.Sprintf("clerks[%d].substitute", i)
			v, ok := p.text(path, rc.Substitute)
			if !ok {
				continue
			}
			self := strings.TrimSpace(rc.ID)
			switch _, known := idx.ids[v]; {
			case v == self:
				p.add(path, p.lineOf(path), "a clerk cannot be their own substitute")
			case !known:
				p.add(path, p.lineOf(path), "substitute %q is not a clerk id", v)
			default:
				if idx.ids[self] == fmt.Sprintf("clerks[%d].id", i) { // the clerk's id is theirs alone
					c.substitutes[callcare.ClerkID(self)] = callcare.ClerkID(v)
				}
			}
		}
	}
	if idx.depsOK {
		for i, rd := range f.Departments {
			path := fmt.Sprintf("departments[%d].head", i)
			v, ok := p.text(path, rd.Head)
			if !ok || !idx.clerksOK {
				continue
			}
			if _, known := idx.ids[v]; !known {
				p.add(path, p.lineOf(path), "head %q is not a clerk id", v)
				continue
			}
			number := strings.TrimSpace(rd.Number)
			if idx.deps[number] == fmt.Sprintf("departments[%d].number", i) {
				c.heads[number] = callcare.ClerkID(v)
			}
		}
	}
}

// days are the keys of office_hours, with their weekdays.
var days = []struct {
	key string
	day time.Weekday
	of  func(*FileOfficeHours) Day
}{
	{"monday", time.Monday, func(oh *FileOfficeHours) Day { return oh.Monday }},
	{"tuesday", time.Tuesday, func(oh *FileOfficeHours) Day { return oh.Tuesday }},
	{"wednesday", time.Wednesday, func(oh *FileOfficeHours) Day { return oh.Wednesday }},
	{"thursday", time.Thursday, func(oh *FileOfficeHours) Day { return oh.Thursday }},
	{"friday", time.Friday, func(oh *FileOfficeHours) Day { return oh.Friday }},
	{"saturday", time.Saturday, func(oh *FileOfficeHours) Day { return oh.Saturday }},
	{"sunday", time.Sunday, func(oh *FileOfficeHours) Day { return oh.Sunday }},
}

// Closed is the word for a day the office does not open.
const Closed = "closed"

// buildOfficeHours checks office_hours. Without it the office keeps
// callcare.DefaultOfficeHours; with it, a day left out is closed.
func (p *parser) buildOfficeHours(r *FileOfficeHours, loc *time.Location) callcare.OfficeHours {
	oh := callcare.DefaultOfficeHours()
	if loc != nil {
		oh.Location = loc
	}
	const base = "office_hours"
	if _, written := p.lines[base]; !written || p.bad[base] {
		return oh
	}
	oh.Week = [7][]callcare.Span{}
	oh.PolishHolidays = true
	oh.Closed = nil

	open, daysOK := false, true
	for _, d := range days {
		path := base + "." + d.key
		if !p.has(path) {
			daysOK = daysOK && !p.bad[path]
			continue
		}
		spans, ok := p.daySpans(path, d.of(r))
		daysOK = daysOK && ok
		oh.Week[d.day] = spans
		open = open || len(spans) > 0
	}
	if daysOK && !open {
		p.add(base, p.lineOf(base), "the office opens on no day: callbacks could never fall due (leave office_hours out for Monday to Friday, 07:30-15:30)")
	}
	if path := base + ".polish_holidays"; p.has(path) {
		oh.PolishHolidays = r.PolishHolidays
	}
	if path := base + ".closed"; p.has(path) {
		tz := oh.Location
		if tz == nil {
			tz = time.UTC
		}
		seen := map[string]int{}
		for i, v := range r.Closed {
			ip := fmt.Sprintf("%s[%d]", path, i)
			if !p.has(ip) {
				continue
			}
			day := time.Time(v)
			key := day.Format(time.DateOnly)
			if first, dup := seen[key]; dup {
				p.add(ip, p.lineOf(ip), "%s is listed twice (also %s[%d])", key, path, first)
				continue
			}
			seen[key] = i
			oh.Closed = append(oh.Closed, time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, tz))
		}
	}
	return oh
}

// daySpans reads one day of office_hours: a span, a list of spans in order
// and without overlaps, or "closed".
func (p *parser) daySpans(path string, d Day) ([]callcare.Span, bool) {
	type written struct{ path, text string }
	var ws []written
	switch {
	case !d.List:
		if len(d.Spans) == 0 || strings.EqualFold(strings.TrimSpace(d.Spans[0]), Closed) {
			return nil, true
		}
		ws = append(ws, written{path, d.Spans[0]})
	case len(d.Spans) == 0:
		p.add(path, p.lineOf(path), "an empty list; write %q for a day the office does not open", Closed)
		return nil, false
	default:
		for i, text := range d.Spans {
			ip := fmt.Sprintf("%s[%d]", path, i)
			if !p.has(ip) {
				return nil, false
			}
			ws = append(ws, written{ip, text})
		}
	}
	var spans []callcare.Span
	ok := true
	for _, w := range ws {
		t := strings.TrimSpace(w.text)
		if strings.EqualFold(t, Closed) {
			p.add(w.path, p.lineOf(w.path), "%q is a whole day's value, not one of its spans", Closed)
			ok = false
			continue
		}
		sp, err := callcare.ParseSpan(t)
		if err != nil {
			p.add(w.path, p.lineOf(w.path), "must be a span such as \"07:30-15:30\" (%v)", err)
			ok = false
			continue
		}
		if n := len(spans); n > 0 && sp.From < spans[n-1].To {
			p.add(w.path, p.lineOf(w.path), "%q overlaps or comes before the span before it; write a day's spans in order, without overlaps", t)
			ok = false
			continue
		}
		spans = append(spans, sp)
	}
	return spans, ok
}

// buildSpecialNeeds checks special_needs: the registry of numbers and the
// dedicated lines.
func (p *parser) buildSpecialNeeds(f *File, c *Config, idx dirIndex) {
	sn := &c.SpecialNeeds
	rs := &f.SpecialNeeds
	if path := "special_needs.numbers"; p.has(path) {
		seen := map[callcare.Number]string{}
		for i, v := range rs.Numbers {
			ip := fmt.Sprintf("%s[%d]", path, i)
			v, ok := p.text(ip, v)
			if !ok {
				continue
			}
			n, callable := callcare.CallableNumber(callcare.Number(v))
			if !callable {
				// Masked: the registry is the citizens' health data, and
				// a refused reload's problems reach the log.
				p.add(ip, p.lineOf(ip), "%q is not a number that can be called (3 to 15 digits, optionally a leading +)", callcare.MaskNumber(v))
				continue
			}
			if first, dup := seen[n]; dup {
				p.add(ip, p.lineOf(ip), "%s is listed twice (also %s, line %d)", n.Masked(), first, p.lineOf(first))
				continue
			}
			seen[n] = ip
			sn.Numbers = append(sn.Numbers, n)
		}
	}
	if path := "special_needs.lines"; p.has(path) {
		lineAt := map[string]string{}
		for i, rl := range rs.Lines {
			base := fmt.Sprintf("%s[%d]", path, i)
			if !p.has(base) {
				continue
			}
			var l Line
			if v, ok := p.text(base+".number", rl.Number); ok {
				np := base + ".number"
				first, dup := lineAt[v]
				ext, isExt := idx.exts[v]
				dep, isDep := idx.deps[v]
				switch {
				case !numberRe.MatchString(v):
					p.add(np, p.lineOf(np), "%q is not a number that can be dialed (digits only)", v)
				case dup:
					p.add(np, p.lineOf(np), "duplicate line %q (also %s)", v, p.where(first))
				case isExt:
					p.add(np, p.lineOf(np), "line %q is also the extension of %s", v, p.where(ext))
				case isDep:
					p.add(np, p.lineOf(np), "line %q is also the number of %s", v, p.where(dep))
				case p.usable("callbacks.feature_code") && v == strings.TrimSpace(f.Callbacks.FeatureCode):
					p.add(np, p.lineOf(np), "line %q is also the feature code (callbacks.feature_code, line %d)", v, p.lineOf("callbacks.feature_code"))
				default:
					lineAt[v] = np
				}
				l.Number = v
			}
			if v, ok := p.text(base+".target", rl.Target); ok && idx.clerksOK && idx.depsOK {
				tp := base + ".target"
				if _, isClerk := idx.ids[v]; isClerk {
					l.Target = callcare.Target{Kind: callcare.TargetClerk, ID: v}
				} else if _, isDep := idx.deps[v]; isDep {
					l.Target = callcare.Target{Kind: callcare.TargetDepartment, ID: v}
				} else {
					p.add(tp, p.lineOf(tp), "target %q names neither a clerk id nor a department number", v)
				}
			}
			sn.Lines = append(sn.Lines, l)
		}
	}
}

// buildCallbacks checks callbacks. anyHead tells whether some department
// names a head.
func (p *parser) buildCallbacks(rc *FileCallbacks, idx dirIndex, anyHead bool) Callbacks {
	const base = "callbacks."
	cb := Callbacks{
		Promise:             time.Duration(rc.Promise),
		SpecialNeedsPromise: time.Duration(rc.SpecialNeedsPromise),
		MaxAttempts:         rc.MaxAttempts,
		KeyTimeout:          time.Duration(rc.KeyTimeout),
		ClaimFor:            time.Duration(rc.ClaimFor),
		NoteMax:             time.Duration(rc.NoteMax),
		NoteRetention:       time.Duration(rc.NoteRetention),
		SchedulerTick:       time.Duration(rc.SchedulerTick),
	}
	problem := func(key, format string, args ...any) {
		p.add(base+key, p.lineOf(base+key), format, args...)
	}
	usable := func(key string) bool { return p.usable(base + key) }

	if usable("promise") && cb.Promise <= 0 {
		problem("promise", "must be longer than zero, not %s", short(cb.Promise))
	}
	if usable("special_needs_promise") {
		switch {
		case cb.SpecialNeedsPromise <= 0:
			problem("special_needs_promise", "must be longer than zero, not %s", short(cb.SpecialNeedsPromise))
		case usable("promise") && cb.Promise > 0 && cb.SpecialNeedsPromise > cb.Promise:
			// Report it where the admin wrote a value: the default 1h
			// meets a shorter promise only when promise is written.
			if p.has(base + "special_needs_promise") {
				problem("special_needs_promise", "%s is longer than promise (%s): people with special needs are served first (P5.3)", short(cb.SpecialNeedsPromise), short(cb.Promise))
			} else {
				problem("promise", "%s is shorter than special_needs_promise (default %s): set special_needs_promise too, no longer than promise (P5.3)", short(cb.Promise), short(cb.SpecialNeedsPromise))
			}
		}
	}

	if usable("max_attempts") && cb.MaxAttempts < 1 {
		problem("max_attempts", "must be at least 1, not %d", cb.MaxAttempts)
	}
	if usable("retry") {
		retryOK := true
		for i, v := range rc.Retry {
			key := fmt.Sprintf("retry[%d]", i)
			if !usable(key) {
				retryOK = false
				continue
			}
			v = strings.TrimSpace(v)
			if v == RetryNextDay {
				cb.Retry = append(cb.Retry, Retry{NextDay: true})
				continue
			}
			d, err := time.ParseDuration(v)
			switch {
			case err != nil:
				problem(key, "%q is neither a duration such as 15m nor %s", v, RetryNextDay)
				retryOK = false
			case d <= 0:
				problem(key, "must be longer than zero, not %s", d)
				retryOK = false
			default:
				cb.Retry = append(cb.Retry, Retry{After: d})
			}
		}
		if retryOK && len(cb.Retry) == 0 && usable("max_attempts") && cb.MaxAttempts > 1 {
			problem("retry", "no retry step for max_attempts %d: give at least one (such as [15m, 1h, %s]) or set max_attempts to 1", cb.MaxAttempts, RetryNextDay)
		}
	}

	if v, ok := p.text(base+"caller_id", rc.CallerID); ok {
		if !callerIDRe.MatchString(v) {
			problem("caller_id", "%q is not a phone number: digits, optionally a leading +", v)
		}
		cb.CallerID = v
	}

	if usable("dial") {
		v := strings.TrimSpace(rc.Dial)
		switch n := strings.Count(v, DialNumber); {
		case v == "":
			problem("dial", "must not be empty; leave it out for %s", DefaultCallbacks().Dial)
		case n == 0:
			problem("dial", "%q lacks %s, where the citizen's number goes, such as PJSIP/%s@trunk", v, DialNumber, DialNumber)
		case n > 1:
			problem("dial", "%q has %s %d times; write it once", v, DialNumber, n)
		case strings.ContainsAny(strings.Replace(v, DialNumber, "0", 1), "{}"):
			problem("dial", "%q: the only placeholder is %s", v, DialNumber)
		case !dialRe.MatchString(strings.Replace(v, DialNumber, "0", 1)):
			problem("dial", "%q is not an Asterisk endpoint of the form TECH/resource, such as PJSIP/%s@trunk", v, DialNumber)
		}
		cb.Dial = v
	}

	if usable("feature_code") {
		v := strings.TrimSpace(rc.FeatureCode)
		switch {
		case v == "":
			problem("feature_code", "must not be empty; leave it out for %s", DefaultCallbacks().FeatureCode)
		case !featureCodeRe.MatchString(v) || !strings.ContainsAny(v, "0123456789"):
			problem("feature_code", "%q is not a feature code: * and digits, such as *70", v)
		default:
			if at, ok := idx.exts[v]; ok {
				problem("feature_code", "%q is also the extension of %s", v, p.where(at))
			} else if at, ok := idx.deps[v]; ok {
				problem("feature_code", "%q is also the number of %s", v, p.where(at))
			}
		}
		cb.FeatureCode = v
	}

	if usable("key_timeout") && cb.KeyTimeout < MinKeyTimeout {
		problem("key_timeout", "must be at least %s, not %s: people with special needs need time to find a key (P5.1)", short(MinKeyTimeout), short(cb.KeyTimeout))
	}
	if usable("claim_for") && cb.ClaimFor <= 0 {
		problem("claim_for", "must be longer than zero, not %s", short(cb.ClaimFor))
	}
	if usable("note_max") && (cb.NoteMax < MinNoteMax || cb.NoteMax > MaxNoteMax) {
		problem("note_max", "must be from %s to %s, not %s", short(MinNoteMax), short(MaxNoteMax), short(cb.NoteMax))
	}
	if usable("note_retention") && cb.NoteRetention < 0 {
		problem("note_retention", "must not be negative, not %s (0s deletes a note as soon as its task closes)", short(cb.NoteRetention))
	}
	if usable("scheduler_tick") && (cb.SchedulerTick <= 0 || cb.SchedulerTick > MaxSchedulerTick) {
		problem("scheduler_tick", "must be longer than zero and at most %s, not %s: an agreed callback rings the clerk within 2 s of its minute (P4m)", short(MaxSchedulerTick), short(cb.SchedulerTick))
	}

	if usable("escalate_to") {
		switch v := strings.TrimSpace(rc.EscalateTo); v {
		case EscalateReport:
			cb.EscalateTo = v
		case EscalateHead:
			cb.EscalateTo = v
			if idx.depsOK && !anyHead && !p.anyBad("departments") {
				problem("escalate_to", "is %q but no department names a head (departments[].head)", EscalateHead)
			}
		default:
			problem("escalate_to", "unknown escalation %q; use %q or %q", v, EscalateHead, EscalateReport)
		}
	}
	return cb
}

// short writes a duration without zero units: 1h, not 1h0m0s.
func short(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// anyBad tells whether some problem was found at or under path.
func (p *parser) anyBad(path string) bool {
	for _, pr := range p.problems {
		if pr.Path == path || strings.HasPrefix(pr.Path, path+".") || strings.HasPrefix(pr.Path, path+"[") {
			return true
		}
	}
	return false
}
