package web_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"andel/internal/demo"
	"andel/internal/pgload"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// BenchmarkShopPages times the practice's pages through the real server
// (api.New over a throwaway PostgreSQL, the demo cooperative seeded) on a
// generated catalogue of ANDEL_BENCH_PRODUCTS products (default 100,000)
// with 10 offers each from 20 suppliers (1,000,000 offers, each supplier's
// in one active price list), loaded with COPY. It reports the p50 and p95
// of each page's time (request sent to answer read, over loopback: the
// server's time plus a local round trip) and the largest page with its
// assets. Targets (issue 14): search and product page p95 < 50 ms, cart
// and checkout < 100 ms, every page < 100 kB. See BENCHMARKS.md.
//
//	make bench-shop
func BenchmarkShopPages(b *testing.B) {
	products := 100000
	if v, err := strconv.Atoi(os.Getenv("ANDEL_BENCH_PRODUCTS")); err == nil && v > 0 {
		products = v
	}
	rounds := 200
	if v, err := strconv.Atoi(os.Getenv("ANDEL_BENCH_ROUNDS")); err == nil && v > 0 {
		rounds = v
	}
	s := newSite(b)
	start := time.Now()
	ids, firstOffer, skus, gtins := generateCatalogue(b, s, products, 20, 10)
	b.Logf("catalogue: %d products, %d offers loaded in %.1f s", len(ids), len(ids)*10, time.Since(start).Seconds())

	explainSearch(b, s, "kanyle", skus[0])

	c := newBenchClient(b, s.http.URL)
	c.login(demo.PracticeEmail)
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(list []string) string { return list[r.IntN(len(list))] }
	queries := func() string {
		switch r.IntN(5) {
		case 0: // a word of a name, as typed
			return "q=" + url.QueryEscape(pick(benchWords))
		case 1: // two words
			return "q=" + url.QueryEscape(pick(benchWords)+" "+pick(benchVariants))
		case 2: // a supplier's SKU
			return "q=" + url.QueryEscape(pick(skus))
		case 3: // a GTIN
			return "q=" + pick(gtins)
		default: // a word within a category
			return "q=" + url.QueryEscape(pick(benchWords)) + "&category=" + url.QueryEscape(benchCategories[r.IntN(len(benchCategories))])
		}
	}
	type result struct {
		name  string
		times []time.Duration
		max   int // the largest page with its assets, bytes
		maxAt string
	}
	var results []*result
	measure := func(name string, n int, do func() (string, time.Duration, int)) {
		res := &result{name: name}
		for range n {
			path, d, size := do()
			res.times = append(res.times, d)
			if size > res.max {
				res.max, res.maxAt = size, path
			}
		}
		results = append(results, res)
	}
	get := func(path string, header ...string) (string, time.Duration, int) {
		d, body := c.timed("GET", path, nil, http.StatusOK, header...)
		return path, d, len(body) + c.assetBytes(body)
	}
	// Warm the server's and the database's caches a little first.
	for range 20 {
		get("/shop?" + queries())
		get("/shop/products/" + strconv.FormatInt(ids[r.IntN(len(ids))], 10))
	}
	// References measured in the same run, for the machine's load: the
	// HTTP stack alone (GET /healthz, no database) and one database round
	// trip (SELECT 1 on the server's pool).
	measure("reference: GET /healthz", rounds, func() (string, time.Duration, int) {
		d, _ := c.timed("GET", "/healthz", nil, http.StatusOK)
		return "/healthz", d, 0
	})
	measure("reference: SELECT 1", rounds, func() (string, time.Duration, int) {
		start := time.Now()
		if err := s.svc.DB.Exec("SELECT 1").Error; err != nil {
			b.Fatal(err)
		}
		return "", time.Since(start), 0
	})
	measure("search page", rounds, func() (string, time.Duration, int) { return get("/shop?" + queries()) })
	measure("search, 2 letters typed (htmx)", rounds/2, func() (string, time.Duration, int) {
		w := []rune(pick(benchWords))
		return get("/shop?q="+url.QueryEscape(string(w[:2])), "HX-Request", "true", "HX-Target", "results")
	})
	measure("search as you type (htmx)", rounds, func() (string, time.Duration, int) {
		return get("/shop?"+queries(), "HX-Request", "true", "HX-Target", "results")
	})
	measure("product page", rounds, func() (string, time.Duration, int) {
		return get("/shop/products/" + strconv.FormatInt(ids[r.IntN(len(ids))], 10))
	})
	// Three products in the cart (offers of at least two suppliers), then
	// the cart page and the checkout, which orders them.
	fill := func() {
		for range 3 {
			p, k := r.IntN(len(ids)), r.IntN(10)
			c.timed("POST", "/cart", url.Values{"product_id": {strconv.FormatInt(ids[p], 10)},
				"offer_id": {strconv.FormatInt(firstOffer+int64(p*10+k), 10)}, "quantity": {"2"}}, http.StatusSeeOther)
		}
	}
	n := max(rounds/4, 20)
	var cartTimes, checkoutTimes []time.Duration
	cartMax, checkoutMax := 0, 0
	for range n {
		fill()
		d, body := c.timed("GET", "/cart", nil, http.StatusOK)
		cartTimes = append(cartTimes, d)
		cartMax = max(cartMax, len(body)+c.assetBytes(body))
		key := cartKey.FindStringSubmatch(string(body))
		if key == nil {
			b.Fatalf("no checkout key on the cart page")
		}
		d, _ = c.timed("POST", "/checkout", url.Values{"key": {key[1]}}, http.StatusSeeOther)
		checkoutTimes = append(checkoutTimes, d)
		_, body = c.timed("GET", c.last, nil, http.StatusOK)
		checkoutMax = max(checkoutMax, len(body)+c.assetBytes(body))
	}
	results = append(results, &result{name: "cart page (3 lines)", times: cartTimes, max: cartMax},
		&result{name: "checkout (3 lines, 2-3 orders)", times: checkoutTimes, max: checkoutMax})

	b.ReportMetric(0, "ns/op")
	for _, res := range results {
		slices.Sort(res.times)
		p50, p95 := pct(res.times, 50), pct(res.times, 95)
		key := strings.NewReplacer(" ", "-", "(", "", ")", "", ",", "").Replace(res.name)
		b.ReportMetric(ms(p95), key+"-p95-ms")
		b.Logf("%-32s n=%4d  p50 %7.2f ms  p95 %7.2f ms  max %7.2f ms  largest page %6.1f kB %s",
			res.name, len(res.times), ms(p50), ms(p95), ms(res.times[len(res.times)-1]), float64(res.max)/1000, res.maxAt)
	}
}

