package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"andel/api"
	"andel/app"
	"andel/domain"
	"andel/internal/demo"
	"andel/internal/pgtest"
	"andel/internal/testclock"
	"andel/jobs"
	"andel/migrations"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// env is one test's running API over its own database with the demo
// cooperative seeded.
type env struct {
	t   testing.TB
	svc *app.Services
	// clock is the services' clock (domain.Options.Clock): the real time
	// until a test Sets it.
	clock *testclock.Clock
	srv   *api.Server
	http  *httptest.Server
	demo  *demo.Summary
	jobs  *jobs.Runner // the server's, to register test jobs on
}

func newEnv(t testing.TB) *env {
	t.Helper()
	return newEnvWith(t, domain.Options{})
}

// testMetricsToken opens /metrics in the tests.
const testMetricsToken = "test-metrics-token"

// newEnvWith is newEnv with services built from opts (app.New, as
// cmd/andel builds them); without a Clock of their own they get the env's.
func newEnvWith(t testing.TB, opts domain.Options) *env {
	t.Helper()
	db := pgtest.DB(t)
	clock := &testclock.Clock{}
	if opts.Clock == nil {
		opts.Clock = clock.Now
	}
	if opts.Outbound.Allow == nil {
		// The tests' suppliers (feeds, webhooks) are httptest servers on
		// loopback; TestOutboundRequestsOnlyToPublicAddresses allows less.
		opts.Outbound.Allow = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	}
	svc := app.New(db, opts)
	seeded, err := demo.Seed(context.Background(), svc.Services, "")
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	runner := jobs.NewRunner(svc, log)
	srv := api.New(svc, api.Config{Logger: log, Jobs: runner, MetricsToken: testMetricsToken,
		// The test client is the load balancer: its X-Forwarded-For stands
		// for the client's address (TestForwardedForOnlyFromProxies).
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")},
		Ready: func(ctx context.Context) error {
			sqlDB, err := db.DB()
			if err != nil {
				return err
			}
			_, err = migrations.Pending(ctx, sqlDB)
			return err
		}})
	t.Cleanup(srv.Close)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &env{t: t, svc: svc, clock: clock, srv: srv, http: ts, demo: seeded, jobs: runner}
}

// client calls the API as one caller: a logged-in person (cookie + CSRF
// token) or a supplier key.
type client struct {
	e      *env
	hc     *http.Client
	csrf   string
	bearer string
	noCSRF bool
}

func (e *env) anonymous() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, hc: &http.Client{Jar: jar}}
}

// login returns a client logged in as email with the demo password.
func (e *env) login(email string) *client {
	e.t.Helper()
	c := e.anonymous()
	res := c.do("POST", "/api/v1/session", map[string]string{"email": email, "password": demo.Password})
	res.expect(http.StatusCreated)
	c.csrf = res.json()["csrf_token"].(string)
	return c
}

// withKey returns a client that sends a supplier's bearer key.
func (e *env) withKey(key string) *client {
	c := e.anonymous()
	c.bearer = key
	return c
}

// demoKey returns the demo API key of the i'th demo supplier (1-based).
func (e *env) demoKey(i int) string {
	for _, k := range e.demo.APIKeys {
		if strings.HasPrefix(k, "andel_demo"+itoa(int64(i))+"_") {
			return k
		}
	}
	e.t.Fatalf("no demo key %d", i)
	return ""
}

type response struct {
	t      testing.TB
	status int
	header http.Header
	body   []byte
}

func (c *client) do(method, path string, body any) *response {
	c.e.t.Helper()
	return c.doWith(method, path, body, nil)
}

// doWith is do with extra request headers.
func (c *client) doWith(method, path string, body any, headers map[string]string) *response {
	c.e.t.Helper()
	if body == nil {
		return c.doRaw(method, path, nil, headers)
	}
	var raw []byte
	if s, ok := body.(string); ok {
		raw = []byte(s)
	} else {
		b, err := json.Marshal(body)
		if err != nil {
			c.e.t.Fatal(err)
		}
		raw = b
	}
	h := map[string]string{"Content-Type": "application/json"}
	for k, v := range headers {
		h[k] = v
	}
	return c.doRaw(method, path, raw, h)
}

// doRaw sends body as it is, with headers.
func (c *client) doRaw(method, path string, body []byte, headers map[string]string) *response {
	c.e.t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, c.e.http.URL+path, rd)
	if err != nil {
		c.e.t.Fatal(err)
	}
	if c.csrf != "" && !c.noCSRF {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.e.t.Fatal(err)
	}
	return &response{t: c.e.t, status: res.StatusCode, header: res.Header, body: b}
}

func (r *response) expect(status int) *response {
	r.t.Helper()
	if r.status != status {
		r.t.Fatalf("status %d, want %d; body: %s", r.status, status, r.body)
	}
	return r
}

func (r *response) json() map[string]any {
	r.t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		r.t.Fatalf("body is not a JSON object: %v: %s", err, r.body)
	}
	return m
}

// problemFields returns the field names of a problem's errors list, after
// checking that the answer is problem+json.
func (r *response) problemFields() []string {
	r.t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		r.t.Fatalf("content type %q, want application/problem+json; body: %s", ct, r.body)
	}
	var p struct {
		Errors []struct{ Field, Message string }
	}
	if err := json.Unmarshal(r.body, &p); err != nil {
		r.t.Fatal(err)
	}
	var fields []string
	for _, e := range p.Errors {
		fields = append(fields, e.Field)
	}
	return fields
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// testWriter sends the server's log to the test's log, shown on failure.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// runJob starts job name by hand (202) and polls its run until it has
// ended, returning the run as answered.
func (c *client) runJob(name string) map[string]any {
	c.e.t.Helper()
	res := c.do("POST", "/api/v1/jobs/"+name+"/run", nil).expect(http.StatusAccepted)
	loc := res.header.Get("Location")
	if run := res.json(); run["status"] != "running" || loc != "/api/v1/job-runs/"+strconv.FormatInt(int64(run["id"].(float64)), 10) {
		c.e.t.Fatalf("started run %v at %q", run, loc)
	}
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		run := c.do("GET", loc, nil).expect(http.StatusOK).json()
		if run["status"] != "running" {
			return run
		}
		if time.Now().After(deadline) {
			c.e.t.Fatalf("job %s still running after a minute", name)
		}
	}
}
