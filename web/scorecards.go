package web

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"andel/domain"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"
)

// Supplier scorecard pages, over ScorecardService (the same calls as GET
// /api/v1/suppliers/{id}/scorecard and GET/PUT /api/v1/scorecard-weights):
//   - one supplier's scorecard for a period: every part with its weight,
//     its score and the counts it came from, and the total with the sums
//     behind it, so each number can be checked by hand. Staff reach it
//     from the supplier's page (/staff/suppliers/{id}/scorecard), the
//     board from its list (/board/scorecards/{id}), the supplier its own
//     in its portal (/supplier/scorecard; another supplier's id answers
//     the 404 page, as the domain refuses it);
//   - the list of every supplier's total and parts for a period, sortable,
//     with a bar chart of the totals (/board/scorecards, /staff/scorecards);
//   - the staff's form for the weights (/staff/scorecard-weights): a form
//     whose weights do not sum to 100 is shown again (422) with the
//     problem beside the fields, and nothing is stored.

func init() {
	validFlash["weights-saved"] = true
	// deref reads a score that may be absent (nil: not scored), inside
	// {{with}} that has checked it is there.
	funcs["deref"] = func(d *decimal.Decimal) decimal.Decimal { return *d }
}

// scorecardStaffRoutes are the staff's (role admin) scorecard pages.
func (p *Pages) scorecardStaffRoutes(g *echo.Group) {
	admin := requireRole(domain.RoleAdmin)
	g.GET("/staff/scorecards", p.scorecardList, admin)
	g.GET("/staff/suppliers/:id/scorecard", p.scorecardPage, admin)
	g.GET("/staff/scorecard-weights", p.scorecardWeights, admin)
	g.POST("/staff/scorecard-weights", p.scorecardWeightsPost, admin)
}

// scorecardBoardRoutes are the board's scorecard pages.
func (p *Pages) scorecardBoardRoutes(g *echo.Group) {
	board := requireRole(domain.RoleBoard)
	g.GET("/board/scorecards", p.scorecardList, board)
	g.GET("/board/scorecards/:id", p.scorecardPage, board)
}

// scorecardSupplierRoutes are the supplier's own scorecard, on the
// portal's group (role supplier).
func (p *Pages) scorecardSupplierRoutes(s *echo.Group) {
	s.GET("/scorecard", p.scorecardPage)
	s.GET("/scorecard/:id", p.scorecardPage)
}

// scorecardURL is where the role reads supplier id's scorecard.
func scorecardURL(role domain.Role, id int64) string {
	switch role {
	case domain.RoleAdmin:
		return "/staff/suppliers/" + strconv.FormatInt(id, 10) + "/scorecard"
	case domain.RoleBoard:
		return "/board/scorecards/" + strconv.FormatInt(id, 10)
	}
	return "/supplier/scorecard/" + strconv.FormatInt(id, 10)
}

// scorecardListURL is the role's list of scorecards ("" for a supplier).
func scorecardListURL(role domain.Role) string {
	switch role {
	case domain.RoleAdmin:
		return "/staff/scorecards"
	case domain.RoleBoard:
		return "/board/scorecards"
	}
	return ""
}

// --- The period chooser ---

// scPeriodOption is one period of the chooser.
type scPeriodOption struct {
	Value, Label string
	Selected     bool
}

// scPeriodYear is one year's periods (an optgroup): the year, its halves,
// quarters and months, as the API's ?period= names them.
type scPeriodYear struct {
	Year    int
	Options []scPeriodOption
}

// scorecardPeriod is the period asked for (?period=), this year's by
// default.
func scorecardPeriod(c echo.Context) string {
	if v := strings.TrimSpace(c.QueryParam("period")); v != "" {
		return v
	}
	return strconv.Itoa(time.Now().UTC().Year())
}

// scPeriodChoices are the periods of the last three years, and of the
// year asked for when it is another.
func scPeriodChoices(l *Localizer, current string) []scPeriodYear {
	this := time.Now().UTC().Year()
	years := []int{this, this - 1, this - 2}
	if domain.ValidPeriod(current) {
		if y, _ := strconv.Atoi(current[:4]); !slices.Contains(years, y) {
			years = append(years, y)
			slices.SortFunc(years, func(a, b int) int { return b - a })
		}
	}
	var out []scPeriodYear
	for _, y := range years {
		py := scPeriodYear{Year: y}
		add := func(v, label string) {
			py.Options = append(py.Options, scPeriodOption{Value: v, Label: label, Selected: v == current})
		}
		ys := strconv.Itoa(y)
		add(ys, l.T("scorecard.period.year", ys))
		for h := 1; h <= 2; h++ {
			add(fmt.Sprintf("%d-H%d", y, h), l.T("scorecard.period.half", h, ys))
		}
		for q := 1; q <= 4; q++ {
			add(fmt.Sprintf("%d-Q%d", y, q), l.T("scorecard.period.quarter", q, ys))
		}
		for m := 1; m <= 12; m++ {
			add(fmt.Sprintf("%d-%02d", y, m), l.Month(time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)))
		}
		out = append(out, py)
	}
	return out
}

