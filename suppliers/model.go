package suppliers

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// Format is a price-list format, chosen from the upload's Content-Type.
type Format string

// The price-list formats Parse reads.
const (
	FormatCSV  Format = "csv"  // text/csv
	FormatJSON Format = "json" // application/json
	FormatUBL  Format = "ubl"  // application/xml or text/xml: PEPPOL BIS Catalogue 3
	FormatXLSX Format = "xlsx" // application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
)

// Action says what a catalogue or a line does to what the receiver already
// holds. Only UBL catalogues carry action codes; CSV and JSON lists are
// always complete lists (Document.Action is ActionReplace, Line.Action is
// ActionAdd).
type Action string

// Action codes of PEPPOL BIS Catalogue 3. Lines use Add, Update and Delete;
// the catalogue header uses all four, and Replace is its default.
const (
	ActionAdd     Action = "Add"     // header: first catalogue for the contract; line: new item
	ActionReplace Action = "Replace" // header only: replaces the whole previous catalogue
	ActionUpdate  Action = "Update"  // header: changes some lines of the current catalogue; line: changed item
	ActionDelete  Action = "Delete"  // header: deletes the catalogue; line: removes the item
)

// Party is a party named in a UBL catalogue header (provider, receiver,
// seller or contracting customer). Fields are empty when absent.
type Party struct {
	EndpointID       string // cbc:EndpointID, e.g. "987654325"
	EndpointScheme   string // its schemeID, e.g. "0192" (Peppol EAS code)
	ID               string // first cac:PartyIdentification/cbc:ID, e.g. a GLN
	IDScheme         string // its schemeID, e.g. "0088" (GLN)
	Name             string // cac:PartyName/cbc:Name, else PartyLegalEntity/RegistrationName
	CompanyID        string // cac:PartyLegalEntity/cbc:CompanyID, e.g. a CVR or VAT number
	CompanyIDScheme  string // its schemeID
	RegistrationName string // cac:PartyLegalEntity/cbc:RegistrationName
}

// Document is what a price list says about itself as a whole. Parse
// returns it once the whole body has been read.
type Document struct {
	Format Format
	// Charset is the encoding the body was read in, by its WHATWG name:
	// "utf-8", "utf-16le", "windows-1252" (also for a body labelled
	// ISO-8859-1 or latin1, which Windows-1252 extends) ...
	Charset string

	// Action is the catalogue action: the UBL header ActionCode (Replace when
	// absent, the PEPPOL default); always ActionReplace for CSV and JSON.
	Action Action

	// Currency is the list's single currency when every line uses the same
	// one (or the JSON document's "currency"); empty when lines mix
	// currencies. Currencies lists every valid currency seen, sorted.
	// Whether a currency other than the cooperative's has an exchange rate
	// is for the caller to decide.
	Currency   string
	Currencies []string

	// ValidFrom and ValidTo bound the whole list (UBL cac:ValidityPeriod,
	// JSON "valid_from"/"valid_to"); zero when absent. Dates are UTC
	// midnight.
	ValidFrom, ValidTo time.Time

	// UBL header fields; empty for CSV and JSON.
	ID              string    // cbc:ID, the catalogue's own identifier
	Name            string    // cbc:Name
	IssueDate       time.Time // cbc:IssueDate
	VersionID       string    // cbc:VersionID
	CustomizationID string    // cbc:CustomizationID
	ProfileID       string    // cbc:ProfileID
	ContractID      string    // cac:ReferencedContract/cbc:ID
	Provider        *Party    // cac:ProviderParty: who sends the catalogue
	Receiver        *Party    // cac:ReceiverParty: who receives it
	Seller          *Party    // cac:SellerSupplierParty/cac:Party
	Customer        *Party    // cac:ContractorCustomerParty/cac:Party
}

