package pricing

import (
	"fmt"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shopspring/decimal"
)

// ScoreDecimals is the number of decimals a score keeps: price and
// criterion scores are computed with DivRound to 6 decimals, half away from
// zero. Weighted scores and totals are then exact (a score x a weight / 100
// needs no rounding), and the ranking uses exactly the numbers shown.
const ScoreDecimals = 6

// Direction says how a non-price criterion's raw values become 0-100
// scores. The best value among the compliant bids always scores 100.
type Direction string

const (
	// LowerIsBetter (delivery days, for example): score = best / value x
	// 100, best being the lowest value among compliant bids. A value of 0
	// is the best possible; when the best is 0, every other value scores 0.
	// Values may not be negative.
	LowerIsBetter Direction = "lower_is_better"
	// HigherIsBetter (shelf life in months, say): score = value / best x
	// 100, best being the highest value among compliant bids; when every
	// value is 0, all score 100. Values may not be negative.
	HigherIsBetter Direction = "higher_is_better"
	// GivenScore: the value is already a 0-100 score given by the
	// evaluators (a quality assessment, say); it is used as it is, rounded
	// to 6 decimals. Values outside 0-100 make the bid non-compliant.
	GivenScore Direction = "score"
)

// Criterion is a non-price award criterion of a lot.
type Criterion struct {
	Name      string          `json:"name"`
	Weight    decimal.Decimal `json:"weight"`
	Direction Direction       `json:"direction"`
}

// LotItem is one product of a lot with the cooperative's pooled volume.
type LotItem struct {
	ID string `json:"id"`
	// Unit is the product's base unit: a count or measure unit, not a
	// package unit.
	Unit string `json:"unit"`
	// Quantity is the pooled volume in Unit; positive.
	Quantity decimal.Decimal `json:"quantity"`
}

// Lot is what a tender's bids are evaluated against.
type Lot struct {
	ID string `json:"id"`
	// Currency is the cooperative's currency: every bid's cost is
	// converted into it for comparison.
	Currency Currency  `json:"currency"`
	Items    []LotItem `json:"items"`
	// PriceWeight is the weight of the price score. PriceWeight plus the
	// criteria's weights must be exactly 100.
	PriceWeight decimal.Decimal `json:"price_weight"`
	Criteria    []Criterion     `json:"criteria"`
	// AllowIncreasingTiers lets a bid's tier prices rise with quantity;
	// by default such a ladder makes the bid non-compliant.
	AllowIncreasingTiers bool `json:"allow_increasing_tiers"`
}

// BidItem is a bid's price for one lot item.
//
// Tier minimum quantities are in PACKS (orderable units), the way
// suppliers quote ("from 10 boxes"), and tier prices are per pack. PackPrice
// applies from 0 packs; a tier applies to all packs once its minimum is
// reached (see Tier). The tiers must ascend above 0 packs and, unless the
// lot allows it, not cost more per pack than PackPrice or the tier before.
type BidItem struct {
	ItemID    string `json:"item_id"`
	PackPrice Price  `json:"pack_price"`
	Pack      Pack   `json:"pack"`
	Tiers     Tiers  `json:"tiers,omitempty"`
}

// Bid is a supplier's sealed answer to a lot.
type Bid struct {
	ID string `json:"id"`
	// SubmittedAt breaks ties: the earlier bid ranks first.
	SubmittedAt time.Time `json:"submitted_at"`
	// Currency of the bid's prices; the bid is converted into the lot's
	// currency through the rate table.
	Currency Currency  `json:"currency"`
	Items    []BidItem `json:"items"`
	// Values holds the raw value of each non-price criterion, by name.
	Values map[string]decimal.Decimal `json:"values"`
}

