package web

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"andel/domain"
	"andel/pricing"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"
	"golang.org/x/text/encoding/charmap"
)

// A bid as a CSV file: the supplier downloads the tender's template (one
// row per lot item, in the page's language: Danish headers, semicolons
// and decimal commas, or English ones with commas), fills in its prices
// in a spreadsheet and uploads it. A row whose min_packs (min_antal) is
// above 1 is a tier of the item's price, as in a price list. Every
// problem of the file and of the bid is listed with its line; with any
// problem nothing is submitted, and a bid that is taken replaces the
// earlier one whole (domain.TenderService.SubmitBid, one transaction).

// bidColumns are the template's columns: the canonical name, the Danish
// header, and whether the supplier fills it in.
var bidColumns = []struct {
	key, da string
	input   bool
}{
	{"item_id", "varelinje", false}, {"lot", "delaftale", false}, {"product", "vare", false},
	{"base_unit", "basisenhed", false}, {"quantity", "mængde", false},
	{"sku", "varenummer", true}, {"gtin", "ean", true}, {"pack_unit", "enhed", true},
	{"pack_content", "indhold", true}, {"pack_price", "pris", true}, {"min_packs", "min_antal", true},
}

// maxBidCSV bounds an uploaded bid file (a tender has at most a few
// thousand items; a line is short).
const maxBidCSV = 4 << 20

