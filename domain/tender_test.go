package domain_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/demo"
	"andel/internal/pgtest"

	"github.com/shopspring/decimal"
)

// A tender with several problems lists every one, the criteria's sum
// included: the staff's form shows each next to its field at once.
func TestTenderProblemsListTheWeightSumWithOthers(t *testing.T) {
	t.Parallel()
	svc := domain.NewServices(pgtest.DB(t), domain.Options{})
	admin := domain.WithActor(context.Background(), domain.SystemActor("test"))
	if _, err := demo.Seed(admin, svc, ""); err != nil {
		t.Fatal(err)
	}
	var product int64
	svc.DB.Raw("SELECT id FROM products ORDER BY id LIMIT 1").Scan(&product)
	d := decimal.RequireFromString
	in := domain.TenderInput{Title: " ", ContractFrom: time.Now(), ContractTo: time.Now().AddDate(1, 0, 0),
		BidDeadline: time.Now().Add(time.Hour), RebateRate: d("0.02"),
		Criteria: []domain.CriterionInput{{Name: "price", Weight: d("70")}, {Name: "delivery_days", Weight: d("20"), Direction: "lower_is_better"}},
		Lots:     []domain.LotInput{{Title: "Lot", Items: []domain.LotItemInput{{ProductID: product, Quantity: d("10")}}}}}
	_, err := svc.Tenders.Create(admin, in)
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.EINVALID {
		t.Fatalf("create: %v, want EINVALID", err)
	}
	fields := map[string]string{}
	for _, f := range de.Fields {
		fields[f.Field] = f.Message
	}
	if fields["title"] == "" || fields["criteria"] != "the weights sum to 90, not 100" {
		t.Errorf("problems %v, want the title and the weights' sum", de.Fields)
	}
	// A criterion that cannot be read: its own problem, no sum.
	in.Title = "Handsker"
	in.Criteria[1].Weight = d("0")
	_, err = svc.Tenders.Create(admin, in)
	if !errors.As(err, &de) || len(de.Fields) != 1 || de.Fields[0].Field != "criteria[1].weight" {
		t.Errorf("bad weight: %v", err)
	}
	in.Criteria[1].Weight = d("30")
	if _, err := svc.Tenders.Create(admin, in); err != nil {
		t.Errorf("a good tender: %v", err)
	}
}
