package suppliers

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"andel/pricing"
)

// UBL namespaces.
const (
	nsCatalogue = "urn:oasis:names:specification:ubl:schema:xsd:Catalogue-2"
	nsCAC       = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
	nsCBC       = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
	nsEXT       = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
	// bisCatalogue3 is the CustomizationID of PEPPOL BIS Catalogue 3.
	bisCatalogue3 = "urn:fdc:peppol.eu:poacc:trns:catalogue:3"
)

// Limits on one CatalogueLine (or header element) held in memory. Embedded
// attachments (base64 images) count towards the bytes read but their text
// is not kept.
const (
	maxUBLElementBytes = 16 << 20
	maxUBLNodes        = 20000
	maxUBLDepth        = 64
	maxUBLText         = 4 << 20
)

var errElementTooLarge = errors.New("element too large")

// xnode is one XML element of a catalogue line or header element, with
// where it starts. A CatalogueLine is decoded into a small tree of these
// (xml.Decoder.DecodeElement, one line at a time), so that every rule can
// name the line and path of what it finds.
type xnode struct {
	name      string // local name
	attrs     []xml.Attr
	text      string // character data, trimmed
	line, col int
	kids      []*xnode
}

// UnmarshalXML builds the tree without recursion, within the limits.
func (n *xnode) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	n.name, n.attrs = start.Name.Local, start.Attr
	n.line, n.col = d.InputPos()
	stack := []*xnode{n}
	bufs := [][]byte{nil}
	nodes, textBytes := 1, 0
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			nodes++
			if nodes > maxUBLNodes || len(stack) >= maxUBLDepth {
				return errElementTooLarge
			}
			line, col := d.InputPos()
			c := &xnode{name: t.Name.Local, attrs: t.Attr, line: line, col: col}
			top := stack[len(stack)-1]
			top.kids = append(top.kids, c)
			stack = append(stack, c)
			bufs = append(bufs, nil)
		case xml.CharData:
			if stack[len(stack)-1].name == "EmbeddedDocumentBinaryObject" {
				continue
			}
			textBytes += len(t)
			if textBytes > maxUBLText {
				return errElementTooLarge
			}
			bufs[len(bufs)-1] = append(bufs[len(bufs)-1], t...)
		case xml.EndElement:
			top := stack[len(stack)-1]
			top.text = strings.TrimSpace(string(bufs[len(bufs)-1]))
			stack, bufs = stack[:len(stack)-1], bufs[:len(bufs)-1]
			if len(stack) == 0 {
				return nil
			}
		}
	}
}

func (n *xnode) child(name string) *xnode {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

func (n *xnode) children(name string) []*xnode {
	if n == nil {
		return nil
	}
	var out []*xnode
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
	}
	return out
}

// at follows a path of child names.
func (n *xnode) at(names ...string) *xnode {
	for _, name := range names {
		n = n.child(name)
	}
	return n
}

func (n *xnode) val() string {
	if n == nil {
		return ""
	}
	return n.text
}

func (n *xnode) attr(name string) (string, bool) {
	if n == nil {
		return "", false
	}
	for _, a := range n.attrs {
		if a.Name.Local == name {
			return strings.TrimSpace(a.Value), true
		}
	}
	return "", false
}

// collapse joins runs of white space into one space (pretty-printed XML
// breaks names and descriptions over lines).
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// ublReader reads one catalogue.
type ublReader struct {
	s    *list
	hdr  header
	ids  map[[16]byte]int32 // CatalogueLine/ID -> line, for BII2-T19-R024
	root Position
}

// header remembers what the header rules need.
type header struct {
	seen        map[string]*xnode // first occurrence of each header element
	sellerCount int
}

// parseUBL reads a PEPPOL BIS Catalogue 3 document (see the package
// documentation): it walks the tokens of the root element and decodes
// each CatalogueLine on its own.
func parseUBL(r io.Reader, label string, s *list) error {
	var src io.Reader
	var in *textIn
	s.doc.Charset = "utf-8"
	identity := func(_ string, input io.Reader) (io.Reader, error) { return input, nil }
	charsetReader := func(label string, input io.Reader) (io.Reader, error) {
		_, name := charset.Lookup(label)
		rd, err := charset.NewReaderLabel(label, input)
		if err == nil {
			s.doc.Charset = name
		}
		return rd, err
	}
	if label != "" {
		// The Content-Type's charset overrides the XML declaration (RFC
		// 7303): decode here, and let the decoder take the declaration's
		// name for what it now is, UTF-8.
		text, ti, err := openText(r, label)
		if err != nil {
			return err
		}
		src, in, charsetReader = text, ti, identity
	} else {
		br := bufio.NewReaderSize(r, 4096)
		bom, _ := br.Peek(3)
		switch {
		case bytes.HasPrefix(bom, []byte{0xEF, 0xBB, 0xBF}):
			_, _ = br.Discard(3)
			src = br
		case bytes.HasPrefix(bom, []byte{0xFF, 0xFE}), bytes.HasPrefix(bom, []byte{0xFE, 0xFF}):
			order, name := unicode.LittleEndian, "utf-16le"
			if bom[0] == 0xFE {
				order, name = unicode.BigEndian, "utf-16be"
			}
			s.doc.Charset = name
			src = transform.NewReader(br, unicode.UTF16(order, unicode.ExpectBOM).NewDecoder())
			charsetReader = identity
		default:
			src = br
		}
	}
	guard := &recordGuard{r: src, limit: maxUBLElementBytes}
	d := xml.NewDecoder(guard)
	d.CharsetReader = charsetReader
	u := &ublReader{s: s, ids: map[[16]byte]int32{}, hdr: header{seen: map[string]*xnode{}}}
	err := u.read(d, guard)
	if in != nil {
		s.doc.Charset = in.report(s)
	}
	return err
}

