package domain

import (
	"strings"

	"gorm.io/gorm"
)

// PlanOfBenchmarkRows is the EXPLAIN of the query benchmarks read their
// rows with (key "" : every key of the dimension).
func PlanOfBenchmarkRows(db *gorm.DB, dim, grain, period, currency, key string) string {
	sql := benchmarkRowsSQL
	args := map[string]any{"dim": dim, "grain": grain, "period": period, "currency": currency}
	if key != "" {
		sql += " AND r.key = @key"
		args["key"] = key
	}
	var lines []string
	db.Raw("EXPLAIN "+sql, args).Scan(&lines)
	return strings.Join(lines, "\n")
}
