package domain

import (
	"context"
	"errors"
	"fmt"
	"time"

	"andel/pricing"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// Supplier scorecards: how a supplier performed in a period, from the
// outcomes of its orders (kept per named period in supplier_order_outcomes
// by the savings-rollup job: refreshOrderOutcomes), its price lists and its
// bids, each part scored 0-100 and weighted by the staff's weights.
//
// The parts and their scores (percentages to 2 decimals, pricing.Percent):
//   - on_time: of the delivered orders with a promised delivery time (their
//     contract's delivery_days), the share delivered within it after
//     confirmation;
//   - rejections: 100 - the share of its orders (placed, not cancelled by
//     the practice) it rejected;
//   - response: the share of confirmed orders confirmed within 24 hours of
//     being placed (the median and 90th percentile of placed-to-confirmed
//     are shown beside it);
//   - price_lists: the share of its lists not rejected x (1000 - warnings
//     per 1,000 lines read, at least 0) / 1000;
//   - tenders: of the lines of the tenders whose deadline fell in the
//     period and that it bid on, the share it priced.
//
// A part with nothing to measure is not scored, and the total is the
// weighted mean of the parts that are: sum(weight x score) / sum(weights),
// to 2 decimals. With no part scored there is no total.

// Scorecard part names (also the weights' keys).
const (
	PartOnTime     = "on_time"
	PartRejections = "rejections"
	PartResponse   = "response"
	PartPriceLists = "price_lists"
	PartTenders    = "tenders"
)

// ScorecardParts lists the parts in their order.
var ScorecardParts = []string{PartOnTime, PartRejections, PartResponse, PartPriceLists, PartTenders}

// ScorecardWeights are the weights of the parts (whole numbers summing to
// 100), by part name.
type ScorecardWeights map[string]int

// ScorecardPart is one part's score with its weight; Scored false when it
// had nothing to measure (Score is then zero and does not count).
type ScorecardPart struct {
	Name   string
	Weight int
	Scored bool
	Score  decimal.Decimal
}

// OrderOutcomes are the counts a scorecard's order parts come from.
type OrderOutcomes struct {
	Orders            int64 // placed and not cancelled by the practice
	Rejected          int64
	Confirmed         int64
	ConfirmedInDay    int64 // within 24 hours of placing
	DeliveredPromised int64 // delivered, with a promised delivery time
	OnTime            int64 // of those, within it after confirmation
	// ResponseMedian and ResponseP90 are placed-to-confirmed (nearest
	// rank), nil without confirmations.
	ResponseMedianS, ResponseP90S *int64
}

// PriceListOutcomes count the supplier's price lists registered in the
// period.
type PriceListOutcomes struct {
	Lists, Rejected, RowsRead, Warnings int64
	// RejectedShare is Rejected / Lists x 100; WarningsPer1000 is Warnings
	// / RowsRead x 1000, both to 2 decimals.
	RejectedShare, WarningsPer1000 decimal.Decimal
}

// TenderCoverage is, for one tender the supplier bid on, the share of its
// lines (lot items) the bid priced.
type TenderCoverage struct {
	TenderID    int64
	Title       string
	Lines, Bid  int64
	SharePriced decimal.Decimal
}

// Scorecard is a supplier's performance in a period.
type Scorecard struct {
	SupplierID   int64
	SupplierName string
	Period       string // a named period, or "from..to" for a window
	From, To     time.Time
	Orders       OrderOutcomes
	// OnTimeShare, RejectionRate and ConfirmedInDayShare are percentages.
	OnTimeShare, RejectionRate, ConfirmedInDayShare decimal.Decimal
	PriceLists                                      PriceListOutcomes
	Tenders                                         []TenderCoverage
	Parts                                           []ScorecardPart
	// Score is the weighted total; nil when no part was scored.
	Score *decimal.Decimal
}

// ScorecardService computes scorecards and keeps their weights.
type ScorecardService struct {
	db  *gorm.DB
	now func() time.Time
}

// Weights returns the current weights. Admins and the board.
// Errors: EUNAUTHORIZED, EFORBIDDEN.
func (s *ScorecardService) Weights(ctx context.Context) (ScorecardWeights, error) {
	if _, err := require(ctx, RoleAdmin, RoleBoard); err != nil {
		return nil, err
	}
	return s.weights(ctx, s.db)
}

type weightsRow struct {
	OnTime, Rejections, Response, PriceLists, Tenders int
}

func (s *ScorecardService) weights(ctx context.Context, db *gorm.DB) (ScorecardWeights, error) {
	var r weightsRow
	if err := db.WithContext(ctx).Raw("SELECT on_time, rejections, response, price_lists, tenders FROM scorecard_weights").Scan(&r).Error; err != nil {
		return nil, err
	}
	return ScorecardWeights{PartOnTime: r.OnTime, PartRejections: r.Rejections, PartResponse: r.Response,
		PartPriceLists: r.PriceLists, PartTenders: r.Tenders}, nil
}

// SetWeights replaces the weights: every part, whole numbers 0-100,
// summing to 100. Admins only; audited. Errors: EFORBIDDEN, EINVALID.
func (s *ScorecardService) SetWeights(ctx context.Context, w ScorecardWeights) (ScorecardWeights, error) {
	a, err := require(ctx, RoleAdmin)
	if err != nil {
		return nil, err
	}
	var p Problems
	sum := 0
	for _, name := range ScorecardParts {
		v, ok := w[name]
		switch {
		case !ok:
			p.Add(name, "is required")
		case v < 0 || v > 100:
			p.Add(name, "must be a whole number from 0 to 100")
		}
		sum += v
	}
	for name := range w {
		if !containsString(ScorecardParts, name) {
			p.Add(name, "is not a part of the scorecard")
		}
	}
	if len(p) == 0 && sum != 100 {
		p.Add("weights", "sum to %d, not 100", sum)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`UPDATE scorecard_weights SET on_time = ?, rejections = ?, response = ?, price_lists = ?, tenders = ?,
			updated_by = ?, updated_at = now()`, w[PartOnTime], w[PartRejections], w[PartResponse], w[PartPriceLists], w[PartTenders],
			a.Label).Error; err != nil {
			return err
		}
		details := map[string]any{}
		for k, v := range w {
			details[k] = v
		}
		return recordAudit(ctx, tx, auditEntry{action: "scorecard.weights", entity: "scorecard_weights", details: details})
	})
	if err != nil {
		return nil, err
	}
	return s.weights(ctx, s.db)
}

