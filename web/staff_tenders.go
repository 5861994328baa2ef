package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"andel/domain"
	"andel/pricing"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"
)

// The staff's tenders (role admin): the list; a new tender from pooled
// demand (a period and a category, the pooled quantities with the members
// behind each, the lines split into lots and edited, criteria whose weights
// must sum to 100); publication; the bid count (never a bid) until the
// deadline; then the evaluation with every number of the ranking, the award
// (the top-ranked bid by default, another only with a written reason), the
// contracts it made and the OCDS record. Every form posts and redirects;
// htmx only polls the bid count.

func (p *Pages) staffTenderRoutes(g *echo.Group) {
	s := g.Group("/staff", requireRole(domain.RoleAdmin))
	s.GET("/tenders", p.staffTenders)
	s.GET("/tenders/new", p.newTenderForm)
	s.POST("/tenders", p.createTender)
	s.GET("/tenders/:id", p.staffTender)
	s.GET("/tenders/:id/bid-count", p.tenderBidCount)
	s.GET("/tenders/:id/edit", p.editTenderForm)
	s.POST("/tenders/:id/edit", p.updateTender)
	s.POST("/tenders/:id/publish", p.publishTender)
	s.POST("/tenders/:id/cancel", p.cancelTender)
	s.POST("/tenders/:id/award", p.awardTender)
	p.staffJobRoutes(s)
}

// tenderStatuses are the list's filters.
var tenderStatuses = []domain.TenderStatus{domain.TenderDraft, domain.TenderPublished, domain.TenderClosed,
	domain.TenderAwarded, domain.TenderCancelled, domain.TenderUnsuccessful}

type staffTendersData struct {
	Tenders  []domain.Tender
	Next     int64
	Status   string
	Statuses []domain.TenderStatus
}

func (p *Pages) staffTenders(c echo.Context) error {
	status := c.QueryParam("status")
	known := false
	for _, s := range tenderStatuses {
		known = known || string(s) == status
	}
	if !known {
		status = ""
	}
	list, next, err := p.svc.Tenders.List(c.Request().Context(), domain.TenderFilter{Status: domain.TenderStatus(status),
		Page: domain.Page{Limit: 25, After: formInt(c, "after")}})
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "staff_tenders", staffTendersData{Tenders: list, Next: next, Status: status, Statuses: tenderStatuses})
}

// --- A new tender from pooled demand ---

// maxLots is how many lots the form offers the pooled lines to.
const maxLots = 3

// criterionRows is how many criteria the form has: price first, then
// others (an empty row is not a criterion).
const criterionRows = 4

var directions = []pricing.Direction{pricing.LowerIsBetter, pricing.HigherIsBetter, pricing.GivenScore}

type tenderFormData struct {
	l *Localizer // the page's, for the problems' messages
	// Tender is the draft being edited (nil: a new tender).
	Tender     *domain.Tender
	Periods    []domain.DemandPeriod
	Categories []string
	Period     string
	Category   string
	Pooled     []domain.PooledDemand
	// extra are the rows of the draft being edited that are not in the
	// period's demand: a line of theirs is listed only with a quantity.
	extra map[int64]bool
	Form  url.Values
	// Errors are the problems by form field name, shown next to the
	// field; Problems all of them, in the summary above the form.
	Errors     map[string]string
	Problems   []formProblem
	Lots       []int
	Criteria   []int
	Directions []pricing.Direction
	WeightSum  decimal.Decimal
}

// formProblem is one problem of a form: the field (its id, to link to) and
// the message key of its label, and what is wrong.
type formProblem struct {
	Field, Label, Message string
}

// V is a field of the form (as sent, or its default).
func (d tenderFormData) V(name string) string { return d.Form.Get(name) }

// VF is V of a name built with printf.
func (d tenderFormData) VF(format string, args ...any) string {
	return d.Form.Get(fmt.Sprintf(format, args...))
}

// E is the problem of a field ("" when none).
func (d tenderFormData) E(name string) string { return d.Errors[name] }

// EF is E of a name built with printf.
func (d tenderFormData) EF(format string, args ...any) string {
	return d.Errors[fmt.Sprintf(format, args...)]
}

