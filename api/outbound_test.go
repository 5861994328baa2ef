package api_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"sync/atomic"
	"testing"

	"andel/domain"
	"andel/internal/demo"
)

// TestOutboundRequestsOnlyToPublicAddresses: a supplier cannot point its
// feed or webhook at the server's own network: loopback, private,
// link-local and metadata addresses and local names are refused when
// saved, and a URL that reaches such an address anyway (a name resolving
// there, a redirect, a row written behind the API's back) is refused when
// connecting, so nothing is sent.
func TestOutboundRequestsOnlyToPublicAddresses(t *testing.T) {
	// Only 127.0.0.2 is allowed here (standing in for a public host):
	// 127.0.0.1 stands for the server's own network.
	e := newEnvWith(t, domain.Options{Outbound: domain.OutboundPolicy{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.2/32")}}})
	admin := e.login(demo.AdminEmail)
	sid := e.supplierOf(e.demoKey(1))
	path := "/api/v1/suppliers/" + itoa(sid)
	for _, u := range []string{"http://127.0.0.1:8080/orders", "http://169.254.169.254/latest/meta-data/",
		"http://10.0.0.5/x", "http://[::1]/x", "http://[fd00:ec2::254]/x", "http://192.168.1.1/x", "http://0.0.0.0/x",
		"http://[::ffff:127.0.0.1]/x", "http://user:pw@orders.example.dk/x", "gopher://orders.example.dk/"} {
		res := admin.do("PATCH", path, map[string]string{"order_webhook_url": u, "catalogue_feed_url": u})
		if res.status != http.StatusUnprocessableEntity {
			t.Errorf("%s was saved: %d", u, res.status)
			continue
		}
		if f := res.problemFields(); !slices.Contains(f, "order_webhook_url") || !slices.Contains(f, "catalogue_feed_url") {
			t.Errorf("%s: problems %v", u, f)
		}
	}

	// Connect time: the internal receiver counts what reaches it.
	var hits atomic.Int64
	internal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer internal.Close()
	// An allowed host that redirects into the internal network.
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("no second loopback address here: %v", err)
	}
	redirector := &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, internal.URL+"/stolen", http.StatusTemporaryRedirect)
	})}}
	redirector.Start()
	defer redirector.Close()

	// A row written behind the API's back pointing inside, and a feed that
	// redirects inside: neither reaches the internal server.
	e.svc.DB.Exec("UPDATE suppliers SET order_webhook_url = ?, catalogue_feed_url = ? WHERE id = ?",
		internal.URL+"/orders", redirector.URL+"/prices.csv", sid)
	wh := e.svc.Webhook
	if err := wh.Deliver(t.Context(), domain.OutboxMessage{WebhookURL: internal.URL + "/orders", Body: []byte("{}"), DeliveryID: "x"}); err == nil {
		t.Error("a webhook to the server's own network was delivered")
	}
	if err := wh.Deliver(t.Context(), domain.OutboxMessage{WebhookURL: redirector.URL + "/orders", Body: []byte("{}"), DeliveryID: "y"}); err == nil {
		t.Error("a webhook redirected into the server's own network was delivered")
	}
	if run := admin.runJob("catalog-refresh"); run["status"] != "succeeded" {
		t.Errorf("catalog-refresh %v", run)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the internal server got %d requests", n)
	}
}
