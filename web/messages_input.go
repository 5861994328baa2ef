package web

// The words of the 400 page for input no form of these pages sends
// (input.go): the fields named below the sentence; the labels of the
// member form's contact fields, which the domain now bounds in length;
// and the Danish of the problems the bounds on form input write
// (domain/bounds.go, domain/cart.go's checkOfferOf, formNumber), added to
// problemsDA here rather than in messages_problems.go, which others edit.
func init() {
	registerMessages(inputDA, inputEN)
	for en, da := range inputProblemsDA {
		problemsDA[en] = da
	}
}

var inputDA = map[string]string{
	"error.unreadable":                "Nogle felter indeholder tegn, som ikke kan læses (kontroltegn eller ugyldig tekst). Ret dem og prøv igen:",
	"error.unreadable.field":          "indeholder tegn, som ikke kan læses",
	"staff.field.order_contact.name":  "Kontaktperson",
	"staff.field.order_contact.phone": "Kontaktens telefon",
}

var inputEN = map[string]string{
	"error.unreadable":                "Some fields hold characters that cannot be read (control characters or invalid text). Correct them and try again:",
	"error.unreadable.field":          "holds characters that cannot be read",
	"staff.field.order_contact.name":  "Contact person",
	"staff.field.order_contact.phone": "Contact's phone",
}

var inputProblemsDA = map[string]string{
	"must be at most %d characters":     "må højst være på %d tegn",
	"must be a whole number, 0 or more": "skal være et helt tal, 0 eller derover",
	"no such offer of the product":      "er ikke et tilbud på varen",
	"a field is not a whole number":     "et felt er ikke et helt tal",
}
