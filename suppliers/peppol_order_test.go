package suppliers

import (
	"bytes"
	"encoding/xml"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"andel/pricing"

	"github.com/shopspring/decimal"
)

const peppolOrderDir = "../../shared/standards/peppol-order/"

// xmlNode is a generic element tree, to check documents rule by rule.
type xmlNode struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Text     string     `xml:",chardata"`
	Children []xmlNode  `xml:",any"`
}

func parseTree(t *testing.T, b []byte) xmlNode {
	t.Helper()
	var n xmlNode
	if err := xml.Unmarshal(b, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (n xmlNode) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// all returns every element below n (n included) with its path of local names.
func (n xmlNode) all(path string, visit func(path string, e xmlNode)) {
	path += "/" + n.XMLName.Local
	visit(path, n)
	for _, c := range n.Children {
		c.all(path, visit)
	}
}

func (n xmlNode) child(name string) (xmlNode, bool) {
	for _, c := range n.Children {
		if c.XMLName.Local == name {
			return c, true
		}
	}
	return xmlNode{}, false
}

func (n xmlNode) text(path ...string) string {
	cur := n
	for _, p := range path {
		c, ok := cur.child(p)
		if !ok {
			return ""
		}
		cur = c
	}
	return strings.TrimSpace(cur.Text)
}

func sampleDanishOrder(t *testing.T) PEPPOLOrder {
	t.Helper()
	dkk := pricing.Currency("DKK")
	money := func(s string) pricing.Money {
		m, err := pricing.NewMoney(decimal.RequireFromString(s), dkk)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	price := func(s string) pricing.Price {
		p, err := pricing.NewPrice(decimal.RequireFromString(s), dkk)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	addr := OrderAddress{Street: "Nørregade 12, 1. sal", PostalZone: "8000", City: "Aarhus C", Country: "DK"}
	return PEPPOLOrder{
		ID: "1042", IssuedAt: time.Date(2027, 3, 4, 9, 15, 0, 0, time.UTC), Currency: dkk, ContractID: "17",
		Note:        "Andel order 1042",
		Buyer:       OrderParty{Name: "Lægehuset Nørregade", CVR: "29403473", GLN: "5790001330552", Address: addr, Contact: OrderContact{Name: "Sygeplejerske Mette Ø", Phone: "86 12 34 56", Email: "mette@laegehuset.dk"}},
		Seller:      OrderParty{Name: "Medi-Pack A/S", CVR: "10150817"},
		Delivery:    addr,
		DeliveryGLN: "5790001330552",
		Lines: []PEPPOLOrderLine{
			{ID: "1", Quantity: decimal.NewFromInt(5), UnitCode: "XBX", LineAmount: money("205.00"), PackPrice: price("41.00"),
				SKU: "NH-M-100", GTIN: "5701234567892", Name: "Nitrilhandsker, pudderfri, str. M (100 stk)", VATPercent: decimal.NewFromInt(25)},
			{ID: "2", Quantity: decimal.NewFromInt(12), UnitCode: "H87", LineAmount: money("358.20"), PackPrice: price("29.85"),
				SKU: "ETH-1L", Name: "Ethanol 70 %, 1 l", VATPercent: decimal.NewFromInt(25)},
		},
		LineTotal: money("563.20"), VATTotal: money("140.80"), GrossTotal: money("704.00"),
	}
}

// TestPEPPOLOrderMeetsTheFatalRules writes an order and checks each fatal
// rule of business-rules.adoc that applies to what Andel writes, then
// compares the structure with the official Order_Example.xml: every
// element sits where the example has it, in the example's order.
func TestPEPPOLOrderMeetsTheFatalRules(t *testing.T) {
	o := sampleDanishOrder(t)
	b, err := MarshalPEPPOLOrder(o)
	if err != nil {
		t.Fatal(err)
	}
	doc := parseTree(t, b)
	if doc.XMLName.Space != "urn:oasis:names:specification:ubl:schema:xsd:Order-2" || doc.XMLName.Local != "Order" {
		t.Fatalf("root %v", doc.XMLName)
	}
	check := func(rule string, ok bool) {
		t.Helper()
		if !ok {
			t.Errorf("%s is broken:\n%s", rule, b)
		}
	}
	check("BII2-T01-R001", doc.text("CustomizationID") == "urn:fdc:peppol.eu:poacc:trns:order:3")
	check("BII2-T01-R002", doc.text("ProfileID") == "urn:fdc:peppol.eu:poacc:bis:order_only:3")
	check("BII2-T01-R004", doc.text("IssueDate") == "2027-03-04")
	check("BII2-T01-R006", doc.text("ID") == "1042")
	check("BII2-T01-R021", doc.text("BuyerCustomerParty", "Party", "PartyName", "Name") == "Lægehuset Nørregade")
	check("BII2-T01-R022", doc.text("SellerSupplierParty", "Party", "PartyName", "Name") == "Medi-Pack A/S")
	cur := doc.text("DocumentCurrencyCode")
	ids := map[string]bool{}
	lineSum := decimal.Zero
	doc.all("", func(path string, e xmlNode) {
		if c := e.attr("currencyID"); c != "" {
			check("BII2-T01-R009 ("+path+")", c == cur)
		}
		switch e.XMLName.Local {
		case "EndpointID":
			check("EUGEN-T01-R011 ("+path+")", e.attr("schemeID") != "")
		case "IdentificationCode":
			check("EUGEN-T01-R015", e.attr("listID") == "ISO3166-1:Alpha2")
		case "Quantity", "BaseQuantity":
			check("EUGEN-T01-R016", e.attr("unitCodeListID") == "UNECERec20")
			check("BII2-T01-R030", pricing.IsRec20Code(e.attr("unitCode")))
			check("BII2-T01-R010", !decimal.RequireFromString(strings.TrimSpace(e.Text)).IsNegative())
		case "PriceAmount":
			check("BII2-T01-R011", !decimal.RequireFromString(strings.TrimSpace(e.Text)).IsNegative())
		}
		if strings.HasSuffix(path, "/PartyIdentification/ID") {
			check("EUGEN-T01-R012", e.attr("schemeID") != "")
		}
		if strings.HasSuffix(path, "/ClassifiedTaxCategory/ID") {
			check("EUGEN-T01-R017", e.attr("schemeID") == "UNCL5305")
		}
	})
	_ = ids
	order, _ := doc.child("OrderTypeCode")
	check("EUGEN-T01-R013", order.attr("listID") == "UNCL1001")
	curr, _ := doc.child("DocumentCurrencyCode")
	check("EUGEN-T01-R014", curr.attr("listID") == "ISO4217")
	for _, l := range doc.Children {
		if l.XMLName.Local != "OrderLine" {
			continue
		}
		id := l.text("LineItem", "ID")
		check("BII2-T01-R003", id != "" && !ids[id])
		ids[id] = true
		item, _ := l.child("LineItem")
		check("BII2-T01-R031", item.text("Item", "Name") != "" || item.text("Item", "SellersItemIdentification", "ID") != "")
		lineSum = lineSum.Add(decimal.RequireFromString(item.text("LineExtensionAmount")))
	}
	d := func(path ...string) decimal.Decimal { return decimal.RequireFromString(doc.text(path...)) }
	total := func(name string) decimal.Decimal { return d("AnticipatedMonetaryTotal", name) }
	check("BII2-T01-R012", !total("PayableAmount").IsNegative())
	check("BII2-T01-R013", !total("LineExtensionAmount").IsNegative())
	check("BII2-T01-R014", total("LineExtensionAmount").Equal(lineSum))
	check("BII2-T01-R017", total("PayableAmount").Equal(total("LineExtensionAmount").Add(d("TaxTotal", "TaxAmount"))))
	check("lines name what to ship", strings.Contains(string(b), `<cbc:ID schemeID="0160">5701234567892</cbc:ID>`) &&
		strings.Contains(string(b), "<cbc:ID>NH-M-100</cbc:ID>") && strings.Contains(string(b), "Nørregade 12, 1. sal"))

	example, err := os.ReadFile(peppolOrderDir + "Order_Example.xml")
	if err != nil {
		t.Fatal(err)
	}
	assertStructureWithin(t, doc, parseTree(t, example))
}

// assertStructureWithin checks that every element of got stands at a path
// that want has, and that siblings come in want's order.
func assertStructureWithin(t *testing.T, got, want xmlNode) {
	t.Helper()
	order := map[string][]string{} // parent path -> child names in want's order
	want.all("", func(path string, e xmlNode) {
		for _, c := range e.Children {
			if !slices.Contains(order[path], c.XMLName.Local) {
				order[path] = append(order[path], c.XMLName.Local)
			}
		}
	})
	got.all("", func(path string, e xmlNode) {
		last := -1
		for _, c := range e.Children {
			i := slices.Index(order[path], c.XMLName.Local)
			if i < 0 {
				t.Errorf("%s/%s is not in the official example", path, c.XMLName.Local)
				continue
			}
			if i < last {
				t.Errorf("%s/%s comes out of the example's order", path, c.XMLName.Local)
			}
			last = i
		}
	})
}

func TestPEPPOLOrderRefusesWhatBreaksARule(t *testing.T) {
	o := sampleDanishOrder(t)
	o.Lines = append(o.Lines, PEPPOLOrderLine{ID: "1", Quantity: decimal.NewFromInt(1), LineAmount: o.Lines[0].LineAmount, PackPrice: o.Lines[0].PackPrice})
	o.Buyer = OrderParty{}
	_, err := MarshalPEPPOLOrder(o)
	for _, rule := range []string{"BII2-T01-R003", "BII2-T01-R021"} {
		if err == nil || !strings.Contains(err.Error(), rule) {
			t.Errorf("want %s named, got %v", rule, err)
		}
	}
}

func TestParsePEPPOLOrderResponse(t *testing.T) {
	example, err := os.ReadFile(peppolOrderDir + "OrderResponse_Example.xml")
	if err != nil {
		t.Fatal(err)
	}
	r, err := ParsePEPPOLOrderResponse(example)
	if err != nil {
		t.Fatal(err)
	}
	if r.Code != OrderResponseAcceptedWithChanges || r.OrderID != "11233" || r.ID != "101" {
		t.Errorf("official example read as %+v", r)
	}
	reject := bytes.Replace(bytes.Replace(example, []byte(">CA<"), []byte(">RE<"), 1),
		[]byte("Response message with amendments in the details"), []byte("Varen er udgået"), 1)
	if r, err := ParsePEPPOLOrderResponse(reject); err != nil || r.Code != OrderResponseRejected || !strings.HasPrefix(r.Reason, "Varen er udgået") {
		t.Errorf("rejection read as %+v, %v", r, err)
	}
	for name, body := range map[string]string{
		"not xml":       "AP",
		"wrong root":    `<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>`,
		"second root":   string(example) + "<OrderResponse/>",
		"junk after":    string(example) + "</x>",
		"no reference":  strings.Replace(string(example), "<cbc:ID>11233</cbc:ID>", "", 1),
		"wrong ns root": strings.Replace(string(example), "xsd:OrderResponse-2", "xsd:Invoice-2", 1),
	} {
		if _, err := ParsePEPPOLOrderResponse([]byte(body)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
