package api

import (
	"io"
	"net/http"
	"time"

	"andel/domain"
	"andel/pricing"
	"andel/suppliers"

	"github.com/labstack/echo/v4"
)

// orderRoutes registers the ordering and savings endpoints.
func (s *Server) orderRoutes(a *echo.Group) {
	a.POST("/orders", s.placeOrder, s.idempotent)
	a.GET("/orders", s.listOrders)
	a.GET("/orders/:id", s.getOrder)
	a.POST("/orders/:id/cancel", s.cancelOrder)
	a.POST("/orders/:id/status", s.setOrderStatus)
	a.POST("/orders/:id/response", s.answerOrder)
	a.POST("/suppliers/:id/webhook-secret", s.rotateWebhookSecret)
	a.GET("/savings", s.getSavings)
}

type orderLineRequest struct {
	ProductID int64 `json:"product_id"`
	OfferID   int64 `json:"offer_id"`
	Quantity  int64 `json:"quantity"`
}

type orderRequest struct {
	Lines []orderLineRequest `json:"lines" validate:"max=500"`
	// DeliveryAddressID is one of the practice's addresses; 0: its default.
	DeliveryAddressID int64 `json:"delivery_address_id"`
}

type orderLineResponse struct {
	LineNo            int    `json:"line_no"`
	ProductID         int64  `json:"product_id"`
	Category          string `json:"category"`
	OfferID           *int64 `json:"offer_id"`
	ContractID        *int64 `json:"contract_id"`
	ContractLineID    *int64 `json:"contract_line_id"`
	OnContract        bool   `json:"on_contract"`
	SKU               string `json:"sku"`
	GTIN              string `json:"gtin"`
	Name              string `json:"name"`
	PackUnit          string `json:"pack_unit"`
	PackContent       string `json:"pack_content"`
	BaseUnit          string `json:"base_unit"`
	Quantity          int64  `json:"quantity"`
	BaseQuantity      string `json:"base_quantity"`
	PackPrice         string `json:"pack_price"`
	UnitPrice         string `json:"unit_price"`
	BaselineUnitPrice string `json:"baseline_unit_price"`
	BaselineMethod    string `json:"baseline_method"`
	RebateRate        string `json:"rebate_rate"`
	VATRate           string `json:"vat_rate"`
	Currency          string `json:"currency"`
	NetTotal          string `json:"net_total"`
	VATTotal          string `json:"vat_total"`
	GrossTotal        string `json:"gross_total"`
	BaselineTotal     string `json:"baseline_total"`
	Savings           string `json:"savings"`
	RebateAccrued     string `json:"rebate_accrued"`
}

type orderResponse struct {
	ID            int64               `json:"id"`
	MemberID      int64               `json:"member_id"`
	SupplierID    int64               `json:"supplier_id"`
	Status        string              `json:"status"`
	StatusReason  string              `json:"status_reason"`
	Currency      string              `json:"currency"`
	PlacedOn      string              `json:"placed_on"`
	PlacedAt      time.Time           `json:"placed_at"`
	NetTotal      string              `json:"net_total"`
	VATTotal      string              `json:"vat_total"`
	GrossTotal    string              `json:"gross_total"`
	BaselineTotal string              `json:"baseline_total"`
	SavingsTotal  string              `json:"savings_total"`
	Buyer         orderBuyerResponse  `json:"buyer"`
	Delivery      addressSnapshot     `json:"delivery_address"`
	Lines         []orderLineResponse `json:"lines,omitempty"`
}

// orderBuyerResponse is the practice as it was when the order was placed.
type orderBuyerResponse struct {
	Name    string          `json:"name"`
	CVR     string          `json:"cvr"`
	GLN     string          `json:"gln"`
	Contact contactResponse `json:"contact"`
}

type contactResponse struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

// addressSnapshot is where an order goes, as it was when placed.
type addressSnapshot struct {
	ID       *int64 `json:"id"`
	Label    string `json:"label"`
	Street   string `json:"street"`
	Postcode string `json:"postcode"`
	City     string `json:"city"`
	Country  string `json:"country"`
}

