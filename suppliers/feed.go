package suppliers

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"andel/domain"
)

// FeedFetcher pulls suppliers' catalogue feeds with conditional GETs
// (If-None-Match, If-Modified-Since) and imports changed ones like uploads.
type FeedFetcher struct {
	Importer *Importer
	Client   *http.Client
}

// NewFeedFetcher returns a fetcher that imports through im and fetches
// with client (OutboundClient: public addresses only).
func NewFeedFetcher(im *Importer, client *http.Client) *FeedFetcher {
	return &FeedFetcher{Importer: im, Client: client}
}

// FeedCounts says what a round of fetches did.
type FeedCounts struct {
	Fetched, NotModified, Imported, Unchanged, Rejected, Failed int64
}

// FetchAll fetches every feed once. A feed that fails (network, HTTP
// status, unreadable body) is recorded and tried again next round; it
// never touches the active catalogue. A rejected list is recorded as such.
func (ff *FeedFetcher) FetchAll(ctx context.Context) (FeedCounts, error) {
	var c FeedCounts
	feeds, err := ff.Importer.Catalogue.Feeds(ctx)
	if err != nil {
		return c, err
	}
	for _, f := range feeds {
		status, err := ff.fetch(ctx, &f)
		switch {
		case err != nil:
			c.Failed++
			status = "failed"
		case status == "not-modified":
			c.NotModified++
		case status == "unchanged":
			c.Unchanged++
		case status == "rejected":
			c.Rejected++
		default:
			c.Imported++
		}
		if status != "failed" {
			c.Fetched++
		}
		if rerr := ff.Importer.Catalogue.RecordFeedFetch(ctx, f, status, err); rerr != nil {
			return c, rerr
		}
		if ctx.Err() != nil {
			return c, ctx.Err()
		}
	}
	return c, nil
}

// fetch does one conditional GET and imports a changed body. It updates
// f's validators from the answer.
func (ff *FeedFetcher) fetch(ctx context.Context, f *domain.Feed) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.URL, nil)
	if err != nil {
		return "", err
	}
	if f.ETag != "" {
		req.Header.Set("If-None-Match", f.ETag)
	}
	if f.LastModified != "" {
		req.Header.Set("If-Modified-Since", f.LastModified)
	}
	req.Header.Set("Accept", "text/csv, application/json, application/xml;q=0.9, "+XLSXMediaType+";q=0.8")
	res, err := ff.Client.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	switch {
	case res.StatusCode == http.StatusNotModified:
		return "not-modified", nil
	case res.StatusCode != http.StatusOK:
		return "", fmt.Errorf("feed answered %s", res.Status)
	}
	body := bufio.NewReader(res.Body)
	contentType, err := feedContentType(res.Header.Get("Content-Type"), body)
	if err != nil {
		return "", err
	}
	rec, err := ff.Importer.Receive(ctx, f.SupplierID, contentType, body, "feed")
	if err != nil {
		return "", err
	}
	f.ETag, f.LastModified = res.Header.Get("ETag"), res.Header.Get("Last-Modified")
	if !rec.Created {
		rec.Close()
		return "unchanged", nil
	}
	pl, err := ff.Importer.Load(ctx, rec, nil)
	if err != nil {
		return "", err
	}
	if pl.Status == domain.PriceListRejected {
		return "rejected", nil // recorded with its problems; the catalogue is untouched
	}
	return "imported", nil
}

// feedContentType trusts a Content-Type this package reads; otherwise (a
// web server's generic text/plain or octet-stream) it looks at the first
// byte: '<' is XML, '{' or '[' JSON, a zip an .xlsx workbook, anything
// else CSV.
func feedContentType(header string, body *bufio.Reader) (string, error) {
	if _, _, err := DetectFormat(header); err == nil {
		return header, nil
	}
	charset := ""
	if _, params, err := mime.ParseMediaType(header); err == nil {
		charset = params["charset"]
	}
	peek, err := body.Peek(64)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return "", err
	}
	t := strings.TrimLeft(strings.TrimPrefix(string(peek), "\ufeff"), " \t\r\n")
	ct := "text/csv"
	switch {
	case strings.HasPrefix(t, "<"):
		ct = "application/xml"
	case strings.HasPrefix(t, "{"), strings.HasPrefix(t, "["):
		ct = "application/json"
	case strings.HasPrefix(string(peek), "PK\x03\x04"): // a zip: an .xlsx workbook
		return XLSXMediaType, nil
	}
	if charset != "" {
		ct += "; charset=" + charset
	}
	return ct, nil
}
