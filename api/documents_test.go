package api_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
)

// expectStyleAllowed checks that a self-contained HTML document's own
// <style> is allowed by the answer's Content-Security-Policy by its hash
// (so a browser applies it), and that nothing else inline is.
func expectStyleAllowed(t *testing.T, r *response) {
	t.Helper()
	start := bytes.Index(r.body, []byte("<style>"))
	end := bytes.Index(r.body, []byte("</style>"))
	if start < 0 || end < start {
		t.Fatalf("no <style> in the document")
	}
	sum := sha256.Sum256(r.body[start+len("<style>") : end])
	policy := r.header.Get("Content-Security-Policy")
	want := "style-src 'self' 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	if !strings.Contains(policy, want) || strings.Contains(policy, "unsafe-inline") || !strings.HasPrefix(policy, "default-src 'self'") {
		t.Errorf("policy %q does not allow exactly the document's style (%s)", policy, want)
	}
}
