package web

import (
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The problem messages a page can show are found in the source, not
// listed by hand: scanProblemFormats walks domain/, suppliers/ and web/
// with go/parser and collects every message literal handed to a call or
// composite literal that makes a problem. TestProblemsCatalogueComplete
// then requires a Danish entry for each.

// problemCalls: the calls that make a problem message, by the callee's
// name, and which argument holds the message (a format string, a literal
// or a concatenation).
var problemCalls = map[string]int{
	"Add":        1, // domain.Problems.Add(field, format, args...)
	"Errorf":     1, // domain.Errorf(code, format, args...) (not fmt.Errorf: see skipReceivers)
	"NotFound":   0, // domain.NotFound(entity): "<entity> not found"
	"notFoundOr": 1, // domain notFoundOr(err, entity): NotFound(entity) for a missing row
	"errf":       1, // suppliers' and domain's closures errf(field or rule, format, args...)
	"warnf":      1,
	"errorAt":    4, // suppliers list.errorAt(pos, field, sku, rule, msg)
	"warnAt":     4,
	"stop":       1, // suppliers list.stop(pos, msg)
	"problem":    1, // web tenderFormData.problem(field, msg)
	"Problem":    0, // web Localizer.Problem(msg): a message the page translates itself
	"add":        4, // domain SKUChecks.add(severity, field, sku, line, msg): the whole-list checks of a price list
	"within":     7, // suppliers ublReader.within(..., rule, msg, sku): a validity period outside another
	"newErr":     2, // pricing newErr(kind, field, msg): quoted by domain and suppliers ("%s", "pack_price: %s")
	"fail":       2, // pricing Pack.units' fail(kind, field, format, args...)
}

// quotedErrorFiles: files whose error texts are quoted inside problem
// messages (a date or number that cannot be read, a unit code): there
// fmt.Errorf, errors.New and fmt.Sprintf formats and returned literals are
// messages too, translated where they are quoted.
var quotedErrorFiles = map[string]bool{
	"suppliers/dates.go": true, "suppliers/decimal.go": true, "suppliers/codes.go": true, "pricing/parse.go": true,
}

// skipReceivers: a call through one of these package or value names is
// not a problem (fmt.Errorf wraps internal errors that are logged, never
// shown; decimal, time and header Add are arithmetic and HTTP).
var skipReceivers = map[string]bool{"fmt": true, "errors": true, "Header()": true}

// problemLiteralTypes: composite literals whose Message field is shown.
var problemLiteralTypes = map[string]bool{
	"FieldError": true, "Error": true, "Problem": true, "PriceListProblem": true, "formProblem": true,
}

type problemSite struct {
	Pos    string // file:line
	Format string // the message format; "" when the message is not a literal
	Expr   string // the expression, when not a literal
}

// scanProblemFormats parses the packages' non-test files.
func scanProblemFormats(t *testing.T, dirs ...string) []problemSite {
	t.Helper()
	var sites []problemSite
	fset := token.NewFileSet()
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		sort.Strings(files)
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			consts := fileConsts(f)
			quoted := quotedErrorFiles[filepath.Base(filepath.Dir(name))+"/"+filepath.Base(name)]
			name2 := name
			ast.Inspect(f, func(n ast.Node) bool {
				if quoted {
					collectQuoted(fset, n, consts, &sites)
				}
				switch x := n.(type) {
				case *ast.CallExpr:
					name, recv := calleeName(x.Fun)
					idx, ok := problemCalls[name]
					if !ok || skipReceivers[recv] || len(x.Args) <= idx {
						return true
					}
					if name == "Add" && (len(x.Args) < 2 || strings.HasSuffix(filepath.Dir(name2), "pricing")) { // decimal.Add, time.Add, big.Int.Add
						return true
					}
					if name == "Errorf" && recv == "" && !inDomain(fset, x) {
						return true
					}
					if catalogueText(x.Args[idx]) || catalogueText(x) {
						return true
					}
					site := problemSite{Pos: position(fset, x)}
					if format, ok := messageFormat(x.Args[idx], consts); ok {
						if name == "NotFound" || name == "notFoundOr" {
							format += " not found"
						}
						site.Format = format
					} else {
						site.Expr = exprString(fset, x.Args[idx])
					}
					sites = append(sites, site)
				case *ast.CompositeLit:
					if !problemLiteralTypes[typeName(x.Type)] {
						return true
					}
					for _, el := range x.Elts {
						kv, ok := el.(*ast.KeyValueExpr)
						if !ok {
							continue
						}
						if k, ok := kv.Key.(*ast.Ident); !ok || k.Name != "Message" {
							continue
						}
						if catalogueText(kv.Value) {
							continue
						}
						site := problemSite{Pos: position(fset, kv)}
						if format, ok := messageFormat(kv.Value, consts); ok {
							site.Format = format
						} else {
							site.Expr = exprString(fset, kv.Value)
						}
						sites = append(sites, site)
					}
				}
				return true
			})
		}
	}
	return sites
}