func (p *Pages) newTenderForm(c echo.Context) error {
	d, err := p.tenderForm(c, c.QueryParams(), nil)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if len(d.Problems) > 0 { // a period that is not one: shown by its field
		status = http.StatusUnprocessableEntity
	}
	return p.render(c, status, "staff_tender_new", d)
}

// tenderForm reads the periods, categories and (for a valid period) the
// pooled demand, and fills the form's defaults where q has no value. For a
// draft t being edited, its lines that the period's demand does not hold
// (added through the API, or demand withdrawn since) are rows too.
func (p *Pages) tenderForm(c echo.Context, q url.Values, t *domain.Tender) (*tenderFormData, error) {
	ctx := c.Request().Context()
	d := &tenderFormData{l: pageOf(c).L, Tender: t, Form: url.Values{}, Errors: map[string]string{}, Directions: directions,
		Period: strings.TrimSpace(q.Get("period")), Category: strings.TrimSpace(q.Get("category"))}
	for i := 1; i <= maxLots; i++ {
		d.Lots = append(d.Lots, i)
	}
	for i := range criterionRows {
		d.Criteria = append(d.Criteria, i)
	}
	var err error
	if d.Periods, err = p.svc.Demand.Periods(ctx); err != nil {
		return nil, err
	}
	if d.Categories, err = p.carts.Categories(ctx); err != nil {
		return nil, err
	}
	if d.Period != "" {
		if !domain.ValidPeriod(d.Period) {
			d.problem("period", "is not a period (2027, 2027-H1, 2027-Q3, 2027-05)")
		} else if d.Pooled, err = p.svc.Demand.Pool(ctx, d.Period, d.Category); err != nil {
			return nil, err
		}
	}
	if t != nil {
		pooled := map[int64]bool{}
		for _, pd := range d.Pooled {
			pooled[pd.ProductID] = true
		}
		for _, lot := range t.Lots {
			for _, it := range lot.Items {
				if !pooled[it.ProductID] {
					pooled[it.ProductID] = true
					if d.extra == nil {
						d.extra = map[int64]bool{}
					}
					d.extra[it.ProductID] = true
					d.Pooled = append(d.Pooled, domain.PooledDemand{ProductID: it.ProductID, ProductName: it.ProductName,
						Category: t.Category, BaseUnit: it.BaseUnit, Quantity: it.Quantity, Members: it.MembersCount})
				}
			}
		}
	}
	for k, v := range q {
		d.Form[k] = v
	}
	def := func(name, v string) {
		if _, ok := q[name]; !ok {
			d.Form.Set(name, v)
		}
	}
	year := time.Now().In(copenhagen).Year() + 1
	if len(d.Period) >= 4 {
		if y, err := strconv.Atoi(d.Period[:4]); err == nil {
			year = y
		}
	}
	def("contract_from", fmt.Sprintf("%04d-01-01", year))
	def("contract_to", fmt.Sprintf("%04d-12-31", year))
	deadline := p.svc.Options().Clock().In(copenhagen).AddDate(0, 0, 14)
	def("bid_deadline", time.Date(deadline.Year(), deadline.Month(), deadline.Day(), 12, 0, 0, 0, copenhagen).Format("2006-01-02T15:04"))
	def("rebate", "2")
	def("crit-weight-0", "80")
	def("crit-name-1", "delivery_days")
	def("crit-weight-1", "20")
	def("crit-dir-1", string(pricing.LowerIsBetter))
	title := d.Category
	if title == "" {
		title = pageOf(c).L.T("stt.lottitle") + " 1"
	}
	def("lot-title-1", title)
	l := pageOf(c).L
	for _, pd := range d.Pooled {
		def(fmt.Sprintf("lot-%d", pd.ProductID), "1")
		def(fmt.Sprintf("qty-%d", pd.ProductID), l.Qty(pd.Quantity))
	}
	d.Form.Set("crit-name-0", "price")
	for i := range criterionRows {
		if w, err := parseTyped(d.VF("crit-weight-%d", i), l); err == nil {
			d.WeightSum = d.WeightSum.Add(w)
		}
	}
	return d, nil
}

