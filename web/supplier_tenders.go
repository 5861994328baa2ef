package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"andel/domain"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"
)

// The supplier's tenders: the published ones with their lots and pooled
// quantities, a bid form (one row per lot item), and its own bids with
// each bid's receipt, as the API's /tenders/{id}/bids does.

func (p *Pages) supplierTenderRoutes(s *echo.Group) {
	s.GET("/tenders", p.supplierTenders)
	s.GET("/tenders/:id", p.supplierTender)
	s.POST("/tenders/:id/bids", p.submitBid)
	s.GET("/tenders/:id/bid.csv", p.bidTemplate)
	s.POST("/tenders/:id/bids/csv", p.uploadBid)
	s.POST("/tenders/:id/bids/:bid/withdraw", p.withdrawBid)
}

// formTiers is how many tiers the bid form has per item (a file can have
// any number: supplier_bidcsv.go).
const formTiers = 3

type supplierTendersData struct {
	Tenders []domain.Tender
	Next    int64
}

// supplierTenders lists the tenders open for bids.
func (p *Pages) supplierTenders(c echo.Context) error {
	list, next, err := p.svc.Tenders.List(c.Request().Context(), domain.TenderFilter{Status: domain.TenderPublished,
		Page: domain.Page{Limit: 25, After: formInt(c, "after")}})
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "supplier_tenders", supplierTendersData{Tenders: list, Next: next})
}

type supplierTenderData struct {
	Tender   *domain.Tender
	Bids     []domain.Bid
	Open     bool                     // bids are taken (published, before the deadline)
	Form     url.Values               // the form sent, shown again with its problems
	Problems []domain.FieldError      // why the bid was not taken
	Criteria []domain.TenderCriterion // the non-price criteria the bid gives a value for
	CSV      bool                     // the problems are a bid file's (shown by its form)
	Tiers    []int                    // the form's tier slots, 1..formTiers
}

// ItemName is the product of a lot item of the tender.
func (d supplierTenderData) ItemName(id int64) string {
	for _, lot := range d.Tender.Lots {
		for _, it := range lot.Items {
			if it.ID == id {
				return it.ProductName
			}
		}
	}
	return ""
}

// V is a field of the form as sent ("" on a fresh form).
func (d supplierTenderData) V(name string) string { return d.Form.Get(name) }

func (p *Pages) supplierTender(c echo.Context) error {
	d, err := p.tenderData(c)
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "supplier_tender", d)
}

func (p *Pages) tenderData(c echo.Context) (supplierTenderData, error) {
	ctx := c.Request().Context()
	id, err := pathID(c)
	if err != nil {
		return supplierTenderData{}, err
	}
	t, err := p.svc.Tenders.Get(ctx, id)
	if err != nil {
		return supplierTenderData{}, err
	}
	d := supplierTenderData{Tender: t, Form: url.Values{}, Tiers: []int{1, 2, 3}[:formTiers],
		Open: t.Status == domain.TenderPublished && p.svc.Options().Clock().Before(t.BidDeadline)}
	for _, cr := range t.Criteria {
		if cr.Name != "price" {
			d.Criteria = append(d.Criteria, cr)
		}
	}
	if d.Bids, err = p.svc.Tenders.ListBids(ctx, id); err != nil {
		return supplierTenderData{}, err
	}
	return d, nil
}

// submitBid reads the form's rows (an item without a pack price is not
// bid on) and submits them as one bid; a second bid replaces the first.
// A bid the domain refuses shows the form again with every problem.
func (p *Pages) submitBid(c echo.Context) error {
	d, err := p.tenderData(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	d.Form = form
	var probs domain.Problems
	num := func(field, v string) decimal.Decimal {
		n, err := parseTyped(strings.TrimSpace(v), pageOf(c).L)
		if err != nil {
			probs.Add(field, "is not a number")
		}
		return n
	}
	in := domain.BidInput{Values: map[string]decimal.Decimal{}}
	for _, cr := range d.Criteria {
		in.Values[cr.Name] = num(cr.Name, form.Get("value-"+cr.Name))
	}
	for _, lot := range d.Tender.Lots {
		for _, it := range lot.Items {
			f := func(name string) string { return strings.TrimSpace(form.Get(fmt.Sprintf("%s-%d", name, it.ID))) }
			if f("price") == "" {
				continue
			}
			field := it.ProductName
			bi := domain.BidItemInput{LotItemID: it.ID, SKU: f("sku"), PackUnit: f("unit"),
				PackContent: num(field+": content", f("content")), PackPrice: num(field+": price", f("price"))}
			for k := 1; k <= formTiers; k++ {
				min, price := f(fmt.Sprintf("tiermin%d", k)), f(fmt.Sprintf("tierprice%d", k))
				if min != "" || price != "" {
					bi.Tiers = append(bi.Tiers, domain.BidTierInput{MinPacks: num(fmt.Sprintf("%s: tier %d", field, k), min),
						PackPrice: num(fmt.Sprintf("%s: tier %d price", field, k), price)})
				}
			}
			in.Items = append(in.Items, bi)
		}
	}
	err = probs.Err()
	if err == nil {
		_, _, err = p.svc.Tenders.SubmitBid(c.Request().Context(), d.Tender.ID, in)
	}
	if err != nil {
		return p.bidRefused(c, d, err)
	}
	return seeOther(c, fmt.Sprintf("/supplier/tenders/%d?done=bid-submitted#bids", d.Tender.ID))
}

// bidRefused shows the tender page again with why a bid (from the form or
// a file) was not taken: every problem, or the conflict (the deadline
// passed). Other errors are the error page's.
func (p *Pages) bidRefused(c echo.Context, d supplierTenderData, err error) error {
	de, ok := err.(*domain.Error)
	if !ok || (de.Code != domain.EINVALID && de.Code != domain.ECONFLICT) {
		return err
	}
	d.Problems = de.Fields
	if len(d.Problems) == 0 || de.Code == domain.ECONFLICT {
		d.Problems = append([]domain.FieldError{{Field: pageOf(c).L.T("stenders.bid"), Message: de.Message}}, d.Problems...)
	}
	status := http.StatusUnprocessableEntity
	if de.Code == domain.ECONFLICT {
		status = http.StatusConflict
	}
	return p.render(c, status, "supplier_tender", d)
}

// withdrawBid withdraws the supplier's bid before the deadline (after it,
// the page says why not); a new bid may follow until the deadline.
func (p *Pages) withdrawBid(c echo.Context) error {
	d, err := p.tenderData(c)
	if err != nil {
		return err
	}
	bid, err := strconv.ParseInt(c.Param("bid"), 10, 64)
	if err != nil || bid <= 0 {
		return domain.NotFound("bid")
	}
	if err := p.svc.Tenders.WithdrawBid(c.Request().Context(), d.Tender.ID, bid); err != nil {
		return p.bidRefused(c, d, err)
	}
	return seeOther(c, fmt.Sprintf("/supplier/tenders/%d?done=bid-withdrawn#bids", d.Tender.ID))
}