// Line is one price point of a price list: one item at one minimum
// quantity. A quantity tier is another Line with the same SKU and a larger
// MinQty (in CSV another row, in JSON an entry of "tiers", in UBL another
// cac:RequiredItemLocationQuantity). Lines are flat so that they stream and
// copy into a table one by one; group them by SKU to build an offer with
// its tiers.
//
// Every Line that Parse emits has passed the checks listed in the package
// documentation; amounts are exact decimals, codes are upper case.
type Line struct {
	Pos    Position // where the line (CSV row, JSON object, UBL price) is in the body
	LineID string   // UBL cac:CatalogueLine/cbc:ID; empty for CSV and JSON
	Action Action   // ActionAdd, ActionUpdate or ActionDelete (UBL); ActionAdd for CSV and JSON

	SKU            string // the supplier's item number (UBL: SellersItemIdentification/ID)
	Name           string
	Description    string
	GTIN           string // as given (8, 12, 13 or 14 digits, valid check digit); empty when not given
	Category       string // category or classification code (UBL: ItemClassificationCode)
	CategoryScheme string // UBL: the classification's listID (e.g. "MP", "UNSPSC"); empty otherwise

	// The item is sold in packs. PackUnit is the UN/ECE Rec 20 code of the
	// pack ("BX", "PK", "C62"); one pack holds PackContent (> 0) units of
	// BaseUnit ("EA", "MLT", "GRM"). A pack sold by the piece has PackUnit
	// = BaseUnit and PackContent = 1.
	PackUnit    string
	PackContent decimal.Decimal
	BaseUnit    string
	// UnitWritten is the pack unit as the list wrote it when that is not
	// its code ("æsk" for XBX, CSV and JSON); empty when the list wrote the
	// code (always in UBL, whose unitCode is the code).
	UnitWritten string

	// PackPrice is the price of one pack in Currency, at MinQty packs or
	// more. For UBL it is normalised from PriceAmount per BaseQuantity
	// (kept in ListedPrice) and rounded to 6 decimals when that division is
	// not exact (a warning says so). A UBL ActionDelete line identifies an
	// item to remove: its pack and price fields are what the document gave,
	// possibly empty or zero.
	PackPrice decimal.Decimal
	Currency  string // ISO 4217, e.g. "DKK"; empty when NoPrice
	// NoPrice marks a UBL Update (or Delete) line without a price: PEPPOL
	// does not require one. An Update keeps the item's current price and
	// pack (domain: at activation); PackPrice and Currency are empty.
	NoPrice bool
	MinQty  int64 // tier threshold in packs, >= 1 (1 when not given)

	// ValidFrom and ValidTo bound this price (zero when open). They are
	// the most specific period given: UBL price, else UBL line, else the
	// list's period (JSON and UBL); for CSV the row's own columns.
	ValidFrom, ValidTo time.Time

	// MaxQty bounds this price: it applies up to MaxQty packs (UBL
	// MaximumQuantity; CSV/JSON max_qty); 0: no bound.
	MaxQty int64

	// How the item may be ordered, the same for all its prices:
	// NotOrderable marks a line listed for information only (UBL
	// OrderableIndicator false; CSV/JSON orderable nej/false);
	// MinOrderQty, MaxOrderQty and OrderMultiple bound the packs of one
	// order (UBL MinimumOrderQuantity, MaximumOrderQuantity,
	// OrderQuantityIncrementNumeric; CSV/JSON min_order_qty, max_order_qty,
	// order_multiple); 0 is no rule.
	NotOrderable  bool
	MinOrderQty   int64
	MaxOrderQty   int64
	OrderMultiple int64

	// ListedPrice is the price exactly as written in the document, before
	// normalisation to a pack price.
	ListedPrice ListedPrice
}

// ListedPrice is a price as the document states it: Amount for Quantity
// units of Unit. CSV and JSON state a pack price, so Quantity is 1 and Unit
// is the pack unit.
type ListedPrice struct {
	Amount   decimal.Decimal
	Quantity decimal.Decimal
	Unit     string
}