// Problem is why a bid is not compliant: the field of the bid at fault and
// what is wrong.
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ItemEvaluation is how one lot item was priced in one bid.
type ItemEvaluation struct {
	ItemID string `json:"item_id"`
	// Offered is false when the bid has no usable price for the item (the
	// bid's Problems say why); the other fields are then zero.
	Offered bool `json:"offered"`
	// PackCount holds one pack's content in the item's base unit and the
	// pooled volume divided into packs: Full packs and a Remainder, and the
	// whole Packs evaluated (rounded UP when RoundedUp).
	PackCount
	// TierIndex is the index in the bid item's Tiers of the tier reached
	// at Packs, or -1 when the plain pack price applies.
	TierIndex int `json:"tier_index"`
	// TierMinQuantity is that tier's minimum in packs (0 for the plain
	// pack price).
	TierMinQuantity decimal.Decimal `json:"tier_min_quantity"`
	// PackPrice is the price per pack applied.
	PackPrice Price `json:"pack_price"`
	// LineCost is Packs x PackPrice rounded once to the minor unit, in the
	// bid's currency.
	LineCost Money `json:"line_cost"`
}

// CriterionScore is how one non-price criterion scored in one bid.
type CriterionScore struct {
	Name      string          `json:"name"`
	Direction Direction       `json:"direction"`
	Weight    decimal.Decimal `json:"weight"`
	// Value is the bid's raw value; Best the best value among compliant
	// bids (for GivenScore, 100).
	Value decimal.Decimal `json:"value"`
	Best  decimal.Decimal `json:"best"`
	// Score is 0-100 (see Direction), 6 decimals; Weighted is Score x
	// Weight / 100, exact.
	Score    decimal.Decimal `json:"score"`
	Weighted decimal.Decimal `json:"weighted"`
}

// BidEvaluation is one bid's row of the evaluation table.
type BidEvaluation struct {
	BidID       string    `json:"bid_id"`
	SubmittedAt time.Time `json:"submitted_at"`
	// Order is the bid's index in the input, the last tie-breaker.
	Order int `json:"order"`
	// Rank is 1 for the winner, 2, 3, ... for the other compliant bids, and
	// 0 for non-compliant bids, which are not ranked.
	Rank      int       `json:"rank"`
	Compliant bool      `json:"compliant"`
	Problems  []Problem `json:"problems,omitempty"`
	// Rate converts the bid's currency into the lot's.
	Rate ExchangeRate `json:"rate"`
	// Items follows the lot's item order.
	Items []ItemEvaluation `json:"items"`
	// Cost is the sum of the rounded line costs, in the bid's currency.
	Cost Money `json:"cost"`
	// EvaluatedCost is Cost x Rate rounded once to the lot currency's
	// minor unit: the number bids are compared on.
	EvaluatedCost Money `json:"evaluated_cost"`
	// PriceScore is lowest evaluated cost / EvaluatedCost x 100 (6
	// decimals; 100 when both are zero); PriceWeighted is PriceScore x
	// price weight / 100.
	PriceScore    decimal.Decimal  `json:"price_score"`
	PriceWeighted decimal.Decimal  `json:"price_weighted"`
	Criteria      []CriterionScore `json:"criteria"`
	// Total is PriceWeighted plus every criterion's Weighted, exact.
	Total decimal.Decimal `json:"total"`
}

// Evaluation is the evaluation table of a lot: every number that led to
// the ranking.
type Evaluation struct {
	Lot Lot `json:"lot"`
	// LowestCost is the lowest evaluated cost among compliant bids (zero
	// when no bid is compliant).
	LowestCost Money `json:"lowest_cost"`
	// Compliant is the number of compliant (ranked) bids.
	Compliant int `json:"compliant"`
	// Bids holds the compliant bids in rank order, then the non-compliant
	// ones in input order.
	Bids []BidEvaluation `json:"bids"`
}

// Winner returns the first-ranked bid, and false when no bid is compliant.
func (e Evaluation) Winner() (BidEvaluation, bool) {
	if e.Compliant == 0 {
		return BidEvaluation{}, false
	}
	return e.Bids[0], true
}

