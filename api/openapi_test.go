package api_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var echoParam = regexp.MustCompile(`:(\w+)`)

// TestOpenAPIMatchesRoutes fails when a registered /api/v1 route is missing
// from the served OpenAPI document, or the document lists a route that
// does not exist.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := newEnv(t)
	res := e.anonymous().do("GET", "/api/v1/openapi.json", nil).expect(http.StatusOK)
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(res.body, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
			var o struct {
				Responses map[string]json.RawMessage `json:"responses"`
			}
			if err := json.Unmarshal(op, &o); err != nil || len(o.Responses) == 0 {
				t.Errorf("%s %s documents no responses", method, path)
			}
		}
	}
	registered := map[string]bool{}
	for _, r := range e.srv.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") || strings.HasSuffix(r.Path, "*") || !isHTTPMethod(r.Method) {
			continue
		}
		registered[r.Method+" "+echoParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	for _, k := range sortedKeys(registered) {
		if !documented[k] {
			t.Errorf("route %s is not in openapi.json", k)
		}
	}
	for _, k := range sortedKeys(documented) {
		if !registered[k] {
			t.Errorf("openapi.json documents %s, which is not a route", k)
		}
	}
}

func isHTTPMethod(m string) bool {
	switch m {
	case "GET", "POST", "PUT", "PATCH", "DELETE":
		return true
	}
	return false
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func TestHealthReadinessMetricsAndProblems(t *testing.T) {
	e := newEnv(t)
	c := e.anonymous()
	c.do("GET", "/healthz", nil).expect(http.StatusOK)
	c.do("GET", "/readyz", nil).expect(http.StatusOK)
	// Unknown paths under /api/v1: 401 until the caller is known, then 404.
	c.do("GET", "/api/v1/nowhere", nil).expect(http.StatusUnauthorized).problemFields()
	e.login("board@demo.andel").do("GET", "/api/v1/nowhere", nil).expect(http.StatusNotFound).problemFields()
	c.do("GET", "/api/v1/members/", nil).expect(http.StatusUnauthorized).problemFields()
	// /metrics needs its token; without it, it is not there.
	c.do("GET", "/metrics", nil).expect(http.StatusNotFound)
	c.doRaw("GET", "/metrics", nil, map[string]string{"Authorization": "Bearer wrong"}).expect(http.StatusNotFound)
	metrics := c.doRaw("GET", "/metrics", nil, map[string]string{"Authorization": "Bearer " + testMetricsToken}).expect(http.StatusOK)
	for _, want := range []string{"andel_http_requests_total", "andel_http_request_duration_seconds", `url="/readyz"`} {
		if !strings.Contains(string(metrics.body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	res := c.do("GET", "/healthz", nil)
	if res.header.Get("X-Request-Id") == "" {
		t.Error("no X-Request-Id on responses")
	}
}

func TestJobsByHand(t *testing.T) {
	e := newEnv(t)
	admin := e.login("admin@demo.andel")
	run := admin.runJob("housekeeping")
	if run["status"] != "succeeded" || run["trigger"] != "manual" {
		t.Errorf("run = %v", run)
	}
	admin.do("POST", "/api/v1/jobs/no-such-job/run", nil).expect(http.StatusNotFound)
	e.login("board@demo.andel").do("POST", "/api/v1/jobs/housekeeping/run", nil).expect(http.StatusForbidden)
	board := e.login("board@demo.andel")
	if got := board.do("GET", "/api/v1/job-runs/"+itoa(int64(run["id"].(float64))), nil).expect(http.StatusOK).json(); got["status"] != "succeeded" {
		t.Errorf("run read back %v", got)
	}
	board.do("GET", "/api/v1/job-runs/987654", nil).expect(http.StatusNotFound)
	e.login("practice@demo.andel").do("GET", "/api/v1/job-runs/"+itoa(int64(run["id"].(float64))), nil).expect(http.StatusForbidden)
	runs := board.do("GET", "/api/v1/job-runs?job=housekeeping", nil).expect(http.StatusOK).json()
	if n := len(runs["items"].([]any)); n != 1 {
		t.Errorf("%d housekeeping runs listed, want 1", n)
	}
}
