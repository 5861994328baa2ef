package suppliers

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"andel/domain"
	"andel/internal/pgload"
	"andel/internal/spool"
)

// Importer brings price-list bodies into the catalogue: it spools a body to
// a temporary file while hashing it (so that an identical upload is
// recognised before any work, and a large one can be answered at once and
// read afterwards), registers the price list, and loads it through the
// format readers of this package into domain.CatalogueService.LoadPriceList.
type Importer struct {
	Catalogue *domain.CatalogueService
	// Loader writes the offers in bulk; nil is pgload.Loader (COPY).
	Loader domain.OfferLoader
	// MaxBytes bounds a body; larger bodies are refused (ErrTooLarge).
	MaxBytes int64
	// TempDir holds spooled bodies ("" is the system's).
	TempDir string
}

// ErrTooLarge is returned for a body over Importer.MaxBytes.
var ErrTooLarge = errors.New("the price list is larger than this server accepts")

// Received is a body spooled and registered as a price list.
type Received struct {
	List *domain.PriceList
	// Created is false when the same body was uploaded before: List is
	// that earlier list and there is nothing to load.
	Created bool
	// Bytes is the body's size.
	Bytes int64
	// Sheet names the worksheet of an .xlsx body to read ("" is the
	// first); set it before Load.
	Sheet   string
	file    string
	spool   *spool.File // open and locked until Close
	format  Format
	charset string
}

// Receive reads body (in the format contentType names) to a temporary file
// while hashing it and registers it as a price list of supplierID. The
// caller must Load or Close the result. Errors: ErrUnsupportedMediaType,
// ErrTooLarge, the domain's (ENOTFOUND for a supplier not the caller's).
func (im *Importer) Receive(ctx context.Context, supplierID int64, contentType string, body io.Reader, source string) (*Received, error) {
	format, charset, err := DetectFormat(contentType)
	if err != nil {
		return nil, err
	}
	f, err := spool.Create(im.TempDir, spoolPrefix) // locked while this process lives
	if err != nil {
		return nil, err
	}
	r := &Received{file: f.Name(), spool: f, format: format, charset: charset}
	h := sha256.New()
	limit := im.MaxBytes
	if limit <= 0 {
		limit = 1 << 30
	}
	// f stays open (and locked) until Close: the lock tells a sweep in
	// another process that the body is alive.
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(body, limit+1))
	if err == nil && n > limit {
		err = fmt.Errorf("%w (%d bytes at most)", ErrTooLarge, limit)
	}
	if err != nil {
		r.Close()
		return nil, err
	}
	r.Bytes = n
	r.List, r.Created, err = im.Catalogue.RegisterPriceList(ctx, domain.Upload{
		SupplierID: supplierID, Format: string(format), ContentType: contentType,
		SHA256: h.Sum(nil), Bytes: n, Source: source,
	})
	if err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// Close removes the spooled body.
func (r *Received) Close() error {
	if r.file == "" {
		return nil
	}
	err := r.spool.Remove()
	r.file, r.spool = "", nil
	return err
}

// Discard forgets a received body that will not be loaded: its spooled
// file, and the list it registered (still validating) when it made one.
func (im *Importer) Discard(ctx context.Context, r *Received) error {
	err := r.Close()
	if r.Created {
		err = errors.Join(err, im.Catalogue.ForgetFailedUpload(ctx, r.List.ID))
	}
	return err
}

// spoolPrefix starts the name of every spooled body; SweepSpool finds
// them by it.
const spoolPrefix = "andel-price-list-"

// SweepSpool removes what killed processes left in the spool folders: the
// spooled bodies and pgload's sorted spools that no living process holds
// (package internal/spool: each is locked by its owner while it lives, so
// another replica's live upload or load stays). andel serve runs it at
// start. It returns how many files it removed.
func (im *Importer) SweepSpool(now time.Time) (int, error) {
	n, err := spool.Sweep(im.TempDir, spoolPrefix, now)
	m, err2 := spool.Sweep("", pgload.SortedSpoolPrefix, now)
	return n + m, errors.Join(err, err2)
}

