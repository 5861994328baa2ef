package demo

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"andel/domain"
	"andel/internal/pgload"
	"andel/pricing"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

// GenerateOptions size a generated cooperative year (for benchmarks).
type GenerateOptions struct {
	Practices, Suppliers, Products int
	Lines                          int64 // order lines, about 5 per order
	Year                           int
	// Day, when set, places every order on that day instead of across Year.
	Day time.Time
	// More orders for the practices, suppliers and products an earlier
	// run made (the latest of each), instead of new ones: a year's next
	// batch of orders.
	More bool
	Seed uint64
	// Clusters is how many quality clusters the new practices are spread
	// over (Danish practices meet in about 115 clusters). Zero: one per
	// 14 practices, rounded up (1,600 practices: 115 clusters).
	Clusters int
	// Progress, when set, is called after each batch with the lines so far.
	Progress func(lines int64)
}

// GenerateReport counts what GenerateYear stored.
type GenerateReport struct {
	Members, Suppliers, Products int
	Orders, Lines                int64
}

var generatedCategories = []string{"handsker", "sprøjter", "kanyler", "forbinding", "diagnostik", "desinfektion",
	"papir", "instrumenter", "vacciner-tilbehør", "prøvetagning", "beskyttelse", "kontor"}

// genPrice is one product's generated prices per box of 100 EA.
type genPrice struct {
	list, contract pricing.Price // per pack
	listUnit       pricing.Price // per EA: also the baseline
	contractUnit   pricing.Price
}

type genKey struct {
	product int
	qty     int64
	on      bool
	level   int // off-contract price level (offLevels)
}

// offLevels are the prices practices pay off contract, as a multiple of
// the list price: each practice has its own (its local dealer, no
// negotiated price), so prices paid spread across practices.
var offLevels = []decimal.Decimal{decimal.RequireFromString("1.00"), decimal.RequireFromString("1.05"),
	decimal.RequireFromString("1.10"), decimal.RequireFromString("1.15"), decimal.RequireFromString("1.20"),
	decimal.RequireFromString("1.25"), decimal.RequireFromString("1.30")}

// genPractice is how one generated practice buys: from a few preferred
// suppliers, a small assortment of each one's products (what a practice
// reorders month after month), on contract with its own probability,
// off contract at its own price level.
type genPractice struct {
	suppliers     []int
	products      map[int][]int // supplier index -> product indexes
	onContractPct int
	offLevel      int
}

// practiceProfiles draws each practice's buying habits.
func practiceProfiles(rng *rand.Rand, practices int, bySupplier [][]int) []genPractice {
	const preferredSuppliers, assortment = 5, 10
	out := make([]genPractice, practices)
	for i := range out {
		g := genPractice{products: map[int][]int{}, onContractPct: 50 + rng.IntN(49), offLevel: rng.IntN(len(offLevels))}
		for _, si := range rng.Perm(len(bySupplier))[:min(preferredSuppliers, len(bySupplier))] {
			g.suppliers = append(g.suppliers, si)
			ps := bySupplier[si]
			for _, k := range rng.Perm(len(ps))[:min(assortment, len(ps))] {
				g.products[si] = append(g.products[si], ps[k])
			}
		}
		out[i] = g
	}
	return out
}

// genLine is a priced line (shared by every line of the same key).
type genLine struct {
	packPrice, unitPrice, baseline                  decimal.Decimal
	net, vat, gross, baselineTotal, savings, rebate decimal.Decimal
	netM                                            pricing.Money
	// contractUnit (nil on contract) and missed: an off-contract line's
	// contract price of the day and its savings missed, as Place records
	// them (pricing.MissedSaving); every generated product has a contract.
	contractUnit any
	missed       decimal.Decimal
}

