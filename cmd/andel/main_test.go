package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"andel/internal/pgtest"
)

// runMainEnv makes the test binary run as the andel program itself (its
// arguments are andel's): a test starts it as a second process, the way a
// second terminal would.
const runMainEnv = "ANDEL_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) != "" {
		main()
		os.Exit(0)
	}
	// Whatever the program keeps under its data folder (a private
	// PostgreSQL, the development receipt key) goes to a temporary one,
	// never into the source tree; tests that need their own set it.
	if os.Getenv("ANDEL_DATA_DIR") == "" {
		dir, err := os.MkdirTemp("", "andel-cmd-test-")
		if err != nil {
			panic(err)
		}
		os.Setenv("ANDEL_DATA_DIR", dir)
		pgtest.Main(m, func() { os.RemoveAll(dir) })
		return
	}
	pgtest.Main(m)
}

// andelProcess runs the program as a separate process with args.
func andelProcess(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := osexec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), runMainEnv+"=1")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// startServe runs the real program as `andel serve ARGS...` in the
// background and returns its base URL once it serves, and the function that
// stops it the way Ctrl-C does and returns how it ended.
func startServe(t *testing.T, args ...string) (base string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve"}, args...), strings.NewReader(""), w)
		w.Close()
	}()
	stop = func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(30 * time.Second):
			return errors.New("serve did not stop")
		}
	}
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if rest, ok := strings.CutPrefix(lines.Text(), "Andel is serving on "); ok {
			base = strings.Fields(rest)[0]
			break
		}
	}
	if base == "" {
		cancel()
		t.Fatalf("serve printed no address; exited with %v", <-done)
	}
	go io.Copy(io.Discard, out) // the rest of the welcome text
	t.Cleanup(func() { cancel() })
	return base, stop
}

// loginAdmin logs in over HTTP as the demo admin.
func loginAdmin(t *testing.T, base string) *http.Client {
	t.Helper()
	return login(t, base, "admin@demo.andel", "andel-demo")
}

// login logs in over HTTP and returns a client holding the session.
func login(t *testing.T, base, email, password string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	res, err := hc.Post(base+"/api/v1/session", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("login: %s", res.Status)
	}
	return hc
}

// TestServeEndToEnd runs the real program as `andel serve -seed` against a
// test database, logs in as the demo admin over HTTP, asks who it is, and
// stops it the way Ctrl-C does.
func TestServeEndToEnd(t *testing.T) {
	t.Setenv("DATABASE_URL", pgtest.URL(t))
	t.Setenv("ANDEL_ADDR", "127.0.0.1:0")
	t.Setenv("ANDEL_LOG_LEVEL", "warn")
	t.Setenv("ANDEL_METRICS_TOKEN", "metrics-secret")
	metricsAddr := freeAddr(t)
	t.Setenv("ANDEL_METRICS_ADDR", metricsAddr)

	base, stop := startServe(t, "-seed")
	hc := loginAdmin(t, base)
	res, err := hc.Get(base + "/api/v1/me")
	if err != nil {
		t.Fatal(err)
	}
	var me map[string]any
	json.NewDecoder(res.Body).Decode(&me)
	res.Body.Close()
	if me["role"] != "admin" || me["email"] != "admin@demo.andel" {
		t.Fatalf("me = %v", me)
	}
	if got := getJSON(t, hc, base+"/api/v1/savings?from=2026-01-01&to=2026-12-31")["currency"]; got != "DKK" {
		t.Errorf("savings report in %v, want the default DKK", got)
	}
	for _, path := range []string{"/healthz", "/readyz", "/api/v1/openapi.json"} {
		res, err := hc.Get(base + path)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %v %v", path, res.Status, err)
		}
		res.Body.Close()
	}
	// Metrics: on the main address only with the token; on the private
	// metrics address without one.
	for _, c := range []struct {
		url, token string
		want       int
	}{
		{base + "/metrics", "", http.StatusNotFound},
		{base + "/metrics", "metrics-secret", http.StatusOK},
		{"http://" + metricsAddr + "/metrics", "", http.StatusOK},
	} {
		req, _ := http.NewRequest("GET", c.url, nil)
		if c.token != "" {
			req.Header.Set("Authorization", "Bearer "+c.token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != c.want {
			t.Errorf("GET %s (token %q): %s, want %d", c.url, c.token, res.Status, c.want)
		}
	}

	if err := stop(); err != nil {
		t.Fatalf("serve ended with %v", err)
	}
}

// getJSON GETs path and decodes the JSON object answered with 200.
func getJSON(t *testing.T, hc *http.Client, url string) map[string]any {
	t.Helper()
	res, err := hc.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(res.Body).Decode(&m); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %v", url, res.Status, err)
	}
	return m
}

