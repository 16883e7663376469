package agi

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Limits on the header block. Asterisk 20 sends about 25 short lines plus
// one per argument (see testdata/route.fastagi.jsonl); anything much larger
// is not Asterisk.
const (
	maxHeaderLine  = 2048 // bytes in one line, newline included
	maxHeaderLines = 128  // lines before the blank one
)

var (
	errHeaderCut       = errors.New("connection ended before the header's blank line")
	errHeaderMalformed = errors.New("malformed header")
)

// request is one FastAGI session's header block, as Asterisk's setup_env
// writes it: "agi_<key>: <value>\n" lines ended by a blank line.
type request struct {
	// Script is agi_network_script up to any '?': "outbound-answered" for
	// agi://127.0.0.1:4573/outbound-answered, "route" for route?line=main.
	Script string
	// Query is what followed the '?', unparsed ("line=main").
	Query string
	// Args are agi_arg_1, agi_arg_2, ... in order: the AGI() application's
	// arguments after the URL (a comma in its data makes a new one).
	Args []string
	// Env holds every header line by key without the "agi_" prefix
	// ("channel", "uniqueid", "arg_1", ...).
	Env map[string]string
}

// readHeader reads the header block. It fails when the connection ends
// before the blank line (errHeaderCut) and on anything Asterisk would not
// send (errHeaderMalformed): a line that is not "agi_<key>: <value>", a key
// twice, a line or block too long, arguments with gaps. A value with a
// newline in it, which Asterisk writes as is, shows up as a line without
// "agi_" and so rejects the whole session: nothing after it can be trusted.
func readHeader(r *bufio.Reader) (*request, error) {
	req := &request{Env: map[string]string{}}
	for n := 0; ; n++ {
		if n > maxHeaderLines {
			return nil, fmt.Errorf("%w: more than %d lines", errHeaderMalformed, maxHeaderLines)
		}
		line, err := readLine(r)
		if err != nil {
			return nil, err
		}
		if line == "" {
			break
		}
		key, value, ok := strings.Cut(line, ": ")
		if !ok {
			// Asterisk writes "agi_accountcode: " for an empty value, but a
			// line cut just before the space is harmless to accept.
			key, ok = strings.CutSuffix(line, ":")
		}
		key, hasPrefix := strings.CutPrefix(key, "agi_")
		if !ok || !hasPrefix || !validKey(key) {
			return nil, fmt.Errorf("%w: line %d is not \"agi_<key>: <value>\"", errHeaderMalformed, n+1)
		}
		if _, dup := req.Env[key]; dup {
			return nil, fmt.Errorf("%w: agi_%s twice", errHeaderMalformed, key)
		}
		req.Env[key] = value
	}
	req.Script, req.Query, _ = strings.Cut(req.Env["network_script"], "?")
	for i := 1; ; i++ {
		v, ok := req.Env["arg_"+strconv.Itoa(i)]
		if !ok {
			break
		}
		req.Args = append(req.Args, v)
	}
	for key := range req.Env {
		if strings.HasPrefix(key, "arg_") {
			if i, err := strconv.Atoi(key[len("arg_"):]); err != nil || i < 1 || i > len(req.Args) {
				return nil, fmt.Errorf("%w: agi_%s out of sequence", errHeaderMalformed, key)
			}
		}
	}
	return req, nil
}

// readLine reads one line without its "\n" (and a "\r" before it).
func readLine(r *bufio.Reader) (string, error) {
	b, err := r.ReadSlice('\n')
	switch {
	case errors.Is(err, bufio.ErrBufferFull):
		return "", fmt.Errorf("%w: a line longer than %d bytes", errHeaderMalformed, r.Size())
	case errors.Is(err, io.EOF) || (err == nil && len(b) == 0):
		return "", errHeaderCut
	case err != nil:
		return "", err
	}
	b = bytes.TrimSuffix(b[:len(b)-1], []byte("\r"))
	return string(b), nil
}

// validKey accepts the keys setup_env writes: lower-case letters, digits
// and '_'.
func validKey(k string) bool {
	if k == "" {
		return false
	}
	for _, c := range k {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}
