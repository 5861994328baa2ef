package pricing

import (
	"errors"
	"strings"
	"testing"
)

func TestPackValidate(t *testing.T) {
	good := []Pack{
		{Unit: "BX", Content: Qty("100", "EA")},
		{Unit: "XCT", Content: Qty("12", "LTR")},
		{Unit: "PR", Content: Qty("2", "EA")},
		{Unit: "PK", Content: Qty("0.5", "KGM")},
		LoosePack("EA"),
		{Unit: "KGM", Content: Qty("1000", "GRM")},
	}
	for _, p := range good {
		if err := p.Validate(); err != nil {
			t.Errorf("%+v: %v", p, err)
		}
	}
	bad := []struct {
		p     Pack
		kind  error
		field string
	}{
		{Pack{Unit: "PCS", Content: Qty("1", "EA")}, ErrUnknownUnit, "unit"},
		{Pack{Unit: "BX", Content: Qty("1", "PCS")}, ErrUnknownUnit, "content.unit"},
		{Pack{Unit: "CT", Content: Qty("10", "BX")}, ErrInvalidQuantity, "content.unit"},
		{Pack{Unit: "BX", Content: Qty("0", "EA")}, ErrInvalidQuantity, "content.value"},
		{Pack{Unit: "BX", Content: Qty("-5", "EA")}, ErrInvalidQuantity, "content.value"},
		{Pack{Unit: "EA", Content: Qty("100", "EA")}, ErrInvalidQuantity, "content.value"},
		{Pack{Unit: "KGM", Content: Qty("1", "LTR")}, ErrIncompatibleUnits, "content.unit"},
	}
	for _, tt := range bad {
		wantErr(t, tt.p.Validate(), tt.kind, tt.field)
	}
}

func TestPackQuantities(t *testing.T) {
	box := Pack{Unit: "BX", Content: Qty("100", "EA")}
	c, err := box.ContentIn("C62")
	mustNoErr(t, err)
	if !c.Equal(d("100")) {
		t.Error(c)
	}
	q, err := box.BaseQuantity(d("3"), "EA")
	mustNoErr(t, err)
	if q.String() != "300 EA" {
		t.Error(q)
	}
	bag := Pack{Unit: "XBG", Content: Qty("250", "GRM")}
	q, err = bag.BaseQuantity(d("3"), "KGM")
	mustNoErr(t, err)
	if !q.Value.Equal(d("0.75")) {
		t.Error(q)
	}
	_, err = box.BaseQuantity(d("1"), "KGM")
	wantErr(t, err, ErrIncompatibleUnits, "content.unit")
	_, err = box.BaseQuantity(d("-1"), "EA")
	wantErr(t, err, ErrInvalidQuantity, "packs")
	_, err = box.ContentIn("KGM")
	wantErr(t, err, ErrIncompatibleUnits, "content.unit")
	_, err = box.ContentIn("NOPE")
	wantErr(t, err, ErrUnknownUnit, "unit")
	_, err = Pack{Unit: "BX"}.ContentIn("EA")
	wantErr(t, err, ErrUnknownUnit, "content.unit")

	tests := []struct {
		qty, unit        string
		full, rem, packs string
		roundedUp        bool
	}{
		{"250", "EA", "2", "50", "3", true},
		{"300", "EA", "3", "0", "3", false},
		{"1", "EA", "0", "1", "1", true},
		{"0", "EA", "0", "0", "0", false},
		{"100.5", "EA", "1", "0.5", "2", true},
		{"1000", "C62", "10", "0", "10", false},
	}
	for _, tt := range tests {
		pc, err := box.PacksFor(d(tt.qty), tt.unit)
		mustNoErr(t, err)
		if !pc.Full.Equal(d(tt.full)) || !pc.Remainder.Equal(d(tt.rem)) || !pc.Packs.Equal(d(tt.packs)) || pc.RoundedUp != tt.roundedUp || !pc.Content.Equal(d("100")) {
			t.Errorf("PacksFor(%s %s) = %+v", tt.qty, tt.unit, pc)
		}
	}
	// 1.2 KGM in 500 GRM bags: 2 full bags, 200 g over, 3 bags.
	pc, err := Pack{Unit: "XBG", Content: Qty("500", "GRM")}.PacksFor(d("1.2"), "KGM")
	mustNoErr(t, err)
	if !pc.Full.Equal(d("2")) || !pc.Remainder.Equal(d("0.2")) || !pc.Packs.Equal(d("3")) || !pc.Content.Equal(d("0.5")) {
		t.Errorf("%+v", pc)
	}
	_, err = box.PacksFor(d("-1"), "EA")
	wantErr(t, err, ErrInvalidQuantity, "quantity")
	_, err = box.PacksFor(d("1"), "GRM")
	wantErr(t, err, ErrIncompatibleUnits, "")
}

