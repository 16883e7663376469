package config

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/callcare/callcare"
)

// The phone matters of P3.2: the voice menu of the main numbers (menu:),
// the matters it explains (matters:), meetings booked by phone
// (appointments:) and the calls the service makes to citizens (notices:):
// their file types are in file.go, their checks here.

// Notices are the settings of the service's calls to citizens.
type Notices struct {
	FeatureCode string
	MaxAttempts int
	AtOnce      int               // notices made at once, at most
	Places      map[string]string // name (notify --where) to sound
}

// Defaults of the phone matters.
const (
	DefaultOperatorKey      = "0"
	DefaultAssistanceKey    = "9"
	DefaultMenuTries        = 3
	DefaultMayorKey         = "0"
	DefaultRemindDaysBefore = 1
	DefaultNoticeCode       = "*72"
	DefaultNoticesAtOnce    = 2
	// MatterSound is the default sound of a matter, by its key: prompts
	// build speaks its name into it.
	MatterSound = "callcare/matter-"
)

var (
	keyRe       = regexp.MustCompile(`^[0-9]$`)
	placeNameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)
)

// buildMatters checks menu:, matters:, appointments: and notices:, the
// directory, the secretariat and the feature codes being known.
func (p *parser) buildMatters(f *File, c *Config, idx dirIndex) {
	m := &c.Menu
	m.Operator = callcare.Target{Kind: callcare.TargetDepartment, ID: c.Secretariat}
	m.OperatorKey = p.key("menu.operator_key", f.Menu.OperatorKey)
	m.AssistanceKey = strings.TrimSpace(f.Menu.AssistanceKey)
	if m.AssistanceKey == "off" {
		m.AssistanceKey = ""
	} else {
		m.AssistanceKey = p.key("menu.assistance_key", m.AssistanceKey)
	}
	m.Tries = f.Menu.Tries
	if path := "menu.tries"; p.usable(path) && (m.Tries < 1 || m.Tries > 5) {
		p.add(path, p.lineOf(path), "must be 1 to 5, not %d: keys that chose nothing before a person takes over", m.Tries)
	}
	m.KeyTimeout = time.Duration(f.Menu.KeyTimeout)
	if path := "menu.key_timeout"; p.usable(path) && m.KeyTimeout < MinKeyTimeout {
		p.add(path, p.lineOf(path), "must be at least %s, not %s: people need time to find a key (P5.1)", short(MinKeyTimeout), short(m.KeyTimeout))
	}
	m.Greeting = c.Prompts.MenuGreeting
	if g := strings.TrimSpace(f.Menu.Greeting); g != "" || p.has("menu.greeting") {
		m.Greeting = p.sound("menu.greeting", g)
	}
	if v, ok := p.text("menu.operator", f.Menu.Operator); ok {
		if t, known := c.Directory.TargetOf(v); known {
			m.Operator = t
		} else if idx.clerksOK && idx.depsOK {
			p.add("menu.operator", p.lineOf("menu.operator"), "%q is neither a clerk id nor a department number", v)
		}
	}
	p.buildAppointments(f, c, idx)
	p.buildMatterList(f, c, idx)
	p.menuNumbers(f, c, idx)
	p.menuChoices(f, c)
	p.buildNotices(f, c)
}

// key reads a key of the phone: one digit.
func (p *parser) key(path, v string) string {
	v = strings.TrimSpace(v)
	if p.usable(path) && !keyRe.MatchString(v) {
		p.add(path, p.lineOf(path), "%q is not a key: one digit, 0 to 9, in quotes (\"0\")", v)
	}
	return v
}

// menuNumbers checks menu.numbers: digits, each once, none a dedicated
// line or a feature code; an office's own number may be one (from outside
// it answers with the menu, clerks still dial it straight).
func (p *parser) menuNumbers(f *File, c *Config, idx dirIndex) {
	seen := map[string]string{}
	for i, v := range f.Menu.Numbers {
		path := fmt.Sprintf("menu.numbers[%d]", i)
		v, ok := p.text(path, v)
		if !ok {
			continue
		}
		first, dup := seen[v]
		switch {
		case !numberRe.MatchString(v):
			p.add(path, p.lineOf(path), "%q is not a number that can be dialed (digits only)", v)
		case dup:
			p.add(path, p.lineOf(path), "%q is listed twice (also line %d)", v, p.lineOf(first))
		case c.SpecialNeeds.lineOf(v):
			p.add(path, p.lineOf(path), "%q is a dedicated line for people with special needs (special_needs.lines): it rings a person at once", v)
		default:
			seen[v] = path
			c.Menu.Numbers = append(c.Menu.Numbers, v)
		}
	}
}

func (sn SpecialNeeds) lineOf(number string) bool {
	for _, l := range sn.Lines {
		if l.Number == number {
			return true
		}
	}
	return false
}

