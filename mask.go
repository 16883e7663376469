package callcare

// MaskNumber hides all but the last three digits of a phone number, for logs
// (P4e: no personal data to third parties, and logs travel). Other
// characters stay, so "anonymous" still reads as such.
func MaskNumber(n string) string {
	keep := 3
	out := []rune(n)
	for i := len(out) - 1; i >= 0; i-- {
		if out[i] < '0' || out[i] > '9' {
			continue
		}
		if keep > 0 {
			keep--
		} else {
			out[i] = '*'
		}
	}
	return string(out)
}
