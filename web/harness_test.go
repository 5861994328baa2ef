package web_test

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"andel/api"
	"andel/app"
	"andel/domain"
	"andel/internal/demo"
	"andel/internal/pgtest"
	"andel/internal/testclock"
	"andel/jobs"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The browser tests drive Debian's chromium (scripts/need.sh installs it)
// through chromedp against the real server (api.New over a throwaway
// PostgreSQL, behind httptest). One browser serves the whole test binary;
// each test gets its own browser context (its own cookies) and tab.

func TestMain(m *testing.M) { pgtest.Main(m, closeBrowser) }

//go:embed testdata/axe/axe-4.14.1.min.js
var axeSource string

// chromiumPath finds the browser: CHROMIUM, chromium on PATH, or Debian's.
func chromiumPath() (string, error) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	return "", fmt.Errorf("chromium not found (install it: scripts/need.sh chromium)")
}

var (
	browserOnce   sync.Once
	browserCtx    context.Context
	browserCancel = func() {}
	browserErr    error
	userDataDir   string
)

// browser starts the one headless chromium of this binary on first use.
func browser(t testing.TB) context.Context {
	t.Helper()
	browserOnce.Do(func() {
		path, err := chromiumPath()
		if err != nil {
			browserErr = err
			return
		}
		userDataDir, err = os.MkdirTemp("", "andel-chromium-")
		if err != nil {
			browserErr = err
			return
		}
		opts := []chromedp.ExecAllocatorOption{
			chromedp.ExecPath(path),
			chromedp.UserDataDir(userDataDir),
			chromedp.Headless,
			chromedp.NoSandbox, // as root (CI) chromium refuses to start with its sandbox
			chromedp.DisableGPU,
			chromedp.NoFirstRun,
			chromedp.NoDefaultBrowserCheck,
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-extensions", true),
			chromedp.Flag("disable-dev-shm-usage", true),
			chromedp.Flag("metrics-recording-only", true),
			chromedp.Flag("no-default-browser-check", true),
			chromedp.Flag("hide-scrollbars", true),
		}
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelCtx := chromedp.NewContext(alloc)
		if err := chromedp.Do(ctx); err != nil { // starts the browser
			cancelCtx()
			cancelAlloc()
			browserErr = err
			return
		}
		browserCtx = ctx
		browserCancel = func() { cancelCtx(); cancelAlloc() }
	})
	if browserErr != nil {
		t.Fatalf("browser: %v", browserErr)
	}
	return browserCtx
}

func closeBrowser() {
	browserCancel()
	if userDataDir != "" {
		_ = os.RemoveAll(userDataDir)
	}
}

// site is one test's running program: the real server over its own
// database with the demo cooperative.
type site struct {
	t    testing.TB
	svc  *app.Services
	srv  *api.Server
	http *httptest.Server
	// clock is the server's clock (domain.Options.Clock): the real time
	// until a test Sets it (past a tender's deadline, say).
	clock *testclock.Clock
	demo  *demo.Summary // the demo's logins and supplier API keys
}

func newSite(t testing.TB) *site {
	t.Helper()
	db := pgtest.DB(t)
	clock := &testclock.Clock{}
	svc := app.New(db, domain.Options{Clock: clock.Now})
	seeded, err := demo.Seed(context.Background(), svc.Services, "")
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	// The jobs runner of the program (cmd/andel wires the same): the
	// staff's jobs page starts jobs through it.
	srv := api.New(svc, api.Config{Logger: log, Jobs: jobs.NewRunner(svc, log)})
	t.Cleanup(srv.Close)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &site{t: t, svc: svc, srv: srv, http: ts, clock: clock, demo: seeded}
}

// tab is one person at a browser: a browser context of their own (own
// cookies) at a viewport size.
type tab struct {
	t    testing.TB
	ctx  context.Context
	base string
	// visited counts the pages axe checked.
	visited    []string
	mu         sync.Mutex
	foreign    []string // requests that left the server's origin
	pageErrors []string // script errors and CSP refusals
}

// viewports the pages are tested at: a tablet (the practice) and a phone.
var (
	tablet = [2]int64{1024, 768}
	phone  = [2]int64{390, 844}
)

