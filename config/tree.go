package config

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// parser collects the problems of one file and remembers, for each YAML path
// present, the line where it is written.
type parser struct {
	file     string
	problems Problems
	lines    map[string]int  // path -> line of its key (or list item)
	bad      map[string]bool // paths whose value has the wrong type
	rootLine int
}

func (p *parser) add(path string, line int, format string, args ...any) {
	p.problems = append(p.problems, Problem{File: p.file, Path: path, Line: line, Message: fmt.Sprintf(format, args...)})
}

// lineOf is the line of path, or of its closest written parent.
func (p *parser) lineOf(path string) int {
	for {
		if l, ok := p.lines[path]; ok {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return p.rootLine
		}
		path = path[:i]
	}
}

// has tells whether path is written in the file with a value of the right type.
func (p *parser) has(path string) bool {
	_, ok := p.lines[path]
	return ok && !p.bad[path]
}

var (
	yamlLine      = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	unknownAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)
)

// parseTree parses data as YAML, reporting a syntax error with its line.
func (p *parser) parseTree(data []byte) (*yaml.Node, bool) {
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) { // an empty file: every required key is missing
			return nil, true
		}
		line, msg := 0, strings.TrimPrefix(err.Error(), "yaml: ")
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
			// yaml.v3 reports a tab in the indentation on the line before
			// it; point at the tab itself.
			lines := strings.Split(string(data), "\n")
			for i := max(line-1, 0); i < len(lines) && i <= line; i++ {
				if indent := lines[i][:len(lines[i])-len(strings.TrimLeft(lines[i], " \t"))]; strings.Contains(indent, "\t") {
					line = i + 1
					if !strings.Contains(msg, "tab") {
						msg += " (YAML does not allow tabs for indentation; use spaces)"
					}
					break
				}
			}
		}
		if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
			// feature_code: *70 reads as an alias of an anchor "70".
			for i, l := range strings.Split(string(data), "\n") {
				if strings.Contains(l, "*"+m[1]) {
					line = i + 1
					break
				}
			}
			msg += fmt.Sprintf(` (a value starting with * is an alias in YAML: put it in quotes, "*%s")`, m[1])
		}
		p.add("", line, "invalid YAML: %s", msg)
		return nil, false
	}
	var more yaml.Node
	if err := dec.Decode(&more); err == nil {
		p.add("", more.Line, "a second YAML document (after ---); the file must hold one")
	}
	if len(doc.Content) == 0 {
		return nil, true
	}
	return doc.Content[0], true
}

// kind is the type a schema node expects.
type kind int

const (
	kText     kind = iota // a string; a plain whole number is taken as written
	kInt                  // a whole number
	kDuration             // a string time.ParseDuration reads, e.g. 5s
	kBool                 // true or false
	kDate                 // a day, YYYY-MM-DD (quoted or not)
	kSpans                // a text, or a list of texts (office hours of a day)
	kMap
	kList
)

type schema struct {
	kind   kind
	fields []field // kMap
	elem   *schema // kList
}

type field struct {
	key      string
	schema   *schema
	required bool
	refuse   string // a key that is known but not allowed: why
}

var (
	text     = &schema{kind: kText}
	integer  = &schema{kind: kInt}
	duration = &schema{kind: kDuration}
	boolean  = &schema{kind: kBool}
	date     = &schema{kind: kDate}
	spans    = &schema{kind: kSpans}
)

func mapping(fields ...field) *schema { return &schema{kind: kMap, fields: fields} }
func list(elem *schema) *schema       { return &schema{kind: kList, elem: elem} }
func opt(key string, s *schema) field { return field{key: key, schema: s} }
func req(key string, s *schema) field { return field{key: key, schema: s, required: true} }

