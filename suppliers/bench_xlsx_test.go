package suppliers

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// writeBenchXLSX writes n lines (two tiers per item, as newCSVGen) as an
// .xlsx workbook with numbers in number cells, as Excel saves them.
func writeBenchXLSX(tb testing.TB, n int) string {
	path := filepath.Join(tb.TempDir(), fmt.Sprintf("bench-%d.xlsx", n))
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		tb.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"sku", "name", "gtin", "unit", "pack_content", "base_unit", "pack_price", "currency", "min_qty"}); err != nil {
		tb.Fatal(err)
	}
	for i := range n {
		item, tier := i/2, i%2
		minQty, cents := 1, 4500+item%1000
		if tier == 1 {
			minQty, cents = 10, cents-300
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		row := []any{fmt.Sprintf("SKU-%07d", item), fmt.Sprintf("Nitrile gloves size M %d", item), nil, "XBX", 100, "EA",
			excelize.Cell{Value: fmt.Sprintf("%d.%02d", cents/100, cents%100)}, "DKK", minQty}
		if err := sw.SetRow(cell, row); err != nil {
			tb.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		tb.Fatal(err)
	}
	return path
}

// BenchmarkParseXLSX reads a generated 100,000-line workbook as the
// importer does (the lines emitted into nothing).
//
//	go test -run '^$' -bench ParseXLSX -cpuprofile /tmp/xlsx.prof ./suppliers
func BenchmarkParseXLSX(b *testing.B) {
	const n = 100_000
	path := writeBenchXLSX(b, n)
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		_, rep, err := ParseFormat(f, FormatXLSX, "", Options{ListChecksElsewhere: true}, func(Line) error { return nil })
		f.Close()
		if err != nil || rep.HasErrors() || rep.LinesEmitted != n {
			b.Fatalf("%v %+v", err, rep.Problems)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/time.Since(start).Seconds(), "lines/s")
}
