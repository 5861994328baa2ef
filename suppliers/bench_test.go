package suppliers

import (
	"fmt"
	"io"
	"runtime"
	"testing"
	"time"
)

// csvGen streams a generated CSV price list of n data rows without ever
// holding it: each item has two tiers (min_qty 1 and 10).
type csvGen struct {
	n, i int
	buf  []byte
	head bool
}

func newCSVGen(n int) *csvGen { return &csvGen{n: n} }

func (g *csvGen) Read(p []byte) (int, error) {
	for len(g.buf) < len(p) && g.i < g.n {
		if !g.head {
			g.buf = append(g.buf, "sku,name,gtin,unit,pack_content,base_unit,pack_price,currency,min_qty,valid_from,valid_to,category\n"...)
			g.head = true
		}
		item, tier := g.i/2, g.i%2
		minQty, cents := 1, 4500+item%1000
		if tier == 1 {
			minQty, cents = 10, cents-300
		}
		g.buf = fmt.Appendf(g.buf, "SKU-%07d,Nitrile gloves size M %d,%s,XBX,100,EA,%d.%02d,DKK,%d,2027-01-01,2027-12-31,Gloves\n",
			item, item, gtin13(570000000000+int64(item)), cents/100, cents%100, minQty)
		g.i++
	}
	if len(g.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, g.buf)
	g.buf = g.buf[:copy(g.buf, g.buf[n:])]
	return n, nil
}

// gtin13 appends the GS1 check digit to a 12-digit number.
func gtin13(n int64) string {
	s := fmt.Sprintf("%012d", n)
	sum := 0
	for i := 11; i >= 0; i-- {
		d := int(s[i] - '0')
		if (11-i)%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return s + string(rune('0'+(10-sum%10)%10))
}

// BenchmarkParseCSV parses generated lists of 10,000 and 100,000 lines.
// B/line and allocs/line staying the same from 10k to 100k shows the cost
// per line is constant: the body is never held, only the whole-list
// check keys grow (about 16-byte hashes per distinct key).
func BenchmarkParseCSV(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("lines=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var ms0, ms1 runtime.MemStats
			runtime.ReadMemStats(&ms0)
			start := time.Now()
			for b.Loop() {
				_, rep, err := Parse(newCSVGen(n), "text/csv", Options{}, func(Line) error { return nil })
				if err != nil || rep.HasErrors() || rep.LinesEmitted != n {
					b.Fatalf("%v %+v", err, rep)
				}
			}
			elapsed := time.Since(start)
			runtime.ReadMemStats(&ms1)
			lines := float64(n) * float64(b.N)
			b.ReportMetric(lines/elapsed.Seconds(), "lines/s")
			b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/lines, "B/line")
			b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/lines, "allocs/line")
		})
	}
}

// TestStreamingMemory parses a generated 300,000-line list and samples the
// live heap while it runs: it must stay far below the body's size (about
// 32 MB), bounded by the buffers plus the whole-list check keys.
func TestStreamingMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("parses 300,000 lines")
	}
	const n = 300_000
	var peak uint64
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	lines := 0
	_, rep, err := Parse(newCSVGen(n), "text/csv", Options{}, func(Line) error {
		lines++
		if lines%20_000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc-min(base, ms.HeapAlloc))
		}
		return nil
	})
	if err != nil || rep.HasErrors() || lines != n {
		t.Fatalf("%v %+v", err, rep)
	}
	perLine := float64(peak) / n
	t.Logf("live heap at most %.1f MB for %d lines (%.0f B/line, the whole-list check keys)", float64(peak)/1e6, n, perLine)
	if perLine > 100 {
		t.Errorf("live heap grows by %.0f B per line; the body must not be retained", perLine)
	}
}
