package suppliers

import (
	"strings"
	"testing"
)

func TestListChecksElsewhere(t *testing.T) {
	body := "sku,name,gtin,unit,pack_content,base_unit,pack_price,currency,min_qty\n" +
		"A,x,,BX,10,EA,1.00,DKK,1\nA,x,,BX,10,EA,0.90,DKK,1\nA,x,,BX,20,EA,0.80,DKK,5\n"
	for _, elsewhere := range []bool{false, true} {
		var lines int
		_, rep, err := Parse(strings.NewReader(body), "text/csv", Options{ListChecksElsewhere: elsewhere},
			func(Line) error { lines++; return nil })
		if err != nil {
			t.Fatal(err)
		}
		if elsewhere && (rep.Errors != 0 || lines != 3) {
			t.Errorf("checks left to the caller: %d errors, %d lines emitted", rep.Errors, lines)
		}
		if !elsewhere && rep.Errors != 2 {
			t.Errorf("checks made here: %d errors (%v), want the duplicate and the other pack", rep.Errors, rep.Problems)
		}
	}
}
