package web

import (
	"cmp"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"andel/domain"
	"andel/pricing"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"
)

// The board's savings dashboard (/board/savings) and its table of every
// practice (/board/savings/practices). Every figure is read through
// SavingsService.Report, the service behind GET /api/v1/savings, so the
// pages and the API cannot disagree: the rollups (savings_rollup,
// savings_member_running), never the order lines.

// savingsBoardRoutes mounts the dashboard, the practice table and the
// downloads (role board; staff read them too, as the API lets them).
func (p *Pages) savingsBoardRoutes(g *echo.Group) {
	board := requireRole(domain.RoleBoard, domain.RoleAdmin)
	g.GET("/board/savings", p.boardSavings, board)
	g.GET("/board/savings/practices", p.boardPractices, board)
	g.GET("/board/savings/export", p.boardSavingsExport, board)
}

func init() {
	// boardArgs passes several values to a part of the board's pages
	// (templates/layout/board_parts.html): boardArgs "L" $l "F" .F.
	funcs["boardArgs"] = func(kv ...any) (map[string]any, error) {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("boardArgs: key %v is not a string", kv[i])
			}
			m[k] = kv[i+1]
		}
		return m, nil
	}
}

// boardRow is one row of a savings table: a group's key (month
// "2025-03", category, supplier or member id, cluster), its name as
// shown, and its figures.
type boardRow struct {
	Key, Label string
	F          domain.SavingsFigures
	// S is F as the page writes it and H the column names: formatted
	// once in Go (present), because 1,600 rows of method calls in the
	// template cost more than the query.
	S shownFigures
	H *colLabels
}

// shownFigures are a row's figures written for people.
type shownFigures struct {
	Spend, BaselineSpend, Savings, SavingsPercent, Rebates, OnContractShare string
	Loss                                                                    bool
}

// colLabels are the tables' column names in the page's language.
type colLabels struct {
	Name, Month, Spend, BaselineSpend, Savings, SavingsPercent, Rebates, OnContractShare, Cumulative string
}

func newColLabels(l *Localizer) *colLabels {
	return &colLabels{Name: l.T("board.col.name"), Month: l.T("board.col.month"), Spend: l.T("board.col.spend"),
		BaselineSpend: l.T("board.col.baseline_spend"), Savings: l.T("board.col.savings"),
		SavingsPercent: l.T("board.col.savings_percent"), Rebates: l.T("board.col.rebates_accrued"),
		OnContractShare: l.T("board.col.on_contract_share"), Cumulative: l.T("board.col.cumulative")}
}

// present fills each row's S and H.
func present(rows []boardRow, l *Localizer, cur string, h *colLabels) {
	for i := range rows {
		f := rows[i].F
		rows[i].H = h
		rows[i].S = shownFigures{Spend: l.Amount(f.Spend, cur), BaselineSpend: l.Amount(f.BaselineSpend, cur),
			Savings: l.Amount(f.Savings, cur), SavingsPercent: l.Pct2(f.SavingsPercent), Rebates: l.Amount(f.Rebates, cur),
			OnContractShare: l.Pct2(f.OnContractShare), Loss: f.Savings.IsNegative()}
	}
}

// totalRow is a total as a presented row.
func totalRow(f domain.SavingsFigures, l *Localizer, cur string, h *colLabels) boardRow {
	r := []boardRow{{F: f}}
	present(r, l, cur, h)
	return r[0]
}

// Tables of the dashboard, as ?table= of the downloads names them.
const (
	tableMonths     = "months"
	tableCategories = "categories"
	tableSuppliers  = "suppliers"
	tableClusters   = "clusters"
	tablePractices  = "practices"
)

// groupOf is the report grouping behind each table.
var groupOf = map[string]string{
	tableMonths: domain.GroupMonth, tableCategories: domain.GroupCategory, tableSuppliers: domain.GroupSupplier,
	tableClusters: domain.GroupCluster, tablePractices: domain.GroupMember,
}

