package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"andel/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestServeEndToEnd runs the real program as `andel serve -seed` against a
// test database, logs in as the demo admin over HTTP, asks who it is, and
// stops it the way Ctrl-C does.
func TestServeEndToEnd(t *testing.T) {
	t.Setenv("DATABASE_URL", pgtest.URL(t))
	t.Setenv("ANDEL_ADDR", "127.0.0.1:0")
	t.Setenv("ANDEL_LOG_LEVEL", "warn")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-seed"}, strings.NewReader(""), w)
		w.Close()
	}()

	lines := bufio.NewScanner(out)
	var base string
	for lines.Scan() {
		if rest, ok := strings.CutPrefix(lines.Text(), "Andel is serving on "); ok {
			base = strings.Fields(rest)[0]
			break
		}
	}
	if base == "" {
		t.Fatalf("serve printed no address; exited with %v", <-done)
	}
	go io.Copy(io.Discard, out) // the rest of the welcome text

	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	res, err := hc.Post(base+"/api/v1/session", "application/json",
		strings.NewReader(`{"email":"admin@demo.andel","password":"andel-demo"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("login: %s", res.Status)
	}
	res, err = hc.Get(base + "/api/v1/me")
	if err != nil {
		t.Fatal(err)
	}
	var me map[string]any
	json.NewDecoder(res.Body).Decode(&me)
	res.Body.Close()
	if me["role"] != "admin" || me["email"] != "admin@demo.andel" {
		t.Fatalf("me = %v", me)
	}
	for _, path := range []string{"/healthz", "/readyz", "/metrics", "/api/v1/openapi.json"} {
		res, err := hc.Get(base + path)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %v %v", path, res.Status, err)
		}
		res.Body.Close()
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve ended with %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
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
