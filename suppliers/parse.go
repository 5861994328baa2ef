package suppliers

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
)

// DetectFormat reads a Content-Type header value: text/csv is FormatCSV,
// application/json FormatJSON, application/xml and text/xml FormatUBL,
// XLSXMediaType FormatXLSX (whose charset is always ""). It
// also returns the charset parameter ("" when absent). Any other media
// type is an error wrapping ErrUnsupportedMediaType.
func DetectFormat(contentType string) (Format, string, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "", "", fmt.Errorf("suppliers: %w: Content-Type %q: %v", ErrUnsupportedMediaType, contentType, err)
	}
	cs := strings.TrimSpace(params["charset"])
	switch mt {
	case "text/csv":
		return FormatCSV, cs, nil
	case "application/json":
		return FormatJSON, cs, nil
	case "application/xml", "text/xml":
		return FormatUBL, cs, nil
	case XLSXMediaType:
		return FormatXLSX, "", nil
	}
	return "", "", fmt.Errorf("suppliers: %w: %q (send text/csv, application/json, application/xml or %s)", ErrUnsupportedMediaType, mt, XLSXMediaType)
}

// Parse reads a price list from r in the format its Content-Type names,
// checks it, and calls emit once for every Line of every row that has no
// error, in body order, while it reads: memory does not grow with the
// body (apart from the whole-list checks, see the package documentation).
// emit may be nil to only check.
//
// The Document and the Report are complete when Parse returns. A list
// whose Report has errors (Report.HasErrors) must be rejected as a whole,
// even though its valid rows were emitted: stage emitted lines and commit
// them only when the report is clean.
//
// The error is nil whenever the body could be read, however bad its
// content: problems with the content are in the Report. It is non-nil
// only when the Content-Type or its charset is not supported (wrapping
// ErrUnsupportedMediaType), when reading r fails (that error, unwrapped),
// or when emit fails (wrapping ErrEmit and emit's error); the Document and
// Report then describe what was read until then.
func Parse(r io.Reader, contentType string, opts Options, emit func(Line) error) (Document, Report, error) {
	f, cs, err := DetectFormat(contentType)
	if err != nil {
		return Document{}, Report{}, err
	}
	return ParseFormat(r, f, cs, opts, emit)
}

// ParseFormat is Parse for a caller that knows the format already (for
// example from a file name): charset is the Content-Type's charset
// parameter, or "" to detect it.
func ParseFormat(r io.Reader, format Format, charset string, opts Options, emit func(Line) error) (Document, Report, error) {
	if emit == nil {
		emit = func(Line) error { return nil }
	}
	doc := Document{Format: format, Action: ActionReplace}
	var rep Report
	s := newList(&rep, &doc, format, opts, emit)
	s.body = &bodyReader{r: r}
	var err error
	emptyRule := ""
	switch format {
	case FormatCSV:
		err = parseCSV(s.body, charset, s)
	case FormatJSON:
		err = parseJSON(s.body, charset, s)
	case FormatUBL:
		emptyRule = "BII2-T19-R023"
		err = parseUBL(s.body, charset, s)
	case FormatXLSX:
		err = parseXLSX(s.body, opts.Sheet, s)
	default:
		return Document{}, Report{}, fmt.Errorf("suppliers: %w: format %q", ErrUnsupportedMediaType, format)
	}
	if errors.Is(err, ErrUnsupportedMediaType) {
		return Document{}, Report{}, err
	}
	s.finishList(emptyRule)
	return doc, rep, err
}

// bodyReader remembers the first failure of the body's reader, so that a
// decoder error caused by it is returned to the caller as that error, and
// every other decoder error becomes a problem of the document.
type bodyReader struct {
	r   io.Reader
	err error
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF && b.err == nil {
		b.err = err
	}
	return n, err
}
