package web

import "github.com/labstack/echo/v4"

// boardRoutes are the board's pages (role board): the savings dashboard,
// compliance, surplus runs and the cluster comparison.
func (p *Pages) boardRoutes(g *echo.Group) {
}
