package demo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"

	"andel/domain"

	"gorm.io/gorm"
)

// Demo logins created by Seed.
const (
	AdminEmail    = "admin@demo.andel"
	BoardEmail    = "board@demo.andel"
	PracticeEmail = "practice@demo.andel"
	SupplierEmail = "supplier@demo.andel"
	Password      = "andel-demo"
)

// Summary tells what the demo cooperative holds and how to get in.
type Summary struct {
	Members   int
	Suppliers int
	Products  int
	Logins    []string          // e-mail addresses of the demo users
	APIKeys   map[string]string // supplier name -> bearer key
}

var demoPractices = []struct{ name, cluster, street, postcode, city string }{
	{"Lægehuset Vesterbro", "Klynge København", "Vesterbrogade 112, 1. sal", "1620", "København V"},
	{"Nørrebro Lægepraksis", "Klynge København", "Nørrebrogade 45", "2200", "København N"},
	{"Lægerne på Amager", "Klynge København", "Amagerbrogade 150", "2300", "København S"},
	{"Frederiksberg Lægecenter", "Klynge København", "Falkoner Allé 21", "2000", "Frederiksberg"},
	{"Valby Almen Praksis", "Klynge København", "Valby Langgade 60", "2500", "Valby"},
	{"Østerbro Lægeklinik", "Klynge København", "Østerbrogade 80", "2100", "København Ø"},
	{"Lægerne i Aarhus C", "Klynge Østjylland", "Søndergade 30", "8000", "Aarhus C"},
	{"Viby Lægehus", "Klynge Østjylland", "Viby Torv 4", "8260", "Viby J"},
	{"Skanderborg Lægepraksis", "Klynge Østjylland", "Adelgade 50", "8660", "Skanderborg"},
	{"Randers Lægecenter", "Klynge Østjylland", "Vestergade 12", "8900", "Randers C"},
	{"Silkeborg Almen Praksis", "Klynge Østjylland", "Vestergade 22", "8600", "Silkeborg"},
	{"Horsens Lægeklinik", "Klynge Østjylland", "Søndergade 8", "8700", "Horsens"},
}

var demoSuppliers = []string{
	"Nordisk Klinikforsyning A/S",
	"Dansk Medicinsk Udstyr ApS",
	"Scandi Care Supplies A/S",
}

var demoProducts = []struct{ name, category, unit string }{
	{"Nitrilhandsker, pudderfri, str. M", "handsker", "EA"},
	{"Nitrilhandsker, pudderfri, str. L", "handsker", "EA"},
	{"Engangssprøjte 2 ml, luer lock", "sprøjter", "EA"},
	{"Engangssprøjte 5 ml, luer lock", "sprøjter", "EA"},
	{"Gazekompres 10x10 cm, steril", "forbinding", "EA"},
	{"Spritswab 70% isopropyl", "forbinding", "EA"},
	{"Blodsukker-teststrimler", "diagnostik", "EA"},
	{"Urinstix 10 parametre", "diagnostik", "EA"},
	{"Briksepapir 50 cm", "papir", "MTR"},
}

// demoCVR returns the i'th of a fixed series of valid CVR numbers.
func demoCVR(i int) string {
	weights := [7]int{2, 7, 6, 5, 4, 3, 2}
	for n := 31000000/10 + i*7919; ; n++ {
		body := strconv.Itoa(n)
		sum := 0
		for j := 0; j < 7; j++ {
			sum += int(body[j]-'0') * weights[j]
		}
		if d := (11 - sum%11) % 11; d < 10 {
			return body + strconv.Itoa(d)
		}
	}
}

// demoGTIN returns a GTIN-13 with a Danish GS1 prefix and a valid check digit.
func demoGTIN(i int) string {
	body := fmt.Sprintf("5790000%05d", 10+i*11)
	for d := 0; d <= 9; d++ {
		if g := body + strconv.Itoa(d); domain.ValidGTIN(g) {
			return g
		}
	}
	panic("unreachable: some check digit always fits")
}

// seedAddress gives member id its demo delivery address unless it has one.
func seedAddress(ctx context.Context, svc *domain.Services, id int64, street, postcode, city string) error {
	var n int64
	if err := svc.DB.WithContext(ctx).Model(&domain.MemberAddress{}).Where("member_id = ?", id).Count(&n).Error; err != nil || n > 0 {
		return err
	}
	label := "Klinikken"
	_, err := svc.Members.AddAddress(ctx, id, domain.AddressInput{Label: &label, Street: &street, Postcode: &postcode, City: &city})
	return err
}

// demoAPIKeySecret derives a supplier's demo key from the demo password so
// that the printed keys are the same on every run of the seed.
func demoAPIKeySecret(password string, i int) (prefix, secret string) {
	sum := sha256.Sum256([]byte("andel-demo-api-key\x00" + password + "\x00" + strconv.Itoa(i)))
	return fmt.Sprintf("demo%d", i+1), hex.EncodeToString(sum[:])
}

