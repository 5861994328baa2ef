package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"andel/app"
	"andel/domain"
	"andel/pricing"

	"gorm.io/gorm"
	"time"

	"github.com/caarlos0/env/v11"
)

// Config is read from the environment; the README lists every variable.
type Config struct {
	// DatabaseURL points at PostgreSQL. Empty: a private server is started
	// under DataDir with the PostgreSQL programs installed on the machine.
	DatabaseURL string `env:"DATABASE_URL"`
	// DatabaseDirectURL reaches PostgreSQL itself, not through a pooler:
	// migrations take a session-level advisory lock (goose), which
	// PgBouncer's transaction pooling does not keep. Unset: DATABASE_URL.
	DatabaseDirectURL string `env:"ANDEL_DATABASE_DIRECT_URL"`
	DataDir           string `env:"ANDEL_DATA_DIR" envDefault:"data"`
	Addr              string `env:"ANDEL_ADDR" envDefault:"127.0.0.1:8080"`
	// Env is "development" (text logs) or "production" (JSON logs).
	Env      string     `env:"ANDEL_ENV" envDefault:"development"`
	LogLevel slog.Level `env:"ANDEL_LOG_LEVEL" envDefault:"info"`
	// DemoPassword is the password of the demo users `seed` creates.
	DemoPassword string `env:"ANDEL_DEMO_PASSWORD" envDefault:"andel-demo"`
	// Currency is the cooperative's own ISO 4217 currency.
	Currency  string `env:"ANDEL_CURRENCY" envDefault:"DKK"`
	BodyLimit string `env:"ANDEL_BODY_LIMIT" envDefault:"2M"`
	// PriceListMaxBytes bounds one uploaded price list.
	PriceListMaxBytes int64 `env:"ANDEL_PRICE_LIST_MAX_BYTES" envDefault:"1073741824"`
	// SpoolDir holds uploaded price-list bodies until they are loaded
	// ("": the system's temporary folder). Swept at start.
	SpoolDir       string        `env:"ANDEL_SPOOL_DIR"`
	RequestTimeout time.Duration `env:"ANDEL_REQUEST_TIMEOUT" envDefault:"30s"`
	ShutdownGrace  time.Duration `env:"ANDEL_SHUTDOWN_GRACE" envDefault:"20s"`
	// Jobs runs the cron schedule inside `serve`. Every replica may run it:
	// each job takes an advisory lock, so one replica runs it at a time.
	Jobs bool `env:"ANDEL_JOBS" envDefault:"true"`
	// Schedules overrides job schedules: "job=cron spec;job2=off".
	Schedules map[string]string `env:"ANDEL_SCHEDULES" envSeparator:";" envKeyValSeparator:"="`

	// TrustedProxies are the load balancers whose X-Forwarded-For is
	// believed (addresses or CIDR ranges, comma-separated); empty: nobody's.
	TrustedProxies []string `env:"ANDEL_TRUSTED_PROXIES" envSeparator:","`
	// MetricsToken opens GET /metrics on ANDEL_ADDR to "Authorization:
	// Bearer <token>"; MetricsAddr serves /metrics without a token on a
	// separate (private) address. Neither: no metrics are served.
	MetricsToken string `env:"ANDEL_METRICS_TOKEN"`
	MetricsAddr  string `env:"ANDEL_METRICS_ADDR"`

	// OutboundAllow lists the non-public ranges that suppliers' feed and
	// webhook URLs may point at (a private deployment); by default only
	// public addresses are reached.
	OutboundAllow []string `env:"ANDEL_OUTBOUND_ALLOW" envSeparator:","`

	// ReceiptKey is the base64 Ed25519 seed (32 bytes) that signs
	// sealed-bid receipts; every replica needs the same. Unset outside
	// production: a key kept under ANDEL_DATA_DIR (made on first use).
	ReceiptKey string `env:"ANDEL_RECEIPT_KEY"`
	// MaxPacksPerLine bounds one order line's quantity in packs.
	MaxPacksPerLine int64 `env:"ANDEL_MAX_PACKS_PER_LINE" envDefault:"100000"`
	// BenchmarkMinPractices is how many practices a shown benchmark figure
	// needs (the anonymity rule); never below 3.
	BenchmarkMinPractices int `env:"ANDEL_BENCHMARK_MIN_PRACTICES" envDefault:"5"`

	trustedProxies, outboundAllow []netip.Prefix
	receiptKey                    domain.ReceiptKey
}

