package suppliers

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// orderRules renders what a line says about ordering it.
func orderRules(l Line) string {
	return fmt.Sprintf("%s@%d max=%d order=%d..%d x%d not_orderable=%v", l.SKU, l.MinQty, l.MaxQty, l.MinOrderQty, l.MaxOrderQty, l.OrderMultiple, l.NotOrderable)
}

func allOrderRules(lines []Line) string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = orderRules(l)
	}
	return strings.Join(out, "\n")
}

// The ordering rules in each format: a price's maximum quantity, not
// orderable, minimum and maximum order quantity, order multiple.
func TestOrderRulesInEveryFormat(t *testing.T) {
	t.Run("CSV, Danish headers", func(t *testing.T) {
		body := "varenummer;varenavn;ean;enhed;indhold;basisenhed;pris;valuta;min_antal;max_antal;bestilbar;minimumsordre;maksimumsordre;bestillingsmultiplum\n" +
			"A;Handsker;;æsk;100;stk;45,00;DKK;1;9;Ja;2;100;2\n" +
			"A;Handsker;;æsk;100;stk;40,00;DKK;10;;JA;2;100;2\n" +
			"B;Swab;;æsk;100;stk;10,00;DKK;1;;Nej;;;\n" +
			"C;Kompres;;pk;10;stk;5,00;DKK;1;;;0;;\n"
		res := parseString(t, body, "text/csv")
		assertProblems(t, res.rep, "warning 2 unit", "warning 2 base_unit", "warning 5 unit")
		want := "A@1 max=9 order=2..100 x2 not_orderable=false\nA@10 max=0 order=2..100 x2 not_orderable=false\n" +
			"B@1 max=0 order=0..0 x0 not_orderable=true\nC@1 max=0 order=0..0 x0 not_orderable=false"
		if got := allOrderRules(res.lines); got != want {
			t.Errorf("lines\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("CSV, bad values", func(t *testing.T) {
		body := "sku,name,gtin,unit,pack_content,base_unit,pack_price,currency,min_qty,max_qty,orderable,min_order_qty,max_order_qty,order_multiple\n" +
			"A,Gloves,,BX,100,EA,45.00,DKK,10,5,måske,-1,1.5,\n"
		res := parseString(t, body, "text/csv")
		assertProblems(t, res.rep, "warning 2 max_qty", "error 2 orderable", "error 2 min_order_qty", "error 2 max_order_qty")
	})
	t.Run("JSON", func(t *testing.T) {
		body := `{"currency": "DKK", "lines": [
 {"sku": "A", "name": "Gloves", "unit": "BX", "pack_content": "100", "base_unit": "EA", "pack_price": "45.00", "max_qty": 9,
  "min_order_qty": 2, "max_order_qty": "100", "order_multiple": 2, "orderable": true,
  "tiers": [{"min_qty": 10, "pack_price": "40.00"}]},
 {"sku": "B", "name": "Swab", "unit": "BX", "pack_content": "100", "base_unit": "EA", "pack_price": "10.00", "orderable": false},
 {"sku": "C", "name": "Gauze", "unit": "XPK", "pack_content": "10", "base_unit": "EA", "pack_price": "5.00", "orderable": "nej"}
]}`
		res := parseString(t, body, "application/json")
		assertProblems(t, res.rep)
		want := "A@1 max=9 order=2..100 x2 not_orderable=false\nA@10 max=0 order=2..100 x2 not_orderable=false\n" +
			"B@1 max=0 order=0..0 x0 not_orderable=true\nC@1 max=0 order=0..0 x0 not_orderable=true"
		if got := allOrderRules(res.lines); got != want {
			t.Errorf("lines\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("UBL, the official example", func(t *testing.T) {
		b, err := os.ReadFile("testdata/peppol/Catalogue_Example.xml")
		if err != nil {
			t.Fatal(err)
		}
		res := parseString(t, string(b), "application/xml")
		// MNTR011: 1 to 10 LBR at its one price, orders of 1 to 100 LBR
		// in steps of 1; MNTR012 gives no rules.
		want := "MNTR011@1 max=10 order=1..100 x1 not_orderable=false\nMNTR012@1 max=0 order=0..0 x0 not_orderable=false"
		if got := allOrderRules(res.lines); got != want {
			t.Errorf("lines\n%s\nwant\n%s", got, want)
		}
		// Quantities in the content unit are converted into packs of 10
		// pieces, with a warning when not whole: at least 25 pieces is 3
		// packs, at most 35 pieces is 3.
		body := strings.NewReplacer(
			"<cbc:OrderableIndicator>true</cbc:OrderableIndicator>", "<cbc:OrderableIndicator>false</cbc:OrderableIndicator>",
			`<cbc:MinimumOrderQuantity unitCode="LBR">1</cbc:MinimumOrderQuantity>`, `<cbc:MinimumOrderQuantity unitCode="C62">25</cbc:MinimumOrderQuantity>`,
			`<cbc:MaximumOrderQuantity unitCode="LBR">100</cbc:MaximumOrderQuantity>`, `<cbc:MaximumOrderQuantity unitCode="C62">35</cbc:MaximumOrderQuantity>`,
			`<cbc:OrderQuantityIncrementNumeric>1</cbc:OrderQuantityIncrementNumeric>`, `<cbc:OrderQuantityIncrementNumeric>2</cbc:OrderQuantityIncrementNumeric>`,
		).Replace(string(b))
		res = parseString(t, body, "application/xml")
		if got := orderRules(res.lines[0]); got != "MNTR011@1 max=10 order=3..3 x2 not_orderable=true" {
			t.Errorf("converted: %s", got)
		}
		var warned []string
		for _, p := range res.rep.Problems {
			if strings.Contains(p.Field, "OrderQuantity") {
				warned = append(warned, p.Field)
			}
		}
		if strings.Join(warned, ",") != "MinimumOrderQuantity,MaximumOrderQuantity" {
			t.Errorf("warnings %q", warned)
			for _, p := range res.rep.Problems {
				t.Log(p)
			}
		}
	})
}
