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
