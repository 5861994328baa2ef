package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"andel/domain"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"
)

// Input that PostgreSQL or a person cannot read is refused at the edge,
// every problem listed, before anything runs: bodies that are not UTF-8,
// strings with NUL or other control characters (PostgreSQL refuses NUL in
// text; a control character in a name is never meant), lone surrogates
// (which Go would quietly store as U+FFFD), numbers that do not fit the
// field they are meant for, and every unknown field, not only the first.

// checkJSON walks body as JSON against the request type of dst and
// returns every problem found; nil when it is fit to decode.
func checkJSON(body []byte, dst any) []domain.FieldError {
	if !utf8.Valid(body) {
		return []domain.FieldError{{Field: "body", Message: "is not valid UTF-8"}}
	}
	w := &jsonWalk{body: body, dec: json.NewDecoder(bytes.NewReader(body))}
	w.dec.UseNumber()
	if err := w.value(reflect.TypeOf(dst), ""); err != nil {
		return nil // malformed JSON: the decoder's own error says where
	}
	return w.problems
}

type jsonWalk struct {
	body     []byte
	dec      *json.Decoder
	problems []domain.FieldError
}

func (w *jsonWalk) add(field, format string, args ...any) {
	if field == "" {
		field = "body"
	}
	w.problems = append(w.problems, domain.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// value reads one JSON value meant for a Go value of type t (nil: any).
func (w *jsonWalk) value(t reflect.Type, path string) error {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	before := w.dec.InputOffset()
	tok, err := w.dec.Token()
	if err != nil {
		return err
	}
	if want := jsonKind(t); want != "" && want != tokenKind(tok) && tok != nil {
		// Every wrongly typed field listed (the decoder stops at the
		// first); the value is still walked for what it holds.
		w.add(path, "must be a JSON %s", want)
		t = nil
	}
	switch v := tok.(type) {
	case json.Delim:
		switch v {
		case '{':
			return w.object(t, path)
		case '[':
			var elem reflect.Type
			if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
				elem = t.Elem()
			}
			for i := 0; w.dec.More(); i++ {
				if err := w.value(elem, fmt.Sprintf("%s[%d]", path, i)); err != nil {
					return err
				}
			}
			_, err := w.dec.Token() // ]
			return err
		}
	case string:
		w.text(v, w.body[before:w.dec.InputOffset()], path)
	case json.Number:
		w.number(v, t, path)
	}
	return nil
}

var jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()

// jsonKind names the kind of JSON value a Go value of type t is read from
// (string, number, boolean, array, object), or "" when it is not fixed (t
// unknown, an interface, a type with its own UnmarshalJSON).
func jsonKind(t reflect.Type) string {
	if t == reflect.TypeFor[time.Time]() {
		return "string" // RFC 3339
	}
	if t == nil || t.Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(jsonUnmarshaler) {
		return ""
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "" // []byte is a base64 string
		}
		return "array"
	case reflect.Array:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	}
	return ""
}

// tokenKind names the kind of JSON value tok starts (null: "").
func tokenKind(tok json.Token) string {
	switch v := tok.(type) {
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	case json.Delim:
		if v == '[' {
			return "array"
		}
		return "object"
	}
	return ""
}

// object reads the members of an object meant for t.
func (w *jsonWalk) object(t reflect.Type, path string) error {
	var fields map[string]reflect.Type
	var elem reflect.Type
	checked := false
	switch {
	case t == nil:
	case t.Kind() == reflect.Struct && t != reflect.TypeOf(decimal.Decimal{}):
		fields, checked = jsonFields(t), true
	case t.Kind() == reflect.Map:
		elem = t.Elem()
	}
	for w.dec.More() {
		before := w.dec.InputOffset()
		tok, err := w.dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		field := key
		if path != "" {
			field = path + "." + key
		}
		w.text(key, w.body[before:w.dec.InputOffset()], field)
		ft := elem
		if checked {
			var ok bool
			if ft, ok = fields[key]; !ok {
				w.add(field, "is not a field of this request")
			}
		}
		if err := w.value(ft, field); err != nil {
			return err
		}
	}
	_, err := w.dec.Token() // }
	return err
}

// text checks a string (raw: its JSON text) for what no field may hold.
func (w *jsonWalk) text(s string, raw []byte, field string) {
	for _, r := range s {
		switch {
		case r == 0:
			w.add(field, "must not contain NUL characters")
			return
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0x7f:
			w.add(field, "must not contain control characters (U+%04X)", r)
			return
		case r == utf8.RuneError && !bytes.Contains(raw, []byte("\uFFFD")) && !bytes.Contains(bytes.ToLower(raw), []byte(`\ufffd`)):
			w.add(field, "holds an invalid Unicode escape (a lone surrogate)")
			return
		}
	}
}

// number checks that n fits the whole-number field it is meant for.
func (w *jsonWalk) number(n json.Number, t reflect.Type, field string) {
	if t == nil {
		return
	}
	var lo, hi float64
	switch t.Kind() {
	case reflect.Int, reflect.Int64:
		lo, hi = math.MinInt64, math.MaxInt64
	case reflect.Int32:
		lo, hi = math.MinInt32, math.MaxInt32
	case reflect.Int16:
		lo, hi = math.MinInt16, math.MaxInt16
	case reflect.Int8:
		lo, hi = math.MinInt8, math.MaxInt8
	default:
		return
	}
	if _, err := strconv.ParseInt(string(n), 10, t.Bits()); err != nil {
		if d, derr := decimal.NewFromString(string(n)); derr == nil && d.IsInteger() {
			w.add(field, "must be a whole number from %.0f to %.0f", lo, hi)
		} else {
			w.add(field, "must be a whole number")
		}
	}
}

// jsonFields maps the JSON names of struct t's fields (embedded structs'
// included) to their types, as encoding/json reads them.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range jsonFields(ft) {
					out[k] = v
				}
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// checkQuery refuses query parameters that are not UTF-8 or hold control
// characters (a NUL reaching PostgreSQL would be a 500), every one listed.
func checkQuery(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		var p domain.Problems
		for k, vs := range c.QueryParams() {
			for _, v := range vs {
				if msg := badText(k + v); msg != "" {
					p.Add(k, "%s", msg)
					break
				}
			}
		}
		if len(p) > 0 {
			return &badRequest{detail: "a query parameter cannot be read", fields: p}
		}
		return next(c)
	}
}

// badText says what is wrong with s as text, or "".
func badText(s string) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8"
	}
	for _, r := range s {
		if r == 0 {
			return "must not contain NUL characters"
		}
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f {
			return fmt.Sprintf("must not contain control characters (U+%04X)", r)
		}
	}
	return ""
}

// readBody reads a JSON request body whole (the server's body limit bounds it).
func readBody(c echo.Context) ([]byte, error) {
	b, err := io.ReadAll(c.Request().Body)
	var maxErr *echo.HTTPError
	if errors.As(err, &maxErr) || (err != nil && strings.Contains(err.Error(), "http: request body too large")) {
		return nil, echo.ErrStatusRequestEntityTooLarge
	}
	return b, err
}
