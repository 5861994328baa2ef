package domain

import (
	"context"
	"strings"
	"time"

	"andel/pricing"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// ExchangeRate is what one unit of Currency costs in the cooperative's
// currency.
type ExchangeRate struct {
	Currency  string
	Rate      decimal.Decimal
	UpdatedAt time.Time
	UpdatedBy string
}

// SetExchangeRate sets the rate of currency. Admins only. Errors:
// EFORBIDDEN, EINVALID.
func (s *CatalogueService) SetExchangeRate(ctx context.Context, currency string, rate decimal.Decimal) (*ExchangeRate, error) {
	a, err := require(ctx, RoleAdmin)
	if err != nil {
		return nil, err
	}
	currency = strings.ToUpper(strings.TrimSpace(currency))
	var p Problems
	from, err := pricing.ParseCurrency(currency)
	if err != nil {
		p.Add("currency", "%v", err)
	} else if string(from) == s.currency {
		p.Add("currency", "is the cooperative's own currency")
	} else if _, err := pricing.NewExchangeRate(from, pricing.Currency(s.currency), rate); err != nil {
		p.Add("rate", "%v", err)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	r := &ExchangeRate{Currency: currency, Rate: rate, UpdatedAt: time.Now().UTC(), UpdatedBy: a.Label}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`INSERT INTO exchange_rates (currency, rate, updated_at, updated_by) VALUES (?, ?, ?, ?)
			ON CONFLICT (currency) DO UPDATE SET rate = EXCLUDED.rate, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
			r.Currency, r.Rate, r.UpdatedAt, r.UpdatedBy).Error; err != nil {
			return err
		}
		return recordAudit(ctx, tx, auditEntry{action: "exchange_rate.set", entity: "exchange_rate",
			details: map[string]any{"currency": currency, "rate": rate.String()}})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// ExchangeRates lists the configured rates.
func (s *CatalogueService) ExchangeRates(ctx context.Context) ([]ExchangeRate, error) {
	if _, err := require(ctx, RoleAdmin, RoleBoard, RoleMember, RoleSupplier); err != nil {
		return nil, err
	}
	var rows []ExchangeRate
	err := s.db.WithContext(ctx).Table("exchange_rates").Order("currency").Find(&rows).Error
	return rows, err
}

// RateTable returns the rates into the cooperative's currency for pricing.
func (s *CatalogueService) RateTable(ctx context.Context) (pricing.RateTable, error) {
	var rows []ExchangeRate
	if err := s.db.WithContext(ctx).Table("exchange_rates").Find(&rows).Error; err != nil {
		return pricing.RateTable{}, err
	}
	to := pricing.Currency(s.currency)
	rates := make([]pricing.ExchangeRate, 0, len(rows))
	for _, r := range rows {
		rate, err := pricing.NewExchangeRate(pricing.Currency(strings.TrimSpace(r.Currency)), to, r.Rate)
		if err != nil {
			return pricing.RateTable{}, err
		}
		rates = append(rates, rate)
	}
	return pricing.NewRateTable(to, rates...)
}
