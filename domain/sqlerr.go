package domain

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// constraintViolated returns the name of the unique, foreign-key or check
// constraint that err violated, or "" when err is no such violation.
func constraintViolated(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505", "23503", "23514":
			return pgErr.ConstraintName
		}
	}
	return ""
}

// notFoundOr maps gorm's record-not-found to ENOTFOUND for entity and
// passes every other error through.
func notFoundOr(err error, entity string) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return NotFound(entity)
	}
	return err
}
