package config

import (
	"fmt"
	"net"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/callcare/callcare"
)

var (
	numberRe   = regexp.MustCompile(`^[0-9]{1,20}$`)
	idRe       = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)
	endpointRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*/[A-Za-z0-9_.@:+*#=-][^\s,&/]*$`)
	envNameRe  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	appRe      = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,80}$`)
	soundRe    = regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9_./-]*$`)
)

// text returns the trimmed value at path when the file gives it one of the
// right type, reporting an empty one.
func (p *parser) text(path, v string) (string, bool) {
	if !p.has(path) {
		return "", false
	}
	v = strings.TrimSpace(v)
	if v == "" {
		p.add(path, p.lineOf(path), "must not be empty")
		return "", false
	}
	return v, true
}

// usable tells whether the value at path (written or defaulted) may be checked.
func (p *parser) usable(path string) bool { return !p.bad[path] }

// where names the item holding an earlier value, for "also ..." in messages.
func (p *parser) where(path string) string {
	item := path
	if i := strings.LastIndex(path, "."); i >= 0 {
		item = path[:i]
	}
	return fmt.Sprintf("%s, line %d", item, p.lineOf(path))
}

// build checks the values and turns them into domain types.
func (p *parser) build(f *File) *Config {
	c := &Config{}
	p.buildAsterisk(f, c)

	if v, ok := p.text("database", f.Database); ok {
		c.Database = v
	}
	if p.usable("timezone") {
		name := strings.TrimSpace(f.TimeZone)
		switch loc, err := time.LoadLocation(name); {
		case name == "":
			p.add("timezone", p.lineOf("timezone"), "must not be empty; leave it out for %s", DefaultTimeZone)
		case err != nil:
			p.add("timezone", p.lineOf("timezone"), "unknown time zone %q; use an IANA name such as %s", name, DefaultTimeZone)
		default:
			c.TimeZone = loc
		}
	}

	if p.usable("language") {
		switch v := strings.TrimSpace(f.Language); v {
		case "pl", "en":
			c.Language = v
		default:
			p.add("language", p.lineOf("language"), "%q: the service says numbers and times in pl or en", v)
		}
	}

	c.Procedure = callcare.Procedure{
		AnswerWithinRings: f.Procedure.AnswerWithinRings,
		RingCycle:         time.Duration(f.Procedure.RingCycle),
	}
	if path := "procedure.answer_within_rings"; p.usable(path) && c.Procedure.AnswerWithinRings < 1 {
		p.add(path, p.lineOf(path), "must be at least 1, not %d (the procedure asks for an answer by the 3rd ring)", c.Procedure.AnswerWithinRings)
	}
	if path := "procedure.ring_cycle"; p.usable(path) && c.Procedure.RingCycle <= 0 {
		p.add(path, p.lineOf(path), "must be longer than zero, not %s (Polish ringing: 1 s tone and 4 s pause, 5s)", c.Procedure.RingCycle)
	}

	c.Prompts = p.buildSounds(f.Sounds)

	var idx dirIndex
	c.Directory, idx = p.buildDirectory(f)
	p.buildDeputies(f, c, idx)
	c.OfficeHours = p.buildOfficeHours(&f.OfficeHours, c.TimeZone)
	p.buildSpecialNeeds(f, c, idx)
	c.Callbacks = p.buildCallbacks(&f.Callbacks, idx, len(c.heads) > 0)
	p.buildRetention(&f.Retention, c)
	p.buildMetrics(&f.Metrics, c)
	p.buildAbsences(f, c, idx)
	p.buildMatters(f, c, idx)
	c.Waiting = p.buildWaiting(&f.Waiting)
	p.buildMusic(f, c)
	return c
}

// buildSounds checks the sounds: section, one key per field of Prompts.
func (p *parser) buildSounds(s callcare.Prompts) callcare.Prompts {
	v := reflect.ValueOf(&s).Elem()
	for _, f := range fieldsOf(v.Type()) {
		v.Field(f.index).SetString(p.sound("sounds."+f.key, v.Field(f.index).String()))
	}
	return s
}

func (p *parser) sound(path, v string) string {
	if !p.usable(path) {
		return ""
	}
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		p.add(path, p.lineOf(path), "must not be empty; leave it out for the default")
	case strings.HasPrefix(v, "sound:"):
		p.add(path, p.lineOf(path), "write the sound's name without \"sound:\": %q", strings.TrimPrefix(v, "sound:"))
	case !soundRe.MatchString(v) || strings.Contains(v, ".."):
		p.add(path, p.lineOf(path), "%q is not an Asterisk sound name (letters, digits, _ - . and / for a subdirectory)", v)
	}
	return v
}

