package domain

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"
)

// OutboundPolicy decides where the server may send requests on a
// supplier's behalf (catalogue feeds, order webhooks): public addresses
// only, so that a supplier cannot make the server reach into the network it
// runs in (loopback, private and link-local ranges, the cloud metadata
// address). A private deployment, and the tests, list what they allow.
// The rule is applied twice: to the URL when a supplier saves it (a
// literal address or a local name), and to every address actually
// connected to, after DNS resolution and on every redirect (package
// suppliers' outbound client).
type OutboundPolicy struct {
	// Allow lists ranges reachable although they are not public.
	Allow []netip.Prefix
}

// nonPublic are ranges that are not reachable on the public internet
// beyond what netip's predicates say (IANA special-purpose registry).
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // shared address space (CGNAT)
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and broadcast
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use IPv4/IPv6 translation
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("100::/64"),        // discard-only
	netip.MustParsePrefix("2001::/23"),       // IETF protocol assignments
	netip.MustParsePrefix("fec0::/10"),       // deprecated site-local
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
}

// CheckAddr returns an error unless the server may connect to a.
func (p OutboundPolicy) CheckAddr(a netip.Addr) error {
	a = a.Unmap()
	for _, r := range p.Allow {
		if r.Contains(a) {
			return nil
		}
	}
	bad := !a.IsGlobalUnicast() || a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast()
	for _, r := range nonPublic {
		bad = bad || r.Contains(a)
	}
	if bad {
		return fmt.Errorf("%s is not a public address: the server does not send requests there", a)
	}
	return nil
}

// CheckURL returns an error unless raw is an absolute http or https URL
// whose host may be public: a literal address must pass CheckAddr, and
// local names (localhost, .local, .internal, a name without a dot) are
// refused. Names are checked again, resolved, when connecting.
func (p OutboundPolicy) CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("must be an absolute http or https URL")
	}
	if u.User != nil {
		return fmt.Errorf("must not carry a user name or password")
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if a, err := netip.ParseAddr(host); err == nil {
		return p.CheckAddr(a)
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || strings.HasSuffix(host, ".local") ||
		strings.HasSuffix(host, ".internal") || !strings.Contains(host, ".") {
		if len(p.Allow) == 0 {
			return fmt.Errorf("%s is a local name: the server does not send requests there", host)
		}
	}
	return nil
}