// The real program configured with ANDEL_CURRENCY=EUR answers in euros all
// the way through: the savings report once stayed in DKK.
func TestServeInAnotherCurrency(t *testing.T) {
	t.Setenv("DATABASE_URL", pgtest.URL(t))
	t.Setenv("ANDEL_ADDR", "127.0.0.1:0")
	t.Setenv("ANDEL_LOG_LEVEL", "warn")
	t.Setenv("ANDEL_CURRENCY", "EUR")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"user", "create", "--email", "board@example.com", "--role", "board"},
		strings.NewReader("board-password-1\n"), &out); err != nil {
		t.Fatalf("user create: %v %s", err, out.String())
	}

	base, stop := startServe(t)
	hc := login(t, base, "board@example.com", "board-password-1")
	if got := getJSON(t, hc, base+"/api/v1/savings?from=2026-01-01&to=2026-12-31")["currency"]; got != "EUR" {
		t.Errorf("savings report in %v, want EUR", got)
	}
	if err := stop(); err != nil {
		t.Fatalf("serve ended with %v", err)
	}
}

// While `andel serve` runs on the private PostgreSQL under the data folder
// (make run), one-shot commands in a second terminal use that server rather
// than stop with "data/postgres is in use", and leave it running.
func TestSecondTerminalUsesServesDatabase(t *testing.T) {
	dir := t.TempDir() // 0700, and so is its parent: the server user must get in when we are root
	for _, d := range []string{dir, filepath.Dir(dir)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("DATABASE_URL", "")
	t.Setenv("ANDEL_DATA_DIR", filepath.Join(dir, "data"))
	t.Setenv("ANDEL_ADDR", "127.0.0.1:0")
	t.Setenv("ANDEL_LOG_LEVEL", "warn")

	base, stop := startServe(t, "-migrate", "-seed")

	if out, err := andelProcess(t, "job", "housekeeping"); err != nil || !strings.Contains(out, "succeeded") {
		t.Errorf("andel job housekeeping beside serve: %v\n%s", err, out)
	}
	if out, err := andelProcess(t, "seed"); err != nil || !strings.Contains(out, "12 practices") {
		t.Errorf("andel seed beside serve: %v\n%s", err, out)
	}
	list := filepath.Join(dir, "liste.csv")
	os.WriteFile(list, []byte("varenummer;varenavn;ean;enhed;indhold;basisenhed;pris;valuta\nK-9;Kompres 5x5;;BX;100;EA;49,95;DKK\n"), 0o644)
	out, err := andelProcess(t, "import", "price-list", list, "--supplier", "1")
	if err != nil || !strings.Contains(out, ": active. 1 rows read, 1 valid") {
		t.Errorf("andel import beside serve: %v\n%s", err, out)
	}
	var id int
	if i := strings.Index(out, "Price list "); i < 0 {
		t.Fatalf("no price list in %q", out)
	} else if _, err := fmt.Sscanf(out[i:], "Price list %d:", &id); err != nil {
		t.Fatalf("no price list id in %q: %v", out, err)
	}

	// serve still runs on its server, and sees what the commands did.
	hc := loginAdmin(t, base)
	res, err := hc.Get(base + "/readyz")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("serve after the commands: %v %v", res.Status, err)
	}
	res.Body.Close()
	res, err = hc.Get(base + "/api/v1/price-lists/" + strconv.Itoa(id))
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("the imported price list through serve: %v %v", res.Status, err)
	}
	res.Body.Close()
	if err := stop(); err != nil {
		t.Fatalf("serve ended with %v", err)
	}
}