func (p *parser) buildAsterisk(f *File, c *Config) {
	a := &c.Asterisk
	ra := f.Asterisk
	ariOK := false
	if v, ok := p.text("asterisk.ari_url", ra.ARIURL); ok {
		u, err := url.Parse(v)
		switch {
		case err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "":
			p.add("asterisk.ari_url", p.lineOf("asterisk.ari_url"), "must be an http:// or https:// URL such as http://127.0.0.1:8088/ari, not %q", v)
		default:
			a.ARIURL = strings.TrimRight(v, "/")
			ariOK = true
		}
	}
	if v := strings.TrimSpace(ra.WebsocketURL); p.has("asterisk.websocket_url") && v != "" {
		u, err := url.Parse(v)
		if err != nil || u.Scheme != "ws" && u.Scheme != "wss" || u.Host == "" {
			p.add("asterisk.websocket_url", p.lineOf("asterisk.websocket_url"), "must be a ws:// or wss:// URL such as ws://127.0.0.1:8088/ari/events, not %q", v)
		} else {
			a.WebsocketURL = v
		}
	} else if ariOK && !p.bad["asterisk.websocket_url"] { // empty: derived
		a.WebsocketURL = websocketURL(a.ARIURL)
	}
	if v, ok := p.text("asterisk.user", ra.User); ok {
		a.User = v
	}
	if path := "asterisk.password_env"; p.usable(path) && !envNameRe.MatchString(ra.PasswordEnv) {
		p.add(path, p.lineOf(path), "%q is not an environment variable name", ra.PasswordEnv)
	}
	if path := "asterisk.password_file"; p.has(path) && strings.TrimSpace(ra.PasswordFile) == "" {
		p.add(path, p.lineOf(path), "must not be empty; leave it out to use only %s", ra.PasswordEnv)
	}
	if path := "asterisk.app"; p.usable(path) {
		if !appRe.MatchString(ra.App) {
			p.add(path, p.lineOf(path), "%q is not a usable Stasis application name (up to 80 letters, digits, _ - .)", ra.App)
		}
		a.App = ra.App
	}
	if path := "asterisk.request_timeout"; p.usable(path) {
		if ra.RequestTimeout <= 0 {
			p.add(path, p.lineOf(path), "must be longer than zero, not %s", ra.RequestTimeout)
		}
		a.RequestTimeout = time.Duration(ra.RequestTimeout)
	}
	if path := "asterisk.max_connections"; p.usable(path) {
		if ra.MaxConnections < 1 {
			p.add(path, p.lineOf(path), "must be at least 1 (and well under http.conf's sessionlimit, 100 by default), not %d", ra.MaxConnections)
		}
		a.MaxConnections = ra.MaxConnections
	}
	if path := "asterisk.max_calls"; p.usable(path) {
		if ra.MaxCalls < 0 {
			p.add(path, p.lineOf(path), "must be 0 (no bound) or more, not %d", ra.MaxCalls)
		}
		a.MaxCalls = ra.MaxCalls
	}
	if path := "asterisk.max_latency"; p.usable(path) {
		if ra.MaxLatency < 0 {
			p.add(path, p.lineOf(path), "must be 0s (no bound) or longer, not %s", ra.MaxLatency)
		}
		a.MaxLatency = time.Duration(ra.MaxLatency)
	}
	if path := "asterisk.max_calls_per_second"; p.usable(path) {
		if ra.MaxCallsPerSecond < 0 {
			p.add(path, p.lineOf(path), "must be 0 (no bound) or more, not %d", ra.MaxCallsPerSecond)
		}
		a.MaxCallsPerSecond = ra.MaxCallsPerSecond
	}
	if path := "asterisk.max_host_cpu"; p.usable(path) {
		if ra.MaxHostCPU < 0 || ra.MaxHostCPU > 100 {
			p.add(path, p.lineOf(path), "must be a share of the processors' time in per cent, 1 to 100, or 0 (no bound), not %d", ra.MaxHostCPU)
		}
		a.MaxHostCPU = float64(ra.MaxHostCPU) / 100
	}
	if path := "asterisk.agi_listen"; p.usable(path) {
		if _, port, err := net.SplitHostPort(ra.AGIListen); err != nil || port == "" {
			p.add(path, p.lineOf(path), "must be host:port such as %s, not %q", DefaultAGIListen, ra.AGIListen)
		}
		a.AGIListen = ra.AGIListen
	}
}

