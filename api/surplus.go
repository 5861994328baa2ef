package api

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strings"
	"time"

	"andel/domain"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"
)

// surplusRoutes registers the surplus runs, capital accounts, bank details
// and statements.
func (s *Server) surplusRoutes(a *echo.Group) {
	a.POST("/surplus-runs", s.prepareSurplusRun, s.idempotent)
	a.GET("/surplus-runs", s.listSurplusRuns)
	a.GET("/surplus-runs/:id", s.getSurplusRun)
	a.POST("/surplus-runs/:id/recompute", s.recomputeSurplusRun)
	a.POST("/surplus-runs/:id/approve", s.approveSurplusRun)
	a.POST("/surplus-runs/:id/cancel", s.cancelSurplusRun)
	a.GET("/surplus-runs/:id/payouts.csv", s.surplusPayoutsCSV)
	a.GET("/members/:id/capital", s.getCapital)
	a.GET("/members/:id/bank-account", s.getBankAccount)
	a.PUT("/members/:id/bank-account", s.putBankAccount)
	a.GET("/members/:id/statements/:period", s.getStatement)
}

// amount formats a figure in the cooperative's currency (2 decimals).
func amount(d decimal.Decimal) string { return d.StringFixed(2) }

type surplusLineRequest struct {
	Description string `json:"description" validate:"max=500"`
	Category    string `json:"category" validate:"max=200"`
	Amount      string `json:"amount" validate:"max=40"`
}

type surplusRunRequest struct {
	Kind              string               `json:"kind" validate:"max=20"`
	Period            string               `json:"period" validate:"max=40"`
	Basis             string               `json:"basis" validate:"max=20"`
	CashPercent       string               `json:"cash_percent" validate:"max=40"`
	MinimumPayout     string               `json:"minimum_payout" validate:"max=40"`
	ReservePercent    string               `json:"reserve_percent" validate:"max=40"`
	ReserveAmount     string               `json:"reserve_amount" validate:"max=40"`
	OtherIncome       []surplusLineRequest `json:"other_income" validate:"max=1000"`
	Costs             []surplusLineRequest `json:"costs" validate:"max=1000"`
	SourceRunID       int64                `json:"source_run_id"`
	MemberID          int64                `json:"member_id"`
	RedemptionPercent string               `json:"redemption_percent" validate:"max=40"`
}

type surplusRecomputeRequest struct {
	Basis          *string               `json:"basis" validate:"omitempty,max=20"`
	CashPercent    *string               `json:"cash_percent" validate:"omitempty,max=40"`
	MinimumPayout  *string               `json:"minimum_payout" validate:"omitempty,max=40"`
	ReservePercent *string               `json:"reserve_percent" validate:"omitempty,max=40"`
	ReserveAmount  *string               `json:"reserve_amount" validate:"omitempty,max=40"`
	OtherIncome    *[]surplusLineRequest `json:"other_income" validate:"omitempty,max=1000"`
	Costs          *[]surplusLineRequest `json:"costs" validate:"omitempty,max=1000"`
}

func toLineInputs(in []surplusLineRequest) []domain.SurplusLineInput {
	out := make([]domain.SurplusLineInput, len(in))
	for i, l := range in {
		out[i] = domain.SurplusLineInput{Description: l.Description, Category: l.Category, Amount: l.Amount}
	}
	return out
}

type surplusLineResponse struct {
	Kind        string `json:"kind"`
	Description string `json:"description"`
	Category    string `json:"category"`
	SupplierID  int64  `json:"supplier_id,omitempty"`
	ContractID  int64  `json:"contract_id,omitempty"`
	Currency    string `json:"currency,omitempty"`
	Original    string `json:"original_amount,omitempty"`
	Amount      string `json:"amount"`
}

type surplusOptionsResponse struct {
	Basis             string  `json:"basis"`
	CashPercent       string  `json:"cash_percent"`
	MinimumPayout     string  `json:"minimum_payout"`
	ReservePercent    *string `json:"reserve_percent"`
	ReserveAmount     *string `json:"reserve_amount"`
	RedemptionPercent *string `json:"redemption_percent,omitempty"`
}

