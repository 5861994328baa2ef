package web

import "github.com/labstack/echo/v4"

// boardRoutes are the board's pages (role board): the savings dashboard,
// compliance, surplus runs and the cluster comparison. Each area mounts
// its own routes from its own file.
func (p *Pages) boardRoutes(g *echo.Group) {
	p.savingsBoardRoutes(g)   // board_savings.go
	p.surplusBoardRoutes(g)   // board_surplus.go
	p.staffSurplusRoutes(g)   // staff_surplus.go
	p.clusterRoutes(g)        // compare.go
	p.complianceRoutes(g)     // compliance.go
	p.scorecardBoardRoutes(g) // scorecards.go
}