// pct and ms: board_speed_test.go.

var cartKey = regexp.MustCompile(`name="key" value="([^"]+)"`)

// The generated names: a product type, a variant and a size, so that a
// word of a name matches about 1% of the catalogue (as a real catalogue
// of medical supplies: "handske" is in many names, not in most).
var (
	benchWords = []string{"nitrilhandske", "latexhandske", "vinylhandske", "sprøjte", "kanyle", "kompres", "forbinding",
		"plaster", "tape", "vatrondel", "spatel", "termometer", "urinstix", "glucosestrimmel", "lancet", "skalpel",
		"pincet", "saks", "suturtråd", "hudlim", "desinfektion", "håndsprit", "overfladespray", "papirlagen",
		"briksepapir", "engangsforklæde", "mundbind", "visir", "hårnet", "skoovertræk", "prøveglas", "vatpind",
		"podepind", "transportmedie", "kanylebøtte", "affaldspose", "isposer", "varmepude", "elastikbind", "gips",
		"slynge", "skinne", "øjenskyl", "øreskyl", "otoskoptragt", "tungespatel", "stetoskop", "blodtryksmanchet",
		"pulsoximeter", "ekg-elektrode", "ultralydsgel", "glidecreme", "kateter", "urinpose", "stomipose",
		"infusionssæt", "venflon", "stase", "blodprøveglas", "cytologibørste", "spekulum", "vaginalspatel",
		"graviditetstest", "crp-test", "strep-test", "covid-test", "hba1c-kassette", "inr-strimmel", "lancetpen",
		"vægt", "målebånd", "lommelygte", "reflekshammer", "stemmegaffel", "journalmappe", "receptblok",
		"printerpapir", "etiketter", "kuverter", "toiletpapir", "håndklædeark", "sæbe", "creme", "spritserviet",
		"klorhexidin", "jod", "brintoverilte", "saltvand", "sterilt-vand", "bomuldsvat", "gazebind", "netbandage",
		"plasterstrips", "steristrip", "silikonebandage", "skumbandage", "alginat", "hydrokolloid", "sårrens"}
	benchVariants = []string{"steril", "usteril", "pudderfri", "latexfri", "small", "medium", "large", "x-large",
		"blå", "hvid", "sort", "grøn", "junior", "voksen", "standard", "premium", "eco", "klinik"}
	benchCategories = []string{"handsker", "sprøjter", "kanyler", "forbinding", "diagnostik", "desinfektion",
		"papir", "instrumenter", "vacciner-tilbehør", "prøvetagning", "beskyttelse", "kontor"}
)

