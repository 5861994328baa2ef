package domain

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes, mapped to HTTP statuses once, in package api.
const (
	EINVALID      = "invalid"      // the input breaks a rule; FieldErrors say which
	ENOTFOUND     = "not_found"    // no such object, or not the caller's to see
	ECONFLICT     = "conflict"     // the object's state forbids the change, or a duplicate
	EUNAUTHORIZED = "unauthorized" // who is calling is not known
	EFORBIDDEN    = "forbidden"    // the caller is known but may not do this
	ETOOMANY      = "too_many"     // slowed down: try again later
	EINTERNAL     = "internal"     // a bug or an outage; details are logged, never shown
)

// FieldError is one problem with one input field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is a domain error: a code, a message meant for the caller, and for
// EINVALID the list of every field problem found.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("%s: %s", e.Code, e.Message)
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, strings.Join(parts, "; "))
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, or EINTERNAL for errors that are not
// domain errors.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// NotFound is the error for an object that does not exist or that the
// caller's tenant may not see: the two are deliberately indistinguishable.
func NotFound(entity string) *Error {
	return &Error{Code: ENOTFOUND, Message: entity + " not found"}
}

// Problems collects field errors so that a validator can report all of them.
type Problems []FieldError

// Add records a problem with field.
func (p *Problems) Add(field, format string, args ...any) {
	*p = append(*p, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Merge returns earlier followed by those of later whose field earlier
// does not already name: problems a caller found while reading the input
// (an unparsable date, a value outside a list) and the domain's own, each
// field reported once, so that every bad field is listed however early it
// was found.
func (earlier Problems) Merge(later Problems) Problems {
	named := make(map[string]bool, len(earlier))
	out := append(Problems(nil), earlier...)
	for _, f := range earlier {
		named[f.Field] = true
	}
	for _, f := range later {
		if !named[f.Field] {
			out = append(out, f)
		}
	}
	return out
}

// Err returns nil when nothing was recorded, else an EINVALID error listing
// every problem.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "the request has invalid fields", Fields: p}
}
