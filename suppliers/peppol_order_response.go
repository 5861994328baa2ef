package suppliers

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// PEPPOLOrderResponse is what a supplier's PEPPOL Order Response (T76)
// says about an order: accepted (AP), rejected (RE, with a reason), or
// accepted with changes (CA), which Andel does not take yet.
type PEPPOLOrderResponse struct {
	ID       string
	OrderID  string // the order it answers (OrderReference/ID)
	Code     string // UNCL1225: AP, RE, CA
	Reason   string // the document's notes, then its lines' notes
	IssuedOn string
}

// Order response codes (UNCL1225, the BIS subset).
const (
	OrderResponseAccepted            = "AP"
	OrderResponseRejected            = "RE"
	OrderResponseAcceptedWithChanges = "CA"
)

const orderResponseNS = "urn:oasis:names:specification:ubl:schema:xsd:OrderResponse-2"

// ParsePEPPOLOrderResponse reads an Order Response document. Errors: a
// body that is not one (not well-formed, another root, a second root
// element), or one that breaks a fatal rule of the BIS (BII2-T76-R001,
// R002, R004, R006, R032, R033), every broken rule listed.
func ParsePEPPOLOrderResponse(body []byte) (PEPPOLOrderResponse, error) {
	var doc struct {
		XMLName         xml.Name
		CustomizationID string   `xml:"CustomizationID"`
		ProfileID       string   `xml:"ProfileID"`
		ID              string   `xml:"ID"`
		IssueDate       string   `xml:"IssueDate"`
		Code            string   `xml:"OrderResponseCode"`
		Notes           []string `xml:"Note"`
		OrderReference  struct {
			ID string `xml:"ID"`
		} `xml:"OrderReference"`
		Lines []struct {
			Note string `xml:"LineItem>Note"`
		} `xml:"OrderLine"`
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = true
	if err := dec.Decode(&doc); err != nil {
		return PEPPOLOrderResponse{}, fmt.Errorf("not a well-formed XML document: %v", err)
	}
	if err := onlyOneRoot(dec); err != nil {
		return PEPPOLOrderResponse{}, err
	}
	var bad []string
	if doc.XMLName.Local != "OrderResponse" || doc.XMLName.Space != orderResponseNS {
		bad = append(bad, "the root element must be OrderResponse in "+orderResponseNS)
	}
	need := func(v, what, rule string) {
		if strings.TrimSpace(v) == "" {
			bad = append(bad, fmt.Sprintf("%s is missing (%s)", what, rule))
		}
	}
	need(doc.CustomizationID, "CustomizationID", "BII2-T76-R001")
	need(doc.ProfileID, "ProfileID", "BII2-T76-R002")
	need(doc.IssueDate, "IssueDate", "BII2-T76-R004")
	need(doc.ID, "ID", "BII2-T76-R006")
	need(doc.OrderReference.ID, "OrderReference/ID", "BII2-T76-R032")
	need(doc.Code, "OrderResponseCode", "BII2-T76-R033")
	if len(bad) > 0 {
		return PEPPOLOrderResponse{}, fmt.Errorf("not a valid PEPPOL Order Response: %s", strings.Join(bad, "; "))
	}
	r := PEPPOLOrderResponse{ID: strings.TrimSpace(doc.ID), OrderID: strings.TrimSpace(doc.OrderReference.ID),
		Code: strings.TrimSpace(doc.Code), IssuedOn: strings.TrimSpace(doc.IssueDate)}
	var reasons []string
	for _, n := range doc.Notes {
		if n = strings.TrimSpace(n); n != "" {
			reasons = append(reasons, n)
		}
	}
	for _, l := range doc.Lines {
		if n := strings.TrimSpace(l.Note); n != "" {
			reasons = append(reasons, n)
		}
	}
	r.Reason = strings.Join(reasons, "; ")
	return r, nil
}

// onlyOneRoot refuses anything but white space, comments and processing
// instructions after a document's root element.
func onlyOneRoot(dec *xml.Decoder) error {
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("not a well-formed XML document after its root element: %v", err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return fmt.Errorf("text after the document's root element")
			}
		case xml.Comment, xml.ProcInst:
		default:
			return fmt.Errorf("a second element after the document's root element")
		}
	}
}
