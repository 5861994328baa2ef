// Package suppliers owns Andel's exchanges with suppliers, in both
// directions. Inbound, the price-list formats suppliers upload: it reads a
// body in CSV, JSON, PEPPOL BIS Catalogue 3 UBL or an Excel workbook
// (.xlsx) and turns it into a stream
// of normalised price-list lines (Line) and a complete problem report
// (Report). The format readers (Parse, ParseFormat) are pure: they touch no
// database, network or file. Importer and FeedFetcher (importer.go,
// feed.go) bring bodies from uploads and supplier feeds into the catalogue
// through package domain (whose bulk loader, internal/pgload, writes them).
// Outbound, the delivery of orders to suppliers (webhook.go: a signed
// JSON POST, domain.Deliverer; PEPPOL Order later), for the order outbox
// whose rules stay in domain. HTTP handling of our own API and the jobs
// are the callers'.
//
// # Use
//
//	doc, rep, err := suppliers.Parse(body, r.Header.Get("Content-Type"), suppliers.Options{},
//		func(l suppliers.Line) error { return stage(l) }) // e.g. pgx CopyFrom rows
//	switch {
//	case errors.Is(err, suppliers.ErrUnsupportedMediaType): // 415
//	case err != nil: // reading the body or staging failed: a 5xx or retry
//	case rep.HasErrors(): // reject the list: 422 with rep.Problems
//	default: // commit the staged lines with doc's header
//	}
//
// Parse streams: emit is called for each line while the body is read, and
// memory does not grow with the body, except for the whole-list checks
// (the same SKU and min_qty twice; the tiers of one SKU describing
// different packs; UBL line ids used twice), which keep a 16-byte hash per
// distinct key: about 75 MB of live heap for a million lines. One record (a
// CSV record or JSON value, 1 MiB; a UBL CatalogueLine, 16 MiB) is bounded,
// so an unclosed quote cannot make the whole rest of a file one field. The
// caller bounds the body itself (http.MaxBytesReader).
//
// Only lines of rows without errors are emitted; a list with any error must
// still be rejected as a whole. Problems are collected, never stopping at
// the first; Options.MaxProblems caps how many are stored (counts stay
// exact). Parse stops early only when it cannot go on (a syntax error it
// cannot resynchronise after, an unusable CSV header); Report.Stopped says so.
//
// # Lines and tiers
//
// A Line is one price point: an item (SKU, name, GTIN, category), its pack
// (PackUnit holding PackContent of BaseUnit, e.g. XBX of 100 EA), and the
// PackPrice in Currency from MinQty packs. Quantity tiers are further Lines
// with the same SKU and a larger MinQty, in every format, so that lines
// stream one by one; group them by SKU to build an offer and its tiers.
// UBL prices given per BaseQuantity are normalised to a pack price (the
// original is kept in Line.ListedPrice). Validity is resolved to the most
// specific period given (price, line, list).
//
// # Checks (all formats)
//
// Errors: a missing required field (sku, name, unit, pack_content,
// base_unit, pack_price, currency); a GTIN that is not 8, 12, 13 or 14
// digits (a wrong check digit, domain.ValidGTIN, is a warning: the line is
// kept without its GTIN, which no PEPPOL rule checks); an unknown unit (with
// the nearest codes and words suggested, pricing.SuggestUnits); a pack that
// package pricing cannot price per base unit (pricing.Pack.Validate: a
// package holding any count or measure, a piece holding one count or any
// measure, a measure holding one of itself or pieces; a package of
// packages needs its inner content); a non-numeric or negative price; more than 6 decimals; pack
// content not > 0; min_qty not a whole number >= 1; a validity period that
// ends before it starts; an unknown currency (ISO 4217, pricing); the same
// SKU and min_qty twice; tiers of one SKU with different gtin, unit,
// pack_content, base_unit or currency; an empty list; text longer than
// 128 (sku), 1000 (name), 10000 (description) or 256 (category) characters,
// or with control characters. Warnings: a price of 0; an exact Rec 20 code
// that is also a Danish word for another unit (STK "stick" for stk, FL
// "flake ton" for fl); a unit word, shown back once per list with its code
// ("stk (H87, piece)"); tier prices that rise
// with the quantity within one JSON line or UBL CatalogueLine (CSV tiers
// in separate rows are not compared). Which currencies need an
// exchange rate is the caller's decision: Document.Currencies lists them.
//
// # Formats
//
// The format comes from the Content-Type (DetectFormat): text/csv,
// application/json, application/xml or text/xml. Its charset parameter is
// honoured; without one, CSV and JSON are read as UTF-8 (a byte-order mark
// is honoured, UTF-8 or UTF-16); a CSV body that is not UTF-8 is read as
// Windows-1252 (Danish spreadsheet exports), a JSON one refused (RFC 8259:
// JSON is UTF-8), as is a lone surrogate escape; UBL follows its XML
// declaration.
// Numbers are parsed exactly from their text (pricing.ParseAmount), never
// through a float; ambiguous numbers are refused with a message saying how
// to write them.
//
// CSV: a header row names the columns, in any order, by English or Danish
// name (case-insensitive, trimmed): sku/varenummer, name/varenavn,
// gtin/ean, unit/enhed (the orderable unit: a Rec 20 code, e.g. XBX or H87,
// the withdrawn BX, PK and CT, or a Danish word such as æsk or stk, read
// through pricing.ReadUnit's one table), pack_content/indhold (base units
// per pack), base_unit/basisenhed (e.g. EA, MLT, ml), pack_price/pris,
// currency/valuta, and optionally min_qty/min_antal (packs, default 1),
// valid_from/gyldig_fra, valid_to/gyldig_til, category/kategori,
// description/beskrivelse, and inner_content/inderindhold with
// inner_unit/inderenhed when base_unit is itself a package (a case ks of
// 10 pk with inner 100 stk is a case of 1000 H87). Unknown
// columns are a warning; missing required columns one error naming them
// all. The separator is detected from the header line (or Excel's "sep=;"
// line): a comma-separated list writes 1234.50, a semicolon-separated one
// 1.234,50 (Danish: '.' groups by three, so 1.234 is 1234 and 1.50 is
// refused), a tab-separated one either, refusing 1.234. Dates are
// 2027-01-31 or 31-01-2027 (also 31.01.2027). Blank rows are skipped. A
// tier is another row with the same sku and a larger min_qty. Header names
// may have dots ("Min. antal").
//
// .xlsx: the first sheet (or Options.Sheet) is a table with the CSV header
// rules; each row goes through the same row function as a CSV record
// (tableRow), so units, names and checks are the same. Up to ten title rows
// above the header are skipped with a warning. A number cell is read as
// the exact decimal text Excel stores (never through a float64), a text
// cell as Danish spreadsheet text (1.234,50); date cells are serial numbers
// (1900 or 1904 system), text dates are read as in CSV. Problems name their
// cell (Position.Path "B17"; a row is "17:17"). The workbook is streamed
// with excelize's row iterator (see xlsx.go).
//
// JSON: one object; "currency", "valid_from" and "valid_to" are defaults
// for the lines and must come before "lines", which is read element by
// element with the decoder's token API:
//
//	{
//	  "currency": "DKK",
//	  "valid_from": "2027-01-01",
//	  "valid_to": "2027-12-31",
//	  "lines": [
//	    {"sku": "H-100", "name": "Nitrile gloves M", "gtin": "5701234567899",
//	     "category": "Gloves", "description": "Powder-free",
//	     "unit": "XBX", "pack_content": "100", "base_unit": "EA",
//	     "pack_price": "45.00", "min_qty": "1",
//	     "currency": "DKK", "valid_from": "2027-01-01", "valid_to": "2027-06-30",
//	     "tiers": [{"min_qty": "10", "pack_price": "42.00"},
//	               {"min_qty": "50", "pack_price": "39.50", "valid_to": "2027-03-31"}]}
//	  ]
//	}
//
// Field meanings are those of CSV ("inner_content" and "inner_unit"
// included). Amounts are strings in the plain format ("45.00"): a JSON
// number for pack_price is an error, since money is never a float;
// pack_content, inner_content and min_qty may be strings or numbers. A line
// without "currency", "valid_from" or "valid_to" takes the document's; a
// tier takes everything but its min_qty (required), pack_price (required)
// and validity from its line. Unknown keys are warnings. Problem paths look
// like "lines[3].tiers[0].pack_price".
//
// UBL: a PEPPOL BIS Catalogue 3 Catalogue (Catalogue-2 namespace), read
// token by token, each CatalogueLine decoded on its own. The header gives
// the Document (ID, IssueDate, ActionCode Add/Replace/Update/Delete with
// Replace the default, ValidityPeriod, ReferencedContract, provider,
// receiver, seller and customer parties). Each CatalogueLine gives one Line
// per cac:RequiredItemLocationQuantity with a Price (its MinimumQuantity is
// the tier's min_qty): SKU from Item/SellersItemIdentification/ID (else the
// standard id), GTIN from StandardItemIdentification/ID with schemeID 0160,
// name, description, the first CommodityClassification/ItemClassificationCode
// and its listID, the line ActionCode (Add/Update/Delete; a Delete line
// needs no price), and validity from Price/ValidityPeriod, else
// LineValidityPeriod, else the catalogue's. The pack is OrderableUnit
// holding ContentUnitQuantity (its unitCode is the base unit), else
// Item/PackSizeNumeric pieces (C62), else one of itself (a box without
// content compares only with boxes); unit codes are Rec 20 codes exactly
// (OP-T19-002), no words; without an
// OrderableUnit (a warning) the item is sold per its price's BaseQuantity
// unit, else per C62. PriceAmount is for BaseQuantity units of its unitCode
// (the orderable unit, the content unit, or a unit convertible to it such as
// LTR for MLT) and is normalised to the pack price, rounded to 6 decimals
// with a warning when not exact. A MinimumQuantity in the content unit (or
// one convertible to it) is converted to packs and must come out whole.
// The PEPPOL business and code-list
// rules implemented, and those not, are listed in ubl_rules.go; their ids
// are in Problem.Rule. Positions are the decoder's line and column and an
// element path such as
// "/Catalogue/CatalogueLine[2]/RequiredItemLocationQuantity[1]/Price/PriceAmount".
package suppliers
