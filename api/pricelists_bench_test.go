package api_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"andel/internal/pgload"
	"andel/suppliers"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// BenchmarkPriceListImport uploads generated CSV price lists of 100,000 and
// 1,000,000 lines through the real HTTP handler (202, then polled until in
// force) and, in the same run, COPYs the same rows straight into the same
// table (offer_rows, where the importer writes every line) as the physical
// reference. It reports both
// rates, their ratio, and the peak Go heap during the import.
//
// "first" is a supplier's first list: every SKU is new to the catalogue and
// becomes a product candidate. "update" is the steady state: the same SKUs
// again with new prices (the earlier list, loaded untimed, is superseded).
//
//	go test -run '^$' -bench PriceListImport -benchtime 1x ./api
//
// The same rows also come as an .xlsx workbook and as a PEPPOL UBL
// catalogue (format=xlsx, format=ubl; the CSV runs keep their names). For
// UBL the run also times the reader alone over the same file
// (suppliers.ParseFormat without a database) and reports the import's rate
// as a ratio of it (reader-ratio).
func BenchmarkPriceListImport(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		for _, kind := range []string{"first", "update"} {
			b.Run(fmt.Sprintf("lines=%d/%s", n, kind), func(b *testing.B) { benchImport(b, "csv", n, kind == "update") })
		}
		for _, format := range []string{"xlsx", "ubl"} {
			b.Run(fmt.Sprintf("lines=%d/format=%s/update", n, format), func(b *testing.B) { benchImport(b, format, n, true) })
		}
	}
}

// benchMediaTypes are the Content-Types the benchmark uploads.
var benchMediaTypes = map[string]string{"csv": "text/csv", "xlsx": suppliers.XLSXMediaType, "ubl": "application/xml"}

// writeGenerated writes generation gen of n lines in format.
func writeGenerated(b *testing.B, dir, format string, gen, n int) string {
	switch format {
	case "xlsx":
		return writeGeneratedXLSX(b, dir, gen, n)
	case "ubl":
		return writeGeneratedUBL(b, dir, gen, n)
	}
	return writeGeneratedCSV(b, dir, gen, n)
}

// genRow is line i of generation gen as cells: the rows genLine writes.
func genRow(gen, i int) (sku int, name string, minQty, cents int) {
	sku, tier := i/2, i%2
	minQty, cents = 1, 4500+(sku%997)+gen
	if tier == 1 {
		minQty, cents = 10, cents-150
	}
	return sku, fmt.Sprintf("Benchmark item %d nitrile gloves size M box", sku), minQty, cents
}

