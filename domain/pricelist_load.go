package domain

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"andel/pricing"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// PriceLine is one price point of a price list as a format reader delivers
// it: a SKU at a pack price from MinQty packs. Several lines of one SKU are
// its quantity tiers.
type PriceLine struct {
	LineNo      int64  // line in the body (CSV row, JSON object, XML element)
	Path        string // structural place, e.g. an XML path; may be empty
	Action      string // add, update or delete
	SKU         string
	GTIN        string // empty when unknown
	Name        string
	Description string
	Category    string
	PackUnit    string
	PackContent decimal.Decimal
	BaseUnit    string
	UnitWritten string // PackUnit as the list wrote it, when not the code ("æsk"); empty: the code
	PackPrice   decimal.Decimal
	Currency    string // empty when NoPrice
	MinQty      int64
	// NoPrice: an update line without a price; it keeps the current
	// offer's price and pack when its list takes effect (written with an
	// empty currency, the mark activate looks for).
	NoPrice   bool
	ValidFrom time.Time // zero: open
	ValidTo   time.Time // zero: open
	// MaxQty bounds this price: it applies up to MaxQty packs (a PEPPOL
	// price's MaximumQuantity); 0: no bound.
	MaxQty int64
	// What the supplier says about ordering the item (the same on every
	// tier of a SKU; SKUChecks.CheckSKU settles them on the offer):
	// NotOrderable marks an item listed but not orderable (PEPPOL
	// OrderableIndicator false); MinOrderQty, MaxOrderQty and
	// OrderMultiple bound an order's packs (0: no rule).
	NotOrderable  bool
	MinOrderQty   int64
	MaxOrderQty   int64
	OrderMultiple int64
}

// PriceListHeader is what a price list says about itself as a whole.
type PriceListHeader struct {
	Action             string // add, replace, update, delete
	ContractRef        string // the contract it was issued under; "" for the default catalogue
	ValidFrom, ValidTo time.Time
}

// ParseOutcome is what a format reader found once the whole body is read.
type ParseOutcome struct {
	Header    PriceListHeader
	Problems  []PriceListProblem // at most MaxStoredProblems
	Errors    int64              // all errors, also those not stored
	Warnings  int64
	RowsRead  int64
	RowsValid int64
}

// LineReader reads a price-list body, calls emit for every valid line as it
// goes, and returns what it found. An error from emit must stop it and be
// returned. It may be called again, and then reads the body from its start.
type LineReader func(emit func(PriceLine) error) (ParseOutcome, error)

// OfferLoader writes a price list's lines into offer_rows in bulk, inside
// the load's transaction: each SKU's lowest tier as its offer (with its
// product, or a reserved id for a candidate product applyLoaded creates),
// the lines above it as its tiers. It applies SKUChecks to each SKU's
// lines and writes nothing more once a SKU failed. Package internal/pgload
// implements it over pgx COPY; LoadPriceList keeps everything else (the
// transaction, the whole-list checks, the status, the audit trail).
type OfferLoader interface {
	// LoadOffers runs one pass of l. It returns ErrLinesApart when a SKU's
	// lines are not together in the body (then LoadPriceList rolls back
	// and asks for a pass with l.Sorted), and any other error for a
	// failure of the system (the database, a spool file). A body that
	// could not be read is the list's fault: LoadedOffers.ReadErr.
	LoadOffers(ctx context.Context, l OfferLoad) (LoadedOffers, error)
}

// OfferLoad is one pass of a price list's lines into offer_rows.
type OfferLoad struct {
	List *PriceList
	Read LineReader
	// OnLine is called for every line read.
	OnLine func(PriceLine)
	// Sorted: the lines of a SKU are not together in the body; load them
	// sorted by SKU (slower: they are staged first).
	Sorted bool
	// Conn is the connection the load's transaction runs on: the offers
	// are written on it, inside that transaction. Pool holds the
	// connections for work beside it (the product lookups).
	Conn *sql.Conn
	Pool *sql.DB
}

// LoadedOffers is what one pass wrote and found.
type LoadedOffers struct {
	Outcome ParseOutcome // what the reader found
	Checks  SKUChecks    // the per-SKU problems
	// Candidates counts the product ids reserved for offers of products
	// the catalogue does not know yet: the candidates to create.
	Candidates int64
	// GainedGTIN counts offers with a GTIN no product has that kept the
	// product of their SKU, which has none yet: applyLoaded gives it theirs.
	GainedGTIN int64
	// ReadErr is why the body could not be read (the list is rejected).
	ReadErr error
}

