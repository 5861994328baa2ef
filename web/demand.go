package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"andel/domain"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"
)

// demandUnits are the units a practice counts in (boxes, bottles,
// packs), as Rec 20 package codes; the product's base unit is offered too.
var demandUnits = []string{"XBX", "XBO", "XPK"}

// openPeriods are the periods demand may be stated for: next year and
// this year, and the quarters of both that have not ended.
func openPeriods(now time.Time) []string {
	y := now.Year()
	q := (int(now.Month())-1)/3 + 1
	out := []string{fmt.Sprint(y + 1)}
	for i := 1; i <= 4; i++ {
		out = append(out, fmt.Sprintf("%d-Q%d", y+1, i))
	}
	out = append(out, fmt.Sprint(y))
	for i := q; i <= 4; i++ {
		out = append(out, fmt.Sprintf("%d-Q%d", y, i))
	}
	return out
}

type demandRow struct {
	Product  domain.Product
	Line     *domain.DemandLine // nil: not stated yet
	Quantity string
	Unit     string
	Content  string
}

type demandData struct {
	Period  string
	Periods []string
	Query   string
	Rows    []demandRow
	Units   []string
	Error   *domain.Error
}

func (p *Pages) demandPeriod(c echo.Context, value string) (string, []string, error) {
	periods := openPeriods(time.Now().UTC())
	if value == "" {
		return periods[0], periods, nil
	}
	if !slices.Contains(periods, value) {
		return "", nil, &domain.Error{Code: domain.EINVALID, Message: "not an open period",
			Fields: []domain.FieldError{{Field: "period", Message: "is not open for demand"}}}
	}
	return value, periods, nil
}

// demand shows the practice's stated demand for an open period, with a
// search to add products; quantities in the units the practice counts in.
func (p *Pages) demand(c echo.Context) error {
	period, periods, err := p.demandPeriod(c, c.QueryParam("period"))
	if err != nil {
		return err
	}
	d, err := p.demandData(c, period, strings.TrimSpace(c.QueryParam("q")))
	if err != nil {
		return err
	}
	d.Periods = periods
	return p.render(c, http.StatusOK, "demand", d)
}

func (p *Pages) demandData(c echo.Context, period, query string) (*demandData, error) {
	ctx := c.Request().Context()
	a := pageOf(c).Actor
	lines, err := p.svc.Demand.Get(ctx, a.MemberID, period)
	if err != nil {
		return nil, err
	}
	d := &demandData{Period: period, Query: query, Units: demandUnits}
	ids := make([]int64, len(lines))
	for i, l := range lines {
		ids[i] = l.ProductID
	}
	prods, err := p.carts.Products(ctx, ids)
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	for i := range lines {
		l := &lines[i]
		r := demandRow{Product: prods[l.ProductID], Line: l, Quantity: l.EnteredQuantity.String(), Unit: l.EnteredUnit}
		if l.PackContent != nil {
			r.Content = l.PackContent.String()
		}
		d.Rows = append(d.Rows, r)
		seen[l.ProductID] = true
	}
	if query != "" && len(query) <= 200 && !strings.ContainsRune(query, 0) {
		found, _, err := p.svc.Catalogue.SearchProducts(ctx, domain.ProductFilter{Query: query, Status: "active", Page: domain.Page{Limit: 20}})
		if err != nil {
			return nil, err
		}
		for _, pr := range found {
			if !seen[pr.ID] {
				d.Rows = append(d.Rows, demandRow{Product: pr, Unit: pr.BaseUnit})
			}
		}
	}
	return d, nil
}

// saveDemand replaces the period's demand with the rows that have a
// quantity. Bad rows show the form again with every problem listed.
func (p *Pages) saveDemand(c echo.Context) error {
	ctx := c.Request().Context()
	period, periods, err := p.demandPeriod(c, c.FormValue("period"))
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	ids, qtys, units, contents := form["product_id"], form["quantity"], form["unit"], form["content"]
	if len(qtys) != len(ids) || len(units) != len(ids) || len(contents) != len(ids) || len(ids) > 1000 {
		return domain.Errorf(domain.EINVALID, "the form's rows do not line up")
	}
	var in []domain.DemandInput
	var problems domain.Problems
	for i, id := range ids {
		q := strings.TrimSpace(qtys[i])
		if q == "" || q == "0" {
			continue
		}
		var pid int64
		if _, err := fmt.Sscan(id, &pid); err != nil || pid <= 0 {
			problems.Add(fmt.Sprintf("rows[%d].product_id", i), "is not a product")
			continue
		}
		qty, err := parseFormNumber(q, pageOf(c).L)
		if err != nil {
			problems.Add(fmt.Sprintf("rows[%d].quantity", i), "is not a number")
			continue
		}
		line := domain.DemandInput{ProductID: pid, Quantity: qty, Unit: strings.TrimSpace(units[i])}
		if ct := strings.TrimSpace(contents[i]); ct != "" {
			v, err := parseFormNumber(ct, pageOf(c).L)
			if err != nil {
				problems.Add(fmt.Sprintf("rows[%d].content", i), "is not a number")
				continue
			}
			line.PackContent = &v
		}
		in = append(in, line)
	}
	if err := problems.Err(); err == nil {
		_, err = p.svc.Demand.Replace(ctx, pageOf(c).Actor.MemberID, period, in)
		if err == nil {
			return seeOther(c, "/demand?period="+url.QueryEscape(period)+"&done=demand-saved")
		}
		if domain.ErrorCode(err) != domain.EINVALID {
			return err
		}
		problems = nil
		if de, ok := err.(*domain.Error); ok {
			problems = de.Fields
		}
	}
	d, err := p.demandData(c, period, "")
	if err != nil {
		return err
	}
	d.Periods = periods
	d.Error = &domain.Error{Code: domain.EINVALID, Fields: problems}
	return p.render(c, http.StatusUnprocessableEntity, "demand", d)
}

// parseFormNumber reads a quantity typed in the page's language ("1.000,5"
// in Danish, "1,000.5" in English), or plain.
func parseFormNumber(s string, l *Localizer) (decimal.Decimal, error) {
	return parseNumberInput(s, l)
}
