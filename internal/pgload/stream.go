package pgload

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"andel/domain"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The importer's one pass: a price list's lines stream from the reader
// through the per-SKU checks and the product lookup straight into
// offer_rows with COPY: each SKU's lowest tier as its offer, the lines
// above it as its tiers. Each line is written once, and memory holds one
// SKU's lines and one lookup batch.
//
// It needs each SKU's lines together in the body (the usual layout: UBL
// and JSON nest tiers in their item, spreadsheets keep them in adjacent
// rows). A SKU seen again later shows as a second offer of the same list
// and SKU, which offer_rows' unique key refuses: domain.ErrLinesApart,
// and domain asks for the list again sorted (loadSorted).

// lookupBatch is how many offers share one product lookup; a batch also
// ends at lookupBatchLines lines (offers and their tiers).
const (
	lookupBatch      = 1000
	lookupBatchLines = 4 * lookupBatch
)

// offerRowColumns are the columns of offer_rows COPY fills, in order.
var offerRowColumns = []string{"supplier_id", "price_list_id", "line_no", "sku", "gtin", "name", "description",
	"category", "product_id", "pack_unit", "pack_content", "base_unit", "pack_price", "currency", "min_qty",
	"valid_from", "valid_to", "action", "status", "lowest",
	"not_orderable", "max_qty", "min_order_qty", "max_order_qty", "order_multiple", "unit_written"}

// offerBatch is a run of SKUs on their way to the database: their offers
// (lowest tiers), which need a product, and the tiers above them.
type offerBatch struct {
	offers, tiers []domain.PriceLine
}

// offerStream writes one list's lines, SKU by SKU.
type offerStream struct {
	group   []domain.PriceLine // the current SKU's lines
	dropped bool               // the current SKU went over domain.MaxTiersPerSKU
	batch   offerBatch         // SKUs awaiting their product lookup
	batches chan offerBatch
	abort   <-chan struct{}
	checks  domain.SKUChecks // after an error: keep checking, stop writing
}

// streamOffers runs read and writes its lines into offer_rows on conn,
// inside the transaction open there; the product lookups run on another
// connection of pool. onLine is called for every line read.
func streamOffers(ctx context.Context, conn *pgx.Conn, pool *sql.DB, pl *domain.PriceList, read domain.LineReader,
	onLine func(domain.PriceLine)) (domain.LoadedOffers, error) {
	abort := make(chan struct{})
	var abortOnce sync.Once
	stop := func() { abortOnce.Do(func() { close(abort) }) }
	w := &offerStream{batches: make(chan offerBatch, 1), abort: abort}
	rows := make(chan []any, lookupBatch)
	var wg sync.WaitGroup

	// The reader: lines -> per-SKU checks -> batches of SKUs.
	var out domain.ParseOutcome
	var readErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(w.batches)
		out, readErr = read(func(l domain.PriceLine) error {
			onLine(l)
			return w.add(l)
		})
		if readErr == nil {
			readErr = w.finish()
		}
		if readErr != nil {
			stop()
		}
	}()

	// The lookup: products for each batch of offers, on a connection of
	// its own, then the batch's rows to COPY.
	var candidates, gainedGTIN atomic.Int64
	var lookupErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(rows)
		lookupErr = WithConn(ctx, pool, func(conn *pgx.Conn) error {
			for batch := range w.batches {
				ids, kept, err := lookupProducts(ctx, conn, pl.SupplierID, batch.offers)
				if err != nil {
					return err
				}
				gainedGTIN.Add(kept)
				n, err := reserveCandidates(ctx, conn, batch.offers, ids)
				if err != nil {
					return err
				}
				candidates.Add(n)
				for i, l := range batch.offers {
					select {
					case rows <- offerCopyRow(pl, l, ids[i], true):
					case <-abort:
						return nil
					}
				}
				for _, l := range batch.tiers {
					select {
					case rows <- offerCopyRow(pl, l, 0, false):
					case <-abort:
						return nil
					}
				}
			}
			return nil
		})
		if lookupErr != nil {
			stop()
			for range w.batches { // let the reader finish
			}
		}
	}()

	_, copyErr := conn.CopyFrom(ctx, pgx.Identifier{"offer_rows"}, offerRowColumns,
		pgx.CopyFromFunc(func() ([]any, error) {
			row, ok := <-rows
			if !ok {
				return nil, nil
			}
			return row, nil
		}))
	if copyErr != nil {
		stop()
	}
	for range rows { // let the lookup finish if COPY stopped early
	}
	wg.Wait()
	res := domain.LoadedOffers{Outcome: out, Checks: w.checks, Candidates: candidates.Load(), GainedGTIN: gainedGTIN.Load()}
	var pgErr *pgconn.PgError
	switch {
	case errors.As(copyErr, &pgErr) && pgErr.ConstraintName == "offer_rows_list_sku_key":
		return res, domain.ErrLinesApart
	case copyErr != nil:
		return res, &systemError{fmt.Errorf("copy offers: %w", copyErr)}
	case lookupErr != nil:
		return res, &systemError{fmt.Errorf("match products: %w", lookupErr)}
	}
	return res, readErr
}