type surplusAllocationResponse struct {
	MemberID        int64  `json:"member_id"`
	Patronage       string `json:"patronage"`
	Share           string `json:"share"`
	Allocation      string `json:"allocation"`
	Cash            string `json:"cash"`
	Retained        string `json:"retained"`
	CarryForwardIn  string `json:"carry_forward_in"`
	CarryForwardOut string `json:"carry_forward_out"`
	Payout          string `json:"payout"`
	BankDetails     bool   `json:"bank_details"`
}

type surplusRunResponse struct {
	ID                  int64                                    `json:"id"`
	Kind                string                                   `json:"kind"`
	Status              string                                   `json:"status"`
	Period              string                                   `json:"period"`
	PeriodFrom          string                                   `json:"period_from"`
	PeriodTo            string                                   `json:"period_to"`
	Currency            string                                   `json:"currency"`
	SourceRunID         *int64                                   `json:"source_run_id"`
	MemberID            *int64                                   `json:"member_id"`
	Income              string                                   `json:"income"`
	Costs               string                                   `json:"costs"`
	Reserve             string                                   `json:"reserve"`
	Distributable       string                                   `json:"distributable"`
	CashTotal           string                                   `json:"cash_total"`
	RetainedTotal       string                                   `json:"retained_total"`
	CarryForwardTotal   string                                   `json:"carry_forward_total"`
	CarryForwardInTotal string                                   `json:"carry_forward_in_total"`
	Members             int                                      `json:"members"`
	Computation         int                                      `json:"computation"`
	SnapshotSHA256      string                                   `json:"snapshot_sha256"`
	PreparedBy          string                                   `json:"prepared_by"`
	PreparedAt          time.Time                                `json:"prepared_at"`
	ApprovedBy          *string                                  `json:"approved_by"`
	ApprovedAt          *time.Time                               `json:"approved_at"`
	ApprovedSHA256      *string                                  `json:"approved_sha256"`
	DistributedAt       *time.Time                               `json:"distributed_at"`
	CancelledAt         *time.Time                               `json:"cancelled_at"`
	Options             *surplusOptionsResponse                  `json:"options,omitempty"`
	IncomeLines         []surplusLineResponse                    `json:"income_lines,omitempty"`
	MissingBankDetails  []int64                                  `json:"missing_bank_details"`
	Allocations         *listResponse[surplusAllocationResponse] `json:"allocations,omitempty"`
}

func toSurplusRunResponse(r domain.SurplusRun) surplusRunResponse {
	res := surplusRunResponse{ID: r.ID, Kind: r.Kind, Status: r.Status, Period: r.Period,
		PeriodFrom: r.PeriodFrom.Format(dateLayout), PeriodTo: r.PeriodTo.Format(dateLayout),
		Currency: strings.TrimSpace(r.Currency), SourceRunID: r.SourceRunID, MemberID: r.MemberID,
		Income: amount(r.Income), Costs: amount(r.Costs), Reserve: amount(r.Reserve), Distributable: amount(r.Distributable),
		CashTotal: amount(r.CashTotal), RetainedTotal: amount(r.RetainedTotal), CarryForwardTotal: amount(r.CarryForwardTotal),
		CarryForwardInTotal: amount(r.CarryForwardInTotal), Members: r.Members, Computation: r.Computation,
		SnapshotSHA256: r.SnapshotSHA256, PreparedBy: r.PreparedBy, PreparedAt: r.PreparedAt, ApprovedBy: r.ApprovedBy,
		ApprovedAt: r.ApprovedAt, ApprovedSHA256: r.ApprovedSHA256, DistributedAt: r.DistributedAt, CancelledAt: r.CancelledAt,
		MissingBankDetails: r.Missing}
	if res.MissingBankDetails == nil {
		res.MissingBankDetails = []int64{}
	}
	if sn := r.Snapshot; sn != nil {
		o := sn.Options
		opts := &surplusOptionsResponse{Basis: o.Basis, CashPercent: o.CashShare.String(), MinimumPayout: amount(o.MinimumPayout)}
		if o.ReservePercent != nil {
			v := o.ReservePercent.String()
			opts.ReservePercent = &v
		}
		if o.ReserveAmount != nil {
			v := amount(*o.ReserveAmount)
			opts.ReserveAmount = &v
		}
		if r.Kind == domain.SurplusRedemption {
			v := o.RedemptionPercent.String()
			opts.RedemptionPercent = &v
		}
		res.Options = opts
		res.IncomeLines = []surplusLineResponse{}
		for _, l := range sn.Lines {
			lr := surplusLineResponse{Kind: l.Kind, Description: l.Description, Category: l.Category,
				SupplierID: l.SupplierID, ContractID: l.ContractID, Currency: l.Currency, Amount: amount(l.Amount)}
			if l.Currency != "" {
				lr.Original = amount(l.Original)
			}
			res.IncomeLines = append(res.IncomeLines, lr)
		}
	}
	return res
}