// ErrLinesApart reports a body whose lines of one SKU are not together.
var ErrLinesApart = errors.New("the lines of a SKU are not together")

// maxConcurrentLoads bounds the price lists loading at once. A load holds
// up to three connections of the pool (its transaction, the product
// lookups, the progress reports): unbounded, enough large uploads at once
// would each hold one and wait for another. With 2 cores, more at once
// would not go faster anyway.
const maxConcurrentLoads = 4

// progressEvery is how often the lines received so far are written to the
// price list, for clients polling a large upload.
const progressEvery = time.Second

// LoadPriceList reads price list id (status validating) with read, writing
// each SKU's offer and tiers into the database as they arrive (through
// loader), checks the list as a whole and applies it to the catalogue: all
// in one transaction. With any error nothing changes in the catalogue and
// the list is rejected with every problem listed (at most
// MaxStoredProblems are kept; the counts are exact). A list that takes
// effect later is scheduled. read may be called twice (each call reads the
// body from its start): when a SKU's lines are not together in the body,
// the list is loaded again sorted. The returned error is for failures of
// the system (I/O, database), not of the list.
func (s *CatalogueService) LoadPriceList(ctx context.Context, id int64, read LineReader, loader OfferLoader) (*PriceList, error) {
	var pl PriceList
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&pl).Error; err != nil {
		return nil, notFoundOr(err, "price list")
	}
	if pl.Status != PriceListValidating {
		return &pl, nil // already loaded: a retried job or request
	}
	// The reporter renews the list's lease from here on, also while the
	// load waits for its turn.
	var received atomic.Int64
	stopProgress := s.reportProgress(ctx, id, &received)
	defer stopProgress()
	select {
	case s.loads <- struct{}{}:
		defer func() { <-s.loads }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	pool, err := s.db.DB()
	if err != nil {
		return nil, err
	}

	var out ParseOutcome
	errRejected := errors.New("rejected")
	load := func(tx *gorm.DB, conn *sql.Conn, sorted bool) error {
		received.Store(0)
		stats := lineStats{currencies: map[string]int64{}}
		res, err := loader.LoadOffers(ctx, OfferLoad{List: &pl, Read: read, Sorted: sorted, Conn: conn, Pool: pool,
			OnLine: func(l PriceLine) {
				stats.add(l)
				received.Add(1)
			}})
		out = res.Outcome
		if err != nil || res.ReadErr != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err != nil {
				return err
			}
			out.Errors++
			out.Problems = append(out.Problems, PriceListProblem{Severity: "error", Message: "the body could not be read: " + res.ReadErr.Error()})
			return errRejected
		}
		stopProgress()
		out.Errors += res.Checks.Errors
		out.Warnings += res.Checks.Warnings
		checked, err := s.checkList(ctx, out, &stats)
		if err != nil {
			return err
		}
		out.Errors += int64(len(checked))
		out.Problems = capProblems(append(append(out.Problems, res.Checks.Problems...), checked...))
		if out.Errors > 0 {
			return errRejected
		}
		return s.applyLoaded(ctx, tx, &pl, out, &stats, res.Candidates, res.GainedGTIN)
	}
	err = s.inLoadTx(ctx, func(tx *gorm.DB, conn *sql.Conn) error { return load(tx, conn, false) })
	if errors.Is(err, ErrLinesApart) {
		err = s.inLoadTx(ctx, func(tx *gorm.DB, conn *sql.Conn) error { return load(tx, conn, true) })
	}
	stopProgress()
	switch {
	case errors.Is(err, errRejected):
		return s.reject(ctx, &pl, out)
	case err != nil:
		return nil, err
	}
	return s.GetPriceListUnscoped(ctx, id)
}