// add takes the next line: a new SKU closes the previous one's group.
func (w *offerStream) add(l domain.PriceLine) error {
	if len(w.group) > 0 && w.group[0].SKU != l.SKU {
		if err := w.flushGroup(); err != nil {
			return err
		}
	}
	if len(w.group) == domain.MaxTiersPerSKU {
		if !w.dropped {
			w.dropped = true
			w.checks.TooManyTiers(l)
		}
		return nil
	}
	w.group = append(w.group, l)
	return nil
}

// finish closes the last group and hands over the last batch.
func (w *offerStream) finish() error {
	if len(w.group) > 0 {
		if err := w.flushGroup(); err != nil {
			return err
		}
	}
	return w.sendBatch()
}

// flushGroup checks one SKU's lines as a whole (domain.SKUChecks.CheckSKU)
// and, while the list has no error, writes them: the lowest tier is the
// offer, the others its tiers.
func (w *offerStream) flushGroup() error {
	g := w.group
	w.group, w.dropped = w.group[:0], false
	w.checks.CheckSKU(g)
	if w.checks.Failed() {
		return nil
	}
	w.batch.offers = append(w.batch.offers, g[0])
	w.batch.tiers = append(w.batch.tiers, g[1:]...)
	if len(w.batch.offers) == lookupBatch || len(w.batch.offers)+len(w.batch.tiers) >= lookupBatchLines {
		return w.sendBatch()
	}
	return nil
}

func (w *offerStream) sendBatch() error {
	if len(w.batch.offers) == 0 || w.checks.Failed() {
		return nil
	}
	select {
	case w.batches <- w.batch:
		w.batch = offerBatch{}
		return nil
	case <-w.abort:
		return &systemError{errors.New("the database stopped taking lines")}
	}
}

