package domain

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"slices"
	"strconv"

	"github.com/shopspring/decimal"
)

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func sortMembers(ms []SurplusMember) {
	slices.SortFunc(ms, func(a, b SurplusMember) int { return cmpInt64(a.MemberID, b.MemberID) })
}

// lockKeyOf maps a name to a transaction-level advisory lock key in a
// namespace of its own ("andel-surplus:").
func lockKeyOf(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("andel-surplus:" + name))
	return int64(h.Sum64())
}

// DistributeOptions tune a distribution (tests use them to stop half-way).
type DistributeOptions struct {
	// BatchSize is the number of members per transaction (default 25,000).
	BatchSize int
	// AfterBatch, when set, is called after each committed batch; an
	// error stops the distribution there (as a killed process would).
	AfterBatch func(batch int) error
}

// DistributeReport counts what a distribution wrote.
type DistributeReport struct {
	Runs, Payouts, CapitalEntries int64
}

// DistributeApproved distributes every approved run, oldest first (the
// surplus-distribute job). Admins only (the job's system actor).
func (s *SurplusService) DistributeApproved(ctx context.Context, o DistributeOptions) (DistributeReport, error) {
	var rep DistributeReport
	if _, err := require(ctx, RoleAdmin); err != nil {
		return rep, err
	}
	var ids []int64
	if err := s.db.WithContext(ctx).Raw("SELECT id FROM surplus_runs WHERE status = 'approved' ORDER BY id").Scan(&ids).Error; err != nil {
		return rep, err
	}
	for _, id := range ids {
		r, err := s.Distribute(ctx, id, o)
		rep.Runs += r.Runs
		rep.Payouts += r.Payouts
		rep.CapitalEntries += r.CapitalEntries
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// Distribute pays an approved run: a payout per member with cash to pay
// and a capital-account entry per member with a retained amount (a
// redemption: a debit per patronage run redeemed), then marks the run
// distributed. Exactly once: members are done in batches, each batch one
// transaction that first locks the run's row (so replicas take turns) and
// inserts only what is not there yet (the unique constraints
// surplus_payouts_once and capital_entries_once refuse a second); a
// distribution stopped half-way is completed by the next one. A
// distributed run is left alone. Admins only. Errors: ENOTFOUND;
// ECONFLICT for a run that is not approved.
func (s *SurplusService) Distribute(ctx context.Context, id int64, o DistributeOptions) (DistributeReport, error) {
	var rep DistributeReport
	if _, err := require(ctx, RoleAdmin); err != nil {
		return rep, err
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 25000
	}
	var after int64
	for batch := 1; ; batch++ {
		done := false
		err := inSurplusTx(ctx, s.db, func(tx surplusTx) error {
			r, err := lockRun(ctx, tx, id)
			if err != nil {
				return err
			}
			switch r.Status {
			case SurplusDistributed:
				done = true
				return nil
			case SurplusApproved:
			default:
				return Errorf(ECONFLICT, "the run is %s: only an approved run is distributed", r.Status)
			}
			var upTo *int64
			if err := tx.QueryRow(ctx, `SELECT max(member_id) FROM (SELECT member_id FROM surplus_allocations
				WHERE run_id = $1 AND computation = $2 AND member_id > $3 ORDER BY member_id LIMIT $4) b`,
				id, r.Computation, after, o.BatchSize).Scan(&upTo); err != nil {
				return err
			}
			if upTo == nil {
				// every member done: the run is distributed
				if _, err := tx.Exec(ctx, `UPDATE surplus_runs SET status = 'distributed', distributed_at = now(),
					updated_at = now() WHERE id = $1`, id); err != nil {
					return err
				}
				done = true
				rep.Runs++
				var paid, entries int64
				var cash decimal.Decimal
				if err := tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM surplus_payouts WHERE run_id = $1),
					(SELECT coalesce(sum(amount), 0) FROM surplus_payouts WHERE run_id = $1),
					(SELECT count(*) FROM capital_entries WHERE run_id = $1)`, id).Scan(&paid, &cash, &entries); err != nil {
					return err
				}
				return recordAudit(ctx, tx.db, auditEntry{action: "surplus_run.distributed", entity: "surplus_run", entityID: id,
					details: map[string]any{"payouts": paid, "cash": cash.StringFixed(2), "capital_entries": entries}})
			}
			tag, err := tx.Exec(ctx, `INSERT INTO surplus_payouts (run_id, member_id, amount, reg_no, account_no, reference)
				SELECT run_id, member_id, payout, bank_reg_no, bank_account_no, 'ANDEL-' || run_id || '-' || member_id
				FROM surplus_allocations WHERE run_id = $1 AND computation = $2 AND member_id > $3 AND member_id <= $4
				  AND payout > 0
				ON CONFLICT ON CONSTRAINT surplus_payouts_once DO NOTHING`, id, r.Computation, after, *upTo)
			if err != nil {
				return err
			}
			rep.Payouts += tag
			if r.Kind == SurplusPatronage {
				tag, err = tx.Exec(ctx, `INSERT INTO capital_entries (member_id, run_id, source_run_id, kind, amount)
					SELECT member_id, run_id, run_id, 'retained', retained
					FROM surplus_allocations WHERE run_id = $1 AND computation = $2 AND member_id > $3 AND member_id <= $4
					  AND retained > 0
					ON CONFLICT ON CONSTRAINT capital_entries_once DO NOTHING`, id, r.Computation, after, *upTo)
				if err != nil {
					return err
				}
				rep.CapitalEntries += tag
			} else {
				n, err := s.redemptionEntries(ctx, tx, r, after, *upTo)
				if err != nil {
					return err
				}
				rep.CapitalEntries += n
			}
			after = *upTo
			return nil
		})
		if err != nil || done {
			return rep, err
		}
		if o.AfterBatch != nil {
			if err := o.AfterBatch(batch); err != nil {
				return rep, err
			}
		}
	}
}

// redemptionEntries debits the capital accounts of a redemption's members
// in (after, upTo]: the whole allocation against the source run, or for a
// single-member redemption each patronage run's balance as snapshotted.
func (s *SurplusService) redemptionEntries(ctx context.Context, tx surplusTx, r *SurplusRun, after, upTo int64) (int64, error) {
	if r.SourceRunID != nil {
		tag, err := tx.Exec(ctx, `INSERT INTO capital_entries (member_id, run_id, source_run_id, kind, amount)
			SELECT member_id, run_id, $5, 'redemption', -allocation
			FROM surplus_allocations WHERE run_id = $1 AND computation = $2 AND member_id > $3 AND member_id <= $4
			  AND allocation > 0
			ON CONFLICT ON CONSTRAINT capital_entries_once DO NOTHING`, r.ID, r.Computation, after, upTo, *r.SourceRunID)
		return tag, err
	}
	snap, err := s.snapshot(ctx, r.ID, r.Computation)
	if err != nil {
		return 0, err
	}
	var n int64
	for _, m := range snap.Members {
		if m.MemberID <= after || m.MemberID > upTo {
			continue
		}
		for src, bal := range m.BySource {
			srcID, _ := strconv.ParseInt(src, 10, 64)
			tag, err := tx.Exec(ctx, `INSERT INTO capital_entries (member_id, run_id, source_run_id, kind, amount)
				VALUES ($1, $2, $3, 'redemption', $4) ON CONFLICT ON CONSTRAINT capital_entries_once DO NOTHING`,
				m.MemberID, r.ID, srcID, bal.Neg())
			if err != nil {
				return n, err
			}
			n += tag
		}
	}
	return n, nil
}

// SurplusPayout is one line of a run's payout file.
type SurplusPayout struct {
	MemberID  int64
	Name      string
	CVR       string `gorm:"column:cvr"`
	RegNo     string
	AccountNo string
	Amount    decimal.Decimal
	Reference string
}

// Payouts lists a run's payouts (by member id), for the bank's file.
// Staff only. Errors: ENOTFOUND, EFORBIDDEN.
func (s *SurplusService) Payouts(ctx context.Context, id int64) ([]SurplusPayout, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	var rows []SurplusPayout
	err := s.db.WithContext(ctx).Raw(`SELECT p.member_id, m.name, m.cvr, p.reg_no, p.account_no, p.amount, p.reference
		FROM surplus_payouts p JOIN members m ON m.id = p.member_id WHERE p.run_id = ? ORDER BY p.member_id`, id).Scan(&rows).Error
	return rows, err
}
