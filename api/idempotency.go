package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

// IdempotencyKeyHeader names the header that makes a creating request safe
// to retry.
const IdempotencyKeyHeader = "Idempotency-Key"

// idempotent wraps a creating handler with Idempotency-Key handling as
// Stripe does it (see domain.IdempotencyStore): the answer of a request
// that executed is stored and every retry with the same key and the same
// request gets it again (marked Idempotent-Replayed: true); a request
// refused before it changed anything keeps no key; the same key with
// another request is 422, and while the first still runs 409. For request
// bodies that fit the body limit; streamed uploads use withIdempotency.
func (s *Server) idempotent(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		key := c.Request().Header.Get(IdempotencyKeyHeader)
		if key == "" {
			return next(c)
		}
		body, err := io.ReadAll(c.Request().Body)
		if err != nil {
			return jsonError(err)
		}
		c.Request().Body = io.NopCloser(bytes.NewReader(body))
		return s.withIdempotency(c, key, sha256.Sum256(body), func() error { return next(c) })
	}
}

// withIdempotency runs handle under Idempotency-Key key for a request whose
// body hashes to hash: a retry gets the stored answer instead of running
// handle again. An empty key just runs handle.
func (s *Server) withIdempotency(c echo.Context, key string, hash [32]byte, handle func() error) error {
	if key == "" {
		return handle()
	}
	id, replayed, err := s.beginIdempotent(c, key, hash)
	if err != nil || replayed {
		return err
	}
	c.SetRequest(c.Request().WithContext(domain.WithIdempotencyClaim(c.Request().Context(), id)))
	rec := &responseRecorder{ResponseWriter: c.Response().Writer}
	c.Response().Writer = rec
	stop := s.renewClaim(c.Request().Context(), id)
	err = handle()
	stop()
	if err != nil {
		s.errorHandler(err, c) // write it now so that it is recorded
	}
	s.finishIdempotent(c, id, c.Response().Status, rec.body.Bytes())
	return nil
}

