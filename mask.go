package callcare

// MaskNumber hides all but the last three digits of a phone number, for logs
// (P4e: no personal data to third parties, and logs travel).
func MaskNumber(n string) string {
	r := []rune(n)
	if len(r) <= 3 {
		return n
	}
	out := make([]rune, len(r))
	for i, c := range r {
		if i < len(r)-3 {
			out[i] = '*'
		} else {
			out[i] = c
		}
	}
	return string(out)
}