// tab opens a browser whose language (Accept-Language) is lang.
func (s *site) tab(t testing.TB, size [2]int64, lang string) *tab {
	t.Helper()
	origin, _ := url.Parse(s.http.URL)
	tb := &tab{t: t, base: s.http.URL}
	ctx, cancel := chromedp.NewContext(browser(t), chromedp.WithNewBrowserContext(),
		chromedp.WithListener(func(ev any) {
			// A page's script error or a CSP refusal (an inline style or
			// script, a foreign source) fails the test.
			switch e := ev.(type) {
			case *cdplog.EventEntryAdded:
				if e.Entry.Source == cdplog.EntrySourceSecurity || strings.Contains(e.Entry.Text, "Content Security Policy") {
					tb.mu.Lock()
					tb.pageErrors = append(tb.pageErrors, e.Entry.Text)
					tb.mu.Unlock()
				}
			case *runtime.EventExceptionThrown:
				tb.mu.Lock()
				tb.pageErrors = append(tb.pageErrors, e.ExceptionDetails.Text)
				tb.mu.Unlock()
			}
			if e, ok := ev.(*network.EventRequestWillBeSent); ok {
				u, err := url.Parse(e.Request.URL)
				if err == nil && u.Scheme != "data" && u.Host != origin.Host {
					tb.mu.Lock()
					tb.foreign = append(tb.foreign, e.Request.URL)
					tb.mu.Unlock()
				}
			}
		}))
	t.Cleanup(cancel)
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders,
		network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": lang}}); err != nil {
		t.Fatal(err)
	}
	tctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelTimeout)
	tb.ctx = tctx
	tb.do(chromedp.EmulateViewport(size[0], size[1]))
	t.Cleanup(func() {
		tb.mu.Lock()
		defer tb.mu.Unlock()
		if len(tb.foreign) > 0 {
			t.Errorf("requests left the server's origin: %v", tb.foreign)
		}
		if len(tb.pageErrors) > 0 {
			t.Errorf("the pages reported errors: %v", tb.pageErrors)
		}
	})
	return tb
}

// do runs browser actions and fails the test on an error.
func (tb *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatalf("browser: %v (at %s)", err, tb.location())
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](tb *tab, expr string, opts ...chromedp.EvaluateOption) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		tb.t.Fatalf("browser: %v (at %s)", err, tb.location())
	}
	return v
}

func (tb *tab) location() string {
	loc, _ := chromedp.Run(tb.ctx, chromedp.Location())
	return loc
}

// open navigates to path and checks the page with axe.
func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.do(chromedp.Navigate(tb.base + path))
	tb.axe()
}

// text returns the visible text of the first element matching sel.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		tb.t.Fatalf("browser: text of %s: %v (at %s)", sel, err, tb.location())
	}
	return s
}

// attr returns an attribute of the first element matching sel.
func (tb *tab) attr(sel, name string) string {
	tb.t.Helper()
	r, err := chromedp.Run(tb.ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
	if err != nil {
		tb.t.Fatalf("browser: %s of %s: %v", name, sel, err)
	}
	return r.Value
}

// count returns how many elements match sel (none is 0, not a wait).
func (tb *tab) count(sel string) int {
	tb.t.Helper()
	return eval[int](tb, fmt.Sprintf("document.querySelectorAll(%q).length", sel))
}

// path returns the current path and query.
func (tb *tab) path() string {
	u, _ := url.Parse(tb.location())
	return u.RequestURI()
}

type axeViolation struct {
	ID, Impact, Help string
	Nodes            []string
}

// axe runs axe-core in the page and fails the test on any serious or
// critical violation.
func (tb *tab) axe() {
	tb.t.Helper()
	if !eval[bool](tb, `typeof window.axe !== "undefined"`) {
		if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[*runtime.RemoteObject](axeSource)); err != nil {
			tb.t.Fatalf("injecting axe: %v", err)
		}
	}
	raw := eval[string](tb, `axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(
		r.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v => ({
			id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" ")) }))))`,
		chromedp.EvalAwaitPromise)
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		tb.t.Fatalf("axe: %v: %s", err, raw)
	}
	p := tb.path()
	tb.visited = append(tb.visited, p)
	for _, v := range vs {
		tb.t.Errorf("axe on %s: %s (%s): %s at %s", p, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, ", "))
	}
}

// login fills in the login form the page shows and submits it.
func (tb *tab) login(email string) {
	tb.t.Helper()
	tb.do(
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), email),
		chromedp.SendKeys(chromedp.CSS(`#password`), demo.Password),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`#password`)),
	)
}

// submit clicks a button that sends a form and waits for the next page.
func (tb *tab) submit(sel string) {
	tb.t.Helper()
	before := eval[float64](tb, `performance.timeOrigin`)
	tb.do(chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	tb.waitNewPage(before)
	tb.axe()
}

// waitNewPage waits until a page other than the one loaded at before has
// loaded completely.
func (tb *tab) waitNewPage(before float64) {
	tb.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]float64](`[performance.timeOrigin, document.readyState === "complete" ? 1 : 0]`))
		if err == nil && len(v) == 2 && v[0] != before && v[1] == 1 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	tb.t.Fatalf("no new page after a submit (at %s)", tb.location())
}
