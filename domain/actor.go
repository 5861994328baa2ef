package domain

import (
	"context"
	"fmt"
)

// Role is what a user may do in the cooperative.
type Role string

// The four roles of DESIGN.md.
const (
	RoleAdmin    Role = "admin"    // cooperative staff: runs members, suppliers, tenders
	RoleBoard    Role = "board"    // reviews savings and approves surplus distributions
	RoleMember   Role = "member"   // a practice's user
	RoleSupplier Role = "supplier" // a supplier's user or API key
)

// ParseRole returns the Role named s, or an error.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case RoleAdmin, RoleBoard, RoleMember, RoleSupplier:
		return r, nil
	}
	return "", fmt.Errorf("unknown role %q (want admin, board, member or supplier)", s)
}

// Actor is who is calling: a logged-in user or a supplier's API key. Its
// tenant (MemberID or SupplierID) decides which rows it may see.
type Actor struct {
	UserID     int64
	APIKeyID   int64
	Role       Role
	MemberID   int64
	SupplierID int64
	Label      string // e-mail or key prefix, for the audit trail
	RequestID  string
}

// IsStaff reports whether the actor works for the cooperative itself and so
// sees every tenant's rows (admin, board).
func (a Actor) IsStaff() bool { return a.Role == RoleAdmin || a.Role == RoleBoard }

// system is the actor of jobs and commands run from a terminal.
var system = Actor{Role: RoleAdmin, Label: "system"}

// SystemActor returns the actor used by jobs and terminal commands: it acts
// as an admin and is recorded as "system" (or label, when given).
func SystemActor(label string) Actor {
	a := system
	if label != "" {
		a.Label = label
	}
	return a
}

type actorKey struct{}

// WithActor returns ctx carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx. A context without one carries no
// rights at all: services treat it as an anonymous caller who sees nothing.
func ActorFrom(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}

// require returns EFORBIDDEN unless the actor in ctx has one of roles.
func require(ctx context.Context, roles ...Role) (Actor, error) {
	a := ActorFrom(ctx)
	if a.Role == "" {
		return a, Errorf(EUNAUTHORIZED, "authentication required")
	}
	for _, r := range roles {
		if a.Role == r {
			return a, nil
		}
	}
	return a, Errorf(EFORBIDDEN, "the %s role may not do this", a.Role)
}
