package domain

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"andel/pricing"
)

// OCDS identifiers of the cooperative's releases.
const (
	// OCIDPrefix starts every contracting process id (ocid) of Andel.
	OCIDPrefix = "ocds-andel0-tender-"
	// ocdsBuyerID is the cooperative's party id in its own releases.
	ocdsBuyerID = "andel"
)

// OCDSRelease builds the tender's OCDS 1.1 release package (one release
// describing its current state): the tender with its lots and items, and
// once the tender has closed the bid statistics and tenderers, the awards
// and the contracts. Nothing of a sealed bid (not even who bid, or how
// many) appears before the tender closes. Amounts are JSON numbers, as OCDS
// requires, written from the exact decimal strings (never through a
// float). Visible to whoever may see the tender. Errors: ENOTFOUND.
func (s *TenderService) OCDSRelease(ctx context.Context, id int64, publisher, uri string) (json.RawMessage, error) {
	t, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	ocid := OCIDPrefix + strconv.FormatInt(t.ID, 10)
	tags := map[TenderStatus][]string{TenderDraft: {"planning"}, TenderPublished: {"tender"}, TenderClosed: {"tenderUpdate"},
		TenderAwarded: {"award", "contract"}, TenderCancelled: {"tenderCancellation"}, TenderUnsuccessful: {"tenderUpdate"}}
	status := map[TenderStatus]string{TenderDraft: "planned", TenderPublished: "active", TenderClosed: "active",
		TenderAwarded: "complete", TenderCancelled: "cancelled", TenderUnsuccessful: "unsuccessful"}
	buyer := map[string]any{"id": ocdsBuyerID, "name": publisher}
	parties := []map[string]any{{"id": ocdsBuyerID, "name": publisher, "roles": []string{"buyer", "procuringEntity"}}}

	var items, lots []map[string]any
	itemsOfLot := map[int64][]map[string]any{}
	for _, l := range t.Lots {
		lotID := strconv.FormatInt(l.ID, 10)
		lots = append(lots, map[string]any{"id": lotID, "title": l.Title, "description": l.Description, "status": status[t.Status]})
		for _, it := range l.Items {
			item := map[string]any{"id": strconv.FormatInt(it.ID, 10), "description": it.ProductName,
				"classification": map[string]any{"scheme": "x_andel_product", "id": strconv.FormatInt(it.ProductID, 10), "description": it.ProductName},
				"quantity":       json.Number(it.Quantity.String()),
				"unit":           ocdsUnit(it.BaseUnit), "relatedLot": lotID}
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
	tender := map[string]any{"id": strconv.FormatInt(t.ID, 10), "title": t.Title, "description": t.Description,
		"status": status[t.Status], "items": items, "lots": lots, "procurementMethod": "open",
		"mainProcurementCategory": "goods", "awardCriteria": awardCriteria,
		"awardCriteriaDetails": "Weights out of 100: " + strings.Join(criteria, ", "),
		"submissionMethod":     []string{"electronicSubmission"},
		"tenderPeriod":         ocdsPeriod(t.PublishedAt, &t.BidDeadline),
		"contractPeriod":       ocdsPeriod(&t.ContractFrom, &t.ContractTo),
		"procuringEntity":      buyer}
	if t.Category != "" {
		tender["classification"] = map[string]any{"scheme": "x_andel_category", "id": t.Category}
	}
	date := t.UpdatedAt
	release := map[string]any{"ocid": ocid, "tag": tags[t.Status], "initiationType": "tender",
		"buyer": buyer, "tender": tender, "language": "da"}

	if t.Status.Opened() {
		var bids []Bid
		if err := s.db.WithContext(ctx).Table("bids").Select("bids.*, suppliers.name AS supplier_name").
			Joins("JOIN suppliers ON suppliers.id = bids.supplier_id").
			Where("bids.tender_id = ? AND bids.status = ?", t.ID, BidSubmitted).Order("bids.id").Find(&bids).Error; err != nil {
			return nil, err
		}
		var tenderers []map[string]any
		for _, b := range bids {
			ref := map[string]any{"id": ocdsSupplierID(b.SupplierID), "name": b.SupplierName}
			tenderers = append(tenderers, ref)
			parties = append(parties, map[string]any{"id": ref["id"], "name": b.SupplierName, "roles": []string{"tenderer"}})
		}
		tender["numberOfTenderers"] = len(bids)
		if len(tenderers) > 0 {
			tender["tenderers"] = tenderers
		}
		stats := []map[string]any{{"id": "bids", "measure": "bids", "value": len(bids)}}
		evals, err := s.lotEvaluations(ctx, s.db, t)
		if err != nil {
			return nil, err
		}
		for _, e := range evals {
			lotID := strconv.FormatInt(e.Lot.ID, 10)
			stats = append(stats,
				map[string]any{"id": "bids-" + lotID, "measure": "bids", "value": len(e.Evaluation.Bids), "relatedLot": lotID},
				map[string]any{"id": "compliant-" + lotID, "measure": "qualifiedBids", "value": e.Evaluation.Compliant, "relatedLot": lotID})
		}
		release["bids"] = map[string]any{"statistics": stats}
		if t.Status == TenderAwarded {
			awards, contracts, err := s.ocdsAwards(ctx, t, evals, itemsOfLot)
			if err != nil {
				return nil, err
			}
			release["awards"], release["contracts"] = awards, contracts
			for _, a := range awards {
				for _, sup := range a["suppliers"].([]map[string]any) {
					markRole(&parties, sup["id"].(string), sup["name"].(string), "supplier")
				}
			}
		}
	}
	release["parties"] = parties
	release["date"] = date.UTC().Format(time.RFC3339)
	release["id"] = fmt.Sprintf("%s-%s-%d", ocid, t.Status, date.Unix())
	pkg := map[string]any{"uri": uri, "version": "1.1", "publishedDate": s.Now().UTC().Format(time.RFC3339),
		"publisher": map[string]any{"name": publisher}, "releases": []any{release},
		"extensions": []string{
			"https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json",
			"https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json"}}
	return json.Marshal(pkg)
}

// ocdsAwards lists the tender's awards (value: the evaluated cost of the
// awarded bid) and contracts.
func (s *TenderService) ocdsAwards(ctx context.Context, t *Tender, evals []LotEvaluation, itemsOfLot map[int64][]map[string]any) ([]map[string]any, []map[string]any, error) {
	var rows []TenderAward
	if err := s.db.WithContext(ctx).Where("tender_id = ?", t.ID).Order("id").Find(&rows).Error; err != nil {
		return nil, nil, err
	}
	evalOf := map[int64]LotEvaluation{}
	for _, e := range evals {
		evalOf[e.Lot.ID] = e
	}
	awardOf := map[int64][]string{} // supplier -> award ids
	valueOf := map[int64][]pricing.Money{}
	var awards []map[string]any
	for _, a := range rows {
		e := evalOf[a.LotID]
		id := strconv.FormatInt(a.ID, 10)
		sup := e.Suppliers[a.BidID]
		award := map[string]any{"id": id, "title": e.Lot.Title, "status": "active", "date": a.AwardedAt.UTC().Format(time.RFC3339),
			"suppliers": []map[string]any{{"id": ocdsSupplierID(a.SupplierID), "name": sup.SupplierName}},
			"items":     itemsOfLot[a.LotID], "relatedLots": []string{strconv.FormatInt(a.LotID, 10)},
			"contractPeriod": ocdsPeriod(&t.ContractFrom, &t.ContractTo)}
		for _, b := range e.Evaluation.Bids {
			if b.BidID == strconv.FormatInt(a.BidID, 10) {
				award["value"] = ocdsValue(b.EvaluatedCost)
				valueOf[a.SupplierID] = append(valueOf[a.SupplierID], b.EvaluatedCost)
			}
		}
		if a.Reason != "" {
			award["description"] = "Awarded to the bid ranked " + strconv.Itoa(a.Rank) + ": " + a.Reason
		}
		awards = append(awards, award)
		awardOf[a.SupplierID] = append(awardOf[a.SupplierID], id)
	}
	var ks []Contract
	if err := s.db.WithContext(ctx).Where("tender_id = ?", t.ID).Order("id").Find(&ks).Error; err != nil {
		return nil, nil, err
	}
	var contracts []map[string]any
	for _, k := range ks {
		ids := awardOf[k.SupplierID]
		if len(ids) == 0 {
			continue
		}
		status := "active"
		if k.Status == ContractTerminated {
			status = "terminated"
		}
		c := map[string]any{"id": strconv.FormatInt(k.ID, 10), "awardID": ids[0], "status": status,
			"title": t.Title, "period": ocdsPeriod(&k.ValidFrom, &k.ValidTo)}
		if len(ids) > 1 {
			sort.Strings(ids)
			c["description"] = "Covers awards " + strings.Join(ids, ", ")
		}
		if total, err := pricing.SumMoney(pricing.Currency(t.Currency), valueOf[k.SupplierID]...); err == nil {
			c["value"] = ocdsValue(total)
		}
		contracts = append(contracts, c)
	}
	return awards, contracts, nil
}

func ocdsSupplierID(id int64) string { return "supplier-" + strconv.FormatInt(id, 10) }

// ocdsValue is an OCDS Value: the amount as a JSON number written from the
// exact decimal string.
func ocdsValue(m pricing.Money) map[string]any {
	return map[string]any{"amount": json.Number(m.AmountString()), "currency": string(m.Currency())}
}

func ocdsUnit(code string) map[string]any {
	u := map[string]any{"scheme": "UNCEFACT", "id": code}
	if name, ok := pricing.Rec20Name(code); ok {
		u["name"] = name
	}
	return u
}

func ocdsPeriod(from, to *time.Time) map[string]any {
	p := map[string]any{}
	if from != nil {
		p["startDate"] = from.UTC().Format(time.RFC3339)
	}
	if to != nil {
		p["endDate"] = to.UTC().Format(time.RFC3339)
	}
	return p
}

// markRole adds role to the party id, adding the party when missing.
func markRole(parties *[]map[string]any, id, name, role string) {
	for _, p := range *parties {
		if p["id"] == id {
			p["roles"] = append(p["roles"].([]string), role)
			return
		}
	}
	*parties = append(*parties, map[string]any{"id": id, "name": name, "roles": []string{role}})
}