// scPeriodChooser is what the chooser partial needs.
type scPeriodChooser struct {
	Action  string // the page's path (the form GETs it)
	Period  string
	Error   bool // the period asked for was refused
	Choices []scPeriodYear
	// Sorts, Sort and Desc: the list's sort choices (the column heads'
	// links do the same, but a phone shows the table as cards).
	Sorts []scorecardColumn
	Sort  string
	Desc  bool
}

// --- One supplier's scorecard ---

// scorecardPart is one part as shown: its weight, score and the sentence
// of counts it came from.
type scorecardPart struct {
	Name   string
	Weight int
	Scored bool
	Score  decimal.Decimal
	Inputs string
	// Weighted is weight x score (counted in the total when Scored).
	Weighted decimal.Decimal
}

type scorecardData struct {
	SC      *domain.Scorecard // nil when the period was refused
	Name    string
	Chooser scPeriodChooser
	Parts   []scorecardPart
	// WeightedSum and Weights are the total's numerator and denominator:
	// the scored parts' weight x score and weights.
	WeightedSum decimal.Decimal
	Weights     int
	ListURL     string // the role's list ("" for a supplier)
	WeightsURL  string // the weights form (staff only)
	ResponseMed string
	ResponseP90 string
}

// scorecardPage shows supplier :id's scorecard (a supplier's own without
// an id) for ?period=; a refused period answers 422 with the chooser
// marked, a scorecard the role may not see the 404 page.
func (p *Pages) scorecardPage(c echo.Context) error {
	pg := pageOf(c)
	id := pg.Actor.SupplierID
	if c.Param("id") != "" || pg.Actor.Role != domain.RoleSupplier {
		var err error
		if id, err = pathID(c); err != nil {
			return err
		}
	}
	ctx := c.Request().Context()
	period := scorecardPeriod(c)
	status := http.StatusOK
	asked := period
	if !domain.ValidPeriod(period) {
		// Who may see it, and its name, from this year's scorecard.
		status, asked = http.StatusUnprocessableEntity, strconv.Itoa(time.Now().UTC().Year())
	}
	sc, err := p.svc.Scorecards.Get(ctx, id, asked)
	if err != nil {
		return err
	}
	action := scorecardURL(pg.Actor.Role, id)
	if pg.Actor.Role == domain.RoleSupplier && c.Param("id") == "" {
		action = "/supplier/scorecard"
	}
	d := scorecardData{Name: sc.SupplierName, ListURL: scorecardListURL(pg.Actor.Role),
		Chooser: scPeriodChooser{Action: action, Period: period, Error: status != http.StatusOK, Choices: scPeriodChoices(pg.L, period)}}
	if pg.Actor.Role == domain.RoleAdmin {
		d.WeightsURL = "/staff/scorecard-weights"
	}
	if status == http.StatusOK {
		d.SC = sc
		d.Parts, d.WeightedSum, d.Weights = scorecardParts(pg.L, sc)
		d.ResponseMed, d.ResponseP90 = scDuration(pg.L, sc.Orders.ResponseMedianS), scDuration(pg.L, sc.Orders.ResponseP90S)
	}
	return p.render(c, status, "scorecard", d)
}

// scorecardParts writes each part's inputs as a sentence and sums the
// weighted scores of the parts that count.
func scorecardParts(l *Localizer, sc *domain.Scorecard) (parts []scorecardPart, sum decimal.Decimal, weights int) {
	o, pl := sc.Orders, sc.PriceLists
	var tLines, tBid int64
	for _, t := range sc.Tenders {
		tLines += t.Lines
		tBid += t.Bid
	}
	q := l.Qty
	inputs := map[string]string{
		domain.PartOnTime:     l.T("scorecard.in.on_time", q(o.OnTime), q(o.DeliveredPromised), q(sc.OnTimeShare)),
		domain.PartRejections: l.T("scorecard.in.rejections", q(o.Rejected), q(o.Orders), q(sc.RejectionRate)),
		domain.PartResponse: l.T("scorecard.in.response", q(o.ConfirmedInDay), q(o.Confirmed), q(sc.ConfirmedInDayShare),
			scDuration(l, o.ResponseMedianS), scDuration(l, o.ResponseP90S)),
		domain.PartPriceLists: l.T("scorecard.in.price_lists", q(pl.Lists), q(pl.Rejected), q(pl.RejectedShare), q(pl.Warnings),
			q(pl.RowsRead), q(pl.WarningsPer1000)),
		domain.PartTenders: l.T("scorecard.in.tenders", q(tBid), q(tLines), q(len(sc.Tenders))),
	}
	for _, part := range sc.Parts {
		sp := scorecardPart{Name: part.Name, Weight: part.Weight, Scored: part.Scored, Score: part.Score, Inputs: inputs[part.Name]}
		if part.Scored {
			sp.Weighted = part.Score.Mul(decimal.NewFromInt(int64(part.Weight)))
			sum = sum.Add(sp.Weighted)
			weights += part.Weight
		}
		parts = append(parts, sp)
	}
	return parts, sum, weights
}

