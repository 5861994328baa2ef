package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"andel/domain"
	"andel/pricing"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"
)

// shopRoutes are the practice's pages (role member).
func (p *Pages) shopRoutes(g *echo.Group) {
	m := g.Group("", requireRole(domain.RoleMember))
	m.GET("/shop", p.search)
	m.GET("/shop/products/:id", p.product)
	m.GET("/cart", p.cart)
	m.POST("/cart", p.addToCart)
	m.POST("/cart/lines/:id", p.setCartLine)
	m.POST("/checkout", p.checkout)
	m.GET("/orders", p.orders)
	m.GET("/orders/placed", p.placed)
	m.GET("/orders/:id", p.order)
	m.POST("/orders/:id/reorder", p.reorder)
	m.GET("/lists", p.standardLists)
	m.POST("/lists", p.createList)
	m.GET("/lists/:id", p.standardList)
	m.POST("/lists/:id/lines", p.setListLine)
	m.POST("/lists/:id/cart", p.listToCart)
	m.GET("/demand", p.demand)
	m.POST("/demand", p.saveDemand)
	m.GET("/savings", p.savings)
	m.GET("/savings.csv", p.savingsCSV)
	p.compareRoutes(m)
}

// pathID reads a positive id from the path; anything else is the 404 page.
func pathID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.NotFound("page")
	}
	return id, nil
}

// formInt reads a whole number from a field where a bad one may be taken
// as none (a page's cursor, after=): 0 when absent or not a number (which
// ParseInt would give as ±MaxInt64 when too large).
func formInt(c echo.Context, name string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(c.FormValue(name)), 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// formNumber reads a whole number (an id, a quantity) from a field: 0 when
// absent or empty, and a refusal naming the field when it is something
// else (a word, 1e400, 40 digits, a negative number), rather than taking
// it as 0, which meant "no offer chosen" or "all suppliers".
func formNumber(c echo.Context, name string) (int64, error) {
	s := strings.TrimSpace(c.FormValue(name))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 { // no id, no quantity of the pages is negative
		return 0, &domain.Error{Code: domain.EINVALID, Message: "a field is not a whole number",
			Fields: []domain.FieldError{{Field: name, Message: "must be a whole number, 0 or more"}}}
	}
	return n, nil
}

// lineInput reads a product, an offer and a quantity of packs (the cart's
// and the standard lists' forms).
func lineInput(c echo.Context) (domain.OrderLineInput, error) {
	var in domain.OrderLineInput
	var err error
	var p domain.Problems
	for _, f := range []struct {
		name string
		dst  *int64
	}{{"product_id", &in.ProductID}, {"offer_id", &in.OfferID}, {"quantity", &in.Quantity}} {
		if *f.dst, err = formNumber(c, f.name); err != nil {
			p.Add(f.name, "must be a whole number, 0 or more")
		}
	}
	return in, p.Err()
}

func seeOther(c echo.Context, to string) error { return c.Redirect(http.StatusSeeOther, to) }

// --- Search ---

type searchData struct {
	Query, Category string
	Categories      []string
	Results         []domain.Product
}

// search finds products by name, GTIN, SKU and category. With htmx it is
// asked for as the user types and answers only the results.
func (p *Pages) search(c echo.Context) error {
	ctx := c.Request().Context()
	d := searchData{Query: strings.TrimSpace(c.QueryParam("q")), Category: strings.TrimSpace(c.QueryParam("category"))}
	if strings.ContainsRune(d.Query+d.Category, 0) || len(d.Query) > 200 || len(d.Category) > 200 {
		return domain.Errorf(domain.EINVALID, "bad query")
	}
	f := domain.ProductFilter{Query: d.Query, Category: d.Category, Status: "active", Page: domain.Page{Limit: 30}}
	if domain.ValidGTIN(d.Query) {
		f.Query, f.GTIN = "", d.Query
	}
	res, _, err := p.svc.Catalogue.SearchProducts(ctx, f)
	if err != nil {
		return err
	}
	d.Results = res
	if c.Request().Header.Get("HX-Request") != "" && c.Request().Header.Get("HX-Target") == "results" {
		return p.renderBlock(c, http.StatusOK, "shop", "results", d)
	}
	if d.Categories, err = p.carts.Categories(ctx); err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "shop", d)
}

// --- Product ---

