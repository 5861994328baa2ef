package domain

// CVRFault says what is wrong with a CVR number, for people correcting one
// as they type; "" when it is valid. The codes are stable so that pages can
// word them in their own language.
type CVRFault string

// What can be wrong with a CVR number, checked in this order.
const (
	CVRMissing     CVRFault = "missing"      // nothing given
	CVRNotDigits   CVRFault = "not_digits"   // something other than digits
	CVRLength      CVRFault = "length"       // not exactly 8 digits
	CVRLeadingZero CVRFault = "leading_zero" // starts with 0
	CVRChecksum    CVRFault = "checksum"     // fails the modulus-11 check
)

// CheckCVR reports what is wrong with s as a Danish CVR number: eight
// digits, the first not zero, whose weighted sum with weights
// 2,7,6,5,4,3,2,1 is divisible by 11. s is read as given (callers strip
// spaces first, as MemberInput does).
func CheckCVR(s string) CVRFault {
	if s == "" {
		return CVRMissing
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return CVRNotDigits
		}
	}
	if len(s) != 8 {
		return CVRLength
	}
	if s[0] == '0' {
		return CVRLeadingZero
	}
	weights := [8]int{2, 7, 6, 5, 4, 3, 2, 1}
	sum := 0
	for i := 0; i < 8; i++ {
		sum += int(s[i]-'0') * weights[i]
	}
	if sum%11 != 0 {
		return CVRChecksum
	}
	return ""
}

// ValidCVR reports whether s is a Danish CVR number (CheckCVR finds
// nothing wrong).
func ValidCVR(s string) bool { return CheckCVR(s) == "" }
