package main

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	osexec "os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"andel/internal/pgtest"
)

// The crash tests run the real program as separate processes (this test
// binary re-executing main, as andelProcess does: the same code as the
// built binary, under the race detector when the tests are) and kill them
// with SIGKILL, the way a crash or an OOM kill ends a server: no deferred
// function, no shutdown, connections cut.

// proc is one `andel serve` process.
type proc struct {
	t    *testing.T
	cmd  *osexec.Cmd
	base string
	logs *syncBuffer
	done chan struct{}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startProc runs `andel serve ARGS` with env added to this process's, and
// returns once it serves.
func startProc(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	cmd := osexec.Command(os.Args[0], append([]string{"serve"}, args...)...)
	cmd.Env = append(append(os.Environ(), runMainEnv+"=1"), env...)
	cmd.SysProcAttr = childAttr()
	p := &proc{t: t, cmd: cmd, logs: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stderr = p.logs
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { cmd.Wait(); close(p.done) }()
	t.Cleanup(p.kill)
	served := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(out)
		for lines.Scan() {
			if rest, ok := strings.CutPrefix(lines.Text(), "Andel is serving on "); ok {
				served <- strings.Fields(rest)[0]
				break
			}
		}
		io.Copy(io.Discard, out)
	}()
	select {
	case p.base = <-served:
	case <-p.done:
		t.Fatalf("serve ended before serving:\n%s", p.logs)
	case <-time.After(90 * time.Second):
		p.kill()
		t.Fatalf("serve did not start:\n%s", p.logs)
	}
	return p
}

// kill ends the process with SIGKILL and waits for it.
func (p *proc) kill() {
	if p.cmd.Process != nil {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
	}
	<-p.done
}

// apiClient calls the API as a logged-in person.
type apiClient struct {
	t    *testing.T
	hc   *http.Client
	base string
	csrf string
}

func apiLogin(t *testing.T, base, email string) *apiClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &apiClient{t: t, hc: &http.Client{Jar: jar, Timeout: 60 * time.Second}, base: base}
	status, body, _, err := c.do("POST", "/api/v1/session", "application/json",
		[]byte(fmt.Sprintf(`{"email":%q,"password":"andel-demo"}`, email)), nil)
	if err != nil || status != http.StatusCreated {
		t.Fatalf("login %s: %d %s %v", email, status, body, err)
	}
	var s struct {
		CSRF string `json:"csrf_token"`
	}
	json.Unmarshal(body, &s)
	c.csrf = s.CSRF
	return c
}

func (c *apiClient) do(method, path, ctype string, body []byte, headers map[string]string) (int, []byte, http.Header, error) {
	return c.doReader(method, path, ctype, bytes.NewReader(body), headers)
}

func (c *apiClient) doReader(method, path, ctype string, body io.Reader, headers map[string]string) (int, []byte, http.Header, error) {
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		return 0, nil, nil, err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, res.Header, err
}

// getJSONc GETs path as c and decodes a 200 answer.
func (c *apiClient) getJSON(path string) map[string]any {
	c.t.Helper()
	status, body, _, err := c.do("GET", path, "", nil, nil)
	if err != nil || status != http.StatusOK {
		c.t.Fatalf("GET %s: %d %s %v", path, status, body, err)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		c.t.Fatal(err)
	}
	return m
}

// orderable finds an active offer of the demo catalogue and the quantity
// to order of it.
func orderable(t *testing.T, db *sql.DB) (product, offer, qty int64) {
	t.Helper()
	if err := db.QueryRow(`SELECT product_id, id, greatest(min_qty, 1) FROM offers
		WHERE status = 'active' AND product_id IS NOT NULL AND currency = 'DKK' ORDER BY id LIMIT 1`).Scan(&product, &offer, &qty); err != nil {
		t.Fatalf("no orderable demo offer: %v", err)
	}
	return product, offer, qty
}

// orderBody is the body of order i.
func orderBody(product, offer, qty int64, i int) []byte {
	return []byte(fmt.Sprintf(`{"lines":[{"product_id":%d,"offer_id":%d,"quantity":%d}]}`, product, offer, qty+int64(i%3)))
}