// Evaluate scores bids against a lot:
//
//  1. for each bid and lot item, the pooled volume (base units) is
//     divided into whole packs of the bid's pack content, exactly; a
//     partial pack is rounded UP to a whole pack (ItemEvaluation says so);
//     the tier reached at that number of packs gives the pack price; the
//     line cost is packs x pack price, rounded once to the minor unit;
//  2. the bid's cost is the sum of its line costs in its own currency,
//     converted into the lot's currency at rates and rounded once: the
//     evaluated cost;
//  3. price score = lowest evaluated cost among compliant bids / this
//     bid's evaluated cost x 100; each criterion is scored 0-100 by its
//     Direction; total = sum of score x weight / 100;
//  4. compliant bids are ranked by total, highest first; equal totals go
//     to the earlier SubmittedAt, then to the earlier bid in the input.
//
// A bid is non-compliant (listed with its Problems, not ranked, never
// priced at zero) when it misses an item of the lot, prices an item twice
// or one not in the lot, has an unusable pack, price or tier ladder, is in
// another currency than its prices, or lacks a usable value for a
// criterion.
//
// rates converts bid currencies into lot.Currency; a zero RateTable will do
// when every bid is in the lot's currency.
//
// Errors (the caller's input, not a bidder's): an Errors list of
// ErrInvalidInput, ErrInvalidWeights, ErrInvalidCurrency, ErrUnknownUnit
// and ErrInvalidQuantity problems with the lot (fields "lot..."), empty or
// duplicate bid ids (fields "bids[i].id"); ErrInvalidRate when a rate is
// missing (field "rates.<currency>") or the table converts into another
// currency than the lot's.
func Evaluate(lot Lot, bids []Bid, rates RateTable) (Evaluation, error) {
	units, err := validateLot(lot)
	if err != nil {
		return Evaluation{}, err
	}
	var errs Errors
	ids := make(map[string]struct{}, len(bids))
	for i, b := range bids {
		f := fmt.Sprintf("bids[%d].id", i)
		if b.ID == "" {
			errs = append(errs, newErr(ErrInvalidInput, f, "bid id is missing"))
		} else if _, dup := ids[b.ID]; dup {
			errs = append(errs, newErr(ErrInvalidInput, f, fmt.Sprintf("bid id %q appears more than once", b.ID)))
		}
		ids[b.ID] = struct{}{}
	}
	if len(errs) > 0 {
		return Evaluation{}, errs
	}
	if rates.to != "" && rates.to != lot.Currency {
		return Evaluation{}, newErr(ErrInvalidRate, "rates", fmt.Sprintf("the rate table converts into %s, but the lot is evaluated in %s", rates.to, lot.Currency))
	}
	evals := make([]BidEvaluation, len(bids))
	for i, b := range bids {
		evals[i] = BidEvaluation{BidID: b.ID, SubmittedAt: b.SubmittedAt, Order: i, Compliant: true}
		if err := b.Currency.Validate(); err != nil {
			continue // a problem of the bid, reported by evaluateBid
		}
		if b.Currency == lot.Currency {
			evals[i].Rate = Identity(lot.Currency)
			continue
		}
		r, err := rates.Lookup(b.Currency)
		if err != nil {
			if rates.to == "" {
				err = newErr(ErrInvalidRate, "rates."+string(b.Currency), fmt.Sprintf("no exchange rate from %s to %s", b.Currency, lot.Currency))
			}
			return Evaluation{}, err
		}
		evals[i].Rate = r
	}

	itemIndex := make(map[string]int, len(lot.Items))
	for i, it := range lot.Items {
		itemIndex[it.ID] = i
	}
	ev := &evaluator{lot: lot, units: units, itemIndex: itemIndex}
	parallel(len(bids), func(i int) { ev.evaluateBid(&bids[i], &evals[i]) })

	return rank(lot, evals), nil
}