func TestCommands(t *testing.T) {
	t.Setenv("DATABASE_URL", pgtest.URL(t))
	t.Setenv("ANDEL_LOG_LEVEL", "warn")
	ctx := context.Background()
	exec := func(stdin string, args ...string) (string, error) {
		var out bytes.Buffer
		err := run(ctx, args, strings.NewReader(stdin), &out)
		return out.String(), err
	}

	if out, err := exec("", "migrate", "status"); err != nil || !strings.Contains(out, "00001_identity.sql") || strings.Contains(out, "pending") {
		t.Errorf("migrate status: %q, %v", out, err)
	}
	if out, err := exec("", "seed"); err != nil || !strings.Contains(out, "12 practices") {
		t.Errorf("seed: %q, %v", out, err)
	}
	if out, err := exec("s3cret-staff-pw\n", "user", "create", "--email", "Staff@Example.com", "--role", "admin"); err != nil || !strings.Contains(out, "staff@example.com (admin)") {
		t.Errorf("user create: %q, %v", out, err)
	}
	if _, err := exec("short\n", "user", "create", "--email", "x@example.com", "--role", "board"); err == nil || !strings.Contains(err.Error(), "password") {
		t.Errorf("short password: %v", err)
	}
	if _, err := exec("long-enough-pw\n", "user", "create", "--email", "x@example.com", "--role", "wizard"); exitCode(err) != 2 {
		t.Errorf("bad role: %v (exit %d)", err, exitCode(err))
	}
	if out, err := exec("", "job", "housekeeping"); err != nil || !strings.Contains(out, "succeeded") {
		t.Errorf("job: %q, %v", out, err)
	}
	if out, err := exec("", "job", "list"); err != nil || !strings.Contains(out, "housekeeping") {
		t.Errorf("job list: %q, %v", out, err)
	}
	if _, err := exec("", "job", "nope"); exitCode(err) != 2 {
		t.Errorf("unknown job: %v", err)
	}
	if _, err := exec("", "frobnicate"); exitCode(err) != 2 {
		t.Errorf("unknown command: %v", err)
	}

	t.Setenv("ANDEL_REQUEST_TIMEOUT", "soon")
	if _, err := exec("", "seed"); err == nil || !strings.Contains(err.Error(), "ANDEL_REQUEST_TIMEOUT") {
		t.Errorf("bad configuration: %v", err)
	}
}

func TestImportPriceList(t *testing.T) {
	t.Setenv("DATABASE_URL", pgtest.URL(t))
	t.Setenv("ANDEL_LOG_LEVEL", "warn")
	ctx := context.Background()
	var out bytes.Buffer
	if err := run(ctx, []string{"seed"}, strings.NewReader(""), &out); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "liste.csv")
	os.WriteFile(good, []byte("varenummer;varenavn;ean;enhed;indhold;basisenhed;pris;valuta\nK-1;Kompres 10x10;;BX;100;EA;89,95;DKK\n"), 0o644)
	out.Reset()
	if err := run(ctx, []string{"import", "price-list", good, "--supplier", "1"}, strings.NewReader(""), &out); err != nil {
		t.Fatalf("import: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), ": active. 1 rows read, 1 valid; 0 errors") {
		t.Errorf("report: %s", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"import", "price-list", "--supplier", "1", good}, strings.NewReader(""), &out); err != nil || !strings.Contains(out.String(), "imported before") {
		t.Errorf("second import: %v %s", err, out.String())
	}
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("sku,name,gtin,unit,pack_content,base_unit,pack_price,currency\nX,Y,123,BX,1,EA,-2,DKK\n"), 0o644)
	out.Reset()
	err := run(ctx, []string{"import", "price-list", bad, "--supplier", "1"}, strings.NewReader(""), &out)
	if !errors.Is(err, errRejected) || !strings.Contains(out.String(), "line 2 [gtin]") || !strings.Contains(out.String(), "[pack_price]") {
		t.Errorf("bad import: %v\n%s", err, out.String())
	}
	if err := run(ctx, []string{"import", "price-list", filepath.Join(dir, "x.pdf"), "--supplier", "1"}, strings.NewReader(""), &out); exitCode(err) != 2 {
		t.Errorf("unknown format: %v", err)
	}
}

// freeAddr returns a loopback address with a port free right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
