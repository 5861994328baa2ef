package domain

// ValidCVR reports whether s is a Danish CVR number: eight digits, the first
// not zero, whose weighted sum with weights 2,7,6,5,4,3,2,1 is divisible by 11.
func ValidCVR(s string) bool {
	if len(s) != 8 || s[0] == '0' {
		return false
	}
	weights := [8]int{2, 7, 6, 5, 4, 3, 2, 1}
	sum := 0
	for i := 0; i < 8; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * weights[i]
	}
	return sum%11 == 0
}