// inLoadTx runs fn in a transaction on one connection of the pool, and
// hands fn that connection too: the loader writes the offers on it with
// the driver's own COPY, inside the same transaction as everything the
// load does through GORM (tx). It commits when fn returns nil.
func (s *CatalogueService) inLoadTx(ctx context.Context, fn func(tx *gorm.DB, conn *sql.Conn) error) error {
	return s.db.WithContext(ctx).Connection(func(c *gorm.DB) error {
		conn, ok := c.Statement.ConnPool.(*sql.Conn)
		if !ok {
			return fmt.Errorf("load price list: the connection is a %T", c.Statement.ConnPool)
		}
		return c.Transaction(func(tx *gorm.DB) error { return fn(tx, conn) })
	})
}

// lineStats is what the load learns of the lines while they stream past,
// so that no query has to scan them again for it.
type lineStats struct {
	lines         int64
	currencies    map[string]int64 // currency -> first line using it
	allValidFrom  bool             // every line has a valid_from
	earliestValid time.Time        // the earliest valid_from
	deletes       int64            // delete lines
	unpriced      int64            // update lines without a price
	priced        int64            // lines with a price
	allValidTo    bool             // every priced line has a valid_to
	latestValidTo time.Time        // the latest valid_to
}

func (st *lineStats) add(l PriceLine) {
	if st.lines == 0 {
		st.allValidFrom = true
	}
	st.lines++
	if l.Action == "delete" || l.NoPrice {
		// A deletion names an item: it needs no price, so no currency,
		// and its dates do not decide when the list takes effect.
		if l.Action == "delete" {
			st.deletes++
		} else {
			st.unpriced++
		}
		return
	}
	if st.priced == 0 {
		st.allValidTo = true
	}
	st.priced++
	if l.ValidTo.IsZero() {
		st.allValidTo = false
	} else if l.ValidTo.After(st.latestValidTo) {
		st.latestValidTo = l.ValidTo
	}
	if _, ok := st.currencies[l.Currency]; !ok {
		st.currencies[l.Currency] = l.LineNo
	}
	if l.ValidFrom.IsZero() {
		st.allValidFrom = false
	} else if st.earliestValid.IsZero() || l.ValidFrom.Before(st.earliestValid) {
		st.earliestValid = l.ValidFrom
	}
}

func nullDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// reportProgress writes the number of lines received to the price list
// every progressEvery, on another connection, until the returned stop is
// called (stop may be called more than once).
func (s *CatalogueService) reportProgress(ctx context.Context, id int64, received *atomic.Int64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(progressEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				// Every tick renews the load's lease (it is alive), and
				// tells the lines read so far.
				n := received.Load()
				s.db.WithContext(ctx).Exec("UPDATE price_lists SET rows_read = ?, lease_until = now() + ?::interval WHERE id = ? AND status = 'validating'",
					n, loadLease, id)
			}
		}
	}()
	var once atomic.Bool
	return func() {
		if once.CompareAndSwap(false, true) {
			close(done)
		}
		<-finished
	}
}

// checkList finds what only the whole list shows: currencies without an
// exchange rate and an empty list (from what the stream showed). The
// per-SKU checks run as the lines stream (SKUChecks, applied by the loader).
func (s *CatalogueService) checkList(ctx context.Context, out ParseOutcome, st *lineStats) ([]PriceListProblem, error) {
	var probs []PriceListProblem
	rates, err := s.RateTable(ctx)
	if err != nil {
		return nil, err
	}
	for cur, line := range st.currencies {
		if _, err := rates.Lookup(pricing.Currency(cur)); err != nil {
			probs = append(probs, PriceListProblem{Severity: "error", Line: int(line), Field: "currency",
				Message: fmt.Sprintf("%s is not the cooperative's currency (%s) and has no exchange rate; ask the cooperative to set one", cur, s.currency)})
		}
	}
	// A list whose validity ended before today would only retire the
	// supplier's current offers and leave none: it is refused, and the
	// catalogue stays as it is.
	ended := out.Header.ValidTo
	if ended.IsZero() && st.allValidTo && st.priced > 0 {
		ended = st.latestValidTo // no period of its own: its lines' latest end
	}
	if today := s.today(); !ended.IsZero() && ended.Before(today) {
		probs = append(probs, PriceListProblem{Severity: "error", Field: "valid_to",
			Message: fmt.Sprintf("the price list's validity ended on %s, before today (%s); it was not applied and the catalogue is unchanged: send a list that is valid today or later",
				ended.Format(time.DateOnly), today.Format(time.DateOnly))})
	}
	if st.lines == 0 && out.Errors == 0 {
		probs = append(probs, PriceListProblem{Severity: "error", Message: "the price list has no lines"})
	}
	return probs, nil
}

