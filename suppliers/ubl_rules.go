package suppliers

import "fmt"

// PEPPOL BIS Catalogue 3 rules (business-rules.adoc, codelist-rules.adoc).
//
// Implemented, as errors when fatal and warnings when warning, unless noted:
//
//	BII2-T19-R001..R004  CustomizationID, ProfileID, IssueDate, ID present (finishHeader)
//	BII2-T19-R006        every ValidityPeriod (catalogue, line, price): end >= start (period)
//	BII2-T19-R007/R008   ProviderParty, ReceiverParty present
//	BII2-T19-R009        at most one SellerSupplierParty
//	BII2-T19-R010..R013  provider, receiver, seller, customer have a name or an
//	                     identifier: PartyName/Name or PartyIdentification/ID as
//	                     in the UBL binding, or PartyLegalEntity/RegistrationName,
//	                     which BIS 3 examples use as the full name
//	BII2-T19-R015        price not negative (checkLine)
//	BII2-T19-R017        line validity within catalogue validity (warning; open
//	                     ends count as unbounded, so a line without an end date in
//	                     a catalogue with one is not flagged)
//	BII2-T19-R018        price validity within line validity (warning)
//	BII2-T19-R019        item name (warning; the description is used instead)
//	BII2-T19-R020        seller's item id or standard id
//	BII2-T19-R021        standard id has a schemeID (warning)
//	BII2-T19-R022        classification code has a listID (warning)
//	BII2-T19-R023        at least one CatalogueLine (finishList)
//	BII2-T19-R024        every line has an ID, unique in the document
//	BII2-T19-R026        MinimumOrderQuantity, MaximumOrderQuantity,
//	                     OrderQuantityIncrementNumeric > 0 when present
//	BII2-T19-R027        an AdditionalItemProperty with a Name has a Value
//	BII2-T19-R029        MaximumQuantity > 0 (warning)
//	BII2-T19-R030        MinimumQuantity > 0: an ERROR here, not a warning,
//	                     because it becomes the tier's min_qty, which must be >= 1
//	BII2-T19-R031        maximum >= minimum, for order quantities and for each
//	                     price's quantities (warning)
//	EUGEN-T19-R043/R044  EndpointID and PartyIdentification/ID carry a schemeID
//	EUGEN-T19-R045..R053 listID / unitCodeListID / schemeID attributes, when
//	                     present, have the required value. Their ABSENCE is
//	                     accepted: these rules come from BIS 2, BIS 3 dropped
//	                     the attributes, and the official BIS 3 examples
//	                     (Catalogue_Example.xml, the snippets) have none.
//	CL-T19-001           line ActionCode is Add, Update or Delete
//	CL-T19-002           mimeCode has the form of a MIME media type (type/subtype;
//	                     the IANA register itself is not bundled)
//	CL-T19-004           ClassifiedTaxCategory/ID is in UNCL5305
//	OP-T19-001           country codes are ISO 3166-1 alpha-2
//	OP-T19-002           every unitCode is UN/ECE Rec 20 (PEPPOL list, rev. 11e)
//	OP-T19-007           header ActionCode is Add, Replace, Update or Delete
//	OP-T19-010           OrderableUnit is UN/ECE Rec 20
//	OP-T19-011           every currencyID is ISO 4217
//	OP-T19-012           languageID has the form of ISO 639-1 (two lower-case
//	                     letters; the list itself is not bundled)
//
// Not implemented, and why:
//
//	OP-T19-003           UNDG codes (UN/EDIFACT 8273): code list not bundled
//	OP-T19-005/006/013,  endpoint and party identifier schemes (Peppol EAS /
//	OP-T19-008           ICD lists) and the Peppol subset of GS1 7009 package
//	                     levels: code lists OpenPeppol revises twice a year and
//	                     that are not in the shared standards; checking against
//	                     a stale copy would reject valid catalogues
//	OP-T19-009           attribute identifiers (UN/EDIFACT 6313): list not bundled
//	OP-T58-001..003      belong to the Catalogue Response (T58), not to T19
//
// Andel's own line rules (GTIN check digit, pack content > 0, duplicate
// SKU and min_qty, ...) apply on top, as for CSV and JSON.

// checkCodes applies the code-list and attribute rules to every element of
// a header element or CatalogueLine n at path.
func (u *ublReader) checkCodes(n *xnode, path string, inLine bool) {
	u.walk(n, "", path, inLine)
}