func (d *tenderFormData) problem(field, msg string) {
	if _, dup := d.Errors[field]; dup {
		return
	}
	msg = d.l.Problem(msg)
	d.Errors[field] = msg
	d.Problems = append(d.Problems, formProblem{Field: field, Label: fieldLabel(field), Message: msg})
}

// fieldLabel is the message key of a form field's label.
func fieldLabel(field string) string {
	for _, pk := range [][2]string{{"crit-name-", "stt.critname"}, {"crit-weight-", "stt.weight"},
		{"crit-dir-", "stt.direction"}, {"lot-title-", "stt.lottitle"}, {"qty-", "stt.quantity"}, {"lot-", "stt.lot"},
		{"bid-", "stt.awardto"}, {"reason-", "stt.reason"}} { // longest prefix first
		if strings.HasPrefix(field, pk[0]) {
			return pk[1]
		}
	}
	switch field {
	case "title", "description", "contract_from", "contract_to", "bid_deadline", "rebate", "period", "category",
		"criteria", "lots", "currency", "award":
		return "stt.f." + field
	}
	return "" // shown by its name (products[12] of a conflicting award)
}

// createTender makes a draft tender from the form.
func (p *Pages) createTender(c echo.Context) error {
	return p.saveTender(c, nil)
}

// saveTender reads the form into a tender and creates it (t nil) or
// replaces draft t with it: each lot of the form takes the period's pooled
// demand and keeps only its own lines (the others with quantity 0, which
// the domain removes), so that every line keeps the number of members
// behind it. A refused tender shows the form again with each problem next
// to its field.
func (p *Pages) saveTender(c echo.Context, t *domain.Tender) error {
	ctx := c.Request().Context()
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	d, err := p.tenderForm(c, form, t)
	if err != nil {
		return err
	}
	in, critRows, lotItems := readTenderForm(form, d, pageOf(c).L)
	var saved *domain.Tender
	if t == nil {
		saved, err = p.svc.Tenders.Create(ctx, in)
	} else {
		saved, err = p.svc.Tenders.Update(ctx, t.ID, in)
	}
	if err != nil {
		de, ok := err.(*domain.Error)
		if !ok || de.Code != domain.EINVALID {
			return err
		}
		for _, f := range de.Fields {
			d.problem(tenderFormField(f.Field, critRows, lotItems), f.Message)
		}
	}
	if len(d.Problems) > 0 {
		if t != nil {
			pageOf(c).Title = "title.staff_tender_edit"
		}
		return p.render(c, http.StatusUnprocessableEntity, "staff_tender_new", d)
	}
	done := "tender-created"
	if t != nil {
		done = "tender-saved"
	}
	return seeOther(c, fmt.Sprintf("/staff/tenders/%d?done=%s", saved.ID, done))
}

