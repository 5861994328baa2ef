package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"andel/pricing"

	"andel/domain"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// SurplusSummary tells what SeedSurplus created.
type SurplusSummary struct {
	Year    int
	Orders  int
	RunID   int64
	Skipped bool // a surplus run existed already
}

// SeedSurplus gives the demo cooperative (run Seed first) last
// calendar year of delivered orders (two a month per practice, at fixed
// demo prices, 2 % rebate on most lines, a few cancelled), bank details
// for every practice but the last, and a draft patronage run for that
// year prepared by the demo admin user, so that the board can approve it.
// It is idempotent: when any surplus run exists it does nothing.
func SeedSurplus(ctx context.Context, svc *domain.Services) (*SurplusSummary, error) {
	ctx = domain.WithActor(ctx, domain.SystemActor("seed"))
	var n int64
	if err := svc.DB.WithContext(ctx).Table("surplus_runs").Count(&n).Error; err != nil {
		return nil, err
	}
	if n > 0 {
		return &SurplusSummary{Skipped: true}, nil
	}
	year := time.Now().UTC().Year() - 1
	sum := &SurplusSummary{Year: year}
	var members, suppliers []int64
	db := svc.DB.WithContext(ctx)
	if err := db.Raw("SELECT id FROM members WHERE cvr IN ? ORDER BY id", demoCVRs()).Scan(&members).Error; err != nil {
		return nil, err
	}
	vats := make([]string, len(demoSuppliers))
	for i := range demoSuppliers {
		vats[i] = "DK" + demoCVR(100+i)
	}
	if err := db.Raw("SELECT id FROM suppliers WHERE vat_id IN ? ORDER BY id", vats).Scan(&suppliers).Error; err != nil {
		return nil, err
	}
	type product struct {
		id             int64
		category, unit string
	}
	var products []product
	for i, p := range demoProducts {
		var id int64
		if err := db.Raw("SELECT id FROM products WHERE gtin = ?", demoGTIN(i)).Scan(&id).Error; err != nil {
			return nil, err
		}
		products = append(products, product{id, p.category, p.unit})
	}
	if len(members) == 0 || len(suppliers) == 0 || products[0].id == 0 {
		return nil, fmt.Errorf("demo cooperative missing: run Seed first")
	}
	dkk := pricing.Currency(svc.Catalogue.Currency())
	vatRate := pricing.DanishVATRate()
	rebateRate := decimal.RequireFromString("0.02")
	rng := rand.New(rand.NewPCG(2025, 13))
	err := svc.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for mi, member := range members {
			for month := 1; month <= 12; month++ {
				for k := range 2 {
					day := time.Date(year, time.Month(month), 3+k*13+mi%5, 0, 0, 0, 0, time.UTC)
					si := (mi + month + k) % len(suppliers)
					status := string(domain.OrderDelivered)
					if rng.IntN(25) == 0 {
						status = string(domain.OrderCancelled)
					}
					var orderID int64
					if err := tx.Raw(`INSERT INTO orders (member_id, supplier_id, status, currency, placed_on, placed_at,
						placed_by, net_total, vat_total, gross_total, baseline_total, savings_total)
						VALUES (?, ?, ?, ?, ?, ?, 'seed', 0, 0, 0, 0, 0) RETURNING id`,
						member, suppliers[si], status, string(dkk), day, day.Add(9*time.Hour)).Row().Scan(&orderID); err != nil {
						return err
					}
					net, vat, base, sav := pricing.ZeroMoney(dkk), pricing.ZeroMoney(dkk), pricing.ZeroMoney(dkk), pricing.ZeroMoney(dkk)
					for ln := 1; ln <= 1+rng.IntN(3); ln++ {
						pi := rng.IntN(len(products))
						p := products[pi]
						list, _ := pricing.NewPrice(decimal.New(int64(4000+pi*1750), -2), dkk) // per pack of 100
						onContract := rng.IntN(5) > 0
						paid := list
						if onContract {
							paid, _ = pricing.RoundPrice(list.Amount().Mul(decimal.RequireFromString("0.88")), dkk)
						}
						qty := int64(1 + rng.IntN(12))
						q := decimal.NewFromInt(qty)
						lineNet, err := paid.Total(q)
						if err != nil {
							return err
						}
						lineVAT, err := pricing.VATFromNet(lineNet, vatRate)
						if err != nil {
							return err
						}
						baseline, _ := list.Total(q)
						saving, _ := baseline.Sub(lineNet)
						rr, rebate := decimal.Zero, pricing.ZeroMoney(dkk)
						if onContract {
							rr = rebateRate
							if status == string(domain.OrderDelivered) {
								rebate, _ = lineNet.MulRound(rebateRate)
							}
						}
						unit, _ := pricing.RoundPrice(paid.Amount().Shift(-2), dkk)
						listUnit, _ := pricing.RoundPrice(list.Amount().Shift(-2), dkk)
						if err := tx.Exec(`INSERT INTO order_lines (order_id, member_id, supplier_id, line_no, product_id,
							category, on_contract, sku, pack_unit, pack_content, base_unit, quantity, base_quantity, pack_price,
							unit_price, baseline_unit_price, baseline_method, rebate_rate, vat_rate, currency, net_total, vat_total,
							gross_total, baseline_total, savings, rebate_accrued)
							VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'BX', 100, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
							?, ?, ?, ?, ?, ?)`,
							orderID, member, suppliers[si], ln, p.id, p.category, onContract, "DEMO-"+strconv.Itoa(pi), p.unit, qty,
							q.Shift(2), paid.Amount(), unit.Amount(), listUnit.Amount(),
							domain.BaselineMedianListPrice, rr, vatRate, string(dkk), lineNet.Amount(),
							lineVAT.VAT.Amount(), lineVAT.Gross.Amount(), baseline.Amount(),
							saving.Amount(), rebate.Amount()).Error; err != nil {
							return err
						}
						net, _ = net.Add(lineNet)
						vat, _ = vat.Add(lineVAT.VAT)
						base, _ = base.Add(baseline)
						sav, _ = sav.Add(saving)
					}
					gross, _ := net.Add(vat)
					if err := tx.Exec(`UPDATE orders SET net_total = ?, vat_total = ?, gross_total = ?,
						baseline_total = ?, savings_total = ? WHERE id = ?`, net.Amount(),
						vat.Amount(), gross.Amount(), base.Amount(), sav.Amount(), orderID).Error; err != nil {
						return err
					}
					if err := tx.Exec("INSERT INTO savings_changes (order_id) VALUES (?)", orderID).Error; err != nil {
						return err
					}
					sum.Orders++
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i, m := range members[:len(members)-1] {
		if _, err := svc.Surplus.SetBankAccount(ctx, m, fmt.Sprintf("%04d", 5300+i), fmt.Sprintf("%010d", 1234500+i)); err != nil {
			return nil, err
		}
	}
	var adminID int64
	if err := db.Raw("SELECT id FROM users WHERE email = ?", AdminEmail).Scan(&adminID).Error; err != nil {
		return nil, err
	}
	asAdmin := domain.WithActor(ctx, domain.Actor{UserID: adminID, Role: domain.RoleAdmin, Label: AdminEmail})
	run, err := svc.Surplus.Prepare(asAdmin, domain.SurplusRunInput{Period: strconv.Itoa(year), CashPercent: "60", MinimumPayout: "100",
		ReservePercent: "10", Costs: []domain.SurplusLineInput{{Description: "Revision og administration", Category: "administration", Amount: "2500.00"}}})
	if err != nil {
		return nil, err
	}
	sum.RunID = run.ID
	return sum, nil
}

// demoCVRs lists the demo practices' CVR numbers.
func demoCVRs() []string {
	out := make([]string, len(demoPractices))
	for i := range demoPractices {
		out[i] = demoCVR(i)
	}
	return out
}