func toOrderResponse(o domain.Order) (orderResponse, error) {
	t, err := o.Totals()
	if err != nil {
		return orderResponse{}, err
	}
	r := orderResponse{ID: o.ID, MemberID: o.MemberID, SupplierID: o.SupplierID, Status: string(o.Status), StatusReason: o.StatusReason,
		Currency: o.Currency, PlacedOn: o.PlacedOn.Format(dateLayout), PlacedAt: o.PlacedAt,
		NetTotal: money(t.Net), VATTotal: money(t.VAT), GrossTotal: money(t.Gross),
		BaselineTotal: money(t.Baseline), SavingsTotal: money(t.Savings),
		Buyer: orderBuyerResponse{Name: o.MemberName, CVR: o.MemberCVR, GLN: o.MemberGLN,
			Contact: contactResponse{Name: o.ContactName, Email: o.ContactEmail, Phone: o.ContactPhone}},
		Delivery: addressSnapshot{ID: o.DeliveryAddressID, Label: o.DeliveryLabel, Street: o.DeliveryStreet,
			Postcode: o.DeliveryPostcode, City: o.DeliveryCity, Country: o.DeliveryCountry}}
	for _, l := range o.Lines {
		a, err := l.Amounts()
		if err != nil {
			return orderResponse{}, err
		}
		r.Lines = append(r.Lines, orderLineResponse{LineNo: l.LineNo, ProductID: l.ProductID, Category: l.Category,
			OfferID: l.OfferID, ContractID: l.ContractID, ContractLineID: l.ContractLineID, OnContract: l.OnContract,
			SKU: l.SKU, GTIN: l.GTIN, Name: l.ItemName, PackUnit: l.PackUnit, PackContent: l.PackContent.String(), BaseUnit: l.BaseUnit,
			Quantity: l.Quantity, BaseQuantity: l.BaseQuantity.String(), PackPrice: price(a.PackPrice),
			UnitPrice: price(a.UnitPrice), BaselineUnitPrice: price(a.BaselineUnitPrice), BaselineMethod: l.BaselineMethod,
			RebateRate: l.RebateRate.String(), VATRate: l.VATRate.String(), Currency: l.Currency,
			NetTotal: money(a.Net), VATTotal: money(a.VAT), GrossTotal: money(a.Gross),
			BaselineTotal: money(a.Baseline), Savings: money(a.Savings), RebateAccrued: money(a.Rebate)})
	}
	return r, nil
}

// orderJSON answers 200 with o.
func orderJSON(c echo.Context, o domain.Order) error {
	r, err := toOrderResponse(o)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

type placedOrdersResponse struct {
	Orders []orderResponse `json:"orders"`
}

// placeOrder splits the lines into one order per supplier. With an
// Idempotency-Key a retry gets the same orders.
func (s *Server) placeOrder(c echo.Context) error {
	var req orderRequest
	if err := s.decodeJSON(c, &req); err != nil {
		return err
	}
	in := make([]domain.OrderLineInput, len(req.Lines))
	for i, l := range req.Lines {
		in[i] = domain.OrderLineInput{ProductID: l.ProductID, OfferID: l.OfferID, Quantity: l.Quantity}
	}
	orders, err := s.svc.Orders.PlaceTo(c.Request().Context(), req.DeliveryAddressID, in)
	if err != nil {
		return err
	}
	res := placedOrdersResponse{Orders: make([]orderResponse, len(orders))}
	for i, o := range orders {
		if res.Orders[i], err = toOrderResponse(o); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusCreated, res)
}

func (s *Server) getOrder(c echo.Context) error {
	id, err := pathID(c, "id", "order")
	if err != nil {
		return err
	}
	as, err := negotiate(c, echo.MIMEApplicationJSON, suppliers.PEPPOLOrderMediaType)
	if err != nil {
		return err
	}
	if as == suppliers.PEPPOLOrderMediaType {
		return s.peppolOrder(c, id)
	}
	o, err := s.svc.Orders.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return orderJSON(c, *o)
}

// peppolOrder answers order id as a PEPPOL BIS Order 3 document: what a
// supplier whose channel is PEPPOL receives.
func (s *Server) peppolOrder(c echo.Context, id int64) error {
	m, err := s.svc.Orders.Message(c.Request().Context(), id)
	if err != nil {
		return err
	}
	doc, err := suppliers.PEPPOLOrderFromMessage(*m)
	if err != nil {
		return err
	}
	b, err := suppliers.MarshalPEPPOLOrder(doc)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, suppliers.PEPPOLOrderMediaType+"; charset=utf-8", b)
}