// collectQuoted collects the error texts of a quotedErrorFiles file.
func collectQuoted(fset *token.FileSet, n ast.Node, consts map[string]string, sites *[]problemSite) {
	var e ast.Expr
	switch x := n.(type) {
	case *ast.CallExpr:
		name, recv := calleeName(x.Fun)
		if len(x.Args) > 0 && (recv == "fmt" && (name == "Errorf" || name == "Sprintf") || recv == "errors" && name == "New") {
			e = x.Args[0]
		}
	case *ast.ReturnStmt:
		for _, r := range x.Results {
			if lit, ok := r.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				e = lit
			}
		}
	}
	if e == nil {
		return
	}
	if format, ok := messageFormat(e, consts); ok && format != "" && !strings.Contains(format, "%w") {
		*sites = append(*sites, problemSite{Pos: position(fset, n), Format: format})
	}
}

// catalogueText: a message from the pages' catalogue (l.T(key)) is in
// the page's language already, and one the page translates
// (l.Problem(f.Message)) is a message made elsewhere, collected there.
func catalogueText(e ast.Expr) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	name, _ := calleeName(call.Fun)
	if name == "Problem" && len(call.Args) == 1 {
		_, lit := messageFormat(call.Args[0], nil)
		return !lit
	}
	return name == "T"
}

func inDomain(fset *token.FileSet, n ast.Node) bool {
	return strings.Contains(filepath.ToSlash(fset.Position(n.Pos()).Filename), "domain/")
}

func position(fset *token.FileSet, n ast.Node) string {
	p := fset.Position(n.Pos())
	return filepath.Base(filepath.Dir(p.Filename)) + "/" + filepath.Base(p.Filename) + ":" + strconv.Itoa(p.Line)
}

func calleeName(fun ast.Expr) (name, recv string) {
	switch f := fun.(type) {
	case *ast.Ident:
		return f.Name, ""
	case *ast.SelectorExpr:
		switch x := f.X.(type) {
		case *ast.Ident:
			return f.Sel.Name, x.Name
		case *ast.CallExpr:
			if s, ok := x.Fun.(*ast.SelectorExpr); ok {
				return f.Sel.Name, s.Sel.Name + "()"
			}
		}
		return f.Sel.Name, "?"
	case *ast.IndexExpr:
		return calleeName(f.X)
	}
	return "", ""
}

func typeName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.SelectorExpr:
		return t.Sel.Name
	}
	return ""
}

// fileConsts: the file's string constants, so that a message named by a
// constant is found.
func fileConsts(f *ast.File) map[string]string {
	out := map[string]string{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if i < len(vs.Values) {
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						if v, err := strconv.Unquote(lit.Value); err == nil {
							out[n.Name] = v
						}
					}
				}
			}
		}
	}
	return out
}

// messageFormat turns a message expression into its format: a literal as
// it is, fmt.Sprintf's format, and a concatenation with each part that is
// not a literal as %s. ok is false when no part is a literal.
func messageFormat(e ast.Expr, consts map[string]string) (string, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind == token.STRING {
			v, err := strconv.Unquote(x.Value)
			return v, err == nil
		}
	case *ast.Ident:
		v, ok := consts[x.Name]
		return v, ok
	case *ast.ParenExpr:
		return messageFormat(x.X, consts)
	case *ast.CallExpr:
		if name, recv := calleeName(x.Fun); (recv == "fmt" && name == "Sprintf" || name == "Problem") && len(x.Args) > 0 {
			return messageFormat(x.Args[0], consts)
		}
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			l, lok := messageFormat(x.X, consts)
			r, rok := messageFormat(x.Y, consts)
			if !lok && !rok {
				return "", false
			}
			if !lok {
				l = "%s"
			}
			if !rok {
				r = "%s"
			}
			return l + r, true
		}
	}
	return "", false
}

func exprString(fset *token.FileSet, e ast.Expr) string {
	var b strings.Builder
	_ = printerFprint(&b, fset, e)
	return b.String()
}

func printerFprint(w *strings.Builder, fset *token.FileSet, e ast.Expr) error {
	return printer.Fprint(w, fset, e)
}
