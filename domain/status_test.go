package domain

import "testing"

func TestStatusMoves(t *testing.T) {
	cases := []struct {
		name string
		ok   bool
	}{
		{"placed->confirmed", OrderPlaced.CanBecome(OrderConfirmed)},
		{"placed->cancelled", OrderPlaced.CanBecome(OrderCancelled)},
		{"confirmed->rejected", OrderConfirmed.CanBecome(OrderRejected)},
		{"shipped->delivered", OrderShipped.CanBecome(OrderDelivered)},
		{"!confirmed->cancelled", !OrderConfirmed.CanBecome(OrderCancelled)},
		{"!shipped->rejected", !OrderShipped.CanBecome(OrderRejected)},
		{"!delivered->anything", !OrderDelivered.CanBecome(OrderPlaced)},
		{"draft->published", TenderDraft.CanBecome(TenderPublished)},
		{"closed->cancelled", TenderClosed.CanBecome(TenderCancelled)},
		{"!awarded->cancelled", !TenderAwarded.CanBecome(TenderCancelled)},
		{"!draft->awarded", !TenderDraft.CanBecome(TenderAwarded)},
		{"validating->active", PriceListValidating.CanBecome(PriceListActive)},
		{"!rejected->active", !PriceListRejected.CanBecome(PriceListActive)},
		{"active->terminated", ContractActive.CanBecome(ContractTerminated)},
		{"!expired->active", !ContractExpired.CanBecome(ContractActive)},
		{"opened", TenderUnsuccessful.Opened() && !TenderPublished.Opened()},
		{"valid", OrderRejected.Valid() && !OrderStatus("lost").Valid() && TenderDraft.Valid() && !PriceListStatus("").Valid()},
	}
	for _, c := range cases {
		if !c.ok {
			t.Errorf("%s does not hold", c.name)
		}
	}
	if got, want := ContractStatusValues(), "active, expired or terminated"; got != want {
		t.Errorf("ContractStatusValues() = %q, want %q", got, want)
	}
}
