package domain

import (
	"time"

	"gorm.io/gorm"
)

// Services bundles the use cases over one database; package api and the
// jobs hold one of these.
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
}

// NewServices wires every service to db.
func NewServices(db *gorm.DB) *Services {
	svc := &Services{
		DB:          db,
		Members:     &MemberService{db: db},
		Suppliers:   &SupplierService{db: db},
		Users:       &UserService{db: db},
		Audit:       &AuditLog{db: db},
		JobRuns:     &JobRunService{db: db},
		Idempotency: &IdempotencyStore{db: db},
		Catalogue:   &CatalogueService{db: db, Currency: "DKK", Now: time.Now, loads: make(chan struct{}, maxConcurrentLoads)},
		Demand:      &DemandService{db: db},
		Contracts:   &ContractService{db: db, Now: time.Now},
	}
	svc.Tenders = &TenderService{db: db, Now: time.Now, catalogue: svc.Catalogue, demand: svc.Demand}
	svc.Catalogue.Contracts = svc.Contracts.MarkContracts
	svc.Orders = NewOrderService(db, svc.Catalogue)
	svc.Orders.Contracts = svc.Contracts.ContractPrice
	svc.Savings = NewSavingsService(db)
	return svc
}
