package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"andel/domain"
	"andel/pricing"

	"github.com/labstack/echo/v4"
)

// ocdsPublisher names the cooperative in its OCDS releases.
const ocdsPublisher = "Andel indkøbsforening"

// OCDS identifiers of the cooperative's releases.
const (
	// ocidPrefix starts every contracting process id (ocid) of Andel.
	ocidPrefix = "ocds-andel0-tender-"
	// ocdsBuyerID is the cooperative's party id in its own releases.
	ocdsBuyerID = "andel"
)

// ocdsExtensions are the OCDS extensions the releases use (lots, bid
// statistics).
var ocdsExtensions = []string{
	"https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json",
	"https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json",
}

func (s *Server) tenderOCDS(c echo.Context) error {
	id, err := pathID(c, "id", "tender")
	if err != nil {
		return err
	}
	rec, err := s.svc.Tenders.Record(c.Request().Context(), id)
	if err != nil {
		return err
	}
	uri := c.Scheme() + "://" + c.Request().Host + c.Request().URL.Path
	return c.JSON(http.StatusOK, ocdsReleasePackage(rec, ocdsPublisher, uri))
}

// The OCDS 1.1 release package, typed as far as Andel fills it in. Amounts
// and quantities are JSON numbers, as OCDS requires, written from the exact
// decimal strings (json.Number), never through a float.
type (
	ocdsPackage struct {
		URI           string        `json:"uri"`
		Version       string        `json:"version"`
		PublishedDate string        `json:"publishedDate"`
		Publisher     ocdsName      `json:"publisher"`
		Releases      []ocdsRelease `json:"releases"`
		Extensions    []string      `json:"extensions"`
	}
	ocdsName struct {
		Name string `json:"name"`
	}
	ocdsRelease struct {
		OCID           string         `json:"ocid"`
		ID             string         `json:"id"`
		Date           string         `json:"date"`
		Tag            []string       `json:"tag"`
		InitiationType string         `json:"initiationType"`
		Language       string         `json:"language"`
		Parties        []ocdsParty    `json:"parties"`
		Buyer          ocdsRef        `json:"buyer"`
		Tender         ocdsTender     `json:"tender"`
		Bids           *ocdsBids      `json:"bids,omitempty"`
		Awards         []ocdsAward    `json:"awards,omitempty"`
		Contracts      []ocdsContract `json:"contracts,omitempty"`
	}
	ocdsRef struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	ocdsParty struct {
		ID    string   `json:"id"`
		Name  string   `json:"name"`
		Roles []string `json:"roles"`
	}
	ocdsTender struct {
		ID                      string              `json:"id"`
		Title                   string              `json:"title"`
		Description             string              `json:"description"`
		Status                  string              `json:"status"`
		Classification          *ocdsClassification `json:"classification,omitempty"`
		Items                   []ocdsItem          `json:"items"`
		Lots                    []ocdsLot           `json:"lots"`
		ProcurementMethod       string              `json:"procurementMethod"`
		MainProcurementCategory string              `json:"mainProcurementCategory"`
		AwardCriteria           string              `json:"awardCriteria"`
		AwardCriteriaDetails    string              `json:"awardCriteriaDetails"`
		SubmissionMethod        []string            `json:"submissionMethod"`
		TenderPeriod            ocdsPeriod          `json:"tenderPeriod"`
		ContractPeriod          ocdsPeriod          `json:"contractPeriod"`
		ProcuringEntity         ocdsRef             `json:"procuringEntity"`
		// NumberOfTenderers is nil while the bids are sealed.
		NumberOfTenderers *int      `json:"numberOfTenderers,omitempty"`
		Tenderers         []ocdsRef `json:"tenderers,omitempty"`
	}
	ocdsClassification struct {
		Scheme      string `json:"scheme"`
		ID          string `json:"id"`
		Description string `json:"description,omitempty"`
	}
	ocdsLot struct {
		ID          string `json:"id"`
		Title       string `json:"title"`
		Description string `json:"description"`
		Status      string `json:"status"`
	}
	ocdsItem struct {
		ID             string             `json:"id"`
		Description    string             `json:"description"`
		Classification ocdsClassification `json:"classification"`
		Quantity       json.Number        `json:"quantity"`
		Unit           ocdsUnit           `json:"unit"`
		RelatedLot     string             `json:"relatedLot"`
	}
	ocdsUnit struct {
		Scheme string `json:"scheme"`
		ID     string `json:"id"`
		Name   string `json:"name,omitempty"`
	}
	ocdsPeriod struct {
		StartDate string `json:"startDate,omitempty"`
		EndDate   string `json:"endDate,omitempty"`
	}
	ocdsBids struct {
		Statistics []ocdsStatistic `json:"statistics"`
	}
	ocdsStatistic struct {
		ID         string `json:"id"`
		Measure    string `json:"measure"`
		Value      int    `json:"value"`
		RelatedLot string `json:"relatedLot,omitempty"`
	}
	ocdsAward struct {
		ID             string     `json:"id"`
		Title          string     `json:"title"`
		Description    string     `json:"description,omitempty"`
		Status         string     `json:"status"`
		Date           string     `json:"date"`
		Value          *ocdsValue `json:"value,omitempty"`
		Suppliers      []ocdsRef  `json:"suppliers"`
		Items          []ocdsItem `json:"items"`
		RelatedLots    []string   `json:"relatedLots"`
		ContractPeriod ocdsPeriod `json:"contractPeriod"`
	}
	ocdsContract struct {
		ID          string     `json:"id"`
		AwardID     string     `json:"awardID"`
		Title       string     `json:"title"`
		Description string     `json:"description,omitempty"`
		Status      string     `json:"status"`
		Period      ocdsPeriod `json:"period"`
		Value       *ocdsValue `json:"value,omitempty"`
	}
	ocdsValue struct {
		Amount   json.Number `json:"amount"`
		Currency string      `json:"currency"`
	}
)