// readTenderForm turns the posted form into the domain's input, with the
// form rows the criteria and lots came from (to put the domain's problems
// next to their fields). What cannot be read is handed to the domain with
// the input (TenderInput.Invalid), which lists it with its own problems.
func readTenderForm(form url.Values, d *tenderFormData, l *Localizer) (in domain.TenderInput, critRows []int, lotItems []lotRow) {
	var unread domain.Problems
	num := func(field string) decimal.Decimal {
		s := strings.TrimSpace(form.Get(field))
		if s == "" {
			return decimal.Zero
		}
		n, err := parseTyped(s, l)
		if err != nil {
			unread.Add(field, "is not a number")
		}
		return n
	}
	day := func(field string) time.Time {
		s := strings.TrimSpace(form.Get(field))
		if s == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			unread.Add(field, "is not a date (yyyy-mm-dd)")
		}
		return t
	}
	in = domain.TenderInput{Title: form.Get("title"), Description: strings.TrimSpace(form.Get("description")),
		Category: d.Category, ContractFrom: day("contract_from"), ContractTo: day("contract_to"),
		RebateRate: num("rebate").Shift(-2)} // a percentage in the form, a fraction in the domain
	if s := strings.TrimSpace(form.Get("bid_deadline")); s != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", s, copenhagen)
		if err != nil {
			unread.Add("bid_deadline", "is not a time (yyyy-mm-ddThh:mm)")
		}
		in.BidDeadline = t
	}
	if d.Period == "" && d.Tender == nil {
		unread.Add("period", "is required: the tender pools the demand of a period")
	}
	if d.Tender != nil { // what the form does not show stays as it was
		in.Currency, in.AllowIncreasingTiers = d.Tender.Currency, d.Tender.AllowIncreasingTiers
	}
	// Criteria: the rows with a name or a weight, remembered by row.
	for i := range criterionRows {
		name := strings.TrimSpace(form.Get(fmt.Sprintf("crit-name-%d", i)))
		if i == 0 {
			name = "price"
		}
		weight := strings.TrimSpace(form.Get(fmt.Sprintf("crit-weight-%d", i)))
		if i > 0 && name == "" && weight == "" {
			continue
		}
		critRows = append(critRows, i)
		in.Criteria = append(in.Criteria, domain.CriterionInput{Name: name,
			Weight: num(fmt.Sprintf("crit-weight-%d", i)), Direction: form.Get(fmt.Sprintf("crit-dir-%d", i))})
	}
	// Lots: each form lot with a title or a line, remembered by number.
	lotOf := map[int64]int{}
	qty := map[int64]decimal.Decimal{}
	for _, pd := range d.Pooled {
		n, _ := strconv.Atoi(form.Get(fmt.Sprintf("lot-%d", pd.ProductID)))
		if n < 1 || n > maxLots {
			n = 1
		}
		lotOf[pd.ProductID] = n
		qty[pd.ProductID] = num(fmt.Sprintf("qty-%d", pd.ProductID))
	}
	for n := 1; n <= maxLots; n++ {
		title := strings.TrimSpace(form.Get(fmt.Sprintf("lot-title-%d", n)))
		has := false
		for _, pd := range d.Pooled {
			has = has || (lotOf[pd.ProductID] == n && !qty[pd.ProductID].IsZero())
		}
		if title == "" && !has {
			continue
		}
		lot := domain.LotInput{Title: title, FromDemand: d.Period}
		if d.Tender != nil && n <= len(d.Tender.Lots) {
			lot.Description = d.Tender.Lots[n-1].Description
		}
		row := lotRow{n: n}
		for _, pd := range d.Pooled {
			q := decimal.Zero
			if lotOf[pd.ProductID] == n {
				q = qty[pd.ProductID]
			}
			if q.IsZero() && (d.Period == "" || d.extra[pd.ProductID]) {
				continue // not in the demand: nothing to take out
			}
			lot.Items = append(lot.Items, domain.LotItemInput{ProductID: pd.ProductID, Quantity: q})
			row.products = append(row.products, pd.ProductID)
		}
		lotItems = append(lotItems, row)
		in.Lots = append(in.Lots, lot)
	}
	in.Invalid = unread
	return in, critRows, lotItems
}

// lotRow is a lot of the form (its number n) and the products of its
// items, in the order they were handed to the domain.
type lotRow struct {
	n        int
	products []int64
}

var indexed = regexp.MustCompile(`^(criteria|lots)\[(\d+)\](?:\.items\[(\d+)\])?\.?(.*)$`)

// tenderFormField maps a domain field (criteria[1].weight,
// lots[0].items[2].quantity) to the form field it came from.
func tenderFormField(field string, critRows []int, lots []lotRow) string {
	m := indexed.FindStringSubmatch(field)
	if m == nil {
		if field == "rebate_rate" {
			return "rebate"
		}
		return field
	}
	i, _ := strconv.Atoi(m[2])
	switch {
	case m[1] == "criteria" && i < len(critRows):
		switch m[4] {
		case "name", "weight":
			return fmt.Sprintf("crit-%s-%d", m[4], critRows[i])
		case "direction":
			return fmt.Sprintf("crit-dir-%d", critRows[i])
		}
	case m[1] == "lots" && i < len(lots):
		if m[3] != "" {
			if j, _ := strconv.Atoi(m[3]); j < len(lots[i].products) {
				return fmt.Sprintf("qty-%d", lots[i].products[j])
			}
		}
		switch m[4] {
		case "title", "items":
			return fmt.Sprintf("lot-title-%d", lots[i].n)
		case "from_demand.period":
			return "period"
		}
	}
	return field
}

