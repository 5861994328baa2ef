package pricing

import "github.com/shopspring/decimal"

// MissedSaving is what an off-contract line would have saved at the
// contract price that existed for its product on its day: (paid - contract)
// x quantity in base units, rounded once to the minor unit half away from
// zero, the same rule as LineSaving with the contract price in the
// baseline's place. Negative when the line was bought below the contract
// price (buying off contract saved money then). Both prices must be in the
// line's currency and per the same base unit.
// Errors: those of LineSaving.
func MissedSaving(paid, contract Price, quantity decimal.Decimal) (Money, error) {
	s, err := LineSaving(paid, contract, quantity)
	if err != nil {
		return Money{}, err
	}
	return s.Savings, nil
}