type orderAnswer struct {
	Orders []struct {
		ID int64 `json:"id"`
	} `json:"orders"`
}

// retryUntilDone retries a request whose first try may have died with its
// server until it is no longer 409 "still being processed" (or the
// connection fails), and returns its answer and how long 409s lasted.
func retryUntilDone(t *testing.T, c *apiClient, path string, body []byte, key string, limit time.Duration) (int, []byte, http.Header, time.Duration) {
	t.Helper()
	start := time.Now()
	for {
		status, b, h, err := c.do("POST", path, "application/json", body, map[string]string{"Idempotency-Key": key})
		if err == nil && status != http.StatusConflict && status < 500 {
			return status, b, h, time.Since(start)
		}
		if time.Since(start) > limit {
			t.Fatalf("key %s: still %d %s %v after %v", key, status, b, err, limit)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// checkOrdersWhole: every order of the practice has its lines and totals
// that add up (nothing half-applied), and there is exactly one per key.
func checkOrdersWhole(t *testing.T, db *sql.DB, keys []string) {
	t.Helper()
	var broken int // over every order, the demo's too
	if err := db.QueryRow(`SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)
		OR o.net_total <> (SELECT sum(l.net_total) FROM order_lines l WHERE l.order_id = o.id)`).Scan(&broken); err != nil {
		t.Fatal(err)
	}
	if broken != 0 {
		t.Errorf("%d orders half-applied (no lines, or totals that do not add up)", broken)
	}
	for _, k := range keys {
		var executed string
		var status sql.NullInt64
		if err := db.QueryRow("SELECT executed, status FROM idempotency_keys WHERE key = $1", k).Scan(&executed, &status); err != nil {
			t.Errorf("key %s: %v", k, err)
			continue
		}
		if strings.Count(executed, "order:") != 1 || status.Int64 != http.StatusCreated {
			t.Errorf("key %s made %q (answer %v), want one order and its 201", k, executed, status)
		}
	}
}

// TestCrashKilledServer kills the server with SIGKILL mid-order (under
// concurrent requests), mid-job and mid-import (a spooled body half
// received, a large list loading), restarts it each time, and checks that
// every retry with the same Idempotency-Key completes or replays within
// the key's lease, that nothing is half-applied, that no run stays
// running and that no spooled body is left.
func TestCrashKilledServer(t *testing.T) {
	url := pgtest.URL(t)
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	spool := t.TempDir()
	addr := freeAddr(t)
	env := []string{"DATABASE_URL=" + url, "ANDEL_ADDR=" + addr, "ANDEL_SPOOL_DIR=" + spool, "ANDEL_JOBS=false",
		"ANDEL_LOG_LEVEL=error", "ANDEL_DATA_DIR=" + t.TempDir()}
	started := time.Now()

	// 1. Mid-order: 24 orders at once, the server killed while they run.
	p := startProc(t, env, "-seed")
	practice := apiLogin(t, p.base, "practice@demo.andel")
	product, offer, qty := orderable(t, db)
	const n = 24
	var before int
	db.QueryRow("SELECT coalesce(max(id), 0) FROM orders").Scan(&before) // the demo's history
	keys := make([]string, n)
	acked := make([]int64, n) // order id answered before the kill
	var ackMu sync.Mutex
	firstAck := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		keys[i] = fmt.Sprintf("crash-order-%d", i)
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, body, _, err := practice.do("POST", "/api/v1/orders", "application/json", orderBody(product, offer, qty, i),
				map[string]string{"Idempotency-Key": keys[i]})
			var a orderAnswer
			if err == nil && status == http.StatusCreated && json.Unmarshal(body, &a) == nil && len(a.Orders) == 1 {
				ackMu.Lock()
				if countNonZero(acked) == 0 {
					close(firstAck)
				}
				acked[i] = a.Orders[0].ID
				ackMu.Unlock()
			}
		}()
	}
	// Killed once the first order is answered: some are done, the others
	// in flight.
	select {
	case <-firstAck:
	case <-time.After(5 * time.Second):
	}
	p.kill()
	wg.Wait()
	p = startProc(t, env)
	var longest time.Duration
	for i := range n {
		status, body, h, waited := retryUntilDone(t, practice, "/api/v1/orders", orderBody(product, offer, qty, i), keys[i], 40*time.Second)
		longest = max(longest, waited)
		var a orderAnswer
		if status != http.StatusCreated || json.Unmarshal(body, &a) != nil || len(a.Orders) != 1 {
			t.Errorf("retry of %s: %d %s", keys[i], status, body)
			continue
		}
		if acked[i] != 0 && (a.Orders[0].ID != acked[i] || h.Get("Idempotent-Replayed") != "true") {
			t.Errorf("retry of acknowledged %s: order %d (replayed %q), first answer was order %d", keys[i], a.Orders[0].ID, h.Get("Idempotent-Replayed"), acked[i])
		}
	}
	if longest > 20*time.Second {
		t.Errorf("retries answered 409 for %v after the restart", longest)
	}
	checkOrdersWhole(t, db, keys)
	var orders int
	db.QueryRow("SELECT count(*) FROM orders WHERE id > $1", before).Scan(&orders)
	if orders != n {
		t.Errorf("%d orders for %d keys", orders, n)
	}
	t.Logf("orders: %d acknowledged before the kill; retries waited at most %v", countNonZero(acked), longest.Round(time.Millisecond))

	// 2. Mid-job: savings-rollup started by hand and held inside its run
	// (its tables locked by this test), then the server killed.
	admin := apiLogin(t, p.base, "admin@demo.andel")
	lock, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lock.Exec("LOCK TABLE savings_changes, savings_daily IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	status, body, _, err := admin.do("POST", "/api/v1/jobs/savings-rollup/run", "", nil, nil)
	if err != nil || status != http.StatusAccepted {
		t.Fatalf("start job: %d %s %v", status, body, err)
	}
	var run struct {
		ID     int64
		Status string
	}
	json.Unmarshal(body, &run)
	time.Sleep(300 * time.Millisecond)
	p.kill()
	lock.Rollback()

	// 3. Mid-import: one body half received, one large list loading.
	p = startProc(t, env)
	admin = apiLogin(t, p.base, "admin@demo.andel")
	var supplier int64
	db.QueryRow("SELECT min(id) FROM suppliers").Scan(&supplier)
	if n, _ := os.ReadDir(spool); len(n) != 0 {
		t.Errorf("spool not empty before the import: %d files", len(n))
	}
	pr, pw := io.Pipe()
	go admin.doReader("POST", fmt.Sprintf("/api/v1/price-lists?supplier_id=%d", supplier), "text/csv", pr, nil)
	pw.Write([]byte("sku,name,gtin,unit,pack_content,base_unit,pack_price,currency\n" + strings.Repeat("H-1,Halv,,BX,10,EA,1.00,DKK\n", 4000)))
	big := bigList()
	uploadPath := fmt.Sprintf("/api/v1/price-lists?supplier_id=%d", supplier)
	status, body, _, err = admin.do("POST", uploadPath, "text/csv", big, map[string]string{"Idempotency-Key": "crash-import"})
	if err != nil || status != http.StatusAccepted {
		t.Fatalf("large upload: %d %s %v", status, body, err)
	}
	var list struct {
		ID     int64
		Status string
	}
	json.Unmarshal(body, &list)
	p.kill()
	pw.CloseWithError(io.ErrUnexpectedEOF)
	if files, _ := os.ReadDir(spool); len(files) == 0 {
		t.Errorf("no spooled body left by the kill: the test did not kill an import")
	}
	time.Sleep(2100 * time.Millisecond) // a spool file younger than 2 s is not swept

	p = startProc(t, env)
	if files, _ := os.ReadDir(spool); len(files) != 0 {
		t.Errorf("the restart left %d spooled bodies of the killed imports", len(files))
	}
	admin = apiLogin(t, p.base, "admin@demo.andel")

	// The job run cut off was ended at the start; the job runs again.
	jr := admin.getJSON(fmt.Sprintf("/api/v1/job-runs/%d", run.ID))
	if jr["status"] != "failed" || !strings.Contains(fmt.Sprint(jr["error"]), "interrupted") {
		t.Errorf("killed run after restart: %v", jr)
	}
	status, body, _, _ = admin.do("POST", "/api/v1/jobs/savings-rollup/run", "", nil, nil)
	json.Unmarshal(body, &run)
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if jr = admin.getJSON(fmt.Sprintf("/api/v1/job-runs/%d", run.ID)); jr["status"] != "running" {
			break
		}
	}
	if status != http.StatusAccepted || jr["status"] != "succeeded" {
		t.Errorf("job after restart: %d, run %v", status, jr)
	}

	// The import: its retry replays the 202 of the list; polled, the list
	// fails as interrupted within its lease; sent again, the body loads.
	status, body, h, _ := retryUntilDone(t, admin, uploadPath, big, "crash-import", 30*time.Second)
	var again struct{ ID int64 }
	json.Unmarshal(body, &again)
	if status != http.StatusAccepted || again.ID != list.ID || h.Get("Idempotent-Replayed") != "true" {
		t.Errorf("retry of the import: %d %s (replayed %q), first was list %d", status, body, h.Get("Idempotent-Replayed"), list.ID)
	}
	pl := waitList(t, admin, list.ID, 40*time.Second)
	if pl["status"] != "rejected" && pl["status"] != "active" {
		t.Errorf("killed import's list: %v", pl["status"])
	}
	if pl["status"] == "rejected" {
		var rows int
		db.QueryRow("SELECT count(*) FROM offer_rows WHERE price_list_id = $1", list.ID).Scan(&rows)
		if rows != 0 {
			t.Errorf("the interrupted list left %d offer rows", rows)
		}
		status, body, _, _ = admin.do("POST", uploadPath, "text/csv", big, map[string]string{"Idempotency-Key": "crash-import-2"})
		json.Unmarshal(body, &again)
		if status != http.StatusAccepted {
			t.Fatalf("upload again: %d %s", status, body)
		}
		if pl = waitList(t, admin, again.ID, 60*time.Second); pl["status"] != "active" {
			t.Errorf("list sent again: %v", pl)
		}
	}
	var running int
	db.QueryRow("SELECT count(*) FROM job_runs WHERE status = 'running'").Scan(&running)
	var validating int
	db.QueryRow("SELECT count(*) FROM price_lists WHERE status = 'validating'").Scan(&validating)
	if running != 0 || validating != 0 {
		t.Errorf("%d runs still running, %d lists still validating", running, validating)
	}
	p.kill()
	t.Logf("whole crash test: %v", time.Since(started).Round(time.Millisecond))
}

func countNonZero(ids []int64) int {
	n := 0
	for _, id := range ids {
		if id != 0 {
			n++
		}
	}
	return n
}

// bigList is a CSV over the synchronous limit (1 MiB): answered 202 and
// loaded in the background.
func bigList() []byte {
	var b strings.Builder
	b.WriteString("sku,name,gtin,unit,pack_content,base_unit,pack_price,currency,min_qty\n")
	for i := range 12000 {
		fmt.Fprintf(&b, "K-%06d,Crash item %d with a name long enough to fill the bytes,,BX,100,EA,%d.%02d,DKK,1\n", i, i, 10+i%90, i%100)
	}
	return []byte(b.String())
}

// waitList polls price list id until it is no longer validating.
func waitList(t *testing.T, c *apiClient, id int64, limit time.Duration) map[string]any {
	t.Helper()
	var pl map[string]any
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
		if pl = c.getJSON(fmt.Sprintf("/api/v1/price-lists/%d", id)); pl["status"] != "validating" {
			return pl
		}
	}
	t.Fatalf("list %d still validating after %v", id, limit)
	return pl
}
