package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"andel/domain"
	"andel/internal/demo"
)

// generateCmd fills the database with a synthetic cooperative year, for
// benchmarks: andel generate year --practices 1600 --suppliers 50 --lines 10000000.
// Use it on a private or throwaway database only: it adds practices,
// suppliers, products and orders; run `andel job savings-rollup` after.
func generateCmd(ctx context.Context, cfg Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "year" {
		return usageError{"generate takes: year [--practices N] [--suppliers N] [--products N] [--lines N] [--year Y] [--seed S] [--more]"}
	}
	fs := flag.NewFlagSet("generate year", flag.ContinueOnError)
	fs.SetOutput(stdout)
	o := demo.GenerateOptions{}
	fs.IntVar(&o.Practices, "practices", 1600, "practices (members)")
	fs.IntVar(&o.Suppliers, "suppliers", 50, "suppliers")
	fs.IntVar(&o.Products, "products", 2000, "products")
	fs.Int64Var(&o.Lines, "lines", 10_000_000, "order lines (about 5 per order)")
	fs.IntVar(&o.Year, "year", time.Now().Year(), "the year the orders are placed in")
	fs.Uint64Var(&o.Seed, "seed", 1, "random seed")
	fs.BoolVar(&o.More, "more", false, "more orders for the practices, suppliers and products of an earlier run")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{err.Error()}
	}
	return withDatabase(ctx, cfg, log, true, func(db *database) error {
		svc := newServices(db.DB, cfg)
		started := time.Now()
		next := int64(1_000_000)
		o.Progress = func(n int64) {
			if n >= next {
				fmt.Fprintf(stdout, "%d lines (%s)\n", n, time.Since(started).Round(time.Second))
				next += 1_000_000
			}
		}
		gen := domain.WithActor(ctx, domain.SystemActor("generator"))
		rep, err := demo.GenerateYear(gen, svc.Services, o)
		if err != nil {
			return err
		}
		// Delivery outcomes for the suppliers' scorecards.
		if _, err := demo.GenerateDeliveryOutcomes(gen, svc.Services); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "generated %d practices, %d suppliers, %d products, %d orders, %d order lines in %s\n",
			rep.Members, rep.Suppliers, rep.Products, rep.Orders, rep.Lines, time.Since(started).Round(time.Millisecond))
		return nil
	})
}
