package web

import (
	"encoding/csv"
	"net/http"
	"strconv"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

// The price-list diff on the supplier's list page: what the list changes
// against the list it replaced or would replace (the active one while it
// is scheduled): SKUs added, removed, dearer, cheaper per base unit with
// the amounts and percentage, and pack changes. The numbers are the API's
// (GET /api/v1/price-lists/{id}/diff, domain.CatalogueService.DiffPriceList);
// the page shows the first diffShown of each part so that it stays small,
// with exact counts and the whole diff as a CSV download.

// diffShown caps each part of the diff on the page (the page stays under
// 100 kB); the CSV has up to domain.MaxDiffItems per part.
const diffShown = 20

// diffInlineRows: a list with more rows read than this has its diff
// computed only when asked for (?diff=1), not on every view of its page.
const diffInlineRows = 50000

// diffView is the diff as the page shows it.
type diffView struct {
	*domain.PriceListDiff
	Changes []diffChange // price changes, dearer first, capped at diffShown
	// Added, Removed and PackChanged of the embedded diff are capped too.
	Shown int
}

// diffChange is one price change with its direction.
type diffChange struct {
	domain.PriceChange
	Up bool
}

// PrevID is the number of the list compared with (0: none).
func (d diffView) PrevID() int64 {
	if d.PreviousPriceListID == nil {
		return 0
	}
	return *d.PreviousPriceListID
}

// Truncated reports whether some part has more entries than the page shows.
func (d diffView) Truncated() bool {
	c := d.Counts
	return c.Added > d.Shown || c.Removed > d.Shown || c.PriceUp+c.PriceDown > d.Shown || c.PackChanged > d.Shown
}

// hasDiff: lists that took effect or are about to have a diff; a rejected
// or loading list changes nothing.
func hasDiff(pl *domain.PriceList) bool {
	switch pl.Status {
	case domain.PriceListScheduled, domain.PriceListActive, domain.PriceListSuperseded:
		return true
	}
	return false
}

// listDiff computes the page's view of the diff of pl.
func (p *Pages) listDiff(c echo.Context, pl *domain.PriceList) (*diffView, error) {
	d, err := p.svc.Catalogue.DiffPriceList(c.Request().Context(), pl.ID)
	if err != nil {
		return nil, err
	}
	v := &diffView{PriceListDiff: d, Shown: diffShown}
	for _, ch := range d.PriceUp {
		v.Changes = append(v.Changes, diffChange{PriceChange: ch, Up: true})
	}
	for _, ch := range d.PriceDown {
		v.Changes = append(v.Changes, diffChange{PriceChange: ch})
	}
	v.Changes = capped(v.Changes)
	v.Added, v.Removed, v.PackChanged = capped(v.Added), capped(v.Removed), capped(v.PackChanged)
	return v, nil
}

func capped[T any](s []T) []T {
	if len(s) > diffShown {
		return s[:diffShown]
	}
	return s
}

// priceListDiffCSV downloads the whole diff (up to domain.MaxDiffItems
// per part), one line per SKU changed, amounts with a decimal point as
// the API writes them (pack prices with their 2 decimals).
func (p *Pages) priceListDiffCSV(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	pl, err := p.svc.Catalogue.GetPriceList(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if !hasDiff(pl) {
		return domain.NotFound("page")
	}
	d, err := p.svc.Catalogue.DiffPriceList(c.Request().Context(), id)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="price-list-`+strconv.FormatInt(id, 10)+`-diff.csv"`)
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	_ = w.Write([]string{"change", "sku", "name", "old_pack", "new_pack", "currency", "old_pack_price", "new_pack_price",
		"unit", "old_unit_price", "new_unit_price", "change_percent", "under_contract"})
	pack := func(i domain.DiffItem) string {
		if i.PackUnit == "" {
			return ""
		}
		return i.PackUnit + " " + i.PackContent.String() + " " + i.BaseUnit
	}
	item := func(kind string, o, n domain.DiffItem) []string {
		sku, name, cur, unit := n.SKU, n.Name, n.Currency, n.BaseUnit
		if kind == "removed" {
			sku, name, cur, unit = o.SKU, o.Name, o.Currency, o.BaseUnit
		}
		row := []string{kind, sku, name, pack(o), pack(n), cur, "", "", unit, "", "", "", ""}
		if kind != "added" {
			row[6], row[9] = o.PackPrice.StringFixed(2), o.UnitPrice.String()
		}
		if kind != "removed" {
			row[7], row[10] = n.PackPrice.StringFixed(2), n.UnitPrice.String()
		}
		return row
	}
	for _, i := range d.Added {
		_ = w.Write(item("added", domain.DiffItem{}, i))
	}
	for _, i := range d.Removed {
		_ = w.Write(item("removed", i, domain.DiffItem{}))
	}
	for _, part := range []struct {
		kind string
		list []domain.PriceChange
	}{{"price_up", d.PriceUp}, {"price_down", d.PriceDown}} {
		for _, ch := range part.list {
			_ = w.Write([]string{part.kind, ch.New.SKU, ch.New.Name, pack(ch.Old), pack(ch.New), ch.New.Currency,
				ch.Old.PackPrice.StringFixed(2), ch.New.PackPrice.StringFixed(2), ch.Unit, ch.OldUnitPrice.String(),
				ch.NewUnitPrice.String(), ch.ChangePercent.String(), strconv.FormatBool(ch.UnderContract)})
		}
	}
	for _, ch := range d.PackChanged {
		_ = w.Write(item("pack_changed", ch.Old, ch.New))
	}
	w.Flush()
	return w.Error()
}
