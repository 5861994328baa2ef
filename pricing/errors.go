package pricing

import (
	"errors"
	"strings"
)

// Kinds of error. Every error from this package wraps exactly one of these,
// so callers can test the kind with errors.Is and the field with errors.As.
var (
	// ErrInvalidAmount: an amount is malformed, negative where it must not
	// be, or has more decimals than allowed.
	ErrInvalidAmount = errors.New("invalid amount")
	// ErrInvalidCurrency: a currency code is not a known ISO 4217 code.
	ErrInvalidCurrency = errors.New("invalid currency")
	// ErrCurrencyMismatch: two amounts of different currencies were combined.
	ErrCurrencyMismatch = errors.New("currency mismatch")
	// ErrUnknownUnit: a unit is missing, or is neither a UN/ECE Rec 20 code
	// (nor, for ReadUnit, a unit word of its table).
	ErrUnknownUnit = errors.New("unknown unit code")
	// ErrIncompatibleUnits: a conversion between different dimensions (for
	// example mass to volume) was asked for.
	ErrIncompatibleUnits = errors.New("incompatible units")
	// ErrInvalidQuantity: a quantity is negative, zero where it must be
	// positive, or otherwise unusable.
	ErrInvalidQuantity = errors.New("invalid quantity")
	// ErrInvalidTiers: a tier ladder is out of order or prices rise.
	ErrInvalidTiers = errors.New("invalid tiers")
	// ErrBelowMinimum: a quantity is below the first tier's minimum
	// quantity, so no price applies.
	ErrBelowMinimum = errors.New("quantity below minimum")
	// ErrInvalidRate: an exchange rate or VAT rate is missing or out of range.
	ErrInvalidRate = errors.New("invalid rate")
	// ErrInvalidWeights: allocation weights or criterion weights are unusable
	// (negative, summing to zero, or criterion weights not summing to 100).
	ErrInvalidWeights = errors.New("invalid weights")
	// ErrInvalidInput: any other invalid input (missing or duplicate keys,
	// empty lists, unknown methods).
	ErrInvalidInput = errors.New("invalid input")
)

// Error is one problem with one input. Kind is one of the Err* sentinels;
// Field names the input in JSON-path style ("bids[3].items[0].pack_price"),
// empty when the problem is not about one field; Message says what was wrong
// in words a user can act on.
type Error struct {
	Kind    error
	Field   string
	Message string
}

// Error returns "field: message", or the message alone when Field is empty.
func (e *Error) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return e.Field + ": " + e.Message
}

// Unwrap returns the Kind, so errors.Is(err, ErrInvalidAmount) works.
func (e *Error) Unwrap() error { return e.Kind }

// Errors is a list of problems found together (for example every bad tier
// of a ladder), so a client sees all of them at once. It is never returned
// empty: a function returns nil instead.
type Errors []*Error

// Error joins the messages with "; ".
func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Unwrap returns every problem, so errors.Is and errors.As look into each.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// FieldErrors flattens err into its list of *Error: an *Error gives itself,
// an Errors gives its elements, anything else (or nil) gives nil.
func FieldErrors(err error) []*Error {
	var es Errors
	if errors.As(err, &es) {
		return es
	}
	var e *Error
	if errors.As(err, &e) {
		return []*Error{e}
	}
	return nil
}

func newErr(kind error, field, msg string) *Error {
	return &Error{Kind: kind, Field: field, Message: msg}
}

// prefixField returns err with every field name prefixed by prefix
// ("items[2]" + "." + "pack_price"). Errors that are not ours are returned
// unchanged.
func prefixField(prefix string, err error) error {
	if err == nil || prefix == "" {
		return err
	}
	join := func(f string) string {
		switch {
		case f == "":
			return prefix
		case strings.HasPrefix(f, "["):
			return prefix + f
		default:
			return prefix + "." + f
		}
	}
	var es Errors
	if errors.As(err, &es) {
		out := make(Errors, len(es))
		for i, e := range es {
			out[i] = &Error{Kind: e.Kind, Field: join(e.Field), Message: e.Message}
		}
		return out
	}
	var e *Error
	if errors.As(err, &e) {
		return &Error{Kind: e.Kind, Field: join(e.Field), Message: e.Message}
	}
	return err
}
