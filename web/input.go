package web

import (
	"errors"

	"mime"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

// Input no form of these pages can send is refused before any handler
// reads it: query parameters and form fields (names and values, and the
// names of uploaded files) that are not UTF-8 or hold a control character.
// PostgreSQL refuses a NUL in text (a 500 when it reached a query), Go
// would store invalid UTF-8 as it came, and a control character in a name
// is never meant. The answer is a 400 page naming every field, as the
// API's checkQuery and checkJSON do for its own requests (api/input.go).

// unreadableInput lists the fields that cannot be read.
type unreadableInput struct{ fields []string }

func (u *unreadableInput) Error() string {
	return "unreadable input in " + strings.Join(u.fields, ", ")
}

// checkInput is middleware refusing unreadable query parameters and form
// fields with a 400 page (see above).
func (p *Pages) checkInput(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		bad := map[string]bool{}
		check := func(vals map[string][]string) {
			for k, vs := range vals {
				if badText(k) {
					bad[printable(k)] = true
					continue
				}
				for _, v := range vs {
					if badText(v) {
						bad[k] = true
						break
					}
				}
			}
		}
		r := c.Request()
		check(r.URL.Query())
		if r.Method == http.MethodPost {
			ct, _, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
			switch ct {
			case echo.MIMEApplicationForm:
				form, err := c.FormParams()
				if err != nil {
					return echo.NewHTTPError(http.StatusBadRequest, "the form cannot be read").SetInternal(err)
				}
				check(form)
			case echo.MIMEMultipartForm:
				// Only for someone logged in: an upload has no body limit
				// (it streams to disk), and requireLogin refuses anyone
				// else before reading it. It is the parse the CSRF check
				// and FormFile do anyway (kept on the request): an upload
				// is read once.
				if pageOf(c) == nil || pageOf(c).Actor.Role == "" {
					break
				}
				form, err := c.MultipartForm()
				if err != nil {
					return echo.NewHTTPError(http.StatusBadRequest, "the form cannot be read").SetInternal(err)
				}
				check(form.Value)
				for k, fhs := range form.File {
					for _, fh := range fhs {
						if badText(fh.Filename) {
							bad[printable(k)] = true
						}
					}
				}
			}
		}
		if len(bad) > 0 {
			u := &unreadableInput{}
			for k := range bad {
				u.fields = append(u.fields, k)
			}
			sort.Strings(u.fields)
			return echo.NewHTTPError(http.StatusBadRequest, u.Error()).SetInternal(u)
		}
		return next(c)
	}
}

// badText reports text that is not UTF-8 or holds a control character
// (tab, line feed and carriage return are text: a textarea sends them).
func badText(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f {
			return true
		}
	}
	return false
}

// printable is a field's name as a page may show it.
func printable(s string) string {
	s = strings.ToValidUTF8(s, "?")
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}

// unreadableFields returns the fields an error names as unreadable.
func unreadableFields(err error) []string {
	var u *unreadableInput
	if errors.As(err, &u) {
		return u.fields
	}
	return nil
}