func TestPerUnitAndCompare(t *testing.T) {
	gloves := PackOffer{Price: MustPrice("45.00", DKK), Pack: Pack{Unit: "BX", Content: Qty("100", "EA")}}
	p, err := gloves.PerUnit("EA")
	mustNoErr(t, err)
	if p.String() != "0.45 DKK" {
		t.Error(p)
	}
	third := PackOffer{Price: MustPrice("10.00", DKK), Pack: Pack{Unit: "PK", Content: Qty("3", "EA")}}
	p, _ = third.PerUnit("EA")
	if p.AmountString() != "3.333333" {
		t.Error(p)
	}
	twoThirds := PackOffer{Price: MustPrice("20.00", DKK), Pack: Pack{Unit: "PK", Content: Qty("3", "EA")}}
	p, _ = twoThirds.PerUnit("EA")
	if p.AmountString() != "6.666667" { // half away from zero at 6 decimals
		t.Error(p)
	}
	bottle := PackOffer{Price: MustPrice("30.00", DKK), Pack: Pack{Unit: "XBO", Content: Qty("500", "MLT")}}
	p, _ = bottle.PerUnit("LTR")
	if p.String() != "60.00 DKK" {
		t.Error(p)
	}
	p, _ = bottle.PerUnit("MLT")
	if p.String() != "0.06 DKK" {
		t.Error(p)
	}
	_, err = bottle.PerUnit("EA")
	wantErr(t, err, ErrIncompatibleUnits, "pack.content.unit")
	_, err = PackOffer{Pack: gloves.Pack}.PerUnit("EA")
	wantErr(t, err, ErrInvalidCurrency, "price.currency")

	litre := PackOffer{Price: MustPrice("55.00", DKK), Pack: Pack{Unit: "XBO", Content: Qty("1", "LTR")}}
	tests := []struct {
		a, b PackOffer
		want int
	}{
		{bottle, litre, 1},  // 60.00/l against 55.00/l
		{litre, bottle, -1}, //
		{bottle, PackOffer{Price: MustPrice("60", DKK), Pack: LoosePack("LTR")}, 0},
		{gloves, PackOffer{Price: MustPrice("225", DKK), Pack: Pack{Unit: "CT", Content: Qty("500", "C62")}}, 0},
		// Rounded unit prices tie (3.333333 each) but the offers do not:
		// 10.00/3 < 3.333334 per unit.
		{third, PackOffer{Price: MustPrice("3.333334", DKK), Pack: LoosePack("EA")}, -1},
		{third, PackOffer{Price: MustPrice("3.333333", DKK), Pack: LoosePack("EA")}, 1},
	}
	for i, tt := range tests {
		got, err := ComparePerUnit(tt.a, tt.b)
		mustNoErr(t, err)
		if got != tt.want {
			t.Errorf("case %d: ComparePerUnit = %d, want %d", i, got, tt.want)
		}
	}
	_, err = ComparePerUnit(gloves, bottle)
	wantErr(t, err, ErrIncompatibleUnits, "b.pack.content.unit")
	_, err = ComparePerUnit(gloves, PackOffer{Price: MustPrice("1", EUR), Pack: gloves.Pack})
	if !errors.Is(err, ErrCurrencyMismatch) {
		t.Error(err)
	}
	_, err = ComparePerUnit(PackOffer{Price: MustPrice("1", DKK), Pack: Pack{Unit: "BX"}}, gloves)
	wantErr(t, err, ErrUnknownUnit, "a.pack.content.unit")
}

