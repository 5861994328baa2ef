package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"reflect"
	"strings"

	"andel/domain"

	"github.com/go-playground/validator/v10"
	"github.com/labstack/echo/v4"
)

// newValidator returns a validator that names fields by their JSON names,
// so that its errors point at what the client sent.
func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	return v
}

// decodeJSON reads the request body into dst (a request type of this
// package, never a domain type), refusing unknown fields and trailing data,
// and validates it. Malformed input is 400; values breaking the struct's
// rules are 422 with every field listed.
func (s *Server) decodeJSON(c echo.Context, dst any) error {
	mt, _, err := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if err != nil || mt != echo.MIMEApplicationJSON {
		return &badRequest{detail: "the body must be application/json"}
	}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	if fields := checkJSON(body, dst); len(fields) > 0 {
		return &badRequest{detail: "the body has fields that cannot be taken", fields: fields}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &badRequest{detail: "the body must hold exactly one JSON value"}
	}
	return s.validateStruct(dst)
}

// decodeInput is decodeJSON for a request the domain validates too: the
// failures of the struct's own rules come back as problems, to be listed
// together with the domain's (every bad field at once, not only those the
// first checker saw); only unreadable input is an error.
func (s *Server) decodeInput(c echo.Context, dst any) (domain.Problems, error) {
	err := s.decodeJSON(c, dst)
	var de *domain.Error
	if errors.As(err, &de) && de.Code == domain.EINVALID {
		return domain.Problems(de.Fields), nil
	}
	return nil, err
}

// jsonError turns a decoding error into a 400 naming the field if it can.
func jsonError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	var maxErr *echo.HTTPError
	switch {
	case errors.As(err, &maxErr):
		return err
	case errors.As(err, &typeErr):
		return &badRequest{detail: "a field has the wrong JSON type",
			fields: []domain.FieldError{{Field: typeErr.Field, Message: "must be a JSON " + typeErr.Type.String()}}}
	case errors.As(err, &syntaxErr):
		return &badRequest{detail: fmt.Sprintf("malformed JSON at byte %d", syntaxErr.Offset)}
	case errors.Is(err, io.EOF):
		return &badRequest{detail: "the body is empty"}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &badRequest{detail: "the body has an unknown field",
			fields: []domain.FieldError{{Field: field, Message: "is not a field of this request"}}}
	case strings.Contains(err.Error(), "http: request body too large"):
		return echo.ErrStatusRequestEntityTooLarge
	default:
		return &badRequest{detail: "malformed JSON: " + err.Error()}
	}
}

// validateStruct runs the validator tags of v and reports every failure as
// a field error of an EINVALID domain error.
func (s *Server) validateStruct(v any) error {
	err := s.validate.Struct(v)
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return err
	}
	var p domain.Problems
	for _, fe := range verrs {
		field := fe.Namespace()
		if _, rest, ok := strings.Cut(field, "."); ok {
			field = rest // drop the struct's own name
		}
		p.Add(field, "%s", validationMessage(fe))
	}
	return p.Err()
}

func validationMessage(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required":
		return "is required"
	case "email":
		return "must be an e-mail address"
	case "max":
		return "must be at most " + fe.Param() + " characters"
	case "min":
		return "must be at least " + fe.Param() + " characters"
	case "oneof":
		return "must be one of: " + fe.Param()
	case "url", "http_url":
		return "must be an absolute URL"
	case "datetime":
		return "must be a date as " + fe.Param()
	case "gt":
		return "must be greater than " + fe.Param()
	default:
		return "fails the " + fe.Tag() + " rule"
	}
}

// writeJSON encodes v compactly; a helper so that problem documents and
// handlers agree on the encoding.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