// bidTemplate downloads the tender's bid template.
func (p *Pages) bidTemplate(c echo.Context) error {
	d, err := p.tenderData(c)
	if err != nil {
		return err
	}
	l := pageOf(c).L
	danish := l.Tag == danish
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if danish {
		buf.WriteString("\ufeff") // spreadsheets read UTF-8 by its BOM
		w.Comma = ';'
	}
	head := make([]string, len(bidColumns))
	for i, col := range bidColumns {
		head[i] = col.key
		if danish {
			head[i] = col.da
		}
	}
	_ = w.Write(head)
	for _, lot := range d.Tender.Lots {
		for _, it := range lot.Items {
			q := it.Quantity.String()
			if danish { // a decimal comma, no thousands separator
				q = strings.Replace(q, ".", ",", 1)
			}
			_ = w.Write([]string{strconv.FormatInt(it.ID, 10), lot.Title, it.ProductName, it.BaseUnit, q, "", "", "", "", "", ""})
		}
	}
	w.Flush()
	name := "bid"
	if danish {
		name = "bud"
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s-%d.csv"`, name, d.Tender.ID))
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// uploadBid reads a bid from a CSV file (and the non-price criteria's
// values from the form) and submits it, or shows the tender page again
// with every problem by line.
func (p *Pages) uploadBid(c echo.Context) error {
	d, err := p.tenderData(c)
	if err != nil {
		return err
	}
	l := pageOf(c).L
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	d.Form, d.CSV = form, true
	var probs domain.Problems
	in := domain.BidInput{Values: map[string]decimal.Decimal{}}
	for _, cr := range d.Criteria {
		n, err := parseTyped(strings.TrimSpace(form.Get("value-"+cr.Name)), l)
		if err != nil {
			probs.Add(l.Criterion(cr.Name), "is not a number")
		}
		in.Values[cr.Name] = n
	}
	var body []byte
	fh, err := c.FormFile("file")
	if err == nil {
		f, ferr := fh.Open()
		if ferr != nil {
			return ferr
		}
		body, err = io.ReadAll(io.LimitReader(f, maxBidCSV+1))
		f.Close()
		if err != nil {
			return err
		}
	}
	var bc *bidCSV
	switch {
	case fh == nil:
		probs.Add(l.T("bidcsv.file"), "choose the CSV file with the bid")
	case len(body) > maxBidCSV:
		probs.Add(l.T("bidcsv.file"), "is larger than %d MB", maxBidCSV>>20)
	default:
		bc = readBidCSV(body, d.Tender, l)
		probs = append(probs, bc.problems...)
		in.Items = bc.items
	}
	if bc != nil {
		// The bid's own problems too, for the rows that could be read.
		if err := p.svc.Tenders.CheckBid(c.Request().Context(), d.Tender.ID, in); err != nil {
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != domain.EINVALID {
				return err
			}
			for _, fe := range de.Fields {
				if fe.Field == "items" && len(bc.problems) > 0 {
					continue // a lot left incomplete by a row the file's problems dropped
				}
				probs = append(probs, bc.locate(fe, d, l))
			}
		}
	}
	err = probs.Err()
	if err == nil {
		_, _, err = p.svc.Tenders.SubmitBid(c.Request().Context(), d.Tender.ID, in)
		if de, ok := err.(*domain.Error); ok && bc != nil {
			for i, fe := range de.Fields {
				de.Fields[i] = bc.locate(fe, d, l)
			}
		}
	}
	if err != nil {
		return p.bidRefused(c, d, err)
	}
	return seeOther(c, fmt.Sprintf("/supplier/tenders/%d?done=bid-submitted#bids", d.Tender.ID))
}

// bidCSV is a bid file read: its items in the order of their first row,
// where each item and tier came from, and the file's problems.
type bidCSV struct {
	items    []domain.BidItemInput
	itemLine []int   // line of items[i]'s base row
	tierLine [][]int // line of items[i].Tiers[j]
	cols     map[string]string
	problems domain.Problems
}

// readBidCSV reads a bid file for tender t: UTF-8 (with or without BOM)
// or Windows-1252; semicolons or commas; English or Danish headers;
// decimal points or commas.
func readBidCSV(body []byte, t *domain.Tender, l *Localizer) *bidCSV {
	bc := &bidCSV{cols: map[string]string{}}
	body = bytes.TrimPrefix(body, []byte("\ufeff"))
	if !utf8.Valid(body) {
		if dec, err := charmap.Windows1252.NewDecoder().Bytes(body); err == nil {
			body = dec
		}
	}
	first, _, _ := bytes.Cut(body, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(body))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	at := func(line int, col string) string { return l.T("bidcsv.at", line, bc.colName(col)) }
	head, err := r.Read()
	if err != nil {
		bc.problems.Add(l.T("bidcsv.line", 1), "the file has no header row (%v)", err)
		return bc
	}
	idx := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(h))
		for _, col := range bidColumns {
			if h == col.key || h == col.da {
				if _, dup := idx[col.key]; dup {
					bc.problems.Add(l.T("bidcsv.line", 1), "column %s is there twice", h)
				}
				idx[col.key], bc.cols[col.key] = i, h
			}
		}
	}
	for _, key := range []string{"item_id", "pack_price"} {
		if _, ok := idx[key]; !ok {
			bc.problems.Add(l.T("bidcsv.line", 1), "the column %s is missing", key)
		}
	}
	if len(bc.problems) > 0 {
		return bc
	}
	items := map[int64]domain.TenderLotItem{}
	for _, lot := range t.Lots {
		for _, it := range lot.Items {
			items[it.ID] = it
		}
	}
	type tierRow struct {
		line int
		tier domain.BidTierInput
		unit string
		cont string
	}
	base := map[int64]int{} // item id -> index in bc.items
	var order []int64       // items in the order of their first row
	inOrder := map[int64]bool{}
	tiers := map[int64][]tierRow{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			bc.problems.Add(l.T("bidcsv.line", line), "cannot be read: %v", err)
			if _, ok := err.(*csv.ParseError); ok {
				continue
			}
			break
		}
		get := func(key string) string {
			if i, ok := idx[key]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		filled := false
		for _, col := range bidColumns {
			filled = filled || (col.input && get(col.key) != "")
		}
		if !filled {
			continue // a template row the supplier does not bid on
		}
		n := len(bc.problems)
		num := func(key string) decimal.Decimal {
			s := get(key)
			if s == "" {
				return decimal.Zero
			}
			v, err := pricing.ParseAmount(s, pricing.LocalePlain)
			if err != nil {
				if v, err = pricing.ParseAmount(s, pricing.LocaleDanish); err != nil {
					bc.problems.Add(at(line, key), "%q is not a number", s)
				}
			}
			return v
		}
		id, err := strconv.ParseInt(get("item_id"), 10, 64)
		it, ok := items[id]
		if err != nil || !ok {
			bc.problems.Add(at(line, "item_id"), "%q is not an item of this tender (keep the template's column)", get("item_id"))
		}
		price, content, minPacks := num("pack_price"), num("pack_content"), num("min_packs")
		if get("pack_price") == "" {
			bc.problems.Add(at(line, "pack_price"), "is required on a row that is filled in")
		}
		if len(bc.problems) > n {
			continue
		}
		if get("min_packs") != "" && minPacks.GreaterThan(decimal.NewFromInt(1)) {
			tiers[it.ID] = append(tiers[it.ID], tierRow{line: line, tier: domain.BidTierInput{MinPacks: minPacks, PackPrice: price},
				unit: get("pack_unit"), cont: get("pack_content")})
			if !inOrder[it.ID] {
				inOrder[it.ID], order = true, append(order, it.ID)
			}
			continue
		}
		if i, dup := base[it.ID]; dup {
			bc.problems.Add(at(line, "item_id"), "item %d (%s) has its price on line %d already; a tier needs %s above 1",
				it.ID, it.ProductName, bc.itemLine[i], bc.colName("min_packs"))
			continue
		}
		if !inOrder[it.ID] {
			inOrder[it.ID], order = true, append(order, it.ID)
		}
		base[it.ID] = len(bc.items)
		bc.items = append(bc.items, domain.BidItemInput{LotItemID: it.ID, SKU: get("sku"), GTIN: get("gtin"),
			PackUnit: get("pack_unit"), PackContent: content, PackPrice: price})
		bc.itemLine = append(bc.itemLine, line)
	}
	// Items in the order of their first row; tiers onto their item.
	items2, lines2 := make([]domain.BidItemInput, 0, len(bc.items)), make([]int, 0, len(bc.items))
	for _, id := range order {
		i, ok := base[id]
		if !ok {
			for _, tr := range tiers[id] {
				bc.problems.Add(at(tr.line, "min_packs"), "a tier of item %d without the item's own price (a row with %s empty or 1)",
					id, bc.colName("min_packs"))
			}
			continue
		}
		item := bc.items[i]
		var tl []int
		for _, tr := range tiers[id] {
			if (tr.unit != "" && tr.unit != item.PackUnit) || (tr.cont != "" && !sameNumber(tr.cont, item.PackContent)) {
				bc.problems.Add(at(tr.line, "pack_unit"), "a tier is of the item's own pack (line %d): leave the pack empty or the same", bc.itemLine[i])
				continue
			}
			item.Tiers = append(item.Tiers, tr.tier)
			tl = append(tl, tr.line)
		}
		items2, lines2 = append(items2, item), append(lines2, bc.itemLine[i])
		bc.tierLine = append(bc.tierLine, tl)
	}
	bc.items, bc.itemLine = items2, lines2
	if len(bc.items) == 0 && len(bc.problems) == 0 {
		bc.problems.Add(l.T("bidcsv.file"), "no row has a %s: the bid prices nothing", bc.colName("pack_price"))
	}
	return bc
}