// report reads one grouping of the range.
func (p *Pages) report(ctx context.Context, r boardRange, group string) (*domain.SavingsReport, error) {
	return p.svc.Savings.Report(ctx, domain.SavingsQuery{From: r.From, To: r.To, GroupBy: group})
}

// rowsOf names a report's groups for people, in the table's order:
// months in order, practices by member id (the practice table sorts them
// itself), the rest by savings, largest first (as the chart draws them).
func rowsOf(table string, rep *domain.SavingsReport, l *Localizer) []boardRow {
	rows := make([]boardRow, 0, len(rep.Groups))
	for _, g := range rep.Groups {
		label := g.Label
		switch {
		case table == tableCategories || table == tableClusters:
			label = g.Key
			if label == "" {
				label = l.T("board." + table + ".none")
			}
		case label == "":
			label = g.Key
		}
		rows = append(rows, boardRow{Key: g.Key, Label: label, F: g})
	}
	if table != tableMonths && table != tablePractices {
		slices.SortStableFunc(rows, func(a, b boardRow) int {
			if c := b.F.Savings.Cmp(a.F.Savings); c != 0 {
				return c
			}
			return cmp.Compare(a.Label, b.Label)
		})
	}
	return rows
}

// section is one grouping of the dashboard: its chart and table.
type section struct {
	Table    string // months, categories, ...
	Chart    hChart
	Rows     []boardRow
	Total    domain.SavingsFigures
	TotalRow boardRow
}

// dashboardData is what board_savings.html shows.
type dashboardData struct {
	Range      boardRange
	Presets    []rangePreset
	FromInput  string // as typed, when the range was refused
	ToInput    string
	Error      string // message key of a refused range
	Currency   string
	Total      domain.SavingsFigures
	TrueUp     decimal.Decimal
	Note       string
	MonthChart monthChart
	Months     []monthPoint
	Sections   []section // categories, suppliers, clusters
	Top        []boardRow
	Practices  int
	Labels     *colLabels
	TotalRow   boardRow
}

// topPractices is how many practices the dashboard lists (all are on the
// practice page).
const topPractices = 10

// boardSavings is the dashboard of a range.
func (p *Pages) boardSavings(c echo.Context) error {
	l := pageOf(c).L
	r, ps, err := parseRange(c)
	d := &dashboardData{Range: r, Presets: ps}
	if err != nil {
		if domain.ErrorCode(err) != domain.EINVALID {
			return err
		}
		d.Error, d.FromInput, d.ToInput = "board.range.invalid", c.QueryParam("from"), c.QueryParam("to")
		return p.render(c, http.StatusBadRequest, "board_savings", d)
	}
	ctx := c.Request().Context()
	total, err := p.report(ctx, r, domain.GroupNone)
	if err != nil {
		return err
	}
	d.Currency, d.Total, d.TrueUp, d.Note = total.Currency, total.Total, total.TrueUpCredits, total.Note
	d.Labels = newColLabels(l)
	d.TotalRow = totalRow(d.Total, l, d.Currency, d.Labels)
	byMonth, err := p.report(ctx, r, domain.GroupMonth)
	if err != nil {
		return err
	}
	d.Months = monthPoints(r, byMonth, l)
	d.MonthChart = newMonthChart(l.T("board.chart.months.title", l.Date(r.From), l.Date(r.To)), l.T("board.chart.months.desc"), d.Months, l)
	for i := range d.Months {
		m := &d.Months[i]
		row := []boardRow{m.Row}
		present(row, l, d.Currency, d.Labels)
		m.Row, m.CumulativeS = row[0], l.Amount(m.Cumulative, d.Currency)
	}
	for _, t := range []string{tableCategories, tableSuppliers, tableClusters} {
		rep, err := p.report(ctx, r, groupOf[t])
		if err != nil {
			return err
		}
		rows := rowsOf(t, rep, l)
		present(rows, l, d.Currency, d.Labels)
		d.Sections = append(d.Sections, section{Table: t, Rows: rows, Total: rep.Total, TotalRow: totalRow(rep.Total, l, d.Currency, d.Labels),
			Chart: newHChart("chart-"+t, l.T("board.chart."+t+".title", l.Date(r.From), l.Date(r.To)),
				l.T("board.chart.bars.desc"), rows, l, d.Currency)})
	}
	members, err := p.report(ctx, r, domain.GroupMember)
	if err != nil {
		return err
	}
	rows := rowsOf(tablePractices, members, l)
	sortRows(rows, "savings", true)
	d.Practices = len(rows)
	d.Top = rows[:min(topPractices, len(rows))]
	present(d.Top, l, d.Currency, d.Labels)
	return p.render(c, http.StatusOK, "board_savings", d)
}

