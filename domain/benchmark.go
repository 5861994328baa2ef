package domain

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"andel/pricing"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// Cluster benchmarking: a practice compares what it paid with its quality
// cluster and the cooperative, anonymously. Every figure about other
// practices is read from benchmark_rollup (never order_lines) and passes
// the anonymity rules before it is shown:
//
//   - at least MinPractices practices contribute to it (Options.
//     BenchmarkMinPractices, 5 by default, never below 3), and
//   - no single practice makes up more than half of the spend behind it
//     (the dominance rule),
//
// otherwise it is suppressed with a note saying why. A practice's own
// figures are always shown to itself; its rank is a band (top quarter,
// middle half, bottom quarter), never a position among named others.

// DefaultBenchmarkMinPractices and MinBenchmarkPractices bound how many
// practices a shown figure needs.
const (
	DefaultBenchmarkMinPractices = 5
	MinBenchmarkPractices        = 3
)

// Period grains.
const (
	GrainMonth   = "month"
	GrainQuarter = "quarter"
	GrainYear    = "year"
)

// Period is a calendar month, quarter or year.
type Period struct {
	Grain string
	Start time.Time // first day, UTC
	Label string    // "2026", "2026-Q3", "2026-05"
}

// End is the period's last day.
func (p Period) End() time.Time {
	switch p.Grain {
	case GrainMonth:
		return p.Start.AddDate(0, 1, -1)
	case GrainQuarter:
		return p.Start.AddDate(0, 3, -1)
	}
	return p.Start.AddDate(1, 0, -1)
}

var periodRE = regexp.MustCompile(`^(\d{4})(?:-(?:Q([1-4])|(0[1-9]|1[0-2])))?$`)

// ParsePeriod reads "2026", "2026-Q3" or "2026-05". Errors: EINVALID.
func ParsePeriod(s string) (Period, error) {
	m := periodRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		var p Problems
		p.Add("period", "must be a year (2026), a quarter (2026-Q3) or a month (2026-05)")
		return Period{}, p.Err()
	}
	y, _ := strconv.Atoi(m[1])
	switch {
	case m[2] != "":
		q, _ := strconv.Atoi(m[2])
		return Period{Grain: GrainQuarter, Start: time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, time.UTC), Label: m[0]}, nil
	case m[3] != "":
		mo, _ := strconv.Atoi(m[3])
		return Period{Grain: GrainMonth, Start: time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC), Label: m[0]}, nil
	}
	return Period{Grain: GrainYear, Start: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), Label: m[0]}, nil
}

// BenchmarkService answers benchmark questions from benchmark_rollup.
type BenchmarkService struct {
	db           *gorm.DB
	currency     string
	minPractices int
	now          func() time.Time
}

// MinPractices is how many practices a shown figure needs.
func (s *BenchmarkService) MinPractices() int { return s.minPractices }

// Why a figure is suppressed.
const (
	SuppressedTooFew   = "too_few_practices"
	SuppressedDominant = "dominant_practice"
	SuppressedMixed    = "mixed_units"
	SuppressedNoOwn    = "no_purchases"
	SuppressedNoGroup  = "no_cluster"
)

// Rank bands of a practice's price paid within its cluster (lower price is
// better): at or below the lower quartile, at or above the upper quartile,
// or between. When the quartiles coincide every practice is in the middle.
const (
	BandTopQuarter    = "top_quarter"
	BandMiddleHalf    = "middle_half"
	BandBottomQuarter = "bottom_quarter"
)

// GroupFigures are the figures of a group of practices (a cluster or the
// cooperative). When Suppressed is set, only Name, Suppressed and Note are
// meaningful: the rest is zero and must not be shown.
type GroupFigures struct {
	Name       string
	Suppressed string
	Note       string
	Practices  int // contributing practices
	// HasUnitPrice is false when the products bought are in different base
	// units (a category or all purchases): no price per base unit then.
	HasUnitPrice bool
	// Prices per base unit: quartiles over the practices (each counts
	// once, whatever it bought), pricing.QuartilesOf.
	Q1, Median, Q3 decimal.Decimal
	// Of the group's summed spend: (baseline - spend) / baseline and
	// on-contract spend / spend, percent to 2 decimals.
	SavingsRate, OnContractShare decimal.Decimal
}

