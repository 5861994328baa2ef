package api

import (
	"errors"
	"log/slog"
	"net/http"

	"andel/domain"
	"andel/web"

	"github.com/labstack/echo/v4"
)

// Problem is an RFC 9457 problem details document.
type Problem struct {
	Type      string              `json:"type"`
	Title     string              `json:"title"`
	Status    int                 `json:"status"`
	Detail    string              `json:"detail,omitempty"`
	Instance  string              `json:"instance,omitempty"`
	RequestID string              `json:"request_id,omitempty"`
	Errors    []domain.FieldError `json:"errors,omitempty"`
	// PriceList is the rejected price list, kept for the record, when a
	// price list upload fails validation.
	PriceList *priceListResponse `json:"price_list,omitempty"`
}

const problemContentType = "application/problem+json"

// statusOf maps domain error codes to HTTP statuses: the one place where
// this happens.
var statusOf = map[string]int{
	domain.EINVALID:      http.StatusUnprocessableEntity,
	domain.ENOTFOUND:     http.StatusNotFound,
	domain.ECONFLICT:     http.StatusConflict,
	domain.EUNAUTHORIZED: http.StatusUnauthorized,
	domain.EFORBIDDEN:    http.StatusForbidden,
	domain.ETOOMANY:      http.StatusTooManyRequests,
	domain.EINTERNAL:     http.StatusInternalServerError,
}

// badRequest is an input error found before the domain saw the request
// (malformed JSON, a wrong content type): 400 with every problem listed.
type badRequest struct {
	detail string
	fields []domain.FieldError
}

func (e *badRequest) Error() string { return e.detail }

// errorHandler writes every error as problem+json. Unknown errors are
// logged with the request id and answered with a generic 500 that leaks
// nothing.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if s.web != nil && web.Wants(c.Request()) {
		s.web.ErrorPage(err, c, pageStatus(err))
		return
	}
	reqID := c.Response().Header().Get(echo.HeaderXRequestID)
	p := Problem{Instance: c.Request().URL.Path, RequestID: reqID}

	var de *domain.Error
	var he *echo.HTTPError
	var br *badRequest
	switch {
	case errors.As(err, &br):
		p.Status, p.Type, p.Detail, p.Errors = http.StatusBadRequest, "/problems/bad-request", br.detail, br.fields
	case errors.As(err, &de) && de.Code != domain.EINTERNAL:
		p.Status = statusOf[de.Code]
		p.Type = "/problems/" + de.Code
		p.Detail = de.Message
		p.Errors = de.Fields
	case errors.As(err, &he):
		p.Status = he.Code
		p.Type = "about:blank"
		if msg, ok := he.Message.(string); ok && he.Code < 500 {
			p.Detail = msg
		}
		if he.Code >= 500 {
			s.log.Error("request failed", "request_id", reqID, "path", c.Path(), "err", err)
		}
	default:
		p.Status = http.StatusInternalServerError
		p.Type = "about:blank"
		p.Detail = "an internal error occurred; quote the request id when reporting it"
		s.log.Error("request failed", "request_id", reqID, "path", c.Path(), "err", err)
	}
	var plr *priceListRejection
	if errors.As(err, &plr) {
		p.PriceList = &plr.list
	}
	p.Title = http.StatusText(p.Status)
	if p.Status == http.StatusTooManyRequests {
		c.Response().Header().Set("Retry-After", "900")
	}
	if c.Request().Method == http.MethodHead {
		err = c.NoContent(p.Status)
	} else {
		c.Response().Header().Set(echo.HeaderContentType, problemContentType)
		c.Response().WriteHeader(p.Status)
		err = writeJSON(c.Response(), p)
	}
	if err != nil {
		s.log.Warn("writing problem failed", "request_id", reqID, "err", err)
	}
}

// logAttrs is a helper for handlers that log with the request's id.
func logAttrs(c echo.Context) []any {
	return []any{slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID))}
}
