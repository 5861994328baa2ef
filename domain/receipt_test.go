package domain

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestBidReceipts(t *testing.T) {
	d := decimal.RequireFromString
	bid := Bid{ID: 7, TenderID: 3, SupplierID: 2, Revision: 2, Currency: "DKK",
		CriteriaValues: json.RawMessage(`{"delivery_days": "2"}`),
		Items: []BidItem{
			{LotItemID: 12, SKU: "NH-M", PackUnit: "XBX", PackContent: d("100"), BaseUnit: "EA", PackPrice: d("41.50"), Currency: "DKK",
				Tiers: []BidItemTier{{MinPacks: d("100"), PackPrice: d("39")}, {MinPacks: d("40"), PackPrice: d("40.25")}}},
			{LotItemID: 11, PackUnit: "XBX", PackContent: d("50"), BaseUnit: "EA", PackPrice: d("14"), Currency: "DKK"},
		}}
	key := RandomReceiptKey()
	at := time.Date(2027, 2, 1, 10, 0, 0, 123456000, time.UTC)
	r, err := key.SignReceipt(bid, at)
	if err != nil {
		t.Fatal(err)
	}
	// The same bid read back from the database: other item and tier
	// order, trailing zeros, padded codes. Same canonical form, so it
	// verifies.
	opened := bid
	opened.CriteriaValues = json.RawMessage(`{"delivery_days":"2.0"}`)
	opened.Items = []BidItem{bid.Items[1], bid.Items[0]}
	opened.Items[1].PackPrice, opened.Items[1].PackContent = d("41.500000"), d("100.000000")
	opened.Items[1].Tiers = []BidItemTier{bid.Items[0].Tiers[1], bid.Items[0].Tiers[0]}
	opened.Currency = "DKK "
	if err := VerifyReceipt(r, key.Public(), &opened); err != nil {
		t.Fatalf("the receipt does not verify against its own bid: %v", err)
	}
	changed := opened
	changed.Items = append([]BidItem(nil), opened.Items...)
	changed.Items[0].PackPrice = d("13.99")
	if err := VerifyReceipt(r, key.Public(), &changed); err == nil {
		t.Error("a changed bid verifies against the receipt")
	}
	late := r
	late.ReceivedAt = r.ReceivedAt.Add(-time.Hour)
	if err := VerifyReceipt(late, key.Public(), nil); err == nil {
		t.Error("a receipt with another time verifies")
	}
	if err := VerifyReceipt(r, RandomReceiptKey().Public(), nil); err == nil {
		t.Error("a receipt verifies against another key")
	}
	rev := opened
	rev.Revision = 3
	if err := VerifyReceipt(r, key.Public(), &rev); err == nil {
		t.Error("a receipt verifies against a later revision")
	}
}
