package main

import (
	"testing"

	"andel/suppliers"
)

// An .xlsx file is imported as a workbook, by its name or --format xlsx,
// and never gets a charset.
func TestContentTypeForXLSX(t *testing.T) {
	for _, c := range []struct{ file, format, charset, want string }{
		{"prisliste.xlsx", "", "", suppliers.XLSXMediaType},
		{"Prisliste.XLSX", "", "windows-1252", suppliers.XLSXMediaType},
		{"export.bin", "xlsx", "", suppliers.XLSXMediaType},
		{"prisliste.csv", "", "windows-1252", "text/csv; charset=windows-1252"},
	} {
		got, err := contentTypeFor(c.file, c.format, c.charset)
		if err != nil || got != c.want {
			t.Errorf("contentTypeFor(%q, %q, %q) = %q, %v; want %q", c.file, c.format, c.charset, got, err, c.want)
		}
	}
	if _, err := contentTypeFor("prisliste.ods", "", ""); err == nil {
		t.Error("an .ods file must be refused")
	}
}
