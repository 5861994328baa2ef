package api

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"
)

// The OpenAPI document is kept in fragments, one per capability
// (openapi/*.json): 00-base.json holds info, security schemes and shared
// schemas; every other file adds "paths" and "components.schemas". They are
// merged once at start; a path or schema defined twice is a programming
// error and panics (the tests start the server, so it never ships).
//
//go:embed openapi/*.json
var openAPIFragments embed.FS

var openAPIDocument = mustMergeOpenAPI(openAPIFragments)

type openAPIFragment struct {
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]json.RawMessage `json:"schemas"`
	} `json:"components"`
}

func mustMergeOpenAPI(fsys fs.FS) []byte {
	names, err := fs.Glob(fsys, "openapi/*.json")
	if err != nil || len(names) == 0 || names[0] != "openapi/00-base.json" {
		panic(fmt.Sprintf("openapi fragments: %v %v", names, err))
	}
	slices.Sort(names)
	var doc map[string]any
	paths := map[string]map[string]json.RawMessage{}
	schemas := map[string]json.RawMessage{}
	for i, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			panic(err)
		}
		if i == 0 {
			if err := json.Unmarshal(b, &doc); err != nil {
				panic(fmt.Sprintf("%s: %v", name, err))
			}
		}
		var f openAPIFragment
		if err := json.Unmarshal(b, &f); err != nil {
			panic(fmt.Sprintf("%s: %v", name, err))
		}
		for p, ops := range f.Paths {
			if paths[p] == nil {
				paths[p] = map[string]json.RawMessage{}
			}
			for m, op := range ops {
				if _, dup := paths[p][m]; dup {
					panic(fmt.Sprintf("%s: %s %s is defined twice", name, m, p))
				}
				paths[p][m] = op
			}
		}
		for k, v := range f.Components.Schemas {
			if _, dup := schemas[k]; dup {
				panic(fmt.Sprintf("%s: schema %s is defined twice", name, k))
			}
			schemas[k] = v
		}
	}
	components := doc["components"].(map[string]any)
	components["schemas"] = schemas
	doc["paths"] = paths
	b, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	// Every $ref must point at a schema that exists.
	for _, ref := range schemaRefs(b) {
		if _, ok := schemas[ref]; !ok {
			panic("openapi: $ref to missing schema " + ref)
		}
	}
	return b
}

// schemaRefs lists the schema names that "$ref": "#/components/schemas/X"
// point at anywhere in doc.
func schemaRefs(doc []byte) []string {
	var walk func(v any)
	refs := map[string]bool{}
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			if r, ok := t["$ref"].(string); ok && len(r) > len("#/components/schemas/") && r[:len("#/components/schemas/")] == "#/components/schemas/" {
				refs[r[len("#/components/schemas/"):]] = true
			}
			for _, x := range t {
				walk(x)
			}
		case []any:
			for _, x := range t {
				walk(x)
			}
		}
	}
	var v any
	_ = json.Unmarshal(doc, &v)
	walk(v)
	return slices.Sorted(maps.Keys(refs))
}

func (s *Server) openAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openAPIDocument)
}