// generateCatalogue COPYs products products, suppliers suppliers and
// per offers per product (each from another supplier, each supplier's in
// one active price list), and returns the products' ids, the first
// offer's id (product i's offer k is firstOffer + i*per + k: one COPY
// numbers them in order), some SKUs and GTINs to search for.
func generateCatalogue(b *testing.B, s *site, products, suppliers, per int) (ids []int64, firstOffer int64, skus, gtins []string) {
	b.Helper()
	ctx := context.Background()
	pool, err := s.svc.DB.DB()
	if err != nil {
		b.Fatal(err)
	}
	err = pgload.InTx(ctx, pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `INSERT INTO suppliers (name, vat_id) SELECT 'Benchleverandør ' || i, 'BENCH-' || i
			FROM generate_series(1, $1::int) i RETURNING id`, suppliers)
		if err != nil {
			return err
		}
		sups, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		var first int64
		if err := tx.QueryRow(ctx, "SELECT COALESCE(max(id), 0) + 1 FROM products").Scan(&first); err != nil {
			return err
		}
		i := 0
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"products"}, []string{"name", "gtin", "category", "base_unit"},
			pgx.CopyFromFunc(func() ([]any, error) {
				if i == products {
					return nil, nil
				}
				i++
				return []any{benchName(i), benchGTIN(i), benchCategories[i%len(benchCategories)], "EA"}, nil
			})); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, "SELECT id FROM products WHERE id >= $1 ORDER BY id", first)
		if err != nil {
			return err
		}
		if ids, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
			return err
		}
		lists := make([]int64, len(sups))
		for k, sup := range sups {
			if err := tx.QueryRow(ctx, `INSERT INTO price_lists (supplier_id, format, content_type, body_sha256, body_bytes, status,
				rows_read, rows_valid, created_by, validated_at, activated_at)
				VALUES ($1, 'csv', 'text/csv', sha256($2::bytea), 0, 'active', $3, $3, 'bench', now(), now()) RETURNING id`,
				sup, []byte(fmt.Sprintf("bench-%d", sup)), products*per/suppliers).Scan(&lists[k]); err != nil {
				return err
			}
		}
		if err := tx.QueryRow(ctx, "SELECT COALESCE(max(id), 0) FROM offer_rows").Scan(&firstOffer); err != nil {
			return err
		}
		hundred := pgload.Numeric(decimal.NewFromInt(100))
		line := make([]int64, len(sups))
		j := 0
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"offer_rows"},
			[]string{"supplier_id", "price_list_id", "line_no", "sku", "gtin", "name", "category", "product_id",
				"pack_unit", "pack_content", "base_unit", "pack_price", "currency", "min_qty", "action", "status", "lowest"},
			pgx.CopyFromFunc(func() ([]any, error) {
				if j == len(ids)*per {
					return nil, nil
				}
				p, k := j/per, j%per
				j++
				sup := (p + k*(suppliers/per)) % suppliers // per different suppliers
				line[sup]++
				cents := int64(2000 + (p*37+k*211)%8000)
				return []any{sups[sup], lists[sup], line[sup], benchSKU(sup, p), benchGTIN(p + 1), benchName(p + 1),
					benchCategories[(p+1)%len(benchCategories)], ids[p], "BX", hundred, "EA",
					pgload.Numeric(decimal.New(cents, -2)), "DKK", int64(1), "add", "active", true}, nil
			})); err != nil {
			return err
		}
		var got int64
		if err := tx.QueryRow(ctx, "SELECT min(id) FROM offer_rows WHERE price_list_id = ANY($1)", lists).Scan(&got); err != nil {
			return err
		}
		if got != firstOffer+1 {
			return fmt.Errorf("offers numbered from %d, not %d", got, firstOffer+1)
		}
		firstOffer = got
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := s.svc.DB.Exec("ANALYZE").Error; err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		p, k := r.IntN(len(ids)), r.IntN(per)
		skus = append(skus, benchSKU((p+k*(suppliers/per))%suppliers, p)) // as offered
		gtins = append(gtins, benchGTIN(p+1))
	}
	return ids, firstOffer, skus, gtins
}