// Load reads the spooled body into the catalogue and removes it. A list
// with problems comes back rejected, with a nil error. progress, when not
// nil, is called now and then with the bytes of the body read so far and
// its size.
func (im *Importer) Load(ctx context.Context, r *Received, progress func(read, total int64)) (*domain.PriceList, error) {
	defer r.Close()
	if !r.Created {
		return r.List, nil
	}
	f, err := os.Open(r.file)
	if err != nil {
		return nil, errors.Join(err, im.Catalogue.ForgetFailedUpload(ctx, r.List.ID))
	}
	defer f.Close()
	pl, err := im.load(ctx, r, f, progress)
	if err != nil {
		return nil, errors.Join(err, im.Catalogue.ForgetFailedUpload(ctx, r.List.ID))
	}
	return pl, nil
}

// load hands the spooled body f to the catalogue. Each read starts from
// the top of the file: the catalogue reads a list twice when its lines of
// one SKU are not together.
func (im *Importer) load(ctx context.Context, r *Received, f *os.File, progress func(read, total int64)) (*domain.PriceList, error) {
	var loader domain.OfferLoader = pgload.Loader{}
	if im.Loader != nil {
		loader = im.Loader
	}
	return im.Catalogue.LoadPriceList(ctx, r.List.ID, func(emit func(domain.PriceLine) error) (domain.ParseOutcome, error) {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return domain.ParseOutcome{}, err
		}
		var body io.Reader = f
		if progress != nil {
			body = &progressReader{r: f, total: r.Bytes, report: progress}
		}
		doc, rep, err := ParseFormat(body, r.format, r.charset, Options{MaxProblems: domain.MaxStoredProblems, ListChecksElsewhere: true, Sheet: r.Sheet},
			func(l Line) error { return emit(toPriceLine(l)) })
		return toOutcome(doc, rep), err
	}, loader)
}

// progressReader reports how much of a body was read, every 256 KiB.
type progressReader struct {
	r            io.Reader
	read, total  int64
	lastReported int64
	report       func(read, total int64)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.read += int64(n)
	if p.read-p.lastReported >= 256<<10 || (err == io.EOF && p.read != p.lastReported) {
		p.lastReported = p.read
		p.report(p.read, p.total)
	}
	return n, err
}

// toPriceLine converts a parsed line into the domain's.
func toPriceLine(l Line) domain.PriceLine {
	return domain.PriceLine{
		LineNo: int64(l.Pos.Line), Path: l.Pos.Path, Action: strings.ToLower(string(l.Action)),
		SKU: l.SKU, GTIN: l.GTIN, Name: l.Name, Description: l.Description, Category: l.Category,
		PackUnit: l.PackUnit, PackContent: l.PackContent, BaseUnit: l.BaseUnit, UnitWritten: l.UnitWritten,
		PackPrice: l.PackPrice, Currency: l.Currency, MinQty: l.MinQty, NoPrice: l.NoPrice,
		ValidFrom: l.ValidFrom, ValidTo: l.ValidTo,
		MaxQty: l.MaxQty, NotOrderable: l.NotOrderable, MinOrderQty: l.MinOrderQty,
		MaxOrderQty: l.MaxOrderQty, OrderMultiple: l.OrderMultiple,
	}
}

// toOutcome converts what the parser found into the domain's terms.
func toOutcome(doc Document, rep Report) domain.ParseOutcome {
	out := domain.ParseOutcome{
		Header:   domain.PriceListHeader{Action: string(doc.Action), ContractRef: doc.ContractID, ValidFrom: doc.ValidFrom, ValidTo: doc.ValidTo},
		Errors:   int64(rep.Errors),
		Warnings: int64(rep.Warnings),
		RowsRead: int64(rep.RowsRead), RowsValid: int64(rep.RowsValid),
		Problems: make([]domain.PriceListProblem, 0, len(rep.Problems)),
	}
	for _, p := range rep.Problems {
		out.Problems = append(out.Problems, domain.PriceListProblem{
			Severity: string(p.Severity), Line: p.Line, Column: p.Column, Path: p.Path,
			Field: p.Field, SKU: p.SKU, Rule: p.Rule, Message: p.Message,
		})
	}
	return out
}