func toAllocationResponse(a domain.SurplusAllocation) surplusAllocationResponse {
	return surplusAllocationResponse{MemberID: a.MemberID, Patronage: amount(a.Patronage), Share: a.Share.StringFixed(10),
		Allocation: amount(a.Allocation), Cash: amount(a.Cash), Retained: amount(a.Retained),
		CarryForwardIn: amount(a.CarryForwardIn), CarryForwardOut: amount(a.CarryForwardOut), Payout: amount(a.Payout),
		BankDetails: a.BankRegNo != ""}
}

func (s *Server) prepareSurplusRun(c echo.Context) error {
	var req surplusRunRequest
	if err := s.decodeJSON(c, &req); err != nil {
		return err
	}
	r, err := s.svc.Surplus.Prepare(c.Request().Context(), domain.SurplusRunInput{Kind: req.Kind, Period: req.Period,
		Basis: req.Basis, CashPercent: req.CashPercent, MinimumPayout: req.MinimumPayout, ReservePercent: req.ReservePercent,
		ReserveAmount: req.ReserveAmount, OtherIncome: toLineInputs(req.OtherIncome), Costs: toLineInputs(req.Costs),
		SourceRunID: req.SourceRunID, MemberID: req.MemberID, RedemptionPercent: req.RedemptionPercent})
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/surplus-runs/"+itoa(r.ID))
	return s.answerSurplusRun(c, http.StatusCreated, r.ID)
}