// scDuration writes a placed-to-confirmed time in seconds ("2 t 0 min"),
// "–" when there is none.
func scDuration(l *Localizer, secs *int64) string {
	if secs == nil {
		return "–"
	}
	s := *secs
	switch {
	case s < 60:
		return l.T("scorecard.dur.s", s)
	case s < 3600:
		return l.T("scorecard.dur.m", s/60)
	}
	return l.T("scorecard.dur.hm", s/3600, (s%3600)/60)
}

// --- Every supplier's scorecard ---

// scorecardRow is one supplier of the list, with its bar in the chart.
type scorecardRow struct {
	SC     *domain.Scorecard
	URL    string
	Scores map[string]*decimal.Decimal // by part; nil when not scored
	Y, W   int64                       // the bar (SVG pixels), when SC.Score is set
	TextY  int64
}

// scorecardColumn is a sortable column head: its link and aria-sort.
type scorecardColumn struct {
	Key, Label, Href, AriaSort string
	Num                        bool
}

type scorecardListData struct {
	Chooser    scPeriodChooser
	Rows       []scorecardRow
	Columns    []scorecardColumn
	Bars       []scorecardRow // the rows with a total, in the table's order
	Sort       string
	Desc       bool
	WeightsURL string
	Weights    domain.ScorecardWeights
	ChartW     int64
	ChartH     int64
	BarX       int64
}

// Chart geometry: one horizontal bar per supplier with a total, 28 px
// apart; a score of 100 is 360 px long, right of a 200 px label column.
const (
	scBarX, scBarMax, scRow, scBarH, scTop = 200, 360, 28, 18, 8
)

// scorecardList lists every supplier's scorecard for ?period=, sorted
// by ?sort= (name, score or a part) and ?dir=.
func (p *Pages) scorecardList(c echo.Context) error {
	pg := pageOf(c)
	ctx := c.Request().Context()
	period := scorecardPeriod(c)
	d := scorecardListData{Sort: c.QueryParam("sort"), Desc: c.QueryParam("dir") != "asc", BarX: scBarX}
	if d.Sort != "name" && d.Sort != "score" && !slices.Contains(domain.ScorecardParts, d.Sort) {
		d.Sort = "score"
	}
	if d.Sort == "name" && c.QueryParam("dir") == "" {
		d.Desc = false
	}
	action := scorecardListURL(pg.Actor.Role)
	d.Chooser = scPeriodChooser{Action: action, Period: period, Choices: scPeriodChoices(pg.L, period), Sort: d.Sort, Desc: d.Desc}
	if pg.Actor.Role == domain.RoleAdmin {
		d.WeightsURL = "/staff/scorecard-weights"
	}
	var err error
	if d.Weights, err = p.svc.Scorecards.Weights(ctx); err != nil {
		return err
	}
	status := http.StatusOK
	cards, err := p.svc.Scorecards.All(ctx, period)
	if domain.ErrorCode(err) == domain.EINVALID {
		status, d.Chooser.Error, cards = http.StatusUnprocessableEntity, true, nil
	} else if err != nil {
		return err
	}
	for _, sc := range cards {
		r := scorecardRow{SC: sc, URL: scorecardURL(pg.Actor.Role, sc.SupplierID) + "?period=" + url.QueryEscape(period),
			Scores: map[string]*decimal.Decimal{}}
		for _, part := range sc.Parts {
			if part.Scored {
				v := part.Score
				r.Scores[part.Name] = &v
			}
		}
		d.Rows = append(d.Rows, r)
	}
	sortScorecards(d.Rows, d.Sort, d.Desc)
	for _, r := range d.Rows {
		if r.SC.Score == nil {
			continue
		}
		// A score is 0-100: its bar is score x 360 / 100 px, rounded.
		r.W = r.SC.Score.Mul(decimal.NewFromInt(scBarMax)).DivRound(decimal.NewFromInt(100), 0).IntPart()
		r.Y = int64(scTop + len(d.Bars)*scRow)
		r.TextY = r.Y + scBarH - 4
		d.Bars = append(d.Bars, r)
	}
	d.ChartW = scBarX + scBarMax + 60
	d.ChartH = int64(scTop*2 + max(1, len(d.Bars))*scRow)
	for _, col := range append([]string{"name", "score"}, domain.ScorecardParts...) {
		sc := scorecardColumn{Key: col, Num: col != "name"}
		switch col {
		case "name":
			sc.Label = pg.L.T("scorecard.supplier")
		case "score":
			sc.Label = pg.L.T("scorecard.total")
		default:
			sc.Label = pg.L.T("scorecard.part." + col)
		}
		next := "desc"
		if col == "name" {
			next = "asc"
		}
		if col == d.Sort {
			sc.AriaSort = "ascending"
			next = "desc"
			if d.Desc {
				sc.AriaSort = "descending"
				next = "asc"
			}
		}
		sc.Href = action + "?" + url.Values{"period": {period}, "sort": {col}, "dir": {next}}.Encode() + "#scorecards"
		d.Columns = append(d.Columns, sc)
	}
	d.Chooser.Sorts = d.Columns
	return p.render(c, status, "scorecard_list", d)
}