func (u *ublReader) walk(n *xnode, parent, path string, inLine bool) {
	s := u.s
	p := pos(n, path)
	errf := func(rule, format string, args ...any) {
		s.errorAt(p, n.name, "", rule, fmt.Sprintf(format, args...))
	}
	for _, a := range n.attrs {
		v := a.Value
		switch a.Name.Local {
		case "unitCode":
			if !validUnit(v, FormatUBL) {
				errf("OP-T19-002", "%s: %s", n.name, unitMessage(v))
			}
		case "unitCodeListID":
			if v != "UNECERec20" {
				errf("EUGEN-T19-R048", "unitCodeListID must be UNECERec20, not %q", v)
			}
		case "currencyID":
			if !validCurrency(v) {
				errf("OP-T19-011", "currencyID %q is not an ISO 4217 currency code", v)
			}
		case "mimeCode":
			if !validMIME(v) {
				errf("CL-T19-002", "mimeCode %q is not a MIME media type (type/subtype)", v)
			}
		case "languageID":
			if !validLanguage(v) {
				errf("OP-T19-012", "languageID %q is not an ISO 639-1 code (two lower-case letters)", v)
			}
		}
	}
	attrIs := func(name, want, rule string) {
		if v, ok := n.attr(name); ok && v != want {
			errf(rule, "%s's %s must be %s, not %q", n.name, name, want, v)
		}
	}
	switch n.name {
	case "EndpointID":
		if v, _ := n.attr("schemeID"); v == "" {
			errf("EUGEN-T19-R043", "EndpointID must have a schemeID")
		}
	case "ID":
		switch parent {
		case "PartyIdentification":
			if v, _ := n.attr("schemeID"); v == "" {
				errf("EUGEN-T19-R044", "a party identifier must have a schemeID")
			}
		case "ClassifiedTaxCategory":
			if !validTaxCategory(n.text) {
				errf("CL-T19-004", "tax category %q is not a UNCL5305 code (e.g. S, Z, E, AE)", n.text)
			}
			attrIs("schemeID", "UNCL5305", "EUGEN-T19-R049")
		}
	case "IdentificationCode":
		if !validCountry(n.text) {
			errf("OP-T19-001", "country code %q is not ISO 3166-1 alpha-2", n.text)
		}
		attrIs("listID", "ISO3166-1:Alpha2", "EUGEN-T19-R047")
	case "PackLevelCode":
		attrIs("listID", "GS17009:PEPPOL", "EUGEN-T19-R050")
	case "UNDGCode":
		attrIs("listID", "UNCL8273", "EUGEN-T19-R051")
	case "AttributeID":
		attrIs("schemeID", "UNCL6313", "EUGEN-T19-R053")
	case "OrderableUnit":
		if parent == "CatalogueLine" && !validUnit(n.text, FormatUBL) {
			errf("OP-T19-010", "OrderableUnit: %s", unitMessage(n.text))
		}
	case "AdditionalItemProperty":
		if n.child("Name").val() != "" && n.child("Value").val() == "" {
			errf("BII2-T19-R027", "item property %q has no Value", n.child("Name").val())
		}
	}
	count := map[string]int{}
	for _, k := range n.kids {
		count[k.name]++
	}
	seen := map[string]int{}
	for _, k := range n.kids {
		kp := path + "/" + k.name
		if count[k.name] > 1 {
			seen[k.name]++
			kp = fmt.Sprintf("%s[%d]", kp, seen[k.name])
		}
		u.walk(k, n.name, kp, inLine)
	}
}

// finishHeader applies the header rules once the whole document is read.
func (u *ublReader) finishHeader() {
	s := u.s
	seen := u.hdr.seen
	present := func(name string) bool { return seen[name].val() != "" }
	for _, r := range []struct{ name, rule, msg string }{
		{"CustomizationID", "BII2-T19-R001", "the catalogue has no CustomizationID"},
		{"ProfileID", "BII2-T19-R002", "the catalogue has no ProfileID"},
		{"IssueDate", "BII2-T19-R003", "the catalogue has no IssueDate"},
		{"ID", "BII2-T19-R004", "the catalogue has no identifier (cbc:ID)"},
	} {
		if !present(r.name) {
			s.errorAt(u.root, r.name, "", r.rule, r.msg)
		}
	}
	if c := seen["CustomizationID"]; c.val() != "" && c.val() != bisCatalogue3 {
		s.warnAt(pos(c, "/Catalogue/CustomizationID"), "CustomizationID", "", "", fmt.Sprintf("CustomizationID %q is not PEPPOL BIS Catalogue 3 (%s); the document was read as one", c.val(), bisCatalogue3))
	}
	parties := []struct {
		name, party, rulePresent, ruleNamed, who string
	}{
		{"ProviderParty", "", "BII2-T19-R007", "BII2-T19-R010", "catalogue provider"},
		{"ReceiverParty", "", "BII2-T19-R008", "BII2-T19-R011", "catalogue receiver"},
		{"SellerSupplierParty", "Party", "", "BII2-T19-R012", "catalogue supplier"},
		{"ContractorCustomerParty", "Party", "", "BII2-T19-R013", "catalogue customer"},
	}
	for _, p := range parties {
		n := seen[p.name]
		if n == nil {
			if p.rulePresent != "" {
				s.errorAt(u.root, p.name, "", p.rulePresent, fmt.Sprintf("the catalogue has no %s (cac:%s)", p.who, p.name))
			}
			continue
		}
		party := n
		if p.party != "" {
			party = n.child(p.party)
		}
		if !partyNamed(party) {
			s.errorAt(pos(n, "/Catalogue/"+p.name), p.name, "", p.ruleNamed, fmt.Sprintf("the %s must have a name or an identifier", p.who))
		}
	}
}

func partyNamed(p *xnode) bool {
	return p.at("PartyName", "Name").val() != "" ||
		p.at("PartyIdentification", "ID").val() != "" ||
		p.at("PartyLegalEntity", "RegistrationName").val() != ""
}