// Shown reports whether the figures may be shown.
func (g GroupFigures) Shown() bool { return g.Suppressed == "" }

// PracticeFigures are one practice's own figures.
type PracticeFigures struct {
	HasUnitPrice                 bool
	UnitPrice                    decimal.Decimal // spend / base quantity, 6 decimals
	BaseQuantity                 decimal.Decimal
	Spend                        decimal.Decimal
	SavingsRate, OnContractShare decimal.Decimal
}

// BenchmarkQuery asks for one period and a category, a product or all
// purchases (neither), and for staff optionally one cluster.
type BenchmarkQuery struct {
	Period    string // "" : the current year
	Category  string
	ProductID int64
	Cluster   string
}

// BenchmarkReport answers a BenchmarkQuery. For a practice: Own, Band,
// Cluster (its own) and Cooperative. For staff: Cooperative and Clusters
// (one cluster when asked for, else every cluster).
type BenchmarkReport struct {
	Period       Period
	Currency     string
	Category     string
	ProductID    int64
	ProductName  string
	BaseUnit     string // when every product bought is in one base unit
	MinPractices int

	Own      *PracticeFigures
	OwnNote  string // why Own is nil
	Band     string
	BandNote string // why Band is empty

	Cluster     *GroupFigures
	Cooperative GroupFigures
	Clusters    []GroupFigures
}

// benchRow is one practice's figures for one key and base unit, as
// integers (read in thousands per request: no decimal per row).
type benchRow struct {
	MemberID        int64
	Cluster         string
	Key             string
	BaseUnit        string
	BaseMicro       int64 // base quantity in millionths
	Spend           int64 // hundredths
	BaselineSpend   int64
	OnContractSpend int64
}

// practiceSum is one practice's figures summed over the rows selected
// (quantity in millionths of a base unit, amounts in hundredths).
type practiceSum struct {
	member                       int64
	cluster                      string
	qty, spend, baseline, onCont int64
}

func hundredths(v int64) decimal.Decimal { return decimal.New(v, -2) }

// unitPrice is ps's price per base unit in millionths (pricing's integer
// path; its decimal rule when the figures are out of its range).
func (ps practiceSum) unitPrice() int64 {
	if v, ok := pricing.UnitPriceMicro(ps.spend, ps.qty); ok {
		return v
	}
	return pricing.UnitPriceOf(hundredths(ps.spend), decimal.New(ps.qty, -6)).Shift(6).IntPart()
}