// Issue 12: the orderable unit may be a piece with content in any unit, a
// package of packages resolves through its inner content, and a package
// without known content is one of itself.
func TestPackContentInAnyUnit(t *testing.T) {
	// A bottle sold as a piece, holding 1000 ml, compares per ml (it was
	// refused: "cannot convert MLT (volume) to EA (count)").
	for _, unit := range []string{"H87", "EA", "C62"} {
		bottle := PackOffer{Price: MustPrice("30.00", DKK), Pack: Pack{Unit: unit, Content: Qty("1000", "MLT")}}
		mustNoErr(t, bottle.Pack.Validate())
		p, err := bottle.PerUnit("MLT")
		mustNoErr(t, err)
		if p.String() != "0.03 DKK" {
			t.Errorf("%s: %s", unit, p)
		}
		p, err = bottle.PerUnit("LTR")
		mustNoErr(t, err)
		if p.String() != "30.00 DKK" {
			t.Errorf("%s: %s", unit, p)
		}
		// And per piece: one bottle is one EA.
		p, err = bottle.PerUnit("EA")
		mustNoErr(t, err)
		if p.String() != "30.00 DKK" {
			t.Errorf("%s per EA: %s", unit, p)
		}
		half := PackOffer{Price: MustPrice("16.00", DKK), Pack: Pack{Unit: "XBO", Content: Qty("500", "MLT")}}
		c, err := ComparePerUnit(bottle, half)
		mustNoErr(t, err)
		if c != -1 {
			t.Errorf("%s: 30.00 per litre against 32.00: %d", unit, c)
		}
	}
	// A pound of ten pieces (the PEPPOL example) is priced per piece.
	lb := Pack{Unit: "LBR", Content: Qty("10", "C62")}
	mustNoErr(t, lb.Validate())
	q, err := lb.BaseQuantity(d("3"), "C62")
	mustNoErr(t, err)
	if q.String() != "30 C62" {
		t.Error(q)
	}
	// Hours and square metres are orderable units.
	for _, p := range []Pack{LoosePack("HUR"), LoosePack("MTK"), {Unit: "HUR", Content: Qty("60", "MIN")}, {Unit: "XRO", Content: Qty("25", "MTK")}} {
		mustNoErr(t, p.Validate())
	}
	hour := PackOffer{Price: MustPrice("600.00", DKK), Pack: LoosePack("HUR")}
	p, err := hour.PerUnit("MIN")
	mustNoErr(t, err)
	if p.String() != "10.00 DKK" {
		t.Error(p)
	}
	roll := PackOffer{Price: MustPrice("250.00", DKK), Pack: Pack{Unit: "XRO", Content: Qty("25", "MTK")}}
	p, err = roll.PerUnit("MTK")
	mustNoErr(t, err)
	if p.String() != "10.00 DKK" {
		t.Error(p)
	}
	c, err := ComparePerUnit(roll, PackOffer{Price: MustPrice("0.001", DKK), Pack: LoosePack("CMK")})
	mustNoErr(t, err)
	if c != 0 {
		t.Errorf("10.00 per m² against 0.001 per cm²: %d", c)
	}
	// Pounds against kilograms, exactly: a bag of 10 lb at 45.359237 is
	// 10.00 per kg.
	pound := PackOffer{Price: MustPrice("45.359237", DKK), Pack: Pack{Unit: "XBG", Content: Qty("10", "LBR")}}
	kilo := PackOffer{Price: MustPrice("10", DKK), Pack: LoosePack("KGM")}
	if c, err := ComparePerUnit(pound, kilo); err != nil || c != 0 {
		t.Error(c, err)
	}
	if c, err := ComparePerUnit(kilo, PackOffer{Price: MustPrice("4.535924", DKK), Pack: LoosePack("LBR")}); err != nil || c != -1 {
		t.Error(c, err)
	}
	p, err = kilo.PerUnit("LBR") // 10 x 0.45359237, exact
	mustNoErr(t, err)
	if p.AmountString() != "4.535924" {
		t.Error(p)
	}
	p, err = pound.PerUnit("KGM")
	mustNoErr(t, err)
	if !p.Amount().Equal(d("10")) {
		t.Error(p)
	}
	// A kilogram counted in pounds: 2.2046... lb per pack, so 3 lb need 2 packs.
	pc, err := LoosePack("KGM").PacksFor(d("3"), "LBR")
	mustNoErr(t, err)
	if !pc.Packs.Equal(d("2")) || !pc.Full.Equal(d("1")) || !pc.RoundedUp {
		t.Errorf("%+v", pc)
	}
	// Units that cannot hold each other.
	for _, tt := range []struct {
		p     Pack
		kind  error
		field string
	}{
		{Pack{Unit: "HUR", Content: Qty("1", "MTK")}, ErrIncompatibleUnits, "content.unit"},
		{Pack{Unit: "STK", Content: Qty("10", "EA")}, ErrIncompatibleUnits, "unit"},
		{Pack{Unit: "H87", Content: Qty("2", "DZN")}, ErrInvalidQuantity, "content.value"},
	} {
		wantErr(t, tt.p.Validate(), tt.kind, tt.field)
	}
}

