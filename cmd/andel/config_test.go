package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/pgtest"
)

// The environment reaches every service through one options value:
// ANDEL_CURRENCY the catalogue, tenders and the savings report (which once
// kept a hard-coded DKK), ANDEL_PRICE_LIST_MAX_BYTES the one importer.
func TestConfigReachesTheServices(t *testing.T) {
	t.Setenv("ANDEL_CURRENCY", "eur")
	t.Setenv("ANDEL_PRICE_LIST_MAX_BYTES", "12345")
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	svc := newServices(pgtest.DB(t), cfg)
	if got := svc.Options().Currency; got != "EUR" {
		t.Errorf("options currency %q, want EUR", got)
	}
	if got := svc.Catalogue.Currency(); got != "EUR" {
		t.Errorf("catalogue currency %q, want EUR", got)
	}
	admin := domain.WithActor(context.Background(), domain.SystemActor("test"))
	rep, err := svc.Savings.Report(admin, domain.SavingsQuery{From: time.Now().AddDate(0, -1, 0), To: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Currency != "EUR" {
		t.Errorf("savings report in %q, want EUR", rep.Currency)
	}
	if svc.Importer.MaxBytes != 12345 || svc.Options().PriceListMaxBytes != 12345 {
		t.Errorf("importer limit %d (options %d), want 12345", svc.Importer.MaxBytes, svc.Options().PriceListMaxBytes)
	}

	t.Setenv("ANDEL_CURRENCY", "kroner")
	if _, err := loadConfig(); err == nil || !strings.Contains(err.Error(), "ANDEL_CURRENCY") {
		t.Errorf("bad currency: %v", err)
	}
}

// The anonymity threshold of benchmark figures reaches the service, and a
// threshold below 3 is refused at startup, by the configuration and by
// the domain's constructor.
func TestBenchmarkMinPracticesConfig(t *testing.T) {
	t.Setenv("ANDEL_BENCHMARK_MIN_PRACTICES", "7")
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	if got := newServices(pgtest.DB(t), cfg).Benchmarks.MinPractices(); got != 7 {
		t.Errorf("min practices %d, want 7", got)
	}
	for _, bad := range []string{"2", "0", "-1"} {
		t.Setenv("ANDEL_BENCHMARK_MIN_PRACTICES", bad)
		if _, err := loadConfig(); err == nil || !strings.Contains(err.Error(), "ANDEL_BENCHMARK_MIN_PRACTICES") {
			t.Errorf("%s accepted: %v", bad, err)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("domain accepted a threshold of 2")
		}
	}()
	domain.NewServices(nil, domain.Options{BenchmarkMinPractices: 2})
}
