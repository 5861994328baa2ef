package pgload

import (
	"bufio"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"

	"andel/domain"
	spoolfile "andel/internal/spool"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"
)

// SortedSpoolPrefix starts the name of loadSorted's spool files (in the
// system's temporary folder, package internal/spool); suppliers.Importer.
// SweepSpool removes those a killed process left.
const SortedSpoolPrefix = "andel-sorted-"

// loadSorted loads a list whose lines of one SKU are not together in the
// body: the lines go into a temporary table first (columns of
// stagedLineColumns), come back sorted by SKU and minimum quantity into a
// spool file, and stream from there through streamOffers like any other
// list. Slower than the one pass (the lines are written and read twice
// more), and only for such bodies.
func loadSorted(ctx context.Context, conn *pgx.Conn, l domain.OfferLoad) (domain.LoadedOffers, error) {
	if _, err := conn.Exec(ctx, `CREATE TEMP TABLE price_list_staging (
			price_list_id bigint, supplier_id bigint, line_no bigint, path text, action text, sku text, gtin text,
			name text, description text, category text, pack_unit text, pack_content numeric, base_unit text,
			pack_price numeric, currency text, min_qty bigint, valid_from date, valid_to date,
			not_orderable boolean, max_qty bigint, min_order_qty bigint, max_order_qty bigint, order_multiple bigint,
			unit_written text
		) ON COMMIT DROP`); err != nil {
		return domain.LoadedOffers{}, &systemError{err}
	}
	out, err := copyLines(ctx, conn, "price_list_staging", l.List, l.Read, l.OnLine)
	if err != nil {
		return domain.LoadedOffers{Outcome: out}, err
	}
	sf, err := spoolfile.Create("", SortedSpoolPrefix) // locked: a sweep leaves it while we live
	if err != nil {
		return domain.LoadedOffers{Outcome: out}, &systemError{err}
	}
	defer sf.Remove()
	spool := sf.File
	if err := spoolSorted(ctx, conn, spool); err != nil {
		return domain.LoadedOffers{Outcome: out}, &systemError{err}
	}
	if _, err := conn.Exec(ctx, "DROP TABLE price_list_staging"); err != nil {
		return domain.LoadedOffers{Outcome: out}, &systemError{err}
	}
	if _, err := spool.Seek(0, io.SeekStart); err != nil {
		return domain.LoadedOffers{Outcome: out}, &systemError{err}
	}
	replay := func(emit func(domain.PriceLine) error) (domain.ParseOutcome, error) {
		dec := gob.NewDecoder(bufio.NewReader(spool))
		for {
			var l domain.PriceLine
			if err := dec.Decode(&l); errors.Is(err, io.EOF) {
				return domain.ParseOutcome{}, nil
			} else if err != nil {
				return domain.ParseOutcome{}, &systemError{err}
			}
			if err := emit(l); err != nil {
				return domain.ParseOutcome{}, err
			}
		}
	}
	res, err := streamOffers(ctx, conn, l.Pool, l.List, replay, func(domain.PriceLine) {})
	res.Outcome = out
	if errors.Is(err, domain.ErrLinesApart) { // cannot be: the lines are sorted
		err = &systemError{err}
	}
	return res, err
}

// spoolSorted writes the staged lines to w sorted by SKU and minimum
// quantity (then body order).
func spoolSorted(ctx context.Context, conn *pgx.Conn, w io.Writer) error {
	rows, err := conn.Query(ctx, `SELECT line_no, path, action, sku, coalesce(gtin, ''), name, description, category,
			pack_unit, pack_content::text, base_unit, pack_price::text, currency, min_qty, valid_from, valid_to,
			not_orderable, coalesce(max_qty, 0), coalesce(min_order_qty, 0), coalesce(max_order_qty, 0), coalesce(order_multiple, 0),
			coalesce(unit_written, '')
		FROM price_list_staging ORDER BY sku, min_qty, line_no`)
	if err != nil {
		return err
	}
	defer rows.Close()
	bw := bufio.NewWriter(w)
	enc := gob.NewEncoder(bw)
	for rows.Next() {
		var l domain.PriceLine
		var packContent, packPrice string
		var from, to pgtype.Date
		if err := rows.Scan(&l.LineNo, &l.Path, &l.Action, &l.SKU, &l.GTIN, &l.Name, &l.Description, &l.Category,
			&l.PackUnit, &packContent, &l.BaseUnit, &packPrice, &l.Currency, &l.MinQty, &from, &to,
			&l.NotOrderable, &l.MaxQty, &l.MinOrderQty, &l.MaxOrderQty, &l.OrderMultiple, &l.UnitWritten); err != nil {
			return err
		}
		if l.PackContent, err = decimal.NewFromString(packContent); err != nil {
			return err
		}
		if l.PackPrice, err = decimal.NewFromString(packPrice); err != nil {
			return err
		}
		if from.Valid {
			l.ValidFrom = from.Time
		}
		if to.Valid {
			l.ValidTo = to.Time
		}
		if err := enc.Encode(&l); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return bw.Flush()
}

// stagedLineColumns are the columns of a staged line (loadSorted), in order.
var stagedLineColumns = []string{"price_list_id", "supplier_id", "line_no", "path", "action", "sku", "gtin",
	"name", "description", "category", "pack_unit", "pack_content", "base_unit", "pack_price", "currency",
	"min_qty", "valid_from", "valid_to", "not_orderable", "max_qty", "min_order_qty", "max_order_qty", "order_multiple", "unit_written"}

// copyLines runs read and streams its lines into table (stagedLineColumns)
// with COPY. The reader runs in its own goroutine; COPY pulls rows from it
// through a small channel, so memory holds a few hundred lines at most.
func copyLines(ctx context.Context, conn *pgx.Conn, table string, pl *domain.PriceList, read domain.LineReader,
	onLine func(domain.PriceLine)) (domain.ParseOutcome, error) {
	rows := make(chan []any, 256)
	copyDone := make(chan struct{})
	var out domain.ParseOutcome
	var readErr error
	go func() {
		defer close(rows)
		out, readErr = read(func(l domain.PriceLine) error {
			onLine(l)
			select {
			case rows <- lineRow(pl, l):
				return nil
			case <-copyDone:
				return &systemError{errors.New("the database stopped taking lines")}
			}
		})
	}()
	_, copyErr := conn.CopyFrom(ctx, pgx.Identifier{table}, stagedLineColumns,
		pgx.CopyFromFunc(func() ([]any, error) {
			row, ok := <-rows
			if !ok {
				return nil, nil
			}
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

func lineRow(pl *domain.PriceList, l domain.PriceLine) []any {
	return []any{pl.ID, pl.SupplierID, l.LineNo, l.Path, l.Action, l.SKU, nullString(l.GTIN), l.Name,
		l.Description, l.Category, l.PackUnit, Numeric(l.PackContent), l.BaseUnit, Numeric(l.PackPrice),
		l.Currency, l.MinQty, nullDate(l.ValidFrom), nullDate(l.ValidTo),
		l.NotOrderable, nullCount(l.MaxQty), nullCount(l.MinOrderQty), nullCount(l.MaxOrderQty), nullCount(l.OrderMultiple),
		nullString(l.UnitWritten)}
}
