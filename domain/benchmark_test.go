package domain_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"andel/domain"
	"andel/internal/pgtest"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// smallCoop is a cooperative of 11 practices: cluster Nord (N1..N6),
// cluster Syd (S1..S4, too few to show) and X in no cluster, with orders
// whose figures are worked out by hand in the tests.
type smallCoop struct {
	db       *gorm.DB
	svc      *domain.Services
	members  map[string]int64
	products map[string]int64
	supplier int64
}

func newSmallCoop(t *testing.T) *smallCoop {
	t.Helper()
	db := pgtest.DB(t)
	c := &smallCoop{db: db, svc: domain.NewServices(db, domain.Options{}), members: map[string]int64{}, products: map[string]int64{}}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	cvr := 60000000
	for _, m := range []struct{ name, cluster string }{{"N1", "Nord"}, {"N2", "Nord"}, {"N3", "Nord"}, {"N4", "Nord"},
		{"N5", "Nord"}, {"N6", "Nord"}, {"S1", "Syd"}, {"S2", "Syd"}, {"S3", "Syd"}, {"S4", "Syd"}, {"X", ""}} {
		for !domain.ValidCVR(strconv.Itoa(cvr)) {
			cvr++
		}
		var cluster any
		if m.cluster != "" {
			cluster = m.cluster
		}
		var id int64
		must(db.Raw("INSERT INTO members (name, cvr, quality_cluster) VALUES (?, ?, ?) RETURNING id", m.name, strconv.Itoa(cvr), cluster).Scan(&id).Error)
		c.members[m.name] = id
		cvr++
	}
	for _, p := range []struct{ name, category, unit string }{{"P1", "handsker", "EA"}, {"P2", "handsker", "EA"},
		{"P4", "blandet", "EA"}, {"P5", "blandet", "MLT"}} {
		var id int64
		must(db.Raw("INSERT INTO products (name, category, base_unit) VALUES (?, ?, ?) RETURNING id", p.name, p.category, p.unit).Scan(&id).Error)
		c.products[p.name] = id
	}
	must(db.Raw("INSERT INTO suppliers (name, vat_id) VALUES ('Leverandør', 'DK1') RETURNING id").Scan(&c.supplier).Error)
	return c
}

// buy stores one order of one line: qty base units of product at price
// per unit against baseline per unit, and queues it for the rollup.
func (c *smallCoop) buy(t *testing.T, member, product, day string, qty int64, price, baseline string, on bool, status string) {
	t.Helper()
	p, b := decimal.RequireFromString(price), decimal.RequireFromString(baseline)
	q := decimal.NewFromInt(qty)
	net, base := p.Mul(q).Round(2), b.Mul(q).Round(2)
	var cat, unit string
	row := c.db.Raw("SELECT category, base_unit FROM products WHERE id = ?", c.products[product]).Row()
	if err := row.Scan(&cat, &unit); err != nil {
		t.Fatal(err)
	}
	var order int64
	if err := c.db.Raw(`INSERT INTO orders (member_id, supplier_id, status, currency, placed_on, net_total, vat_total, gross_total,
			baseline_total, savings_total) VALUES (?, ?, ?, 'DKK', ?, ?, 0, ?, ?, ?) RETURNING id`,
		c.members[member], c.supplier, status, day, net, net, base, base.Sub(net)).Scan(&order).Error; err != nil {
		t.Fatal(err)
	}
	if err := c.db.Exec(`INSERT INTO order_lines (order_id, member_id, supplier_id, line_no, product_id, category, on_contract,
			pack_unit, pack_content, base_unit, quantity, base_quantity, pack_price, unit_price, baseline_unit_price, baseline_method,
			vat_rate, currency, net_total, vat_total, gross_total, baseline_total, savings)
		VALUES (?, ?, ?, 1, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, 'median_list_price', 0.25, 'DKK', ?, 0, ?, ?, ?)`,
		order, c.members[member], c.supplier, c.products[product], cat, on, unit, unit, qty, q, p, p, b, net, net, base, base.Sub(net)).Error; err != nil {
		t.Fatal(err)
	}
	if err := c.db.Exec("INSERT INTO savings_changes (order_id) VALUES (?)", order).Error; err != nil {
		t.Fatal(err)
	}
}