// fileSchema is callcare.yaml.
var fileSchema = mapping(
	req("asterisk", mapping(
		req("ari_url", text),
		opt("websocket_url", text),
		req("user", text),
		field{key: "password", schema: text, refuse: "the password must not be written in this file: " +
			"set the environment variable named by password_env (default " + DefaultPasswordEnv + ") or name a password_file"},
		opt("password_env", text),
		opt("password_file", text),
		opt("app", text),
		opt("request_timeout", duration),
		opt("agi_listen", text),
	)),
	req("database", text),
	opt("timezone", text),
	opt("procedure", mapping(
		opt("answer_within_rings", integer),
		opt("ring_cycle", duration),
	)),
	opt("office_hours", mapping(
		opt("monday", spans),
		opt("tuesday", spans),
		opt("wednesday", spans),
		opt("thursday", spans),
		opt("friday", spans),
		opt("saturday", spans),
		opt("sunday", spans),
		opt("polish_holidays", boolean),
		opt("closed", list(date)),
	)),
	opt("callbacks", mapping(
		opt("promise", duration),
		opt("special_needs_promise", duration),
		opt("retry", list(text)),
		opt("max_attempts", integer),
		opt("caller_id", text),
		opt("dial", text),
		opt("feature_code", text),
		opt("key_timeout", duration),
		opt("claim_for", duration),
		opt("note_max", duration),
		opt("note_retention", duration),
		opt("escalate_to", text),
		opt("scheduler_tick", duration),
	)),
	opt("special_needs", mapping(
		opt("numbers", list(text)),
		opt("lines", list(mapping(
			req("number", text),
			req("target", text),
		))),
	)),
	opt("sounds", mapping(soundFields()...)),
	req("departments", list(mapping(
		req("number", text),
		req("name", text),
		opt("members", list(text)),
		opt("ring", text),
		opt("overflow", text),
		opt("head", text),
	))),
	req("clerks", list(mapping(
		req("id", text),
		req("name", text),
		req("surname", text),
		req("position", text),
		req("department", text),
		req("extension", text),
		req("endpoint", text),
		opt("overflow", text),
		opt("substitute", text),
	))),
)

// soundFields are the keys of sounds, one per entry of soundKeys.
func soundFields() []field {
	fs := make([]field, len(soundKeys))
	for i, k := range soundKeys {
		fs[i] = opt(k, text)
	}
	return fs
}

// walk checks the tree against the schema: unknown and duplicate keys,
// types, required keys. It records the line of every path it meets.
func (p *parser) walk(root *yaml.Node) {
	if root == nil {
		p.rootLine = 1
		p.check("", 1, nil, fileSchema)
		return
	}
	p.rootLine = root.Line
	p.check("", root.Line, root, fileSchema)
}

func join(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// check checks node n (nil when absent or null) at path against s.
func (p *parser) check(path string, line int, n *yaml.Node, s *schema) {
	n = resolve(n)
	switch s.kind {
	case kMap:
		if isNull(n) {
			n = nil
		} else if n.Kind != yaml.MappingNode {
			p.wrongType(path, n, "must be a mapping of keys to values")
			return
		}
		p.checkMap(path, line, n, s)
	case kList:
		if isNull(n) {
			return
		}
		if n.Kind != yaml.SequenceNode {
			p.wrongType(path, n, "must be a list, e.g. [a, b] or lines starting with \"- \"")
			return
		}
		for i, item := range n.Content {
			ip := fmt.Sprintf("%s[%d]", path, i)
			p.lines[ip] = item.Line
			p.check(ip, item.Line, item, s.elem)
		}
	case kSpans:
		if n != nil && n.Kind == yaml.MappingNode {
			p.wrongType(path, n, `must be a span such as "07:30-15:30", a list of spans or "closed"`)
			return
		}
		if n != nil && n.Kind == yaml.SequenceNode {
			for i, item := range n.Content {
				ip := fmt.Sprintf("%s[%d]", path, i)
				p.lines[ip] = item.Line
				p.checkScalar(ip, resolve(item), kText)
			}
			return
		}
		p.checkScalar(path, n, kText)
	default:
		p.checkScalar(path, n, s.kind)
	}
}

func (p *parser) wrongType(path string, n *yaml.Node, msg string) {
	p.bad[path] = true
	got := "a mapping"
	switch n.Kind {
	case yaml.SequenceNode:
		got = "a list"
	case yaml.ScalarNode:
		got = fmt.Sprintf("%q", n.Value)
	}
	p.add(path, p.lineOf(path), "%s, not %s", msg, got)
}

func (p *parser) checkScalar(path string, n *yaml.Node, k kind) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.ScalarNode {
		switch k {
		case kInt:
			p.wrongType(path, n, "must be a whole number")
		case kDuration:
			p.wrongType(path, n, "must be a duration such as 5s")
		case kBool:
			p.wrongType(path, n, "must be true or false")
		case kDate:
			p.wrongType(path, n, "must be a date such as 2026-12-31")
		default:
			p.wrongType(path, n, "must be text")
		}
		return
	}
	switch k {
	case kText:
		switch n.Tag {
		case "!!str":
		case "!!int":
			// 101 is read as the text "101"; 0101 or 1_000 would not be.
			if i, err := strconv.ParseInt(n.Value, 10, 64); err != nil || strconv.FormatInt(i, 10) != n.Value {
				p.wrongType(path, n, "must be text; put it in quotes so it is read as written")
			}
		default:
			p.wrongType(path, n, "must be text; put it in quotes")
		}
	case kInt:
		if n.Tag != "!!int" {
			p.wrongType(path, n, "must be a whole number")
			return
		}
		if _, err := strconv.Atoi(n.Value); err != nil {
			p.wrongType(path, n, "must be a plain whole number")
		}
	case kDuration:
		if n.Tag != "!!str" {
			p.wrongType(path, n, "must be a duration with its unit, such as 5s or 1500ms")
			return
		}
		if _, err := time.ParseDuration(n.Value); err != nil {
			p.wrongType(path, n, "must be a duration with its unit, such as 5s or 1500ms")
		}
	case kBool:
		if n.Tag != "!!bool" {
			p.wrongType(path, n, "must be true or false")
		}
	case kDate:
		if n.Tag != "!!str" && n.Tag != "!!timestamp" {
			p.wrongType(path, n, "must be a date written YYYY-MM-DD, such as 2026-12-31")
			return
		}
		if _, err := time.Parse(time.DateOnly, n.Value); err != nil {
			p.wrongType(path, n, "must be a date written YYYY-MM-DD, such as 2026-12-31")
		}
	}
}