type offerView struct {
	domain.PricedOffer
	PackUnitName, BaseUnitName string
	// UnitWritten is the pack unit as the supplier's list wrote it ("æsk"),
	// shown before its code and name; "" when the list wrote the code.
	UnitWritten string
	Saving      *decimal.Decimal // per base unit against the baseline
	SavingCur   string
}

// offerArgs is what the "offer" and "addform" templates get: the page and
// one offer (nil: the contract's price without an offer of its own).
type offerArgs struct {
	Page  *Page
	Offer *offerView
	N     int64 // makes the form's ids unique on the page
}

func newOfferArgs(p *Page, o any) offerArgs {
	a := offerArgs{Page: p}
	if v, ok := o.(offerView); ok {
		a.Offer, a.N = &v, v.ID
	}
	return a
}

type productData struct {
	Product      *domain.Product
	BaseUnitName string
	Contract     *domain.ContractPrice
	Baseline     *pricing.Price
	First        []offerView // the contract's offer
	Others       []offerView
	Lists        []domain.StandardList
}

func unitName(code string) string {
	if n, ok := pricing.Rec20Name(code); ok {
		return n
	}
	return ""
}

// product shows the contract price and its supplier first, then the other
// offers, per base unit and per pack, with the saving against the baseline.
func (p *Pages) product(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c)
	if err != nil {
		return err
	}
	prod, err := p.svc.Catalogue.GetProduct(ctx, id)
	if err != nil {
		return err
	}
	offers, err := p.svc.Catalogue.ProductOffers(ctx, id)
	if err != nil {
		return err
	}
	d := productData{Product: prod, BaseUnitName: unitName(prod.BaseUnit)}
	if d.Contract, err = p.svc.Contracts.ContractPrice(ctx, id, time.Now().UTC().Truncate(24*time.Hour)); err != nil {
		return err
	}
	base, err := p.svc.Catalogue.ProductBaseline(ctx, id, d.Contract)
	if err != nil {
		return err
	}
	if base != nil {
		d.Baseline = &base.Price
	}
	for _, o := range offers {
		v := offerView{PricedOffer: o, PackUnitName: unitName(o.PackUnit), BaseUnitName: unitName(o.BaseUnit)}
		if o.UnitWritten != nil {
			v.UnitWritten = *o.UnitWritten
		}
		if d.Baseline != nil && o.CoopUnitPrice != nil && o.CoopUnitPrice.Currency() == d.Baseline.Currency() {
			s := d.Baseline.Amount().Sub(o.CoopUnitPrice.Amount())
			v.Saving, v.SavingCur = &s, string(d.Baseline.Currency())
		}
		if o.Contract != nil {
			d.First = append(d.First, v)
		} else {
			d.Others = append(d.Others, v)
		}
	}
	if d.Lists, err = p.lists.List(ctx); err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "product", d)
}

// --- Cart ---

type cartData struct {
	Quote    *domain.CartQuote
	Key      string // the checkout's idempotency key
	Problems []domain.FieldError
}

func (p *Pages) cart(c echo.Context) error {
	q, err := p.carts.Quote(c.Request().Context())
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "cart", cartData{Quote: q, Key: newKey()})
}

// addToCart adds packs of a product (offer_id: a chosen offer, none: the
// contract's) and goes back to where the form was (the product page).
func (p *Pages) addToCart(c echo.Context) error {
	in, err := lineInput(c)
	if err != nil {
		return err
	}
	if err := p.carts.Add(c.Request().Context(), in); err != nil {
		return err
	}
	back := safeNext(c.FormValue("next"))
	if back == "/" {
		back = "/cart"
	}
	return seeOther(c, withDone(back, "added"))
}

// withDone adds ?done=notice to a local address.
func withDone(to, notice string) string {
	u, err := url.Parse(to)
	if err != nil {
		return "/"
	}
	q := u.Query()
	q.Set("done", notice)
	u.RawQuery = q.Encode()
	return u.RequestURI()
}

func (p *Pages) setCartLine(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	qty, err := formNumber(c, "quantity")
	if err != nil {
		return err
	}
	if c.FormValue("remove") != "" {
		qty = 0
	}
	if err := p.carts.SetQuantity(c.Request().Context(), id, qty); err != nil {
		return err
	}
	if qty == 0 {
		return seeOther(c, "/cart?done=removed")
	}
	return seeOther(c, "/cart?done=updated")
}