// answerSurplusRun answers with the run and the first page of its
// allocations (or the page asked for).
func (s *Server) answerSurplusRun(c echo.Context, status int, id int64) error {
	var p domain.Problems
	page := pageParams(c, &p)
	if err := p.Err(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	r, err := s.svc.Surplus.Get(ctx, id)
	if err != nil {
		return err
	}
	rows, next, err := s.svc.Surplus.Allocations(ctx, id, page)
	if err != nil {
		return err
	}
	res := toSurplusRunResponse(*r)
	list := newList(rows, next, toAllocationResponse)
	res.Allocations = &list
	return c.JSON(status, res)
}

func (s *Server) getSurplusRun(c echo.Context) error {
	id, err := pathID(c, "id", "surplus run")
	if err != nil {
		return err
	}
	return s.answerSurplusRun(c, http.StatusOK, id)
}

func (s *Server) listSurplusRuns(c echo.Context) error {
	var p domain.Problems
	f := domain.SurplusRunFilter{Page: pageParams(c, &p), Status: c.QueryParam("status"), Kind: c.QueryParam("kind")}
	switch f.Status {
	case "", domain.SurplusDraft, domain.SurplusApproved, domain.SurplusDistributed, domain.SurplusCancelled:
	default:
		p.Add("status", "must be draft, approved, distributed or cancelled")
	}
	switch f.Kind {
	case "", domain.SurplusPatronage, domain.SurplusRedemption:
	default:
		p.Add("kind", "must be patronage or redemption")
	}
	if err := p.Err(); err != nil {
		return err
	}
	rows, next, err := s.svc.Surplus.List(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(rows, next, toSurplusRunResponse))
}

func (s *Server) recomputeSurplusRun(c echo.Context) error {
	id, err := pathID(c, "id", "surplus run")
	if err != nil {
		return err
	}
	var req surplusRecomputeRequest
	if c.Request().ContentLength != 0 {
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
	}
	in := domain.SurplusRecomputeInput{Basis: req.Basis, CashPercent: req.CashPercent, MinimumPayout: req.MinimumPayout,
		ReservePercent: req.ReservePercent, ReserveAmount: req.ReserveAmount}
	if req.OtherIncome != nil {
		l := toLineInputs(*req.OtherIncome)
		in.OtherIncome = &l
	}
	if req.Costs != nil {
		l := toLineInputs(*req.Costs)
		in.Costs = &l
	}
	if _, err := s.svc.Surplus.Recompute(c.Request().Context(), id, in); err != nil {
		return err
	}
	return s.answerSurplusRun(c, http.StatusOK, id)
}

func (s *Server) approveSurplusRun(c echo.Context) error {
	id, err := pathID(c, "id", "surplus run")
	if err != nil {
		return err
	}
	if _, err := s.svc.Surplus.Approve(c.Request().Context(), id); err != nil {
		return err
	}
	return s.answerSurplusRun(c, http.StatusOK, id)
}

func (s *Server) cancelSurplusRun(c echo.Context) error {
	id, err := pathID(c, "id", "surplus run")
	if err != nil {
		return err
	}
	if _, err := s.svc.Surplus.Cancel(c.Request().Context(), id); err != nil {
		return err
	}
	return s.answerSurplusRun(c, http.StatusOK, id)
}

// surplusPayoutsCSV is the payout file for the bank: one row per payout
// and a last row with the total, which equals the run's cash distributed.
func (s *Server) surplusPayoutsCSV(c echo.Context) error {
	id, err := pathID(c, "id", "surplus run")
	if err != nil {
		return err
	}
	rows, err := s.svc.Surplus.Payouts(c.Request().Context(), id)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"member_id", "member", "cvr", "reg_no", "account_no", "amount", "reference"})
	total := decimal.Zero
	for _, r := range rows {
		_ = w.Write([]string{itoa(r.MemberID), r.Name, r.CVR, r.RegNo, r.AccountNo, amount(r.Amount), r.Reference})
		total = total.Add(r.Amount)
	}
	_ = w.Write([]string{"", "TOTAL", "", "", "", amount(total), ""})
	w.Flush()
	c.Response().Header().Set("Content-Disposition", `attachment; filename="surplus-run-`+itoa(id)+`-payouts.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

type capitalEntryResponse struct {
	ID          int64     `json:"id"`
	RunID       int64     `json:"run_id"`
	SourceRunID int64     `json:"source_run_id"`
	Kind        string    `json:"kind"`
	Period      string    `json:"period"`
	Amount      string    `json:"amount"`
	CreatedAt   time.Time `json:"created_at"`
}

type capitalResponse struct {
	MemberID int64                  `json:"member_id"`
	Currency string                 `json:"currency"`
	Balance  string                 `json:"balance"`
	Entries  []capitalEntryResponse `json:"entries"`
}

func (s *Server) getCapital(c echo.Context) error {
	id, err := pathID(c, "id", "member")
	if err != nil {
		return err
	}
	acc, err := s.svc.Surplus.Capital(c.Request().Context(), id)
	if err != nil {
		return err
	}
	res := capitalResponse{MemberID: acc.MemberID, Currency: acc.Currency, Balance: amount(acc.Balance), Entries: []capitalEntryResponse{}}
	for _, e := range acc.Entries {
		res.Entries = append(res.Entries, capitalEntryResponse{ID: e.ID, RunID: e.RunID, SourceRunID: e.SourceRunID,
			Kind: e.Kind, Period: e.Period, Amount: amount(e.Amount), CreatedAt: e.CreatedAt})
	}
	return c.JSON(http.StatusOK, res)
}

type bankAccountRequest struct {
	RegNo     string `json:"reg_no" validate:"max=20"`
	AccountNo string `json:"account_no" validate:"max=30"`
}

type bankAccountResponse struct {
	MemberID  int64     `json:"member_id"`
	RegNo     string    `json:"reg_no"`
	AccountNo string    `json:"account_no"`
	UpdatedAt time.Time `json:"updated_at"`
}

func (s *Server) getBankAccount(c echo.Context) error {
	id, err := pathID(c, "id", "member")
	if err != nil {
		return err
	}
	b, err := s.svc.Surplus.BankAccount(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, bankAccountResponse{MemberID: b.MemberID, RegNo: b.RegNo, AccountNo: b.AccountNo, UpdatedAt: b.UpdatedAt})
}

func (s *Server) putBankAccount(c echo.Context) error {
	id, err := pathID(c, "id", "member")
	if err != nil {
		return err
	}
	var req bankAccountRequest
	if err := s.decodeJSON(c, &req); err != nil {
		return err
	}
	b, err := s.svc.Surplus.SetBankAccount(c.Request().Context(), id, req.RegNo, req.AccountNo)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, bankAccountResponse{MemberID: b.MemberID, RegNo: b.RegNo, AccountNo: b.AccountNo, UpdatedAt: b.UpdatedAt})
}
