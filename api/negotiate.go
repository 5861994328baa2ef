package api

import (
	"strings"

	"andel/domain"

	"github.com/labstack/echo/v4"
	"github.com/munnerz/goautoneg"
)

// negotiate picks the media type of an answer among offers (the first is
// the default): ?format= names one by its subtype (json, xml, html, pdf),
// else the Accept header decides, q-values and wildcards included. Errors:
// EINVALID for a format that is not offered.
func negotiate(c echo.Context, offers ...string) (string, error) {
	if f := c.QueryParam("format"); f != "" {
		names := make([]string, len(offers))
		for i, o := range offers {
			_, names[i], _ = strings.Cut(o, "/")
			if strings.EqualFold(f, names[i]) {
				return o, nil
			}
		}
		var p domain.Problems
		p.Add("format", "must be %s", strings.Join(names, ", "))
		return "", p.Err()
	}
	if accept := c.Request().Header.Get(echo.HeaderAccept); accept != "" {
		if t := goautoneg.Negotiate(accept, offers); t != "" {
			return t, nil
		}
	}
	return offers[0], nil
}