// Benchmarks answers q for the actor: a practice its own position (a
// cluster other than its own: ENOTFOUND), staff and board per cluster.
// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID, ENOTFOUND.
func (s *BenchmarkService) Benchmarks(ctx context.Context, q BenchmarkQuery) (*BenchmarkReport, error) {
	a, err := require(ctx, RoleAdmin, RoleBoard, RoleMember)
	if err != nil {
		return nil, err
	}
	period, err := s.period(q.Period)
	var p Problems
	if err != nil {
		p = append(p, err.(*Error).Fields...)
	}
	if q.ProductID < 0 {
		p.Add("product_id", "must be a product id")
	}
	if q.Category != "" && q.ProductID != 0 {
		p.Add("category", "give a category or a product, not both")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	rep := &BenchmarkReport{Period: period, Currency: s.currency, Category: q.Category, ProductID: q.ProductID,
		MinPractices: s.minPractices}
	db := s.db.WithContext(ctx)
	dim, key := "total", ""
	if q.ProductID != 0 {
		var prod struct{ Name, Category string }
		if err := db.Raw("SELECT name, category FROM products WHERE id = ?", q.ProductID).Scan(&prod).Error; err != nil {
			return nil, err
		}
		if prod.Name == "" {
			return nil, NotFound("product")
		}
		dim, key, rep.ProductName, rep.Category = "product", strconv.FormatInt(q.ProductID, 10), prod.Name, prod.Category
	} else if q.Category != "" {
		dim, key = "category", q.Category
		var n int
		if err := db.Raw("SELECT count(*) FROM (SELECT 1 FROM products WHERE category = ? LIMIT 1) p", q.Category).Scan(&n).Error; err != nil {
			return nil, err
		}
		if n == 0 {
			p.Add("category", "no product has this category")
			return nil, p.Err()
		}
	}
	own := ""
	if a.Role == RoleMember {
		var m Member
		if err := db.Select("id", "quality_cluster").First(&m, a.MemberID).Error; err != nil {
			return nil, err
		}
		if m.QualityCluster != nil {
			own = *m.QualityCluster
		}
		if q.Cluster != "" && q.Cluster != own {
			return nil, NotFound("cluster")
		}
	} else if q.Cluster != "" {
		if err := s.clusterExists(ctx, q.Cluster); err != nil {
			return nil, err
		}
	}
	rows, err := s.load(ctx, dim, period, key)
	if err != nil {
		return nil, err
	}
	sums, unit, mixed := sumPractices(rows)
	if !mixed {
		rep.BaseUnit = unit
	}
	rep.Cooperative = s.group("", sums, !mixed)
	if a.Role == RoleMember {
		s.position(rep, sums, a.MemberID, own, !mixed)
		return rep, nil
	}
	for _, name := range clusterNames(sums) {
		if q.Cluster != "" && name != q.Cluster {
			continue
		}
		rep.Clusters = append(rep.Clusters, s.group(name, inCluster(sums, name), !mixed))
	}
	if q.Cluster != "" && len(rep.Clusters) == 0 {
		rep.Clusters = append(rep.Clusters, s.group(q.Cluster, nil, !mixed))
	}
	return rep, nil
}

// position fills a practice's own figures, its cluster's and its band.
func (s *BenchmarkService) position(rep *BenchmarkReport, sums []practiceSum, member int64, cluster string, unitPrices bool) {
	for _, ps := range sums {
		if ps.member == member {
			f := ownFigures(ps, unitPrices)
			rep.Own = &f
		}
	}
	if rep.Own == nil {
		rep.OwnNote = SuppressedNoOwn
	}
	if cluster == "" {
		rep.Cluster = &GroupFigures{Suppressed: SuppressedNoGroup, Note: "the practice belongs to no quality cluster"}
	} else {
		g := s.group(cluster, inCluster(sums, cluster), unitPrices)
		rep.Cluster = &g
	}
	switch {
	case rep.Own == nil:
		rep.BandNote = "the practice bought none of this in the period"
	case !unitPrices:
		rep.BandNote = "the products are in different base units: choose a category of one unit or a product"
	case !rep.Cluster.Shown():
		rep.BandNote = "the cluster's figures are suppressed: " + rep.Cluster.Note
	default:
		rep.Band = band(rep.Own.UnitPrice, *rep.Cluster)
	}
}

// band places price within the quartiles of g (lower is better).
func band(price decimal.Decimal, g GroupFigures) string {
	switch {
	case g.Q1.Equal(g.Q3):
		return BandMiddleHalf
	case price.LessThanOrEqual(g.Q1):
		return BandTopQuarter
	case price.GreaterThanOrEqual(g.Q3):
		return BandBottomQuarter
	}
	return BandMiddleHalf
}

var half = decimal.New(5, -1)

// groupSummary is what the anonymity rules and the figures of a group
// need: its sums (hundredths), its largest practice's spend, and the
// quartiles of its practices' prices per unit (when they are in one unit).
// The rollup stores the cooperative's (benchmark_summary); a cluster's is
// summed per request.
type groupSummary struct {
	Practices, Priced                          int
	Spend, BaselineSpend, OnContractSpend, Top int64
	HasQuartiles                               bool
	Q1, Median, Q3                             decimal.Decimal
}

// summarize sums the practices of a group.
func summarize(sums []practiceSum, unitPrices bool) groupSummary {
	var g groupSummary
	prices := make([]int64, 0, len(sums))
	for _, ps := range sums {
		g.Spend, g.BaselineSpend, g.OnContractSpend = g.Spend+ps.spend, g.BaselineSpend+ps.baseline, g.OnContractSpend+ps.onCont
		g.Top = max(g.Top, ps.spend)
		if unitPrices && ps.qty > 0 {
			prices = append(prices, ps.unitPrice())
		}
	}
	g.Practices, g.Priced = len(sums), len(prices)
	if len(prices) > 0 {
		q, _ := pricing.QuartilesMicro(prices)
		g.HasQuartiles, g.Q1, g.Median, g.Q3 = true, q.Q1, q.Median, q.Q3
	}
	return g
}

// group computes the figures of the practices in sums under the
// anonymity rules.
func (s *BenchmarkService) group(name string, sums []practiceSum, unitPrices bool) GroupFigures {
	return s.figures(name, summarize(sums, unitPrices))
}

// figures applies the anonymity rules to a group's summary.
func (s *BenchmarkService) figures(name string, sum groupSummary) GroupFigures {
	g := GroupFigures{Name: name}
	if sum.Practices < s.minPractices {
		g.Suppressed = SuppressedTooFew
		g.Note = fmt.Sprintf("fewer than %d practices bought this in the period", s.minPractices)
		return g
	}
	if pricing.ShareAbove(hundredths(sum.Top), hundredths(sum.Spend), half) {
		g.Suppressed = SuppressedDominant
		g.Note = "one practice makes up more than half of the spend"
		return g
	}
	g.Practices = sum.Practices
	g.SavingsRate = pricing.Percent(hundredths(sum.BaselineSpend-sum.Spend), hundredths(sum.BaselineSpend))
	g.OnContractShare = pricing.Percent(hundredths(sum.OnContractSpend), hundredths(sum.Spend))
	if sum.HasQuartiles && sum.Priced >= s.minPractices {
		g.HasUnitPrice, g.Q1, g.Median, g.Q3 = true, sum.Q1, sum.Median, sum.Q3
	}
	return g
}

// ownFigures are one practice's figures.
func ownFigures(ps practiceSum, unitPrices bool) PracticeFigures {
	f := PracticeFigures{BaseQuantity: decimal.New(ps.qty, -6), Spend: hundredths(ps.spend),
		SavingsRate:     pricing.Percent(hundredths(ps.baseline-ps.spend), hundredths(ps.baseline)),
		OnContractShare: pricing.Percent(hundredths(ps.onCont), hundredths(ps.spend))}
	if unitPrices && ps.qty > 0 {
		f.HasUnitPrice, f.UnitPrice = true, decimal.New(ps.unitPrice(), -6)
	}
	return f
}

// sumPractices sums rows per practice, and says whether they are in one
// base unit (unit) or several (mixed).
func sumPractices(rows []benchRow) (sums []practiceSum, unit string, mixed bool) {
	at := map[int64]int{}
	for _, r := range rows {
		if unit == "" {
			unit = r.BaseUnit
		} else if r.BaseUnit != unit {
			mixed = true
		}
		i, ok := at[r.MemberID]
		if !ok {
			i = len(sums)
			at[r.MemberID] = i
			sums = append(sums, practiceSum{member: r.MemberID, cluster: r.Cluster})
		}
		ps := &sums[i]
		ps.qty += r.BaseMicro
		ps.spend += r.Spend
		ps.baseline += r.BaselineSpend
		ps.onCont += r.OnContractSpend
	}
	return sums, unit, mixed
}

func inCluster(sums []practiceSum, name string) []practiceSum {
	var out []practiceSum
	for _, ps := range sums {
		if ps.cluster == name {
			out = append(out, ps)
		}
	}
	return out
}

func clusterNames(sums []practiceSum) []string {
	var names []string
	for _, ps := range sums {
		if ps.cluster != "" {
			names = append(names, ps.cluster)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// period reads s, the current year when empty.
func (s *BenchmarkService) period(p string) (Period, error) {
	if strings.TrimSpace(p) == "" {
		return ParsePeriod(strconv.Itoa(s.now().Year()))
	}
	return ParsePeriod(p)
}

// clusterExists answers ENOTFOUND unless some practice is in cluster.
func (s *BenchmarkService) clusterExists(ctx context.Context, cluster string) error {
	var n int
	if err := s.db.WithContext(ctx).Raw("SELECT count(*) FROM (SELECT 1 FROM members WHERE quality_cluster = ? LIMIT 1) m",
		cluster).Scan(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return NotFound("cluster")
	}
	return nil
}

// benchmarkRowsSQL reads one period's rows of a dimension (all keys, or
// one) by benchmark_rollup's primary key, with each practice's cluster.
const benchmarkRowsSQL = `SELECT r.member_id, coalesce(m.quality_cluster, '') AS cluster, r.key, r.base_unit,
		(r.base_quantity * 1000000)::bigint AS base_micro, r.spend, r.baseline_spend, r.on_contract_spend
	FROM benchmark_rollup r JOIN members m ON m.id = r.member_id
	WHERE r.dim = @dim AND r.grain = @grain AND r.period = @period AND r.currency = @currency`

// load reads the rows of dim in period (key "" : every key).
func (s *BenchmarkService) load(ctx context.Context, dim string, p Period, key string) ([]benchRow, error) {
	return s.loadOf(ctx, dim, p, key, "", nil)
}

// loadOf is load narrowed by a condition on m (the members table), with
// its argument @of.
func (s *BenchmarkService) loadOf(ctx context.Context, dim string, p Period, key, cond string, of any) ([]benchRow, error) {
	sql := benchmarkRowsSQL
	args := map[string]any{"dim": dim, "grain": p.Grain, "period": p.Start.Format(time.DateOnly), "currency": s.currency}
	if key != "" {
		sql += " AND r.key = @key"
		args["key"] = key
	}
	if cond != "" {
		sql += " AND " + cond
		args["of"] = of
	}
	// Scanned by hand: thousands of rows, GORM's reflection per row costs
	// more than the query.
	res, err := s.db.WithContext(ctx).Raw(sql, args).Rows()
	if err != nil {
		return nil, err
	}
	defer res.Close()
	var rows []benchRow
	for res.Next() {
		var r benchRow
		if err := res.Scan(&r.MemberID, &r.Cluster, &r.Key, &r.BaseUnit, &r.BaseMicro, &r.Spend, &r.BaselineSpend, &r.OnContractSpend); err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	return rows, res.Err()
}

// CategoryPositions is a practice's position in every category it or its
// cluster bought in the period (the Compare page), by category name.
// Errors: as Benchmarks.
func (s *BenchmarkService) CategoryPositions(ctx context.Context, period string) ([]BenchmarkReport, error) {
	a, err := require(ctx, RoleMember)
	if err != nil {
		return nil, err
	}
	p, err := s.period(period)
	if err != nil {
		return nil, err
	}
	var m Member
	if err := s.db.WithContext(ctx).Select("id", "quality_cluster").First(&m, a.MemberID).Error; err != nil {
		return nil, err
	}
	own := ""
	if m.QualityCluster != nil {
		own = *m.QualityCluster
	}
	// The cluster's rows (or the practice's own), and the cooperative's
	// figures as the rollup summarised them.
	var rows []benchRow
	if own != "" {
		rows, err = s.loadOf(ctx, "category", p, "", "m.quality_cluster = @of", own)
	} else {
		rows, err = s.loadOf(ctx, "category", p, "", "r.member_id = @of", a.MemberID)
	}
	if err != nil {
		return nil, err
	}
	coop, err := s.summaries(ctx, "category", p)
	if err != nil {
		return nil, err
	}
	var out []BenchmarkReport
	keys, grouped := byKey(rows)
	for _, k := range keys {
		sums, unit, mixed := sumPractices(grouped[k])
		rep := BenchmarkReport{Period: p, Currency: s.currency, Category: k, MinPractices: s.minPractices}
		if !mixed {
			rep.BaseUnit = unit
		}
		rep.Cooperative = s.figures("", coop[k])
		s.position(&rep, sums, a.MemberID, own, !mixed)
		out = append(out, rep)
	}
	return out, nil
}

// byKey groups rows by key, the keys sorted.
func byKey(rows []benchRow) ([]string, map[string][]benchRow) {
	m := map[string][]benchRow{}
	var keys []string
	for _, r := range rows {
		if _, ok := m[r.Key]; !ok {
			keys = append(keys, r.Key)
		}
		m[r.Key] = append(m[r.Key], r)
	}
	slices.Sort(keys)
	return keys, m
}

// DataPackage is a cluster's figures for its meeting: one column per
// practice of the cluster that bought anything in the period, the
// downloading practice's labelled You, the others anonymous letters in an
// order drawn afresh for each package.
type DataPackage struct {
	Cluster      string
	Period       Period
	Currency     string
	MinPractices int
	Columns      []PackageColumn
	Rows         []PackageRow
	// Note says why there are no columns (too few practices bought).
	Note string
}

// PackageColumn is one practice, anonymous unless it is the reader's own.
type PackageColumn struct {
	Label string // "A", "B", ... ; "" for the reader's own column
	You   bool
}

// PackageRow is one category: every column's figures (when the row's
// cluster figures may be shown), the cluster's and the cooperative's.
type PackageRow struct {
	Category    string
	BaseUnit    string // "" when the products are in several units
	Cells       []PackageCell
	Cluster     GroupFigures
	Cooperative GroupFigures
}

// PackageCell is one practice's figures in one category; Bought is false
// when it bought nothing of it (or the row is suppressed).
type PackageCell struct {
	Bought bool
	PracticeFigures
}

// DataPackage builds cluster's package for period. A practice gets its own
// cluster's only (another: ENOTFOUND); staff and board any; a supplier
// none (ENOTFOUND). Errors: EUNAUTHORIZED, EINVALID, ENOTFOUND.
func (s *BenchmarkService) DataPackage(ctx context.Context, cluster, period string) (*DataPackage, error) {
	if ActorFrom(ctx).Role == RoleSupplier {
		// A cluster is a tenant's object a supplier has none of: the same
		// answer as for a cluster that does not exist.
		return nil, NotFound("cluster")
	}
	a, err := require(ctx, RoleAdmin, RoleBoard, RoleMember)
	if err != nil {
		return nil, err
	}
	p, err := s.period(period)
	if err != nil {
		return nil, err
	}
	if a.Role == RoleMember {
		var m Member
		if err := s.db.WithContext(ctx).Select("id", "quality_cluster").First(&m, a.MemberID).Error; err != nil {
			return nil, err
		}
		if m.QualityCluster == nil || *m.QualityCluster != cluster {
			return nil, NotFound("cluster")
		}
	} else if err := s.clusterExists(ctx, cluster); err != nil {
		return nil, err
	}
	rows, err := s.loadOf(ctx, "category", p, "", "m.quality_cluster = @of", cluster)
	if err != nil {
		return nil, err
	}
	coop, err := s.summaries(ctx, "category", p)
	if err != nil {
		return nil, err
	}
	pkg := &DataPackage{Cluster: cluster, Period: p, Currency: s.currency, MinPractices: s.minPractices}
	// The cluster's practices that bought anything: the columns.
	var members []int64
	for _, r := range rows {
		if r.Cluster == cluster {
			members = append(members, r.MemberID)
		}
	}
	slices.Sort(members)
	members = slices.Compact(members)
	if len(members) < s.minPractices {
		pkg.Note = fmt.Sprintf("fewer than %d of the cluster's practices bought anything in the period", s.minPractices)
		return pkg, nil
	}
	rand.Shuffle(len(members), func(i, j int) { members[i], members[j] = members[j], members[i] })
	if a.Role == RoleMember {
		if i := slices.Index(members, a.MemberID); i > 0 {
			// The reader's own column first, the others in their drawn order.
			members = append(append([]int64{a.MemberID}, members[:i]...), members[i+1:]...)
		}
	}
	col := map[int64]int{}
	letter := 0
	for i, m := range members {
		col[m] = i
		if a.Role == RoleMember && m == a.MemberID {
			pkg.Columns = append(pkg.Columns, PackageColumn{You: true})
			continue
		}
		pkg.Columns = append(pkg.Columns, PackageColumn{Label: columnLetter(letter)})
		letter++
	}
	keys, grouped := byKey(rows)
	for _, k := range keys {
		sums, unit, mixed := sumPractices(grouped[k])
		mine := inCluster(sums, cluster)
		if len(mine) == 0 {
			continue
		}
		row := PackageRow{Category: k, Cells: make([]PackageCell, len(members)),
			Cluster: s.group(cluster, mine, !mixed), Cooperative: s.figures("", coop[k])}
		if !mixed {
			row.BaseUnit = unit
		}
		if row.Cluster.Shown() {
			for _, ps := range mine {
				row.Cells[col[ps.member]] = PackageCell{Bought: true, PracticeFigures: ownFigures(ps, !mixed)}
			}
		}
		pkg.Rows = append(pkg.Rows, row)
	}
	return pkg, nil
}

// columnLetter is A..Z, then AA, AB, ...
func columnLetter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// Clusters lists the quality clusters that have practices (for the
// board's pages). Staff and board only.
func (s *BenchmarkService) Clusters(ctx context.Context) ([]string, error) {
	if _, err := require(ctx, RoleAdmin, RoleBoard); err != nil {
		return nil, err
	}
	var names []string
	err := s.db.WithContext(ctx).Raw(`SELECT DISTINCT quality_cluster FROM members
		WHERE quality_cluster IS NOT NULL AND quality_cluster <> '' ORDER BY 1`).Scan(&names).Error
	return names, err
}

// Categories lists the product categories (for choosing one).
func (s *BenchmarkService) Categories(ctx context.Context) ([]string, error) {
	if _, err := require(ctx, RoleAdmin, RoleBoard, RoleMember); err != nil {
		return nil, err
	}
	var names []string
	err := s.db.WithContext(ctx).Raw(`SELECT DISTINCT category FROM products WHERE category <> '' ORDER BY 1`).Scan(&names).Error
	return names, err
}

// summaries reads the cooperative's figures of dim in period per key, as
// the rollup summarised them (benchmark_summary).
func (s *BenchmarkService) summaries(ctx context.Context, dim string, p Period) (map[string]groupSummary, error) {
	res, err := s.db.WithContext(ctx).Raw(`SELECT key, practices, priced, spend, baseline_spend, on_contract_spend, top_spend,
			q1, median, q3
		FROM benchmark_summary WHERE dim = ? AND grain = ? AND period = ? AND currency = ?`,
		dim, p.Grain, p.Start.Format(time.DateOnly), s.currency).Rows()
	if err != nil {
		return nil, err
	}
	defer res.Close()
	out := map[string]groupSummary{}
	for res.Next() {
		var key string
		var g groupSummary
		var q1, med, q3 decimal.NullDecimal
		if err := res.Scan(&key, &g.Practices, &g.Priced, &g.Spend, &g.BaselineSpend, &g.OnContractSpend, &g.Top, &q1, &med, &q3); err != nil {
			return nil, err
		}
		if med.Valid {
			g.HasQuartiles, g.Q1, g.Median, g.Q3 = true, q1.Decimal, med.Decimal, q3.Decimal
		}
		out[key] = g
	}
	return out, res.Err()
}