// renewClaim keeps claim id alive while its request runs; the lease is
// short (domain.IdempotencyLease), so that the key of a request whose
// process died, or that lost the database, is free again soon.
func (s *Server) renewClaim(ctx context.Context, id int64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	every := s.svc.Idempotency.RenewEvery()
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if err := s.svc.Idempotency.Renew(context.WithoutCancel(ctx), id); err != nil {
					s.log.Warn("renewing an Idempotency-Key claim failed", "err", err)
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}

// beginIdempotent claims key for this request (hash: of its body). When the
// key answered before, it writes that answer and reports replayed.
func (s *Server) beginIdempotent(c echo.Context, key string, hash [32]byte) (id int64, replayed bool, err error) {
	if len(key) > 255 {
		return 0, false, &badRequest{detail: "Idempotency-Key is longer than 255 characters"}
	}
	ctx := c.Request().Context()
	caller := domain.IdempotencyCaller(domain.ActorFrom(ctx))
	stored, id, err := s.svc.Idempotency.Begin(ctx, caller, key, c.Request().Method, c.Request().URL.Path, hash[:])
	if err != nil {
		return 0, false, err
	}
	if stored == nil {
		return id, false, nil
	}
	h := c.Response().Header()
	h.Set("Idempotent-Replayed", "true")
	if stored.Status == nil {
		return 0, true, s.replayExecuted(c, stored)
	}
	if stored.ContentType != "" {
		h.Set(echo.HeaderContentType, stored.ContentType)
	}
	c.Response().WriteHeader(*stored.Status)
	_, err = c.Response().Write(stored.Response)
	return 0, true, err
}

// finishIdempotent keeps the answer of the request that claimed id if it
// executed, and releases the key otherwise.
func (s *Server) finishIdempotent(c echo.Context, id int64, status int, body []byte) {
	ctx := context.WithoutCancel(c.Request().Context())
	if _, err := s.svc.Idempotency.Finish(ctx, id, status, c.Response().Header().Get(echo.HeaderContentType), body); err != nil {
		// The key stays claimed until its lease ends; a retry then finds
		// what the request made (replayExecuted) or runs afresh.
		s.log.Error("storing the idempotent answer failed", append(logAttrs(c), "err", err)...)
	}
}

// replayExecuted answers a retry of a request that executed but whose
// answer was lost (its server died between the commit and the stored
// answer): the objects it made, as their creation answered them, kept as
// the key's answer from now on.
func (s *Server) replayExecuted(c echo.Context, rec *domain.IdempotencyRecord) error {
	ctx := c.Request().Context()
	var (
		body     any
		location string
		err      error
	)
	switch {
	case len(rec.ExecutedIDs("order")) > 0:
		res := placedOrdersResponse{}
		for _, id := range rec.ExecutedIDs("order") {
			o, gerr := s.svc.Orders.Get(ctx, id)
			if gerr != nil {
				return gerr
			}
			r, cerr := toOrderResponse(*o)
			if cerr != nil {
				return cerr
			}
			res.Orders = append(res.Orders, r)
		}
		body = res
	case len(rec.ExecutedIDs("bid")) > 0:
		var b *domain.Bid
		var tenderID int64
		if _, err := fmt.Sscanf(c.Param("id"), "%d", &tenderID); err != nil {
			return err
		}
		if b, err = s.svc.Tenders.GetBid(ctx, tenderID, rec.ExecutedIDs("bid")[0]); err == nil {
			if body, err = toBidResponse(*b); err == nil {
				location = fmt.Sprintf("/api/v1/tenders/%d/bids/%d", tenderID, b.ID)
			}
		}
	case len(rec.ExecutedIDs("tender")) > 0:
		var t *domain.Tender
		if t, err = s.svc.Tenders.Get(ctx, rec.ExecutedIDs("tender")[0]); err == nil {
			body, location = toTenderResponse(*t, isStaff(c)), "/api/v1/tenders/"+itoa(t.ID)
		}
	case len(rec.ExecutedIDs("member")) > 0:
		var m *domain.Member
		if m, err = s.svc.Members.Get(ctx, rec.ExecutedIDs("member")[0]); err == nil {
			body, location = toMemberResponse(*m), "/api/v1/members/"+itoa(m.ID)
		}
	case len(rec.ExecutedIDs("supplier")) > 0:
		var sup *domain.Supplier
		if sup, err = s.svc.Suppliers.Get(ctx, rec.ExecutedIDs("supplier")[0]); err == nil {
			body, location = toSupplierResponse(*sup), "/api/v1/suppliers/"+itoa(sup.ID)
		}
	case len(rec.ExecutedIDs("user")) > 0:
		var u *domain.User
		if u, err = s.svc.Users.Get(ctx, rec.ExecutedIDs("user")[0]); err == nil {
			body, location = toUserResponse(*u), "/api/v1/users/"+itoa(u.ID)
		}
	case len(rec.ExecutedIDs("price_list")) > 0:
		var pl *domain.PriceList
		if pl, err = s.svc.Catalogue.GetPriceList(ctx, rec.ExecutedIDs("price_list")[0]); err == nil {
			body, location = toPriceListResponse(*pl), "/api/v1/price-lists/"+itoa(pl.ID)
		}
	case len(rec.ExecutedIDs("surplus_run")) > 0:
		var r *domain.SurplusRun
		if r, err = s.svc.Surplus.Get(ctx, rec.ExecutedIDs("surplus_run")[0]); err == nil {
			body, location = toSurplusRunResponse(*r), "/api/v1/surplus-runs/"+itoa(r.ID)
		}
	default:
		return domain.Errorf(domain.ECONFLICT, "the first request with this Idempotency-Key changed %q, which cannot be shown again", rec.Executed)
	}
	if err != nil {
		return err
	}
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	if location != "" {
		c.Response().Header().Set(echo.HeaderLocation, location)
	}
	if err := s.svc.Idempotency.Keep(context.WithoutCancel(ctx), rec.ID, http.StatusCreated, echo.MIMEApplicationJSON, b); err != nil {
		return err
	}
	return c.JSONBlob(http.StatusCreated, b)
}

// responseRecorder copies what a handler writes.
type responseRecorder struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (r *responseRecorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

func (r *responseRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
