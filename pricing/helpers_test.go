package pricing

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
)

// d parses a decimal literal for tests.
func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// wantErr checks that err is a pricing error of kind with the given field
// ("" field means: any field).
func wantErr(t *testing.T, err error, kind error, field string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want %v error, got nil", kind)
	}
	if !errors.Is(err, kind) {
		t.Fatalf("want kind %v, got %v", kind, err)
	}
	if field == "" {
		return
	}
	for _, fe := range FieldErrors(err) {
		if fe.Field == field {
			return
		}
	}
	t.Fatalf("want field %q in %v", field, err)
}

func mustNoErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}
