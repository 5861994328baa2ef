package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

// Editing a draft tender on the form it was created with, and cancelling
// a tender with a reason.

// editableTender is draft :id when the form can hold it: a tender made
// through the API may have more lots or criteria than the form's rows,
// and is then edited through the API (the page says so).
func (p *Pages) editableTender(c echo.Context) (*domain.Tender, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	t, err := p.svc.Tenders.Get(c.Request().Context(), id)
	if err != nil {
		return nil, err
	}
	if t.Status != domain.TenderDraft {
		return nil, domain.Errorf(domain.ECONFLICT, "tender %d is %s: only a draft can be edited", id, t.Status)
	}
	if len(t.Lots) > maxLots || len(otherCriteria(t)) > criterionRows-1 {
		return nil, domain.Errorf(domain.ECONFLICT, "tender %d has %d lots and %d criteria besides price; this page edits up to %d and %d: use PUT /api/v1/tenders/%d",
			id, len(t.Lots), len(otherCriteria(t)), maxLots, criterionRows-1, id)
	}
	return t, nil
}

func otherCriteria(t *domain.Tender) []domain.TenderCriterion {
	var out []domain.TenderCriterion
	for _, cr := range t.Criteria {
		if cr.Name != "price" {
			out = append(out, cr)
		}
	}
	return out
}

// tenderValues is draft t as the form's fields, numbers written in the
// page's language (parseTyped reads them back): every row set, the empty
// ones too, so that the new form's defaults do not creep in.
func tenderValues(t *domain.Tender, l *Localizer) url.Values {
	v := url.Values{}
	v.Set("title", t.Title)
	v.Set("description", t.Description)
	v.Set("category", t.Category)
	if t.DemandPeriod != nil {
		v.Set("period", *t.DemandPeriod)
	}
	v.Set("contract_from", t.ContractFrom.Format(time.DateOnly))
	v.Set("contract_to", t.ContractTo.Format(time.DateOnly))
	v.Set("bid_deadline", t.BidDeadline.In(copenhagen).Format("2006-01-02T15:04"))
	v.Set("rebate", l.Qty(t.RebateRate.Shift(2)))
	v.Set("crit-weight-0", l.Qty(t.PriceWeight))
	others := otherCriteria(t)
	for i := 1; i < criterionRows; i++ {
		name, weight, dir := "", "", ""
		if i <= len(others) {
			cr := others[i-1]
			name, weight, dir = cr.Name, l.Qty(cr.Weight), cr.Direction
		}
		v.Set(fmt.Sprintf("crit-name-%d", i), name)
		v.Set(fmt.Sprintf("crit-weight-%d", i), weight)
		v.Set(fmt.Sprintf("crit-dir-%d", i), dir)
	}
	for n := 1; n <= maxLots; n++ {
		title := ""
		if n <= len(t.Lots) {
			lot := t.Lots[n-1]
			title = lot.Title
			for _, it := range lot.Items {
				v.Set(fmt.Sprintf("lot-%d", it.ProductID), fmt.Sprint(n))
				v.Set(fmt.Sprintf("qty-%d", it.ProductID), l.Qty(it.Quantity))
			}
		}
		v.Set(fmt.Sprintf("lot-title-%d", n), title)
	}
	return v
}

// editTenderForm shows draft :id on the tender form. Choosing another
// period or category there (?period=&category=) shows that demand beside
// the draft's own lines.
func (p *Pages) editTenderForm(c echo.Context) error {
	t, err := p.editableTender(c)
	if err != nil {
		return err
	}
	q := tenderValues(t, pageOf(c).L)
	for _, k := range []string{"period", "category"} {
		if v, ok := c.QueryParams()[k]; ok {
			q[k] = v
		}
	}
	d, err := p.tenderForm(c, q, t)
	if err != nil {
		return err
	}
	// Pooled lines the draft left out stay out, unless another period's
	// demand is being looked at.
	if t.DemandPeriod != nil && d.Period == *t.DemandPeriod && d.Category == t.Category {
		for _, pd := range d.Pooled {
			if _, ok := q[fmt.Sprintf("qty-%d", pd.ProductID)]; !ok {
				d.Form.Set(fmt.Sprintf("qty-%d", pd.ProductID), "0")
			}
		}
	}
	pageOf(c).Title = "title.staff_tender_edit"
	status := http.StatusOK
	if len(d.Problems) > 0 { // a period that is not one: shown by its field
		status = http.StatusUnprocessableEntity
	}
	return p.render(c, status, "staff_tender_new", d)
}

// updateTender replaces draft :id with the form, as the API's PUT does.
func (p *Pages) updateTender(c echo.Context) error {
	t, err := p.editableTender(c)
	if err != nil {
		return err
	}
	return p.saveTender(c, t)
}

// cancelTender cancels a draft, published or closed tender; the reason is
// required here (it is the only record of why the members' demand was not
// tendered) and kept with the tender and in its audit history.
func (p *Pages) cancelTender(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(c.FormValue("reason"))
	if reason == "" {
		d, err := p.staffTenderView(c)
		if err != nil {
			return err
		}
		d.Errors["cancel-reason"] = pageOf(c).L.Problem("is required")
		return p.render(c, http.StatusUnprocessableEntity, "staff_tender", d)
	}
	if _, err := p.svc.Tenders.Cancel(c.Request().Context(), id, reason); err != nil {
		return err
	}
	return seeOther(c, fmt.Sprintf("/staff/tenders/%d?done=tender-cancelled", id))
}