// --- One tender ---

type staffTenderData struct {
	Tender         *domain.Tender
	DeadlinePassed bool
	Criteria       []domain.TenderCriterion // the non-price ones
	Lots           []lotEvalView
	Awards         []awardView
	Contracts      []contractView
	// Form and Errors are the award form as sent and its problems.
	Form     url.Values
	Errors   map[string]string
	Problems []formProblem
}

// Chosen reports whether the award form chooses bid for lot: as sent, or
// by default the top-ranked bid.
func (d staffTenderData) Chosen(lot, bid int64, rank int) bool {
	if v := d.Form.Get(fmt.Sprintf("bid-%d", lot)); v != "" {
		return v == strconv.FormatInt(bid, 10)
	}
	return rank == 1
}

// V is a field of the award form as sent.
func (d staffTenderData) V(name string) string { return d.Form.Get(name) }

// E is the problem of a field of the page's forms ("" when none).
func (d staffTenderData) E(name string) string { return d.Errors[name] }

// EF is the problem of a field of the award form, by printf.
func (d staffTenderData) EF(format string, args ...any) string {
	return d.Errors[fmt.Sprintf(format, args...)]
}

type lotEvalView struct {
	Lot         domain.TenderLot
	Eval        pricing.Evaluation
	EvaluatedAt time.Time
	Bids        []bidView
	Explanation string
}

type bidView struct {
	pricing.BidEvaluation
	ID            int64
	Supplier      string
	ReceiptSHA256 string
	Items         []itemView
	// Converted: the bid's currency is not the tender's.
	Converted bool
}

type itemView struct {
	Item    domain.TenderLotItem
	E       pricing.ItemEvaluation
	Unit    pricing.Price // the pack price applied per base unit
	HasUnit bool
}

type awardView struct {
	domain.TenderAward
	Lot, Supplier string
}

type contractView struct {
	domain.Contract
	Products map[int64]string // lot item -> product name
}

// Product names a contract line by its lot item.
func (c contractView) Product(l domain.ContractLine) string { return c.Products[l.LotItemID] }

func (p *Pages) staffTender(c echo.Context) error {
	d, err := p.staffTenderView(c)
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "staff_tender", d)
}

// staffTenderView reads tender :id with, once its bids are opened, the
// evaluation, and once awarded, the awards and contracts.
func (p *Pages) staffTenderView(c echo.Context) (*staffTenderData, error) {
	ctx := c.Request().Context()
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	rec, err := p.svc.Tenders.Record(ctx, id)
	if err != nil {
		return nil, err
	}
	t := rec.Tender
	d := &staffTenderData{Tender: t, Form: url.Values{}, Errors: map[string]string{},
		DeadlinePassed: !p.svc.Options().Clock().Before(t.BidDeadline)}
	for _, cr := range t.Criteria {
		if cr.Name != "price" {
			d.Criteria = append(d.Criteria, cr)
		}
	}
	if !rec.Unsealed {
		return d, nil
	}
	lotTitle := map[int64]string{}
	products := map[int64]string{}
	for _, lot := range t.Lots {
		lotTitle[lot.ID] = lot.Title
		for _, it := range lot.Items {
			products[it.ID] = it.ProductName
		}
	}
	suppliers := map[int64]string{}
	for _, le := range rec.Evaluations {
		v := lotEvalView{Lot: le.Lot, Eval: le.Evaluation, EvaluatedAt: le.EvaluatedAt, Explanation: le.Explanation}
		items := map[string]domain.TenderLotItem{}
		for _, it := range le.Lot.Items {
			items[strconv.FormatInt(it.ID, 10)] = it
		}
		for _, b := range le.Evaluation.Bids {
			bid, _ := strconv.ParseInt(b.BidID, 10, 64)
			sup := le.Suppliers[bid]
			suppliers[sup.SupplierID] = sup.SupplierName
			bv := bidView{BidEvaluation: b, ID: bid, Supplier: sup.SupplierName, ReceiptSHA256: sup.ReceiptSHA256,
				Converted: string(b.Rate.From) != "" && string(b.Rate.From) != t.Currency}
			for _, it := range b.Items {
				iv := itemView{Item: items[it.ItemID], E: it}
				iv.Unit, iv.HasUnit = le.UnitPrice(bid, it)
				bv.Items = append(bv.Items, iv)
			}
			v.Bids = append(v.Bids, bv)
		}
		d.Lots = append(d.Lots, v)
	}
	for _, a := range rec.Awards {
		d.Awards = append(d.Awards, awardView{TenderAward: a, Lot: lotTitle[a.LotID], Supplier: suppliers[a.SupplierID]})
	}
	for _, k := range rec.Contracts {
		full, err := p.svc.Contracts.Get(ctx, k.ID)
		if err != nil {
			return nil, err
		}
		d.Contracts = append(d.Contracts, contractView{Contract: *full, Products: products})
	}
	return d, nil
}

