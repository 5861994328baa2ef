package domain

// ValidGTIN reports whether s is a GS1 GTIN-8, -12, -13 or -14 whose last
// digit is the correct check digit (weights 3,1,3,... from the right,
// check digit excluded).
func ValidGTIN(s string) bool {
	switch len(s) {
	case 8, 12, 13, 14:
	default:
		return false
	}
	sum := 0
	for i := len(s) - 2; i >= 0; i-- {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if (len(s)-2-i)%2 == 0 {
			d *= 3
		}
		sum += d
	}
	last := s[len(s)-1]
	if last < '0' || last > '9' {
		return false
	}
	return int(last-'0') == (10-sum%10)%10
}
