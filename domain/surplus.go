package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"andel/pricing"

	"github.com/shopspring/decimal"
)

// Surplus run kinds: a patronage refund of a period's surplus, or a
// redemption that pays out retained amounts from the members' capital
// accounts.
const (
	SurplusPatronage  = "patronage"
	SurplusRedemption = "redemption"
)

// Surplus run statuses: draft -> approved -> distributed; cancelled from
// draft or approved.
const (
	SurplusDraft       = "draft"
	SurplusApproved    = "approved"
	SurplusDistributed = "distributed"
	SurplusCancelled   = "cancelled"
)

// Allocation bases: the whole distributable amount over total patronage,
// or per category (the distributable amount split into category pools in
// proportion to each category's rebates, each pool over the patronage in
// that category).
const (
	BasisWhole    = "whole"
	BasisCategory = "category"
)

// Kinds of income line of a surplus run.
const (
	LineRebate = "rebate" // computed from delivered order lines
	LineIncome = "income" // other income, entered by staff
	LineCost   = "cost"   // a cost, entered by staff
)

// SurplusOptions are the board's choices for a run.
type SurplusOptions struct {
	Basis         string              `json:"basis"`
	CashShare     pricing.BasisPoints `json:"cash_share_bp"`
	MinimumPayout decimal.Decimal     `json:"minimum_payout"`
	// At most one of these: a reserve as a percentage of income less
	// costs, or as an amount.
	ReservePercent *pricing.BasisPoints `json:"reserve_percent_bp,omitempty"`
	ReserveAmount  *decimal.Decimal     `json:"reserve_amount,omitempty"`
	// Redemption runs: the percentage of the retained amounts paid.
	RedemptionPercent pricing.BasisPoints `json:"redemption_percent_bp,omitempty"`
}

// SurplusLine is one income or cost line of a run.
type SurplusLine struct {
	Kind        string          `json:"kind"`
	Description string          `json:"description"`
	Category    string          `json:"category"`
	SupplierID  int64           `json:"supplier_id,omitempty"`
	ContractID  int64           `json:"contract_id,omitempty"`
	Currency    string          `json:"currency,omitempty"` // the orders' currency, when not the cooperative's
	Original    decimal.Decimal `json:"original,omitempty"` // the amount in that currency
	Amount      decimal.Decimal `json:"amount"`             // in the cooperative's currency
}

// SurplusMember is one member's inputs to a run.
type SurplusMember struct {
	MemberID int64  `json:"member_id"`
	Status   string `json:"status"`
	// Patronage is the member's net spend of delivered lines in the period
	// (for a redemption: its retained balance being redeemed).
	Patronage  decimal.Decimal            `json:"patronage"`
	ByCategory map[string]decimal.Decimal `json:"by_category,omitempty"`
	// BySource is a redemption's balance per patronage run.
	BySource  map[string]decimal.Decimal `json:"by_source,omitempty"`
	CarryIn   decimal.Decimal            `json:"carry_in"`
	RegNo     string                     `json:"reg_no,omitempty"`
	AccountNo string                     `json:"account_no,omitempty"`
}

// SurplusSnapshot is everything a run's figures follow from; stored with
// the run (exactly the bytes hashed) so that they can be recomputed and
// compared at any time.
type SurplusSnapshot struct {
	Kind        string          `json:"kind"`
	Period      string          `json:"period"`
	From        string          `json:"from"`
	To          string          `json:"to"`
	Currency    string          `json:"currency"`
	SourceRunID int64           `json:"source_run_id,omitempty"`
	MemberID    int64           `json:"member_id,omitempty"`
	Options     SurplusOptions  `json:"options"`
	Lines       []SurplusLine   `json:"lines"`
	Members     []SurplusMember `json:"members"`
}

// Encode returns the snapshot's canonical bytes and their sha256 (hex).
func (s SurplusSnapshot) Encode() ([]byte, string, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(b)
	return b, hex.EncodeToString(sum[:]), nil
}

// SurplusAllocation is one member's figures in a run.
type SurplusAllocation struct {
	MemberID        int64
	Patronage       decimal.Decimal
	Share           decimal.Decimal // of total patronage, 10 decimals
	Allocation      decimal.Decimal
	Cash            decimal.Decimal
	Retained        decimal.Decimal
	CarryForwardIn  decimal.Decimal
	CarryForwardOut decimal.Decimal
	Payout          decimal.Decimal // cash + carry-in paid now
	BankRegNo       string
	BankAccountNo   string
}

// SurplusFigures is the result of a computation.
type SurplusFigures struct {
	Income, Costs, Reserve, Distributable       decimal.Decimal
	CashTotal, RetainedTotal, CarryForwardTotal decimal.Decimal
	CarryForwardInTotal                         decimal.Decimal
	Allocations                                 []SurplusAllocation
	MissingBankDetails                          []int64
}