// ocdsStatus is the OCDS tender (and lot) status of a tender status.
func ocdsStatus(status domain.TenderStatus) string {
	switch status {
	case domain.TenderDraft:
		return "planned"
	case domain.TenderPublished, domain.TenderClosed:
		return "active"
	case domain.TenderAwarded:
		return "complete"
	case domain.TenderCancelled:
		return "cancelled"
	case domain.TenderUnsuccessful:
		return "unsuccessful"
	}
	return ""
}

// ocdsTags are the OCDS release tags of a tender status.
func ocdsTags(status domain.TenderStatus) []string {
	switch status {
	case domain.TenderDraft:
		return []string{"planning"}
	case domain.TenderPublished:
		return []string{"tender"}
	case domain.TenderClosed, domain.TenderUnsuccessful:
		return []string{"tenderUpdate"}
	case domain.TenderAwarded:
		return []string{"award", "contract"}
	case domain.TenderCancelled:
		return []string{"tenderCancellation"}
	}
	return nil
}

// ocdsReleasePackage writes the tender's record as an OCDS 1.1 release
// package with one release describing its current state: the tender with
// its lots and items, and once the tender has closed the bid statistics
// and tenderers, the awards and the contracts.
func ocdsReleasePackage(rec *domain.TenderRecord, publisher, uri string) ocdsPackage {
	t := rec.Tender
	ocid := ocidPrefix + strconv.FormatInt(t.ID, 10)
	status := ocdsStatus(t.Status)
	buyer := ocdsRef{ID: ocdsBuyerID, Name: publisher}
	parties := []ocdsParty{{ID: ocdsBuyerID, Name: publisher, Roles: []string{"buyer", "procuringEntity"}}}

	var items []ocdsItem
	var lots []ocdsLot
	itemsOfLot := map[int64][]ocdsItem{}
	for _, l := range t.Lots {
		lotID := strconv.FormatInt(l.ID, 10)
		lots = append(lots, ocdsLot{ID: lotID, Title: l.Title, Description: l.Description, Status: status})
		for _, it := range l.Items {
			item := ocdsItem{ID: strconv.FormatInt(it.ID, 10), Description: it.ProductName,
				Classification: ocdsClassification{Scheme: "x_andel_product", ID: strconv.FormatInt(it.ProductID, 10), Description: it.ProductName},
				Quantity:       json.Number(it.Quantity.String()),
				Unit:           newOCDSUnit(it.BaseUnit), RelatedLot: lotID}
			items = append(items, item)
			itemsOfLot[l.ID] = append(itemsOfLot[l.ID], item)
		}
	}
	criteria := []string{"price " + t.PriceWeight.String()}
	for _, c := range t.Criteria {
		criteria = append(criteria, fmt.Sprintf("%s %s (%s)", c.Name, c.Weight.String(), c.Direction))
	}
	awardCriteria := "ratedCriteria"
	if len(t.Criteria) == 0 {
		awardCriteria = "priceOnly"
	}
	tender := ocdsTender{ID: strconv.FormatInt(t.ID, 10), Title: t.Title, Description: t.Description,
		Status: status, Items: items, Lots: lots, ProcurementMethod: "open",
		MainProcurementCategory: "goods", AwardCriteria: awardCriteria,
		AwardCriteriaDetails: "Weights out of 100: " + strings.Join(criteria, ", "),
		SubmissionMethod:     []string{"electronicSubmission"},
		TenderPeriod:         newOCDSPeriod(t.PublishedAt, &t.BidDeadline),
		ContractPeriod:       newOCDSPeriod(&t.ContractFrom, &t.ContractTo),
		ProcuringEntity:      buyer}
	if t.Category != "" {
		tender.Classification = &ocdsClassification{Scheme: "x_andel_category", ID: t.Category}
	}
	release := ocdsRelease{OCID: ocid, Tag: ocdsTags(t.Status), InitiationType: "tender",
		Buyer: buyer, Language: "da"}

	if rec.Unsealed {
		for _, b := range rec.Bids {
			ref := ocdsRef{ID: ocdsSupplierID(b.SupplierID), Name: b.SupplierName}
			tender.Tenderers = append(tender.Tenderers, ref)
			parties = append(parties, ocdsParty{ID: ref.ID, Name: b.SupplierName, Roles: []string{"tenderer"}})
		}
		n := len(rec.Bids)
		tender.NumberOfTenderers = &n
		stats := []ocdsStatistic{{ID: "bids", Measure: "bids", Value: len(rec.Bids)}}
		for _, e := range rec.Evaluations {
			lotID := strconv.FormatInt(e.Lot.ID, 10)
			stats = append(stats,
				ocdsStatistic{ID: "bids-" + lotID, Measure: "bids", Value: len(e.Evaluation.Bids), RelatedLot: lotID},
				ocdsStatistic{ID: "compliant-" + lotID, Measure: "qualifiedBids", Value: e.Evaluation.Compliant, RelatedLot: lotID})
		}
		release.Bids = &ocdsBids{Statistics: stats}
		release.Awards, release.Contracts = ocdsAwards(rec, itemsOfLot)
		for _, a := range release.Awards {
			for _, sup := range a.Suppliers {
				parties = markRole(parties, sup, "supplier")
			}
		}
	}
	release.Tender = tender
	release.Parties = parties
	date := t.UpdatedAt
	release.Date = date.UTC().Format(time.RFC3339)
	release.ID = fmt.Sprintf("%s-%s-%d", ocid, t.Status, date.Unix())
	return ocdsPackage{URI: uri, Version: "1.1", PublishedDate: rec.At.UTC().Format(time.RFC3339),
		Publisher: ocdsName{Name: publisher}, Releases: []ocdsRelease{release}, Extensions: ocdsExtensions}
}

