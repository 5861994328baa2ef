package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

// The staff's catalogue: every supplier's price lists with their reports,
// the queue of candidate products (confirm, or merge into a product the
// catalogue has, with the evidence: GTINs, names, suppliers) and the
// exchange rates offers in other currencies are compared by.

func (p *Pages) staffCatalogueRoutes(s *echo.Group) {
	s.GET("/catalogue", p.staffPriceLists)
	s.GET("/catalogue/price-lists/:id", p.staffPriceList)
	s.GET("/catalogue/candidates", p.staffCandidates)
	s.POST("/catalogue/products/:id/confirm", p.staffConfirmProduct)
	s.POST("/catalogue/products/:id/merge", p.staffMergeProduct)
	s.GET("/catalogue/rates", p.staffRates)
	s.POST("/catalogue/rates", p.staffRateSet)
}

type staffPriceListsData struct {
	Lists     []domain.PriceList
	Suppliers []domain.Supplier
	Names     map[int64]string
	Supplier  int64
	Status    string
	Next      int64
}

// suppliersByID lists the suppliers (for names and the filter); a
// cooperative has tens of them.
func (p *Pages) suppliersByID(c echo.Context) ([]domain.Supplier, map[int64]string, error) {
	list, _, err := p.svc.Suppliers.List(c.Request().Context(), domain.SupplierFilter{Page: domain.Page{Limit: domain.MaxPageLimit}})
	if err != nil {
		return nil, nil, err
	}
	names := make(map[int64]string, len(list))
	for _, s := range list {
		names[s.ID] = s.Name
	}
	return list, names, nil
}

// staffPriceLists lists every supplier's price lists, newest first,
// filtered by supplier and status.
func (p *Pages) staffPriceLists(c echo.Context) error {
	supplier, err := formNumber(c, "supplier")
	if err != nil {
		return err
	}
	d := staffPriceListsData{Supplier: supplier, Status: c.QueryParam("status")}
	switch domain.PriceListStatus(d.Status) {
	case domain.PriceListValidating, domain.PriceListRejected, domain.PriceListScheduled, domain.PriceListActive, domain.PriceListSuperseded:
	default:
		d.Status = ""
	}
	if d.Suppliers, d.Names, err = p.suppliersByID(c); err != nil {
		return err
	}
	d.Lists, d.Next, err = p.svc.Catalogue.ListPriceLists(c.Request().Context(), domain.PriceListFilter{SupplierID: d.Supplier,
		Status: domain.PriceListStatus(d.Status), Page: domain.Page{Limit: 50, After: formInt(c, "after")}})
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "staff_pricelists", d)
}

type staffPriceListData struct {
	List     *domain.PriceList
	Supplier *domain.Supplier
	Problems []domain.PriceListProblem
	Show     string
}

// staffPriceList shows one list's report: status, counts and every
// stored problem, filterable by severity.
func (p *Pages) staffPriceList(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	pl, err := p.svc.Catalogue.GetPriceList(ctx, id)
	if err != nil {
		return err
	}
	d := staffPriceListData{List: pl, Show: c.QueryParam("show")}
	if d.Supplier, err = p.svc.Suppliers.Get(ctx, pl.SupplierID); err != nil {
		return err
	}
	if d.Show != "error" && d.Show != "warning" {
		d.Show = ""
	}
	var all []domain.PriceListProblem
	_ = json.Unmarshal(pl.Problems, &all) // written by the importer; empty while loading
	for _, pr := range all {
		if d.Show == "" || pr.Severity == d.Show {
			d.Problems = append(d.Problems, pr)
		}
	}
	return p.render(c, http.StatusOK, "staff_pricelist", d)
}

type staffCandidatesData struct {
	Candidates []domain.ProductCandidate
	Next       int64
	Problem    string // why a merge was refused (the domain's words)
	For        int64  // the candidate the problem is about
}

// staffCandidates shows the queue of candidate products, oldest first,
// 20 a page, each with its evidence.
func (p *Pages) staffCandidates(c echo.Context) error {
	return p.renderCandidates(c, http.StatusOK, staffCandidatesData{})
}

