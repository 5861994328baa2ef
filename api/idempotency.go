package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"net/http"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

// IdempotencyKeyHeader names the header that makes a creating request safe
// to retry.
const IdempotencyKeyHeader = "Idempotency-Key"

// idempotent wraps a creating handler: with an Idempotency-Key header, the
// first answer is stored and every retry with the same key and the same
// request gets it again (marked Idempotent-Replayed: true); the same key
// with another request is 422. Answers of 5xx are not kept, so a retry
// after a failure runs afresh. For request bodies that fit the body limit;
// streamed uploads use beginIdempotent directly.
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
	rec := &responseRecorder{ResponseWriter: c.Response().Writer}
	c.Response().Writer = rec
	if err := handle(); err != nil {
		s.errorHandler(err, c) // write it now so that it is recorded
	}
	s.finishIdempotent(c, id, c.Response().Status, rec.body.Bytes())
	return nil
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
	if stored != nil {
		h := c.Response().Header()
		h.Set("Idempotent-Replayed", "true")
		if stored.ContentType != "" {
			h.Set(echo.HeaderContentType, stored.ContentType)
		}
		c.Response().WriteHeader(*stored.Status)
		_, err := c.Response().Write(stored.Response)
		return 0, true, err
	}
	return id, false, nil
}

// finishIdempotent keeps the answer of the request that claimed id, or lets
// the key go after a server error.
func (s *Server) finishIdempotent(c echo.Context, id int64, status int, body []byte) {
	ctx := context.WithoutCancel(c.Request().Context())
	var err error
	if status >= http.StatusInternalServerError {
		err = s.svc.Idempotency.Abandon(ctx, id)
	} else {
		err = s.svc.Idempotency.Complete(ctx, id, status, c.Response().Header().Get(echo.HeaderContentType), body)
	}
	if err != nil {
		s.log.Error("storing the idempotent answer failed", append(logAttrs(c), "err", err)...)
	}
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
