package domain

import "testing"

func TestValidGTIN(t *testing.T) {
	tests := []struct {
		gtin string
		want bool
	}{
		{"5701234567899", true},  // GTIN-13, check digit 9
		{"5701234567898", false}, // wrong check digit
		{"96385074", true},       // GTIN-8
		{"036000291452", true},   // GTIN-12 (UPC-A)
		{"10036000291459", true}, // GTIN-14
		{"10036000291458", false},
		{"", false},
		{"123", false},
		{"570123456789A", false},
		{"A701234567899", false},
	}
	for _, tt := range tests {
		if got := ValidGTIN(tt.gtin); got != tt.want {
			t.Errorf("ValidGTIN(%q) = %v, want %v", tt.gtin, got, tt.want)
		}
	}
}