// lookupProducts returns the product of each offer of batch (0: none yet):
// by GTIN, or without one by the supplier's SKU of a candidate; and how
// many offers with a new GTIN kept their product without one (by SKU).
func lookupProducts(ctx context.Context, conn *pgx.Conn, supplierID int64, batch []domain.PriceLine) ([]int64, int64, error) {
	var gtins, skus []string
	for _, l := range batch {
		if l.GTIN != "" {
			gtins = append(gtins, l.GTIN)
		} else {
			skus = append(skus, l.SKU)
		}
	}
	byGTIN, bySKU := map[string]int64{}, map[string]int64{}
	scan := func(into map[string]int64, sql string, args ...any) error {
		rows, err := conn.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		var key string
		var id int64
		_, err = pgx.ForEachRow(rows, []any{&key, &id}, func() error { into[key] = id; return nil })
		return err
	}
	if len(gtins) > 0 {
		if err := scan(byGTIN, `SELECT gtin, id FROM products WHERE gtin = ANY($1) AND status <> 'merged'`, gtins); err != nil {
			return nil, 0, err
		}
	}
	if len(skus) > 0 {
		if err := scan(bySKU, `SELECT origin_sku, id FROM products
			WHERE origin_supplier_id = $1 AND origin_sku = ANY($2) AND status <> 'merged'`, supplierID, skus); err != nil {
			return nil, 0, err
		}
	}
	// An item that gained a GTIN nobody knows stays on its product: the
	// product of the supplier's offer in force for that SKU (or the
	// candidate remembered by SKU) when that product has no GTIN yet;
	// domain's applyLoaded then gives the product the GTIN. A product with
	// another GTIN is a conflict: the line becomes a candidate of its own.
	var gained []string
	for _, l := range batch {
		if l.GTIN != "" && byGTIN[l.GTIN] == 0 {
			gained = append(gained, l.SKU)
		}
	}
	bySKUWithoutGTIN := map[string]int64{}
	if len(gained) > 0 {
		if err := scan(bySKUWithoutGTIN, `SELECT DISTINCT ON (sku) sku, id FROM (
				SELECT o.sku, p.id, 0 AS pref FROM offers o JOIN products p ON p.id = o.product_id
				WHERE o.supplier_id = $1 AND o.sku = ANY($2) AND o.status = 'active' AND p.gtin IS NULL AND p.status <> 'merged'
				UNION ALL
				SELECT p.origin_sku, p.id, 1 FROM products p
				WHERE p.origin_supplier_id = $1 AND p.origin_sku = ANY($2) AND p.gtin IS NULL AND p.status <> 'merged') k
			ORDER BY sku, pref, id`, supplierID, gained); err != nil {
			return nil, 0, err
		}
	}
	ids := make([]int64, len(batch))
	var kept int64
	for i, l := range batch {
		if l.GTIN != "" {
			ids[i] = byGTIN[l.GTIN]
			if ids[i] == 0 {
				if ids[i] = bySKUWithoutGTIN[l.SKU]; ids[i] != 0 {
					kept++
				}
			}
		} else {
			ids[i] = bySKU[l.SKU]
		}
	}
	return ids, kept, nil
}

// reserveCandidates gives each offer of batch without a product (ids[i]
// 0), unless it deletes its SKU, the id of the candidate product that
// domain's applyLoaded creates for it after the COPY, so that offers are written
// with their product once. Offers of one new GTIN (or, without one, one
// SKU) in the batch share an id; the same GTIN in two batches gets two,
// and applyLoaded folds the second into the first. It returns how many
// ids it reserved.
func reserveCandidates(ctx context.Context, conn *pgx.Conn, batch []domain.PriceLine, ids []int64) (int64, error) {
	keyOf := func(l domain.PriceLine) string {
		if l.GTIN != "" {
			return "gtin:" + l.GTIN
		}
		return "sku:" + l.SKU
	}
	index := map[string]int{}
	for i, l := range batch {
		if ids[i] == 0 && l.Action != "delete" {
			if _, ok := index[keyOf(l)]; !ok {
				index[keyOf(l)] = len(index)
			}
		}
	}
	if len(index) == 0 {
		return 0, nil
	}
	rows, err := conn.Query(ctx, `SELECT nextval(pg_get_serial_sequence('products', 'id')) FROM generate_series(1, $1)`, len(index))
	if err != nil {
		return 0, err
	}
	reserved, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return 0, err
	}
	for i, l := range batch {
		if k, ok := index[keyOf(l)]; ok && ids[i] == 0 && l.Action != "delete" {
			ids[i] = reserved[k]
		}
	}
	return int64(len(reserved)), nil
}

// offerCopyRow is the offer_rows row of a line: an offer (lowest, with its
// product, 0 for none yet) or a tier above it.
func offerCopyRow(pl *domain.PriceList, l domain.PriceLine, productID int64, lowest bool) []any {
	var product any
	if productID != 0 {
		product = productID
	}
	return []any{pl.SupplierID, pl.ID, l.LineNo, l.SKU, nullString(l.GTIN), l.Name, l.Description, l.Category,
		product, l.PackUnit, Numeric(l.PackContent), l.BaseUnit, Numeric(l.PackPrice), l.Currency, l.MinQty,
		nullDate(l.ValidFrom), nullDate(l.ValidTo), l.Action, domain.OfferRowStatus(l.Action), lowest,
		l.NotOrderable, nullCount(l.MaxQty), nullCount(l.MinOrderQty), nullCount(l.MaxOrderQty), nullCount(l.OrderMultiple),
		nullString(l.UnitWritten)}
}
