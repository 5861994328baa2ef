package domain_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/demo"
	"andel/internal/pgtest"

	"github.com/shopspring/decimal"
)

// Input the pages send reaches the domain without the API's request
// validator (web/corpus_test.go sends it): the domain itself refuses what
// its columns and its own helpers cannot hold, never a panic or a 500.

func boundsServices(t *testing.T) (*domain.Services, context.Context) {
	t.Helper()
	svc := domain.NewServices(pgtest.DB(t), domain.Options{})
	admin := domain.WithActor(context.Background(), domain.SystemActor("test"))
	if _, err := demo.Seed(admin, svc, ""); err != nil {
		t.Fatal(err)
	}
	return svc, admin
}

func problemFields(err error) map[string]string {
	out := map[string]string{}
	var de *domain.Error
	if errors.As(err, &de) {
		for _, f := range de.Fields {
			out[f.Field] = f.Message
		}
	}
	return out
}

// A lot from the demand of a "period" that is not one (1e400) is
// listed as such, not pooled (which panicked on months that do not exist).
func TestTenderFromDemandOfNoPeriod(t *testing.T) {
	t.Parallel()
	svc, admin := boundsServices(t)
	d := decimal.RequireFromString
	for _, period := range []string{"1e400", "2027-", "abcde", "2027-H3", "20"} {
		in := domain.TenderInput{Title: "Handsker", ContractFrom: time.Now(), ContractTo: time.Now().AddDate(1, 0, 0),
			BidDeadline: time.Now().Add(time.Hour), RebateRate: d("0.02"),
			Criteria: []domain.CriterionInput{{Name: "price", Weight: d("100")}},
			Lots:     []domain.LotInput{{Title: "Lot", FromDemand: period}}}
		_, err := svc.Tenders.Create(admin, in)
		if domain.ErrorCode(err) != domain.EINVALID || problemFields(err)["lots[0].from_demand.period"] == "" {
			t.Errorf("from demand of %q: %v, want EINVALID naming lots[0].from_demand.period", period, err)
		}
	}
}

// A login with an "e-mail" longer than any address is a wrong login (401),
// not a 500 from indexing 1 MB of it among the failed attempts.
func TestLoginWithAnEmailTooLong(t *testing.T) {
	t.Parallel()
	svc, _ := boundsServices(t)
	ctx := context.Background()
	for _, email := range []string{strings.Repeat("a", 255) + "@x.dk", strings.Repeat("b", 1<<20)} {
		if _, err := svc.Users.Login(ctx, email, demo.Password, "192.0.2.1"); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
			t.Errorf("login as %d bytes: %v, want EUNAUTHORIZED", len(email), err)
		}
	}
	if _, err := svc.Users.Login(ctx, demo.PracticeEmail, demo.Password, "192.0.2.1"); err != nil {
		t.Errorf("the real login: %v", err)
	}
}

// Text longer than its field (a 1 MB name sent by a page) is listed with
// every other problem, as the API's request validator lists it.
func TestTextBounds(t *testing.T) {
	t.Parallel()
	svc, admin := boundsServices(t)
	long := strings.Repeat("x", 1<<20)
	var member, supplier int64
	svc.DB.Raw("SELECT id FROM members ORDER BY id LIMIT 1").Scan(&member)
	svc.DB.Raw("SELECT id FROM suppliers ORDER BY id LIMIT 1").Scan(&supplier)
	_, err := svc.Members.Update(admin, member, domain.MemberInput{Name: &long, ProviderNumber: &long, QualityCluster: &long,
		OrderContact: &domain.OrderContact{Name: long, Phone: long}})
	got := problemFields(err)
	for _, f := range []string{"name", "provider_number", "quality_cluster", "order_contact.name", "order_contact.phone"} {
		if got[f] == "" {
			t.Errorf("member: problems %v lack %s", got, f)
		}
	}
	_, err = svc.Suppliers.Update(admin, supplier, domain.SupplierInput{Name: &long})
	if problemFields(err)["name"] == "" {
		t.Errorf("supplier: %v", err)
	}
	d := decimal.RequireFromString
	var product int64
	svc.DB.Raw("SELECT id FROM products ORDER BY id LIMIT 1").Scan(&product)
	_, err = svc.Tenders.Create(admin, domain.TenderInput{Title: long, Description: long, Category: long, ContractFrom: time.Now(),
		ContractTo: time.Now().AddDate(1, 0, 0), BidDeadline: time.Now().Add(time.Hour), RebateRate: d("0.02"),
		Criteria: []domain.CriterionInput{{Name: "price", Weight: d("100")}},
		Lots:     []domain.LotInput{{Title: long, Items: []domain.LotItemInput{{ProductID: product, Quantity: d("10")}}}}})
	got = problemFields(err)
	for _, f := range []string{"title", "description", "category", "lots[0].title"} {
		if got[f] == "" {
			t.Errorf("tender: problems %v lack %s", got, f)
		}
	}
	// At the bound: taken.
	name := strings.Repeat("æ", 200)
	if _, err := svc.Members.Update(admin, member, domain.MemberInput{Name: &name}); err != nil {
		t.Errorf("a name of 200 characters: %v", err)
	}
}