// parallel calls fn(0..n-1) on GOMAXPROCS goroutines.
func parallel(n int, fn func(int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// validateLot checks the lot and returns its items' base units.
func validateLot(lot Lot) ([]Unit, error) {
	var errs Errors
	add := func(err error, prefix string) {
		errs = append(errs, FieldErrors(prefixField(prefix, err))...)
	}
	if err := lot.Currency.Validate(); err != nil {
		add(err, "lot")
	}
	if len(lot.Items) == 0 {
		errs = append(errs, newErr(ErrInvalidInput, "lot.items", "a lot needs at least one item"))
	}
	units := make([]Unit, len(lot.Items))
	seen := map[string]bool{}
	for i, it := range lot.Items {
		f := fmt.Sprintf("lot.items[%d]", i)
		switch {
		case it.ID == "":
			errs = append(errs, newErr(ErrInvalidInput, f+".id", "item id is missing"))
		case seen[it.ID]:
			errs = append(errs, newErr(ErrInvalidInput, f+".id", fmt.Sprintf("item id %q appears more than once", it.ID)))
		}
		seen[it.ID] = true
		u, err := LookupUnit(it.Unit)
		switch {
		case err != nil:
			add(err, f)
		case u.IsPackage():
			errs = append(errs, newErr(ErrUnknownUnit, f+".unit", fmt.Sprintf("an item's pooled volume is in a base unit (count or measure), not in the package unit %s", u.Code)))
		}
		units[i] = u
		if !it.Quantity.IsPositive() {
			errs = append(errs, newErr(ErrInvalidQuantity, f+".quantity", fmt.Sprintf("the pooled quantity must be positive (got %s)", it.Quantity.String())))
		}
	}
	sum := lot.PriceWeight
	if lot.PriceWeight.IsNegative() {
		errs = append(errs, newErr(ErrInvalidWeights, "lot.price_weight", "a weight cannot be negative"))
	}
	names := map[string]bool{}
	for i, c := range lot.Criteria {
		f := fmt.Sprintf("lot.criteria[%d]", i)
		switch {
		case c.Name == "":
			errs = append(errs, newErr(ErrInvalidInput, f+".name", "criterion name is missing"))
		case names[c.Name]:
			errs = append(errs, newErr(ErrInvalidInput, f+".name", fmt.Sprintf("criterion %q appears more than once", c.Name)))
		}
		names[c.Name] = true
		if c.Weight.IsNegative() {
			errs = append(errs, newErr(ErrInvalidWeights, f+".weight", "a weight cannot be negative"))
		}
		switch c.Direction {
		case LowerIsBetter, HigherIsBetter, GivenScore:
		default:
			errs = append(errs, newErr(ErrInvalidInput, f+".direction", fmt.Sprintf("unknown direction %q (use %q, %q or %q)", c.Direction, LowerIsBetter, HigherIsBetter, GivenScore)))
		}
		sum = sum.Add(c.Weight)
	}
	if !sum.Equal(decimal.NewFromInt(100)) {
		errs = append(errs, newErr(ErrInvalidWeights, "lot.criteria", fmt.Sprintf("the price weight and criterion weights must sum to 100 (they sum to %s)", sum.String())))
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return units, nil
}

// evaluator holds what every bid's evaluation shares (read only).
type evaluator struct {
	lot       Lot
	units     []Unit
	itemIndex map[string]int
}

// evaluateBid fills e with the bid's items, cost and problems. It runs
// concurrently for different bids and writes only to e.
func (ev *evaluator) evaluateBid(b *Bid, e *BidEvaluation) {
	problem := func(field, msg string) {
		e.Compliant = false
		e.Problems = append(e.Problems, Problem{Field: field, Message: msg})
	}
	problemErr := func(prefix string, err error) {
		for _, fe := range FieldErrors(prefixField(prefix, err)) {
			problem(fe.Field, fe.Message)
		}
	}
	lot := ev.lot
	currencyOK := true
	if err := b.Currency.Validate(); err != nil {
		problemErr("", err)
		currencyOK = false
	}

	byItem := make([]int, len(lot.Items))
	for i := range byItem {
		byItem[i] = -1
	}
	for j, bi := range b.Items {
		i, ok := ev.itemIndex[bi.ItemID]
		switch {
		case !ok:
			problem(fmt.Sprintf("items[%d].item_id", j), fmt.Sprintf("item %q is not in the lot", bi.ItemID))
		case byItem[i] >= 0:
			problem(fmt.Sprintf("items[%d].item_id", j), fmt.Sprintf("item %q is priced more than once", bi.ItemID))
		default:
			byItem[i] = j
		}
	}

	e.Items = make([]ItemEvaluation, len(lot.Items))
	cost := moneySum{places: b.Currency.MinorUnits()}
	for i, it := range lot.Items {
		ie := &e.Items[i]
		ie.ItemID = it.ID
		ie.TierIndex = -1
		j := byItem[i]
		if j < 0 {
			problem("items", fmt.Sprintf("item %q of the lot has no price: a bid must price every item", it.ID))
			continue
		}
		bi := &b.Items[j]
		if currencyOK && bi.PackPrice.currency != b.Currency {
			problemErr(fmt.Sprintf("items[%d].pack_price", j), sameCurrency(b.Currency, bi.PackPrice.currency))
			continue
		}
		content, err := bi.Pack.contentIn(ev.units[i])
		if err != nil {
			problemErr(fmt.Sprintf("items[%d].pack", j), err)
			continue
		}
		if !ladderOK(bi.PackPrice, bi.Tiers, lot.AllowIncreasingTiers) {
			problemErr("", bidLadderErrors(j, bi, lot.AllowIncreasingTiers))
			continue
		}
		ie.Offered = true
		ie.PackCount = packsFor(it.Quantity, content)
		ie.TierMinQuantity = decimal.Zero
		ie.PackPrice = bi.PackPrice
		for k := len(bi.Tiers) - 1; k >= 0; k-- {
			if bi.Tiers[k].MinQuantity.LessThanOrEqual(ie.Packs) {
				ie.TierIndex = k
				ie.TierMinQuantity = bi.Tiers[k].MinQuantity
				ie.PackPrice = bi.Tiers[k].Price
				break
			}
		}
		c := ie.PackPrice.currency
		places := c.MinorUnits()
		if v, ok := fastMulRound(ie.Packs, ie.PackPrice.amount, places); ok {
			ie.LineCost = Money{amount: newDec(v, -places), currency: c}
			cost.addMinor(v)
		} else {
			ie.LineCost = roundMoney(ie.Packs.Mul(ie.PackPrice.amount), c)
			cost.add(ie.LineCost.amount)
		}
	}

	e.Criteria = make([]CriterionScore, len(lot.Criteria))
	for i, c := range lot.Criteria {
		cs := &e.Criteria[i]
		cs.Name, cs.Direction, cs.Weight = c.Name, c.Direction, c.Weight
		v, ok := b.Values[c.Name]
		switch {
		case !ok:
			problem("values."+c.Name, fmt.Sprintf("no value for criterion %q", c.Name))
		case c.Direction == GivenScore && (v.IsNegative() || v.GreaterThan(hundred)):
			problem("values."+c.Name, fmt.Sprintf("a score must be from 0 to 100 (got %s)", v.String()))
		case v.IsNegative():
			problem("values."+c.Name, fmt.Sprintf("the value cannot be negative (got %s)", v.String()))
		}
		cs.Value = v
	}

	if currencyOK {
		e.Cost = Money{amount: cost.total(), currency: b.Currency}
		if e.Compliant {
			e.EvaluatedCost = roundMoney(e.Cost.amount.Mul(e.Rate.Rate), lot.Currency)
		}
	}
}

// ladderOK reports whether the ladder of a bid item (the pack price from 0
// packs, then tiers) is valid, without allocating; bidLadderErrors says
// what is wrong when it is not. Both apply the rules of Tiers.Validate.
func ladderOK(packPrice Price, tiers Tiers, allowIncreasing bool) bool {
	if _, ok := minorUnits[packPrice.currency]; !ok {
		return false
	}
	prev := Tier{MinQuantity: decimal.Zero, Price: packPrice}
	for _, t := range tiers {
		if t.MinQuantity.IsNegative() || !t.MinQuantity.GreaterThan(prev.MinQuantity) || t.Price.currency != packPrice.currency {
			return false
		}
		if !allowIncreasing && t.Price.amount.GreaterThan(prev.Price.amount) {
			return false
		}
		prev = t
	}
	return true
}

// bidLadderErrors lists the problems of bid item j's ladder, with fields
// "items[j].pack_price" and "items[j].tiers[k]...".
func bidLadderErrors(j int, bi *BidItem, allowIncreasing bool) Errors {
	ladder := make(Tiers, 0, len(bi.Tiers)+1)
	ladder = append(ladder, Tier{MinQuantity: decimal.Zero, Price: bi.PackPrice})
	ladder = append(ladder, bi.Tiers...)
	// The pack price is ladder[0], from 0 packs; Tiers[k] is ladder[k+1].
	return ladder.validate(allowIncreasing, func(k int, suffix string) string {
		if k == 0 {
			return fmt.Sprintf("items[%d].pack_price", j)
		}
		return fmt.Sprintf("items[%d].tiers[%d].%s", j, k-1, suffix)
	})
}

// moneySum adds amounts of one currency exactly, in int64 minor units
// while they fit and in decimals after.
type moneySum struct {
	places int32
	minor  int64
	big    decimal.Decimal
	isBig  bool
}

// addMinor adds v minor units.
func (s *moneySum) addMinor(v int64) {
	if !s.isBig {
		if r := s.minor + v; (v >= 0) == (r >= s.minor) {
			s.minor = r
			return
		}
	}
	s.add(decimal.New(v, -s.places))
}

// add adds an amount.
func (s *moneySum) add(d decimal.Decimal) {
	if !s.isBig {
		s.big, s.isBig = decimal.New(s.minor, -s.places), true
	}
	s.big = s.big.Add(d)
}

// total returns the sum at the minor unit.
func (s *moneySum) total() decimal.Decimal {
	if !s.isBig {
		return decimal.New(s.minor, -s.places)
	}
	return s.big.Round(s.places)
}

// rank computes the scores of the compliant bids and orders the table.
func rank(lot Lot, evals []BidEvaluation) Evaluation {
	out := Evaluation{Lot: lot, LowestCost: ZeroMoney(lot.Currency)}
	var lowest decimal.Decimal
	best := make([]decimal.Decimal, len(lot.Criteria))
	for i := range evals {
		e := &evals[i]
		if !e.Compliant {
			continue
		}
		if out.Compliant == 0 || e.EvaluatedCost.amount.LessThan(lowest) {
			lowest = e.EvaluatedCost.amount
		}
		for k, c := range lot.Criteria {
			v := e.Criteria[k].Value
			if out.Compliant == 0 ||
				(c.Direction == LowerIsBetter && v.LessThan(best[k])) ||
				(c.Direction == HigherIsBetter && v.GreaterThan(best[k])) {
				best[k] = v
			}
		}
		out.Compliant++
	}
	if out.Compliant > 0 {
		out.LowestCost = Money{amount: lowest, currency: lot.Currency}
	}
	for i := range evals {
		e := &evals[i]
		if !e.Compliant {
			continue
		}
		e.PriceScore = ratioScore(lowest, e.EvaluatedCost.amount)
		e.PriceWeighted = e.PriceScore.Mul(lot.PriceWeight).Shift(-2)
		e.Total = e.PriceWeighted
		for k, c := range lot.Criteria {
			cs := &e.Criteria[k]
			switch c.Direction {
			case LowerIsBetter:
				cs.Best = best[k]
				cs.Score = ratioScore(best[k], cs.Value)
			case HigherIsBetter:
				cs.Best = best[k]
				cs.Score = ratioScore(cs.Value, best[k])
			default:
				cs.Best = hundred
				cs.Score = cs.Value.Round(ScoreDecimals)
			}
			cs.Weighted = cs.Score.Mul(cs.Weight).Shift(-2)
			e.Total = e.Total.Add(cs.Weighted)
		}
	}
	sort.SliceStable(evals, func(a, b int) bool {
		x, y := &evals[a], &evals[b]
		if x.Compliant != y.Compliant {
			return x.Compliant
		}
		if !x.Compliant {
			return x.Order < y.Order
		}
		if c := x.Total.Cmp(y.Total); c != 0 {
			return c > 0
		}
		if !x.SubmittedAt.Equal(y.SubmittedAt) {
			return x.SubmittedAt.Before(y.SubmittedAt)
		}
		return x.Order < y.Order
	})
	for i := 0; i < out.Compliant; i++ {
		evals[i].Rank = i + 1
	}
	out.Bids = evals
	return out
}

// hundred is 100; never modified.
var hundred = decimal.NewFromInt(100)

// ratioScore returns num / den x 100 with DivRound to ScoreDecimals, for
// 0 <= num <= den; 100 when both are zero.
func ratioScore(num, den decimal.Decimal) decimal.Decimal {
	if den.IsZero() {
		return hundred
	}
	return num.Mul(hundred).DivRound(den, ScoreDecimals)
}