func (p *Pages) renderCandidates(c echo.Context, status int, d staffCandidatesData) error {
	var err error
	d.Candidates, d.Next, err = p.svc.Catalogue.ProductCandidates(c.Request().Context(),
		domain.Page{Limit: 20, After: formInt(c, "after")})
	if err != nil {
		return err
	}
	return p.render(c, status, "staff_candidates", d)
}

func (p *Pages) staffConfirmProduct(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if _, err := p.svc.Catalogue.ConfirmProduct(c.Request().Context(), id); err != nil {
		return err
	}
	return seeOther(c, "/staff/catalogue/candidates?done=product-confirmed")
}

// staffMergeProduct merges a candidate into the product chosen among the
// suggestions, or into any product by its number.
func (p *Pages) staffMergeProduct(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	field := "into_other"
	if strings.TrimSpace(c.FormValue("into_other")) == "" {
		field = "into"
	}
	into, err := formNumber(c, field)
	if err != nil {
		return p.renderCandidates(c, http.StatusUnprocessableEntity, staffCandidatesData{Problem: "must be a whole number", For: id})
	}
	if _, err := p.svc.Catalogue.MergeProduct(c.Request().Context(), id, into); err != nil {
		if domain.ErrorCode(err) != domain.EINVALID && domain.ErrorCode(err) != domain.ECONFLICT {
			return err
		}
		var msg string
		var de *domain.Error
		if errors.As(err, &de) {
			msg = de.Message
			if len(de.Fields) > 0 {
				msg = de.Fields[0].Message
			}
		}
		status := http.StatusUnprocessableEntity
		if domain.ErrorCode(err) == domain.ECONFLICT {
			status = http.StatusConflict
		}
		return p.renderCandidates(c, status, staffCandidatesData{Problem: pageOf(c).L.Problem(msg), For: id})
	}
	return seeOther(c, "/staff/catalogue/candidates?done=product-merged")
}

type staffRatesData struct {
	Rates    []domain.ExchangeRate
	Own      string
	Currency string
	Rate     string
	Errs     fieldErrs
}

func (p *Pages) staffRates(c echo.Context) error {
	return p.renderRates(c, http.StatusOK, staffRatesData{})
}

func (p *Pages) renderRates(c echo.Context, status int, d staffRatesData) error {
	var err error
	if d.Rates, err = p.svc.Catalogue.ExchangeRates(c.Request().Context()); err != nil {
		return err
	}
	d.Own = p.svc.Catalogue.Currency()
	return p.render(c, status, "staff_rates", d)
}

// staffRateSet sets what one unit of a currency costs in the
// cooperative's own; the rate is read as typed in the user's language
// ("7,4604" in Danish) or plain ("7.4604").
func (p *Pages) staffRateSet(c echo.Context) error {
	d := staffRatesData{Currency: strings.TrimSpace(c.FormValue("currency")), Rate: strings.TrimSpace(c.FormValue("rate"))}
	rate, perr := parseTyped(d.Rate, pageOf(c).L)
	var err error
	if perr != nil {
		err = &domain.Error{Code: domain.EINVALID, Fields: []domain.FieldError{{Field: "rate", Message: "must be a number such as 7.4604"}}}
	} else {
		_, err = p.svc.Catalogue.SetExchangeRate(c.Request().Context(), d.Currency, rate)
	}
	if err != nil {
		errs, _, status, ok := formProblems(err, pageOf(c).L)
		if !ok {
			return err
		}
		d.Errs = errs
		return p.renderRates(c, status, d)
	}
	return seeOther(c, "/staff/catalogue/rates?done=rate-saved")
}

// percent writes a similarity (0..1) as a whole percentage.
func percent(n int) string { return strconv.Itoa(n) + " %" }

func init() {
	funcs["percent"] = percent
	funcs["itoa64"] = func(n int64) string { return strconv.FormatInt(n, 10) }
}
