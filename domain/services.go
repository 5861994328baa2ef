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
}

// NewServices wires every service to db.
func NewServices(db *gorm.DB) *Services {
	return &Services{
		DB:          db,
		Members:     &MemberService{db: db},
		Suppliers:   &SupplierService{db: db},
		Users:       &UserService{db: db},
		Audit:       &AuditLog{db: db},
		JobRuns:     &JobRunService{db: db},
		Idempotency: &IdempotencyStore{db: db},
		Catalogue:   &CatalogueService{db: db, Currency: "DKK", Now: time.Now},
	}
}