type pair struct{ key, value *yaml.Node }

// pairs lists the keys of a mapping, expanding merge keys (<<): a key written
// in the mapping wins over a merged one.
func (p *parser) pairs(path string, n *yaml.Node, depth int) []pair {
	var own, merged []pair
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" && depth < 10 {
			v = resolve(v)
			var srcs []*yaml.Node
			if v.Kind == yaml.SequenceNode {
				srcs = v.Content
			} else {
				srcs = []*yaml.Node{v}
			}
			for _, src := range srcs {
				if src = resolve(src); src.Kind == yaml.MappingNode {
					merged = append(merged, p.pairs(path, src, depth+1)...)
				} else {
					p.add(path, k.Line, "a merge key (<<) must name a mapping")
				}
			}
			continue
		}
		own = append(own, pair{k, v})
	}
	written := map[string]bool{}
	for _, pr := range own {
		written[pr.key.Value] = true
	}
	out := own
	for _, pr := range merged {
		if !written[pr.key.Value] {
			written[pr.key.Value] = true
			out = append(out, pr)
		}
	}
	return out
}

func (p *parser) checkMap(path string, line int, n *yaml.Node, s *schema) {
	seen := map[string]int{}
	got := map[string]bool{}
	if n != nil {
		for _, pr := range p.pairs(path, n, 0) {
			k := pr.key
			if k.Kind != yaml.ScalarNode {
				p.add(path, k.Line, "a key must be plain text")
				continue
			}
			kp := join(path, k.Value)
			if first, dup := seen[k.Value]; dup {
				p.add(kp, k.Line, "key %q is written twice (also line %d)", k.Value, first)
				continue
			}
			seen[k.Value] = k.Line
			f, ok := lookup(s, k.Value)
			if !ok {
				msg := fmt.Sprintf("unknown key %q", k.Value)
				if alt := suggest(s, k.Value); alt != "" {
					msg += fmt.Sprintf("; did you mean %q?", alt)
				}
				p.add(kp, k.Line, "%s", msg)
				continue
			}
			if f.refuse != "" {
				p.add(kp, k.Line, "%s", f.refuse)
				continue
			}
			if isNull(resolve(pr.value)) && f.schema.kind != kMap && f.schema.kind != kList {
				// "key:" with no value is as good as absent, unless required.
				if f.required {
					got[k.Value] = true
					p.lines[kp] = k.Line
					p.bad[kp] = true
					p.add(kp, k.Line, "needs a value")
				}
				continue
			}
			got[k.Value] = true
			p.lines[kp] = k.Line
			p.check(kp, k.Line, pr.value, f.schema)
		}
	}
	for _, f := range s.fields {
		if f.required && !got[f.key] {
			p.bad[join(path, f.key)] = true
			p.add(join(path, f.key), line, "missing required key %q", f.key)
		}
	}
}

func lookup(s *schema, key string) (field, bool) {
	for _, f := range s.fields {
		if f.key == key {
			return f, true
		}
	}
	return field{}, false
}

// suggest names the known key closest to a mistyped one.
func suggest(s *schema, key string) string {
	best, bestD := "", 3
	for _, f := range s.fields {
		if f.refuse != "" {
			continue
		}
		d := distance(strings.ToLower(key), f.key)
		if d < bestD {
			best, bestD = f.key, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := prev[j-1]
			if ra[i-1] != rb[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