// sortScorecards orders rows by a column; suppliers without a figure in
// it come last either way, then by name.
func sortScorecards(rows []scorecardRow, col string, desc bool) {
	value := func(r scorecardRow) *decimal.Decimal {
		if col == "score" {
			return r.SC.Score
		}
		return r.Scores[col]
	}
	slices.SortStableFunc(rows, func(a, b scorecardRow) int {
		if col != "name" {
			va, vb := value(a), value(b)
			switch {
			case va == nil && vb != nil:
				return 1
			case va != nil && vb == nil:
				return -1
			case va != nil && vb != nil && !va.Equal(*vb):
				if desc {
					return vb.Cmp(*va)
				}
				return va.Cmp(*vb)
			}
		}
		n := cmp.Compare(strings.ToLower(a.SC.SupplierName), strings.ToLower(b.SC.SupplierName))
		if col == "name" && desc {
			n = -n
		}
		return n
	})
}

// --- The weights ---

type weightsData struct {
	Values   map[string]string // as typed, by part
	Sum      int
	Errs     fieldErrs // by part, and "weights" for the sum
	Problems []weightsProblem
}

// weightsProblem is one line of the summary above a refused form.
type weightsProblem struct {
	Field, Message string
}

func (p *Pages) scorecardWeights(c echo.Context) error {
	w, err := p.svc.Scorecards.Weights(c.Request().Context())
	if err != nil {
		return err
	}
	d := weightsData{Values: map[string]string{}}
	for _, name := range domain.ScorecardParts {
		d.Values[name] = strconv.Itoa(w[name])
		d.Sum += w[name]
	}
	return p.render(c, http.StatusOK, "scorecard_weights", d)
}

// scorecardWeightsPost sets the weights through SetWeights (as PUT
// /api/v1/scorecard-weights does). A value that is not a whole number
// goes to the domain as -1, so that it names every field's problem at
// once; a refused form is shown again with the problems, 422.
func (p *Pages) scorecardWeightsPost(c echo.Context) error {
	l := pageOf(c).L
	d := weightsData{Values: map[string]string{}}
	w := domain.ScorecardWeights{}
	for _, name := range domain.ScorecardParts {
		v := strings.TrimSpace(c.FormValue(name))
		d.Values[name] = v
		n, err := strconv.Atoi(v)
		if err != nil {
			n = -1
		} else {
			d.Sum += n
		}
		w[name] = n
	}
	if _, err := p.svc.Scorecards.SetWeights(c.Request().Context(), w); err != nil {
		errs, fields, status, ok := formProblems(err, pageOf(c).L)
		if !ok {
			return err
		}
		// The page's own words for the domain's problems.
		d.Errs = fieldErrs{}
		for field := range errs {
			msg := l.T("scorecard.weights.whole")
			if field == "weights" {
				msg = l.T("scorecard.weights.sum", d.Sum)
			}
			d.Errs[field] = []string{msg}
		}
		for _, f := range fields {
			d.Problems = append(d.Problems, weightsProblem{Field: f.Field, Message: d.Errs[f.Field][0]})
		}
		return p.render(c, status, "scorecard_weights", d)
	}
	return seeOther(c, "/staff/scorecard-weights?done=weights-saved")
}