// sameNumber reports whether s (as a bid file writes numbers) is v.
func sameNumber(s string, v decimal.Decimal) bool {
	for _, loc := range []pricing.Locale{pricing.LocalePlain, pricing.LocaleDanish} {
		if d, err := pricing.ParseAmount(s, loc); err == nil {
			return d.Equal(v)
		}
	}
	return false
}

// colName is a column as the file named it (the English name if absent).
func (bc *bidCSV) colName(key string) string {
	if n, ok := bc.cols[key]; ok {
		return n
	}
	return key
}

var bidField = regexp.MustCompile(`^items\[(\d+)\](?:\.tiers\[(\d+)\])?(?:\.([a-z_]+))?$`)

// locate names the line and column of one of the domain's problems with
// the bid (items[2].tiers[0].pack_price, values.delivery_days).
func (bc *bidCSV) locate(fe domain.FieldError, d supplierTenderData, l *Localizer) domain.FieldError {
	if name, ok := strings.CutPrefix(fe.Field, "values."); ok {
		return domain.FieldError{Field: l.Criterion(name), Message: fe.Message}
	}
	m := bidField.FindStringSubmatch(fe.Field)
	if m == nil {
		return fe
	}
	i, _ := strconv.Atoi(m[1])
	if i >= len(bc.items) {
		return fe
	}
	line, col := bc.itemLine[i], m[3]
	if m[2] != "" {
		j, _ := strconv.Atoi(m[2])
		if j < len(bc.tierLine[i]) {
			line = bc.tierLine[i][j]
		}
	}
	switch col {
	case "", "item_id":
		col = "item_id"
	case "tiers": // the ladder: its first tier's line
		if len(bc.tierLine[i]) > 0 {
			line = bc.tierLine[i][0]
		}
		col = "min_packs"
	case "min_packs":
		col = "min_packs"
	}
	return domain.FieldError{Field: l.T("bidcsv.at", line, bc.colName(col)), Message: fe.Message}
}
