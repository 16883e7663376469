package callcare_test

import (
	"log/slog"
	"strings"
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
		{"00352123456", "352123456", true}, // a foreign 9-digit number keeps its code
		{"+352 123 456", "352123456", true},
		{"101", "101", true},
		{"anonymous", "", false},
		{"", "", false},
		{"12", "", false},
		{"4860010020012345678", "", false},
		{"123;rm -rf", "", false},
		{"١٢٣٤٥", "", false},
	} {
		got, ok := callcare.CallableNumber(callcare.Number(tc.in))
		if string(got) != tc.want || ok != tc.ok {
			t.Errorf("CallableNumber(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestMaskNumber_AnyScriptAndLength(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"١٢٣٤٥٦٧", "****٥٦٧"}, // Arabic-Indic digits are digits too
		{"४८६००१००२००", "********२००"},
		{"600100200\n$ rm", "******200?$ rm"},
		{strings.Repeat("9", 2048), "…" + strings.Repeat("*", 21) + "999"},
	} {
		if got := callcare.MaskNumber(tc.in); got != tc.want {
			t.Errorf("MaskNumber(%.20q...) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNumber_MasksItselfInLogs(t *testing.T) {
	var b strings.Builder
	log := slog.New(slog.NewTextHandler(&b, nil))
	log.Info("call", "caller", callcare.Number("48600100200"), "other", callcare.Number("٤٨٦٠٠١٠٠٢٠٠"))
	if s := b.String(); strings.Contains(s, "600100") || strings.Contains(s, "٦٠٠١٠٠") || !strings.Contains(s, "********200") {
		t.Errorf("logged %q", s)
	}
}
