package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"time"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

// newKey returns a fresh idempotency key for a checkout form: rendered
// into the form, so that a double click or a resent form places the
// orders once.
func newKey() string {
	var b [18]byte
	_, _ = rand.Read(b[:])
	return "web-" + base64.RawURLEncoding.EncodeToString(b[:])
}

var keyPattern = regexp.MustCompile(`^web-[A-Za-z0-9_-]{24}$`)

// checkoutPath is the path every web checkout's key is claimed for; the
// body hash is constant, so a second submit of the same form finds the
// first one's answer.
const checkoutPath = "/checkout"

var checkoutHash = sha256.Sum256([]byte("web checkout"))

// checkout places the cart as one order per supplier under the form's
// idempotency key, empties the cart of what was ordered and shows the
// orders. A second submit with the same key (a double click, a resend)
// orders nothing and shows the same orders.
func (p *Pages) checkout(c echo.Context) error {
	key := c.FormValue("key")
	if !keyPattern.MatchString(key) {
		return domain.Errorf(domain.EINVALID, "bad checkout key")
	}
	ctx := c.Request().Context()
	caller := domain.IdempotencyCaller(domain.ActorFrom(ctx))
	placed := "/orders/placed?key=" + url.QueryEscape(key)
	var (
		stored *domain.IdempotencyRecord
		claim  int64
		err    error
	)
	// A double click: the second request waits for the first for a moment.
	for range 25 {
		stored, claim, err = p.svc.Idempotency.Begin(ctx, caller, key, http.MethodPost, checkoutPath, checkoutHash[:])
		if domain.ErrorCode(err) != domain.ECONFLICT {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	if err != nil {
		return err
	}
	if stored != nil {
		return seeOther(c, placed)
	}
	ctx = domain.WithIdempotencyClaim(ctx, claim)
	finish := func(status int) {
		if _, err := p.svc.Idempotency.Finish(context.WithoutCancel(ctx), claim, status, "text/plain", []byte(placed)); err != nil {
			p.log.Error("finishing the checkout key failed", "err", err)
		}
	}
	lines, err := p.carts.Lines(ctx)
	if err != nil {
		finish(http.StatusInternalServerError)
		return err
	}
	in := make([]domain.OrderLineInput, len(lines))
	for i, l := range lines {
		in[i] = domain.OrderLineInput{ProductID: l.ProductID, Quantity: l.Quantity}
		if l.OfferID != nil {
			in[i].OfferID = *l.OfferID
		}
	}
	if _, err := p.svc.Orders.Place(ctx, in); err != nil {
		finish(http.StatusUnprocessableEntity) // nothing executed: the key is released
		if domain.ErrorCode(err) != domain.EINVALID {
			return err
		}
		q, qerr := p.carts.Quote(ctx)
		if qerr != nil {
			return qerr
		}
		var fields []domain.FieldError
		if de, ok := err.(*domain.Error); ok {
			fields = de.Fields
		}
		return p.render(c, http.StatusUnprocessableEntity, "cart", cartData{Quote: q, Key: key, Problems: fields})
	}
	if err := p.carts.Clear(context.WithoutCancel(ctx), lines); err != nil {
		p.log.Error("emptying the cart after checkout failed", "err", err)
	}
	finish(http.StatusSeeOther)
	return seeOther(c, placed)
}

type placedData struct {
	Orders  []domain.Order
	Names   map[int64]string
	Pending bool
}

// placed shows the orders a checkout made; reloading it orders nothing.
func (p *Pages) placed(c echo.Context) error {
	ctx := c.Request().Context()
	key := c.QueryParam("key")
	if !keyPattern.MatchString(key) {
		return domain.NotFound("checkout")
	}
	rec, err := p.svc.Idempotency.Lookup(ctx, domain.IdempotencyCaller(domain.ActorFrom(ctx)), key)
	if err != nil {
		return err
	}
	d := placedData{Pending: rec.Executed == "" && rec.Live}
	for _, id := range rec.ExecutedIDs("order") {
		o, err := p.svc.Orders.Get(ctx, id)
		if err != nil {
			return err
		}
		d.Orders = append(d.Orders, *o)
	}
	if d.Names, err = p.supplierNames(ctx, d.Orders); err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "placed", d)
}

func (p *Pages) supplierNames(ctx context.Context, orders []domain.Order) (map[int64]string, error) {
	ids := make([]int64, len(orders))
	for i, o := range orders {
		ids[i] = o.SupplierID
	}
	return p.carts.SupplierNames(ctx, ids)
}

type ordersData struct {
	Orders []domain.Order
	Names  map[int64]string
	Status string
	Next   int64
}

// orders lists the practice's orders, newest first, by status.
func (p *Pages) orders(c echo.Context) error {
	ctx := c.Request().Context()
	status := domain.OrderStatus(c.QueryParam("status"))
	if status != "" && !status.Valid() {
		status = ""
	}
	after := formInt(c, "after")
	list, next, err := p.svc.Orders.List(ctx, domain.OrderFilter{Status: status, Page: domain.Page{Limit: 25, After: after}})
	if err != nil {
		return err
	}
	d := ordersData{Orders: list, Status: string(status), Next: next}
	if d.Names, err = p.supplierNames(ctx, list); err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "orders", d)
}

type orderData struct {
	Order    *domain.Order
	Supplier string
	Timeline []domain.OrderEvent
}

// order shows one order with its lines and its timeline. Another
// practice's order is the 404 page.
func (p *Pages) order(c echo.Context) error {
	ctx := c.Request().Context()
	o, err := p.pathOrder(c)
	if err != nil {
		return err
	}
	id := o.ID
	d := orderData{Order: o}
	if d.Timeline, err = p.svc.Orders.Timeline(ctx, id); err != nil {
		return err
	}
	names, err := p.supplierNames(ctx, []domain.Order{*o})
	if err != nil {
		return err
	}
	d.Supplier = names[o.SupplierID]
	return p.render(c, http.StatusOK, "order", d)
}

// reorder puts an order's lines in the cart again (at today's prices,
// from the same offers) and shows the cart.
func (p *Pages) reorder(c echo.Context) error {
	o, err := p.pathOrder(c)
	if err != nil {
		return err
	}
	in := make([]domain.OrderLineInput, len(o.Lines))
	for i, l := range o.Lines {
		in[i] = domain.OrderLineInput{ProductID: l.ProductID, Quantity: l.Quantity}
		if l.OfferID != nil && !l.OnContract {
			in[i].OfferID = *l.OfferID
		}
	}
	if err := p.carts.AddAll(c.Request().Context(), in); err != nil {
		return err
	}
	return seeOther(c, "/cart?done=reordered")
}

// pathOrder is the order named in the path, if the caller may see it.
func (p *Pages) pathOrder(c echo.Context) (*domain.Order, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	return p.svc.Orders.Get(c.Request().Context(), id)
}
