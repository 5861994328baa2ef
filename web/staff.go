package web

import "github.com/labstack/echo/v4"

// staffRoutes are the staff's console (role admin): members, suppliers,
// catalogue, tenders, jobs and audit.
func (p *Pages) staffRoutes(g *echo.Group) {
	p.staffConsoleRoutes(g)
	p.staffTenderRoutes(g)
	p.scorecardStaffRoutes(g) // scorecards.go
}