// ComputeSurplus computes every figure of a run from its snapshot. It is
// pure: the same snapshot gives the same figures, whatever the order of
// its members. Figures of a run whose distributable amount is not positive
// are all zero allocations (such a run is saved, not approved).
//
//   - income = rebates + other income; reserve = its percentage of income
//     less costs (rounded, never below zero) or its amount; distributable
//     = income - costs - reserve;
//   - allocation: pricing.Allocate of the distributable amount by
//     patronage (or per category pool);
//   - cash and retained: pricing.SplitCash by the cash share (a member
//     that left gets all in cash);
//   - payout: cash + carry-in when the member has bank details and it is
//     at least the minimum payout, else all carried forward.
func ComputeSurplus(s SurplusSnapshot) (SurplusFigures, error) {
	var f SurplusFigures
	c := pricing.Currency(s.Currency)
	zero := pricing.ZeroMoney(c)
	money := func(d decimal.Decimal) (pricing.Money, error) { return pricing.NewMoney(d, c) }
	income, costs := zero, zero
	rebatesByCategory := map[string]pricing.Money{}
	for i, l := range s.Lines {
		m, err := money(l.Amount)
		if err != nil {
			return f, fmt.Errorf("lines[%d]: %w", i, err)
		}
		switch l.Kind {
		case LineRebate:
			prev, ok := rebatesByCategory[l.Category]
			if !ok {
				prev = zero
			}
			rebatesByCategory[l.Category], _ = prev.Add(m)
			income, _ = income.Add(m)
		case LineIncome:
			income, _ = income.Add(m)
		case LineCost:
			costs, _ = costs.Add(m)
		}
	}
	net, _ := income.Sub(costs)
	reserve := zero
	switch o := s.Options; {
	case o.ReservePercent != nil && net.IsPositive():
		r, err := pricing.PercentOf(net, *o.ReservePercent)
		if err != nil {
			return f, err
		}
		reserve = r
	case o.ReserveAmount != nil:
		r, err := money(*o.ReserveAmount)
		if err != nil {
			return f, err
		}
		reserve = r
	}
	distributable, _ := net.Sub(reserve)
	if s.Kind == SurplusRedemption {
		// income is the retained balance redeemed; the percentage of it
		// is what is paid
		balance := zero
		for _, m := range s.Members {
			b, err := money(m.Patronage)
			if err != nil {
				return f, err
			}
			balance, _ = balance.Add(b)
		}
		paid, err := pricing.PercentOf(balance, s.Options.RedemptionPercent)
		if err != nil {
			return f, err
		}
		// what is not paid stays on the capital accounts
		kept, _ := balance.Sub(paid)
		income, costs, reserve, distributable = balance, zero, kept, paid
	}
	f.Income, f.Costs, f.Reserve, f.Distributable = income.Amount(), costs.Amount(), reserve.Amount(), distributable.Amount()

	members := slices.Clone(s.Members)
	slices.SortFunc(members, func(a, b SurplusMember) int { return cmpInt64(a.MemberID, b.MemberID) })
	allocated := make(map[int64]pricing.Money, len(members))
	totalPatronage := decimal.Zero
	for _, m := range members {
		totalPatronage = totalPatronage.Add(m.Patronage)
	}
	if distributable.IsPositive() && totalPatronage.IsPositive() {
		if s.Options.Basis == BasisCategory && s.Kind == SurplusPatronage {
			if err := allocateByCategory(distributable, rebatesByCategory, members, allocated); err != nil {
				return f, err
			}
		} else {
			shares := make([]pricing.Share, len(members))
			for i, m := range members {
				shares[i] = pricing.Share{Key: memberKey(m.MemberID), Weight: m.Patronage}
			}
			a, err := pricing.Allocate(distributable, shares, pricing.AllocateOptions{})
			if err != nil {
				return f, err
			}
			for i, p := range a.Parts {
				allocated[members[i].MemberID] = p.Amount
			}
		}
	}
	var minimum pricing.Money
	if s.Options.MinimumPayout.IsPositive() {
		mp, err := money(s.Options.MinimumPayout)
		if err != nil {
			return f, err
		}
		minimum = mp
	}
	cashTotal, retainedTotal, carryOut, carryIn := zero, zero, zero, zero
	f.Allocations = make([]SurplusAllocation, len(members))
	for i, m := range members {
		alloc, ok := allocated[m.MemberID]
		if !ok {
			alloc = zero
		}
		share := s.Options.CashShare
		if m.Status == string(MemberLeft) || s.Kind == SurplusRedemption {
			share = pricing.FullBasisPoints
		}
		cash, retained, err := pricing.SplitCash(alloc, share)
		if err != nil {
			return f, err
		}
		in, err := money(m.CarryIn)
		if err != nil {
			return f, err
		}
		rule := pricing.PayoutRule{Minimum: minimum, Payable: m.RegNo != "" && m.AccountNo != ""}
		if s.Kind == SurplusRedemption {
			rule.Minimum = pricing.Money{}
		}
		payout, out, err := rule.Payout(cash, in)
		if err != nil {
			return f, err
		}
		if !rule.Payable && (cash.IsPositive() || in.IsPositive()) {
			f.MissingBankDetails = append(f.MissingBankDetails, m.MemberID)
		}
		f.Allocations[i] = SurplusAllocation{MemberID: m.MemberID, Patronage: m.Patronage,
			Share: pricing.ShareOf(m.Patronage, totalPatronage), Allocation: alloc.Amount(), Cash: cash.Amount(),
			Retained: retained.Amount(), CarryForwardIn: in.Amount(), CarryForwardOut: out.Amount(), Payout: payout.Amount(),
			BankRegNo: m.RegNo, BankAccountNo: m.AccountNo}
		cashTotal, _ = cashTotal.Add(payout)
		retainedTotal, _ = retainedTotal.Add(retained)
		carryOut, _ = carryOut.Add(out)
		carryIn, _ = carryIn.Add(in)
	}
	f.CashTotal, f.RetainedTotal, f.CarryForwardTotal, f.CarryForwardInTotal =
		cashTotal.Amount(), retainedTotal.Amount(), carryOut.Amount(), carryIn.Amount()
	return f, nil
}