func (c *smallCoop) rollup(t *testing.T) {
	t.Helper()
	if _, err := c.svc.Savings.Rollup(domain.WithActor(context.Background(), domain.SystemActor("test"))); err != nil {
		t.Fatal(err)
	}
}

func (c *smallCoop) as(member string) context.Context {
	return domain.WithActor(context.Background(), domain.Actor{UserID: 1, Role: domain.RoleMember, MemberID: c.members[member], Label: member})
}

// fill stores the orders of the hand-computed examples.
//
// May 2026, product P1 (handsker, EA), baseline 0.60 per glove:
//
//	N1 100 @ 0.40 = 40.00 on    N4 100 @ 0.47 = 47.00 off   S1..S4 100 @ 0.50 each
//	N2 100 @ 0.42 = 42.00 on    N5 100 @ 0.50 = 50.00 off   X 100 @ 0.44
//	N3 200 @ 0.45 = 90.00 on    N6 100 @ 0.61 = 61.00 off
//
// July 2026, P1: N1 50 @ 0.40 = 20.00, N2 50 @ 0.44 = 22.00 (two practices).
// June 2026, P2: N1 2000 @ 0.50 = 1000.00, N2..N5 20 @ 0.50 = 10.00 each
// (one practice more than half of the spend).
// May 2026, blandet: N1..N5 P4 10 EA @ 1.00, N6 P5 10 MLT @ 1.00 (mixed units).
// A cancelled order of N6 (P1, May) counts nowhere.
func (c *smallCoop) fill(t *testing.T) {
	for _, b := range []struct {
		m     string
		qty   int64
		price string
		on    bool
	}{{"N1", 100, "0.40", true}, {"N2", 100, "0.42", true}, {"N3", 200, "0.45", true}, {"N4", 100, "0.47", false},
		{"N5", 100, "0.50", false}, {"N6", 100, "0.61", false}, {"S1", 100, "0.50", true}, {"S2", 100, "0.50", true},
		{"S3", 100, "0.50", true}, {"S4", 100, "0.50", true}, {"X", 100, "0.44", true}} {
		c.buy(t, b.m, "P1", "2026-05-1"+strconv.Itoa(len(b.m)), b.qty, b.price, "0.60", b.on, "delivered")
	}
	c.buy(t, "N6", "P1", "2026-05-20", 10000, "0.01", "0.60", true, "cancelled")
	c.buy(t, "N1", "P1", "2026-07-02", 50, "0.40", "0.60", true, "placed")
	c.buy(t, "N2", "P1", "2026-07-03", 50, "0.44", "0.60", true, "placed")
	c.buy(t, "N1", "P2", "2026-06-05", 2000, "0.50", "0.55", true, "delivered")
	for _, m := range []string{"N2", "N3", "N4", "N5"} {
		c.buy(t, m, "P2", "2026-06-06", 20, "0.50", "0.55", true, "delivered")
	}
	for _, m := range []string{"N1", "N2", "N3", "N4", "N5"} {
		c.buy(t, m, "P4", "2026-05-07", 10, "1.00", "1.00", true, "delivered")
	}
	c.buy(t, "N6", "P5", "2026-05-07", 10, "1.00", "1.00", true, "delivered")
	c.rollup(t)
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func eq(t *testing.T, what string, got decimal.Decimal, want string) {
	t.Helper()
	if !got.Equal(dec(want)) {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}

// TestBenchmarkFiguresByHand checks medians, quartiles, rates, bands and
// every suppression rule against the figures worked out in fill.
func TestBenchmarkFiguresByHand(t *testing.T) {
	t.Parallel()
	c := newSmallCoop(t)
	c.fill(t)
	bm := c.svc.Benchmarks
	p1 := c.products["P1"]

	rep, err := bm.Benchmarks(c.as("N1"), domain.BenchmarkQuery{Period: "2026-05", ProductID: p1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.BaseUnit != "EA" || rep.ProductName != "P1" || rep.Category != "handsker" || rep.Own == nil || rep.Cluster == nil {
		t.Fatalf("report %+v", rep)
	}
	// Own: 40.00 / 100 = 0.40; savings (60 - 40) / 60 = 33.33 %; all on contract.
	eq(t, "own price", rep.Own.UnitPrice, "0.40")
	eq(t, "own savings rate", rep.Own.SavingsRate, "33.33")
	eq(t, "own on-contract share", rep.Own.OnContractShare, "100")
	// Nord: 0.40 0.42 0.45 0.47 0.50 0.61 (type 7): Q1 0.42 + 0.25 x 0.03,
	// median (0.45 + 0.47) / 2, Q3 0.47 + 0.75 x 0.03. Spend 330.00 of a
	// baseline 420.00: savings 90 / 420 = 21.43 %; on contract 172 / 330.
	cl := rep.Cluster
	if !cl.Shown() || cl.Practices != 6 || !cl.HasUnitPrice || cl.Name != "Nord" {
		t.Fatalf("cluster %+v", cl)
	}
	eq(t, "cluster Q1", cl.Q1, "0.4275")
	eq(t, "cluster median", cl.Median, "0.46")
	eq(t, "cluster Q3", cl.Q3, "0.4925")
	eq(t, "cluster savings rate", cl.SavingsRate, "21.43")
	eq(t, "cluster on-contract share", cl.OnContractShare, "52.12")
	// Cooperative, 11 practices: 0.40 0.42 0.44 0.45 0.47 0.50 x5 0.61:
	// median = 6th = 0.50; Q1 at 2.5 = (0.44 + 0.45) / 2; Q3 at 7.5 = 0.50.
	co := rep.Cooperative
	if !co.Shown() || co.Practices != 11 {
		t.Fatalf("cooperative %+v", co)
	}
	eq(t, "cooperative median", co.Median, "0.50")
	eq(t, "cooperative Q1", co.Q1, "0.445")
	eq(t, "cooperative Q3", co.Q3, "0.50")
	if rep.Band != domain.BandTopQuarter {
		t.Errorf("N1 band %q", rep.Band)
	}
	for m, want := range map[string]string{"N2": domain.BandTopQuarter, "N3": domain.BandMiddleHalf,
		"N4": domain.BandMiddleHalf, "N5": domain.BandBottomQuarter, "N6": domain.BandBottomQuarter} {
		r, err := bm.Benchmarks(c.as(m), domain.BenchmarkQuery{Period: "2026-05", ProductID: p1})
		if err != nil || r.Band != want {
			t.Errorf("%s band %q (%v), want %s", m, r.Band, err, want)
		}
	}

	// The year: N1 150 for 60.00 = 0.40, N2 150 for 64.00 = 0.426667;
	// Q1 = 0.426667 + 0.25 x (0.45 - 0.426667) = 0.43250025 -> 0.432500.
	rep, err = bm.Benchmarks(c.as("N2"), domain.BenchmarkQuery{Period: "2026", ProductID: p1})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "N2 year price", rep.Own.UnitPrice, "0.426667")
	eq(t, "year Q1", rep.Cluster.Q1, "0.4325")
	eq(t, "year median", rep.Cluster.Median, "0.46")
	// The quarter Q2 is May's P1 (and June's P2, another product).
	rep, _ = bm.Benchmarks(c.as("N2"), domain.BenchmarkQuery{Period: "2026-Q2", ProductID: p1})
	eq(t, "Q2 median", rep.Cluster.Median, "0.46")

	// Syd has 4 practices: suppressed, and S1 gets no band.
	rep, err = bm.Benchmarks(c.as("S1"), domain.BenchmarkQuery{Period: "2026-05", ProductID: p1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Cluster.Suppressed != domain.SuppressedTooFew || !rep.Cluster.Median.IsZero() || rep.Band != "" || rep.BandNote == "" ||
		!strings.Contains(rep.Cluster.Note, "fewer than 5") {
		t.Errorf("Syd not suppressed: %+v band %q", rep.Cluster, rep.Band)
	}
	eq(t, "S1 own price", rep.Own.UnitPrice, "0.50")
	// X belongs to no cluster.
	rep, _ = bm.Benchmarks(c.as("X"), domain.BenchmarkQuery{Period: "2026-05", ProductID: p1})
	if rep.Cluster.Suppressed != domain.SuppressedNoGroup || rep.Band != "" || !rep.Cooperative.Shown() {
		t.Errorf("X: %+v", rep)
	}

	// June, P2: five practices, but N1 spent 1000.00 of 1040.00.
	rep, _ = bm.Benchmarks(c.as("N2"), domain.BenchmarkQuery{Period: "2026-06", ProductID: c.products["P2"]})
	if rep.Cluster.Suppressed != domain.SuppressedDominant || rep.Cooperative.Suppressed != domain.SuppressedDominant ||
		!rep.Cluster.SavingsRate.IsZero() || rep.Band != "" {
		t.Errorf("dominance not applied: cluster %+v cooperative %+v", rep.Cluster, rep.Cooperative)
	}
	// Mixed units in blandet (May): no price per unit, the rates shown:
	// 60.00 spent of a 60.00 baseline, all on contract.
	rep, _ = bm.Benchmarks(c.as("N1"), domain.BenchmarkQuery{Period: "2026-05", Category: "blandet"})
	if rep.BaseUnit != "" || rep.Cluster.HasUnitPrice || !rep.Cluster.Shown() || rep.Own.HasUnitPrice || rep.Band != "" {
		t.Errorf("mixed units: %+v %+v", rep, rep.Cluster)
	}
	eq(t, "blandet on contract", rep.Cluster.OnContractShare, "100")
	eq(t, "blandet savings", rep.Cluster.SavingsRate, "0")

	// The board: per cluster, Syd suppressed, Nord shown; one cluster by name.
	board := domain.WithActor(context.Background(), domain.Actor{UserID: 2, Role: domain.RoleBoard, Label: "board"})
	rep, err = bm.Benchmarks(board, domain.BenchmarkQuery{Period: "2026-05", ProductID: p1})
	if err != nil || len(rep.Clusters) != 2 || rep.Own != nil {
		t.Fatalf("board: %+v %v", rep, err)
	}
	if rep.Clusters[0].Name != "Nord" || !rep.Clusters[0].Median.Equal(dec("0.46")) || rep.Clusters[1].Name != "Syd" || rep.Clusters[1].Shown() {
		t.Errorf("board clusters %+v", rep.Clusters)
	}
	rep, _ = bm.Benchmarks(board, domain.BenchmarkQuery{Period: "2026-05", ProductID: p1, Cluster: "Syd"})
	if len(rep.Clusters) != 1 || rep.Clusters[0].Shown() {
		t.Errorf("board Syd %+v", rep.Clusters)
	}
	if _, err := bm.Benchmarks(board, domain.BenchmarkQuery{Period: "2026-05", Cluster: "Vest"}); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("unknown cluster: %v", err)
	}

	// Bad input, every problem listed.
	_, err = bm.Benchmarks(c.as("N1"), domain.BenchmarkQuery{Period: "2026-13", Category: "handsker", ProductID: p1})
	var de *domain.Error
	if domain.ErrorCode(err) != domain.EINVALID || !asErr(err, &de) || len(de.Fields) != 2 {
		t.Errorf("bad query: %v", err)
	}
	if _, err := bm.Benchmarks(c.as("N1"), domain.BenchmarkQuery{Period: "2026", ProductID: 999999}); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("missing product: %v", err)
	}
	if _, err := bm.Benchmarks(c.as("N1"), domain.BenchmarkQuery{Period: "2026", Category: "nothing"}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("unknown category: %v", err)
	}
	if _, err := bm.Benchmarks(c.as("N1"), domain.BenchmarkQuery{Period: "2026", Cluster: "Syd"}); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("a member asking for another cluster: %v", err)
	}
	supplier := domain.WithActor(context.Background(), domain.Actor{Role: domain.RoleSupplier, SupplierID: c.supplier})
	if _, err := bm.Benchmarks(supplier, domain.BenchmarkQuery{}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("supplier: %v", err)
	}

	// The Compare page's positions: handsker and blandet in 2026-05.
	pos, err := bm.CategoryPositions(c.as("N3"), "2026-05")
	if err != nil || len(pos) != 2 || pos[0].Category != "blandet" || pos[1].Category != "handsker" {
		t.Fatalf("positions %+v %v", pos, err)
	}
	eq(t, "N3 handsker", pos[1].Own.UnitPrice, "0.45")
	eq(t, "Nord handsker median", pos[1].Cluster.Median, "0.46")
	// The cooperative's figures come from the rollup's summary: the same
	// as computed from every practice's rows.
	for _, p := range pos {
		direct, err := bm.Benchmarks(board, domain.BenchmarkQuery{Period: "2026-05", Category: p.Category})
		if err != nil || !sameFigures(direct.Cooperative, p.Cooperative) {
			t.Errorf("%s: cooperative from the summary %+v, from the rows %+v (%v)", p.Category, p.Cooperative, direct.Cooperative, err)
		}
	}
}

func sameFigures(a, b domain.GroupFigures) bool {
	return a.Name == b.Name && a.Suppressed == b.Suppressed && a.Practices == b.Practices && a.HasUnitPrice == b.HasUnitPrice &&
		a.Q1.Equal(b.Q1) && a.Median.Equal(b.Median) && a.Q3.Equal(b.Q3) && a.SavingsRate.Equal(b.SavingsRate) &&
		a.OnContractShare.Equal(b.OnContractShare)
}

func asErr(err error, target **domain.Error) bool {
	e, ok := err.(*domain.Error)
	*target = e
	return ok
}

// TestBenchmarkSingleOutFails: N1 tries to learn N2's price by narrowing
// the period, the category and the product until only the two of them
// remain; every figure about others it is shown, for every period of the
// year and every selection, rests on at least 5 practices of which none
// has more than half the spend (checked against the order lines), and
// the narrowest selections are suppressed.
func TestBenchmarkSingleOutFails(t *testing.T) {
	t.Parallel()
	c := newSmallCoop(t)
	c.fill(t)
	bm := c.svc.Benchmarks
	n1 := c.as("N1")
	// July: only N1 and N2 bought P1; the quarter and the category the same.
	for _, q := range []domain.BenchmarkQuery{{Period: "2026-07", ProductID: c.products["P1"]}, {Period: "2026-Q3", Category: "handsker"},
		{Period: "2026-07"}, {Period: "2026-Q3"}} {
		rep, err := bm.Benchmarks(n1, q)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Cluster.Shown() || rep.Cooperative.Shown() || rep.Band != "" || !rep.Cluster.Median.IsZero() {
			t.Errorf("%+v singles out N2: cluster %+v cooperative %+v band %q", q, rep.Cluster, rep.Cooperative, rep.Band)
		}
	}
	pkg, err := bm.DataPackage(n1, "Nord", "2026-07")
	if err != nil {
		t.Fatal(err)
	}
	if len(pkg.Columns) != 0 || len(pkg.Rows) != 0 || pkg.Note == "" {
		t.Errorf("July's package shows %d columns, %d rows", len(pkg.Columns), len(pkg.Rows))
	}
	// Every selection of every period: what is shown rests on enough practices.
	periods := []string{"2026", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"}
	for m := 1; m <= 12; m++ {
		periods = append(periods, fmt.Sprintf("2026-%02d", m))
	}
	var queries []domain.BenchmarkQuery
	for _, p := range periods {
		queries = append(queries, domain.BenchmarkQuery{Period: p}, domain.BenchmarkQuery{Period: p, Category: "handsker"},
			domain.BenchmarkQuery{Period: p, Category: "blandet"})
		for _, id := range c.products {
			queries = append(queries, domain.BenchmarkQuery{Period: p, ProductID: id})
		}
	}
	shown := 0
	for _, q := range queries {
		rep, err := bm.Benchmarks(n1, q)
		if err != nil {
			t.Fatal(err)
		}
		period, _ := domain.ParsePeriod(q.Period)
		check := func(who string, g domain.GroupFigures, cluster string) {
			if !g.Shown() {
				return
			}
			shown++
			where := "o.placed_on BETWEEN ? AND ? AND o.status NOT IN ('cancelled', 'rejected')"
			args := []any{period.Start, period.End()}
			if q.ProductID != 0 {
				where += " AND l.product_id = ?"
				args = append(args, q.ProductID)
			} else if q.Category != "" {
				where += " AND l.category = ?"
				args = append(args, q.Category)
			}
			if cluster != "" {
				where += " AND m.quality_cluster = ?"
				args = append(args, cluster)
			}
			var spends []decimal.Decimal
			c.db.Raw(`SELECT sum(l.net_total) FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN members m ON m.id = o.member_id
				WHERE `+where+` GROUP BY o.member_id`, args...).Scan(&spends)
			total := decimal.Zero
			for _, s := range spends {
				total = total.Add(s)
			}
			if len(spends) == 0 {
				t.Errorf("%+v: %s shown over nothing", q, who)
				return
			}
			top := slices.MaxFunc(spends, func(a, b decimal.Decimal) int { return a.Cmp(b) })
			if len(spends) < 5 || top.Mul(decimal.NewFromInt(2)).GreaterThan(total) || g.Practices != len(spends) {
				t.Errorf("%+v: %s shown over %d practices (reported %d), top %s of %s", q, who, len(spends), g.Practices, top, total)
			}
		}
		check("cluster", *rep.Cluster, "Nord")
		check("cooperative", rep.Cooperative, "")
	}
	if shown == 0 {
		t.Error("nothing shown at all")
	}
}

// TestClusterDataPackage: one column per practice, the reader's "you" and
// the others as letters in an order drawn per package; the cluster's own
// only for a member.
func TestClusterDataPackage(t *testing.T) {
	t.Parallel()
	c := newSmallCoop(t)
	c.fill(t)
	bm := c.svc.Benchmarks
	orders := map[string]bool{}
	for range 12 {
		pkg, err := bm.DataPackage(c.as("N3"), "Nord", "2026-05")
		if err != nil {
			t.Fatal(err)
		}
		if len(pkg.Columns) != 6 || !pkg.Columns[0].You || pkg.Columns[1].Label != "A" || pkg.Columns[5].Label != "E" {
			t.Fatalf("columns %+v", pkg.Columns)
		}
		if len(pkg.Rows) != 2 || pkg.Rows[1].Category != "handsker" || pkg.Rows[1].BaseUnit != "EA" || pkg.Rows[0].BaseUnit != "" {
			t.Fatalf("rows %+v", pkg.Rows)
		}
		h := pkg.Rows[1]
		eq(t, "you", h.Cells[0].UnitPrice, "0.45")
		eq(t, "cluster median", h.Cluster.Median, "0.46")
		eq(t, "cooperative median", h.Cooperative.Median, "0.50")
		var others []string
		for _, cell := range h.Cells[1:] {
			others = append(others, cell.UnitPrice.String())
		}
		orders[strings.Join(others, " ")] = true
		slices.Sort(others)
		if strings.Join(others, " ") != "0.4 0.42 0.47 0.5 0.61" {
			t.Errorf("others %v", others)
		}
	}
	if len(orders) < 2 {
		t.Error("the letters' order is the same in 12 packages")
	}
	if _, err := bm.DataPackage(c.as("S1"), "Nord", "2026-05"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("Syd's practice reads Nord's package: %v", err)
	}
	if _, err := bm.DataPackage(c.as("X"), "Nord", "2026-05"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("a practice in no cluster reads Nord's package: %v", err)
	}
	pkg, err := bm.DataPackage(c.as("S1"), "Syd", "2026-05")
	if err != nil || len(pkg.Columns) != 0 || pkg.Note == "" {
		t.Errorf("Syd's package of 4 practices: %+v %v", pkg, err)
	}
	board := domain.WithActor(context.Background(), domain.Actor{UserID: 2, Role: domain.RoleBoard, Label: "board"})
	pkg, err = bm.DataPackage(board, "Nord", "2026-05")
	if err != nil || len(pkg.Columns) != 6 || pkg.Columns[0].You || pkg.Columns[5].Label != "F" {
		t.Errorf("board's package %+v %v", pkg, err)
	}
	if _, err := bm.DataPackage(board, "Vest", "2026-05"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("unknown cluster: %v", err)
	}
}

// TestBenchmarkRollupFollowsChangesAndNoLineScan: the rollup equals a
// rebuild after a cancellation, and the benchmark query plans read
// benchmark_rollup by its key, never order_lines.
func TestBenchmarkRollupFollowsChangesAndNoLineScan(t *testing.T) {
	t.Parallel()
	c := newSmallCoop(t)
	c.fill(t)
	// N6 cancels its May order of P1: Nord has 5 left.
	c.db.Exec(`UPDATE orders SET status = 'cancelled' WHERE member_id = ? AND placed_on = '2026-05-12'`, c.members["N6"])
	c.db.Exec(`INSERT INTO savings_changes (order_id) SELECT id FROM orders WHERE member_id = ?`, c.members["N6"])
	c.rollup(t)
	rep, err := c.svc.Benchmarks.Benchmarks(c.as("N1"), domain.BenchmarkQuery{Period: "2026", ProductID: c.products["P1"]})
	if err != nil || rep.Cluster.Practices != 5 {
		t.Fatalf("after the cancellation: %+v %v", rep.Cluster, err)
	}
	// 0.40 0.426667 0.45 0.47 0.50: median 0.45.
	eq(t, "median", rep.Cluster.Median, "0.45")
	c.db.Exec("CREATE TABLE bench_kept AS SELECT * FROM benchmark_rollup")
	c.db.Exec("CREATE TABLE summary_kept AS SELECT * FROM benchmark_summary")
	c.db.Exec("DELETE FROM benchmark_rollup")
	c.db.Exec("DELETE FROM benchmark_summary")
	c.db.Exec("INSERT INTO savings_changes (order_id) SELECT id FROM orders")
	c.rollup(t)
	var differ int64
	c.db.Raw(`SELECT count(*) FROM ((SELECT * FROM benchmark_rollup EXCEPT SELECT * FROM bench_kept)
		UNION ALL (SELECT * FROM bench_kept EXCEPT SELECT * FROM benchmark_rollup)) d`).Scan(&differ)
	if differ != 0 {
		t.Errorf("%d benchmark rows differ from a rebuild", differ)
	}
	var summaries int64
	c.db.Raw(`SELECT count(*) FROM ((SELECT * FROM benchmark_summary EXCEPT SELECT * FROM summary_kept)
		UNION ALL (SELECT * FROM summary_kept EXCEPT SELECT * FROM benchmark_summary)) d`).Scan(&differ)
	c.db.Raw("SELECT count(*) FROM benchmark_summary WHERE grain = 'year'").Scan(&summaries)
	if differ != 0 || summaries != 3 { // handsker, blandet, total
		t.Errorf("%d summary rows differ from a rebuild; %d year summaries", differ, summaries)
	}
	for _, key := range []string{"", strconv.FormatInt(c.products["P1"], 10)} {
		plan := domain.PlanOfBenchmarkRows(c.db, "product", "year", "2026-01-01", "DKK", key)
		if strings.Contains(plan, "order_lines") || !strings.Contains(plan, "benchmark_rollup") {
			t.Errorf("plan reads the order lines:\n%s", plan)
		}
	}
}
