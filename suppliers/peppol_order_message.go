package suppliers

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"andel/domain"
	"andel/pricing"

	"github.com/shopspring/decimal"
)

// PEPPOLOrderFromMessage is the PEPPOL Order of an order message: the same
// order, buyer, delivery address, lines and totals, as the supplier's
// webhook gets them in JSON. Errors: a message whose amounts do not read
// (a bug), or that breaks a fatal rule of the BIS (MarshalPEPPOLOrder).
func PEPPOLOrderFromMessage(m domain.OrderMessage) (PEPPOLOrder, error) {
	cur, err := pricing.ParseCurrency(strings.TrimSpace(m.Order.Currency))
	if err != nil {
		return PEPPOLOrder{}, err
	}
	placed, err := time.Parse(time.RFC3339, m.Order.PlacedAt)
	if err != nil {
		return PEPPOLOrder{}, fmt.Errorf("order %d: placed_at: %w", m.Order.ID, err)
	}
	var bad []error
	money := func(s string) pricing.Money {
		d, err := decimal.NewFromString(s)
		if err == nil {
			var mny pricing.Money
			if mny, err = pricing.NewMoney(d, cur); err == nil {
				return mny
			}
		}
		bad = append(bad, err)
		return pricing.ZeroMoney(cur)
	}
	o := PEPPOLOrder{
		ID: strconv.FormatInt(m.Order.ID, 10), IssuedAt: placed, Currency: cur,
		Note: fmt.Sprintf("Andel order %d", m.Order.ID),
		Buyer: OrderParty{Name: m.Order.Buyer.Name, CVR: m.Order.Buyer.CVR, GLN: m.Order.Buyer.GLN,
			Contact: OrderContact{Name: m.Order.Buyer.Contact.Name, Phone: m.Order.Buyer.Contact.Phone, Email: m.Order.Buyer.Contact.Email}},
		Seller: OrderParty{Name: m.Order.SupplierName, CVR: strings.TrimPrefix(m.Order.SupplierVATID, "DK")},
		Delivery: OrderAddress{Street: m.Order.Delivery.Street, PostalZone: m.Order.Delivery.Postcode,
			City: m.Order.Delivery.City, Country: m.Order.Delivery.Country},
		DeliveryGLN: m.Order.Buyer.GLN,
		LineTotal:   money(m.Order.NetTotal), VATTotal: money(m.Order.VATTotal), GrossTotal: money(m.Order.GrossTotal),
	}
	o.Buyer.Address = o.Delivery
	if m.Order.ContractID != nil {
		o.ContractID = strconv.FormatInt(*m.Order.ContractID, 10)
	}
	for _, l := range m.Lines {
		pp, err := decimal.NewFromString(l.PackPrice)
		if err != nil {
			bad = append(bad, err)
			continue
		}
		price, err := pricing.NewPrice(pp, cur)
		if err != nil {
			bad = append(bad, err)
			continue
		}
		vat, err := decimal.NewFromString(l.VATRate)
		if err != nil {
			bad = append(bad, err)
			continue
		}
		o.Lines = append(o.Lines, PEPPOLOrderLine{ID: strconv.Itoa(l.LineNo), Quantity: decimal.NewFromInt(l.Quantity),
			UnitCode: peppolUnitCode(l.PackUnit), LineAmount: money(l.NetTotal), PackPrice: price,
			SKU: l.SKU, GTIN: l.GTIN, Name: l.Name, VATPercent: vat.Shift(2)})
	}
	if len(bad) > 0 {
		return PEPPOLOrder{}, fmt.Errorf("order %d: %v", m.Order.ID, bad)
	}
	return o, nil
}

// peppolUnitCode is the Rec 20 code a PEPPOL document must carry for a
// pack unit: the legacy box, pack and carton codes price lists still use
// moved to Recommendation 21 (XBX, XPK, XCT).
func peppolUnitCode(code string) string {
	switch code {
	case "BX", "PK", "CT":
		return "X" + code
	}
	return code
}