// tenderBidCount answers the bid count fragment the tender page polls
// while bids are taken.
func (p *Pages) tenderBidCount(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	t, err := p.svc.Tenders.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	d := &staffTenderData{Tender: t, DeadlinePassed: !p.svc.Options().Clock().Before(t.BidDeadline)}
	return p.renderBlock(c, http.StatusOK, "staff_tender", "bidcount", d)
}

func (p *Pages) publishTender(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if _, err := p.svc.Tenders.Publish(c.Request().Context(), id); err != nil {
		return err
	}
	return seeOther(c, fmt.Sprintf("/staff/tenders/%d?done=tender-published", id))
}

// awardTender awards each lot to the bid the form chose: the top-ranked
// one needs nothing more; another needs a written reason, or the domain
// refuses the award and the page shows the problem next to the reason.
func (p *Pages) awardTender(c echo.Context) error {
	d, err := p.staffTenderView(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	d.Form = form
	var choices []domain.AwardChoice
	var choiceLots []int64
	for _, lv := range d.Lots {
		w, ok := lv.Eval.Winner()
		if !ok {
			continue
		}
		chosen, _ := strconv.ParseInt(form.Get(fmt.Sprintf("bid-%d", lv.Lot.ID)), 10, 64)
		if chosen == 0 || strconv.FormatInt(chosen, 10) == w.BidID {
			continue
		}
		choices = append(choices, domain.AwardChoice{LotID: lv.Lot.ID, BidID: chosen,
			Reason: form.Get(fmt.Sprintf("reason-%d", lv.Lot.ID))})
		choiceLots = append(choiceLots, lv.Lot.ID)
	}
	_, _, err = p.svc.Tenders.AwardWith(c.Request().Context(), d.Tender.ID, choices,
		domain.AwardOptions{Supersede: form.Get("supersede") == "on"})
	if err != nil {
		de, ok := err.(*domain.Error)
		if !ok || (de.Code != domain.EINVALID && de.Code != domain.ECONFLICT) {
			return err
		}
		fields := de.Fields
		if len(fields) == 0 {
			fields = []domain.FieldError{{Field: "award", Message: de.Message}}
		}
		for _, f := range fields {
			field := f.Field
			if m := awardField.FindStringSubmatch(f.Field); m != nil {
				if i, _ := strconv.Atoi(m[1]); i < len(choiceLots) {
					field = fmt.Sprintf("%s-%d", map[string]string{"reason": "reason", "bid_id": "bid", "lot_id": "bid"}[m[2]], choiceLots[i])
				}
			}
			if _, dup := d.Errors[field]; !dup {
				msg := pageOf(c).L.Problem(f.Message)
				d.Errors[field] = msg
				d.Problems = append(d.Problems, formProblem{Field: field, Label: fieldLabel(field), Message: msg})
			}
		}
		return p.render(c, http.StatusUnprocessableEntity, "staff_tender", d)
	}
	return seeOther(c, fmt.Sprintf("/staff/tenders/%d?done=tender-awarded#awards", d.Tender.ID))
}

var awardField = regexp.MustCompile(`^lots\[(\d+)\]\.(reason|bid_id|lot_id)$`)
