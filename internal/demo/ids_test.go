package demo

import (
	"testing"

	"andel/domain"
)

// The demo's CVR numbers and GTINs are valid, so the seed's members and
// products pass the services' checks.
func TestDemoIdentifiersAreValid(t *testing.T) {
	for i := 0; i < 200; i++ {
		if c := demoCVR(i); !domain.ValidCVR(c) {
			t.Fatalf("demoCVR(%d) = %s is invalid", i, c)
		}
	}
	for i := 0; i < 50; i++ {
		if g := demoGTIN(i); !domain.ValidGTIN(g) || len(g) != 13 {
			t.Fatalf("demoGTIN(%d) = %s is invalid", i, g)
		}
	}
}