// Seed creates a small believable cooperative through svc, or completes
// one that a previous run left: running it again changes nothing. password
// is the demo users' password (Password when empty).
func Seed(ctx context.Context, svc *domain.Services, password string) (*Summary, error) {
	if password == "" {
		password = Password
	}
	ctx = domain.WithActor(ctx, domain.SystemActor("seed"))
	sum := &Summary{APIKeys: map[string]string{}}

	var firstMember, firstSupplier int64
	for i, p := range demoPractices {
		cvr, name, cluster, gln := demoCVR(i), p.name, p.cluster, demoGTIN(1000+i)
		contact := domain.OrderContact{Name: "Sygeplejersken", Email: fmt.Sprintf("bestilling%d@praksis.demo.andel", i+1),
			Phone: fmt.Sprintf("70 20 %02d %02d", 10+i, 30+i)}
		id, err := ensure(ctx, svc.DB, "members", "cvr", cvr, func() (int64, error) {
			m, err := svc.Members.Create(ctx, domain.MemberInput{Name: &name, CVR: &cvr, QualityCluster: &cluster,
				GLN: &gln, OrderContact: &contact})
			if err != nil {
				return 0, err
			}
			return m.ID, nil
		})
		if err != nil {
			return nil, fmt.Errorf("seed member %s: %w", name, err)
		}
		if err := seedAddress(ctx, svc, id, p.street, p.postcode, p.city); err != nil {
			return nil, fmt.Errorf("seed address of %s: %w", name, err)
		}
		if i == 0 {
			firstMember = id
		}
		sum.Members++
	}
	for i, name := range demoSuppliers {
		vat, name := "DK"+demoCVR(100+i), name
		id, err := ensure(ctx, svc.DB, "suppliers", "vat_id", vat, func() (int64, error) {
			sup, err := svc.Suppliers.Create(ctx, domain.SupplierInput{Name: &name, VATID: &vat})
			if err != nil {
				return 0, err
			}
			return sup.ID, nil
		})
		if err != nil {
			return nil, fmt.Errorf("seed supplier %s: %w", name, err)
		}
		if i == 0 {
			firstSupplier = id
		}
		prefix, secret := demoAPIKeySecret(password, i)
		if _, err := ensure(ctx, svc.DB, "api_keys", "prefix", prefix, func() (int64, error) {
			k, err := svc.Suppliers.StoreAPIKey(ctx, id, "demo", prefix, secret)
			if err != nil {
				return 0, err
			}
			return k.ID, nil
		}); err != nil {
			return nil, fmt.Errorf("seed API key of %s: %w", name, err)
		}
		sum.APIKeys[name] = domain.APIKeyText(prefix, secret)
		sum.Suppliers++
	}
	for i, p := range demoProducts {
		gtin := demoGTIN(i)
		if _, err := ensure(ctx, svc.DB, "products", "gtin", gtin, func() (int64, error) {
			var id int64
			err := svc.DB.WithContext(ctx).Raw(
				"INSERT INTO products (name, gtin, category, base_unit) VALUES (?, ?, ?, ?) RETURNING id",
				p.name, gtin, p.category, p.unit).Scan(&id).Error
			return id, err
		}); err != nil {
			return nil, fmt.Errorf("seed product %s: %w", p.name, err)
		}
		sum.Products++
	}
	users := []domain.NewUser{
		{Email: AdminEmail, Role: domain.RoleAdmin},
		{Email: BoardEmail, Role: domain.RoleBoard},
		{Email: PracticeEmail, Role: domain.RoleMember, MemberID: firstMember},
		{Email: SupplierEmail, Role: domain.RoleSupplier, SupplierID: firstSupplier},
	}
	for _, u := range users {
		u.Password = password
		if _, err := ensure(ctx, svc.DB, "users", "email", u.Email, func() (int64, error) {
			created, err := svc.Users.Create(ctx, u)
			if err != nil {
				return 0, err
			}
			return created.ID, nil
		}); err != nil {
			return nil, fmt.Errorf("seed user %s: %w", u.Email, err)
		}
		sum.Logins = append(sum.Logins, u.Email)
	}
	return sum, nil
}

// ensure returns the id of the row of table whose column equals value,
// creating it with create when there is none.
func ensure(ctx context.Context, db *gorm.DB, table, column, value string, create func() (int64, error)) (int64, error) {
	var id int64
	err := db.WithContext(ctx).Table(table).Select("id").Where(column+" = ?", value).Take(&id).Error
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, err
	}
	return create()
}

// Logins are the demo users' e-mail addresses.
var Logins = []string{AdminEmail, BoardEmail, PracticeEmail, SupplierEmail}

// UsersExist reports whether any demo login is present, so that the
// server can warn that it runs with publicly known passwords.
func UsersExist(ctx context.Context, db *gorm.DB) (bool, error) {
	var n int64
	err := db.WithContext(ctx).Table("users").
		Where("email IN ?", Logins).
		Count(&n).Error
	return n > 0, err
}