// menuChoices checks menu.choices, or gives the default ones: 1 a meeting,
// 2 the matters (when there are any), 3 the operator, for a question
// about one's case.
func (p *parser) menuChoices(f *File, c *Config) {
	m := &c.Menu
	pr := c.Prompts
	if !p.has("menu.choices") {
		m.Choices = []callcare.MenuChoice{{Key: "1", Do: callcare.ChoiceAppointment, Sound: pr.MenuAppointment}}
		if len(m.Matters) > 0 {
			m.Choices = append(m.Choices, callcare.MenuChoice{Key: "2", Do: callcare.ChoiceMatters, Sound: pr.MenuMatters})
		}
		m.Choices = append(m.Choices, callcare.MenuChoice{Key: "3", Do: callcare.ChoiceRing, Target: m.Operator, Sound: pr.MenuCase})
		p.menuKeys(c)
		return
	}
	done := map[callcare.ChoiceKind]string{}
	for i, fc := range f.Menu.Choices {
		base := fmt.Sprintf("menu.choices[%d]", i)
		if !p.has(base) {
			continue
		}
		ch := callcare.MenuChoice{Key: p.key(base+".key", fc.Key), Do: callcare.ChoiceKind(strings.TrimSpace(fc.Do))}
		doPath := base + ".do"
		switch ch.Do {
		case callcare.ChoiceAppointment:
			ch.Sound = pr.MenuAppointment
		case callcare.ChoiceMatters:
			ch.Sound = pr.MenuMatters
			if len(f.Matters) == 0 {
				p.add(doPath, p.lineOf(doPath), "the matters choice needs matters: listed, each with its key and department")
			}
		case callcare.ChoiceRing:
			ch.Sound = pr.MenuCase
			ch.Target = m.Operator
		default:
			if p.usable(doPath) {
				p.add(doPath, p.lineOf(doPath), "%q: a choice does appointment, matters or ring", fc.Do)
			}
			continue
		}
		if first, again := done[ch.Do]; again && ch.Do != callcare.ChoiceRing {
			p.add(doPath, p.lineOf(doPath), "%s is offered twice (also line %d): the menu is one level", ch.Do, p.lineOf(first))
		}
		done[ch.Do] = doPath
		if v, ok := p.text(base+".target", fc.Target); ok {
			t, known := c.Directory.TargetOf(v)
			switch {
			case ch.Do != callcare.ChoiceRing:
				p.add(base+".target", p.lineOf(base+".target"), "only a ring choice has a target")
			case !known:
				p.add(base+".target", p.lineOf(base+".target"), "%q is neither a clerk id nor a department number", v)
			default:
				ch.Target = t
			}
		}
		if p.has(base + ".sound") {
			ch.Sound = p.sound(base+".sound", fc.Sound)
		}
		m.Choices = append(m.Choices, ch)
	}
	p.menuKeys(c)
}

// menuKeys: at each level a key does one thing.
func (p *parser) menuKeys(c *Config) {
	m := &c.Menu
	if len(m.Numbers) == 0 {
		return // no menu: its keys are nobody's business
	}
	top := map[string]string{}
	clash := func(where, key, what string, in map[string]string) {
		if key == "" {
			return
		}
		if other, dup := in[key]; dup {
			p.add(where, p.lineOf(where), "key %s is both %s and %s", key, other, what)
			return
		}
		in[key] = what
	}
	clash("menu.operator_key", m.OperatorKey, "the operator", top)
	clash("menu.assistance_key", m.AssistanceKey, "assistance", top)
	for i, ch := range m.Choices {
		clash(fmt.Sprintf("menu.choices[%d].key", i), ch.Key, "choice "+string(ch.Do), top)
	}
	matters := map[string]string{}
	clash("menu.operator_key", m.OperatorKey, "the operator", matters)
	clash("menu.assistance_key", m.AssistanceKey, "assistance", matters)
	for i, x := range m.Matters {
		clash(fmt.Sprintf("matters[%d].key", i), x.Key, "matter "+x.Name, matters)
	}
	// Meeting someone: the Mayor's key or an extension's digits; an
	// extension starting with the Mayor's key or the assistance key could
	// not be keyed in.
	if !hasChoice(m, callcare.ChoiceAppointment) {
		return
	}
	for _, cl := range c.Directory.Clerks {
		for _, k := range []struct{ path, key, what string }{
			{"appointments.mayor_key", m.Appointments.MayorKey, "the Mayor's key"},
			{"menu.assistance_key", m.AssistanceKey, "the assistance key"},
		} {
			if k.key != "" && strings.HasPrefix(cl.Extension, k.key) {
				p.add(k.path, p.lineOf(k.path), "%s %s begins the extension %s of %s: a caller booking a meeting could not key it in", k.what, k.key, cl.Extension, cl.ID)
			}
		}
	}
}

