package api

import (
	"net/http"
	"time"

	"andel/domain"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"
)

type exchangeRateRequest struct {
	Rate string `json:"rate" validate:"required,max=40"`
}

type exchangeRateResponse struct {
	Currency  string    `json:"currency"`
	Into      string    `json:"into"`
	Rate      string    `json:"rate"`
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy string    `json:"updated_by"`
}

func (s *Server) toExchangeRateResponse(r domain.ExchangeRate) exchangeRateResponse {
	return exchangeRateResponse{Currency: r.Currency, Into: s.svc.Catalogue.Currency(), Rate: r.Rate.String(),
		UpdatedAt: r.UpdatedAt, UpdatedBy: r.UpdatedBy}
}

// putExchangeRate sets what one unit of {currency} costs in the
// cooperative's currency (admins).
func (s *Server) putExchangeRate(c echo.Context) error {
	var req exchangeRateRequest
	if err := s.decodeJSON(c, &req); err != nil {
		return err
	}
	rate, err := decimal.NewFromString(req.Rate)
	if err != nil {
		return (&domain.Problems{{Field: "rate", Message: "must be a decimal string such as \"7.4604\""}}).Err()
	}
	r, err := s.svc.Catalogue.SetExchangeRate(c.Request().Context(), c.Param("currency"), rate)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.toExchangeRateResponse(*r))
}

func (s *Server) listExchangeRates(c echo.Context) error {
	rows, err := s.svc.Catalogue.ExchangeRates(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(rows, 0, s.toExchangeRateResponse))
}
