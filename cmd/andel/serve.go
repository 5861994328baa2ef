package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"sync"
	"time"

	"andel/api"
	"andel/app"
	"andel/internal/demo"
	"andel/jobs"
)

func serve(ctx context.Context, cfg Config, log *slog.Logger, args []string, stdout io.Writer) (err error) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	migrate := fs.Bool("migrate", false, "apply pending migrations before serving")
	seed := fs.Bool("seed", false, "create the demo cooperative if it is missing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{"serve takes no arguments"}
	}

	db, err := openDatabase(ctx, cfg, log, false)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, db.Close()) }()
	if *migrate {
		if err := db.migrate(ctx); err != nil {
			return err
		}
	} else if err := db.checkSchema(ctx); err != nil {
		return err
	}

	// An order goes to its supplier's webhook right after it commits; the
	// order-outbox job retries what fails and catches what a crash missed.
	kick := make(chan struct{}, 1)
	if cfg.Env == "production" && !cfg.receiptKey.Valid() {
		return fmt.Errorf("configuration: ANDEL_RECEIPT_KEY is required in production: every replica signs bid receipts with it")
	}
	opts := cfg.options()
	opts.Kick = func() {
		select {
		case kick <- struct{}{}:
		default: // a delivery round is already due
		}
	}
	svc := app.New(db.DB, opts)
	var seeded *demo.Summary
	if *seed {
		all, err := seedDemo(ctx, svc, cfg.DemoPassword)
		if err != nil {
			return err
		}
		seeded = all.demo
	}
	if exists, err := demo.UsersExist(ctx, svc.DB); err != nil {
		return err
	} else if exists {
		log.Warn("demo users exist with a known password: do not run this database in production",
			"users", demo.Logins)
	}

	runner := jobs.NewRunner(svc, log)
	// Runs a crash cut off are ended now, not at their job's next run.
	if n, err := runner.RecoverInterrupted(ctx); err != nil {
		return err
	} else if n > 0 {
		log.Warn("job runs interrupted by an earlier crash were marked failed", "runs", n)
	}
	// Bodies a killed import left in the spool folder go now (their lists
	// are released by their lease); live ones of other replicas are fresh.
	if n, err := svc.Importer.SweepSpool(time.Now()); err != nil {
		log.Warn("sweeping the price-list spool folder", "err", err)
	} else if n > 0 {
		log.Warn("price-list bodies left by an earlier crash were removed", "files", n)
	}
	schedule, err := runner.NewSchedule(cfg.Schedules)
	if err != nil {
		return err
	}
	srv := api.New(svc, api.Config{
		Logger: log, BodyLimit: cfg.BodyLimit, RequestTimeout: cfg.RequestTimeout, Jobs: runner,
		Ready: db.checkSchema, TrustedProxies: cfg.trustedProxies, MetricsToken: cfg.MetricsToken,
	})

	serveCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	if cfg.Jobs {
		wg.Add(1)
		go func() { defer wg.Done(); schedule.Run(serveCtx) }()
	}
	wg.Add(1)
	go func() { defer wg.Done(); deliverOnKick(serveCtx, svc, kick, log) }()
	if cfg.MetricsAddr != "" {
		if err := serveMetrics(serveCtx, &wg, cfg.MetricsAddr, srv.MetricsHandler(), log); err != nil {
			cancel()
			wg.Wait()
			return err
		}
	}
	err = srv.ListenAndServe(serveCtx, cfg.Addr, cfg.ShutdownGrace, func(addr string) {
		printWelcome(stdout, addr, cfg, seeded)
		log.Info("serving", "addr", addr)
	})
	cancel()
	wg.Wait()
	log.Info("stopped")
	return err
}

func printWelcome(w io.Writer, addr string, cfg Config, seeded *demo.Summary) {
	fmt.Fprintf(w, "Andel is serving on http://%s  (Ctrl-C stops it)\n", addr)
	if seeded == nil {
		return
	}
	fmt.Fprintf(w, "Demo cooperative: %d practices, %d suppliers, %d products.\n", seeded.Members, seeded.Suppliers, seeded.Products)
	fmt.Fprintf(w, "Demo logins (password %q):\n", cfg.DemoPassword)
	for _, l := range seeded.Logins {
		fmt.Fprintf(w, "  %s\n", l)
	}
	fmt.Fprintln(w, "Demo supplier API keys (Authorization: Bearer <key>):")
	names := make([]string, 0, len(seeded.APIKeys))
	for n := range seeded.APIKeys {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-30s %s\n", n, seeded.APIKeys[n])
	}
	fmt.Fprintf(w, "Try: curl -c /tmp/andel.jar -H 'Content-Type: application/json' -d '{\"email\":\"%s\",\"password\":\"%s\"}' http://%s/api/v1/session\n",
		demo.AdminEmail, cfg.DemoPassword, addr)
	fmt.Fprintf(w, "     curl -b /tmp/andel.jar http://%s/api/v1/me\n", addr)
}

// deliverOnKick runs a round of outbox delivery each time it is kicked,
// until ctx ends.
func deliverOnKick(ctx context.Context, svc *app.Services, kick <-chan struct{}, log *slog.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-kick:
			if _, err := svc.Orders.DeliverOutbox(ctx, svc.Webhook, 100); err != nil && ctx.Err() == nil {
				log.Error("delivering orders failed; the order-outbox job will retry", "err", err)
			}
		}
	}
}

// serveMetrics serves the metrics without a token on addr, a private
// address only the monitoring system reaches, until ctx ends.
func serveMetrics(ctx context.Context, wg *sync.WaitGroup, addr string, h http.Handler, log *slog.Logger) error {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", h)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("ANDEL_METRICS_ADDR: %w", err)
	}
	ms := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	log.Info("serving metrics", "addr", ln.Addr().String())
	wg.Add(2)
	go func() { defer wg.Done(); _ = ms.Serve(ln) }()
	go func() {
		defer wg.Done()
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = ms.Shutdown(sctx)
	}()
	return nil
}
