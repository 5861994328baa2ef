package api_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

const ocdsDir = "/work/shared/standards/ocds/"

// checkOCDS validates body against the OCDS 1.1 release package schema,
// with the release schema it $refs by URL registered from the local copy
// (there is no network).
func checkOCDS(t *testing.T, body []byte) {
	t.Helper()
	if err := validateOCDS(t, body); err != nil {
		t.Errorf("OCDS release package does not validate: %v\n%s", err, body)
	}
}

// TestOCDSValidatorRejects proves the validation bites: a release without
// its required fields and with a string amount fails.
func TestOCDSValidatorRejects(t *testing.T) {
	bad := []byte(`{"version": "1.1", "releases": [{"ocid": "x", "tender": {"id": "1", "value": {"amount": "12.50"}}}]}`)
	if validateOCDS(t, bad) == nil {
		t.Fatal("an invalid release package validated")
	}
}

func validateOCDS(t *testing.T, body []byte) error {
	t.Helper()
	c := jsonschema.NewCompiler()
	for url, file := range map[string]string{
		"https://standard.open-contracting.org/schema/1__1__5/release-package-schema.json": "release-package-schema.json",
		"https://standard.open-contracting.org/schema/1__1__5/release-schema.json":         "release-schema.json",
	} {
		f, err := os.Open(ocdsDir + file)
		if err != nil {
			t.Skipf("OCDS schemas not available: %v", err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource(url, doc); err != nil {
			t.Fatal(err)
		}
	}
	sch, err := c.Compile("https://standard.open-contracting.org/schema/1__1__5/release-package-schema.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return sch.Validate(inst)
}
