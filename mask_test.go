package callcare_test

import (
	"testing"

	"github.com/callcare/callcare"
)

func TestMaskNumber(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"48600100200", "********200"},
		{"+48 600 100 200", "+** *** *** 200"},
		{"101", "101"},
		{"", ""},
		{"anonymous", "anonymous"},
		{"Robert 12345", "Robert **345"},
	} {
		if got := callcare.MaskNumber(tc.in); got != tc.want {
			t.Errorf("MaskNumber(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCallableNumber(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"48600100200", "48600100200", true},
		{"+48 600 100 200", "48600100200", true},
		{"0048600100200", "48600100200", true},
		{"600-100-200", "48600100200", true},
		{"+44 20 7946 0000", "442079460000", true},
		{"101", "101", true},
		{"anonymous", "", false},
		{"", "", false},
		{"12", "", false},
		{"4860010020012345678", "", false},
		{"123;rm -rf", "", false},
		{"١٢٣٤٥", "", false},
	} {
		got, ok := callcare.CallableNumber(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("CallableNumber(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
