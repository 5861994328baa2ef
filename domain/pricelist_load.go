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
// returned.
type LineReader func(emit func(PriceLine) error) (ParseOutcome, error)

// priceListLineColumns are the columns COPY fills, in order.
var priceListLineColumns = []string{"price_list_id", "supplier_id", "line_no", "path", "action", "sku", "gtin",
	"name", "description", "category", "pack_unit", "pack_content", "base_unit", "pack_price", "currency",
	"min_qty", "valid_from", "valid_to"}

// progressEvery is how often the lines received so far are written to the
// price list, for clients polling a large upload.
const progressEvery = time.Second

// LoadPriceList reads price list id (status validating) with read, copying
// each line into the database as it arrives, then checks the list as a
// whole, matches its offers to products and applies it to the catalogue:
// all in one transaction. With any error nothing changes in the catalogue
// and the list is rejected with every problem listed (at most
// MaxStoredProblems are kept; the counts are exact). A list that takes
// effect later is scheduled. The returned error is for failures of the
// system (I/O, database), not of the list.
func (s *CatalogueService) LoadPriceList(ctx context.Context, id int64, read LineReader) (*PriceList, error) {
	var pl PriceList
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&pl).Error; err != nil {
		return nil, notFoundOr(err, "price list")
	}
	if pl.Status != PriceListValidating {
		return &pl, nil // already loaded: a retried job or request
	}

	var received atomic.Int64
	stats := lineStats{currencies: map[string]int64{}}
	stopProgress := s.reportProgress(ctx, id, &received)
	var out ParseOutcome
	var checked []PriceListProblem
	errRejected := errors.New("rejected")
	err := inPgxTx(ctx, s.db, func(tx pgx.Tx) error {
		var readErr error
		out, readErr = s.copyLines(ctx, tx, &pl, read, &received, &stats)
		stopProgress()
		if readErr != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			var sysErr *systemError
			if errors.As(readErr, &sysErr) {
				return sysErr.err
			}
			out.Errors++
			out.Problems = append(out.Problems, PriceListProblem{Severity: "error", Message: "the body could not be read: " + readErr.Error()})
			return errRejected
		}
		var err error
		if checked, err = s.checkLines(ctx, tx, &pl, out, &stats); err != nil {
			return err
		}
		for _, p := range checked {
			if p.Severity == "error" {
				out.Errors++
			} else {
				out.Warnings++
			}
		}
		out.Problems = capProblems(append(out.Problems, checked...))
		if out.Errors > 0 {
			return errRejected
		}
		return s.applyLoaded(ctx, tx, &pl, out, &stats)
	})
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

// copyLines runs read and streams its lines into price_list_lines with COPY.
// The reader runs in its own goroutine; COPY pulls rows from it through a
// small channel, so memory holds a few hundred lines at most.
func (s *CatalogueService) copyLines(ctx context.Context, tx pgx.Tx, pl *PriceList, read LineReader, received *atomic.Int64, st *lineStats) (ParseOutcome, error) {
	rows := make(chan []any, 256)
	copyDone := make(chan struct{})
	var out ParseOutcome
	var readErr error
	go func() {
		defer close(rows)
		out, readErr = read(func(l PriceLine) error {
			st.add(l)
			select {
			case rows <- lineRow(pl, l):
				return nil
			case <-copyDone:
				return &systemError{errors.New("the database stopped taking lines")}
			}
		})
	}()
	_, copyErr := tx.CopyFrom(ctx, pgx.Identifier{"price_list_lines"}, priceListLineColumns,
		pgx.CopyFromFunc(func() ([]any, error) {
			row, ok := <-rows
			if !ok {
				return nil, nil
			}
			received.Add(1)
			return row, nil
		}))
	close(copyDone)
	for range rows { // let the reader finish if COPY stopped early
	}
	if copyErr != nil {
		return out, &systemError{fmt.Errorf("copy price-list lines: %w", copyErr)}
	}
	return out, readErr
}

