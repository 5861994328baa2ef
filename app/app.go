// Package app wires Andel once: New builds every service, the domain use
// cases and the adapters beside them (the price-list importer), from one
// domain.Options value. cmd/andel builds it from the environment; api, jobs
// and the tests take what it built, so nothing is configured twice and no
// service is changed after it is built.
//
// It sits between the adapters and their users:
// cmd -> api, jobs -> app -> suppliers -> domain -> pricing.
package app

import (
	"time"

	"andel/domain"
	"andel/suppliers"

	"gorm.io/gorm"
)

// Services is everything the API, the jobs and the commands call.
type Services struct {
	*domain.Services
	// Importer receives and loads price lists (uploads, supplier feeds and
	// `andel import`), bounded by Options.PriceListMaxBytes.
	Importer *suppliers.Importer
	// Webhook delivers order messages; Feeds pulls catalogue feeds. Both
	// reach only the addresses Options.Outbound allows.
	Webhook suppliers.Webhook
	Feeds   *suppliers.FeedFetcher
}

// Outbound request timeouts: one webhook POST, one feed (body included).
const (
	webhookTimeout = 10 * time.Second
	feedTimeout    = 2 * time.Minute
)

// New builds the services over db from o (the zero Options is the
// cooperative's defaults).
func New(db *gorm.DB, o domain.Options) *Services {
	svc := domain.NewServices(db, o)
	importer := &suppliers.Importer{Catalogue: svc.Catalogue, MaxBytes: svc.Options().PriceListMaxBytes,
		TempDir: svc.Options().PriceListSpoolDir}
	return &Services{
		Services: svc,
		Importer: importer,
		Webhook:  suppliers.Webhook{Client: suppliers.OutboundClient(o.Outbound, webhookTimeout)},
		Feeds:    suppliers.NewFeedFetcher(importer, suppliers.OutboundClient(o.Outbound, feedTimeout)),
	}
}
