package app

import "andel/suppliers"

// The importer's errors that callers answer differently (web imports app,
// not the adapters): a body in a format it does not read, one too large.
var (
	ErrUnsupportedMediaType = suppliers.ErrUnsupportedMediaType
	ErrPriceListTooLarge    = suppliers.ErrTooLarge
)
