package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// ocdsPublisher names the cooperative in its OCDS releases.
const ocdsPublisher = "Andel indkøbsforening"

func (s *Server) tenderOCDS(c echo.Context) error {
	id, err := pathID(c, "id", "tender")
	if err != nil {
		return err
	}
	uri := c.Scheme() + "://" + c.Request().Host + c.Request().URL.Path
	body, err := s.svc.Tenders.OCDSRelease(c.Request().Context(), id, ocdsPublisher, uri)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, body)
}