func lineRow(pl *PriceList, l PriceLine) []any {
	return []any{pl.ID, pl.SupplierID, l.LineNo, l.Path, l.Action, l.SKU, nullString(l.GTIN), l.Name,
		l.Description, l.Category, l.PackUnit, PgNumeric(l.PackContent), l.BaseUnit, PgNumeric(l.PackPrice),
		l.Currency, l.MinQty, nullDate(l.ValidFrom), nullDate(l.ValidTo)}
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

// checkLines finds what no single line shows: the same SKU and minimum
// quantity twice, tiers of one SKU that disagree on the pack, tier prices
// that rise with quantity (one pass over the lines in index order), and
// currencies without an exchange rate and an empty list (from what the
// stream showed).
func (s *CatalogueService) checkLines(ctx context.Context, tx pgx.Tx, pl *PriceList, out ParseOutcome, st *lineStats) ([]PriceListProblem, error) {
	var probs []PriceListProblem
	add := func(severity, field, sku string, line int64, format string, args ...any) {
		probs = append(probs, PriceListProblem{Severity: severity, Line: int(line), Field: field, SKU: sku,
			Message: fmt.Sprintf(format, args...)})
	}
	rows, err := tx.Query(ctx, `SELECT sku, min_qty, line_no, prev_line, min_qty = prev_qty, pack_differs,
			action <> 'delete' AND min_qty <> prev_qty AND pack_price > prev_price
		FROM (
			SELECT sku, min_qty, line_no, action, pack_price,
			       lag(min_qty) OVER w AS prev_qty, lag(line_no) OVER w AS prev_line,
			       lag(pack_price) OVER w AS prev_price,
			       (pack_unit, pack_content, base_unit, currency, action)
			           IS DISTINCT FROM lag((pack_unit, pack_content, base_unit, currency, action)) OVER w AS pack_differs
			FROM price_list_lines WHERE price_list_id = $1
			WINDOW w AS (PARTITION BY sku ORDER BY min_qty)
		) t
		WHERE prev_line IS NOT NULL
		  AND (min_qty = prev_qty OR pack_differs OR (action <> 'delete' AND pack_price > prev_price))
		ORDER BY line_no LIMIT $2`, pl.ID, MaxStoredProblems)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var sku string
		var minQty, line, prevLine int64
		var dup, packDiffers, rising bool
		if err := rows.Scan(&sku, &minQty, &line, &prevLine, &dup, &packDiffers, &rising); err != nil {
			return nil, err
		}
		switch {
		case dup:
			add("error", "min_qty", sku, line, "SKU %q with minimum quantity %d appears again (also on line %d)", sku, minQty, prevLine)
		case packDiffers:
			add("error", "sku", sku, line, "the tiers of SKU %q disagree on pack unit, content, base unit, currency or action (see line %d)", sku, prevLine)
		case rising:
			add("warning", "pack_price", sku, line, "the pack price of SKU %q rises with the quantity (line %d is cheaper)", sku, prevLine)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}

	rates, err := s.RateTable(ctx)
	if err != nil {
		return nil, err
	}
	for cur, line := range st.currencies {
		if _, err := rates.Lookup(pricing.Currency(cur)); err != nil {
			add("error", "currency", "", line, "%s is not the cooperative's currency (%s) and has no exchange rate; ask the cooperative to set one", cur, s.Currency)
		}
	}
	if st.lines == 0 && out.Errors == 0 {
		add("error", "", "", 0, "the price list has no lines")
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
// today, retires what it replaces (activate); then it creates the list's
// offers from its lines, matching products by GTIN (else by the supplier's
// SKU) and creating product candidates for the unmatched. Offers are
// inserted with their final status, so that each is written once.
func (s *CatalogueService) applyLoaded(ctx context.Context, tx pgx.Tx, pl *PriceList, out ParseOutcome, st *lineStats) error {
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

	offerStatus := "'pending'"
	if validFrom.IsZero() || !validFrom.After(s.today()) {
		if err := s.activate(ctx, tx, pl, false); err != nil {
			return err
		}
		offerStatus = offerStatusSQL(pl.Action, "l.action")
	}
	stmts := []string{
		// Candidates for GTINs the catalogue does not know yet.
		`INSERT INTO products (name, gtin, category, base_unit, status)
		 SELECT l.name, l.gtin, l.category, l.base_unit, 'candidate'
		 FROM (SELECT DISTINCT ON (gtin) name, gtin, category, base_unit FROM price_list_lines
		       WHERE price_list_id = $1 AND gtin IS NOT NULL AND action <> 'delete' ORDER BY gtin, line_no) l
		 WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.gtin = l.gtin AND p.status <> 'merged')`,
		// Candidates for SKUs without a GTIN, remembered by supplier and SKU.
		`INSERT INTO products (name, category, base_unit, status, origin_supplier_id, origin_sku)
		 SELECT l.name, l.category, l.base_unit, 'candidate', l.supplier_id, l.sku
		 FROM (SELECT DISTINCT ON (sku) name, category, base_unit, supplier_id, sku FROM price_list_lines
		       WHERE price_list_id = $1 AND gtin IS NULL AND action <> 'delete' ORDER BY sku, min_qty) l
		 WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.origin_supplier_id = l.supplier_id
		                   AND p.origin_sku = l.sku AND p.status <> 'merged')`,
		// One offer per SKU, at its lowest tier, in its final status.
		`INSERT INTO offers (supplier_id, price_list_id, line_no, sku, gtin, name, description, category, product_id,
		                     pack_unit, pack_content, base_unit, pack_price, currency, min_qty, valid_from, valid_to,
		                     action, status)
		 SELECT DISTINCT ON (l.sku) l.supplier_id, l.price_list_id, l.line_no, l.sku, l.gtin, l.name, l.description,
		        l.category, COALESCE(pg.id, po.id), l.pack_unit, l.pack_content, l.base_unit, l.pack_price, l.currency,
		        l.min_qty, l.valid_from, l.valid_to, l.action, ` + offerStatus + `
		 FROM price_list_lines l
		 LEFT JOIN products pg ON pg.gtin = l.gtin AND pg.status <> 'merged'
		 LEFT JOIN products po ON l.gtin IS NULL AND po.origin_supplier_id = l.supplier_id
		                       AND po.origin_sku = l.sku AND po.status <> 'merged'
		 WHERE l.price_list_id = $1
		 ORDER BY l.sku, l.min_qty`,
	}
	for _, q := range stmts {
		if _, err := tx.Exec(ctx, q, pl.ID); err != nil {
			return fmt.Errorf("apply price list: %w", err)
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
