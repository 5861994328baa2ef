package domain_test

import (
	"strings"
	"testing"

	"andel/domain"
	"andel/internal/pgtest"

	"gorm.io/gorm"
)

// TestTrueUpReadsLinesByIndex: the true-up of a tier crossing reads the
// contract line's order lines through order_lines_contract_line_idx, not
// a scan of every order line (it runs inside the order's transaction under
// the contract line's lock). The planner is told to avoid sequential scans
// where it can, so the plan shows whether an index fits the statement at
// all; on a small table it would rightly prefer a scan.
func TestTrueUpReadsLinesByIndex(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	var plan []string
	err := db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("SET LOCAL enable_seqscan = off").Error; err != nil {
			return err
		}
		return tx.Raw("EXPLAIN "+domain.TrueUpLinesSQL, int64(42), []int64{7, 8}).Scan(&plan).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(plan, "\n")
	if !strings.Contains(joined, "order_lines_contract_line_idx") || strings.Contains(joined, "Seq Scan on order_lines") {
		t.Errorf("the true-up's lines are not read by order_lines_contract_line_idx:\n%s", joined)
	}
}
