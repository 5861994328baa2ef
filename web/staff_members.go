package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

// The staff's console (role admin), the part of members, suppliers,
// catalogue and audit (staff_*.go; the tenders and jobs pages are their
// own files). Every page calls the same domain services as the JSON API;
// another role gets the 404 page for any /staff path.

func (p *Pages) staffConsoleRoutes(g *echo.Group) {
	s := g.Group("/staff", requireRole(domain.RoleAdmin))
	p.staffMemberRoutes(s)
	p.staffSupplierRoutes(s)
	p.staffCatalogueRoutes(s)
	p.staffAuditRoutes(s)
}

func init() {
	for _, k := range []string{"member-created", "member-saved", "member-suspended", "member-reactivated",
		"address-added", "address-removed", "address-default", "bank-saved", "supplier-created", "supplier-saved",
		"product-confirmed", "product-merged", "rate-saved"} {
		validFlash[k] = true
	}
}

// fieldErrs groups a form's problems by field, for the messages shown
// next to each field (and the list above the form).
type fieldErrs map[string][]string

// formProblems returns the problems of a refused form (EINVALID, or
// ECONFLICT naming fields) and the status to answer with; ok is false
// for any other error, which the caller returns as it is. The messages are
// in the page's language (Localizer.Problem).
func formProblems(err error, l *Localizer) (fieldErrs, []domain.FieldError, int, bool) {
	var de *domain.Error
	if !errors.As(err, &de) || (de.Code != domain.EINVALID && de.Code != domain.ECONFLICT) {
		return nil, nil, 0, false
	}
	if de.Code == domain.ECONFLICT && len(de.Fields) == 0 {
		return nil, nil, 0, false
	}
	fields := de.Fields
	if len(fields) == 0 {
		fields = []domain.FieldError{{Field: "form", Message: de.Message}}
	}
	errs := fieldErrs{}
	shown := make([]domain.FieldError, len(fields))
	for i, f := range fields {
		shown[i] = domain.FieldError{Field: f.Field, Message: l.Problem(f.Message)}
		errs[f.Field] = append(errs[f.Field], shown[i].Message)
	}
	fields = shown
	status := http.StatusUnprocessableEntity
	if de.Code == domain.ECONFLICT {
		status = http.StatusConflict
	}
	return errs, fields, status, true
}

func (p *Pages) staffMemberRoutes(s *echo.Group) {
	s.GET("/members", p.staffMembers)
	s.GET("/members/new", p.staffMemberNew)
	s.POST("/members", p.staffMemberCreate)
	s.GET("/members/cvr", p.staffCVRCheck)
	s.GET("/members/:id", p.staffMember)
	s.POST("/members/:id", p.staffMemberUpdate)
	s.POST("/members/:id/status", p.staffMemberStatus)
	s.POST("/members/:id/addresses", p.staffAddressAdd)
	s.POST("/members/:id/addresses/:aid/default", p.staffAddressDefault)
	s.POST("/members/:id/addresses/:aid/delete", p.staffAddressDelete)
	s.POST("/members/:id/bank", p.staffBankSet)
}

// --- List and search ---

type staffMembersData struct {
	Members []domain.Member
	Query   string
	Status  string
	Next    int64
}

// staffMembers lists the members by id, 50 a page, searched by part of
// the name or the CVR number and filtered by status.
func (p *Pages) staffMembers(c echo.Context) error {
	d := staffMembersData{Query: strings.TrimSpace(c.QueryParam("q")), Status: c.QueryParam("status")}
	st := domain.MemberStatus(d.Status)
	if st != domain.MemberActive && st != domain.MemberSuspended && st != domain.MemberLeft {
		st, d.Status = "", ""
	}
	var err error
	d.Members, d.Next, err = p.svc.Members.List(c.Request().Context(), domain.MemberFilter{Query: d.Query, Status: st,
		Page: domain.Page{Limit: 50, After: formInt(c, "after")}})
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "staff_members", d)
}

// --- One member: create, edit, status, addresses, bank ---

// memberForm is the member form as typed, shown again when refused.
type memberForm struct {
	Name, CVR, ProviderNumber, QualityCluster, GLN, JoinedOn string
	ContactName, ContactEmail, ContactPhone                  string
}

func memberFormOf(m *domain.Member) memberForm {
	deref := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	return memberForm{Name: m.Name, CVR: m.CVR, ProviderNumber: deref(m.ProviderNumber), QualityCluster: deref(m.QualityCluster),
		GLN: deref(m.GLN), JoinedOn: m.JoinedOn.Format(time.DateOnly), ContactName: m.OrderContactName,
		ContactEmail: m.OrderContactEmail, ContactPhone: m.OrderContactPhone}
}

func memberFormFrom(c echo.Context) memberForm {
	v := func(k string) string { return strings.TrimSpace(c.FormValue(k)) }
	return memberForm{Name: v("name"), CVR: v("cvr"), ProviderNumber: v("provider_number"), QualityCluster: v("quality_cluster"),
		GLN: v("gln"), JoinedOn: v("joined_on"), ContactName: v("contact_name"), ContactEmail: v("contact_email"),
		ContactPhone: v("contact_phone")}
}

