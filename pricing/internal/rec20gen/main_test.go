package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// The checked-in table must be exactly what the generator makes of the
// checked-in code list.
func TestTableUpToDate(t *testing.T) {
	f, err := os.Open("../../testdata/UNECERec20-11e.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want, err := generate(f, "testdata/UNECERec20-11e.xml")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../rec20_table.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("pricing/rec20_table.go is out of date: run go generate ./pricing")
	}
}

func TestParse(t *testing.T) {
	const doc = `<?xml version="1.0"?>
<CodeList xmlns="urn:fdc:difi.no:2017:vefa:structure:CodeList-1">
<Version>Revision 11e</Version>
<!-- START of Recommendation 20 -->
<Code><Id>EA</Id><Name>each</Name></Code>
<Code><Id> X1 </Id><Name>Gunter's
   chain</Name></Code>
<!-- END of Recommendation 20 -->
<!-- START of Recommendation 21, prefixed with X -->
<Code><Id>XBX</Id><Name>Box </Name></Code>
<!-- END of Recommendation 21 -->
</CodeList>`
	v, codes, err := parse(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if v != "Revision 11e" || len(codes) != 3 {
		t.Fatalf("got %q %v", v, codes)
	}
	want := []code{{"EA", "each", false}, {"X1", "Gunter's chain", false}, {"XBX", "Box", true}}
	for i := range want {
		if codes[i] != want[i] {
			t.Errorf("code %d = %+v, want %+v", i, codes[i], want[i])
		}
	}
	for _, bad := range []string{
		`<CodeList></CodeList>`,
		`<CodeList><Code><Id></Id></Code></CodeList>`,
		`<CodeList><Code><Id>A</Id></Code><Code><Id>A</Id></Code></CodeList>`,
		`<CodeList><Code>`,
	} {
		if _, _, err := parse(strings.NewReader(bad)); err == nil {
			t.Errorf("parse(%q) succeeded", bad)
		}
	}
}
