package suppliers

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"andel/pricing"

	"github.com/shopspring/decimal"
)

// A PEPPOL BIS Ordering 3 Order (transaction T01, profile order_only) for a
// supplier that takes its orders as UBL: PEPPOLOrder is what the document
// says, MarshalPEPPOLOrder writes it. The element order follows the UBL 2.1
// Order schema (and the official Order_Example.xml); the fatal rules of
// the BIS (BII2-T01-*, EUGEN-T01-*) are met by construction and checked in
// the tests.

// PEPPOL identifiers of an order only document.
const (
	PEPPOLOrderCustomizationID = "urn:fdc:peppol.eu:poacc:trns:order:3"
	PEPPOLOrderProfileID       = "urn:fdc:peppol.eu:poacc:bis:order_only:3"
	// PEPPOLOrderMediaType is how the document travels and is asked for.
	PEPPOLOrderMediaType = "application/xml"
)

// ICD codes of the Peppol party identifier schemes used here.
const (
	schemeGLN = "0088" // GS1 Global Location Number
	schemeCVR = "0184" // Danish CVR number (DK:DIGST)
)

// PEPPOLOrder is the content of an order document.
type PEPPOLOrder struct {
	ID          string
	IssuedAt    time.Time
	Currency    pricing.Currency
	Note        string
	ContractID  string // the cooperative's contract the lines are ordered under, if one
	Buyer       OrderParty
	Seller      OrderParty
	Delivery    OrderAddress
	DeliveryGLN string
	Lines       []PEPPOLOrderLine
	// VATTotal, and the sums the document states; the caller passes the
	// order's stored totals (summed by pricing when it was placed).
	LineTotal, VATTotal, GrossTotal pricing.Money
}

// OrderParty is the buyer (the practice) or the seller (the supplier).
type OrderParty struct {
	Name    string
	CVR     string // 8 digits (a seller's VAT id "DK12345678" is accepted too)
	GLN     string // 13 digits, optional
	Address OrderAddress
	Contact OrderContact
}

// OrderAddress is a postal address.
type OrderAddress struct {
	Street, PostalZone, City string
	Country                  string // ISO 3166-1 alpha-2; empty: DK
}

// OrderContact is who to ask about the order.
type OrderContact struct{ Name, Phone, Email string }

// PEPPOLOrderLine is one ordered item, in packs of its orderable unit.
type PEPPOLOrderLine struct {
	ID         string
	Quantity   decimal.Decimal // packs
	UnitCode   string          // the pack's Rec 20 unit
	LineAmount pricing.Money
	PackPrice  pricing.Price
	SKU        string
	GTIN       string
	Name       string
	VATPercent decimal.Decimal
}