// input turns the form into the domain's input; a date that is not one
// goes in as Invalid, listed by the domain with every other problem.
func (f memberForm) input() domain.MemberInput {
	in := domain.MemberInput{Name: &f.Name, CVR: &f.CVR, ProviderNumber: &f.ProviderNumber, QualityCluster: &f.QualityCluster,
		GLN: &f.GLN, OrderContact: &domain.OrderContact{Name: f.ContactName, Email: f.ContactEmail, Phone: f.ContactPhone}}
	if f.JoinedOn != "" {
		d, err := time.Parse(time.DateOnly, f.JoinedOn)
		if err != nil {
			in.Invalid.Add("joined_on", "must be a date (YYYY-MM-DD)")
		} else {
			in.JoinedOn = &d
		}
	}
	return in
}

type addressForm struct{ Label, Street, Postcode, City, Country string }

type staffMemberData struct {
	Member    *domain.Member // nil on the form of a new member
	Form      memberForm
	Errs      fieldErrs // the details form's problems by field
	Problems  []domain.FieldError
	Addresses []domain.MemberAddress
	Address   addressForm
	AddrErrs  fieldErrs
	Bank      *domain.BankAccount
	BankForm  struct{ RegNo, AccountNo string }
	BankErrs  fieldErrs
	Clusters  []string
	CVR       cvrCheck // what is wrong with the CVR number sent, if anything
}

// cvrCheck is the message under the CVR field: a catalogue key and its
// argument; Bad when it is a problem.
type cvrCheck struct {
	Key, Arg string
	Bad      bool
}

// checkCVR words what is wrong with a CVR number typed (spaces dropped, as
// the domain does), or that it is taken by another member than self.
func (p *Pages) checkCVR(c echo.Context, typed string, self int64) cvrCheck {
	cvr := strings.ReplaceAll(strings.TrimSpace(typed), " ", "")
	if fault := domain.CheckCVR(cvr); fault != "" {
		return cvrCheck{Key: "staff.cvr." + string(fault), Arg: strconv.Itoa(len(cvr)), Bad: true}
	}
	rows, _, err := p.svc.Members.List(c.Request().Context(), domain.MemberFilter{Query: cvr, Page: domain.Page{Limit: 10}})
	if err == nil {
		for _, m := range rows {
			if m.CVR == cvr && m.ID != self {
				return cvrCheck{Key: "staff.cvr.taken", Arg: m.Name, Bad: true}
			}
		}
	}
	return cvrCheck{Key: "staff.cvr.ok"}
}

// staffCVRCheck answers the CVR field's check as the staff type (htmx):
// the message element only.
func (p *Pages) staffCVRCheck(c echo.Context) error {
	d := staffMemberData{CVR: p.checkCVR(c, c.QueryParam("cvr"), formInt(c, "id"))}
	return p.renderBlock(c, http.StatusOK, "staff_member", "cvr-msg", d)
}

func (p *Pages) staffMemberNew(c echo.Context) error {
	d := staffMemberData{Form: memberForm{JoinedOn: time.Now().Format(time.DateOnly)}}
	return p.renderMember(c, http.StatusOK, d)
}

// renderMember fills in what the member page shows beside its forms.
func (p *Pages) renderMember(c echo.Context, status int, d staffMemberData) error {
	ctx := c.Request().Context()
	var err error
	if d.Clusters, err = p.svc.Members.ClusterNames(ctx); err != nil {
		return err
	}
	if d.Member != nil {
		if d.Addresses, err = p.svc.Members.Addresses(ctx, d.Member.ID); err != nil {
			return err
		}
		d.Bank, err = p.svc.Surplus.BankAccount(ctx, d.Member.ID)
		if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
			return err
		}
		if d.Address.Country == "" {
			d.Address.Country = "DK"
		}
	}
	if d.Errs["cvr"] != nil && d.CVR.Key == "" {
		var self int64
		if d.Member != nil {
			self = d.Member.ID
		}
		if d.CVR = p.checkCVR(c, d.Form.CVR, self); !d.CVR.Bad {
			d.CVR = cvrCheck{Key: "staff.cvr.taken.any", Bad: true} // taken meanwhile
		}
	}
	return p.render(c, status, "staff_member", d)
}

func (p *Pages) staffMemberCreate(c echo.Context) error {
	f := memberFormFrom(c)
	m, err := p.svc.Members.Create(c.Request().Context(), f.input())
	if err != nil {
		errs, fields, status, ok := formProblems(err, pageOf(c).L)
		if !ok {
			return err
		}
		return p.renderMember(c, status, staffMemberData{Form: f, Errs: errs, Problems: fields})
	}
	return seeOther(c, "/staff/members/"+strconv.FormatInt(m.ID, 10)+"?done=member-created")
}

func (p *Pages) staffMember(c echo.Context) error {
	m, err := p.memberOf(c)
	if err != nil {
		return err
	}
	return p.renderMember(c, http.StatusOK, staffMemberData{Member: m, Form: memberFormOf(m)})
}