// capProblems keeps the first MaxStoredProblems problems, in body order.
func capProblems(p []PriceListProblem) []PriceListProblem {
	slices.SortStableFunc(p, func(a, b PriceListProblem) int { return a.Line - b.Line })
	if len(p) > MaxStoredProblems {
		p = p[:MaxStoredProblems]
	}
	return p
}

// applyLoaded records the list as validated and, when it is in force
// today, puts it into effect (activate); then it creates the candidate
// products whose ids the stream reserved for offers of products the
// catalogue did not know (candidates of them).
func (s *CatalogueService) applyLoaded(ctx context.Context, tx *gorm.DB, pl *PriceList, out ParseOutcome, st *lineStats, candidates, gainedGTIN int64) error {
	pl.Action = headerAction(out.Header.Action)
	pl.ContractRef = out.Header.ContractRef
	validFrom, validTo := out.Header.ValidFrom, out.Header.ValidTo
	if validFrom.IsZero() && st.allValidFrom {
		// A list without a period of its own takes effect when all its lines do.
		validFrom = st.earliestValid
	}
	var currency *string
	if len(st.currencies) == 1 {
		for c := range st.currencies {
			currency = &c
		}
	}
	if st.deletes > 0 || st.unpriced > 0 {
		unmatched, err := unmatchedDeletes(tx, pl)
		if err != nil {
			return err
		}
		out.Warnings += int64(len(unmatched))
		out.Problems = capProblems(append(out.Problems, unmatched...))
	}
	problems, err := json.Marshal(nonNil(out.Problems))
	if err != nil {
		return err
	}
	res := tx.Exec(`UPDATE price_lists SET action = ?, contract_ref = ?, currency = ?, valid_from = ?, valid_to = ?,
		rows_read = ?, rows_valid = ?, error_count = 0, warning_count = ?, problems = ?,
		validated_at = now(), status = 'scheduled'
		WHERE id = ? AND status = 'validating'`,
		pl.Action, pl.ContractRef, currency, nullDate(validFrom), nullDate(validTo),
		out.RowsRead, out.RowsValid, out.Warnings, string(problems), pl.ID)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return Errorf(ECONFLICT, "price list %d is no longer being validated", pl.ID)
	}
	if err := recordAudit(ctx, tx, auditEntry{action: "price_list.validated", entity: "price_list", entityID: pl.ID,
		supplierID: pl.SupplierID, details: map[string]any{"rows": out.RowsRead, "warnings": out.Warnings}}); err != nil {
		return err
	}

	// Items that gained a GTIN kept their product (the loader matched them
	// by SKU to a product without one): the product takes the GTIN, unless
	// another product has it by now.
	if gainedGTIN > 0 {
		// One GTIN per product and one product per GTIN (two SKUs may
		// bring the same one).
		err := tx.Exec(`UPDATE products p SET gtin = g.gtin FROM (
			SELECT DISTINCT ON (a.gtin) a.product_id, a.gtin FROM (
				SELECT DISTINCT ON (o.product_id) o.product_id, o.gtin
				FROM offer_rows o JOIN products x ON x.id = o.product_id AND x.gtin IS NULL AND x.status <> 'merged'
				WHERE o.price_list_id = ? AND o.lowest AND o.gtin IS NOT NULL
				ORDER BY o.product_id, o.line_no) a
			ORDER BY a.gtin, a.product_id) g
		WHERE p.id = g.product_id
		  AND NOT EXISTS (SELECT 1 FROM products q WHERE q.gtin = g.gtin AND q.status <> 'merged')`, pl.ID).Error
		if err != nil {
			return fmt.Errorf("apply price list: products gaining a GTIN: %w", err)
		}
	}
	if validFrom.IsZero() || !validFrom.After(s.today()) {
		if err := s.activate(ctx, tx, pl, st.unpriced > 0); err != nil {
			return err
		}
	}
	if candidates == 0 {
		return nil
	}
	// One candidate per reserved id: by GTIN, or without one remembered by
	// supplier and SKU. An id whose candidate exists already by then (the
	// same new GTIN in two batches, or another list's upload in the
	// meantime) is not created; its offers join that product instead.
	res = tx.Exec(`INSERT INTO products (id, name, gtin, category, base_unit, status, origin_supplier_id, origin_sku)
		OVERRIDING SYSTEM VALUE
		SELECT DISTINCT ON (o.product_id) o.product_id, o.name, o.gtin, o.category, o.base_unit, 'candidate',
			CASE WHEN o.gtin IS NULL THEN o.supplier_id END, CASE WHEN o.gtin IS NULL THEN o.sku END
		FROM offer_rows o
		WHERE o.price_list_id = ? AND o.lowest AND o.product_id IS NOT NULL
		  AND NOT EXISTS (SELECT 1 FROM products p WHERE p.id = o.product_id)
		ORDER BY o.product_id, o.line_no
		ON CONFLICT DO NOTHING`, pl.ID)
	if res.Error != nil {
		return fmt.Errorf("apply price list: %w", res.Error)
	}
	if res.RowsAffected < candidates {
		for _, q := range []string{
			`UPDATE offer_rows o SET product_id = p.id FROM products p
			 WHERE o.price_list_id = ? AND o.lowest AND o.gtin IS NOT NULL
			   AND NOT EXISTS (SELECT 1 FROM products x WHERE x.id = o.product_id)
			   AND p.gtin = o.gtin AND p.status <> 'merged'`,
			`UPDATE offer_rows o SET product_id = p.id FROM products p
			 WHERE o.price_list_id = ? AND o.lowest AND o.gtin IS NULL
			   AND NOT EXISTS (SELECT 1 FROM products x WHERE x.id = o.product_id)
			   AND p.origin_supplier_id = o.supplier_id AND p.origin_sku = o.sku AND p.status <> 'merged'`,
		} {
			if err := tx.Exec(q, pl.ID).Error; err != nil {
				return fmt.Errorf("apply price list: %w", err)
			}
		}
	}
	if candidates > 10000 {
		// Many new products: fresh statistics, or the next list's product
		// lookups are planned for the small table products was before.
		if err := tx.Exec("ANALYZE products").Error; err != nil {
			return err
		}
	}
	return nil
}