// fatal turns a decoder error into a problem that stops parsing, or
// returns the body reader's own failure.
func (u *ublReader) fatal(d *xml.Decoder, err error) error {
	var se *xml.SyntaxError
	line, _ := d.InputPos()
	switch {
	case errors.As(err, &se):
		return u.s.stop(Position{Line: se.Line}, "XML syntax: "+se.Msg)
	case errors.Is(err, errElementTooLarge), errors.Is(err, errRecordTooLarge):
		return u.s.stop(Position{Line: line}, fmt.Sprintf("an element is too large (over %d MiB, %d elements or %d levels deep); nothing after it was read", maxUBLElementBytes>>20, maxUBLNodes, maxUBLDepth))
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return u.s.stop(Position{Line: line}, "XML syntax: the document ends early")
	}
	// Other decoder errors: an unsupported encoding declaration, a
	// malformed one.
	return u.s.stop(Position{Line: line}, "XML: "+err.Error())
}

func (u *ublReader) read(d *xml.Decoder, guard *recordGuard) error {
	var root xml.StartElement
	for {
		tok, err := d.Token()
		if err == io.EOF {
			u.s.errorAt(Position{}, "", "", "", "the body has no XML element")
			u.s.rep.Stopped = true
			return nil
		}
		if err != nil {
			return u.fatal(d, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			root = se
			break
		}
	}
	line, col := d.InputPos()
	u.root = Position{Line: line, Column: col, Path: "/" + root.Name.Local}
	if root.Name.Local != "Catalogue" || root.Name.Space != nsCatalogue {
		u.s.errorAt(u.root, "", "", "", fmt.Sprintf("the root element is {%s}%s; a PEPPOL catalogue is {%s}Catalogue", root.Name.Space, root.Name.Local, nsCatalogue))
		u.s.rep.Stopped = true
		return nil
	}
	lineNo := 0
	for {
		guard.n = 0
		tok, err := d.Token()
		if err != nil {
			return u.fatal(d, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			// A child in no UBL namespace (a prefix bound to the wrong
			// URI) is not what it is named: the list is refused. Children
			// left in the root's own namespace (written without prefix)
			// are read as before: their names are not in doubt.
			if s := t.Name.Space; s != nsCAC && s != nsCBC && s != nsEXT && s != nsCatalogue {
				line, col := d.InputPos()
				u.s.errorAt(Position{Line: line, Column: col, Path: "/Catalogue/" + t.Name.Local}, "", "", "",
					fmt.Sprintf("the element %s is in the namespace %q, not a UBL one (cac:, cbc: or ext: bound to the wrong URI?)", t.Name.Local, s))
				if err := d.Skip(); err != nil {
					return u.fatal(d, err)
				}
				continue
			}
			var n xnode
			if err := d.DecodeElement(&n, &t); err != nil {
				return u.fatal(d, err)
			}
			if n.name == "CatalogueLine" {
				lineNo++
				u.s.startRow()
				u.line(&n, fmt.Sprintf("/Catalogue/CatalogueLine[%d]", lineNo))
				if err := u.s.endRow(); err != nil {
					return err
				}
			} else {
				u.header(&n)
			}
		case xml.EndElement: // the root's end
			u.finishHeader()
			return u.afterRoot(d)
		}
	}
}

// afterRoot refuses anything but white space, comments and processing
// instructions after the root element (a second document glued on).
func (u *ublReader) afterRoot(d *xml.Decoder) error {
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return u.fatal(d, err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(bytes.TrimSpace(t)) == 0 {
				continue
			}
		case xml.Comment, xml.ProcInst:
			continue
		}
		line, col := d.InputPos()
		u.s.errorAt(Position{Line: line, Column: col}, "", "", "", "content after the catalogue's root element: a document has one root")
		return nil
	}
}

// pos is the position of node n at path.
func pos(n *xnode, path string) Position {
	if n == nil {
		return Position{Path: path}
	}
	return Position{Line: n.line, Column: n.col, Path: path}
}

// header takes in one child of the root that is not a CatalogueLine.
func (u *ublReader) header(n *xnode) {
	path := "/Catalogue/" + n.name
	u.checkCodes(n, path, false)
	if _, dup := u.hdr.seen[n.name]; !dup {
		u.hdr.seen[n.name] = n
	}
	d := u.s.doc
	switch n.name {
	case "CustomizationID":
		d.CustomizationID = n.text
	case "ProfileID":
		d.ProfileID = n.text
	case "ID":
		d.ID = n.text
	case "Name":
		d.Name = collapse(n.text)
	case "VersionID":
		d.VersionID = n.text
	case "IssueDate":
		t, err := parseISODate(n.text)
		if err != nil {
			u.s.errorAt(pos(n, path), "IssueDate", "", "BII2-T19-R003", "IssueDate: "+err.Error())
		}
		d.IssueDate = t
	case "ActionCode":
		switch a := Action(n.text); a {
		case ActionAdd, ActionReplace, ActionUpdate, ActionDelete:
			d.Action = a
		default:
			u.s.errorAt(pos(n, path), "ActionCode", "", "OP-T19-007", fmt.Sprintf("catalogue action code %q must be Add, Replace, Update or Delete", n.text))
		}
		if v, ok := n.attr("listID"); ok && v != "ACTIONCODE:PEPPOL" {
			u.s.errorAt(pos(n, path), "ActionCode", "", "EUGEN-T19-R046", fmt.Sprintf("the catalogue action code's listID must be ACTIONCODE:PEPPOL, not %q", v))
		}
	case "ValidityPeriod":
		d.ValidFrom, d.ValidTo = u.period(n, path)
	case "ReferencedContract":
		d.ContractID = n.at("ID").val()
	case "ProviderParty":
		d.Provider = partyOf(n)
	case "ReceiverParty":
		d.Receiver = partyOf(n)
	case "SellerSupplierParty":
		u.hdr.sellerCount++
		if u.hdr.sellerCount == 2 {
			u.s.errorAt(pos(n, path), "SellerSupplierParty", "", "BII2-T19-R009", "a catalogue has at most one SellerSupplierParty")
		}
		if d.Seller == nil {
			d.Seller = partyOf(n.child("Party"))
		}
	case "ContractorCustomerParty":
		if d.Customer == nil {
			d.Customer = partyOf(n.child("Party"))
		}
	}
}

// period reads a StartDate/EndDate pair, reporting BII2-T19-R006.
func (u *ublReader) period(n *xnode, path string) (from, to time.Time) {
	for _, e := range []struct {
		name string
		t    *time.Time
	}{{"StartDate", &from}, {"EndDate", &to}} {
		c := n.child(e.name)
		if c == nil {
			continue
		}
		t, err := parseISODate(c.text)
		if err != nil {
			u.s.errorAt(pos(c, path+"/"+e.name), e.name, "", "", e.name+": "+err.Error())
			continue
		}
		*e.t = t
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		u.s.errorAt(pos(n.child("EndDate"), path+"/EndDate"), "EndDate", "", "BII2-T19-R006",
			fmt.Sprintf("the validity period ends (%s) before it starts (%s)", fmtDate(to), fmtDate(from)))
		return time.Time{}, time.Time{}
	}
	return from, to
}

func partyOf(n *xnode) *Party {
	if n == nil {
		return nil
	}
	p := &Party{
		EndpointID:       n.at("EndpointID").val(),
		ID:               n.at("PartyIdentification", "ID").val(),
		Name:             collapse(n.at("PartyName", "Name").val()),
		CompanyID:        n.at("PartyLegalEntity", "CompanyID").val(),
		RegistrationName: collapse(n.at("PartyLegalEntity", "RegistrationName").val()),
	}
	p.EndpointScheme, _ = n.at("EndpointID").attr("schemeID")
	p.IDScheme, _ = n.at("PartyIdentification", "ID").attr("schemeID")
	p.CompanyIDScheme, _ = n.at("PartyLegalEntity", "CompanyID").attr("schemeID")
	if p.Name == "" {
		p.Name = p.RegistrationName
	}
	return p
}

// line turns one CatalogueLine into Lines, one per priced
// RequiredItemLocationQuantity (its quantity tiers).
func (u *ublReader) line(n *xnode, path string) {
	s := u.s
	u.checkCodes(n, path, true)
	item := n.child("Item")
	ipath := path + "/Item"

	var l Line
	var bad, checked field
	l.Pos = pos(n, path)

	// BII2-T19-R024: a unique line identifier.
	idNode := n.child("ID")
	l.LineID = idNode.val()
	if l.LineID == "" {
		s.errorAt(pos(n, path+"/ID"), "ID", "", "BII2-T19-R024", "the catalogue line has no identifier (cbc:ID)")
	} else {
		k := s.hash([]byte(l.LineID))
		if first, dup := u.ids[k]; dup {
			s.errorAt(pos(idNode, path+"/ID"), "ID", "", "BII2-T19-R024", fmt.Sprintf("line identifier %q is not unique (first on line %d)", l.LineID, first))
		} else {
			u.ids[k] = int32(idNode.line)
		}
	}

	// Line action: CL-T19-001 (and EUGEN-T19-R045 when a listID is given).
	l.Action = ActionAdd
	if a := n.child("ActionCode"); a != nil {
		switch act := Action(a.text); act {
		case ActionAdd, ActionUpdate, ActionDelete:
			l.Action = act
		default:
			s.errorAt(pos(a, path+"/ActionCode"), "ActionCode", "", "CL-T19-001", fmt.Sprintf("line action code %q must be Add, Update or Delete", a.text))
		}
		if v, ok := a.attr("listID"); ok && v != "ACTIONCODE:BII2" {
			s.errorAt(pos(a, path+"/ActionCode"), "ActionCode", "", "EUGEN-T19-R045", fmt.Sprintf("the line action code's listID must be ACTIONCODE:BII2, not %q", v))
		}
	}

	// Item identification: BII2-T19-R020, R021.
	sellerID := item.at("SellersItemIdentification", "ID")
	l.SKU = sellerID.val()
	var gtinNode, anyStd *xnode
	sids := item.children("StandardItemIdentification")
	for i, sid := range sids {
		id := sid.child("ID")
		if id == nil || id.text == "" {
			continue
		}
		if anyStd == nil {
			anyStd = id
		}
		scheme, ok := id.attr("schemeID")
		if !ok || scheme == "" {
			s.warnAt(pos(id, elemPath(ipath, "StandardItemIdentification", i, len(sids))+"/ID"), "gtin", l.SKU, "BII2-T19-R021", "a standard item identifier should name its scheme (schemeID=\"0160\" for a GTIN)")
			if gtinNode == nil && allDigits(id.text) {
				gtinNode = id
			}
		} else if scheme == "0160" && gtinNode == nil {
			gtinNode = id
		}
	}
	l.GTIN = gtinNode.val()
	if l.SKU == "" {
		switch {
		case anyStd == nil:
			s.errorAt(pos(item, ipath), "sku", "", "BII2-T19-R020", "the item has neither a seller's item identifier nor a standard identifier")
			bad |= fSKU
		default:
			l.SKU = anyStd.text
			s.warnAt(pos(anyStd, ipath+"/StandardItemIdentification/ID"), "sku", l.SKU, "", "the item has no SellersItemIdentification; its standard identifier is used as the SKU")
		}
	}

	// Name (BII2-T19-R019), description, classification (R022).
	l.Description = collapse(item.child("Description").val())
	l.Name = collapse(item.child("Name").val())
	if l.Name == "" {
		s.warnAt(pos(item, ipath+"/Name"), "name", l.SKU, "BII2-T19-R019", "the item should have a name")
		l.Name = l.Description
	}
	ccs := item.children("CommodityClassification")
	for i, cc := range ccs {
		code := cc.child("ItemClassificationCode")
		if code == nil {
			continue
		}
		scheme, ok := code.attr("listID")
		if !ok || scheme == "" {
			s.warnAt(pos(code, elemPath(ipath, "CommodityClassification", i, len(ccs))+"/ItemClassificationCode"), "category", l.SKU, "BII2-T19-R022", "a classification code should name its scheme (listID, e.g. UNSPSC or CPV)")
		}
		if l.Category == "" {
			l.Category, l.CategoryScheme = code.text, scheme
		}
	}

	// The pack: OrderableUnit holds ContentUnitQuantity (unitCode: the base
	// unit), else PackSizeNumeric pieces (C62), else one of itself.
	u.pack(n, item, path, &l, &bad)
	checked |= fUnit | fBaseUnit // unit codes are checked with their rule ids by checkCodes

	// Line validity (R006) and BII2-T19-R017.
	lineFrom, lineTo := time.Time{}, time.Time{}
	if lv := n.child("LineValidityPeriod"); lv != nil {
		lineFrom, lineTo = u.period(lv, path+"/LineValidityPeriod")
		u.within(lv, path+"/LineValidityPeriod", lineFrom, lineTo, u.s.doc.ValidFrom, u.s.doc.ValidTo, "BII2-T19-R017", "the line's validity period should lie within the catalogue's", l.SKU)
	}
	u.orderQuantities(n, path, &l)

	item0 := l
	priced := 0
	rilqs := n.children("RequiredItemLocationQuantity")
	for k, q := range rilqs {
		price := q.child("Price")
		if price == nil {
			continue
		}
		priced++
		qpath := elemPath(path, "RequiredItemLocationQuantity", k, len(rilqs))
		pl := item0
		pbad, pchecked := bad, checked
		pl.Pos = pos(price, qpath+"/Price")
		amount := price.child("PriceAmount")
		at := u.locator(n, item, q, path, qpath)
		if amount == nil || amount.text == "" {
			s.errorAt(at(fPackPrice), "pack_price", pl.SKU, "", "the price has no PriceAmount")
			pbad |= fPackPrice
		} else {
			a, err := parseDecimal(amount.text, styleXML)
			if err != nil {
				s.errorAt(at(fPackPrice), "pack_price", pl.SKU, "", "PriceAmount: "+err.Error())
				pbad |= fPackPrice
			}
			pl.ListedPrice = ListedPrice{Amount: a, Quantity: one, Unit: pl.PackUnit}
			pl.Currency, _ = amount.attr("currencyID")
			if pl.Currency == "" {
				s.errorAt(at(fCurrency), "currency", pl.SKU, "", "PriceAmount has no currencyID")
				pbad |= fCurrency
			} else if !validCurrency(pl.Currency) {
				pbad |= fCurrency // reported by checkCodes (OP-T19-011)
			} else {
				s.currencies[pl.Currency] = struct{}{}
			}
			pchecked |= fCurrency
			if pbad&fPackPrice == 0 {
				u.normalisePrice(price, qpath+"/Price", &pl, &pbad)
			}
		}
		u.minQty(q, qpath, &pl, &pbad, &pchecked)
		// Price validity (R006) and BII2-T19-R018; the most specific period applies.
		pl.ValidFrom, pl.ValidTo = firstDate(lineFrom, u.s.doc.ValidFrom), firstDate(lineTo, u.s.doc.ValidTo)
		if pv := price.child("ValidityPeriod"); pv != nil {
			from, to := u.period(pv, qpath+"/Price/ValidityPeriod")
			u.within(pv, qpath+"/Price/ValidityPeriod", from, to, lineFrom, lineTo, "BII2-T19-R018", "the price's validity period should lie within the line's", pl.SKU)
			pl.ValidFrom, pl.ValidTo = firstDate(from, pl.ValidFrom), firstDate(to, pl.ValidTo)
		}
		pchecked |= fValidFrom | fValidTo // periods were checked with their rule ids
		s.checkLine(&pl, pbad, pchecked, at)
		checked |= itemFields // the item is checked once, with its first price
	}
	if priced == 0 {
		at := u.locator(n, item, nil, path, path+"/RequiredItemLocationQuantity")
		switch l.Action {
		case ActionDelete:
		case ActionUpdate:
			// An Update may change an item's other fields only: it keeps
			// its current price (and pack).
			l.NoPrice = true
		default:
			s.errorAt(pos(n, path+"/RequiredItemLocationQuantity/Price"), "pack_price", l.SKU, "", "the line has no price (cac:RequiredItemLocationQuantity/cac:Price)")
			bad |= fPackPrice | fCurrency
		}
		l.MinQty = 1
		l.ValidFrom, l.ValidTo = firstDate(lineFrom, u.s.doc.ValidFrom), firstDate(lineTo, u.s.doc.ValidTo)
		s.checkLine(&l, bad, checked|fValidFrom|fValidTo, at)
	}
}

// itemFields describe the item rather than one of its prices.
const itemFields = fSKU | fName | fDescription | fGTIN | fCategory

// elemPath is base/name, indexed (1-based) when name is repeated, as the
// paths of checkCodes are.
func elemPath(base, name string, i, count int) string {
	if count > 1 {
		return fmt.Sprintf("%s/%s[%d]", base, name, i+1)
	}
	return base + "/" + name
}

func firstDate(a, b time.Time) time.Time {
	if !a.IsZero() {
		return a
	}
	return b
}

// locator maps line fields to the UBL elements they come from.
func (u *ublReader) locator(n, item, q *xnode, path, qpath string) locator {
	return func(f field) Position {
		ipath := path + "/Item"
		switch f {
		case fSKU:
			if c := item.at("SellersItemIdentification", "ID"); c != nil {
				return pos(c, ipath+"/SellersItemIdentification/ID")
			}
			return pos(item, ipath)
		case fName:
			return pos(firstNode(item.child("Name"), item), ipath+"/Name")
		case fDescription:
			return pos(firstNode(item.child("Description"), item), ipath+"/Description")
		case fGTIN:
			return pos(firstNode(item.at("StandardItemIdentification", "ID"), item), ipath+"/StandardItemIdentification/ID")
		case fCategory:
			return pos(firstNode(item.at("CommodityClassification", "ItemClassificationCode"), item), ipath+"/CommodityClassification/ItemClassificationCode")
		case fUnit:
			return unitSource(n, path)
		case fPackContent, fBaseUnit:
			if c := n.child("ContentUnitQuantity"); c != nil {
				return pos(c, path+"/ContentUnitQuantity")
			}
			if c := item.child("PackSizeNumeric"); c != nil {
				return pos(c, ipath+"/PackSizeNumeric")
			}
			return unitSource(n, path) // the content is one of the orderable unit
		case fPackPrice, fCurrency:
			return pos(firstNode(q.at("Price", "PriceAmount"), q, n), qpath+"/Price/PriceAmount")
		case fMinQty:
			return pos(firstNode(q.child("MinimumQuantity"), q, n), qpath+"/MinimumQuantity")
		case fValidFrom, fValidTo:
			return pos(firstNode(q.at("Price", "ValidityPeriod"), n.child("LineValidityPeriod"), n), qpath+"/Price/ValidityPeriod")
		}
		return pos(n, path)
	}
}

func firstNode(ns ...*xnode) *xnode {
	for _, n := range ns {
		if n != nil {
			return n
		}
	}
	return nil
}

// unitSource is where a line's orderable unit comes from: its
// OrderableUnit, else the first price's BaseQuantity unitCode (a line
// sold per the unit it is priced in), else the line itself. Problems name
// only elements that are in the document.
func unitSource(n *xnode, path string) Position {
	if ou := n.child("OrderableUnit"); ou != nil {
		return pos(ou, path+"/OrderableUnit")
	}
	rilqs := n.children("RequiredItemLocationQuantity")
	for k, q := range rilqs {
		if bq := q.at("Price", "BaseQuantity"); bq != nil {
			if c, ok := bq.attr("unitCode"); ok && c != "" {
				return pos(bq, elemPath(path, "RequiredItemLocationQuantity", k, len(rilqs))+"/Price/BaseQuantity")
			}
		}
	}
	return pos(n, path)
}

// pack fills the pack unit, content and base unit of l.
func (u *ublReader) pack(n, item *xnode, path string, l *Line, bad *field) {
	s := u.s
	ou := n.child("OrderableUnit")
	l.PackUnit = ou.val()
	if ou != nil && !validUnit(l.PackUnit, FormatUBL) {
		*bad |= fUnit // reported by checkCodes (OP-T19-010)
	}
	cuq := n.child("ContentUnitQuantity")
	psn := item.child("PackSizeNumeric")
	var content decimal.Decimal
	switch {
	case cuq != nil:
		c, err := parseDecimal(cuq.text, styleXML)
		if err != nil {
			s.errorAt(pos(cuq, path+"/ContentUnitQuantity"), "pack_content", l.SKU, "", "ContentUnitQuantity: "+err.Error())
			*bad |= fPackContent
		}
		content = c
		code, ok := cuq.attr("unitCode")
		switch {
		case !ok || code == "":
			s.errorAt(pos(cuq, path+"/ContentUnitQuantity"), "base_unit", l.SKU, "", "ContentUnitQuantity has no unitCode, so the base unit is unknown")
			*bad |= fBaseUnit
		case !validUnit(code, FormatUBL):
			*bad |= fBaseUnit // reported by checkCodes (OP-T19-002)
		}
		l.BaseUnit = code
		if psn != nil {
			if p, err := parseDecimal(psn.text, styleXML); err == nil && *bad&fPackContent == 0 && !p.Equal(content) {
				s.warnAt(pos(psn, path+"/Item/PackSizeNumeric"), "pack_content", l.SKU, "", fmt.Sprintf("PackSizeNumeric %s differs from ContentUnitQuantity %s; ContentUnitQuantity is used", p, content))
			}
		}
	case psn != nil:
		c, err := parseDecimal(psn.text, styleXML)
		if err != nil {
			s.errorAt(pos(psn, path+"/Item/PackSizeNumeric"), "pack_content", l.SKU, "", "PackSizeNumeric: "+err.Error())
			*bad |= fPackContent
		}
		content, l.BaseUnit = c, "C62"
	default:
		content = one
	}
	l.PackContent = content
	if l.Action == ActionDelete && ou == nil && cuq == nil && psn == nil {
		return // a deletion names the item; its pack does not matter
	}
	if l.Action == ActionUpdate && ou == nil && cuq == nil && psn == nil && !hasPrice(n) {
		// An Update without a price or pack keeps the item's current
		// ones (domain, when the list takes effect): nothing to check.
		*bad |= fUnit | fBaseUnit | fPackContent
		return
	}
	if l.PackUnit == "" && *bad&fUnit == 0 {
		if cuq != nil || psn != nil {
			s.errorAt(pos(n, path), "unit", l.SKU, "", "the line gives the content of a pack but not its unit (cbc:OrderableUnit)")
			*bad |= fUnit
		} else {
			// Sold by the unit its price is given in, else by the piece.
			l.PackUnit = "C62"
			from := ""
			for _, q := range n.children("RequiredItemLocationQuantity") {
				if c, ok := q.at("Price", "BaseQuantity").attr("unitCode"); ok && c != "" {
					l.PackUnit, from = c, ", the unit of its price's BaseQuantity"
					if !validUnit(c, FormatUBL) {
						*bad |= fUnit // reported by checkCodes (OP-T19-002), at that BaseQuantity
					}
					break
				}
			}
			// The warning is about the line, so it points at the line (an
			// absent OrderableUnit has no place in the document).
			s.warnAt(pos(n, path), "unit", l.SKU, "", fmt.Sprintf("the line has no OrderableUnit; the item is taken to be sold per %s%s", l.PackUnit, from))
		}
	}
	if l.BaseUnit == "" {
		l.BaseUnit = l.PackUnit
		if *bad&fUnit != 0 {
			*bad |= fBaseUnit
		}
	}
}

// normalisePrice turns PriceAmount per BaseQuantity into a pack price.
func (u *ublReader) normalisePrice(price *xnode, ppath string, l *Line, bad *field) {
	s := u.s
	q, unit := one, l.PackUnit
	bq := price.child("BaseQuantity")
	if bq != nil {
		v, err := parseDecimal(bq.text, styleXML)
		switch {
		case err != nil:
			s.errorAt(pos(bq, ppath+"/BaseQuantity"), "pack_price", l.SKU, "", "BaseQuantity: "+err.Error())
			*bad |= fPackPrice
			return
		case !v.IsPositive():
			s.errorAt(pos(bq, ppath+"/BaseQuantity"), "pack_price", l.SKU, "", fmt.Sprintf("BaseQuantity must be greater than 0, not %s", v))
			*bad |= fPackPrice
			return
		}
		q = v
		if c, ok := bq.attr("unitCode"); ok && c != "" {
			unit = c
		}
	}
	l.ListedPrice.Quantity, l.ListedPrice.Unit = q, unit
	if *bad&(fUnit|fBaseUnit|fPackContent) != 0 {
		*bad |= fPackPrice // the pack is unknown, so is its price
		return
	}
	a := l.ListedPrice.Amount
	var num decimal.Decimal
	if qp, ok := inPacks(q, unit, l); ok {
		num, q = a, qp // A for qp packs
	} else if c, exact, err := pricing.ConvertUnitExact(l.PackContent, l.BaseUnit, unit); err == nil && exact {
		num = a.Mul(c) // A for q units; a pack holds c of them (1 LBR is 0.45359237 KGM)
	} else if qb, ok := inBaseUnits(q, unit, l); ok {
		num, q = a.Mul(l.PackContent), qb // A for qb base units; a pack holds PackContent
	} else {
		s.errorAt(pos(bq, ppath+"/BaseQuantity"), "pack_price", l.SKU, "", fmt.Sprintf("the price is given per %s, which is neither the orderable unit %s nor convertible to the content unit %s, so it cannot be turned into a pack price", unit, l.PackUnit, l.BaseUnit))
		*bad |= fPackPrice
		return
	}
	packPrice, exact, err := pricing.PackPriceOf(num, q)
	if err != nil { // q is positive: BaseQuantity is checked above
		s.errorAt(pos(bq, ppath+"/BaseQuantity"), "pack_price", l.SKU, "", "BaseQuantity: "+err.Error())
		*bad |= fPackPrice
		return
	}
	l.PackPrice = packPrice
	if !exact {
		s.warnAt(pos(bq, ppath+"/BaseQuantity"), "pack_price", l.SKU, "", fmt.Sprintf("%s %s for %s %s makes a pack price of %s after rounding to %d decimals", a, l.Currency, q, unit, l.PackPrice, maxDecimals))
	}
}

// minQty reads MinimumQuantity (tier threshold) as whole packs, and
// MaximumQuantity (the price applies up to it, in whole packs) with the
// rules BII2-T19-R029 and R031.
func (u *ublReader) minQty(q *xnode, qpath string, l *Line, bad, checked *field) {
	s := u.s
	*checked |= fMinQty
	l.MinQty = 1
	mq := q.child("MinimumQuantity")
	var minV decimal.Decimal
	if mq != nil {
		mpath := qpath + "/MinimumQuantity"
		v, err := parseDecimal(mq.text, styleXML)
		if err != nil {
			s.errorAt(pos(mq, mpath), "min_qty", l.SKU, "", "MinimumQuantity: "+err.Error())
			*bad |= fMinQty
		} else {
			minV = v
			unit, _ := mq.attr("unitCode")
			packs := v
			if vp, ok := inPacks(v, unit, l); unit != "" && ok {
				packs = vp
			} else if unit != "" && unit != l.PackUnit {
				vb, ok := inBaseUnits(v, unit, l)
				if !ok || *bad&(fPackContent|fBaseUnit) != 0 {
					s.errorAt(pos(mq, mpath), "min_qty", l.SKU, "", fmt.Sprintf("MinimumQuantity is given in %s, which is neither the orderable unit %s nor convertible to the content unit %s", unit, l.PackUnit, l.BaseUnit))
					*bad |= fMinQty
				} else if p, r := vb.QuoRem(l.PackContent, 0); r.IsZero() {
					packs = p
				} else {
					packs = vb.DivRound(l.PackContent, maxDecimals) // not whole: reported below
				}
			}
			if *bad&fMinQty == 0 {
				switch {
				case !v.IsPositive():
					s.errorAt(pos(mq, mpath), "min_qty", l.SKU, "BII2-T19-R030", fmt.Sprintf("MinimumQuantity must be greater than zero, not %s (a warning in PEPPOL; a price tier below one pack cannot be stored)", v))
					*bad |= fMinQty
				case !packs.IsInteger() || packs.LessThan(one):
					s.errorAt(pos(mq, mpath), "min_qty", l.SKU, "", fmt.Sprintf("MinimumQuantity %s %s is not a whole number of packs of %s %s", v, unit, l.PackContent, l.BaseUnit))
					*bad |= fMinQty
				case packs.GreaterThan(decimal.NewFromInt(1_000_000_000)):
					s.errorAt(pos(mq, mpath), "min_qty", l.SKU, "", fmt.Sprintf("MinimumQuantity %s is too large", v))
					*bad |= fMinQty
				default:
					l.MinQty = packs.IntPart()
				}
			}
		}
	}
	if xq := q.child("MaximumQuantity"); xq != nil {
		xpath := qpath + "/MaximumQuantity"
		if v, err := parseDecimal(xq.text, styleXML); err != nil {
			s.errorAt(pos(xq, xpath), "MaximumQuantity", l.SKU, "", "MaximumQuantity: "+err.Error())
		} else if !v.IsPositive() {
			s.warnAt(pos(xq, xpath), "MaximumQuantity", l.SKU, "BII2-T19-R029", "MaximumQuantity should be greater than zero")
		} else if mq != nil && *bad&fMinQty == 0 && v.LessThan(minV) {
			s.warnAt(pos(xq, xpath), "MaximumQuantity", l.SKU, "BII2-T19-R031", fmt.Sprintf("MaximumQuantity %s is less than MinimumQuantity %s; the price is taken to have no maximum", v, minV))
		} else {
			// The price applies up to this many packs (whole packs: down).
			unit, _ := xq.attr("unitCode")
			packs, ok := quantityInPacks(v, unit, l)
			switch {
			case !ok:
				s.warnAt(pos(xq, xpath), "MaximumQuantity", l.SKU, "", fmt.Sprintf("MaximumQuantity is given in %s, which is neither the orderable unit %s nor convertible to the content unit %s; the price is taken to have no maximum", unit, l.PackUnit, l.BaseUnit))
			case packs.LessThan(one) || packs.Floor().IntPart() < l.MinQty:
				s.warnAt(pos(xq, xpath), "MaximumQuantity", l.SKU, "BII2-T19-R031", fmt.Sprintf("MaximumQuantity %s %s is less than the price's minimum of %d packs; the price is taken to have no maximum", v, unit, l.MinQty))
			default:
				l.MaxQty = clampPacks(packs.Floor())
			}
		}
	}
}

// inPacks converts quantity q of unit into packs of l: the orderable unit
// itself, or, for an orderable unit that is a piece or a measure, another
// unit of its dimension (a price per EA of a bottle sold as H87).
func inPacks(q decimal.Decimal, unit string, l *Line) (decimal.Decimal, bool) {
	if unit == l.PackUnit {
		return q, true
	}
	if pu, err := pricing.LookupUnit(l.PackUnit); err != nil || pu.IsPackage() || !pricing.SameDimension(unit, l.PackUnit) {
		return decimal.Decimal{}, false
	}
	v, exact, err := pricing.ConvertUnitExact(q, unit, l.PackUnit)
	return v, err == nil && exact
}

// inBaseUnits converts quantity q of unit into l's base unit, exactly:
// the base unit itself, or another unit of its dimension (a price per LTR
// of a pack holding MLT). Package units convert only to themselves.
func inBaseUnits(q decimal.Decimal, unit string, l *Line) (decimal.Decimal, bool) {
	if unit == l.BaseUnit {
		return q, true
	}
	if l.BaseUnit == "" || !pricing.SameDimension(unit, l.BaseUnit) {
		return decimal.Decimal{}, false
	}
	v, err := pricing.ConvertUnit(q, unit, l.BaseUnit)
	return v, err == nil
}

// orderQuantities reads how the line's item may be ordered into l, and
// applies BII2-T19-R026 and R031 to its orderable quantities:
// OrderableIndicator (false: listed for information only),
// MinimumOrderQuantity, MaximumOrderQuantity (in their unitCode: the
// orderable unit, or a unit the pack converts to) and
// OrderQuantityIncrementNumeric (in orderable units), kept as whole packs.
// A quantity that is not whole packs is rounded to the packs that keep
// the supplier's rule (the minimum up, the maximum down) with a warning;
// an increment that is not whole packs is not enforced (a warning says so).
func (u *ublReader) orderQuantities(n *xnode, path string, l *Line) {
	sku := l.SKU
	if oi := n.child("OrderableIndicator"); oi != nil {
		switch strings.TrimSpace(oi.text) {
		case "true", "1":
		case "false", "0":
			l.NotOrderable = true
		default:
			u.s.errorAt(pos(oi, path+"/OrderableIndicator"), "OrderableIndicator", sku, "", fmt.Sprintf("OrderableIndicator %q must be true or false", oi.text))
		}
	}
	vals := map[string]decimal.Decimal{}
	for _, name := range []string{"MinimumOrderQuantity", "MaximumOrderQuantity", "OrderQuantityIncrementNumeric"} {
		c := n.child(name)
		if c == nil {
			continue
		}
		v, err := parseDecimal(c.text, styleXML)
		if err != nil {
			u.s.errorAt(pos(c, path+"/"+name), name, sku, "", name+": "+err.Error())
			continue
		}
		if !v.IsPositive() {
			u.s.errorAt(pos(c, path+"/"+name), name, sku, "BII2-T19-R026", fmt.Sprintf("%s must be greater than zero, not %s", name, v))
			continue
		}
		vals[name] = v
		unit := ""
		if name != "OrderQuantityIncrementNumeric" {
			unit, _ = c.attr("unitCode")
		}
		packs, ok := quantityInPacks(v, unit, l)
		if !ok {
			u.s.warnAt(pos(c, path+"/"+name), name, sku, "", fmt.Sprintf("%s is given in %s, which is neither the orderable unit %s nor convertible to the content unit %s; it is not enforced", name, unit, l.PackUnit, l.BaseUnit))
			continue
		}
		whole := packs.IsInteger()
		switch name {
		case "MinimumOrderQuantity":
			l.MinOrderQty = clampPacks(packs.Ceil())
		case "MaximumOrderQuantity":
			l.MaxOrderQty = clampPacks(packs.Floor())
		case "OrderQuantityIncrementNumeric":
			if whole {
				l.OrderMultiple = clampPacks(packs)
			}
		}
		if !whole {
			what := "rounded to whole packs"
			if name == "OrderQuantityIncrementNumeric" {
				what = "not enforced (orders are in whole packs)"
			}
			u.s.warnAt(pos(c, path+"/"+name), name, sku, "", fmt.Sprintf("%s %s %s is not a whole number of packs of %s %s; it is %s", name, v, unit, l.PackContent, l.BaseUnit, what))
		}
	}
	minV, okMin := vals["MinimumOrderQuantity"]
	maxV, okMax := vals["MaximumOrderQuantity"]
	if okMin && okMax && maxV.LessThan(minV) {
		c := n.child("MaximumOrderQuantity")
		u.s.warnAt(pos(c, path+"/MaximumOrderQuantity"), "MaximumOrderQuantity", sku, "BII2-T19-R031", fmt.Sprintf("MaximumOrderQuantity %s is less than MinimumOrderQuantity %s", maxV, minV))
	}
}

// quantityInPacks converts quantity q of unit ("" or the orderable unit:
// packs) into packs of l, possibly not whole; ok is false for a unit that
// is neither the orderable unit nor convertible to its content.
func quantityInPacks(q decimal.Decimal, unit string, l *Line) (decimal.Decimal, bool) {
	if unit == "" || unit == l.PackUnit {
		return q, true
	}
	if v, ok := inPacks(q, unit, l); ok {
		return v, true
	}
	if l.PackContent.IsPositive() {
		if vb, ok := inBaseUnits(q, unit, l); ok {
			return vb.DivRound(l.PackContent, maxDecimals), true
		}
	}
	return decimal.Decimal{}, false
}

// clampPacks is a whole number of packs as stored: at least 1, at most
// a billion.
func clampPacks(d decimal.Decimal) int64 {
	return min(max(d.IntPart(), 1), 1_000_000_000)
}

// within warns (rule) when the period from-to is not inside outerFrom-outerTo.
// Open ends are unbounded.
func (u *ublReader) within(n *xnode, path string, from, to, outerFrom, outerTo time.Time, rule, msg, sku string) {
	out := (!outerFrom.IsZero() && ((!from.IsZero() && from.Before(outerFrom)) || (!to.IsZero() && to.Before(outerFrom)))) ||
		(!outerTo.IsZero() && ((!to.IsZero() && to.After(outerTo)) || (!from.IsZero() && from.After(outerTo))))
	if out {
		u.s.warnAt(pos(n, path), n.name, sku, rule, fmt.Sprintf("%s (%s to %s, outside %s to %s)", msg, fmtOpen(from), fmtOpen(to), fmtOpen(outerFrom), fmtOpen(outerTo)))
	}
}

func fmtOpen(t time.Time) string {
	if t.IsZero() {
		return "open"
	}
	return fmtDate(t)
}

// hasPrice reports whether CatalogueLine n has a price.
func hasPrice(n *xnode) bool {
	for _, q := range n.children("RequiredItemLocationQuantity") {
		if q.child("Price") != nil {
			return true
		}
	}
	return false
}
