package api

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

// TestForwardedForOnlyFromProxies: X-Forwarded-For names the client only
// when the request came from a configured proxy; anyone else's header is
// ignored (a stranger cannot pose as many addresses to the login throttle).
func TestForwardedForOnlyFromProxies(t *testing.T) {
	req := func(remote, xff string) *http.Request {
		h := httptest.NewRequest("GET", "/", nil)
		h.RemoteAddr = remote
		if xff != "" {
			h.Header.Set("X-Forwarded-For", xff)
		}
		return h
	}
	proxy := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/24")}
	for _, c := range []struct {
		name    string
		trusted []netip.Prefix
		r       *http.Request
		want    string
	}{
		{"no proxies: the header is ignored", nil, req("198.51.100.4:5000", "203.0.113.9"), "198.51.100.4"},
		{"no proxies: loopback's header too", nil, req("127.0.0.1:5000", "203.0.113.9"), "127.0.0.1"},
		{"from the proxy: the client it names", proxy, req("10.0.0.7:5000", "203.0.113.9"), "203.0.113.9"},
		{"from elsewhere: the header is ignored", proxy, req("198.51.100.4:5000", "203.0.113.9"), "198.51.100.4"},
		{"a private address that is not the proxy", proxy, req("192.168.1.2:5000", "203.0.113.9"), "192.168.1.2"},
		{"a forged hop before the proxy is not believed", proxy, req("10.0.0.7:5000", "1.2.3.4, 203.0.113.9"), "203.0.113.9"},
	} {
		if got := ipExtractor(c.trusted)(c.r); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}