func TestPackOfPacks(t *testing.T) {
	inner := &Pack{Unit: "XPK", Content: Qty("100", "C62")}
	cs := Pack{Unit: "XCS", Content: Qty("10", "XPK"), Inner: inner}
	r, err := cs.Resolve()
	mustNoErr(t, err)
	if r.Unit != "XCS" || r.Content.String() != "1000 C62" || r.Inner != nil {
		t.Errorf("%+v", r)
	}
	c, err := cs.ContentIn("EA")
	mustNoErr(t, err)
	if !c.Equal(d("1000")) {
		t.Error(c)
	}
	p, err := PackOffer{Price: MustPrice("450.00", DKK), Pack: cs}.PerUnit("H87")
	mustNoErr(t, err)
	if p.String() != "0.45 DKK" {
		t.Error(p)
	}
	// Three levels: a pallet of 4 cases of 10 packs of 100.
	pallet := Pack{Unit: "XPX", Content: Qty("4", "XCS"), Inner: &cs}
	r, err = pallet.Resolve()
	mustNoErr(t, err)
	if r.Content.String() != "4000 C62" {
		t.Error(r)
	}
	// Without the inner content: a clear error asking for it.
	err = Pack{Unit: "XCS", Content: Qty("10", "XPK")}.Validate()
	wantErr(t, err, ErrInvalidQuantity, "content.unit")
	if !strings.Contains(err.Error(), "say what one XPK holds") {
		t.Error(err)
	}
	// An inner pack that is not the content's unit, or says nothing.
	wantErr(t, Pack{Unit: "XCS", Content: Qty("10", "XPK"), Inner: &Pack{Unit: "XBX", Content: Qty("1", "C62")}}.Validate(), ErrInvalidQuantity, "inner.unit")
	wantErr(t, Pack{Unit: "XCS", Content: Qty("10", "XPK"), Inner: &Pack{Unit: "XPK", Content: Qty("1", "XPK")}}.Validate(), ErrInvalidQuantity, "inner.content.unit")
	wantErr(t, Pack{Unit: "XCS", Content: Qty("10", "XPK"), Inner: &Pack{Unit: "XPK", Content: Qty("0", "C62")}}.Validate(), ErrInvalidQuantity, "inner.content.value")
	// A package whose content is not known is one of itself: it compares
	// only with the same package unit.
	box := Pack{Unit: "XBX", Content: Qty("1", "XBX")}
	mustNoErr(t, box.Validate())
	p, err = PackOffer{Price: MustPrice("12.00", DKK), Pack: box}.PerUnit("XBX")
	mustNoErr(t, err)
	if p.String() != "12.00 DKK" {
		t.Error(p)
	}
	_, err = box.ContentIn("EA")
	wantErr(t, err, ErrIncompatibleUnits, "content.unit")
	wantErr(t, Pack{Unit: "XBX", Content: Qty("2", "XBX")}.Validate(), ErrInvalidQuantity, "content.unit")
}

func TestPackPriceOf(t *testing.T) {
	for _, c := range []struct {
		amount, qty, want string
		exact             bool
	}{
		{"45.00", "1", "45.00", true}, {"90.00", "2", "45", true}, {"100.00", "3", "33.333333", false}, {"2.00", "3", "0.666667", false},
		{"4.5359237", "1", "4.535924", false}, {"45.359237000", "1", "45.359237", true},
	} {
		got, exact, err := PackPriceOf(d(c.amount), d(c.qty))
		mustNoErr(t, err)
		if !got.Equal(d(c.want)) || exact != c.exact {
			t.Errorf("PackPriceOf(%s, %s) = %s %v, want %s %v", c.amount, c.qty, got, exact, c.want, c.exact)
		}
	}
	_, _, err := PackPriceOf(d("1"), d("0"))
	wantErr(t, err, ErrInvalidQuantity, "quantity")
}
