package suppliers

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestREADMEExamples keeps the README's worked examples true: each price
// list it shows (JSON, Danish CSV, the .xlsx sheet, UBL) is read with no
// error and gives the lines it says.
func TestREADMEExamples(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	start, end := strings.Index(readme, "## Price lists"), strings.Index(readme, "### Units")
	if start < 0 || end < start {
		t.Fatal("README has no price-list section")
	}
	sec := readme[start:end]
	block := func(lang string) string {
		i := strings.Index(sec, "```"+lang+"\n")
		if i < 0 {
			t.Fatalf("README has no %s example", lang)
		}
		body := sec[i+len(lang)+4:]
		return body[:strings.Index(body, "```")]
	}
	// The sheet: the markdown table's rows, numbers as Excel stores them
	// (1.234,50 typed in Danish Excel is the number 1234.5).
	var rows [][]string
	for _, l := range strings.Split(sec, "\n") {
		if !strings.HasPrefix(l, "| ") || strings.HasPrefix(l, "| |") || strings.HasPrefix(l, "| ---") {
			continue
		}
		cells := strings.Split(strings.Trim(strings.TrimSpace(l), "|"), "|")[1:]
		for i, c := range cells {
			c = strings.TrimSpace(c)
			if (i == 4 || i == 6 || i == 8) && c != "" && !strings.ContainsAny(c, "abcdefghijklmnopqrstuvwxyzæøå") {
				c = "=" + strings.ReplaceAll(strings.ReplaceAll(c, ".", ""), ",", ".")
			}
			cells[i] = c
		}
		rows = append(rows, cells)
	}
	for _, c := range []struct {
		name, contentType string
		body              []byte
		lines             int
		check             func(ls []Line) bool
	}{
		{"json", "application/json", []byte(block("json")), 5, func(ls []Line) bool {
			return ls[3].BaseUnit == "LTR" && ls[3].PackUnit == "H87" && ls[4].PackContent.String() == "1000" && ls[4].BaseUnit == "H87"
		}},
		{"csv", "text/csv", []byte(block("csv")), 5, func(ls []Line) bool {
			return ls[4].PackPrice.String() == "1234.5" && ls[4].PackContent.String() == "2000" && ls[1].MinQty == 10
		}},
		{"xlsx", XLSXMediaType, workbook(t, rows...), 4, func(ls []Line) bool {
			return ls[3].PackPrice.String() == "1234.5" && ls[3].PackContent.String() == "2000" && ls[0].Pos.Path == "3:3"
		}},
		{"ubl", "application/xml", []byte(block("xml")), 3, func(ls []Line) bool {
			return ls[1].PackPrice.String() == "42.5" && ls[2].BaseUnit == "MLT" && ls[2].PackContent.String() == "1000"
		}},
	} {
		res := parse(t, bytes.NewReader(c.body), c.contentType)
		if res.err != nil || res.rep.Errors != 0 || len(res.lines) != c.lines || !c.check(res.lines) {
			t.Errorf("README's %s example: %v, %d lines, report %+v", c.name, res.err, len(res.lines), res.rep)
			for _, l := range res.lines {
				t.Logf("%+v", l)
			}
		}
	}
}

// The OpenAPI document's examples of a price-list upload are the README's.
func TestOpenAPIExamplesAreREADMEs(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody struct {
				Content map[string]struct {
					Example json.RawMessage `json:"example"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
	}
	b, err = os.ReadFile("../api/openapi/catalogue.json")
	if err != nil || json.Unmarshal(b, &doc) != nil {
		t.Fatal("cannot read the OpenAPI catalogue document", err)
	}
	content := doc.Paths["/api/v1/price-lists"]["post"].RequestBody.Content
	for mt, lang := range map[string]string{"text/csv": "csv", "application/xml": "xml", "application/json": "json"} {
		ex := content[mt].Example
		var want, got any
		if lang == "json" {
			got = json.RawMessage(ex)
		} else if json.Unmarshal(ex, &got) != nil {
			t.Fatalf("%s example is not a string", mt)
		}
		i := strings.Index(readme, "```"+lang+"\n")
		if i < 0 {
			t.Fatalf("README has no %s block", lang)
		}
		body := readme[i+len(lang)+4:]
		body = body[:strings.Index(body, "```")]
		want = body
		if lang == "json" {
			var a, b any
			if json.Unmarshal(ex, &a) != nil || json.Unmarshal([]byte(body), &b) != nil {
				t.Fatalf("%s example does not parse", mt)
			}
			got, want = mustJSON(a), mustJSON(b)
		}
		if got != want {
			t.Errorf("the OpenAPI %s example differs from the README's", mt)
		}
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