func hasChoice(m *callcare.Menu, do callcare.ChoiceKind) bool {
	for _, c := range m.Choices {
		if c.Do == do {
			return true
		}
	}
	return false
}

// buildMatterList checks matters:.
func (p *parser) buildMatterList(f *File, c *Config, idx dirIndex) {
	for i, fm := range f.Matters {
		base := fmt.Sprintf("matters[%d]", i)
		if !p.has(base) {
			continue
		}
		x := callcare.Matter{Key: p.key(base+".key", fm.Key)}
		ok := true
		if v, has := p.text(base+".name", fm.Name); has {
			x.Name = v
		} else {
			ok = false
		}
		if v, has := p.text(base+".department", fm.Department); has {
			if _, known := idx.deps[v]; idx.depsOK && !known {
				p.add(base+".department", p.lineOf(base+".department"), "no department has the number %q", v)
				ok = false
			}
			x.Department = v
		} else {
			ok = false
		}
		x.Sound = MatterSound + x.Key
		if p.has(base + ".sound") {
			x.Sound = p.sound(base+".sound", fm.Sound)
		}
		if p.has(base + ".description") {
			x.Description = p.sound(base+".description", fm.Description)
		}
		if ok {
			c.Menu.Matters = append(c.Menu.Matters, x)
		}
	}
}

// buildAppointments checks appointments:.
func (p *parser) buildAppointments(f *File, c *Config, idx dirIndex) {
	a := &c.Menu.Appointments
	a.MayorKey = p.key("appointments.mayor_key", f.Appointments.MayorKey)
	a.Mayor = c.Secretariat
	if v, ok := p.text("appointments.mayor", f.Appointments.Mayor); ok {
		if _, known := idx.deps[v]; idx.depsOK && !known {
			p.add("appointments.mayor", p.lineOf("appointments.mayor"), "no department has the number %q: the Mayor's meetings are booked by a department, usually the secretariat", v)
		}
		a.Mayor = v
	}
	a.RemindDaysBefore = f.Appointments.RemindDaysBefore
	if path := "appointments.remind_days_before"; p.usable(path) && (a.RemindDaysBefore < 0 || a.RemindDaysBefore > 10) {
		p.add(path, p.lineOf(path), "must be 0 (no reminder) to 10 office days, not %d", a.RemindDaysBefore)
	}
}

// buildNotices checks notices:.
func (p *parser) buildNotices(f *File, c *Config) {
	n := &c.Notices
	fn := f.Notices
	n.FeatureCode, n.MaxAttempts, n.AtOnce = strings.TrimSpace(fn.FeatureCode), fn.MaxAttempts, fn.AtOnce
	n.Places = map[string]string{}
	if path := "notices.feature_code"; p.usable(path) {
		switch code := n.FeatureCode; {
		case !forwardCodeRe.MatchString(code):
			p.add(path, p.lineOf(path), "%q is not a feature code: * or # and up to four digits, in quotes (\"*72\")", code)
		default:
			for _, other := range []struct{ key, code string }{
				{"callbacks.feature_code", c.Callbacks.FeatureCode}, {"forwarding.set_code", c.Forwarding.SetCode}, {"forwarding.clear_code", c.Forwarding.ClearCode},
			} {
				if o := strings.TrimSpace(other.code); o != "" && (strings.HasPrefix(code, o) || strings.HasPrefix(o, code)) {
					p.add(path, p.lineOf(path), "%q clashes with %s %q: neither code may begin the other", code, other.key, o)
				}
			}
		}
	}
	if path := "notices.max_attempts"; p.usable(path) && (n.MaxAttempts < 1 || n.MaxAttempts > 10) {
		p.add(path, p.lineOf(path), "must be 1 to 10, not %d", n.MaxAttempts)
	}
	if path := "notices.at_once"; p.usable(path) && (n.AtOnce < 1 || n.AtOnce > 10) {
		p.add(path, p.lineOf(path), "must be 1 to 10 calls at once, not %d", n.AtOnce)
	}
	for i, fp := range fn.Places {
		base := fmt.Sprintf("notices.places[%d]", i)
		if !p.has(base) {
			continue
		}
		name, ok := p.text(base+".name", fp.Name)
		if ok && !placeNameRe.MatchString(name) {
			p.add(base+".name", p.lineOf(base+".name"), "%q is not a place's name: lower-case letters, digits, - and _, such as room-12", name)
			ok = false
		}
		if _, dup := n.Places[name]; ok && dup {
			p.add(base+".name", p.lineOf(base+".name"), "place %q is listed twice", name)
			ok = false
		}
		sound := p.sound(base+".sound", fp.Sound)
		if ok {
			n.Places[name] = sound
		}
	}
}