// GenerateYear fills the database with a synthetic cooperative year:
// practices in quality clusters, suppliers, products and orders with
// priced lines. Each practice buys from a few preferred suppliers, a small
// assortment of their products, on contract with a probability of its own
// (50-98%) and off contract at a price level of its own (the list price up
// to 30% above it), so that prices paid, savings and off-contract buying
// spread across practices as benchmarks need. Every line is priced (every
// amount computed by package pricing, as domain's Place does), loaded by
// COPY in batches of orders, one transaction per batch, and queues every
// order for the savings rollup. For benchmarks on a private database;
// admins only.
func GenerateYear(ctx context.Context, svc *domain.Services, o GenerateOptions) (GenerateReport, error) {
	var rep GenerateReport
	if a := domain.ActorFrom(ctx); a.Role != domain.RoleAdmin {
		return rep, domain.Errorf(domain.EFORBIDDEN, "only admins generate data")
	}
	if o.Practices < 1 || o.Suppliers < 1 || o.Products < o.Suppliers || o.Lines < 1 {
		return rep, domain.Errorf(domain.EINVALID, "practices, suppliers, lines must be positive and products at least suppliers")
	}
	pool, err := svc.DB.DB()
	if err != nil {
		return rep, err
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x616e64656c))
	tag := strconv.FormatInt(time.Now().UnixNano()%1_000_000_000, 36)
	members, suppliers, products, err := generateParties(ctx, pool, o, tag)
	if err != nil {
		return rep, err
	}
	rep.Members, rep.Suppliers, rep.Products = len(members), len(suppliers), len(products)
	prices := make([]genPrice, len(products))
	dkk := pricing.Currency("DKK")
	for i := range products {
		list, _ := pricing.NewPrice(decimal.New(int64(2000+(i*37)%8000), -2), dkk) // 20.00 .. 99.99
		contract, _ := pricing.RoundPrice(list.Amount().Mul(decimal.RequireFromString("0.85")), dkk)
		lu, _ := pricing.RoundPrice(list.Amount().Shift(-2), dkk)
		cu, _ := pricing.RoundPrice(contract.Amount().Shift(-2), dkk)
		prices[i] = genPrice{list: list, contract: contract, listUnit: lu, contractUnit: cu}
	}
	bySupplier := make([][]int, len(suppliers))
	for i := range products {
		bySupplier[i%len(suppliers)] = append(bySupplier[i%len(suppliers)], i)
	}
	vatRate := pricing.DanishVATRate()
	rebateRate := decimal.RequireFromString("0.02")
	hundred := decimal.NewFromInt(100)
	cache := map[genKey]*genLine{}
	price := func(p int, qty int64, on bool, level int) (*genLine, error) {
		if on {
			level = 0
		}
		k := genKey{p, qty, on, level}
		if l, ok := cache[k]; ok {
			return l, nil
		}
		pr := prices[p]
		pack, unit := pr.list, pr.listUnit
		if on {
			pack, unit = pr.contract, pr.contractUnit
		} else if level > 0 {
			var err error
			if pack, err = pricing.RoundPrice(pr.list.Amount().Mul(offLevels[level]), dkk); err != nil {
				return nil, err
			}
			if unit, err = pricing.RoundPrice(pack.Amount().Shift(-2), dkk); err != nil {
				return nil, err
			}
		}
		q := decimal.NewFromInt(qty)
		net, err := pack.Total(q)
		if err != nil {
			return nil, err
		}
		vat, err := pricing.VATFromNet(net, vatRate)
		if err != nil {
			return nil, err
		}
		sv, err := pricing.LineSaving(pr.listUnit, unit, q.Mul(hundred))
		if err != nil {
			return nil, err
		}
		bt, _ := net.Add(sv.Savings)
		rebate := pricing.ZeroMoney(dkk)
		if on {
			rebate, _ = net.MulRound(rebateRate)
		}
		l := &genLine{packPrice: pack.Amount(), unitPrice: unit.Amount(), baseline: pr.listUnit.Amount(), net: net.Amount(),
			vat: vat.VAT.Amount(), gross: vat.Gross.Amount(), baselineTotal: bt.Amount(), savings: sv.Savings.Amount(),
			rebate: rebate.Amount(), netM: net}
		if !on {
			missed, err := pricing.MissedSaving(unit, pr.contractUnit, q.Mul(hundred))
			if err != nil {
				return nil, err
			}
			l.contractUnit, l.missed = pgload.Numeric(pr.contractUnit.Amount()), missed.Amount()
		}
		if level == 0 { // the list and contract prices: shared by every practice
			cache[k] = l
		}
		return l, nil
	}
	profiles := practiceProfiles(rng, len(members), bySupplier)
	start := time.Date(o.Year, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(start.AddDate(1, 0, 0).Sub(start).Hours() / 24)
	const batchOrders = 20000
	for rep.Lines < o.Lines {
		var orderRows, lineRows [][]any
		for len(orderRows) < batchOrders && rep.Lines < o.Lines {
			mi := rng.IntN(len(members))
			prof := profiles[mi]
			si := prof.suppliers[rng.IntN(len(prof.suppliers))]
			n := min(int64(1+rng.IntN(9)), o.Lines-rep.Lines)
			day := start.AddDate(0, 0, rng.IntN(days))
			if !o.Day.IsZero() {
				day = o.Day
			}
			status := domain.OrderDelivered
			switch r := rng.IntN(100); {
			case r < 5:
				status = domain.OrderCancelled
			case r < 7:
				status = domain.OrderRejected
			case r < 10:
				status = domain.OrderPlaced
			case r < 13:
				status = domain.OrderShipped
			}
			member := members[mi]
			var vl []pricing.VATLine
			base, sav := pricing.ZeroMoney(dkk), pricing.ZeroMoney(dkk)
			first := len(lineRows)
			for i := range n {
				p := prof.products[si][rng.IntN(len(prof.products[si]))]
				qty := int64(1 + rng.IntN(20))
				on := rng.IntN(100) < prof.onContractPct
				l, err := price(p, qty, on, prof.offLevel)
				if err != nil {
					return rep, err
				}
				vl = append(vl, pricing.VATLine{Net: l.netM, Rate: &vatRate})
				bm, _ := pricing.NewMoney(l.baselineTotal, dkk)
				sm, _ := pricing.NewMoney(l.savings, dkk)
				base, _ = base.Add(bm)
				sav, _ = sav.Add(sm)
				method, rr, rebate := domain.BaselineMedianListPrice, decimal.Zero, decimal.Zero
				if on {
					rr = rebateRate
					if status == domain.OrderDelivered {
						rebate = l.rebate
					}
				}
				lineRows = append(lineRows, []any{int64(0), member, suppliers[si], int32(i + 1), products[p],
					generatedCategories[p%len(generatedCategories)], on, "GEN-" + strconv.Itoa(p), "BX", pgload.Numeric(hundred), "EA",
					qty, pgload.Numeric(decimal.NewFromInt(qty * 100)), pgload.Numeric(l.packPrice), pgload.Numeric(l.unitPrice), pgload.Numeric(l.baseline),
					method, pgload.Numeric(rr), pgload.Numeric(vatRate), "DKK", pgload.Numeric(l.net), pgload.Numeric(l.vat), pgload.Numeric(l.gross),
					pgload.Numeric(l.baselineTotal), pgload.Numeric(l.savings), pgload.Numeric(rebate), l.contractUnit, pgload.Numeric(l.missed)})
			}
			sum, err := pricing.SummarizeVAT(dkk, vl)
			if err != nil {
				return rep, err
			}
			orderRows = append(orderRows, []any{int64(0), member, suppliers[si], status, "DKK", day, day.Add(10 * time.Hour), "generator",
				pgload.Numeric(sum.Net.Amount()), pgload.Numeric(sum.VAT.Amount()), pgload.Numeric(sum.Gross.Amount()),
				pgload.Numeric(base.Amount()), pgload.Numeric(sav.Amount()), first})
			rep.Lines += n
		}
		err := pgload.InTx(ctx, pool, func(tx pgx.Tx) error {
			var last int64
			if err := tx.QueryRow(ctx, `SELECT setval(pg_get_serial_sequence('orders', 'id'),
				nextval(pg_get_serial_sequence('orders', 'id')) + $1 - 1)`, len(orderRows)).Scan(&last); err != nil {
				return err
			}
			firstID := last - int64(len(orderRows)) + 1
			for i, r := range orderRows {
				id := firstID + int64(i)
				r[0] = id
				end := len(lineRows)
				if i+1 < len(orderRows) {
					end = orderRows[i+1][13].(int)
				}
				for _, l := range lineRows[r[13].(int):end] {
					l[0] = id
				}
			}
			for i := range orderRows {
				orderRows[i] = orderRows[i][:13]
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"orders"}, []string{"id", "member_id", "supplier_id", "status", "currency",
				"placed_on", "placed_at", "placed_by", "net_total", "vat_total", "gross_total", "baseline_total", "savings_total"},
				pgx.CopyFromRows(orderRows)); err != nil {
				return fmt.Errorf("copy orders: %w", err)
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"order_lines"}, []string{"order_id", "member_id", "supplier_id", "line_no",
				"product_id", "category", "on_contract", "sku", "pack_unit", "pack_content", "base_unit", "quantity", "base_quantity",
				"pack_price", "unit_price", "baseline_unit_price", "baseline_method", "rebate_rate", "vat_rate", "currency",
				"net_total", "vat_total", "gross_total", "baseline_total", "savings", "rebate_accrued", "contract_unit_price", "missed_savings"},
				pgx.CopyFromRows(lineRows)); err != nil {
				return fmt.Errorf("copy order lines: %w", err)
			}
			_, err := tx.Exec(ctx, `INSERT INTO savings_changes (order_id) SELECT g FROM generate_series($1::bigint, $2::bigint) g`, firstID, last)
			return err
		})
		if err != nil {
			return rep, err
		}
		rep.Orders += int64(len(orderRows))
		if o.Progress != nil {
			o.Progress(rep.Lines)
		}
	}
	// Fresh statistics after the bulk load.
	if err := svc.DB.WithContext(ctx).Exec("ANALYZE orders, order_lines, savings_changes").Error; err != nil {
		return rep, err
	}
	return rep, nil
}