// websocketURL derives the ARI event stream's URL from the REST base.
func websocketURL(ari string) string {
	switch {
	case strings.HasPrefix(ari, "https://"):
		ari = "wss://" + strings.TrimPrefix(ari, "https://")
	case strings.HasPrefix(ari, "http://"):
		ari = "ws://" + strings.TrimPrefix(ari, "http://")
	}
	return strings.TrimRight(ari, "/") + "/events"
}

// dirIndex tells, for the numbers and ids of the directory written validly
// and first, the YAML path where each is written.
type dirIndex struct {
	ids, deps, exts  map[string]string // clerk id, department number, extension -> path
	depsOK, clerksOK bool              // the lists themselves are usable
}

func (p *parser) buildDirectory(f *File) (callcare.Directory, dirIndex) {
	var dir callcare.Directory
	depsOK := p.has("departments")
	clerksOK := p.has("clerks")

	depAt := map[string]string{}      // department number -> path of its first definition
	var depPaths, clerkPaths []string // YAML path of each item kept in dir
	if depsOK {
		for i, rd := range f.Departments {
			base := fmt.Sprintf("departments[%d]", i)
			if _, ok := p.lines[base]; !ok || p.bad[base] {
				continue
			}
			d := callcare.Department{Ring: callcare.RingTogether}
			if v, ok := p.text(base+".number", rd.Number); ok {
				p.unique(base+".number", v, dialable, "department number", depAt)
				d.Number = v
			}
			if v, ok := p.text(base+".name", rd.Name); ok {
				d.Name = v
			}
			if path := base + ".ring"; p.has(path) {
				switch s := callcare.RingStrategy(strings.TrimSpace(rd.Ring)); s {
				case callcare.RingTogether, callcare.RingInOrder:
					d.Ring = s
				default:
					p.add(path, p.lineOf(path), "unknown ring strategy %q; use %q or %q", rd.Ring, callcare.RingTogether, callcare.RingInOrder)
				}
			}
			if path := base + ".members"; p.has(path) {
				for j, m := range rd.Members {
					mp := fmt.Sprintf("%s[%d]", path, j)
					if v, ok := p.text(mp, m); ok {
						d.Members = append(d.Members, callcare.ClerkID(v))
					}
				}
			}
			if path := base + ".overflow"; p.has(path) {
				if v, ok := p.text(path, rd.Overflow); ok {
					d.Overflow = v
				}
			}
			if len(d.Members) == 0 && d.Overflow == "" && !p.bad[base+".members"] && !p.bad[base+".overflow"] {
				p.add(base, p.lineOf(base), "department %q has no members and no overflow: a call to it would ring nobody", d.Number)
			}
			dir.Departments = append(dir.Departments, d)
			depPaths = append(depPaths, base)
		}
	}

	idAt := map[string]string{}
	extAt := map[string]string{}
	endpointAt := map[string]string{}
	if clerksOK {
		for i, rc := range f.Clerks {
			base := fmt.Sprintf("clerks[%d]", i)
			if _, ok := p.lines[base]; !ok || p.bad[base] {
				continue
			}
			var c callcare.Clerk
			if v, ok := p.text(base+".id", rc.ID); ok {
				path := base + ".id"
				if p.unique(path, v, usableID, "clerk id", idAt) {
					if dp, isDep := depAt[v]; isDep {
						p.add(path, p.lineOf(path), "clerk id %q is also the number of %s: an overflow naming it would be ambiguous", v, p.where(dp))
					}
				}
				c.ID = callcare.ClerkID(v)
			}
			for _, f := range []struct {
				key string
				raw string
				dst *string
			}{{"name", rc.Name, &c.Name}, {"surname", rc.Surname, &c.Surname}, {"position", rc.Position, &c.Position}} {
				if v, ok := p.text(base+"."+f.key, f.raw); ok {
					*f.dst = v
				}
			}
			if v, ok := p.text(base+".department", rc.Department); ok {
				path := base + ".department"
				if _, known := depAt[v]; depsOK && !known {
					p.add(path, p.lineOf(path), "no department has the number %q", v)
				}
				c.Department = v
			}
			if v, ok := p.text(base+".extension", rc.Extension); ok {
				path := base + ".extension"
				if p.unique(path, v, dialable, "extension", extAt) {
					if dp, isDep := depAt[v]; isDep {
						p.add(path, p.lineOf(path), "extension %q is also the number of %s", v, p.where(dp))
					}
				}
				c.Extension = v
			}
			if v, ok := p.text(base+".endpoint", rc.Endpoint); ok {
				v = canonicalTech(v)
				p.unique(base+".endpoint", v, endpoint, "endpoint", endpointAt)
				c.Endpoint = v
			}
			if path := base + ".overflow"; p.has(path) {
				if v, ok := p.text(path, rc.Overflow); ok {
					c.Overflow = v
				}
			}
			dir.Clerks = append(dir.Clerks, c)
			clerkPaths = append(clerkPaths, base)
		}
	}

	idx := dirIndex{ids: idAt, deps: depAt, exts: extAt, depsOK: depsOK, clerksOK: clerksOK}
	if !depsOK || !clerksOK {
		return dir, idx // references cannot be checked against a missing half
	}

	// References: members, overflows.
	for i, d := range dir.Departments {
		base := depPaths[i]
		seen := map[callcare.ClerkID]int{}
		for j, m := range d.Members {
			mp := fmt.Sprintf("%s.members[%d]", base, j)
			if _, ok := idAt[string(m)]; !ok {
				p.add(mp, p.lineOf(mp), "member %q is not a clerk id", m)
			} else if first, dup := seen[m]; dup {
				p.add(mp, p.lineOf(mp), "%q is listed twice (also %s.members[%d])", m, base, first)
			} else {
				seen[m] = j
			}
		}
		if d.Overflow != "" {
			p.knownRef(idAt, depAt, base+".overflow", d.Overflow)
		}
	}
	for i, c := range dir.Clerks {
		base := clerkPaths[i]
		if c.Overflow != "" {
			p.knownRef(idAt, depAt, base+".overflow", c.Overflow)
		}
	}
	p.membership(dir, depPaths, clerkPaths)

	// Loops: report each loop once, at the overflow line of the member of
	// the loop written first, with the error a call would meet there.
	// Loops are found on the graph of overflows in one pass; expanding
	// every chain as a call would takes cubic time on a long chain.
	cycleOf := overflowCycles(&dir)
	type loop struct {
		at   callcare.Target
		path string
	}
	loops := map[int]loop{}
	var order []int
	consider := func(t callcare.Target, overflowPath string) {
		id, in := cycleOf[t]
		if !in {
			return // no loop, or leads into one reported at its own members
		}
		l, seen := loops[id]
		if !seen {
			order = append(order, id)
		}
		if !seen || p.lineOf(overflowPath) < p.lineOf(l.path) {
			loops[id] = loop{t, overflowPath}
		}
	}
	for i, d := range dir.Departments {
		consider(callcare.Target{Kind: callcare.TargetDepartment, ID: d.Number}, depPaths[i]+".overflow")
	}
	for i, c := range dir.Clerks {
		consider(callcare.Target{Kind: callcare.TargetClerk, ID: string(c.ID)}, clerkPaths[i]+".overflow")
	}
	// With every reference known, a chain can fail only by looping: the
	// loops are all there is to report.
	for _, id := range order {
		if p.ctx.Err() != nil {
			break // ParseContext returns the context's error
		}
		l := loops[id]
		if _, err := dir.Chain(l.at); err != nil {
			p.add(l.path, p.lineOf(l.path), "%v", err)
		}
	}
	return dir, idx
}

