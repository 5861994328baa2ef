package domain

import "gorm.io/gorm"

// Page asks for one page of a list in keyset order: at most Limit rows
// after the row with id After (0: from the start).
type Page struct {
	Limit int
	After int64
}

// Page sizes.
const (
	DefaultPageLimit = 50
	MaxPageLimit     = 500
)

// normalized returns p with Limit clamped to 1..MaxPageLimit.
func (p Page) normalized() Page {
	if p.Limit <= 0 {
		p.Limit = DefaultPageLimit
	}
	if p.Limit > MaxPageLimit {
		p.Limit = MaxPageLimit
	}
	return p
}

// keyset applies p to a query over table ordered by id, ascending or
// (newestFirst) descending. It fetches one row more than asked so that
// nextAfter can tell whether another page follows.
func (p Page) keyset(table string, newestFirst bool) func(*gorm.DB) *gorm.DB {
	p = p.normalized()
	return func(db *gorm.DB) *gorm.DB {
		col := db.Statement.Quote(table + ".id")
		if newestFirst {
			if p.After > 0 {
				db = db.Where(col+" < ?", p.After)
			}
			return db.Order(col + " DESC").Limit(p.Limit + 1)
		}
		if p.After > 0 {
			db = db.Where(col+" > ?", p.After)
		}
		return db.Order(col).Limit(p.Limit + 1)
	}
}

// trimPage cuts the extra row keyset fetched and returns the cursor of the
// next page (0 when this is the last one).
func trimPage[T any](rows []T, p Page, id func(T) int64) ([]T, int64) {
	p = p.normalized()
	if len(rows) <= p.Limit {
		return rows, 0
	}
	rows = rows[:p.Limit]
	return rows, id(rows[len(rows)-1])
}
