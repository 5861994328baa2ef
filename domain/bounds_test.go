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

// A cart or list line names an offer of its product or none (0): an offer
// that does not exist, a negative one, or another product's is refused.
func TestCartLineOfferOfItsProduct(t *testing.T) {
	t.Parallel()
	svc, _ := boundsServices(t)
	var member int64
	svc.DB.Raw("SELECT id FROM members ORDER BY id LIMIT 1").Scan(&member)
	// Two offers of two products on a list of the first supplier (as
	// web/shop_test.go's catalogue does).
	var supplier int64
	var products []int64
	svc.DB.Raw("SELECT id FROM suppliers ORDER BY id LIMIT 1").Scan(&supplier)
	svc.DB.Raw("SELECT id FROM products ORDER BY id LIMIT 2").Scan(&products)
	if err := svc.DB.Exec(`INSERT INTO price_lists (id, supplier_id, format, content_type, body_sha256, body_bytes, status, created_by)
		OVERRIDING SYSTEM VALUE VALUES (910001, ?, 'csv', 'text/csv', sha256('910001'::bytea), 0, 'active', 'test')`, supplier).Error; err != nil {
		t.Fatal(err)
	}
	var offers [2]struct{ ID, ProductID int64 }
	for i, p := range products {
		offers[i].ProductID = p
		if err := svc.DB.Raw(`INSERT INTO offers (supplier_id, price_list_id, line_no, sku, name, category, product_id, pack_unit,
			pack_content, base_unit, pack_price, currency, min_qty, status) VALUES (?, 910001, ?, ?, 'Vare', 'Handsker', ?, 'BX', 100, 'EA', '12.50', 'DKK', 1, 'active')
			RETURNING id`, supplier, i+1, "SKU-"+string(rune('A'+i)), p).Scan(&offers[i].ID).Error; err != nil {
			t.Fatal(err)
		}
	}
	own, other := offers[0], offers[1]
	ctx := domain.WithActor(context.Background(), domain.Actor{UserID: 1, Role: domain.RoleMember, MemberID: member, Label: "test"})
	carts, lists := domain.NewCartService(svc), domain.NewStandardListService(svc)
	list, err := lists.Create(ctx, "Grænser")
	if err != nil {
		t.Fatal(err)
	}
	for _, offer := range []int64{-1, 987654321, other.ID} {
		in := domain.OrderLineInput{ProductID: own.ProductID, OfferID: offer, Quantity: 1}
		if err := carts.Add(ctx, in); problemFields(err)["offer_id"] == "" {
			t.Errorf("cart line of offer %d: %v, want offer_id refused", offer, err)
		}
		if err := lists.SetLine(ctx, list.ID, in); problemFields(err)["offer_id"] == "" {
			t.Errorf("list line of offer %d: %v, want offer_id refused", offer, err)
		}
	}
	var n int64
	svc.DB.Raw("SELECT (SELECT count(*) FROM cart_lines) + (SELECT count(*) FROM standard_list_lines)").Scan(&n)
	if n != 0 {
		t.Errorf("%d lines kept", n)
	}
	for _, offer := range []int64{0, own.ID} {
		in := domain.OrderLineInput{ProductID: own.ProductID, OfferID: offer, Quantity: 1}
		if err := carts.Add(ctx, in); err != nil {
			t.Errorf("cart line of offer %d: %v", offer, err)
		}
		if err := lists.SetLine(ctx, list.ID, in); err != nil {
			t.Errorf("list line of offer %d: %v", offer, err)
		}
	}
}

// A draft cancelled before it was published is not shown to suppliers
// and members (it was shown as soon as it was cancelled); a published
// tender cancelled still is.
func TestCancelledDraftStaysUnseen(t *testing.T) {
	t.Parallel()
	svc, admin := boundsServices(t)
	d := decimal.RequireFromString
	var product, supplier int64
	svc.DB.Raw("SELECT id FROM products ORDER BY id LIMIT 1").Scan(&product)
	svc.DB.Raw("SELECT id FROM suppliers ORDER BY id LIMIT 1").Scan(&supplier)
	in := domain.TenderInput{Title: "Handsker", ContractFrom: time.Now(), ContractTo: time.Now().AddDate(1, 0, 0),
		BidDeadline: time.Now().Add(time.Hour), RebateRate: d("0.02"),
		Criteria: []domain.CriterionInput{{Name: "price", Weight: d("100")}},
		Lots:     []domain.LotInput{{Title: "Lot", Items: []domain.LotItemInput{{ProductID: product, Quantity: d("10")}}}}}
	draft, err := svc.Tenders.Create(admin, in)
	if err != nil {
		t.Fatal(err)
	}
	published, err := svc.Tenders.Create(admin, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Tenders.Publish(admin, published.ID); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{draft.ID, published.ID} {
		if _, err := svc.Tenders.Cancel(admin, id, "ikke mere"); err != nil {
			t.Fatal(err)
		}
	}
	sup := domain.WithActor(context.Background(), domain.Actor{UserID: 1, Role: domain.RoleSupplier, SupplierID: supplier, Label: "test"})
	if _, err := svc.Tenders.Get(sup, draft.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("a cancelled draft to a supplier: %v, want ENOTFOUND", err)
	}
	if _, err := svc.Tenders.Get(sup, published.ID); err != nil {
		t.Errorf("a cancelled published tender to a supplier: %v", err)
	}
	list, _, err := svc.Tenders.List(sup, domain.TenderFilter{Page: domain.Page{Limit: 50}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tn := range list {
		if tn.ID == draft.ID {
			t.Errorf("the cancelled draft is listed to a supplier")
		}
	}
}

// A surplus run's income and cost lines bound their description (500)
// and category (200), as the API's request validator does: the staff's
// surplus form stored 1 MB of either.
func TestSurplusLineTextBounds(t *testing.T) {
	t.Parallel()
	svc, admin := boundsServices(t)
	long := strings.Repeat("x", 1<<20)
	_, err := svc.Surplus.Prepare(admin, domain.SurplusRunInput{Period: "2025", CashPercent: "100",
		OtherIncome: []domain.SurplusLineInput{{Description: "Renter", Category: long, Amount: "10"}},
		Costs:       []domain.SurplusLineInput{{Description: long, Amount: "10"}}})
	got := problemFields(err)
	if got["other_income[0].category"] == "" {
		t.Errorf("income category: problems %v", got)
	}
	if got["costs[0].description"] == "" {
		t.Errorf("cost description: problems %v", got)
	}
}
