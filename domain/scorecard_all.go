package domain

import (
	"context"
	"fmt"
	"time"
)

// All returns every supplier's scorecard for a named period, ordered by
// the suppliers' names: the board's and the staff's list of scorecards
// (web/scorecards.go). Each is scored as Get scores one, from the same
// rows, but every kind of input is read once for all suppliers (four
// statements, not five per supplier). Admins and the board. Errors:
// EUNAUTHORIZED, EFORBIDDEN, EINVALID.
func (s *ScorecardService) All(ctx context.Context, period string) ([]*Scorecard, error) {
	if _, err := require(ctx, RoleAdmin, RoleBoard); err != nil {
		return nil, err
	}
	if !ValidPeriod(period) {
		return nil, &Error{Code: EINVALID, Message: "invalid period",
			Fields: []FieldError{{Field: "period", Message: `must be a year, half, quarter or month: "2026", "2026-H1", "2026-Q2" or "2026-05"`}}}
	}
	year, m1, m2 := periodMonths(period)
	from := time.Date(year, time.Month(m1), 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(year, time.Month(m2)+1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	db := s.db.WithContext(ctx)
	var suppliers []struct {
		ID   int64
		Name string
	}
	if err := db.Raw("SELECT id, name FROM suppliers ORDER BY name, id").Scan(&suppliers).Error; err != nil {
		return nil, err
	}
	var outcomes []outcomesRow
	if err := db.Raw(`SELECT supplier_id, period, orders, rejected, confirmed, confirmed_in_day,
			delivered_promised, on_time, response_median_s, response_p90_s
		FROM supplier_order_outcomes WHERE period = ?`, period).Scan(&outcomes).Error; err != nil {
		return nil, err
	}
	start, end := from, to.AddDate(0, 0, 1)
	var lists []supplierLists
	if err := db.Raw(fmt.Sprintf(scorecardListsSQL, "true"), start, end).Scan(&lists).Error; err != nil {
		return nil, err
	}
	var tenders []supplierTender
	if err := db.Raw(fmt.Sprintf(scorecardTendersSQL, "true"), start, end).Scan(&tenders).Error; err != nil {
		return nil, err
	}
	w, err := s.weights(ctx, s.db)
	if err != nil {
		return nil, err
	}
	out := make([]*Scorecard, 0, len(suppliers))
	byID := map[int64]*Scorecard{}
	for _, sup := range suppliers {
		sc := &Scorecard{SupplierID: sup.ID, SupplierName: sup.Name, Period: period, From: from, To: to}
		out = append(out, sc)
		byID[sup.ID] = sc
	}
	for _, r := range outcomes {
		if sc := byID[r.SupplierID]; sc != nil {
			sc.Orders = r.outcomes()
		}
	}
	for _, l := range lists {
		if sc := byID[l.SupplierID]; sc != nil {
			sc.PriceLists = l.PriceListOutcomes
		}
	}
	for _, t := range tenders {
		if sc := byID[t.SupplierID]; sc != nil {
			sc.Tenders = append(sc.Tenders, t.TenderCoverage)
		}
	}
	for _, sc := range out {
		score(sc, w)
	}
	return out, nil
}
