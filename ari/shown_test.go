package ari

import "testing"

// TestShownAs: what a desk phone shows is built from what the caller's
// network sent; nothing in it ends or escapes a part of the caller id.
func TestShownAs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, number, want string }{
		{"Przek. od A. Nowak", "48600100200", `"Przek. od A. Nowak" <48600100200>`},
		{"", "48600100200", "48600100200"},
		{"SP", "", `"SP"`},
		{`Evil" <999>`, "48600100200", `"Evil 999" <48600100200>`},
		{`back\`, "486<0>0\"1\\", `"back" <486001>`},
		{"line\nbreak\x7f", "4860\r0", `"linebreak" <48600>`},
	} {
		if got := shownAs(tc.name, tc.number); got != tc.want {
			t.Errorf("shownAs(%q, %q) = %q, want %q", tc.name, tc.number, got, tc.want)
		}
	}
}
