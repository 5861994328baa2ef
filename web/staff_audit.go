package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

// The staff's audit pages: the history of one member, supplier, tender,
// price list, order, surplus run, product or contract (AuditLog.History:
// the object's own events and its parts'), newest first; without an object
// the latest events of the whole trail. Each object's page links here.

func (p *Pages) staffAuditRoutes(s *echo.Group) {
	s.GET("/audit", p.staffAudit)
}

type staffAuditData struct {
	Subjects []string
	Entity   string
	ID       int64
	Events   []auditRow
	Next     int64
	Link     string // the object's own page, when the console has one
}

// auditRow is an event as the page shows it.
type auditRow struct {
	domain.AuditEvent
	Action  string // in the user's language when the catalogue has it
	Details string // the details as indented JSON ("" when empty)
}

// objectPages are the console's pages of an object, by entity.
var objectPages = map[string]string{
	"member": "/staff/members/", "supplier": "/staff/suppliers/", "price_list": "/staff/catalogue/price-lists/",
	"tender": "/staff/tenders/",
}

func (p *Pages) staffAudit(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := formNumber(c, "id")
	if err != nil {
		return err
	}
	d := staffAuditData{Subjects: domain.AuditSubjects, Entity: c.QueryParam("entity"), ID: id}
	page := domain.Page{Limit: 50, After: formInt(c, "after")}
	var events []domain.AuditEvent
	switch {
	case d.Entity == "" && d.ID == 0:
		events, d.Next, err = p.svc.Audit.List(ctx, domain.AuditFilter{Page: page})
	case !slices.Contains(domain.AuditSubjects, d.Entity) || d.ID <= 0:
		return domain.NotFound("page") // not an object with a history
	default:
		events, d.Next, err = p.svc.Audit.History(ctx, d.Entity, d.ID, page)
		if base, ok := objectPages[d.Entity]; ok {
			d.Link = base + strconv.FormatInt(d.ID, 10)
		}
	}
	if err != nil {
		return err
	}
	l := pageOf(c).L
	for _, e := range events {
		r := auditRow{AuditEvent: e, Action: e.Action}
		if s := l.T("audit." + e.Action); s != "audit."+e.Action {
			r.Action = s
		}
		if len(e.Details) > 2 { // not "{}"
			var buf bytes.Buffer
			if json.Indent(&buf, e.Details, "", "  ") == nil {
				r.Details = buf.String()
			}
		}
		d.Events = append(d.Events, r)
	}
	return p.render(c, http.StatusOK, "staff_audit", d)
}
