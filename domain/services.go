package domain

import (
	"fmt"
	"time"

	"andel/pricing"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// Services bundles the use cases over one database; package api and the
// jobs hold one of these (through package app, which adds the adapters).
type Services struct {
	DB          *gorm.DB
	Members     *MemberService
	Suppliers   *SupplierService
	Users       *UserService
	Audit       *AuditLog
	JobRuns     *JobRunService
	Idempotency *IdempotencyStore
	Catalogue   *CatalogueService
	Demand      *DemandService
	Tenders     *TenderService
	Contracts   *ContractService
	Orders      *OrderService
	Savings     *SavingsService
	Surplus     *SurplusService
	Benchmarks  *BenchmarkService
	Compliance  *ComplianceService
	Scorecards  *ScorecardService

	opts Options
}

// Options is the one value every service is built from (NewServices, and
// app.New above it): what cmd/andel reads from the environment, and what a
// test changes. The zero value is the cooperative's defaults. Services keep
// their copy; nothing is set on a service after it is built.
type Options struct {
	// Currency is the cooperative's own ISO 4217 currency: offers in others
	// are compared through exchange rates, tenders and savings reports are
	// in it by default. Empty: DKK.
	Currency string
	// VATRate is the VAT rate of every order line. Zero: Danish moms, 25%.
	VATRate decimal.Decimal
	// Clock is the server's clock: bid deadlines, validity days, order and
	// contract dates are judged by it. Nil: time.Now. Tests pass a clock
	// they can move.
	Clock func() time.Time
	// Kick, when set, is called after an order or a cancellation commits,
	// so that its outbox message is delivered at once (the order-outbox job
	// is the safety net).
	Kick func()
	// ContractPricer prices a product at the cooperative's contract for
	// orders. Nil: the awarded contracts (ContractService.ContractPrice).
	// Tests may stand in a contract of their own.
	ContractPricer ContractPricer
	// PriceListMaxBytes bounds one price list's body; the importer (package
	// suppliers) refuses larger ones while reading. Zero: 1 GiB.
	PriceListMaxBytes int64
	// PriceListSpoolDir is where received price-list bodies wait for their
	// load ("": the system's temporary folder); swept at start of what a
	// killed process left (suppliers.Importer.SweepSpool).
	PriceListSpoolDir string
	// Outbound says where suppliers' feed and webhook URLs may point:
	// public addresses only, unless it allows more.
	Outbound OutboundPolicy
	// MaxPacksPerLine is the most packs one order line may hold: a bound
	// a practice's order never meets, and a typo (10^12 boxes) does.
	// Zero: 100,000.
	MaxPacksPerLine int64
	// ReceiptKey signs sealed-bid receipts. Unset: a fresh key per process
	// (tests); a server keeps one (cmd/andel: ANDEL_RECEIPT_KEY, or a key
	// kept under the data folder), so receipts verify after a restart.
	ReceiptKey ReceiptKey
	// BenchmarkMinPractices is how many practices must contribute to a
	// benchmark figure before it is shown (the anonymity rule). Zero: 5.
	// Below 3 is refused: NewServices panics (cmd/andel refuses the
	// configuration before).
	BenchmarkMinPractices int
}

// withDefaults fills what o leaves unset.
func (o Options) withDefaults() Options {
	if o.Currency == "" {
		o.Currency = "DKK"
	}
	if o.VATRate.IsZero() {
		o.VATRate = pricing.DanishVATRate()
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if !o.ReceiptKey.Valid() {
		o.ReceiptKey = RandomReceiptKey()
	}
	if o.MaxPacksPerLine <= 0 {
		o.MaxPacksPerLine = 100_000
	}
	if o.BenchmarkMinPractices == 0 {
		o.BenchmarkMinPractices = DefaultBenchmarkMinPractices
	}
	if o.BenchmarkMinPractices < MinBenchmarkPractices {
		panic(fmt.Sprintf("domain: Options.BenchmarkMinPractices %d is below %d: benchmark figures would single out practices",
			o.BenchmarkMinPractices, MinBenchmarkPractices))
	}
	if o.PriceListMaxBytes <= 0 {
		o.PriceListMaxBytes = 1 << 30
	}
	return o
}

// NewServices builds every service over db from o, each complete when it is
// returned.
func NewServices(db *gorm.DB, o Options) *Services {
	o = o.withDefaults()
	contracts := &ContractService{db: db, now: o.Clock}
	pricer := o.ContractPricer
	if pricer == nil {
		pricer = contracts.ContractPrice
	}
	catalogue := &CatalogueService{db: db, currency: o.Currency, now: o.Clock,
		contracts: contracts.MarkContracts, loads: make(chan struct{}, maxConcurrentLoads)}
	demand := &DemandService{db: db}
	scorecards := &ScorecardService{db: db, now: o.Clock}
	return &Services{
		DB:          db,
		Members:     &MemberService{db: db},
		Suppliers:   &SupplierService{db: db, outbound: o.Outbound},
		Users:       &UserService{db: db},
		Audit:       &AuditLog{db: db, now: o.Clock},
		JobRuns:     &JobRunService{db: db},
		Idempotency: &IdempotencyStore{db: db},
		Catalogue:   catalogue,
		Demand:      demand,
		Tenders: &TenderService{db: db, now: o.Clock, catalogue: catalogue, demand: demand, receipts: o.ReceiptKey,
			scorecards: scorecards},
		Contracts: contracts,
		Orders: &OrderService{db: db, catalogue: catalogue, contracts: pricer, now: o.Clock,
			vatRate: o.VATRate, onCommit: o.Kick, maxPacks: o.MaxPacksPerLine},
		Savings:    &SavingsService{db: db, currency: o.Currency},
		Compliance: &ComplianceService{db: db, currency: o.Currency},
		Scorecards: scorecards,
		Surplus:    &SurplusService{db: db, catalogue: catalogue, currency: o.Currency, now: o.Clock},
		Benchmarks: &BenchmarkService{db: db, currency: o.Currency, minPractices: o.BenchmarkMinPractices,
			now: o.Clock},
		opts: o,
	}
}

// Options returns the options the services were built from, defaults
// filled in.
func (s *Services) Options() Options { return s.opts }
