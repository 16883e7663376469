package agi

import (
	"bufio"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestReadHeader(t *testing.T) {
	const base = "agi_network: yes\nagi_network_script: route?line=main\nagi_accountcode: \n"
	for _, tc := range []struct {
		name   string
		in     string
		script string
		query  string
		args   []string
		err    error
	}{
		{"Trace", base + "agi_arg_1: 200\n\n", "route", "line=main", []string{"200"}, nil},
		{"NoArgs", base + "\n", "route", "line=main", nil, nil},
		{"ArgsInOrder", base + "agi_arg_1: a\nagi_arg_2: b,c\nagi_arg_3: \n\n", "route", "line=main", []string{"a", "b,c", ""}, nil},
		{"ValueWithColon", "agi_network_script: x\nagi_arg_1: a: b\n\n", "x", "", []string{"a: b"}, nil},
		{"CRLF", "agi_network_script: x\r\nagi_arg_1: 1\r\n\r\n", "x", "", []string{"1"}, nil},
		{"EmptyValueNoSpace", "agi_network_script: x\nagi_accountcode:\n\n", "x", "", nil, nil},
		{"NoScript", "agi_network: yes\n\n", "", "", nil, nil},
		{"Empty", "", "", "", nil, errHeaderCut},
		{"CutMidLine", "agi_network: yes\nagi_net", "", "", nil, errHeaderCut},
		{"CutBeforeBlank", base, "", "", nil, errHeaderCut},
		{"NotAGI", "GET / HTTP/1.1\n\n", "", "", nil, errHeaderMalformed},
		{"NoColon", base + "agi_arg_1 200\n\n", "", "", nil, errHeaderMalformed},
		{"ContinuationLine", base + "agi_arg_1: 123\nrm -rf /\n\n", "", "", nil, errHeaderMalformed},
		{"UpperKey", base + "AGI_ARG_1: 1\n\n", "", "", nil, errHeaderMalformed},
		{"BadKey", base + "agi_a-b: 1\n\n", "", "", nil, errHeaderMalformed},
		{"EmptyKey", base + "agi_: 1\n\n", "", "", nil, errHeaderMalformed},
		{"Duplicate", base + "agi_arg_1: 1\nagi_arg_1: 2\n\n", "", "", nil, errHeaderMalformed},
		{"ArgGap", base + "agi_arg_1: 1\nagi_arg_3: 3\n\n", "", "", nil, errHeaderMalformed},
		{"ArgZero", base + "agi_arg_0: 0\n\n", "", "", nil, errHeaderMalformed},
		{"ArgNotNumber", base + "agi_arg_x: 0\n\n", "", "", nil, errHeaderMalformed},
		{"LongLine", base + "agi_arg_1: " + strings.Repeat("1", maxHeaderLine) + "\n\n", "", "", nil, errHeaderMalformed},
		{"TooManyLines", manyLines(maxHeaderLines+1) + "\n", "", "", nil, errHeaderMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := readHeader(bufio.NewReaderSize(strings.NewReader(tc.in), maxHeaderLine))
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err = %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if req.Script != tc.script || req.Query != tc.query || !slices.Equal(req.Args, tc.args) {
				t.Errorf("got script %q query %q args %q; want %q %q %q", req.Script, req.Query, req.Args, tc.script, tc.query, tc.args)
			}
		})
	}
}

// manyLines is n header lines with distinct keys.
func manyLines(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("agi_k")
		b.WriteString(strings.Repeat("x", i%50))
		b.WriteString(string(rune('a' + i/50)))
		b.WriteString(": v\n")
	}
	return b.String()
}

// No input crashes the reader, and what it accepts has no line break in
// any value: nothing read can smuggle a second line anywhere.
func FuzzReadHeader(f *testing.F) {
	for _, s := range []string{
		"agi_network: yes\nagi_network_script: outbound-answered\nagi_arg_1: 600100200\nagi_arg_2: PJSIP/101\n\n",
		"agi_arg_1: 1\nagi_arg_1: 2\n\n",
		"agi_network_script: route?line=main\n\n",
		"\n", "", "agi_x:\r\n\r\n", "agi_arg_2: x\n\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		req, err := readHeader(bufio.NewReaderSize(strings.NewReader(in), maxHeaderLine))
		if err != nil {
			return
		}
		for k, v := range req.Env {
			if strings.ContainsAny(k+v, "\n") {
				t.Fatalf("agi_%s: %q holds a newline", k, v)
			}
		}
		if len(req.Args) > maxHeaderLines {
			t.Fatalf("%d args", len(req.Args))
		}
	})
}
