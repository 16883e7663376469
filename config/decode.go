package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// MaxExpansion is how many values the aliases (*name) and merge keys (<<)
// of one file may stand for in all. A hand-written file uses a few hundred;
// a "billion laughs" file, a few hundred bytes of nested aliases, would
// stand for billions and is refused when the count passes this.
const MaxExpansion = 100_000

// errExpansion stops a decode that passed MaxExpansion; the problem says so.
var errExpansion = errors.New("too many values from aliases and merge keys")

// parser decodes one file into a File and checks it, collecting every
// problem. It remembers, for each YAML path present, the line where it is
// written.
type parser struct {
	ctx      context.Context
	file     string
	problems Problems
	warnings Problems        // what the file says that is valid but likely not meant
	lines    map[string]int  // path -> line of its key (or list item)
	bad      map[string]bool // paths whose value has the wrong type
	rootLine int

	left      int                 // values aliases and merge keys may still stand for
	expanding int                 // > 0 while inside an alias or a merge key
	origin    place               // the outermost alias or merge key being expanded
	merging   map[*yaml.Node]bool // mappings being merged, to refuse a merge of itself
	visits    int
	stop      error // why decoding ended early: the context's error, or errExpansion
}

type place struct {
	path string
	line int
}

func newParser(ctx context.Context, file string) *parser {
	return &parser{ctx: ctx, file: file, lines: map[string]int{}, bad: map[string]bool{},
		left: MaxExpansion, merging: map[*yaml.Node]bool{}}
}

func (p *parser) add(path string, line int, format string, args ...any) {
	p.problems = append(p.problems, Problem{File: p.file, Path: path, Line: line, Message: fmt.Sprintf(format, args...)})
}