// ocdsAwards lists the tender's awards (value: the evaluated cost of the
// awarded bid) and contracts (value: the sum of their awards').
func ocdsAwards(rec *domain.TenderRecord, itemsOfLot map[int64][]ocdsItem) ([]ocdsAward, []ocdsContract) {
	t := rec.Tender
	evalOf := map[int64]domain.LotEvaluation{}
	for _, e := range rec.Evaluations {
		evalOf[e.Lot.ID] = e
	}
	awardOf := map[int64][]string{} // supplier -> award ids
	valueOf := map[int64][]pricing.Money{}
	var awards []ocdsAward
	for _, a := range rec.Awards {
		e := evalOf[a.LotID]
		id := strconv.FormatInt(a.ID, 10)
		award := ocdsAward{ID: id, Title: e.Lot.Title, Status: "active", Date: a.AwardedAt.UTC().Format(time.RFC3339),
			Suppliers: []ocdsRef{{ID: ocdsSupplierID(a.SupplierID), Name: e.Suppliers[a.BidID].SupplierName}},
			Items:     itemsOfLot[a.LotID], RelatedLots: []string{strconv.FormatInt(a.LotID, 10)},
			ContractPeriod: newOCDSPeriod(&t.ContractFrom, &t.ContractTo)}
		for _, b := range e.Evaluation.Bids {
			if b.BidID == strconv.FormatInt(a.BidID, 10) {
				award.Value = newOCDSValue(b.EvaluatedCost)
				valueOf[a.SupplierID] = append(valueOf[a.SupplierID], b.EvaluatedCost)
			}
		}
		if a.Reason != "" {
			award.Description = "Awarded to the bid ranked " + strconv.Itoa(a.Rank) + ": " + a.Reason
		}
		awards = append(awards, award)
		awardOf[a.SupplierID] = append(awardOf[a.SupplierID], id)
	}
	var contracts []ocdsContract
	for _, k := range rec.Contracts {
		ids := awardOf[k.SupplierID]
		if len(ids) == 0 {
			continue
		}
		status := "active"
		if k.Status == domain.ContractTerminated {
			status = "terminated"
		}
		c := ocdsContract{ID: strconv.FormatInt(k.ID, 10), AwardID: ids[0], Status: status,
			Title: t.Title, Period: newOCDSPeriod(&k.ValidFrom, &k.ValidTo)}
		if len(ids) > 1 {
			slices.Sort(ids)
			c.Description = "Covers awards " + strings.Join(ids, ", ")
		}
		if total, err := pricing.SumMoney(pricing.Currency(t.Currency), valueOf[k.SupplierID]...); err == nil {
			c.Value = newOCDSValue(total)
		}
		contracts = append(contracts, c)
	}
	return awards, contracts
}