// MarshalPEPPOLOrder writes o as a PEPPOL BIS Order 3 document. Errors: a
// document that would break a fatal rule (no lines, a line without unit or
// item, negative amounts, a missing party name).
func MarshalPEPPOLOrder(o PEPPOLOrder) ([]byte, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	cur := string(o.Currency)
	doc := ublOrder{
		Xmlns: "urn:oasis:names:specification:ubl:schema:xsd:Order-2",
		Cac:   "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
		Cbc:   "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",

		CustomizationID: PEPPOLOrderCustomizationID,
		ProfileID:       PEPPOLOrderProfileID,
		ID:              o.ID,
		IssueDate:       o.IssuedAt.UTC().Format(time.DateOnly),
		IssueTime:       o.IssuedAt.UTC().Format(time.TimeOnly),
		OrderTypeCode:   listed{ListID: "UNCL1001", Value: "220"},
		Note:            o.Note,
		Currency:        listed{ListID: "ISO4217", Value: cur},
		Buyer:           wrapParty(o.Buyer, true),
		Seller:          wrapParty(o.Seller, false),
		Delivery: &ublDelivery{Location: ublLocation{
			ID:      schemeID(schemeGLN, o.DeliveryGLN),
			Address: ublAddress(o.Delivery),
		}},
		TaxTotal: ublTaxTotal{TaxAmount: moneyAmount(o.VATTotal)},
		Total: ublTotal{
			LineExtension: moneyAmount(o.LineTotal),
			TaxExclusive:  moneyAmount(o.LineTotal),
			TaxInclusive:  moneyAmount(o.GrossTotal),
			Payable:       moneyAmount(o.GrossTotal),
		},
	}
	if o.ContractID != "" {
		doc.Contract = &idOnly{ID: o.ContractID}
	}
	for _, l := range o.Lines {
		item := ublItem{Name: l.Name, TaxCategory: ublTaxCategory{
			ID: listed{SchemeID: "UNCL5305", Value: "S"}, Percent: l.VATPercent.String(), Scheme: idOnly{ID: "VAT"}}}
		if l.SKU != "" {
			item.SellersID = &idOnly{ID: l.SKU}
		}
		if l.GTIN != "" {
			item.StandardID = &schemedID{ID: listed{SchemeID: "0160", Value: l.GTIN}}
		}
		doc.Lines = append(doc.Lines, ublOrderLine{Item: ublLineItem{
			ID:         l.ID,
			Quantity:   quantity{UnitCode: l.UnitCode, ListID: "UNECERec20", Value: l.Quantity.String()},
			LineAmount: moneyAmount(l.LineAmount),
			Price: ublPrice{
				Amount:       currencyAmount{Currency: cur, Value: l.PackPrice.AmountString()},
				BaseQuantity: quantity{UnitCode: l.UnitCode, ListID: "UNECERec20", Value: "1"},
			},
			Item: item,
		}})
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// check refuses what would break a fatal rule of the BIS.
func (o PEPPOLOrder) check() error {
	var bad []string
	if strings.TrimSpace(o.ID) == "" {
		bad = append(bad, "no document identifier (BII2-T01-R006)")
	}
	if o.IssuedAt.IsZero() {
		bad = append(bad, "no issue date (BII2-T01-R004)")
	}
	if strings.TrimSpace(o.Buyer.Name) == "" && o.Buyer.CVR == "" && o.Buyer.GLN == "" {
		bad = append(bad, "no buyer name or identifier (BII2-T01-R021)")
	}
	if strings.TrimSpace(o.Seller.Name) == "" && o.Seller.CVR == "" && o.Seller.GLN == "" {
		bad = append(bad, "no seller name or identifier (BII2-T01-R022)")
	}
	if len(o.Lines) == 0 {
		bad = append(bad, "no order lines")
	}
	for _, m := range []pricing.Money{o.LineTotal, o.VATTotal, o.GrossTotal} {
		if m.Currency() != o.Currency {
			bad = append(bad, fmt.Sprintf("an amount in %s in a %s order (BII2-T01-R009)", m.Currency(), o.Currency))
		}
		if m.IsNegative() {
			bad = append(bad, "a negative total (BII2-T01-R012/R013)")
		}
	}
	ids := map[string]bool{}
	for i, l := range o.Lines {
		switch {
		case l.ID == "" || ids[l.ID]:
			bad = append(bad, fmt.Sprintf("line %d: no unique line identifier (BII2-T01-R003)", i+1))
		case l.UnitCode == "":
			bad = append(bad, fmt.Sprintf("line %s: no unit of measure (BII2-T01-R030)", l.ID))
		case l.Quantity.IsNegative():
			bad = append(bad, fmt.Sprintf("line %s: a negative quantity (BII2-T01-R010)", l.ID))
		case l.PackPrice.Amount().IsNegative():
			bad = append(bad, fmt.Sprintf("line %s: a negative price (BII2-T01-R011)", l.ID))
		case l.SKU == "" && l.GTIN == "" && strings.TrimSpace(l.Name) == "":
			bad = append(bad, fmt.Sprintf("line %s: no item identifier or name (BII2-T01-R031)", l.ID))
		case l.LineAmount.Currency() != o.Currency || l.PackPrice.Currency() != o.Currency:
			bad = append(bad, fmt.Sprintf("line %s: not in the order's currency (BII2-T01-R009)", l.ID))
		}
		ids[l.ID] = true
	}
	if len(bad) > 0 {
		return fmt.Errorf("the order cannot be written as a PEPPOL Order: %s", strings.Join(bad, "; "))
	}
	return nil
}

func wrapParty(p OrderParty, buyer bool) ublPartyWrap {
	party := ublParty{Name: &ublName{Name: p.Name}}
	switch {
	case p.GLN != "":
		party.Endpoint = &listed{SchemeID: schemeGLN, Value: p.GLN}
	case p.CVR != "":
		party.Endpoint = &listed{SchemeID: schemeCVR, Value: danishVATID(p.CVR)}
	}
	if p.GLN != "" {
		party.Identification = append(party.Identification, schemedID{ID: listed{SchemeID: schemeGLN, Value: p.GLN}})
	}
	if p.CVR != "" {
		party.Identification = append(party.Identification, schemedID{ID: listed{SchemeID: schemeCVR, Value: danishVATID(p.CVR)}})
		party.LegalEntity = &ublLegalEntity{Name: p.Name, CompanyID: &listed{SchemeID: schemeCVR, Value: danishVATID(p.CVR)}}
	}
	if p.Address != (OrderAddress{}) {
		a := ublAddress(p.Address)
		party.Address = &a
	}
	if p.Contact != (OrderContact{}) {
		party.Contact = &ublContact{Name: p.Contact.Name, Phone: p.Contact.Phone, Email: p.Contact.Email}
	}
	return ublPartyWrap{Party: party}
}

// danishVATID is the CVR number as scheme 0184 writes it: "DK12345678".
func danishVATID(cvr string) string {
	cvr = strings.TrimSpace(cvr)
	if len(cvr) == 8 && strings.Trim(cvr, "0123456789") == "" {
		return "DK" + cvr
	}
	return cvr
}

func ublAddress(a OrderAddress) ublPostalAddress {
	country := a.Country
	if country == "" {
		country = "DK"
	}
	return ublPostalAddress{Street: a.Street, City: a.City, PostalZone: a.PostalZone,
		Country: ublCountry{Code: listed{ListID: "ISO3166-1:Alpha2", Value: country}}}
}

func schemeID(scheme, id string) *listed {
	if id == "" {
		return nil
	}
	return &listed{SchemeID: scheme, Value: id}
}

func moneyAmount(m pricing.Money) currencyAmount {
	return currencyAmount{Currency: string(m.Currency()), Value: m.AmountString()}
}

// The UBL elements, in schema order. The namespace prefixes are written
// literally (cbc:, cac:) as the BIS examples do.

type ublOrder struct {
	XMLName         xml.Name       `xml:"Order"`
	Xmlns           string         `xml:"xmlns,attr"`
	Cac             string         `xml:"xmlns:cac,attr"`
	Cbc             string         `xml:"xmlns:cbc,attr"`
	CustomizationID string         `xml:"cbc:CustomizationID"`
	ProfileID       string         `xml:"cbc:ProfileID"`
	ID              string         `xml:"cbc:ID"`
	IssueDate       string         `xml:"cbc:IssueDate"`
	IssueTime       string         `xml:"cbc:IssueTime"`
	OrderTypeCode   listed         `xml:"cbc:OrderTypeCode"`
	Note            string         `xml:"cbc:Note,omitempty"`
	Currency        listed         `xml:"cbc:DocumentCurrencyCode"`
	Contract        *idOnly        `xml:"cac:Contract"`
	Buyer           ublPartyWrap   `xml:"cac:BuyerCustomerParty"`
	Seller          ublPartyWrap   `xml:"cac:SellerSupplierParty"`
	Delivery        *ublDelivery   `xml:"cac:Delivery"`
	TaxTotal        ublTaxTotal    `xml:"cac:TaxTotal"`
	Total           ublTotal       `xml:"cac:AnticipatedMonetaryTotal"`
	Lines           []ublOrderLine `xml:"cac:OrderLine"`
}

// listed is a code or identifier with its list or scheme attribute.
type listed struct {
	ListID   string `xml:"listID,attr,omitempty"`
	SchemeID string `xml:"schemeID,attr,omitempty"`
	Value    string `xml:",chardata"`
}

type idOnly struct {
	ID string `xml:"cbc:ID"`
}

type schemedID struct {
	ID listed `xml:"cbc:ID"`
}

type ublPartyWrap struct {
	Party ublParty `xml:"cac:Party"`
}

type ublParty struct {
	Endpoint       *listed           `xml:"cbc:EndpointID"`
	Identification []schemedID       `xml:"cac:PartyIdentification"`
	Name           *ublName          `xml:"cac:PartyName"`
	Address        *ublPostalAddress `xml:"cac:PostalAddress"`
	LegalEntity    *ublLegalEntity   `xml:"cac:PartyLegalEntity"`
	Contact        *ublContact       `xml:"cac:Contact"`
}

type ublName struct {
	Name string `xml:"cbc:Name"`
}

type ublPostalAddress struct {
	Street     string     `xml:"cbc:StreetName,omitempty"`
	City       string     `xml:"cbc:CityName,omitempty"`
	PostalZone string     `xml:"cbc:PostalZone,omitempty"`
	Country    ublCountry `xml:"cac:Country"`
}

type ublCountry struct {
	Code listed `xml:"cbc:IdentificationCode"`
}

type ublLegalEntity struct {
	Name      string  `xml:"cbc:RegistrationName"`
	CompanyID *listed `xml:"cbc:CompanyID"`
}

type ublContact struct {
	Name  string `xml:"cbc:Name,omitempty"`
	Phone string `xml:"cbc:Telephone,omitempty"`
	Email string `xml:"cbc:ElectronicMail,omitempty"`
}

type ublDelivery struct {
	Location ublLocation `xml:"cac:DeliveryLocation"`
}

type ublLocation struct {
	ID      *listed          `xml:"cbc:ID"`
	Address ublPostalAddress `xml:"cac:Address"`
}

type currencyAmount struct {
	Currency string `xml:"currencyID,attr"`
	Value    string `xml:",chardata"`
}

type quantity struct {
	UnitCode string `xml:"unitCode,attr"`
	ListID   string `xml:"unitCodeListID,attr,omitempty"`
	Value    string `xml:",chardata"`
}

type ublTaxTotal struct {
	TaxAmount currencyAmount `xml:"cbc:TaxAmount"`
}

type ublTotal struct {
	LineExtension currencyAmount `xml:"cbc:LineExtensionAmount"`
	TaxExclusive  currencyAmount `xml:"cbc:TaxExclusiveAmount"`
	TaxInclusive  currencyAmount `xml:"cbc:TaxInclusiveAmount"`
	Payable       currencyAmount `xml:"cbc:PayableAmount"`
}

type ublOrderLine struct {
	Item ublLineItem `xml:"cac:LineItem"`
}

type ublLineItem struct {
	ID         string         `xml:"cbc:ID"`
	Quantity   quantity       `xml:"cbc:Quantity"`
	LineAmount currencyAmount `xml:"cbc:LineExtensionAmount"`
	Price      ublPrice       `xml:"cac:Price"`
	Item       ublItem        `xml:"cac:Item"`
}

type ublPrice struct {
	Amount       currencyAmount `xml:"cbc:PriceAmount"`
	BaseQuantity quantity       `xml:"cbc:BaseQuantity"`
}

type ublItem struct {
	Name        string         `xml:"cbc:Name,omitempty"`
	SellersID   *idOnly        `xml:"cac:SellersItemIdentification"`
	StandardID  *schemedID     `xml:"cac:StandardItemIdentification"`
	TaxCategory ublTaxCategory `xml:"cac:ClassifiedTaxCategory"`
}

type ublTaxCategory struct {
	ID      listed `xml:"cbc:ID"`
	Percent string `xml:"cbc:Percent"`
	Scheme  idOnly `xml:"cac:TaxScheme"`
}
