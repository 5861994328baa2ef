package api

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"andel/domain"
	"andel/suppliers"

	"github.com/labstack/echo/v4"
)

type priceListResponse struct {
	ID           int64                     `json:"id"`
	SupplierID   int64                     `json:"supplier_id"`
	Format       string                    `json:"format"`
	Source       string                    `json:"source"`
	Action       string                    `json:"action"`
	ContractRef  string                    `json:"contract_ref"`
	Status       string                    `json:"status"`
	Currency     *string                   `json:"currency"`
	ValidFrom    *string                   `json:"valid_from"`
	ValidTo      *string                   `json:"valid_to"`
	BodySHA256   string                    `json:"body_sha256"`
	BodyBytes    int64                     `json:"body_bytes"`
	RowsRead     int64                     `json:"rows_read"`
	RowsValid    int64                     `json:"rows_valid"`
	ErrorCount   int64                     `json:"error_count"`
	WarningCount int64                     `json:"warning_count"`
	Errors       []domain.PriceListProblem `json:"errors"`
	Warnings     []domain.PriceListProblem `json:"warnings"`
	CreatedBy    string                    `json:"created_by"`
	CreatedAt    time.Time                 `json:"created_at"`
	ValidatedAt  *time.Time                `json:"validated_at"`
	ActivatedAt  *time.Time                `json:"activated_at"`
	SupersededAt *time.Time                `json:"superseded_at"`
	// FlaggedIncreases: staff only, in one list's answer (GET).
	FlaggedIncreases []domain.PriceChange `json:"flagged_increases,omitempty"`
}

func toPriceListResponse(pl domain.PriceList) priceListResponse {
	r := priceListResponse{ID: pl.ID, SupplierID: pl.SupplierID, Format: pl.Format, Source: pl.Source,
		Action: pl.Action, ContractRef: pl.ContractRef, Status: string(pl.Status), Currency: pl.Currency, ValidFrom: datePtr(pl.ValidFrom),
		ValidTo: datePtr(pl.ValidTo), BodySHA256: hex.EncodeToString(pl.BodySHA256), BodyBytes: pl.BodyBytes,
		RowsRead: pl.RowsRead, RowsValid: pl.RowsValid, ErrorCount: pl.ErrorCount, WarningCount: pl.WarningCount,
		CreatedBy: pl.CreatedBy, CreatedAt: pl.CreatedAt, ValidatedAt: pl.ValidatedAt, ActivatedAt: pl.ActivatedAt,
		SupersededAt: pl.SupersededAt,
		Errors:       []domain.PriceListProblem{}, Warnings: []domain.PriceListProblem{}}
	var problems []domain.PriceListProblem
	_ = json.Unmarshal(pl.Problems, &problems) // written by us; absent in lists
	for _, p := range problems {
		if p.Severity == "error" {
			r.Errors = append(r.Errors, p)
		} else {
			r.Warnings = append(r.Warnings, p)
		}
	}
	return r
}

func datePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(dateLayout)
	return &s
}

// syncImportBytes: bodies up to this size are loaded before the answer
// (201 with the final status); larger ones are answered 202 at once and
// loaded in the background, their progress polled at the list's URL.
const syncImportBytes = 1 << 20

// uploadPriceList receives a price list in CSV, JSON, PEPPOL UBL or .xlsx
// (by Content-Type; ?sheet= names an .xlsx worksheet). Suppliers upload their own; admins name the supplier with
// ?supplier_id=. The same body as the list being validated, scheduled or
// in force answers 200 with that list; the body of an older, superseded
// list makes a new version of it (201): a roll back.
func (s *Server) uploadPriceList(c echo.Context) error {
	ctx := c.Request().Context()
	a := domain.ActorFrom(ctx)
	supplierID := a.SupplierID
	if a.Role == domain.RoleAdmin {
		id, err := pathIDValue(c.QueryParam("supplier_id"))
		if err != nil {
			return (&domain.Problems{{Field: "supplier_id", Message: "is required for admins: the supplier whose list this is"}}).Err()
		}
		supplierID = id
	} else if a.Role != domain.RoleSupplier {
		return domain.Errorf(domain.EFORBIDDEN, "only suppliers and admins upload price lists")
	}
	rec, err := s.svc.Importer.Receive(ctx, supplierID, c.Request().Header.Get(echo.HeaderContentType), c.Request().Body, "upload")
	switch {
	case errors.Is(err, suppliers.ErrUnsupportedMediaType):
		return echo.NewHTTPError(http.StatusUnsupportedMediaType, "send text/csv, application/json, application/xml (PEPPOL BIS Catalogue 3) or "+suppliers.XLSXMediaType)
	case errors.Is(err, suppliers.ErrTooLarge):
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, err.Error())
	case err != nil:
		return err
	}
	rec.Sheet = c.QueryParam("sheet") // an .xlsx body's worksheet; "" is the first
	var hash [32]byte
	copy(hash[:], rec.List.BodySHA256)
	handled := false
	err = s.withIdempotency(c, c.Request().Header.Get(IdempotencyKeyHeader), hash, func() error {
		handled = true
		ctx := c.Request().Context() // with the idempotency claim
		location := "/api/v1/price-lists/" + itoa(rec.List.ID)
		c.Response().Header().Set(echo.HeaderLocation, location)
		if !rec.Created {
			rec.Close()
			return c.JSON(http.StatusOK, toPriceListResponse(*rec.List))
		}
		if err := s.svc.Idempotency.MarkExecuted(ctx, "price_list", rec.List.ID); err != nil {
			return errors.Join(err, s.svc.Importer.Discard(ctx, rec))
		}
		if rec.Bytes > syncImportBytes {
			s.loadInBackground(ctx, rec)
			return c.JSON(http.StatusAccepted, toPriceListResponse(*rec.List))
		}
		pl, err := s.svc.Importer.Load(ctx, rec, nil)
		if err != nil {
			return err
		}
		if pl.Status == domain.PriceListRejected {
			return rejectedPriceList(c, *pl)
		}
		return c.JSON(http.StatusCreated, toPriceListResponse(*pl))
	})
	if !handled {
		// Refused or replayed by its Idempotency-Key: the body received
		// for nothing leaves no list and no spooled file behind.
		if derr := s.svc.Importer.Discard(ctx, rec); derr != nil {
			s.log.Error("discarding a received price list failed", append(logAttrs(c), "err", derr)...)
		}
	}
	return err
}

