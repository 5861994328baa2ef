package web

// The product page's words for a supplier's ordering rules (issue 12):
// a price's maximum quantity, a line listed but not orderable, the
// minimum, maximum and multiple of an order.
func init() { registerMessages(catalogueDA, catalogueEN) }

var catalogueDA = map[string]string{
	"product.packsrange":   "%d–%d pakn.",
	"product.notorderable": "Leverandøren viser varen til orientering; den kan ikke bestilles.",
	"product.orderrules":   "Bestilling",
	"product.minorder":     "mindst %d pakn.",
	"product.maxorder":     "højst %d pakn.",
	"product.multiple":     "i antal delelige med %d",
}

var catalogueEN = map[string]string{
	"product.packsrange":   "%d–%d packs",
	"product.notorderable": "Listed by the supplier for information; it cannot be ordered.",
	"product.orderrules":   "Ordering",
	"product.minorder":     "at least %d packs",
	"product.maxorder":     "at most %d packs",
	"product.multiple":     "in multiples of %d",
}