func headerAction(a string) string {
	switch a = strings.ToLower(a); a {
	case "add", "update", "delete":
		return a
	}
	return "replace"
}

func nonNil(p []PriceListProblem) []PriceListProblem {
	if p == nil {
		return []PriceListProblem{}
	}
	return p
}

// reject records that price list pl failed validation, with its problems.
func (s *CatalogueService) reject(ctx context.Context, pl *PriceList, out ParseOutcome) (*PriceList, error) {
	problems, err := json.Marshal(nonNil(capProblems(out.Problems)))
	if err != nil {
		return nil, err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec(`UPDATE price_lists SET status = 'rejected', rows_read = ?, rows_valid = ?,
			error_count = ?, warning_count = ?, problems = ?, validated_at = now()
			WHERE id = ? AND status = 'validating'`,
			out.RowsRead, out.RowsValid, out.Errors, out.Warnings, string(problems), pl.ID)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		return recordAudit(ctx, tx, auditEntry{action: "price_list.rejected", entity: "price_list", entityID: pl.ID,
			supplierID: pl.SupplierID, details: map[string]any{"errors": out.Errors, "warnings": out.Warnings}})
	})
	if err != nil {
		return nil, err
	}
	return s.GetPriceListUnscoped(ctx, pl.ID)
}

// ForgetFailedUpload deletes price list id when it is still validating:
// its load failed for a reason of ours (not the list's), and a retry of the
// same body must run afresh rather than find this registration.
func (s *CatalogueService) ForgetFailedUpload(ctx context.Context, id int64) error {
	// Its lines went with the load's rolled-back transaction.
	return s.db.WithContext(context.WithoutCancel(ctx)).
		Exec("DELETE FROM price_lists WHERE id = ? AND status = 'validating'", id).Error
}

// GetPriceListUnscoped reads a price list for the system itself (jobs, the
// importer), whoever the actor is.
func (s *CatalogueService) GetPriceListUnscoped(ctx context.Context, id int64) (*PriceList, error) {
	var pl PriceList
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&pl).Error; err != nil {
		return nil, notFoundOr(err, "price list")
	}
	return &pl, nil
}