func benchName(i int) string {
	w, v := benchWords[i%len(benchWords)], benchVariants[(i/len(benchWords))%len(benchVariants)]
	r := []rune(w)
	return fmt.Sprintf("%s %s nr. %d, %d stk", strings.ToUpper(string(r[:1]))+string(r[1:]), v, i, 10*(1+i%20))
}

func benchSKU(supplier, product int) string { return fmt.Sprintf("L%02d-%07d", supplier, product) }

// benchGTIN is a GTIN-13 with a valid GS1 check digit.
func benchGTIN(i int) string {
	s := fmt.Sprintf("209%09d", i) // 20-29: numbers for internal use, none of the demo's
	sum := 0
	for k, c := range s {
		d := int(c - '0')
		if k%2 == 1 {
			d *= 3
		}
		sum += d
	}
	return s + strconv.Itoa((10-sum%10)%10)
}

// benchClient is a logged-in browser without a browser, for benchmarks.
type benchClient struct {
	b      testing.TB
	base   string
	hc     *http.Client
	csrf   string
	last   string         // the last redirect's location
	assets map[string]int // sizes of the assets fetched, by path
}

func newBenchClient(b testing.TB, base string) *benchClient {
	jar, _ := cookiejar.New(nil)
	return &benchClient{b: b, base: base, assets: map[string]int{}, hc: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *benchClient) login(email string) {
	c.timed("POST", "/login", url.Values{"email": {email}, "password": {demo.Password}}, http.StatusSeeOther)
	c.timed("GET", "/cart", nil, http.StatusOK)
	if c.csrf == "" {
		c.b.Fatal("no CSRF token after logging in")
	}
}

// timed sends a request and returns how long the answer took and its body.
func (c *benchClient) timed(method, path string, form url.Values, want int, header ...string) (time.Duration, []byte) {
	c.b.Helper()
	var body io.Reader
	if form != nil {
		if c.csrf != "" {
			form.Set("_csrf", c.csrf)
		}
		body = strings.NewReader(form.Encode())
	}
	r, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.b.Fatal(err)
	}
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	r.Header.Set("Accept-Language", "da")
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	start := time.Now()
	res, err := c.hc.Do(r)
	if err != nil {
		c.b.Fatal(err)
	}
	out, err := io.ReadAll(res.Body)
	d := time.Since(start)
	res.Body.Close()
	if err != nil {
		c.b.Fatal(err)
	}
	if res.StatusCode != want {
		c.b.Fatalf("%s %s: %d, want %d: %.500s", method, path, res.StatusCode, want, out)
	}
	c.last = res.Header.Get("Location")
	if m := csrfField.FindSubmatch(out); m != nil {
		c.csrf = string(m[1])
	}
	return d, out
}

