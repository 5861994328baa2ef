package domain

import (
	"slices"
	"strings"
)

// The lives of orders, tenders, price lists and contracts. Each kind of
// status is its own type with its values and one transition rule
// (CanBecome), so that services check every move in one place and the HTTP
// layer lists the allowed values from here instead of repeating them.

// lifecycle is a kind of status: its values in display order and the moves
// allowed from each.
type lifecycle[S ~string] struct {
	values []S
	moves  map[S][]S
}

func (l lifecycle[S]) valid(s S) bool { return slices.Contains(l.values, s) }

func (l lifecycle[S]) canMove(from, to S) bool { return slices.Contains(l.moves[from], to) }

// oneOf is "a, b or c", for messages listing the allowed values.
func (l lifecycle[S]) oneOf() string {
	s := make([]string, len(l.values))
	for i, v := range l.values {
		s[i] = string(v)
	}
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// OrderStatus is where an order is: placed -> confirmed -> shipped ->
// delivered, or cancelled (by the member while placed) / rejected (by the
// supplier before shipping).
type OrderStatus string

// Order statuses.
const (
	OrderPlaced    OrderStatus = "placed"
	OrderConfirmed OrderStatus = "confirmed"
	OrderShipped   OrderStatus = "shipped"
	OrderDelivered OrderStatus = "delivered"
	OrderCancelled OrderStatus = "cancelled"
	OrderRejected  OrderStatus = "rejected"
)

var orderLife = lifecycle[OrderStatus]{
	values: []OrderStatus{OrderPlaced, OrderConfirmed, OrderShipped, OrderDelivered, OrderCancelled, OrderRejected},
	moves: map[OrderStatus][]OrderStatus{
		OrderPlaced:    {OrderConfirmed, OrderRejected, OrderCancelled},
		OrderConfirmed: {OrderShipped, OrderRejected},
		OrderShipped:   {OrderDelivered},
	},
}

// Valid reports whether s is an order status.
func (s OrderStatus) Valid() bool { return orderLife.valid(s) }

// CanBecome reports whether an order that is s may move to to.
func (s OrderStatus) CanBecome(to OrderStatus) bool { return orderLife.canMove(s, to) }

// OrderStatusValues is "placed, confirmed, ... or rejected", for messages.
func OrderStatusValues() string { return orderLife.oneOf() }

// TenderStatus is where a tender is: draft -> published -> closed ->
// awarded; cancelled from draft, published or closed; unsuccessful when
// closing finds no compliant bid in any lot.
type TenderStatus string

// Tender statuses.
const (
	TenderDraft        TenderStatus = "draft"
	TenderPublished    TenderStatus = "published"
	TenderClosed       TenderStatus = "closed"
	TenderAwarded      TenderStatus = "awarded"
	TenderCancelled    TenderStatus = "cancelled"
	TenderUnsuccessful TenderStatus = "unsuccessful"
)

var tenderLife = lifecycle[TenderStatus]{
	values: []TenderStatus{TenderDraft, TenderPublished, TenderClosed, TenderAwarded, TenderCancelled, TenderUnsuccessful},
	moves: map[TenderStatus][]TenderStatus{
		TenderDraft:     {TenderPublished, TenderCancelled},
		TenderPublished: {TenderClosed, TenderUnsuccessful, TenderCancelled},
		TenderClosed:    {TenderAwarded, TenderCancelled},
	},
}

// Valid reports whether s is a tender status.
func (s TenderStatus) Valid() bool { return tenderLife.valid(s) }

// CanBecome reports whether a tender that is s may move to to.
func (s TenderStatus) CanBecome(to TenderStatus) bool { return tenderLife.canMove(s, to) }

// Opened reports whether the tender's bids have been unsealed: after
// closing, whatever came next.
func (s TenderStatus) Opened() bool {
	return s == TenderClosed || s == TenderAwarded || s == TenderUnsuccessful
}

// TenderStatusValues is "draft, published, ... or unsuccessful", for messages.
func TenderStatusValues() string { return tenderLife.oneOf() }

// PriceListStatus is where an uploaded price list is: validating ->
// rejected | scheduled | active; scheduled -> active; active -> superseded.
type PriceListStatus string

// Price-list statuses.
const (
	PriceListValidating PriceListStatus = "validating"
	PriceListRejected   PriceListStatus = "rejected"
	PriceListScheduled  PriceListStatus = "scheduled"
	PriceListActive     PriceListStatus = "active"
	PriceListSuperseded PriceListStatus = "superseded"
)

var priceListLife = lifecycle[PriceListStatus]{
	values: []PriceListStatus{PriceListValidating, PriceListRejected, PriceListScheduled, PriceListActive, PriceListSuperseded},
	moves: map[PriceListStatus][]PriceListStatus{
		PriceListValidating: {PriceListRejected, PriceListScheduled, PriceListActive},
		PriceListScheduled:  {PriceListActive, PriceListSuperseded},
		PriceListActive:     {PriceListSuperseded},
	},
}

// Valid reports whether s is a price-list status.
func (s PriceListStatus) Valid() bool { return priceListLife.valid(s) }

// CanBecome reports whether a price list that is s may move to to.
func (s PriceListStatus) CanBecome(to PriceListStatus) bool { return priceListLife.canMove(s, to) }

// PriceListStatusValues is "validating, rejected, ... or superseded", for messages.
func PriceListStatusValues() string { return priceListLife.oneOf() }

// ContractStatus is where a contract (or one of its lines) is: active ->
// expired at the end of its period, or terminated early.
type ContractStatus string

// Contract statuses (contracts and their lines).
const (
	ContractActive     ContractStatus = "active"
	ContractExpired    ContractStatus = "expired"
	ContractTerminated ContractStatus = "terminated"
)

var contractLife = lifecycle[ContractStatus]{
	values: []ContractStatus{ContractActive, ContractExpired, ContractTerminated},
	moves:  map[ContractStatus][]ContractStatus{ContractActive: {ContractExpired, ContractTerminated}},
}

// Valid reports whether s is a contract status.
func (s ContractStatus) Valid() bool { return contractLife.valid(s) }

// CanBecome reports whether a contract that is s may move to to.
func (s ContractStatus) CanBecome(to ContractStatus) bool { return contractLife.canMove(s, to) }

// ContractStatusValues is "active, expired or terminated", for messages.
func ContractStatusValues() string { return contractLife.oneOf() }
