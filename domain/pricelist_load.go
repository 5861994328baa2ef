package domain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"andel/pricing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"
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
	PackPrice   decimal.Decimal
	Currency    string
	MinQty      int64
	ValidFrom   time.Time // zero: open
	ValidTo     time.Time // zero: open
}

// PriceListHeader is what a price list says about itself as a whole.
type PriceListHeader struct {
	Action             string // add, replace, update, delete
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
// each SKU's offer and tiers into the database as they arrive, checks the
// list as a whole and applies it to the catalogue: all in one transaction.
// With any error nothing changes in the catalogue and the list is rejected
// with every problem listed (at most MaxStoredProblems are kept; the counts
// are exact). A list that takes effect later is scheduled. read may be
// called twice (each call reads the body from its start): when a SKU's
// lines are not together in the body, the list is loaded again sorted. The
// returned error is for failures of the system (I/O, database), not of
// the list.
func (s *CatalogueService) LoadPriceList(ctx context.Context, id int64, read LineReader) (*PriceList, error) {
	var pl PriceList
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&pl).Error; err != nil {
		return nil, notFoundOr(err, "price list")
	}
	if pl.Status != PriceListValidating {
		return &pl, nil // already loaded: a retried job or request
	}
	select {
	case s.loads <- struct{}{}:
		defer func() { <-s.loads }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}

	var received atomic.Int64
	stopProgress := s.reportProgress(ctx, id, &received)
	defer stopProgress()
	var out ParseOutcome
	errRejected := errors.New("rejected")
	load := func(tx pgx.Tx, sorted bool) error {
		received.Store(0)
		stats := lineStats{currencies: map[string]int64{}}
		onLine := func(l PriceLine) {
			stats.add(l)
			received.Add(1)
		}
		var res streamResult
		var err error
		if sorted {
			out, res, err = s.loadSorted(ctx, tx, &pl, read, onLine)
		} else {
			out, res, err = s.streamOffers(ctx, tx, &pl, read, onLine)
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			var sysErr *systemError
			switch {
			case errors.Is(err, errLinesApart):
				return err
			case errors.As(err, &sysErr):
				return sysErr.err
			}
			out.Errors++
			out.Problems = append(out.Problems, PriceListProblem{Severity: "error", Message: "the body could not be read: " + err.Error()})
			return errRejected
		}
		stopProgress()
		out.Errors += res.errors
		out.Warnings += res.warnings
		checked, err := s.checkList(ctx, out, &stats)
		if err != nil {
			return err
		}
		out.Errors += int64(len(checked))
		out.Problems = capProblems(append(append(out.Problems, res.problems...), checked...))
		if out.Errors > 0 {
			return errRejected
		}
		return s.applyLoaded(ctx, tx, &pl, out, &stats, res.candidates)
	}
	err := inPgxTx(ctx, s.db, func(tx pgx.Tx) error { return load(tx, false) })
	if errors.Is(err, errLinesApart) {
		err = inPgxTx(ctx, s.db, func(tx pgx.Tx) error { return load(tx, true) })
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

// systemError marks an emit failure that is ours (the database), not the
// list's, so that it is not reported to the supplier as a problem.
type systemError struct{ err error }

func (e *systemError) Error() string { return e.err.Error() }

// lineStats is what the load learns of the lines while they stream past,
// so that no query has to scan them again for it.
type lineStats struct {
	lines         int64
	currencies    map[string]int64 // currency -> first line using it
	allValidFrom  bool             // every line has a valid_from
	earliestValid time.Time        // the earliest valid_from
}

func (st *lineStats) add(l PriceLine) {
	if st.lines == 0 {
		st.allValidFrom = true
	}
	st.lines++
	if _, ok := st.currencies[l.Currency]; !ok {
		st.currencies[l.Currency] = l.LineNo
	}
	if l.ValidFrom.IsZero() {
		st.allValidFrom = false
	} else if st.earliestValid.IsZero() || l.ValidFrom.Before(st.earliestValid) {
		st.earliestValid = l.ValidFrom
	}
}

// PgNumeric hands a decimal to pgx exactly (coefficient and exponent),
// never through a float: the encoding of every NUMERIC the importer COPYs.
func PgNumeric(d decimal.Decimal) pgtype.Numeric {
	return pgtype.Numeric{Int: d.Coefficient(), Exp: d.Exponent(), Valid: true}
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
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
		var last int64
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if n := received.Load(); n != last {
					last = n
					s.db.WithContext(ctx).Exec("UPDATE price_lists SET rows_read = ? WHERE id = ? AND status = 'validating'", n, id)
				}
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
// per-SKU checks run as the lines stream (offerStream.flushGroup).
func (s *CatalogueService) checkList(ctx context.Context, out ParseOutcome, st *lineStats) ([]PriceListProblem, error) {
	var probs []PriceListProblem
	rates, err := s.RateTable(ctx)
	if err != nil {
		return nil, err
	}
	for cur, line := range st.currencies {
		if _, err := rates.Lookup(pricing.Currency(cur)); err != nil {
			probs = append(probs, PriceListProblem{Severity: "error", Line: int(line), Field: "currency",
				Message: fmt.Sprintf("%s is not the cooperative's currency (%s) and has no exchange rate; ask the cooperative to set one", cur, s.Currency)})
		}
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
func (s *CatalogueService) applyLoaded(ctx context.Context, tx pgx.Tx, pl *PriceList, out ParseOutcome, st *lineStats, candidates int64) error {
	pl.Action = headerAction(out.Header.Action)
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
	problems, err := json.Marshal(nonNil(out.Problems))
	if err != nil {
		return err
	}
	tag, err := tx.Exec(ctx, `UPDATE price_lists SET action = $2, currency = $3, valid_from = $4, valid_to = $5,
		rows_read = $6, rows_valid = $7, error_count = 0, warning_count = $8, problems = $9,
		validated_at = now(), status = 'scheduled'
		WHERE id = $1 AND status = 'validating'`,
		pl.ID, pl.Action, currency, nullDate(validFrom), nullDate(validTo),
		out.RowsRead, out.RowsValid, out.Warnings, string(problems))
	if err != nil {
		return err
	}
	if tag.RowsAffected() != 1 {
		return Errorf(ECONFLICT, "price list %d is no longer being validated", pl.ID)
	}
	if err := recordAuditPgx(ctx, tx, auditEntry{action: "price_list.validated", entity: "price_list", entityID: pl.ID,
		supplierID: pl.SupplierID, details: map[string]any{"rows": out.RowsRead, "warnings": out.Warnings}}); err != nil {
		return err
	}

	if validFrom.IsZero() || !validFrom.After(s.today()) {
		if err := s.activate(ctx, tx, pl); err != nil {
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
	tag, err = tx.Exec(ctx, `INSERT INTO products (id, name, gtin, category, base_unit, status, origin_supplier_id, origin_sku)
		OVERRIDING SYSTEM VALUE
		SELECT DISTINCT ON (o.product_id) o.product_id, o.name, o.gtin, o.category, o.base_unit, 'candidate',
			CASE WHEN o.gtin IS NULL THEN o.supplier_id END, CASE WHEN o.gtin IS NULL THEN o.sku END
		FROM offer_rows o
		WHERE o.price_list_id = $1 AND o.lowest AND o.product_id IS NOT NULL
		  AND NOT EXISTS (SELECT 1 FROM products p WHERE p.id = o.product_id)
		ORDER BY o.product_id, o.line_no
		ON CONFLICT DO NOTHING`, pl.ID)
	if err != nil {
		return fmt.Errorf("apply price list: %w", err)
	}
	if tag.RowsAffected() < candidates {
		for _, q := range []string{
			`UPDATE offer_rows o SET product_id = p.id FROM products p
			 WHERE o.price_list_id = $1 AND o.lowest AND o.gtin IS NOT NULL
			   AND NOT EXISTS (SELECT 1 FROM products x WHERE x.id = o.product_id)
			   AND p.gtin = o.gtin AND p.status <> 'merged'`,
			`UPDATE offer_rows o SET product_id = p.id FROM products p
			 WHERE o.price_list_id = $1 AND o.lowest AND o.gtin IS NULL
			   AND NOT EXISTS (SELECT 1 FROM products x WHERE x.id = o.product_id)
			   AND p.origin_supplier_id = o.supplier_id AND p.origin_sku = o.sku AND p.status <> 'merged'`,
		} {
			if _, err := tx.Exec(ctx, q, pl.ID); err != nil {
				return fmt.Errorf("apply price list: %w", err)
			}
		}
	}
	if candidates > 10000 {
		// Many new products: fresh statistics, or the next list's product
		// lookups are planned for the small table products was before.
		if _, err := tx.Exec(ctx, "ANALYZE products"); err != nil {
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
	err = inPgxTx(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE price_lists SET status = 'rejected', rows_read = $2, rows_valid = $3,
			error_count = $4, warning_count = $5, problems = $6, validated_at = now()
			WHERE id = $1 AND status = 'validating'`,
			pl.ID, out.RowsRead, out.RowsValid, out.Errors, out.Warnings, string(problems))
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		return recordAuditPgx(ctx, tx, auditEntry{action: "price_list.rejected", entity: "price_list", entityID: pl.ID,
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
