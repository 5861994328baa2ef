package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"andel/domain"

	"github.com/shopspring/decimal"
)

// TestVerifyReceiptOffline: a supplier checks its receipt with the
// published public key alone, no database; a changed receipt fails.
func TestVerifyReceiptOffline(t *testing.T) {
	key := domain.RandomReceiptKey()
	r, err := key.SignReceipt(domain.Bid{ID: 4, TenderID: 9, SupplierID: 2, Revision: 1, Currency: "DKK",
		Items: []domain.BidItem{{LotItemID: 1, PackUnit: "XBX", PackContent: decimal.NewFromInt(100), BaseUnit: "EA",
			PackPrice: decimal.RequireFromString("41.00"), Currency: "DKK"}}}, time.Now().UTC().Truncate(time.Microsecond))
	if err != nil {
		t.Fatal(err)
	}
	pub := base64.StdEncoding.EncodeToString(key.Public())
	write := func(r domain.BidReceipt) string {
		b, _ := json.Marshal(r)
		p := filepath.Join(t.TempDir(), "receipt.json")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"verify-receipt", "--public-key", pub, write(r)}, nil, &out); err != nil {
		t.Fatalf("a good receipt: %v", err)
	}
	if !strings.HasPrefix(out.String(), "valid:") {
		t.Errorf("printed %q", out.String())
	}
	r.SHA256 = strings.Repeat("0", 64)
	if err := run(context.Background(), []string{"verify-receipt", "--public-key", pub, write(r)}, nil, &out); err == nil {
		t.Error("a changed receipt verifies")
	}
}
