package domain

import "net/mail"

// validEmail reports whether s is a plain e-mail address ("a@b.dk", no
// display name or angle brackets).
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s
}