func (p *Pages) memberOf(c echo.Context) (*domain.Member, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	return p.svc.Members.Get(c.Request().Context(), id)
}

func (p *Pages) staffMemberUpdate(c echo.Context) error {
	m, err := p.memberOf(c)
	if err != nil {
		return err
	}
	f := memberFormFrom(c)
	if _, err := p.svc.Members.Update(c.Request().Context(), m.ID, f.input()); err != nil {
		errs, fields, status, ok := formProblems(err, pageOf(c).L)
		if !ok {
			return err
		}
		return p.renderMember(c, status, staffMemberData{Member: m, Form: f, Errs: errs, Problems: fields})
	}
	return seeOther(c, "/staff/members/"+strconv.FormatInt(m.ID, 10)+"?done=member-saved")
}

// staffMemberStatus suspends a member or makes it active again.
func (p *Pages) staffMemberStatus(c echo.Context) error {
	m, err := p.memberOf(c)
	if err != nil {
		return err
	}
	st := domain.MemberStatus(c.FormValue("status"))
	done := "member-suspended"
	if st == domain.MemberActive {
		done = "member-reactivated"
	}
	if _, err := p.svc.Members.Update(c.Request().Context(), m.ID, domain.MemberInput{Status: &st}); err != nil {
		return err // a status not offered by the page: the domain's 422
	}
	return seeOther(c, "/staff/members/"+strconv.FormatInt(m.ID, 10)+"?done="+done)
}

func (p *Pages) staffAddressAdd(c echo.Context) error {
	m, err := p.memberOf(c)
	if err != nil {
		return err
	}
	v := func(k string) string { return strings.TrimSpace(c.FormValue(k)) }
	f := addressForm{Label: v("label"), Street: v("street"), Postcode: v("postcode"), City: v("city"), Country: v("country")}
	def := c.FormValue("is_default") != ""
	_, err = p.svc.Members.AddAddress(c.Request().Context(), m.ID, domain.AddressInput{Label: &f.Label, Street: &f.Street,
		Postcode: &f.Postcode, City: &f.City, Country: &f.Country, IsDefault: &def})
	if err != nil {
		errs, _, status, ok := formProblems(err, pageOf(c).L)
		if !ok {
			return err
		}
		return p.renderMember(c, status, staffMemberData{Member: m, Form: memberFormOf(m), Address: f, AddrErrs: errs})
	}
	return seeOther(c, "/staff/members/"+strconv.FormatInt(m.ID, 10)+"?done=address-added#addresses-h")
}

func addressID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("aid"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.NotFound("address")
	}
	return id, nil
}

func (p *Pages) staffAddressDefault(c echo.Context) error {
	m, err := p.memberOf(c)
	if err != nil {
		return err
	}
	aid, err := addressID(c)
	if err != nil {
		return err
	}
	yes := true
	if _, err := p.svc.Members.UpdateAddress(c.Request().Context(), m.ID, aid, domain.AddressInput{IsDefault: &yes}); err != nil {
		return err
	}
	return seeOther(c, "/staff/members/"+strconv.FormatInt(m.ID, 10)+"?done=address-default#addresses-h")
}

func (p *Pages) staffAddressDelete(c echo.Context) error {
	m, err := p.memberOf(c)
	if err != nil {
		return err
	}
	aid, err := addressID(c)
	if err != nil {
		return err
	}
	if err := p.svc.Members.DeleteAddress(c.Request().Context(), m.ID, aid); err != nil {
		return err
	}
	return seeOther(c, "/staff/members/"+strconv.FormatInt(m.ID, 10)+"?done=address-removed#addresses-h")
}

// staffBankSet sets the account refunds are paid to.
func (p *Pages) staffBankSet(c echo.Context) error {
	m, err := p.memberOf(c)
	if err != nil {
		return err
	}
	reg, acc := strings.TrimSpace(c.FormValue("reg_no")), strings.TrimSpace(c.FormValue("account_no"))
	if _, err := p.svc.Surplus.SetBankAccount(c.Request().Context(), m.ID, reg, acc); err != nil {
		errs, _, status, ok := formProblems(err, pageOf(c).L)
		if !ok {
			return err
		}
		d := staffMemberData{Member: m, Form: memberFormOf(m), BankErrs: errs}
		d.BankForm.RegNo, d.BankForm.AccountNo = reg, acc
		return p.renderMember(c, status, d)
	}
	return seeOther(c, "/staff/members/"+strconv.FormatInt(m.ID, 10)+"?done=bank-saved#bank-h")
}

// last4 is the end of an account number, all the page shows of it.
func last4(s string) string {
	if len(s) <= 4 {
		return s
	}
	return s[len(s)-4:]
}

func init() {
	funcs["last4"] = last4
	// sdict makes a map of its key, value arguments, for partials that
	// take more than one value (staff-ferr).
	funcs["sdict"] = func(kv ...any) map[string]any {
		m := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			k, _ := kv[i].(string)
			m[k] = kv[i+1]
		}
		return m
	}
}