// allocateByCategory splits distributable into category pools in
// proportion to each category's rebates, then each pool over the members'
// patronage in that category; a member's allocation is the sum of its
// parts. Every step is pricing.Allocate, so the parts sum exactly.
func allocateByCategory(distributable pricing.Money, rebates map[string]pricing.Money, members []SurplusMember, out map[int64]pricing.Money) error {
	cats := make([]string, 0, len(rebates))
	for k, r := range rebates {
		if r.IsPositive() {
			cats = append(cats, k)
		}
	}
	slices.Sort(cats)
	if len(cats) == 0 {
		return Errorf(EINVALID, "the category basis needs rebates in at least one category")
	}
	shares := make([]pricing.Share, len(cats))
	for i, k := range cats {
		shares[i] = pricing.Share{Key: "c:" + k, Weight: rebates[k].Amount()}
	}
	pools, err := pricing.Allocate(distributable, shares, pricing.AllocateOptions{})
	if err != nil {
		return err
	}
	for i, k := range cats {
		var ms []pricing.Share
		var ids []int64
		for _, m := range members {
			if w := m.ByCategory[k]; w.IsPositive() {
				ms = append(ms, pricing.Share{Key: memberKey(m.MemberID), Weight: w})
				ids = append(ids, m.MemberID)
			}
		}
		if len(ms) == 0 {
			return Errorf(EINVALID, "category %q has rebates but no patronage", k)
		}
		a, err := pricing.Allocate(pools.Parts[i].Amount, ms, pricing.AllocateOptions{})
		if err != nil {
			return err
		}
		for j, p := range a.Parts {
			prev, ok := out[ids[j]]
			if !ok {
				prev = pricing.ZeroMoney(distributable.Currency())
			}
			out[ids[j]], _ = prev.Add(p.Amount)
		}
	}
	return nil
}

// memberKey is a member's allocation key: zero-padded so that byte order
// (Allocate's last tie-break) is id order.
func memberKey(id int64) string { return fmt.Sprintf("%019d", id) }

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// SurplusPeriod is a run's period: a calendar year ("2025") or an
// inclusive range of days ("2025-01-01/2025-06-30").
type SurplusPeriod struct {
	Label    string
	From, To time.Time
}

// ParseSurplusPeriod reads a period; the label is canonical (a whole
// calendar year is written as the year).
func ParseSurplusPeriod(s string) (SurplusPeriod, error) {
	s = strings.TrimSpace(s)
	if len(s) == 4 {
		if y, err := time.Parse("2006", s); err == nil {
			return SurplusPeriod{Label: s, From: y, To: y.AddDate(1, 0, -1)}, nil
		}
	}
	// "_" stands for "/" where a period is a URL path segment
	a, b, ok := strings.Cut(strings.Replace(s, "_", "/", 1), "/")
	if ok {
		from, err1 := time.Parse(time.DateOnly, a)
		to, err2 := time.Parse(time.DateOnly, b)
		if err1 == nil && err2 == nil && !to.Before(from) {
			p := SurplusPeriod{Label: from.Format(time.DateOnly) + "/" + to.Format(time.DateOnly), From: from, To: to}
			if from.Month() == 1 && from.Day() == 1 && to.Equal(from.AddDate(1, 0, -1)) {
				p.Label = from.Format("2006")
			}
			return p, nil
		}
	}
	return SurplusPeriod{}, fmt.Errorf("must be a year (2025) or two dates FROM/TO (2025-01-01/2025-06-30), FROM not after TO")
}