// Position locates something in the uploaded body, for people to find it.
type Position struct {
	// Line is the 1-based line number in the body: the CSV record's first
	// line, the line where a JSON line object starts, the line of an XML
	// element's start tag. 0 when the problem concerns the whole list.
	Line int
	// Column is the 1-based column (CSV field, XML element); 0 when unknown.
	Column int
	// Path names the place structurally: "lines[3].tiers[0]" (JSON),
	// "/Catalogue/CatalogueLine[2]/RequiredItemLocationQuantity[1]/Price"
	// (UBL); for CSV the empty string.
	Path string
}

// Severity tells whether a problem rejects the list.
type Severity string

// Severities. A list with any SeverityError problem must be rejected as a
// whole; warnings are shown to the supplier but do not stop the list.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Problem is one thing wrong with a price list.
type Problem struct {
	Severity Severity
	Position
	Field   string // normalised field name ("gtin", "pack_price") or UBL element name; empty for whole-row problems
	SKU     string // the row's SKU when known, to help people find it
	Rule    string // PEPPOL rule id (e.g. "BII2-T19-R015") when the problem is one; empty otherwise
	Message string
}

// String renders p for logs and tests:
// "error line 4:13 [gtin]: GTIN "5701234567898" has a wrong check digit".
func (p Problem) String() string {
	s := string(p.Severity)
	if p.Line > 0 {
		s += fmt.Sprintf(" line %d", p.Line)
		if p.Column > 0 {
			s += fmt.Sprintf(":%d", p.Column)
		}
	}
	if p.Path != "" {
		s += " " + p.Path
	}
	if p.Field != "" {
		s += " [" + p.Field + "]"
	}
	if p.Rule != "" {
		s += " " + p.Rule
	}
	return s + ": " + p.Message
}

// Report is the outcome of checking a whole price list.
type Report struct {
	RowsRead     int // data rows read: CSV records (blank rows skipped), JSON line objects, UBL CatalogueLines
	RowsValid    int // rows without errors, whose lines were emitted
	LinesEmitted int // Lines passed to emit (a row with tiers gives several)

	Errors   int // errors found, stored or not
	Warnings int // warnings found, stored or not

	// Problems holds the first Options.MaxProblems errors and the first
	// Options.MaxProblems warnings, in the order they were found (which is
	// body order, except whole-list problems, found at the end). Omitted
	// counts those not stored.
	Problems []Problem
	Omitted  int

	// Stopped is true when parsing could not go on to the end of the body
	// (a syntax error, an unreadable header, an oversized record); the
	// last error problem says why. Rows after that point were not checked.
	Stopped bool
}

// HasErrors reports whether the list must be rejected.
func (r *Report) HasErrors() bool { return r.Errors > 0 }

// Options tune Parse. The zero value is ready to use.
type Options struct {
	// MaxProblems caps how many errors, and separately how many warnings,
	// the Report stores (default 1000 each), so that a broken million-line
	// list does not fill memory. Counts stay exact.
	MaxProblems int
	// ListChecksElsewhere leaves the checks across lines (the same SKU and
	// min_qty twice; tiers of one SKU describing different packs) to the
	// caller, which must then make them itself: the importer does, as
	// domain.SKUChecks, applied per SKU by the bulk loader (package
	// internal/pgload) while the lines stream into the database. Without
	// these checks the parser's memory does not grow with the list at all.
	ListChecksElsewhere bool
	// Sheet names the worksheet of an .xlsx body to read; "" is the
	// first sheet.
	Sheet string
}

// ErrUnsupportedMediaType is returned (wrapped) by Parse and DetectFormat
// when the Content-Type names no format Parse reads, or a charset it does
// not know. An HTTP handler answers 415.
var ErrUnsupportedMediaType = errors.New("unsupported media type")

// ErrEmit wraps an error returned by the emit callback, so that callers can
// tell their own storage failures from the body's problems.
var ErrEmit = errors.New("emit")