// Get returns supplier id's scorecard for a named period ("2026",
// "2026-H1", "2026-Q2", "2026-05"). Staff and the board see every
// supplier's; a supplier its own only; anyone else none (ENOTFOUND, as for
// a supplier that does not exist). Errors: EUNAUTHORIZED, ENOTFOUND,
// EINVALID.
func (s *ScorecardService) Get(ctx context.Context, id int64, period string) (*Scorecard, error) {
	a := ActorFrom(ctx)
	if a.Role == "" {
		return nil, Errorf(EUNAUTHORIZED, "authentication required")
	}
	if !(a.Role == RoleAdmin || a.Role == RoleBoard || a.Role == RoleSupplier && a.SupplierID == id) {
		return nil, Errorf(ENOTFOUND, "supplier not found")
	}
	var name string
	if err := s.db.WithContext(ctx).Raw("SELECT name FROM suppliers WHERE id = ?", id).Scan(&name).Error; err != nil {
		return nil, err
	}
	if name == "" {
		return nil, Errorf(ENOTFOUND, "supplier not found")
	}
	if !ValidPeriod(period) {
		return nil, &Error{Code: EINVALID, Message: "invalid period",
			Fields: []FieldError{{Field: "period", Message: `must be a year, half, quarter or month: "2026", "2026-H1", "2026-Q2" or "2026-05"`}}}
	}
	year, m1, m2 := periodMonths(period)
	from := time.Date(year, time.Month(m1), 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(year, time.Month(m2)+1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	sc := &Scorecard{SupplierID: id, SupplierName: name, Period: period, From: from, To: to}
	var rows []outcomesRow
	if err := s.db.WithContext(ctx).Raw(`SELECT supplier_id, period, orders, rejected, confirmed, confirmed_in_day,
			delivered_promised, on_time, response_median_s, response_p90_s
		FROM supplier_order_outcomes WHERE supplier_id = ? AND period = ?`, id, period).Scan(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 1 {
		sc.Orders = rows[0].outcomes()
	}
	if err := s.fill(ctx, s.db, sc); err != nil {
		return nil, err
	}
	return sc, nil
}

// window is supplier id's scorecard over the days from..to, its order
// outcomes computed from the orders themselves (the same query the rollup
// keeps its rows with): for a tender's past-performance criterion.
func (s *ScorecardService) window(ctx context.Context, db *gorm.DB, id int64, from, to time.Time) (*Scorecard, error) {
	sc := &Scorecard{SupplierID: id, From: from, To: to,
		Period: from.Format(time.DateOnly) + ".." + to.Format(time.DateOnly)}
	if err := db.WithContext(ctx).Raw("SELECT name FROM suppliers WHERE id = ?", id).Scan(&sc.SupplierName).Error; err != nil {
		return nil, err
	}
	var rows []outcomesRow
	if err := db.WithContext(ctx).Raw(outcomesSQL(`(SELECT ?::bigint AS supplier_id, ''::text AS period, ?::date AS from_day, ?::date AS to_day)`),
		id, from.Format(time.DateOnly), to.Format(time.DateOnly)).Scan(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 1 {
		sc.Orders = rows[0].outcomes()
	}
	return sc, s.fill(ctx, db, sc)
}

// The price lists and the tenders a scorecard counts, by supplier (one
// supplier: "supplier_id = ?"; every supplier: "true"), for the days
// [from, to+1).
const (
	scorecardListsSQL = `SELECT supplier_id, count(*) AS lists, count(*) FILTER (WHERE status = 'rejected') AS rejected,
			coalesce(sum(rows_read), 0) AS rows_read, coalesce(sum(warning_count), 0) AS warnings
		FROM price_lists WHERE %s AND created_at >= ? AND created_at < ? GROUP BY supplier_id`
	scorecardTendersSQL = `SELECT b.supplier_id, t.id AS tender_id, t.title,
			(SELECT count(*) FROM tender_lot_items i WHERE i.tender_id = t.id) AS lines,
			(SELECT count(*) FROM bid_items bi WHERE bi.bid_id = b.id) AS bid
		FROM bids b JOIN tenders t ON t.id = b.tender_id
		WHERE %s AND b.status = 'submitted' AND t.status IN ('closed', 'awarded', 'unsuccessful')
			AND t.bid_deadline >= ? AND t.bid_deadline < ?
		ORDER BY t.bid_deadline, t.id`
)

type supplierLists struct {
	SupplierID int64
	PriceListOutcomes
}

type supplierTender struct {
	SupplierID int64
	TenderCoverage
}

// fill adds the price lists, tenders, parts and total to sc, whose order
// outcomes are set.
func (s *ScorecardService) fill(ctx context.Context, db *gorm.DB, sc *Scorecard) error {
	start, end := sc.From, sc.To.AddDate(0, 0, 1)
	var lists []supplierLists
	if err := db.WithContext(ctx).Raw(fmt.Sprintf(scorecardListsSQL, "supplier_id = ?"), sc.SupplierID, start, end).Scan(&lists).Error; err != nil {
		return err
	}
	if len(lists) == 1 {
		sc.PriceLists = lists[0].PriceListOutcomes
	}
	var tenders []supplierTender
	if err := db.WithContext(ctx).Raw(fmt.Sprintf(scorecardTendersSQL, "b.supplier_id = ?"), sc.SupplierID, start, end).Scan(&tenders).Error; err != nil {
		return err
	}
	for _, t := range tenders {
		sc.Tenders = append(sc.Tenders, t.TenderCoverage)
	}
	w, err := s.weights(ctx, db)
	if err != nil {
		return err
	}
	score(sc, w)
	return nil
}

// score fills sc's shares, parts and total from its order outcomes, price
// lists and tenders, with weights w.
func score(sc *Scorecard, w ScorecardWeights) {
	pl := &sc.PriceLists
	pl.RejectedShare = pricing.Percent(decimal.NewFromInt(pl.Rejected), decimal.NewFromInt(pl.Lists))
	if pl.RowsRead > 0 {
		pl.WarningsPer1000 = decimal.NewFromInt(pl.Warnings*1000).DivRound(decimal.NewFromInt(pl.RowsRead), 2)
	}
	var tLines, tBid int64
	for i := range sc.Tenders {
		t := &sc.Tenders[i]
		t.SharePriced = pricing.Percent(decimal.NewFromInt(t.Bid), decimal.NewFromInt(t.Lines))
		tLines += t.Lines
		tBid += t.Bid
	}
	o := sc.Orders
	pct := func(a, b int64) decimal.Decimal { return pricing.Percent(decimal.NewFromInt(a), decimal.NewFromInt(b)) }
	sc.OnTimeShare, sc.RejectionRate, sc.ConfirmedInDayShare = pct(o.OnTime, o.DeliveredPromised), pct(o.Rejected, o.Orders),
		pct(o.ConfirmedInDay, o.Confirmed)
	hundred := decimal.NewFromInt(100)
	thousand := decimal.NewFromInt(1000)
	scores := map[string]struct {
		ok bool
		v  decimal.Decimal
	}{
		PartOnTime:     {o.DeliveredPromised > 0, sc.OnTimeShare},
		PartRejections: {o.Orders > 0, hundred.Sub(sc.RejectionRate)},
		PartResponse:   {o.Confirmed > 0, sc.ConfirmedInDayShare},
		PartPriceLists: {pl.Lists > 0, hundred.Sub(pl.RejectedShare).Mul(decimal.Max(decimal.Zero, thousand.Sub(pl.WarningsPer1000))).DivRound(thousand, 2)},
		PartTenders:    {tLines > 0, pct(tBid, tLines)},
	}
	sum, weights := decimal.Zero, 0
	for _, name := range ScorecardParts {
		sp := scores[name]
		part := ScorecardPart{Name: name, Weight: w[name], Scored: sp.ok}
		if sp.ok {
			part.Score = sp.v
			sum = sum.Add(sp.v.Mul(decimal.NewFromInt(int64(w[name]))))
			weights += w[name]
		}
		sc.Parts = append(sc.Parts, part)
	}
	if weights > 0 {
		total := sum.DivRound(decimal.NewFromInt(int64(weights)), 2)
		sc.Score = &total
	}
}

// outcomesRow is one (supplier, period) of supplier_order_outcomes.
type outcomesRow struct {
	SupplierID                                                     int64
	Period                                                         string
	Orders, Rejected, Confirmed, ConfirmedInDay, DeliveredPromised int64
	OnTime                                                         int64
	ResponseMedianS, ResponseP90S                                  *int64
}

func (r outcomesRow) outcomes() OrderOutcomes {
	return OrderOutcomes{Orders: r.Orders, Rejected: r.Rejected, Confirmed: r.Confirmed, ConfirmedInDay: r.ConfirmedInDay,
		DeliveredPromised: r.DeliveredPromised, OnTime: r.OnTime, ResponseMedianS: r.ResponseMedianS, ResponseP90S: r.ResponseP90S}
}

// outcomesSQL computes the order outcomes of the (supplier_id, period,
// from_day, to_day) rows of keys from the orders placed in those days and
// not cancelled: one rule for the rollup and for a window.
func outcomesSQL(keys string) string {
	return `SELECT k.supplier_id, k.period, count(o.id) AS orders,
			count(o.id) FILTER (WHERE o.status = 'rejected') AS rejected,
			count(o.confirmed_at) AS confirmed,
			count(o.id) FILTER (WHERE o.confirmed_at <= o.placed_at + interval '24 hours') AS confirmed_in_day,
			count(o.id) FILTER (WHERE o.delivered_at IS NOT NULL AND o.promised_days IS NOT NULL) AS delivered_promised,
			count(o.id) FILTER (WHERE o.delivered_at IS NOT NULL AND o.promised_days IS NOT NULL
				AND o.delivered_at <= coalesce(o.confirmed_at, o.placed_at) + o.promised_days * interval '1 day') AS on_time,
			percentile_disc(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM o.confirmed_at - o.placed_at)::bigint) AS response_median_s,
			percentile_disc(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM o.confirmed_at - o.placed_at)::bigint) AS response_p90_s
		FROM ` + keys + ` k
		LEFT JOIN orders o ON o.supplier_id = k.supplier_id AND o.placed_on BETWEEN k.from_day AND k.to_day
			AND o.status <> 'cancelled'
		GROUP BY k.supplier_id, k.period`
}

// refreshOrderOutcomes recomputes supplier_order_outcomes for every named
// period (year, half, quarter, month) holding a day whose orders changed
// (savings_keys), for the suppliers of those orders.
func refreshOrderOutcomes(tx *gorm.DB) error {
	if err := tx.Exec(`CREATE TEMP TABLE outcome_keys ON COMMIT DROP AS
		SELECT DISTINCT supplier_id, period, from_day, to_day FROM (
			SELECT k.supplier_id, p.period, p.from_day, p.to_day
			FROM (SELECT DISTINCT supplier_id, day FROM savings_keys) k
			CROSS JOIN LATERAL (VALUES
				(to_char(k.day, 'YYYY'), date_trunc('year', k.day)::date, (date_trunc('year', k.day) + interval '1 year' - interval '1 day')::date),
				(to_char(k.day, 'YYYY') || '-H' || CASE WHEN extract(month FROM k.day) <= 6 THEN '1' ELSE '2' END,
					(date_trunc('year', k.day) + CASE WHEN extract(month FROM k.day) <= 6 THEN interval '0' ELSE interval '6 months' END)::date,
					(date_trunc('year', k.day) + CASE WHEN extract(month FROM k.day) <= 6 THEN interval '6 months' ELSE interval '12 months' END - interval '1 day')::date),
				(to_char(k.day, 'YYYY-"Q"Q'), date_trunc('quarter', k.day)::date, (date_trunc('quarter', k.day) + interval '3 months' - interval '1 day')::date),
				(to_char(k.day, 'YYYY-MM'), date_trunc('month', k.day)::date, (date_trunc('month', k.day) + interval '1 month' - interval '1 day')::date)
			) p(period, from_day, to_day)) x`).Error; err != nil {
		return err
	}
	if err := tx.Exec(`DELETE FROM supplier_order_outcomes s USING outcome_keys k
		WHERE s.supplier_id = k.supplier_id AND s.period = k.period`).Error; err != nil {
		return err
	}
	return tx.Exec(`INSERT INTO supplier_order_outcomes (supplier_id, period, orders, rejected, confirmed, confirmed_in_day,
			delivered_promised, on_time, response_median_s, response_p90_s) ` + outcomesSQL("outcome_keys")).Error
}

// promisedDays is the delivery time the contracts of lines promise: the
// shortest delivery_days of their on-contract lines' contracts, nil when
// none promises one.
func promisedDays(tx *gorm.DB, lines []OrderLine) (*decimal.Decimal, error) {
	var ids []int64
	for _, l := range lines {
		if l.OnContract && l.ContractID != nil {
			ids = append(ids, *l.ContractID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	var days decimal.NullDecimal
	if err := tx.Raw("SELECT min(delivery_days) FROM contracts WHERE id IN ?", ids).Row().Scan(&days); err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, nil
		}
		return nil, err
	}
	if !days.Valid {
		return nil, nil
	}
	return &days.Decimal, nil
}

// moveTimeColumn is the column an order's move to a status stamps.
var moveTimeColumn = map[OrderStatus]string{
	OrderConfirmed: "confirmed_at", OrderShipped: "shipped_at", OrderDelivered: "delivered_at", OrderRejected: "rejected_at",
}

// DeliveryDaysCriterion is the tender criterion whose awarded value a
// contract promises as its delivery time (Contract.DeliveryDays).
const DeliveryDaysCriterion = "delivery_days"

// PastPerformanceCriterion is the tender criterion the server scores:
// each bidder's scorecard total over the year before the deadline
// (NoHistoryScore when nothing can be scored), recorded with its inputs.
const PastPerformanceCriterion = "past_performance"

// NoHistoryScore is the past-performance score of a bidder with nothing
// to measure in the year before the deadline: neutral, neither rewarded
// nor punished for being new.
var NoHistoryScore = decimal.NewFromInt(50)

// pastPerformance returns the past-performance score of supplier at a
// tender's deadline and the scorecard it came from.
func (s *ScorecardService) pastPerformance(ctx context.Context, db *gorm.DB, supplier int64, deadline time.Time) (decimal.Decimal, *Scorecard, error) {
	day := deadline.UTC().Truncate(24 * time.Hour)
	sc, err := s.window(ctx, db, supplier, day.AddDate(-1, 0, 0), day.AddDate(0, 0, -1))
	if err != nil {
		return decimal.Zero, nil, fmt.Errorf("scorecard of supplier %d: %w", supplier, err)
	}
	if sc.Score == nil {
		return NoHistoryScore, sc, nil
	}
	return *sc.Score, sc, nil
}

// PastPerformanceInput is what a bid's past-performance score was taken
// from, as recorded in the tender's evaluation: the bidder's scorecard over
// the year before the deadline, part by part.
type PastPerformanceInput struct {
	SupplierID int64                 `json:"supplier_id"`
	From       string                `json:"from"`
	To         string                `json:"to"`
	Score      string                `json:"score"`
	NoHistory  bool                  `json:"no_history,omitempty"`
	Parts      []PastPerformancePart `json:"parts"`
	// The measurements behind the parts.
	Orders             int64  `json:"orders"`
	Rejected           int64  `json:"rejected"`
	Confirmed          int64  `json:"confirmed"`
	ConfirmedInDay     int64  `json:"confirmed_in_day"`
	DeliveredPromised  int64  `json:"delivered_promised"`
	OnTime             int64  `json:"on_time"`
	ResponseMedianS    *int64 `json:"response_median_s,omitempty"`
	ResponseP90S       *int64 `json:"response_p90_s,omitempty"`
	PriceLists         int64  `json:"price_lists"`
	PriceListsRejected int64  `json:"price_lists_rejected"`
	RowsRead           int64  `json:"rows_read"`
	Warnings           int64  `json:"warnings"`
	TenderLines        int64  `json:"tender_lines"`
	TenderLinesBid     int64  `json:"tender_lines_bid"`
}

// PastPerformancePart is one part of the scorecard behind a score.
type PastPerformancePart struct {
	Name   string `json:"name"`
	Weight int    `json:"weight"`
	Scored bool   `json:"scored"`
	Score  string `json:"score,omitempty"`
}

// pastPerformanceInput records sc and the score taken from it.
func pastPerformanceInput(sc *Scorecard, score decimal.Decimal) PastPerformanceInput {
	in := PastPerformanceInput{SupplierID: sc.SupplierID, From: sc.From.Format(time.DateOnly), To: sc.To.Format(time.DateOnly),
		Score: score.String(), NoHistory: sc.Score == nil,
		Orders: sc.Orders.Orders, Rejected: sc.Orders.Rejected, Confirmed: sc.Orders.Confirmed, ConfirmedInDay: sc.Orders.ConfirmedInDay,
		DeliveredPromised: sc.Orders.DeliveredPromised, OnTime: sc.Orders.OnTime,
		ResponseMedianS: sc.Orders.ResponseMedianS, ResponseP90S: sc.Orders.ResponseP90S,
		PriceLists: sc.PriceLists.Lists, PriceListsRejected: sc.PriceLists.Rejected, RowsRead: sc.PriceLists.RowsRead,
		Warnings: sc.PriceLists.Warnings}
	for _, t := range sc.Tenders {
		in.TenderLines += t.Lines
		in.TenderLinesBid += t.Bid
	}
	for _, p := range sc.Parts {
		pp := PastPerformancePart{Name: p.Name, Weight: p.Weight, Scored: p.Scored}
		if p.Scored {
			pp.Score = p.Score.String()
		}
		in.Parts = append(in.Parts, pp)
	}
	return in
}