// A form is what a value must look like, and how to say it does not.
type form struct {
	re   *regexp.Regexp
	isnt string
}

var (
	dialable = form{numberRe, "is not a number that can be dialed (digits only)"}
	usableID = form{idRe, "is not a usable id (letters, digits, _ - ., no spaces)"}
	endpoint = form{endpointRe, "is not an Asterisk endpoint of the form TECH/resource, such as PJSIP/101"}
)

// unique checks v, at path, for its form and against the values written
// before it (what -> where it is written). It tells whether v is the first
// of its kind, now remembered in seen.
func (p *parser) unique(path, v string, f form, what string, seen map[string]string) bool {
	first, dup := seen[v]
	switch {
	case !f.re.MatchString(v):
		p.add(path, p.lineOf(path), "%q %s", v, f.isnt)
	case dup:
		p.add(path, p.lineOf(path), "duplicate %s %q (also %s)", what, v, p.where(first))
	default:
		seen[v] = path
		return true
	}
	return false
}

// knownRef reports an overflow naming nobody.
func (p *parser) knownRef(ids, deps map[string]string, path, ref string) {
	_, isClerk := ids[ref]
	if _, isDep := deps[ref]; !isClerk && !isDep {
		p.add(path, p.lineOf(path), "overflow %q names neither a clerk id nor a department number", ref)
	}
}