// warn records something valid that the admin likely did not mean.
func (p *parser) warn(path string, line int, format string, args ...any) {
	p.warnings = append(p.warnings, Problem{File: p.file, Path: path, Line: line, Message: fmt.Sprintf(format, args...)})
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
	dec := yaml.NewDecoder(bytes.NewReader(data))
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

// decodeFile decodes the document's root node (nil for an empty file)
// into f, which holds the defaults.
func (p *parser) decodeFile(root *yaml.Node, f *File) {
	p.rootLine = 1
	if root != nil {
		p.rootLine = root.Line
	}
	p.decode("", p.rootLine, root, reflect.ValueOf(f).Elem())
}

var (
	durationType = reflect.TypeFor[Duration]()
	dateType     = reflect.TypeFor[Date]()
	dayType      = reflect.TypeFor[Day]()
	whenType     = reflect.TypeFor[When]()
)

// decode decodes node n (nil when absent) at path into v, whose type says
// what the file may hold there. A value of the wrong type is reported and
// leaves v as it was.
func (p *parser) decode(path string, line int, n *yaml.Node, v reflect.Value) {
	if !p.step() {
		return
	}
	if n != nil && n.Kind == yaml.AliasNode {
		p.enter(path, n.Line)
		defer p.leave()
		n = resolve(n)
	}
	if p.expanding > 0 && !p.spend(1) {
		return
	}
	switch t := v.Type(); {
	case t == durationType:
		const want = "must be a duration with its unit, such as 5s or 1500ms"
		if n, ok := p.scalar(path, n, "must be a duration such as 5s"); ok {
			d, err := time.ParseDuration(n.Value)
			if n.Tag != "!!str" || err != nil {
				p.wrongType(path, n, want)
				return
			}
			v.SetInt(int64(d))
		}
	case t == dateType:
		const want = "must be a date written YYYY-MM-DD, such as 2026-12-31"
		if n, ok := p.scalar(path, n, "must be a date such as 2026-12-31"); ok {
			d, err := time.Parse(time.DateOnly, n.Value)
			if n.Tag != "!!str" && n.Tag != "!!timestamp" || err != nil {
				p.wrongType(path, n, want)
				return
			}
			v.Set(reflect.ValueOf(Date(d)))
		}
	case t == dayType:
		p.day(path, n, v)
	case t == whenType:
		// A date alone reads as a YAML timestamp, a date and time as
		// text: both are taken as written; validation reads them.
		if n, ok := p.scalar(path, n, "must be a date such as 2026-07-01, or a date and time such as \"2026-07-01 13:00\""); ok {
			if n.Tag != "!!str" && n.Tag != "!!timestamp" {
				p.wrongType(path, n, "must be a date such as 2026-07-01, or a date and time such as \"2026-07-01 13:00\"")
				return
			}
			v.SetString(n.Value)
		}
	case t.Kind() == reflect.Struct:
		p.mapping(path, line, n, v)
	case t.Kind() == reflect.Slice:
		p.list(path, n, v)
	case t.Kind() == reflect.String:
		if n, ok := p.scalar(path, n, "must be text"); ok {
			if s, ok := p.readText(path, n); ok {
				v.SetString(s)
			}
		}
	case t.Kind() == reflect.Int:
		if n, ok := p.scalar(path, n, "must be a whole number"); ok {
			if n.Tag != "!!int" {
				p.wrongType(path, n, "must be a whole number")
				return
			}
			i, err := strconv.Atoi(n.Value)
			if err != nil {
				p.wrongType(path, n, "must be a plain whole number")
				return
			}
			v.SetInt(int64(i))
		}
	case t.Kind() == reflect.Bool:
		if n, ok := p.scalar(path, n, "must be true or false"); ok {
			b, err := strconv.ParseBool(n.Value)
			if n.Tag != "!!bool" || err != nil {
				p.wrongType(path, n, "must be true or false")
				return
			}
			v.SetBool(b)
		}
	default: // a File type the decoder does not know: a bug, caught by the tests
		p.add(path, line, "callcare cannot read a %s", t)
	}
}

// scalar returns n when it is a scalar; a null is left alone (ok false) and
// anything else reported with want.
func (p *parser) scalar(path string, n *yaml.Node, want string) (*yaml.Node, bool) {
	if isNull(n) {
		return nil, false
	}
	if n.Kind != yaml.ScalarNode {
		p.wrongType(path, n, want)
		return nil, false
	}
	return n, true
}

// readText reads scalar n as text: a string, or a plain whole number taken as
// written (101 is "101"; 0101 or 1_000 would not read as written).
func (p *parser) readText(path string, n *yaml.Node) (string, bool) {
	switch n.Tag {
	case "!!str":
		return n.Value, true
	case "!!int":
		if i, err := strconv.ParseInt(n.Value, 10, 64); err == nil && strconv.FormatInt(i, 10) == n.Value {
			return n.Value, true
		}
		p.wrongType(path, n, "must be text; put it in quotes so it is read as written")
	default:
		p.wrongType(path, n, "must be text; put it in quotes")
	}
	return "", false
}

// day reads a day of office_hours: one text, or a list of them.
func (p *parser) day(path string, n *yaml.Node, v reflect.Value) {
	const want = `must be a span such as "07:30-15:30", a list of spans or "closed"`
	switch {
	case isNull(n):
	case n.Kind == yaml.SequenceNode:
		d := Day{Spans: make([]string, len(n.Content)), List: true}
		p.items(path, n, reflect.ValueOf(d.Spans))
		v.Set(reflect.ValueOf(d))
	case n.Kind != yaml.ScalarNode:
		p.wrongType(path, n, want)
	default:
		s, ok := p.readText(path, n)
		if ok && n.Tag == "!!int" { // 8 is no span
			p.bad[path] = true
			p.add(path, p.lineOf(path), "%s", want)
			return
		}
		if ok {
			v.Set(reflect.ValueOf(Day{Spans: []string{s}}))
		}
	}
}

func (p *parser) list(path string, n *yaml.Node, v reflect.Value) {
	if isNull(n) {
		return // as good as absent: the default stays
	}
	if n.Kind != yaml.SequenceNode {
		p.wrongType(path, n, "must be a list, e.g. [a, b] or lines starting with \"- \"")
		return
	}
	items := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	p.items(path, n, items)
	v.Set(items)
}

// items decodes the items of sequence n into the slice s, as long.
func (p *parser) items(path string, n *yaml.Node, s reflect.Value) {
	for i, item := range n.Content {
		ip := fmt.Sprintf("%s[%d]", path, i)
		p.lines[ip] = item.Line
		p.decode(ip, item.Line, item, s.Index(i))
		if p.stop != nil {
			return
		}
	}
}

// mapping decodes a mapping into struct v: unknown and duplicate keys,
// missing required ones, each value by its field's type.
func (p *parser) mapping(path string, line int, n *yaml.Node, v reflect.Value) {
	if isNull(n) {
		n = nil
	} else if n.Kind != yaml.MappingNode {
		p.wrongType(path, n, "must be a mapping of keys to values")
		return
	}
	fields := fieldsOf(v.Type())
	seen := map[string]int{}
	got := map[string]bool{}
	var pairs []pair
	if n != nil {
		pairs = p.pairs(path, n)
	}
	for _, pr := range pairs {
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
		f, ok := lookup(fields, k.Value)
		if !ok {
			p.unknown(kp, k, v, fields)
			continue
		}
		if isNull(resolve(pr.value)) && !f.section {
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
		if pr.via != nil { // a merged value is an expansion too
			p.enter(path, pr.via.Line)
		}
		p.decode(kp, k.Line, pr.value, v.Field(f.index))
		if pr.via != nil {
			p.leave()
		}
		if p.stop != nil {
			return
		}
	}
	if p.stop != nil {
		return
	}
	for _, f := range fields {
		if f.required && !got[f.key] {
			p.bad[join(path, f.key)] = true
			p.add(join(path, f.key), line, "missing required key %q", f.key)
		}
	}
}

// A refuser is a section with keys that are known but must not be written.
type refuser interface {
	refused(key string) string // why key is refused, or ""
}

func (p *parser) unknown(path string, k *yaml.Node, v reflect.Value, fields []field) {
	if r, ok := v.Interface().(refuser); ok {
		if why := r.refused(k.Value); why != "" {
			p.add(path, k.Line, "%s", why)
			return
		}
	}
	msg := fmt.Sprintf("unknown key %q", k.Value)
	if alt := suggest(fields, k.Value); alt != "" {
		msg += fmt.Sprintf("; did you mean %q?", alt)
	}
	p.add(path, k.Line, "%s", msg)
}

// field is a key of a section, read from its struct field's tags.
type field struct {
	key      string
	index    int
	required bool
	section  bool // a mapping or a list: "key:" with no value is written, not absent
}

var fieldCache sync.Map // reflect.Type -> []field

func fieldsOf(t reflect.Type) []field {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.([]field)
	}
	var fs []field
	for i := range t.NumField() {
		sf := t.Field(i)
		key, _, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
		if key == "" || key == "-" || !sf.IsExported() {
			continue
		}
		ft := sf.Type
		fs = append(fs, field{
			key:      key,
			index:    i,
			required: strings.Contains(","+sf.Tag.Get("jsonschema")+",", ",required,"),
			section:  ft.Kind() == reflect.Slice || ft.Kind() == reflect.Struct && ft != dayType && ft != dateType,
		})
	}
	fieldCache.Store(t, fs)
	return fs
}

func lookup(fields []field, key string) (field, bool) {
	for _, f := range fields {
		if f.key == key {
			return f, true
		}
	}
	return field{}, false
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

// pair is a key and its value; via is the merge key (<<) that brought it,
// nil for a key written in the mapping itself.
type pair struct{ key, value, via *yaml.Node }

// pairs lists the keys of a mapping, expanding merge keys (<<): a key written
// in the mapping wins over a merged one, an earlier merged one over a later.
func (p *parser) pairs(path string, n *yaml.Node) []pair {
	var own, merged []pair
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			p.enter(path, k.Line)
			merged = append(merged, p.merge(path, k, v)...)
			p.leave()
			if p.stop != nil {
				return nil
			}
			continue
		}
		own = append(own, pair{key: k, value: v})
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

// merge lists the pairs a merge key k brings: those of the mapping v names,
// or of each mapping of the list v. Each counts against MaxExpansion.
func (p *parser) merge(path string, k, v *yaml.Node) []pair {
	v = resolve(v)
	srcs := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		srcs = v.Content
	}
	var out []pair
	for _, src := range srcs {
		src = resolve(src)
		switch {
		case src.Kind != yaml.MappingNode:
			p.add(path, k.Line, "a merge key (<<) must name a mapping")
			continue
		case p.merging[src]:
			p.add(path, k.Line, "a merge key (<<) names the mapping it is in, or one that merges it: a loop")
			continue
		}
		p.merging[src] = true
		ps := p.pairs(path, src)
		delete(p.merging, src)
		if !p.step() || !p.spend(len(ps)) {
			return nil
		}
		for _, pr := range ps {
			pr.via = k
			out = append(out, pr)
		}
	}
	return out
}

// enter starts the expansion of an alias or merge key written at path, line.
func (p *parser) enter(path string, line int) {
	if p.expanding == 0 {
		p.origin = place{path, line}
	}
	p.expanding++
}

func (p *parser) leave() { p.expanding-- }

// spend counts n values stood for by aliases or merge keys; past
// MaxExpansion it reports the outermost one being expanded and stops.
func (p *parser) spend(n int) bool {
	if p.stop != nil {
		return false
	}
	if p.left -= n; p.left >= 0 {
		return true
	}
	p.add(p.origin.path, p.origin.line, "aliases and merge keys (<<) expand past %d values here, "+
		"the most callcare reads from one file: write the values out, or use fewer aliases", MaxExpansion)
	p.stop = errExpansion
	return false
}

// step counts one value decoded and, every so often, looks at the context.
func (p *parser) step() bool {
	if p.stop != nil {
		return false
	}
	if p.visits++; p.visits%1024 == 0 {
		if err := p.ctx.Err(); err != nil {
			p.stop = err
			return false
		}
	}
	return true
}

// suggest names the known key closest to a mistyped one.
func suggest(fields []field, key string) string {
	best, bestD := "", 3
	key = strings.ToLower(key)
	n := utf8.RuneCountInString(key)
	for _, f := range fields {
		if abs(n-len(f.key)) >= bestD {
			continue // too far; and a long key costs nothing
		}
		d := distance(key, f.key)
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

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}