// generateParties inserts the generated members, suppliers and products.
func generateParties(ctx context.Context, pool *sql.DB, o GenerateOptions, tag string) (members, suppliers, products []int64, err error) {
	err = pgload.InTx(ctx, pool, func(tx pgx.Tx) error {
		ids := func(sql string, args ...any) ([]int64, error) {
			rows, err := tx.Query(ctx, sql, args...)
			if err != nil {
				return nil, err
			}
			return pgx.CollectRows(rows, pgx.RowTo[int64])
		}
		if o.More {
			latest := func(table, generated string, n int) ([]int64, error) {
				got, err := ids(`SELECT id FROM (SELECT id FROM `+table+` WHERE `+generated+` ORDER BY id DESC LIMIT $1) t ORDER BY id`, n)
				if err == nil && len(got) < n {
					err = domain.Errorf(domain.EINVALID, "only %d generated %s to add orders for, not %d", len(got), table, n)
				}
				return got, err
			}
			if members, err = latest("members", "name LIKE 'Lægepraksis %'", o.Practices); err != nil {
				return err
			}
			if suppliers, err = latest("suppliers", "vat_id LIKE 'GEN%'", o.Suppliers); err != nil {
				return err
			}
			products, err = latest("products", "name LIKE 'Vare %'", o.Products)
			return err
		}
		var taken []string
		rows, err := tx.Query(ctx, "SELECT cvr FROM members")
		if err != nil {
			return err
		}
		used := map[string]bool{}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				return err
			}
			used[c] = true
		}
		rows.Close()
		for n := 60000000; len(taken) < o.Practices && n < 99999999; n++ {
			c := strconv.Itoa(n)
			if domain.ValidCVR(c) && !used[c] {
				taken = append(taken, c)
			}
		}
		clusters := o.Clusters
		if clusters <= 0 {
			clusters = (o.Practices + 13) / 14
		}
		if members, err = ids(`INSERT INTO members (name, cvr, quality_cluster)
			SELECT 'Lægepraksis ' || $1 || '-' || i, c, 'Klynge ' || $1 || '-' || lpad((1 + (i - 1) % $3)::text, 3, '0')
			FROM unnest($2::text[]) WITH ORDINALITY AS t(c, i) ORDER BY i RETURNING id`, tag, taken, clusters); err != nil {
			return err
		}
		if suppliers, err = ids(`INSERT INTO suppliers (name, vat_id) SELECT 'Leverandør ' || $1 || '-' || i, 'GEN' || $1 || '-' || i
			FROM generate_series(1, $2::int) i RETURNING id`, tag, o.Suppliers); err != nil {
			return err
		}
		products, err = ids(`INSERT INTO products (name, category, base_unit) SELECT 'Vare ' || $1 || '-' || i, ($3::text[])[1 + (i - 1) % $4], 'EA'
			FROM generate_series(1, $2::int) i ORDER BY i RETURNING id`, tag, o.Products, generatedCategories, len(generatedCategories))
		return err
	})
	return members, suppliers, products, err
}