// sortRows orders rows by a column of the tables, then by name.
func sortRows(rows []boardRow, col string, desc bool) {
	val := func(r boardRow) decimal.Decimal {
		switch col {
		case "spend":
			return r.F.Spend
		case "baseline_spend":
			return r.F.BaselineSpend
		case "savings_percent":
			return r.F.SavingsPercent
		case "rebates_accrued":
			return r.F.Rebates
		case "on_contract_share":
			return r.F.OnContractShare
		}
		return r.F.Savings
	}
	var lower map[string]string // names folded once, not per comparison
	if col == "name" {
		lower = make(map[string]string, len(rows))
		for _, r := range rows {
			lower[r.Label] = strings.ToLower(r.Label)
		}
	}
	slices.SortStableFunc(rows, func(a, b boardRow) int {
		c := 0
		if col == "name" {
			c = cmp.Compare(lower[a.Label], lower[b.Label])
		} else {
			c = val(a).Cmp(val(b))
		}
		if c == 0 {
			c = cmp.Compare(a.Label, b.Label)
		}
		if desc {
			return -c
		}
		return c
	})
}

// Sortable columns of the practice table, as ?sort= names them (the API's
// field names).
var practiceColumns = []string{"name", "spend", "baseline_spend", "savings", "savings_percent", "rebates_accrued", "on_contract_share"}

// practicesData is what board_practices.html shows.
type practicesData struct {
	Range              boardRange
	Presets            []rangePreset
	Currency           string
	Query              string
	Sort               string
	Desc               bool
	Rows               []boardRow
	All                int
	Total              domain.SavingsFigures // of every practice (the API's total)
	Shown              domain.SavingsFigures // of the rows shown
	Filtered           bool
	Columns            []practiceColumn
	Error              string // message key of a refused range
	FromInput, ToInput string
	Export             template.URL // the downloads' query: range, search, sort
	Labels             *colLabels
	TotalRow, ShownRow boardRow
}

// practiceColumn is a sortable column head: its link and aria-sort.
type practiceColumn struct {
	Key, Label, Href, AriaSort string
	Num                        bool
}