// orderResponseBody bounds a PEPPOL Order Response.
const orderResponseBody = 1 << 20

// answerOrder takes a supplier's PEPPOL Order Response (T76) for order id
// and moves the order as setOrderStatus does: AP confirms, RE rejects with
// the document's notes as the reason; CA (accepted with changes) is not
// taken yet (422).
func (s *Server) answerOrder(c echo.Context) error {
	id, err := pathID(c, "id", "order")
	if err != nil {
		return err
	}
	// Another tenant's order is 404 whatever the document says.
	if _, err := s.svc.Orders.Get(c.Request().Context(), id); err != nil {
		return err
	}
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, orderResponseBody+1))
	if err != nil {
		return err
	}
	var p domain.Problems
	if len(body) > orderResponseBody {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "an order response is at most 1 MiB")
	}
	r, err := suppliers.ParsePEPPOLOrderResponse(body)
	if err != nil {
		p.Add("body", "%v", err)
		return p.Err()
	}
	if r.OrderID != itoa(id) {
		p.Add("OrderReference/ID", "is %q: it must name the order answered (%d)", r.OrderID, id)
	}
	var to domain.OrderStatus
	switch r.Code {
	case suppliers.OrderResponseAccepted:
		to = domain.OrderConfirmed
	case suppliers.OrderResponseRejected:
		to = domain.OrderRejected
		if r.Reason == "" {
			r.Reason = "rejected by the supplier's order response " + r.ID
		}
	case suppliers.OrderResponseAcceptedWithChanges:
		p.Add("OrderResponseCode", "CA (accepted with changes) is not taken yet: accept (AP) or reject (RE) the order as placed")
	default:
		p.Add("OrderResponseCode", "must be AP (accepted) or RE (rejected)")
	}
	if err := p.Err(); err != nil {
		return err
	}
	reason := ""
	if to == domain.OrderRejected {
		reason = r.Reason
	}
	o, err := s.svc.Orders.SetStatus(c.Request().Context(), id, to, reason)
	if err != nil {
		return err
	}
	return orderJSON(c, *o)
}

