package arch

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// module is the module path of our packages.
const module = "andel"

// pkg is what the check needs of `go list -json`.
type pkg struct {
	ImportPath string
	Imports    []string // direct imports of the package itself (not its tests)
}

// rule says what one of our packages may not import. A package matches
// the first rule whose path it equals or lies under (longest first).
type rule struct {
	path string
	// ours lists the only packages of ours it may import (by path or
	// parent path); nil means any that forbidden does not exclude.
	ours []string
	// forbidden are import paths (or their parents) it must not import.
	forbidden []string
}

var rules = []rule{
	{path: "andel/pricing", ours: []string{}},
	{path: "andel/domain", ours: []string{"andel/pricing"},
		forbidden: []string{"net/http", "encoding/gob", "os", "github.com/labstack/echo", "github.com/alexedwards/scs",
			"github.com/jackc/pgx/v5/stdlib", "github.com/jackc/pgx/v5/pgtype"}},
	{path: "andel/api/sessionstore", ours: []string{}},
	{path: "andel/internal/pgload", ours: []string{"andel/domain", "andel/pricing", "andel/internal/spool"}},
	{path: "andel/internal/spool", ours: []string{}},
	{path: "andel/internal/demo", ours: []string{"andel/domain", "andel/pricing", "andel/internal/pgload"}},
	{path: "andel/internal/testclock", ours: []string{}},
	{path: "andel/suppliers", forbidden: []string{"andel/app", "andel/api", "andel/jobs", "andel/cmd"}},
	{path: "andel/app", forbidden: []string{"andel/api", "andel/jobs", "andel/cmd"}},
	{path: "andel/jobs", forbidden: []string{"andel/cmd", "=andel/api"}}, // api/sessionstore is fine
	{path: "andel/api", forbidden: []string{"andel/cmd"}},
	{path: "andel/web", ours: []string{"andel/app", "andel/domain", "andel/pricing"}}, // api mounts web
}

// under reports whether path is p or lies below it ("a/b" is under "a",
// "a/bc" is not). A p starting with "=" matches only itself.
func under(path, p string) bool {
	if exact, ok := strings.CutPrefix(p, "="); ok {
		return path == exact
	}
	return path == p || strings.HasPrefix(path, p+"/")
}

// ruleFor returns the most specific rule for path.
func ruleFor(path string) (rule, bool) {
	best, found := rule{}, false
	for _, r := range rules {
		if under(path, r.path) && len(r.path) > len(best.path) {
			best, found = r, true
		}
	}
	return best, found
}

// violations lists every import of pkgs that breaks its package's rule.
func violations(pkgs []pkg) []string {
	var out []string
	for _, p := range pkgs {
		r, ok := ruleFor(p.ImportPath)
		if !ok {
			continue
		}
		for _, imp := range p.Imports {
			ours := under(imp, module)
			switch {
			case slices.ContainsFunc(r.forbidden, func(f string) bool { return under(imp, f) }):
				out = append(out, fmt.Sprintf("%s imports %s, which it must not", p.ImportPath, imp))
			case ours && r.ours != nil && !slices.ContainsFunc(r.ours, func(o string) bool { return under(imp, o) }):
				out = append(out, fmt.Sprintf("%s imports %s; of ours it may import only %v", p.ImportPath, imp, r.ours))
			}
		}
	}
	return out
}

// TestImportsPointOneWay lists our packages with `go list` and checks each
// against its rule.
func TestImportsPointOneWay(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list the packages: %v", err)
	}
	cmd := exec.Command(gobin, "list", "-json=ImportPath,Imports", module+"/...")
	outp, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(outp)))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	for _, r := range rules {
		if !slices.ContainsFunc(pkgs, func(p pkg) bool { return p.ImportPath == r.path }) {
			t.Errorf("rule for %s, but go list has no such package: update the rules", r.path)
		}
	}
	for _, v := range violations(pkgs) {
		t.Error(v)
	}
}

// TestViolationsAreFound proves the check bites: each kind of wrong import
// is reported, and the right ones are not.
func TestViolationsAreFound(t *testing.T) {
	bad := []pkg{
		{ImportPath: "andel/pricing", Imports: []string{"andel/domain"}},
		{ImportPath: "andel/domain", Imports: []string{"net/http", "os", "encoding/gob", "github.com/labstack/echo/v4",
			"github.com/alexedwards/scs/v2", "github.com/jackc/pgx/v5/stdlib", "andel/suppliers", "andel/internal/pgload"}},
		{ImportPath: "andel/suppliers", Imports: []string{"andel/api", "andel/jobs", "andel/cmd/andel"}},
		{ImportPath: "andel/jobs", Imports: []string{"andel/api", "andel/cmd/andel"}},
		{ImportPath: "andel/api", Imports: []string{"andel/cmd/andel"}},
		{ImportPath: "andel/internal/pgload", Imports: []string{"andel/suppliers"}},
		{ImportPath: "andel/api/sessionstore", Imports: []string{"andel/domain"}},
	}
	if got, want := len(violations(bad)), 1+8+3+2+1+1+1; got != want {
		t.Errorf("%d violations found, want %d:\n%s", got, want, strings.Join(violations(bad), "\n"))
	}
	good := []pkg{
		{ImportPath: "andel/domain", Imports: []string{"andel/pricing", "gorm.io/gorm", "database/sql", "osext/not-os", "net/mail"}},
		{ImportPath: "andel/jobs", Imports: []string{"andel/api/sessionstore", "andel/suppliers", "andel/domain"}},
		{ImportPath: "andel/api", Imports: []string{"andel/api/sessionstore", "andel/jobs", "andel/suppliers"}},
		{ImportPath: "andel/cmd/andel", Imports: []string{"andel/api", "andel/jobs", "andel/internal/demo"}},
	}
	if v := violations(good); len(v) != 0 {
		t.Errorf("allowed imports reported: %v", v)
	}
}