// loadInBackground loads a large list after the answer; the server waits
// for such loads at shutdown. The request's context would end with the
// answer, so the load keeps only its values (the actor) and its own bound.
func (s *Server) loadInBackground(ctx context.Context, rec *suppliers.Received) {
	s.background.Add(1)
	go func() {
		defer s.background.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Hour)
		defer cancel()
		if _, err := s.svc.Importer.Load(ctx, rec, nil); err != nil {
			s.log.Error("loading a price list failed", "price_list_id", rec.List.ID, "err", err)
		}
	}()
}

// rejectedPriceList answers 422 for a list that failed validation, listing
// every stored error as a field error ("line 12: gtin") and linking the
// rejected list, which is kept for the record.
func rejectedPriceList(c echo.Context, pl domain.PriceList) error {
	resp := toPriceListResponse(pl)
	fields := make([]domain.FieldError, 0, len(resp.Errors))
	for _, p := range resp.Errors {
		fields = append(fields, domain.FieldError{Field: problemPlace(p), Message: p.Message})
	}
	detail := fmt.Sprintf("the price list has %d errors and was not applied; nothing in the catalogue changed", pl.ErrorCount)
	if int64(len(fields)) < pl.ErrorCount {
		detail += fmt.Sprintf(" (the first %d are listed)", len(fields))
	}
	return &priceListRejection{list: resp, err: &domain.Error{Code: domain.EINVALID, Message: detail, Fields: fields}}
}

// problemPlace names where a problem is, as a field of the problem answer.
func problemPlace(p domain.PriceListProblem) string {
	place := ""
	switch {
	case p.Path != "":
		place = p.Path
	case p.Line > 0:
		place = "line " + strconv.Itoa(p.Line)
	}
	if p.Field != "" {
		if place != "" {
			place += ": "
		}
		place += p.Field
	}
	if place == "" {
		place = "price_list"
	}
	return place
}

// priceListRejection is a 422 that also carries the rejected list.
type priceListRejection struct {
	list priceListResponse
	err  *domain.Error
}

func (e *priceListRejection) Error() string { return e.err.Error() }
func (e *priceListRejection) Unwrap() error { return e.err }

func (s *Server) getPriceList(c echo.Context) error {
	id, err := pathID(c, "id", "price list")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	pl, err := s.svc.Catalogue.GetPriceList(ctx, id)
	if err != nil {
		return err
	}
	resp := toPriceListResponse(*pl)
	if domain.ActorFrom(ctx).IsStaff() {
		// Staff see the list's price increases on products under contract
		// in its report (the whole comparison is at .../diff).
		if resp.FlaggedIncreases, err = s.svc.Catalogue.FlaggedIncreases(ctx, id); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, resp)
}

func (s *Server) listPriceLists(c echo.Context) error {
	var p domain.Problems
	f := domain.PriceListFilter{Page: pageParams(c, &p), Status: domain.PriceListStatus(c.QueryParam("status"))}
	if v := c.QueryParam("supplier_id"); v != "" {
		id, err := pathIDValue(v)
		if err != nil {
			p.Add("supplier_id", "must be a positive whole number")
		}
		f.SupplierID = id
	}
	if f.Status != "" && !f.Status.Valid() {
		p.Add("status", "must be %s", domain.PriceListStatusValues())
	}
	if err := p.Err(); err != nil {
		return err
	}
	rows, next, err := s.svc.Catalogue.ListPriceLists(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(rows, next, toPriceListResponse))
}
