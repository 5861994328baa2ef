package suppliers

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// ublRuleCases breaks one PEPPOL rule each in the valid catalogue
// testdata/catalogue_tiers.xml (each old string is replaced once, at its
// first occurrence) and names the severity the rule must be reported with.
// Together with ublRulesNotChecked it accounts for every rule id of
// business-rules.adoc and codelist-rules.adoc.
var ublRuleCases = []struct {
	rule     string
	severity Severity
	edits    []string // old, new, old, new, ...
}{
	{"BII2-T19-R001", SeverityError, []string{"<cbc:CustomizationID>urn:fdc:peppol.eu:poacc:trns:catalogue:3</cbc:CustomizationID>", ""}},
	{"BII2-T19-R002", SeverityError, []string{"<cbc:ProfileID>urn:fdc:peppol.eu:poacc:bis:catalogue_only:3</cbc:ProfileID>", ""}},
	{"BII2-T19-R003", SeverityError, []string{"<cbc:IssueDate>2026-11-15</cbc:IssueDate>", ""}},
	{"BII2-T19-R004", SeverityError, []string{"<cbc:ID>KAT-2027-01</cbc:ID>", ""}},
	{"BII2-T19-R006", SeverityError, []string{"<cbc:EndDate>2027-12-31</cbc:EndDate>", "<cbc:EndDate>2026-12-31</cbc:EndDate>"}},
	{"BII2-T19-R007", SeverityError, []string{"<cac:ProviderParty>", "<cac:OtherParty>", "</cac:ProviderParty>", "</cac:OtherParty>"}},
	{"BII2-T19-R008", SeverityError, []string{"<cac:ReceiverParty>", "<cac:OtherParty>", "</cac:ReceiverParty>", "</cac:OtherParty>"}},
	{"BII2-T19-R009", SeverityError, []string{"</cac:SellerSupplierParty>", "</cac:SellerSupplierParty><cac:SellerSupplierParty><cac:Party><cac:PartyName><cbc:Name>B</cbc:Name></cac:PartyName></cac:Party></cac:SellerSupplierParty>"}},
	{"BII2-T19-R010", SeverityError, []string{"<cac:PartyIdentification>", "<cac:X>", "</cac:PartyIdentification>", "</cac:X>", "<cac:PartyName>", "<cac:Y>", "</cac:PartyName>", "</cac:Y>"}},
	{"BII2-T19-R011", SeverityError, []string{"<cac:PartyLegalEntity>", "<cac:X>", "</cac:PartyLegalEntity>", "</cac:X>"}},
	{"BII2-T19-R012", SeverityError, []string{"<cac:Party>\n\t\t\t<cac:PartyName>\n\t\t\t\t<cbc:Name>Medicinsk Engros ApS</cbc:Name>\n\t\t\t</cac:PartyName>", "<cac:Party>"}},
	{"BII2-T19-R013", SeverityError, []string{"</cac:SellerSupplierParty>", "</cac:SellerSupplierParty><cac:ContractorCustomerParty><cac:Party><cac:Contact><cbc:Name>x</cbc:Name></cac:Contact></cac:Party></cac:ContractorCustomerParty>"}},
	{"BII2-T19-R015", SeverityError, []string{">45.00<", ">-45.00<"}},
	{"BII2-T19-R017", SeverityWarning, []string{"<cbc:StartDate>2027-02-01</cbc:StartDate>", "<cbc:StartDate>2026-02-01</cbc:StartDate>"}},
	{"BII2-T19-R018", SeverityWarning, []string{">64.80</cbc:PriceAmount>", ">64.80</cbc:PriceAmount><cac:ValidityPeriod><cbc:StartDate>2027-01-15</cbc:StartDate></cac:ValidityPeriod>"}},
	{"BII2-T19-R019", SeverityWarning, []string{"<cbc:Name>Spatler, træ</cbc:Name>", ""}},
	{"BII2-T19-R020", SeverityError, []string{"<cbc:ID>SP-12</cbc:ID>", ""}},
	{"BII2-T19-R021", SeverityWarning, []string{`<cbc:ID schemeID="0160">5701234567905</cbc:ID>`, "<cbc:ID>5701234567905</cbc:ID>"}},
	{"BII2-T19-R022", SeverityWarning, []string{` listID="UNSPSC"`, ""}},
	{"BII2-T19-R023", SeverityError, nil}, // every line removed: see the test
	{"BII2-T19-R024", SeverityError, []string{"<cbc:ID>2</cbc:ID>", "<cbc:ID>1</cbc:ID>"}},
	{"BII2-T19-R026", SeverityError, []string{`<cbc:MinimumOrderQuantity unitCode="XBX">1<`, `<cbc:MinimumOrderQuantity unitCode="XBX">0<`}},
	{"BII2-T19-R027", SeverityError, []string{"<cbc:Value>M</cbc:Value>", ""}},
	{"BII2-T19-R029", SeverityWarning, []string{`<cbc:MaximumQuantity unitCode="XBX">9<`, `<cbc:MaximumQuantity unitCode="XBX">0<`}},
	{"BII2-T19-R030", SeverityError, []string{`<cbc:MinimumQuantity unitCode="XBX">1<`, `<cbc:MinimumQuantity unitCode="XBX">0<`}}, // a PEPPOL warning, an Andel error
	{"BII2-T19-R031", SeverityWarning, []string{`<cbc:MaximumQuantity unitCode="XBX">9<`, `<cbc:MaximumQuantity unitCode="XBX">0.5<`}},
	{"EUGEN-T19-R043", SeverityError, []string{`<cbc:EndpointID schemeID="0184">DK12345674`, "<cbc:EndpointID>DK12345674"}},
	{"EUGEN-T19-R044", SeverityError, []string{`<cbc:ID schemeID="0088">`, "<cbc:ID>"}},
	{"EUGEN-T19-R045", SeverityError, []string{`listID="ACTIONCODE:BII2"`, `listID="ACTIONCODE:PEPPOL"`}},
	{"EUGEN-T19-R046", SeverityError, []string{"<cbc:ActionCode>Update", `<cbc:ActionCode listID="ACTIONCODE:BII2">Update`}},
	{"EUGEN-T19-R047", SeverityError, []string{"<cbc:IdentificationCode>DK", `<cbc:IdentificationCode listID="ISO3166">DK`}},
	{"EUGEN-T19-R048", SeverityError, []string{`<cbc:ContentUnitQuantity unitCode="EA">`, `<cbc:ContentUnitQuantity unitCode="EA" unitCodeListID="Rec20">`}},
	{"EUGEN-T19-R049", SeverityError, []string{"<cbc:ID>S</cbc:ID>", `<cbc:ID schemeID="VAT">S</cbc:ID>`}},
	{"EUGEN-T19-R050", SeverityError, []string{"<cbc:OrderableUnit>XPK</cbc:OrderableUnit>", `<cbc:OrderableUnit>XPK</cbc:OrderableUnit><cbc:PackLevelCode listID="GS1">TU</cbc:PackLevelCode>`}},
	{"EUGEN-T19-R051", SeverityError, []string{"<cbc:Name>Spatler, træ</cbc:Name>", `<cbc:Name>Spatler, træ</cbc:Name><cac:HazardousItem><cbc:UNDGCode listID="UN">ADR</cbc:UNDGCode></cac:HazardousItem>`}},
	{"EUGEN-T19-R053", SeverityError, []string{"<cbc:Name>Spatler, træ</cbc:Name>", `<cbc:Name>Spatler, træ</cbc:Name><cac:Dimension><cbc:AttributeID schemeID="6313">LN</cbc:AttributeID></cac:Dimension>`}},
	{"CL-T19-001", SeverityError, []string{"<cbc:ActionCode>Delete</cbc:ActionCode>", "<cbc:ActionCode>Remove</cbc:ActionCode>"}},
	{"CL-T19-002", SeverityError, []string{"<cbc:Name>Spatler, træ</cbc:Name>", `<cbc:Name>Spatler, træ</cbc:Name><cac:ItemSpecificationDocumentReference><cbc:ID>a</cbc:ID><cac:Attachment><cbc:EmbeddedDocumentBinaryObject mimeCode="png" filename="a.png">AA==</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:ItemSpecificationDocumentReference>`}},
	{"CL-T19-004", SeverityError, []string{"<cbc:ID>S</cbc:ID>", "<cbc:ID>Q</cbc:ID>"}},
	{"OP-T19-001", SeverityError, []string{">DK</cbc:IdentificationCode>", ">DN</cbc:IdentificationCode>"}},
	{"OP-T19-002", SeverityError, []string{`<cbc:ContentUnitQuantity unitCode="MLT">`, `<cbc:ContentUnitQuantity unitCode="ML">`}},
	{"OP-T19-007", SeverityError, []string{"<cbc:ActionCode>Update", "<cbc:ActionCode>Upsert"}},
	{"OP-T19-010", SeverityError, []string{"<cbc:OrderableUnit>XPK<", "<cbc:OrderableUnit>PAK<"}},
	{"OP-T19-011", SeverityError, []string{`currencyID="EUR"`, `currencyID="EURO"`}},
	{"OP-T19-012", SeverityError, []string{`languageID="da"`, `languageID="dansk"`}},
}

