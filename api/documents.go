package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"net/http"

	"github.com/labstack/echo/v4"
)

// styledDocument answers a self-contained HTML document (a refund
// statement, a cluster data package) whose look is in its own <style>, so
// it prints and saves as one file. The server's policy (default-src 'self')
// blocks inline styles, so the answer's policy allows exactly the styles
// the document carries, by their hashes, and nothing else inline. The
// styles come from our templates, never from data.
func styledDocument(c echo.Context, doc []byte) error {
	policy := "default-src 'self'"
	var hashes []byte
	rest := doc
	for {
		start := bytes.Index(rest, []byte("<style>"))
		if start < 0 {
			break
		}
		rest = rest[start+len("<style>"):]
		end := bytes.Index(rest, []byte("</style>"))
		if end < 0 {
			break
		}
		sum := sha256.Sum256(rest[:end])
		hashes = append(hashes, " 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'"...)
		rest = rest[end:]
	}
	if hashes != nil {
		policy += "; style-src 'self'" + string(hashes)
	}
	c.Response().Header().Set("Content-Security-Policy", policy)
	return c.HTMLBlob(http.StatusOK, doc)
}
