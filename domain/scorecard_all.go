package domain

import "context"

// All returns every supplier's scorecard for a named period, ordered by
// the suppliers' names: the board's and the staff's list of scorecards
// (web/scorecards.go). Each is computed as Get computes one (the order
// outcomes from the rollup), so the list and a supplier's own page agree.
// Admins and the board. Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
func (s *ScorecardService) All(ctx context.Context, period string) ([]*Scorecard, error) {
	if _, err := require(ctx, RoleAdmin, RoleBoard); err != nil {
		return nil, err
	}
	if !ValidPeriod(period) {
		return nil, &Error{Code: EINVALID, Message: "invalid period",
			Fields: []FieldError{{Field: "period", Message: `must be a year, half, quarter or month: "2026", "2026-H1", "2026-Q2" or "2026-05"`}}}
	}
	var ids []int64
	if err := s.db.WithContext(ctx).Raw("SELECT id FROM suppliers ORDER BY name, id").Scan(&ids).Error; err != nil {
		return nil, err
	}
	out := make([]*Scorecard, 0, len(ids))
	for _, id := range ids {
		sc, err := s.Get(ctx, id, period)
		if err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, nil
}
