package arispec

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// ErrNoRoute and ErrMethod are wrapped by CheckRoute's errors: no template
// matches the path (Asterisk: 404 "Resource not found"), or one does but not
// with this method (Asterisk: 405).
var (
	ErrNoRoute = errors.New("no such resource in ARI")
	ErrMethod  = errors.New("method not allowed in ARI")
)

// CheckRoute reports an error unless method and path name an operation of
// the spec. The path may start with /ari and carry a query, both ignored.
func (s *Spec) CheckRoute(method, path string) error {
	_, _, err := s.Operation(method, path)
	return err
}

// Operation finds the operation for method and a concrete path, and the
// values of its path parameters (unescaped). A literal segment wins over a
// parameter, so /channels/create is not GET /channels/{channelId}.
func (s *Spec) Operation(method, path string) (*Operation, map[string]string, error) {
	segs := splitPath(path)
	var best *Operation
	var bestTmpl []string
	pathMatched := false
	for _, op := range s.Operations {
		tmpl := splitPath(op.Path)
		if !matches(tmpl, segs) {
			continue
		}
		pathMatched = true
		if op.Method != method {
			continue
		}
		if best == nil || moreLiteral(tmpl, bestTmpl) {
			best, bestTmpl = op, tmpl
		}
	}
	if best == nil {
		if pathMatched {
			return nil, nil, fmt.Errorf("%s %s: %w", method, path, ErrMethod)
		}
		return nil, nil, fmt.Errorf("%s %s: %w", method, path, ErrNoRoute)
	}
	params := map[string]string{}
	for i, t := range bestTmpl {
		if name, ok := paramName(t); ok {
			v, err := url.PathUnescape(segs[i])
			if err != nil {
				return nil, nil, fmt.Errorf("%s %s: %w", method, path, err)
			}
			params[name] = v
		}
	}
	return best, params, nil
}

// CheckParams checks the query and body parameters of a request: every
// required one present and not empty, values of the declared type (int,
// long, double, boolean), within their allowable list or range; with
// allowMultiple, each comma-separated value. Unknown parameters are
// allowed, as Asterisk ignores them. Body parameters of type containers or
// object (variables, fields, filter) are checked for presence only.
func (s *Spec) CheckParams(method, path string, params map[string]string) error {
	op, _, err := s.Operation(method, path)
	if err != nil {
		return err
	}
	var errs []error
	for _, p := range op.Params {
		if p.ParamType == "path" {
			continue
		}
		v, ok := params[p.Name]
		if !ok || v == "" {
			if p.Required {
				errs = append(errs, fmt.Errorf("%s: required %s parameter missing", p.Name, p.ParamType))
			}
			continue
		}
		values := []string{v}
		if p.AllowMultiple {
			values = strings.Split(v, ",")
		}
		for _, one := range values {
			if err := checkParamValue(p, one); err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: %w", p.Name, one, err))
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s %s: %w", method, op.Path, errors.Join(errs...))
	}
	return nil
}

func checkParamValue(p Param, v string) error {
	var num float64
	isNum := false
	switch p.DataType {
	case "int", "long":
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return fmt.Errorf("not an integer")
		}
		num, isNum = float64(n), true
	case "double":
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return fmt.Errorf("not a number")
		}
		num, isNum = f, true
	case "boolean":
		// Asterisk reads booleans with ast_true/ast_false.
		switch strings.ToLower(v) {
		case "true", "yes", "y", "t", "1", "on", "false", "no", "n", "f", "0", "off":
		default:
			return fmt.Errorf("not a boolean")
		}
	}
	a := p.AllowableValues
	if a == nil {
		return nil
	}
	switch a.ValueType {
	case "LIST":
		for _, ok := range a.Values {
			if v == ok {
				return nil
			}
		}
		return fmt.Errorf("not one of %v", a.Values)
	case "RANGE":
		if isNum && (a.Min != nil && num < *a.Min || a.Max != nil && num > *a.Max) {
			return fmt.Errorf("out of range")
		}
	}
	return nil
}

func splitPath(p string) []string {
	p, _, _ = strings.Cut(p, "?")
	if p == "/ari" || strings.HasPrefix(p, "/ari/") {
		p = p[len("/ari"):]
	}
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

func paramName(seg string) (string, bool) {
	if len(seg) > 2 && seg[0] == '{' && seg[len(seg)-1] == '}' {
		return seg[1 : len(seg)-1], true
	}
	return "", false
}

func matches(tmpl, segs []string) bool {
	if len(tmpl) != len(segs) {
		return false
	}
	for i, t := range tmpl {
		if _, isParam := paramName(t); isParam {
			if segs[i] == "" {
				return false
			}
		} else if t != segs[i] {
			return false
		}
	}
	return true
}

// moreLiteral reports whether a has a literal segment where b has a
// parameter, at the first position where they differ in kind.
func moreLiteral(a, b []string) bool {
	for i := range a {
		_, pa := paramName(a[i])
		_, pb := paramName(b[i])
		if pa != pb {
			return !pa
		}
	}
	return false
}
