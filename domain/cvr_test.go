package domain

import "testing"

func TestValidCVR(t *testing.T) {
	tests := []struct {
		cvr  string
		want bool
	}{
		{"29403473", true}, // weights 2,7,6,5,4,3,2,1: 4+63+24+0+12+12+14+3 = 132 = 12 x 11
		{"29403474", false},
		{"10150817", true},
		{"01234567", false}, // no CVR starts with 0
		{"2940347", false},
		{"294034733", false},
		{"2940347a", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidCVR(tt.cvr); got != tt.want {
			t.Errorf("ValidCVR(%q) = %v, want %v", tt.cvr, got, tt.want)
		}
	}
}

func TestCheckCVRSaysWhatIsWrong(t *testing.T) {
	for cvr, want := range map[string]CVRFault{
		"29403473":  "",
		"":          CVRMissing,
		"2940347a":  CVRNotDigits,
		"29-40-347": CVRNotDigits,
		"2940347":   CVRLength,
		"294034733": CVRLength,
		"01234567":  CVRLeadingZero,
		"29403474":  CVRChecksum,
	} {
		if got := CheckCVR(cvr); got != want {
			t.Errorf("CheckCVR(%q) = %q, want %q", cvr, got, want)
		}
		if ValidCVR(cvr) != (want == "") {
			t.Errorf("ValidCVR(%q) disagrees with CheckCVR", cvr)
		}
	}
}
