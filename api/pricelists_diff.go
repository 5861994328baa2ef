package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// diffPriceList answers what a price list changes against the list it
// replaced (or would replace): added, removed, dearer and cheaper per base
// unit with the percentage, pack changes; increases on products under
// contract are flagged. A supplier sees its own lists only (404 otherwise).
func (s *Server) diffPriceList(c echo.Context) error {
	id, err := pathID(c, "id", "price list")
	if err != nil {
		return err
	}
	d, err := s.svc.Catalogue.DiffPriceList(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}