// overflowCycles finds the loops of overflows, following each overflow as
// a call does (a clerk id first, then a department number): it returns the
// targets on a loop, each with the number of its loop. It visits each
// target once.
func overflowCycles(dir *callcare.Directory) map[callcare.Target]int {
	clerks := map[string]int{} // id -> index of the first clerk with it, as Directory.Clerk finds
	for i, c := range dir.Clerks {
		if _, dup := clerks[string(c.ID)]; !dup {
			clerks[string(c.ID)] = i
		}
	}
	deps := map[string]int{}
	for i, d := range dir.Departments {
		if _, dup := deps[d.Number]; !dup {
			deps[d.Number] = i
		}
	}
	next := func(t callcare.Target) (callcare.Target, bool) {
		var ref string
		switch t.Kind {
		case callcare.TargetClerk:
			ref = dir.Clerks[clerks[t.ID]].Overflow
		case callcare.TargetDepartment:
			ref = dir.Departments[deps[t.ID]].Overflow
		}
		if _, ok := clerks[ref]; ok && ref != "" {
			return callcare.Target{Kind: callcare.TargetClerk, ID: ref}, true
		}
		if _, ok := deps[ref]; ok && ref != "" {
			return callcare.Target{Kind: callcare.TargetDepartment, ID: ref}, true
		}
		return callcare.Target{}, false
	}

	const walking, done = 1, 2
	state := map[callcare.Target]int{}
	cycleOf := map[callcare.Target]int{}
	cycles := 0
	walk := func(t callcare.Target) {
		var path []callcare.Target
		for state[t] == 0 {
			state[t] = walking
			path = append(path, t)
			nt, ok := next(t)
			if !ok {
				break
			}
			if state[nt] == walking { // back on this walk: a loop from nt
				for i := len(path) - 1; i >= 0; i-- {
					cycleOf[path[i]] = cycles
					if path[i] == nt {
						break
					}
				}
				cycles++
			}
			t = nt
		}
		for _, pt := range path {
			state[pt] = done
		}
	}
	for _, d := range dir.Departments {
		walk(callcare.Target{Kind: callcare.TargetDepartment, ID: d.Number})
	}
	for _, c := range dir.Clerks {
		walk(callcare.Target{Kind: callcare.TargetClerk, ID: string(c.ID)})
	}
	return cycleOf
}

// canonicalTech writes PJSIP and SIP as Asterisk names them: the dialplan
// knows a desk phone by PJSIP/${CHANNEL(endpoint)}, and "pjsip/101" would
// be nobody's phone, and another clerk's PJSIP/101 no duplicate.
func canonicalTech(endpoint string) string {
	tech, rest, ok := strings.Cut(endpoint, "/")
	if ok && (strings.EqualFold(tech, "PJSIP") || strings.EqualFold(tech, "SIP")) {
		return strings.ToUpper(tech) + "/" + rest
	}
	return endpoint
}

// membership warns where a department's members: and its clerks'
// department: disagree. The first says whom a call to the department
// rings; the second whose waiting line a clerk serves when free (P5.3),
// and under which department the report counts the clerk. A clerk rung for
// a department whose line they never serve, or serving a line whose
// calls never ring them, is valid, but seldom meant.
func (p *parser) membership(dir callcare.Directory, depPaths, clerkPaths []string) {
	clerkAt := map[callcare.ClerkID]int{}
	for i, c := range dir.Clerks {
		clerkAt[c.ID] = i
	}
	members := map[string]map[callcare.ClerkID]bool{}
	for i, d := range dir.Departments {
		members[d.Number] = map[callcare.ClerkID]bool{}
		for j, m := range d.Members {
			members[d.Number][m] = true
			ci, ok := clerkAt[m]
			if !ok || dir.Clerks[ci].Department == d.Number {
				continue
			}
			mp := fmt.Sprintf("%s.members[%d]", depPaths[i], j)
			p.warn(mp, p.lineOf(mp), "%s is a member of %s but belongs to %s (its department:): calls to %s ring them, but they never serve its waiting line",
				m, d.Number, orNone(dir.Clerks[ci].Department), d.Number)
		}
	}
	for i, c := range dir.Clerks {
		own, ok := members[c.Department]
		if !ok || len(own) == 0 || own[c.ID] {
			continue // no such department (reported), or one that rings nobody itself
		}
		path := clerkPaths[i] + ".department"
		p.warn(path, p.lineOf(path), "%s belongs to %s but is not among its members: calls to %s do not ring them, but they serve its waiting line",
			c.ID, c.Department, c.Department)
	}
}

// orNone is s, or "no department" for "".
func orNone(s string) string {
	if s == "" {
		return "no department"
	}
	return s
}