// loadConfig reads and checks the configuration, naming every bad variable.
func loadConfig() (Config, error) {
	cfg, err := env.ParseAs[Config]()
	if err != nil {
		return cfg, configError(err)
	}
	if cfg.Env != "development" && cfg.Env != "production" {
		return cfg, fmt.Errorf("configuration: ANDEL_ENV must be development or production, not %q", cfg.Env)
	}
	cfg.Currency = strings.ToUpper(cfg.Currency)
	if _, err := pricing.ParseCurrency(cfg.Currency); err != nil {
		return cfg, fmt.Errorf("configuration: ANDEL_CURRENCY must be an ISO 4217 code such as DKK, not %q", cfg.Currency)
	}
	if cfg.RequestTimeout <= 0 || cfg.ShutdownGrace <= 0 {
		return cfg, fmt.Errorf("configuration: ANDEL_REQUEST_TIMEOUT and ANDEL_SHUTDOWN_GRACE must be positive durations")
	}
	if len(cfg.DemoPassword) < 10 {
		return cfg, fmt.Errorf("configuration: ANDEL_DEMO_PASSWORD must be at least 10 characters")
	}
	if cfg.BenchmarkMinPractices < domain.MinBenchmarkPractices {
		return cfg, fmt.Errorf("configuration: ANDEL_BENCHMARK_MIN_PRACTICES must be at least %d (fewer practices behind a figure would single one out), not %d",
			domain.MinBenchmarkPractices, cfg.BenchmarkMinPractices)
	}
	if cfg.trustedProxies, err = prefixes("ANDEL_TRUSTED_PROXIES", cfg.TrustedProxies); err != nil {
		return cfg, err
	}
	if cfg.outboundAllow, err = prefixes("ANDEL_OUTBOUND_ALLOW", cfg.OutboundAllow); err != nil {
		return cfg, err
	}
	if cfg.ReceiptKey != "" {
		seed, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cfg.ReceiptKey))
		if err == nil {
			cfg.receiptKey, err = domain.NewReceiptKey(seed)
		}
		if err != nil {
			return cfg, fmt.Errorf("configuration: ANDEL_RECEIPT_KEY must be a base64 Ed25519 seed of 32 bytes (openssl rand -base64 32)")
		}
	}
	return cfg, nil
}

// prefixes reads the addresses and CIDR ranges of variable name.
func prefixes(name string, list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, p := range list {
		p = strings.TrimSpace(p)
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			addr, aerr := netip.ParseAddr(p)
			if aerr != nil {
				return nil, fmt.Errorf("configuration: %s must list addresses or CIDR ranges, not %q", name, p)
			}
			prefix = netip.PrefixFrom(addr, addr.BitLen())
		}
		out = append(out, prefix)
	}
	return out, nil
}

// configError rewrites the parser's errors to name the environment
// variables rather than the Go fields behind them.
func configError(err error) error {
	var agg env.AggregateError
	if !errors.As(err, &agg) {
		return fmt.Errorf("configuration: %w", err)
	}
	msgs := make([]string, 0, len(agg.Errors))
	for _, e := range agg.Errors {
		var pe env.ParseError
		if errors.As(e, &pe) {
			key := pe.Name
			if f, ok := reflect.TypeFor[Config]().FieldByName(pe.Name); ok {
				key, _, _ = strings.Cut(f.Tag.Get("env"), ",")
			}
			msgs = append(msgs, fmt.Sprintf("%s: %v", key, pe.Err))
			continue
		}
		msgs = append(msgs, e.Error())
	}
	return fmt.Errorf("configuration: %s", strings.Join(msgs, "; "))
}

// newLogger logs text for people in development and JSON in production.
func newLogger(cfg Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.Env == "production" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// options is the configuration the services are built from (app.New);
// hooks that belong to serve (the outbox kick) are added there.
func (cfg Config) options() domain.Options {
	key := cfg.receiptKey
	if !key.Valid() && cfg.Env != "production" {
		var err error
		if key, err = dataDirReceiptKey(cfg.DataDir); err != nil {
			slog.Warn("no receipt key kept: bid receipts of this run will not verify after it", "err", err)
		}
	}
	return domain.Options{Currency: cfg.Currency, PriceListMaxBytes: cfg.PriceListMaxBytes, PriceListSpoolDir: cfg.SpoolDir,
		Outbound: domain.OutboundPolicy{Allow: cfg.outboundAllow}, ReceiptKey: key, MaxPacksPerLine: cfg.MaxPacksPerLine,
		BenchmarkMinPractices: cfg.BenchmarkMinPractices}
}

// newServices builds every service over db from the configuration.
func newServices(db *gorm.DB, cfg Config) *app.Services {
	return app.New(db, cfg.options())
}

// dataDirReceiptKey reads the development receipt key kept under dir, or
// makes and keeps one.
func dataDirReceiptKey(dir string) (domain.ReceiptKey, error) {
	path := filepath.Join(dir, "receipt-key")
	if b, err := os.ReadFile(path); err == nil {
		seed, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
		if err != nil {
			return domain.ReceiptKey{}, fmt.Errorf("%s: %w", path, err)
		}
		return domain.NewReceiptKey(seed)
	}
	seed := make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(seed); err != nil {
		return domain.ReceiptKey{}, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return domain.ReceiptKey{}, err
	}
	if err := os.WriteFile(path, []byte(base64.StdEncoding.EncodeToString(seed)+"\n"), 0o600); err != nil {
		return domain.ReceiptKey{}, err
	}
	return domain.NewReceiptKey(seed)
}
