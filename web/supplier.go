package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"andel/app"
	"andel/domain"

	"github.com/labstack/echo/v4"
)

// The supplier's pages (role supplier): price lists and incoming orders.
// They call the same services as the JSON API (api/pricelists.go,
// api/orders.go); the domain scopes every read to the supplier logged in,
// so another supplier's list or order is the 404 page.

func (p *Pages) supplierRoutes(g *echo.Group) {
	s := g.Group("/supplier", requireRole(domain.RoleSupplier))
	s.GET("/price-lists", p.priceLists)
	s.POST("/price-lists", p.uploadPriceList)
	s.GET("/price-lists/:id", p.priceList)
	s.GET("/price-lists/:id/diff.csv", p.priceListDiffCSV)
	s.GET("/orders", p.supplierOrders)
	s.POST("/orders/:id/status", p.setSupplierOrderStatus)
	p.supplierTenderRoutes(s)
	p.supplierIntegrationRoutes(s)
	p.scorecardSupplierRoutes(s) // scorecards.go
}

// UploadPath is the path of the web's price-list upload: the API exempts
// it from its general body limit (the importer has its own).
const UploadPath = "/supplier/price-lists"

// syncImportBytes: uploads up to this size are loaded before the answer;
// larger ones are loaded after it, their progress polled (as the API does).
const syncImportBytes = 1 << 20