// practiceTable reads every practice's figures of the range, searched by
// ?q= (name or member id) and sorted by ?sort= and ?dir=.
func (p *Pages) practiceTable(c echo.Context) (*practicesData, error) {
	l := pageOf(c).L
	r, ps, err := parseRange(c)
	d := &practicesData{Range: r, Presets: ps, Query: strings.TrimSpace(c.QueryParam("q")), Sort: c.QueryParam("sort"),
		Desc: c.QueryParam("dir") != "asc"}
	if err != nil {
		if domain.ErrorCode(err) == domain.EINVALID {
			d.Error, d.FromInput, d.ToInput = "board.range.invalid", c.QueryParam("from"), c.QueryParam("to")
		}
		return d, err
	}
	if !slices.Contains(practiceColumns, d.Sort) {
		d.Sort = "savings"
	}
	if d.Sort == "name" && c.QueryParam("dir") != "desc" {
		d.Desc = false
	}
	if len(d.Query) > 200 {
		d.Query = d.Query[:200]
	}
	rep, err := p.report(c.Request().Context(), r, domain.GroupMember)
	if err != nil {
		return nil, err
	}
	d.Currency, d.Total = rep.Currency, rep.Total
	all := rowsOf(tablePractices, rep, l)
	d.All = len(all)
	q := strings.ToLower(d.Query)
	for _, row := range all {
		if q == "" || strings.Contains(strings.ToLower(row.Label), q) || row.Key == q {
			d.Rows = append(d.Rows, row)
			addFigures(&d.Shown, row.F)
		}
	}
	d.Shown.SavingsPercent = pricing.Percent(d.Shown.Savings, d.Shown.BaselineSpend)
	d.Shown.OnContractShare = pricing.Percent(d.Shown.OnContractSpend, d.Shown.Spend)
	d.Filtered = q != ""
	sortRows(d.Rows, d.Sort, d.Desc)
	dir := "asc"
	if d.Desc {
		dir = "desc"
	}
	d.Labels = newColLabels(l)
	present(d.Rows, l, d.Currency, d.Labels)
	d.TotalRow, d.ShownRow = totalRow(d.Total, l, d.Currency, d.Labels), totalRow(d.Shown, l, d.Currency, d.Labels)
	d.Export = template.URL(r.query() + "&" + urlValues("q", d.Query, "sort", d.Sort, "dir", dir, "table", tablePractices))
	for _, col := range practiceColumns {
		pc := practiceColumn{Key: col, Label: l.T("board.col." + col), Num: col != "name"}
		dir := "desc"
		if col == "name" {
			dir = "asc"
		}
		if col == d.Sort {
			pc.AriaSort = "ascending"
			if d.Desc {
				pc.AriaSort = "descending"
			}
			if d.Desc {
				dir = "asc"
			} else {
				dir = "desc"
			}
		}
		pc.Href = "/board/savings/practices?" + r.query() + "&" + urlValues("q", d.Query, "sort", col, "dir", dir) + "#practices"
		d.Columns = append(d.Columns, pc)
	}
	return d, nil
}

// addFigures adds f's amounts to sum (the ratios are the caller's).
func addFigures(sum *domain.SavingsFigures, f domain.SavingsFigures) {
	sum.Lines += f.Lines
	sum.Spend = sum.Spend.Add(f.Spend)
	sum.BaselineSpend = sum.BaselineSpend.Add(f.BaselineSpend)
	sum.Savings = sum.Savings.Add(f.Savings)
	sum.OnContractSpend = sum.OnContractSpend.Add(f.OnContractSpend)
	sum.Rebates = sum.Rebates.Add(f.Rebates)
}

// boardPractices is the table of every practice; an htmx request from
// the search box gets the table alone.
func (p *Pages) boardPractices(c echo.Context) error {
	d, err := p.practiceTable(c)
	if d != nil && d.Error != "" {
		return p.render(c, http.StatusBadRequest, "board_practices", d)
	}
	if err != nil {
		return err
	}
	if c.Request().Header.Get("HX-Request") != "" && c.Request().Header.Get("HX-Target") == "practice-table" {
		return p.renderBlock(c, http.StatusOK, "board_practices", "practice-table", d)
	}
	return p.render(c, http.StatusOK, "board_practices", d)
}

// urlValues encodes name/value pairs in order.
func urlValues(kv ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(kv[i] + "=" + url.QueryEscape(kv[i+1]))
	}
	return b.String()
}

// Pct2 writes a percentage with two decimals ("12,50 %").
func (l *Localizer) Pct2(d decimal.Decimal) string {
	return pricing.FormatAmount(d, 2, l.locale) + " %"
}

// Plain writes an amount as the machine reads it ("1234.50").
func plain(d decimal.Decimal) string { return d.StringFixed(2) }