var assetRef = regexp.MustCompile(`(?:href|src)="(/assets/[^"]+)"`)

// assetBytes is the size of the assets a page loads (stylesheet, scripts,
// images under /assets), each fetched once.
func (c *benchClient) assetBytes(page []byte) int {
	n := 0
	seen := map[string]bool{}
	for _, m := range assetRef.FindAllSubmatch(page, -1) {
		path := strings.ReplaceAll(string(m[1]), "&amp;", "&")
		if seen[path] {
			continue
		}
		seen[path] = true
		size, ok := c.assets[path]
		if !ok {
			_, body := c.timed("GET", path, nil, http.StatusOK)
			size, c.assets[path] = len(body), len(body)
		}
		n += size
	}
	return n
}

// explainSearch logs what EXPLAIN ANALYZE shows for the search's matching
// as domain.SearchProducts writes it for a word or a SKU (a union of what
// each index finds, as an array of ids) and as it was before migration
// 00038 (one OR with a SKU subquery, no trigram index on SKUs). The SQL
// mirrors SearchProducts; the benchmark's timings are the real handler's.
var errRollback = errors.New("rolled back")

func explainSearch(b *testing.B, s *site, word, sku string) {
	b.Helper()
	const union = `SELECT * FROM products WHERE products.status = 'active' AND products.id = ANY (ARRAY(
			SELECT id FROM products WHERE search @@ plainto_tsquery('simple', @q)
			UNION SELECT id FROM products WHERE name ILIKE @like
			UNION SELECT o.product_id FROM offers o WHERE o.status = 'active' AND o.sku ILIKE @like AND o.product_id IS NOT NULL))
		ORDER BY ts_rank(products.search, plainto_tsquery('simple', @q)) + similarity(products.name, @q) DESC, products.id LIMIT 31`
	const or = `SELECT * FROM products WHERE products.status = 'active' AND (products.search @@ plainto_tsquery('simple', @q)
			OR products.name ILIKE @like OR products.gtin = @q
			OR EXISTS (SELECT 1 FROM offers o WHERE o.product_id = products.id AND o.status = 'active' AND o.sku ILIKE @like))
		ORDER BY ts_rank(products.search, plainto_tsquery('simple', @q)) + similarity(products.name, @q) DESC, products.id LIMIT 31`
	for _, q := range []string{word, sku} {
		for _, form := range []struct{ name, sql string }{{"union, index of 00038 (now)", union}, {"or, no index (before)", or}} {
			var plan []string
			// Before: the OR without the index, dropped in a transaction
			// that is rolled back.
			err := s.svc.DB.Transaction(func(tx *gorm.DB) error {
				if strings.HasPrefix(form.name, "or") {
					if err := tx.Exec("DROP INDEX offer_rows_sku_trgm_idx").Error; err != nil {
						return err
					}
				}
				if err := tx.Raw("EXPLAIN (ANALYZE, COSTS OFF) "+form.sql,
					map[string]any{"q": q, "like": "%" + q + "%"}).Scan(&plan).Error; err != nil {
					return err
				}
				return errRollback
			})
			if !errors.Is(err, errRollback) {
				b.Fatal(err)
			}
			b.Logf("EXPLAIN ANALYZE search %q, %s:\n    %s", q, form.name, strings.Join(plan, "\n    "))
		}
	}
}
