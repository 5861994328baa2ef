package suppliers

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"

	"andel/domain"
)

// OutboundClient returns the HTTP client for requests the server sends on
// a supplier's behalf (feeds, webhooks): each connection's address is
// checked against policy after DNS resolution, so a name that resolves to
// a private address, or a redirect to one, is refused at connect time as
// the URL's literal address was at save time. No environment proxy is
// used (it would hide the address from the check), and at most 5
// redirects are followed, over http or https only.
func OutboundClient(policy domain.OutboundPolicy, timeout time.Duration) *http.Client {
	dialer := &net.Dialer{
		Timeout:   10 * time.Second,
		KeepAlive: 30 * time.Second,
		Control: func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("outbound: %s: %w", address, err)
			}
			if err := policy.CheckAddr(ap.Addr()); err != nil {
				return &refusedAddressError{err}
			}
			return nil
		},
	}
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			DialContext:           dialer.DialContext,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          20,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: 30 * time.Second,
		},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("outbound: more than 5 redirects")
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("outbound: a redirect to %s is not followed", req.URL.Scheme)
			}
			return nil
		},
	}
}

// refusedAddressError is a connection the policy refused.
type refusedAddressError struct{ err error }

func (e *refusedAddressError) Error() string { return "outbound: " + e.err.Error() }
func (e *refusedAddressError) Unwrap() error { return e.err }

// ErrRefusedAddress reports whether err is a connection refused by the
// outbound policy.
func ErrRefusedAddress(err error) bool {
	var r *refusedAddressError
	return errors.As(err, &r)
}