func (s *Server) listOrders(c echo.Context) error {
	var p domain.Problems
	f := domain.OrderFilter{Page: pageParams(c, &p), Status: domain.OrderStatus(c.QueryParam("status"))}
	if f.Status != "" && !f.Status.Valid() {
		p.Add("status", "must be %s", domain.OrderStatusValues())
	}
	if err := p.Err(); err != nil {
		return err
	}
	rows, next, err := s.svc.Orders.List(c.Request().Context(), f)
	if err != nil {
		return err
	}
	res, err := newTypedList(rows, next, toOrderResponse)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

func (s *Server) cancelOrder(c echo.Context) error {
	id, err := pathID(c, "id", "order")
	if err != nil {
		return err
	}
	o, err := s.svc.Orders.Cancel(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return orderJSON(c, *o)
}

type orderStatusRequest struct {
	Status string `json:"status"`
	Reason string `json:"reason" validate:"max=1000"`
}

func (s *Server) setOrderStatus(c echo.Context) error {
	id, err := pathID(c, "id", "order")
	if err != nil {
		return err
	}
	var req orderStatusRequest
	if err := s.decodeJSON(c, &req); err != nil {
		return err
	}
	o, err := s.svc.Orders.SetStatus(c.Request().Context(), id, domain.OrderStatus(req.Status), req.Reason)
	if err != nil {
		return err
	}
	return orderJSON(c, *o)
}

type webhookSecretResponse struct {
	Secret string `json:"secret"`
}

func (s *Server) rotateWebhookSecret(c echo.Context) error {
	id, err := pathID(c, "id", "supplier")
	if err != nil {
		return err
	}
	secret, err := s.svc.Orders.RotateWebhookSecret(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, webhookSecretResponse{Secret: secret})
}

type savingsFiguresResponse struct {
	Key             string `json:"key,omitempty"`
	Label           string `json:"label,omitempty"`
	Lines           int64  `json:"lines"`
	Spend           string `json:"spend"`
	BaselineSpend   string `json:"baseline_spend"`
	Savings         string `json:"savings"`
	SavingsPercent  string `json:"savings_percent"`
	OnContractSpend string `json:"on_contract_spend"`
	OnContractShare string `json:"on_contract_share"`
	Rebates         string `json:"rebates_accrued"`
}

type savingsResponse struct {
	Currency string                   `json:"currency"`
	From     string                   `json:"from"`
	To       string                   `json:"to"`
	GroupBy  string                   `json:"group_by,omitempty"`
	Total    savingsFiguresResponse   `json:"total"`
	Groups   []savingsFiguresResponse `json:"groups"`
	Note     string                   `json:"note,omitempty"`
	// TrueUpCredits: contract true-up credits granted in the period, on
	// top of the savings.
	TrueUpCredits string `json:"true_up_credits"`
}

func toSavingsFigures(f domain.SavingsFigures, currency string) (savingsFiguresResponse, error) {
	a, err := f.Amounts(currency)
	if err != nil {
		return savingsFiguresResponse{}, err
	}
	return savingsFiguresResponse{Key: f.Key, Label: f.Label, Lines: f.Lines, Spend: money(a.Spend),
		BaselineSpend: money(a.BaselineSpend), Savings: money(a.Savings), SavingsPercent: f.SavingsPercent.StringFixed(2),
		OnContractSpend: money(a.OnContractSpend), OnContractShare: f.OnContractShare.StringFixed(2), Rebates: money(a.Rebates)}, nil
}

func (s *Server) getSavings(c echo.Context) error {
	var p domain.Problems
	q := domain.SavingsQuery{GroupBy: c.QueryParam("group_by"), Currency: c.QueryParam("currency")}
	for _, f := range []struct {
		name string
		dst  *time.Time
	}{{"from", &q.From}, {"to", &q.To}} {
		v := c.QueryParam(f.name)
		if v == "" {
			p.Add(f.name, "is required (YYYY-MM-DD)")
			continue
		}
		d, err := time.Parse(dateLayout, v)
		if err != nil {
			p.Add(f.name, "must be a date YYYY-MM-DD")
			continue
		}
		*f.dst = d
	}
	if err := p.Err(); err != nil {
		return err
	}
	rep, err := s.svc.Savings.Report(c.Request().Context(), q)
	if err != nil {
		return err
	}
	total, err := toSavingsFigures(rep.Total, rep.Currency)
	if err != nil {
		return err
	}
	res := savingsResponse{Currency: rep.Currency, From: rep.From.Format(dateLayout), To: rep.To.Format(dateLayout),
		GroupBy: rep.GroupBy, Total: total, Groups: []savingsFiguresResponse{}, Note: rep.Note}
	credits, err := pricing.NewMoney(rep.TrueUpCredits, pricing.Currency(rep.Currency))
	if err != nil {
		return err
	}
	res.TrueUpCredits = money(credits)
	for _, g := range rep.Groups {
		f, err := toSavingsFigures(g, rep.Currency)
		if err != nil {
			return err
		}
		res.Groups = append(res.Groups, f)
	}
	return c.JSON(http.StatusOK, res)
}