func ocdsSupplierID(id int64) string { return "supplier-" + strconv.FormatInt(id, 10) }

// newOCDSValue is an OCDS Value: the amount as a JSON number written from
// the exact decimal string.
func newOCDSValue(m pricing.Money) *ocdsValue {
	return &ocdsValue{Amount: json.Number(m.AmountString()), Currency: string(m.Currency())}
}

func newOCDSUnit(code string) ocdsUnit {
	u := ocdsUnit{Scheme: "UNCEFACT", ID: code}
	if name, ok := pricing.Rec20Name(code); ok {
		u.Name = name
	}
	return u
}

func newOCDSPeriod(from, to *time.Time) ocdsPeriod {
	var p ocdsPeriod
	if from != nil {
		p.StartDate = from.UTC().Format(time.RFC3339)
	}
	if to != nil {
		p.EndDate = to.UTC().Format(time.RFC3339)
	}
	return p
}

// markRole adds role to the party of ref, adding the party when missing.
func markRole(parties []ocdsParty, ref ocdsRef, role string) []ocdsParty {
	for i := range parties {
		if parties[i].ID == ref.ID {
			parties[i].Roles = append(parties[i].Roles, role)
			return parties
		}
	}
	return append(parties, ocdsParty{ID: ref.ID, Name: ref.Name, Roles: []string{role}})
}