// ublRulesNotChecked are the rule ids not implemented, each for a reason
// given in ubl_rules.go.
var ublRulesNotChecked = []string{
	"OP-T19-003", "OP-T19-005", "OP-T19-006", "OP-T19-008", "OP-T19-009", "OP-T19-013", // code lists not bundled
	"OP-T58-001", "OP-T58-002", "OP-T58-003", // Catalogue Response (T58) rules
}

func TestUBLRules(t *testing.T) {
	base := readTestdata(t, "catalogue_tiers.xml")
	if res := parse(t, bytes.NewReader(base), "application/xml"); res.rep.HasErrors() || len(res.rep.Problems) != 1 {
		t.Fatalf("the base catalogue must be valid: %v", res.rep.Problems)
	}
	for _, c := range ublRuleCases {
		t.Run(c.rule, func(t *testing.T) {
			body := string(base)
			for i := 0; i < len(c.edits); i += 2 {
				if !strings.Contains(body, c.edits[i]) {
					t.Fatalf("edit %q does not apply", c.edits[i])
				}
				body = strings.Replace(body, c.edits[i], c.edits[i+1], 1)
			}
			if c.edits == nil { // R023: no lines
				body = body[:strings.Index(body, "\t<cac:CatalogueLine>")] + "</Catalogue>\n"
			}
			res := parseString(t, body, "application/xml")
			if res.err != nil {
				t.Fatal(res.err)
			}
			found := false
			for _, p := range res.rep.Problems {
				if p.Rule != c.rule {
					continue
				}
				found = true
				if p.Severity != c.severity {
					t.Errorf("%s reported as %s: %v", c.rule, p.Severity, p)
				}
				if p.Line == 0 && c.rule != "BII2-T19-R023" {
					t.Errorf("no position: %v", p)
				}
			}
			if !found {
				t.Errorf("%s not reported; problems: %v", c.rule, res.rep.Problems)
			}
		})
	}
}

// TestUBLRulesAccountedFor checks that every rule id of the PEPPOL rule
// tables is either tested above or listed as not checked.
func TestUBLRulesAccountedFor(t *testing.T) {
	re := regexp.MustCompile(`(?m)^\|([A-Z0-9]+-T[0-9]+-[A-Z0-9]+)`)
	var all []string
	for _, f := range []string{"peppol/business-rules.adoc", "peppol/codelist-rules.adoc"} {
		for _, m := range re.FindAllSubmatch(readTestdata(t, f), -1) {
			all = append(all, string(m[1]))
		}
	}
	if len(all) < 50 {
		t.Fatalf("found only %d rule ids", len(all))
	}
	covered := slices.Clone(ublRulesNotChecked)
	for _, c := range ublRuleCases {
		covered = append(covered, c.rule)
	}
	for _, id := range all {
		if !slices.Contains(covered, id) {
			t.Errorf("rule %s is neither tested nor listed as not checked", id)
		}
	}
	for _, id := range covered {
		if !slices.Contains(all, id) {
			t.Errorf("rule %s is not in the PEPPOL tables", id)
		}
	}
}