// uploadTypes maps a file's extension to the Content-Type the importer
// reads it by (suppliers.DetectFormat).
var uploadTypes = map[string]string{
	".csv": "text/csv", ".txt": "text/csv", ".json": "application/json", ".xml": "application/xml",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

type priceListsData struct {
	Lists []domain.PriceList
	Next  int64
	Error string // message key of an upload that was refused
}

// priceLists shows the upload form and the supplier's lists, newest first.
func (p *Pages) priceLists(c echo.Context) error {
	return p.renderPriceLists(c, http.StatusOK, "")
}

func (p *Pages) renderPriceLists(c echo.Context, status int, errKey string) error {
	lists, next, err := p.svc.Catalogue.ListPriceLists(c.Request().Context(),
		domain.PriceListFilter{Page: domain.Page{Limit: 25, After: formInt(c, "after")}})
	if err != nil {
		return err
	}
	return p.render(c, status, "supplier_pricelists", priceListsData{Lists: lists, Next: next, Error: errKey})
}

// uploadPriceList receives a file from the picker and hands it to the
// importer with the Content-Type its extension names; a small list is
// loaded at once, a large one after the answer. Either way the answer is
// the list's page (its report, or its progress).
func (p *Pages) uploadPriceList(c echo.Context) error {
	ctx := c.Request().Context()
	fh, err := c.FormFile("file")
	if err != nil {
		return p.renderPriceLists(c, http.StatusUnprocessableEntity, "pricelists.nofile")
	}
	ext := strings.ToLower(path.Ext(fh.Filename))
	ct, ok := uploadTypes[ext]
	if !ok {
		return p.renderPriceLists(c, http.StatusUnsupportedMediaType, "pricelists.badtype")
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	rec, err := p.app.Importer.Receive(ctx, domain.ActorFrom(ctx).SupplierID, ct, f, "upload")
	switch {
	case errors.Is(err, app.ErrUnsupportedMediaType):
		return p.renderPriceLists(c, http.StatusUnsupportedMediaType, "pricelists.badtype")
	case errors.Is(err, app.ErrPriceListTooLarge):
		return p.renderPriceLists(c, http.StatusRequestEntityTooLarge, "pricelists.toolarge")
	case err != nil:
		return err
	}
	to := "/supplier/price-lists/" + strconv.FormatInt(rec.List.ID, 10)
	if !rec.Created { // the same file again: its list
		rec.Close()
		return seeOther(c, to)
	}
	if rec.Bytes > syncImportBytes {
		go func() {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Hour)
			defer cancel()
			if _, err := p.app.Importer.Load(ctx, rec, nil); err != nil {
				p.log.Error("loading a price list failed", "price_list_id", rec.List.ID, "err", err)
			}
		}()
		return seeOther(c, to)
	}
	if _, err := p.app.Importer.Load(ctx, rec, nil); err != nil {
		return err
	}
	return seeOther(c, to)
}

type priceListData struct {
	List     *domain.PriceList
	Problems []domain.PriceListProblem
	Show     string // "", "error" or "warning"
	Loading  bool
	// The report is shown reportPage problems at a time (a list's report
	// holds up to 1,000 errors and 1,000 warnings): From is the first
	// shown (0-based), Shown how many, Total how many match the filter;
	// Prev and Next the From of the neighbouring pages (-1: none).
	From, Shown, Total, Prev, Next int
	// Diff is what the list changes against the list it replaced or would
	// replace (supplier_diff.go); nil for a list without one, or a large
	// list whose diff was not asked for (DiffAsk).
	Diff    *diffView
	DiffAsk bool
}

// reportPage is how many problems the list page shows at once.
const reportPage = 50

// priceList shows one list: its status and counts, and its report (every
// stored problem, filterable by severity). While the list is still being
// loaded the page polls its progress with htmx (without JavaScript: the
// reload link); an htmx poll gets only the progress, or a full reload
// once the load is done.
func (p *Pages) priceList(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	pl, err := p.svc.Catalogue.GetPriceList(c.Request().Context(), id)
	if err != nil {
		return err
	}
	d := priceListData{List: pl, Show: c.QueryParam("show"), Loading: pl.Status == domain.PriceListValidating}
	if c.Request().Header.Get("HX-Request") != "" && c.QueryParam("progress") != "" {
		if !d.Loading {
			c.Response().Header().Set("HX-Refresh", "true")
		}
		return p.renderBlock(c, http.StatusOK, "supplier_pricelist", "progress", d)
	}
	if d.Show != "error" && d.Show != "warning" {
		d.Show = ""
	}
	var all []domain.PriceListProblem
	_ = json.Unmarshal(pl.Problems, &all) // written by the importer; empty while loading
	var match []domain.PriceListProblem
	for _, pr := range all {
		if d.Show == "" || pr.Severity == d.Show {
			match = append(match, pr)
		}
	}
	d.Total = len(match)
	d.From = min(max(int(formInt(c, "from")), 0), max(d.Total-1, 0))
	d.From -= d.From % reportPage
	d.Problems = match[d.From:min(d.From+reportPage, d.Total)]
	d.Shown, d.Prev, d.Next = len(d.Problems), -1, -1
	if d.From > 0 {
		d.Prev = d.From - reportPage
	}
	if d.From+reportPage < d.Total {
		d.Next = d.From + reportPage
	}
	if hasDiff(pl) {
		if pl.RowsRead > diffInlineRows && c.QueryParam("diff") == "" {
			d.DiffAsk = true
		} else if d.Diff, err = p.listDiff(c, pl); err != nil {
			return err
		}
	}
	return p.render(c, http.StatusOK, "supplier_pricelist", d)
}

type supplierOrdersData struct {
	Orders []domain.Order
	Status string
	Next   int64
}

// supplierOrders lists the orders placed with the supplier, newest first,
// with each practice's delivery data as it was when ordered.
func (p *Pages) supplierOrders(c echo.Context) error {
	status := domain.OrderStatus(c.QueryParam("status"))
	if status != "" && !status.Valid() {
		status = ""
	}
	list, next, err := p.svc.Orders.List(c.Request().Context(),
		domain.OrderFilter{Status: status, Page: domain.Page{Limit: 25, After: formInt(c, "after")}})
	if err != nil {
		return err
	}
	for i := range list { // a list comes without lines: the supplier packs by them
		o, err := p.svc.Orders.Get(c.Request().Context(), list[i].ID)
		if err != nil {
			return err
		}
		list[i] = *o
	}
	return p.render(c, http.StatusOK, "supplier_orders", supplierOrdersData{Orders: list, Status: string(status), Next: next})
}

// setSupplierOrderStatus confirms, ships, delivers or rejects (with a
// reason) an order; the domain says which step may follow which.
func (p *Pages) setSupplierOrderStatus(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	to := domain.OrderStatus(c.FormValue("status"))
	reason := strings.TrimSpace(c.FormValue("reason"))
	if _, err := p.svc.Orders.SetStatus(c.Request().Context(), id, to, reason); err != nil {
		return err
	}
	back := "/supplier/orders?done=order-" + string(to)
	if s := c.FormValue("filter"); domain.OrderStatus(s).Valid() {
		back += "&status=" + s
	}
	return seeOther(c, back+"#order-"+strconv.FormatInt(id, 10))
}