// writeGeneratedXLSX writes the rows with excelize's stream writer, numbers
// in number cells, as Excel would save them.
func writeGeneratedXLSX(b *testing.B, dir string, gen, n int) string {
	path := filepath.Join(dir, fmt.Sprintf("list-%d-%d.xlsx", gen, n))
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	header := []any{"sku", "name", "gtin", "unit", "pack_content", "base_unit", "pack_price", "currency", "min_qty"}
	if err := sw.SetRow("A1", header); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < n; i++ {
		sku, name, minQty, cents := genRow(gen, i)
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		row := []any{fmt.Sprintf("B-%07d", sku), name, nil, "BX", 100, "EA",
			excelize.Cell{Value: fmt.Sprintf("%d.%02d", cents/100, cents%100)}, "DKK", minQty}
		if err := sw.SetRow(cell, row); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
	return path
}

// writeGeneratedUBL writes the rows as a PEPPOL catalogue: one
// CatalogueLine per SKU with its two tiers.
func writeGeneratedUBL(b *testing.B, dir string, gen, n int) string {
	path := filepath.Join(dir, fmt.Sprintf("list-%d-%d.xml", gen, n))
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<Catalogue xmlns="urn:oasis:names:specification:ubl:schema:xsd:Catalogue-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:CustomizationID>urn:fdc:peppol.eu:poacc:trns:catalogue:3</cbc:CustomizationID><cbc:ProfileID>urn:fdc:peppol.eu:poacc:bis:catalogue_only:3</cbc:ProfileID>
<cbc:ID>BENCH-` + fmt.Sprint(gen) + `</cbc:ID><cbc:ActionCode>Replace</cbc:ActionCode><cbc:IssueDate>2026-01-01</cbc:IssueDate>
<cac:ProviderParty><cbc:EndpointID schemeID="0184">DK12345674</cbc:EndpointID><cac:PartyName><cbc:Name>Bench</cbc:Name></cac:PartyName></cac:ProviderParty>
<cac:ReceiverParty><cbc:EndpointID schemeID="0184">DK87654328</cbc:EndpointID><cac:PartyLegalEntity><cbc:RegistrationName>Andel</cbc:RegistrationName></cac:PartyLegalEntity></cac:ReceiverParty>
`)
	for i := 0; i < n; i += 2 {
		sku, name, _, cents := genRow(gen, i)
		_, _, minQty2, cents2 := genRow(gen, i+1)
		fmt.Fprintf(w, `<cac:CatalogueLine><cbc:ID>%d</cbc:ID><cbc:ActionCode>Add</cbc:ActionCode><cbc:OrderableUnit>XBX</cbc:OrderableUnit><cbc:ContentUnitQuantity unitCode="EA">100</cbc:ContentUnitQuantity>`+
			`<cac:RequiredItemLocationQuantity><cbc:MinimumQuantity unitCode="XBX">1</cbc:MinimumQuantity><cac:Price><cbc:PriceAmount currencyID="DKK">%d.%02d</cbc:PriceAmount></cac:Price></cac:RequiredItemLocationQuantity>`+
			`<cac:RequiredItemLocationQuantity><cbc:MinimumQuantity unitCode="XBX">%d</cbc:MinimumQuantity><cac:Price><cbc:PriceAmount currencyID="DKK">%d.%02d</cbc:PriceAmount></cac:Price></cac:RequiredItemLocationQuantity>`+
			`<cac:Item><cbc:Name>%s</cbc:Name><cac:SellersItemIdentification><cbc:ID>B-%07d</cbc:ID></cac:SellersItemIdentification></cac:Item></cac:CatalogueLine>`+"\n",
			sku+1, cents/100, cents%100, minQty2, cents2/100, cents2%100, name, sku)
	}
	w.WriteString("</Catalogue>\n")
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// readerSecs times the format's reader alone over the file at path, as
// the importer calls it, emitting into nothing.
func readerSecs(b *testing.B, format, path string, n int) float64 {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	start := time.Now()
	_, rep, err := suppliers.ParseFormat(f, suppliers.Format(format), "", suppliers.Options{ListChecksElsewhere: true}, func(suppliers.Line) error { return nil })
	if err != nil || rep.HasErrors() || rep.LinesEmitted != n {
		b.Fatalf("reader: %v %+v", err, rep)
	}
	return time.Since(start).Seconds()
}

// genLine writes line i of generation gen: every SKU has two tiers, so n
// lines are n/2 offers.
func genLine(w *bufio.Writer, gen, i int) {
	sku, tier := i/2, i%2
	minQty, cents := 1, 4500+(sku%997)+gen
	if tier == 1 {
		minQty, cents = 10, cents-150
	}
	fmt.Fprintf(w, "B-%07d,Benchmark item %d nitrile gloves size M box,,BX,100,EA,%d.%02d,DKK,%d\n",
		sku, sku, cents/100, cents%100, minQty)
}

func writeGeneratedCSV(b *testing.B, dir string, gen, n int) string {
	path := filepath.Join(dir, fmt.Sprintf("list-%d-%d.csv", gen, n))
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("sku,name,gtin,unit,pack_content,base_unit,pack_price,currency,min_qty\n")
	for i := 0; i < n; i++ {
		genLine(w, gen, i)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

func benchImport(b *testing.B, format string, n int, update bool) {
	e := newEnv(b)
	key := e.demoKey(1)
	sid := e.supplierOf(key)
	c := e.withKey(key)
	dir := b.TempDir()
	var importSecs, copySecs, readSecs, peakHeap float64
	if update {
		b.StopTimer()
		if _, err := uploadAndWait(c, key, format, writeGenerated(b, dir, format, 1000, n)); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	for gen := 0; gen < b.N; gen++ {
		b.StopTimer()
		path := writeGenerated(b, dir, format, gen, n)
		if format == "ubl" {
			runtime.GC()
			readSecs += readerSecs(b, format, path, n)
		}
		runtime.GC()
		peak := samplePeakHeap()
		b.StartTimer()

		start := time.Now()
		if _, err := uploadAndWait(c, key, format, path); err != nil {
			b.Fatal(err)
		}
		importSecs += time.Since(start).Seconds()
		peakHeap = max(peakHeap, peak())

		b.StopTimer()
		copySecs += rawCopy(b, e, sid, gen, n, !update)
		b.StartTimer()
	}
	rate := float64(n*b.N) / importSecs
	copyRate := float64(n*b.N) / copySecs
	b.ReportMetric(rate, "rows/s")
	b.ReportMetric(copyRate, "copy-rows/s")
	b.ReportMetric(rate/copyRate, "ratio")
	b.ReportMetric(peakHeap/(1<<20), "peak-heap-MB")
	if readSecs > 0 {
		b.ReportMetric(float64(n*b.N)/readSecs, "reader-rows/s")
		b.ReportMetric(readSecs/importSecs, "reader-ratio")
	}
}

// uploadAndWait uploads the file at path in format through the HTTP API
// and polls the price list until it is no longer validating.
func uploadAndWait(c *client, key, format, path string) (map[string]any, error) {
	body, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer body.Close()
	req, _ := http.NewRequest("POST", c.e.http.URL+"/api/v1/price-lists", body)
	req.Header.Set("Content-Type", benchMediaTypes[format])
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusAccepted {
		return nil, fmt.Errorf("upload: %s", res.Status)
	}
	loc := res.Header.Get("Location")
	for {
		pl := c.do("GET", loc, nil).expect(http.StatusOK).json()
		switch pl["status"] {
		case "validating":
			time.Sleep(50 * time.Millisecond)
		case "active":
			return pl, nil
		default:
			return nil, fmt.Errorf("import ended %v: %v", pl["status"], pl["errors"])
		}
	}
}

// samplePeakHeap samples the live heap every 10 ms until the returned
// function is called, which returns the peak above the starting heap.
func samplePeakHeap() func() float64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				if ms.HeapAlloc > base && ms.HeapAlloc-base > peak.Load() {
					peak.Store(ms.HeapAlloc - base)
				}
			}
		}
	}()
	return func() float64 {
		close(done)
		wg.Wait()
		return float64(peak.Load())
	}
}

// rawCopy COPYs the generated rows straight into offer_rows, as the
// importer writes them (every column it writes, the ordering rules and
// the unit as written included; each SKU's lowest tier an offer with its product,
// the tier above it a tier row), and for a first list the candidate
// products the importer creates, under a throwaway price list, rolled
// back, and returns the seconds the COPYs took.
func rawCopy(b *testing.B, e *env, supplierID int64, gen, n int, first bool) float64 {
	ctx := context.Background()
	sqlDB, err := e.svc.DB.DB()
	if err != nil {
		b.Fatal(err)
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	var secs float64
	err = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		products := map[string]int64{} // the importer looks these up as it goes
		rows, err := pc.Query(ctx, "SELECT origin_sku, id FROM products WHERE origin_supplier_id = $1 AND status <> 'merged'", supplierID)
		if err != nil {
			return err
		}
		var sku string
		var id int64
		if _, err := pgx.ForEachRow(rows, []any{&sku, &id}, func() error { products[sku] = id; return nil }); err != nil {
			return err
		}
		tx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		var listID int64
		if err := tx.QueryRow(ctx, `INSERT INTO price_lists (supplier_id, format, content_type, body_sha256, body_bytes, created_by)
			VALUES ($1, 'csv', 'text/csv', $2, 0, 'bench') RETURNING id`, supplierID, []byte(fmt.Sprintf("raw-%d-%d", gen, n))).Scan(&listID); err != nil {
			return err
		}
		hundred, i := decimal.NewFromInt(100), 0
		start := time.Now()
		_, err = tx.CopyFrom(ctx, pgx.Identifier{"offer_rows"},
			[]string{"supplier_id", "price_list_id", "line_no", "sku", "gtin", "name", "description", "category", "product_id",
				"pack_unit", "pack_content", "base_unit", "pack_price", "currency", "min_qty", "valid_from", "valid_to",
				"action", "status", "lowest", "not_orderable", "max_qty", "min_order_qty", "max_order_qty", "order_multiple",
				"unit_written"},
			pgx.CopyFromFunc(func() ([]any, error) {
				if i == n {
					return nil, nil
				}
				sku, tier := i/2, i%2
				minQty, cents := int64(1), int64(4500+(sku%997)+gen)
				if tier == 1 {
					minQty, cents = 10, cents-150
				}
				i++
				code := fmt.Sprintf("B-%07d", sku)
				var product any
				if id, ok := products[code]; ok && tier == 0 && !first {
					product = id
				}
				return []any{supplierID, listID, int64(i + 1), code, nil,
					fmt.Sprintf("Benchmark item %d nitrile gloves size M box", sku), "", "", product, "BX", pgload.Numeric(hundred),
					"EA", pgload.Numeric(decimal.New(cents, -2)), "DKK", minQty, nil, nil, "add", "active", tier == 0,
					false, nil, nil, nil, nil, nil}, nil // unit_written: the list writes the code BX
			}))
		if err != nil {
			return err
		}
		if first {
			// A first list: the importer also creates a candidate product
			// per SKU, so the physical reference writes those rows too
			// (under other SKUs: the import's candidates exist by now).
			j := 0
			_, err = tx.CopyFrom(ctx, pgx.Identifier{"products"},
				[]string{"name", "category", "base_unit", "status", "origin_supplier_id", "origin_sku"},
				pgx.CopyFromFunc(func() ([]any, error) {
					if j == n/2 {
						return nil, nil
					}
					j++
					return []any{fmt.Sprintf("Benchmark item %d nitrile gloves size M box", j-1), "", "EA", "candidate",
						supplierID, fmt.Sprintf("R-%07d", j-1)}, nil
				}))
		}
		secs = time.Since(start).Seconds()
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return secs
}
