package web

// The words of the 400 page for input no form of these pages sends
// (input.go): the fields named below the sentence; and the labels of the
// member form's contact fields, which the domain now bounds in length.
func init() { registerMessages(inputDA, inputEN) }

var inputDA = map[string]string{
	"error.unreadable":                "Nogle felter indeholder tegn, som ikke kan læses (kontroltegn eller ugyldig tekst). Ret dem og prøv igen:",
	"staff.field.order_contact.name":  "Kontaktperson",
	"staff.field.order_contact.phone": "Kontaktens telefon",
}

var inputEN = map[string]string{
	"error.unreadable":                "Some fields hold characters that cannot be read (control characters or invalid text). Correct them and try again:",
	"staff.field.order_contact.name":  "Contact person",
	"staff.field.order_contact.phone": "Contact's phone",
}
