package domain

import (
	"context"

	"gorm.io/gorm"
)

// ownership names the columns of a table that hold its tenants. An empty
// column means rows of that table never belong to a tenant of that kind, so
// such a tenant sees none of them.
type ownership struct {
	memberColumn   string
	supplierColumn string
	// public rows are readable by every authenticated actor (the catalogue).
	public bool
}

// visibleTo is the one mechanism that walls tenants off: every read of a
// tenant-owned table goes through it. Staff see all rows; a member sees rows
// whose member column is its own; a supplier rows whose supplier column is
// its own; anyone else nothing. A row filtered out here is reported by the
// caller as ENOTFOUND, the same as a row that does not exist.
func visibleTo(ctx context.Context, o ownership) func(*gorm.DB) *gorm.DB {
	a := ActorFrom(ctx)
	return func(db *gorm.DB) *gorm.DB {
		switch {
		case a.Role == "":
			return db.Where("false")
		case a.IsStaff(), o.public:
			return db
		case a.Role == RoleMember && o.memberColumn != "" && a.MemberID != 0:
			return db.Where(db.Statement.Quote(o.memberColumn)+" = ?", a.MemberID)
		case a.Role == RoleSupplier && o.supplierColumn != "" && a.SupplierID != 0:
			return db.Where(db.Statement.Quote(o.supplierColumn)+" = ?", a.SupplierID)
		default:
			return db.Where("false")
		}
	}
}

// Ownership of the tables of this package.
var (
	membersOwnership   = ownership{memberColumn: "members.id"}
	suppliersOwnership = ownership{supplierColumn: "suppliers.id"}
	apiKeysOwnership   = ownership{supplierColumn: "api_keys.supplier_id"}
	usersOwnership     = ownership{memberColumn: "users.member_id", supplierColumn: "users.supplier_id"}
	auditOwnership     = ownership{} // staff only
	productsOwnership  = ownership{public: true}
)
