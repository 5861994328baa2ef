package domain

import (
	"net/netip"
	"testing"
)

func TestOutboundPolicy(t *testing.T) {
	var public OutboundPolicy
	for _, c := range []struct {
		url string
		ok  bool
	}{
		{"https://orders.example.dk/andel", true},
		{"http://93.184.215.14/feed.csv", true},
		{"https://[2a00:1450:4001:82b::200e]/x", true},
		{"http://localhost/x", false},
		{"http://LOCALHOST./x", false},
		{"http://printer.local/x", false},
		{"http://metadata.google.internal/x", false},
		{"http://metadata/x", false},
		{"http://127.0.0.1/x", false},
		{"http://127.8.9.1/x", false},
		{"http://10.1.2.3/x", false},
		{"http://172.16.0.1/x", false},
		{"http://192.168.0.10/x", false},
		{"http://169.254.169.254/latest/meta-data/", false},
		{"http://100.64.0.1/x", false},
		{"http://0.0.0.0/x", false},
		{"http://[::1]/x", false},
		{"http://[::ffff:10.0.0.1]/x", false},
		{"http://[fe80::1]/x", false},
		{"http://[fd00:ec2::254]/x", false},
		{"http://224.0.0.1/x", false},
		{"http://255.255.255.255/x", false},
		{"ftp://orders.example.dk/x", false},
		{"https://user:secret@orders.example.dk/x", false},
		{"orders.example.dk/x", false},
	} {
		if err := public.CheckURL(c.url); (err == nil) != c.ok {
			t.Errorf("CheckURL(%s) = %v, want ok %v", c.url, err, c.ok)
		}
	}
	private := OutboundPolicy{Allow: []netip.Prefix{netip.MustParsePrefix("10.20.0.0/16")}}
	if err := private.CheckAddr(netip.MustParseAddr("10.20.3.4")); err != nil {
		t.Errorf("an allowed private address is refused: %v", err)
	}
	if err := private.CheckAddr(netip.MustParseAddr("10.21.3.4")); err == nil {
		t.Error("a private address outside the allowed range is reached")
	}
}
