package web

// problemsPricingDA: the Danish of package pricing's error messages (a
// number, unit, pack, tier ladder, exchange rate or bid that cannot be
// used), which the domain and the price-list readers pass on in their
// problems ("%s", "pack_price: %s"), and of the number and date readers'
// errors the price-list report quotes (suppliers' dates.go, decimal.go).
var problemsPricingDA = map[string]string{
	// Reading numbers (pricing.ParseAmount, suppliers' decimals).
	"%q cannot be grouped thousands: a number grouped by '%c' does not start with 0 (write %s)":                                   "%q kan ikke være grupperet i tusinder: et tal grupperet med '%c' begynder ikke med 0 (skriv %s)",
	"%q contains ',', which the plain format does not allow (write %s; a Danish amount such as 1.234,50 needs the Danish locale)": "%q indeholder ',', som det enkle format ikke tillader (skriv %s; et dansk beløb som 1.234,50 kræver dansk talformat)",
	"%q contains a space; write the amount without spaces, like %s":                                                               "%q indeholder et mellemrum; skriv beløbet uden mellemrum, som %s",
	"%q has a '+' sign; write a positive amount without a sign":                                                                   "%q har et '+'; skriv et positivt beløb uden fortegn",
	"%q has a '-' that is not at the start":                                                                                       "%q har et '-', der ikke står først",
	"%q has a thousands separator '%c' after the decimal separator '%c'":                                                          "%q har en tusindtalsseparator '%c' efter decimaltegnet '%c'",
	"%q has an unexpected character %q at position %d; write the amount like %s":                                                  "%q har et uventet tegn %q på plads %d; skriv beløbet som %s",
	"%q has more than %d digits":                                   "%q har mere end %d cifre",
	"%q has more than one decimal separator %q":                    "%q har mere end ét decimaltegn %q",
	"%q has no digit after the decimal separator %q":               "%q har intet ciffer efter decimaltegnet %q",
	"%q has no digit before the decimal separator %q (write 0%s…)": "%q har intet ciffer før decimaltegnet %q (skriv 0%s…)",
	"%q has no digits":                                             "%q har ingen cifre",
	"%q is ambiguous: in the Danish format '.' separates thousands and must be followed by exactly three digits (write 1,50 for one and a half, 1.500 for fifteen hundred)":  "%q er tvetydigt: i dansk format adskiller '.' tusinder og skal efterfølges af præcis tre cifre (skriv 1,50 for halvanden, 1.500 for femtenhundrede)",
	"%q is ambiguous: in the English format ',' separates thousands and must be followed by exactly three digits (write 1.50 for one and a half, 1,500 for fifteen hundred)": "%q er tvetydigt: i engelsk format adskiller ',' tusinder og skal efterfølges af præcis tre cifre (skriv 1.50 for halvanden, 1,500 for femtenhundrede)",
	"%q is ambiguous: it could be %s or %s; write it with a decimal separator and its decimals (%s or %s)":                                                                   "%q er tvetydigt: det kan være %s eller %s; skriv det med decimaltegn og decimaler (%s eller %s)",
	"%q is not a whole number of packs":      "%q er ikke et helt antal pakninger",
	"%q is not an xs:decimal (e.g. 1234.50)": "%q er ikke et xs:decimal (f.eks. 1234.50)",
	"%q is not an xs:decimal":                "%q er ikke et xs:decimal",
	"%q is not an xs:decimal: the decimal separator is '.', and there is no thousands separator": "%q er ikke et xs:decimal: decimaltegnet er '.', og der er ingen tusindtalsseparator",
	"%q is too large": "%q er for stort",
	"%q: the first group before '%c' must have 1 to 3 digits": "%q: den første gruppe før '%c' skal have 1 til 3 cifre",
	"amount has %d digits, more than the %d allowed":          "beløbet har %d cifre, mere end de tilladte %d",
	"amount is empty":                     "beløbet er tomt",
	"amount is longer than %d characters": "beløbet er længere end %d tegn",
	"amount is missing":                   "beløbet mangler",
	"amount must be a JSON string such as \"1234.50\", not a number": "beløbet skal være en JSON-streng som \"1234.50\", ikke et tal",
	"expected {\"amount\":\"1234.50\",\"currency\":\"DKK\"}":         "forventede {\"amount\":\"1234.50\",\"currency\":\"DKK\"}",
	"number is missing": "tallet mangler",

	// Dates (suppliers' dates.go).
	"%q is not a calendar date":                         "%q er ikke en dato i kalenderen",
	"%q is not a date (YYYY-MM-DD)":                     "%q er ikke en dato (ÅÅÅÅ-MM-DD)",
	"%q is not a date (write 2027-01-31 or 31-01-2027)": "%q er ikke en dato (skriv 2027-01-31 eller 31-01-2027)",
	"%q is not a date":                                  "%q er ikke en dato",
	"%q: write dates as 2027-01-31 or 31-01-2027 (slashes are ambiguous between day-first and month-first)": "%q: skriv datoer som 2027-01-31 eller 31-01-2027 (skråstreger kan betyde både dag først og måned først)",
	"date is missing": "datoen mangler",

	// Units and packs.
	"%q is neither a UN/ECE Recommendation 20 unit code nor a unit word this system reads%s": "%q er hverken en enhedskode fra UN/ECE Recommendation 20 eller et enhedsord, systemet kan læse%s",
	"%q is not a UN/ECE Recommendation 20 unit code":                                         "%q er ikke en enhedskode fra UN/ECE Recommendation 20",
	"%q is not a UN/ECE Recommendation 20 unit code%s":                                       "%q er ikke en enhedskode fra UN/ECE Recommendation 20%s",
	"; did you mean %s?": "; mente I %s?",
	"unit code is missing (UN/ECE Rec 20, e.g. EA, C62, H87, MLT, XBX)": "enhedskoden mangler (UN/ECE Rec 20, f.eks. EA, C62, H87, MLT, XBX)",
	"unit code is missing": "enhedskoden mangler",
	"unit is missing":      "enheden mangler",
	"%s (%s) has no conversion factor, so one %s cannot hold %s: sell it per %s (content 1 %s) or use a package unit such as XPK":                                                                                                      "%s (%s) har ingen omregningsfaktor, så én %s kan ikke rumme %s: sælg den pr. %s (indhold 1 %s), eller brug en emballageenhed som XPK",
	"%s is not a package unit, so one %s contains exactly 1 %s (got %s); use a package unit such as BX or XPK for a pack":                                                                                                              "%s er ikke en emballageenhed, så én %s indeholder præcis 1 %s (fik %s); brug en emballageenhed som BX eller XPK til en pakning",
	"a pack's content is given in the package unit %s; say what one %s holds (its inner content, e.g. 100 C62) so that the pack resolves to a count or measure, or give the content directly (a carton of 10 boxes of 100 as 1000 EA)": "en paknings indhold er angivet i emballageenheden %s; angiv, hvad én %s indeholder (dens indre indhold, f.eks. 100 C62), så pakningen kan gøres op i antal eller mål, eller angiv indholdet direkte (en kasse med 10 æsker à 100 som 1000 EA)",
	"a pack's content must be positive (got %s)":                                                      "en paknings indhold skal være positivt (fik %s)",
	"a pack's content of %s is too large: at most 12 digits before the point":                         "et pakningsindhold på %s er for stort: højst 12 cifre før kommaet",
	"the inner pack %s must say what it holds in a count or measure unit, not %s":                     "den indre pakning %s skal angive sit indhold i en antals- eller måleenhed, ikke %s",
	"the inner pack must be what one %s of the content is, not %q":                                    "den indre pakning skal være det, én %s af indholdet er, ikke %q",
	"cannot convert %s (%s) to %s (%s)":                                                               "kan ikke omregne %s (%s) til %s (%s)",
	"cannot convert %s (%s) to %s (%s); a pack converts only through its declared content":            "kan ikke omregne %s (%s) til %s (%s); en pakning omregnes kun via sit angivne indhold",
	"cannot convert %s (%s) to %s (%s); a unit without a conversion factor compares only with itself": "kan ikke omregne %s (%s) til %s (%s); en enhed uden omregningsfaktor kan kun sammenlignes med sig selv",
	"an item's pooled volume is in a base unit (count or measure), not in the package unit %s":        "en vares samlede mængde angives i en basisenhed (antal eller mål), ikke i emballageenheden %s",

	// Quantities, prices, money.
	"%s has more than %d decimals, the most %s allows":                                  "%s har mere end %d decimaler, det højeste %s tillader",
	"%s has more than %d decimals, the most a price keeps":                              "%s har mere end %d decimaler, det højeste en pris har",
	"%s has more than 6 decimals":                                                       "%s har mere end 6 decimaler",
	"%s is below the minimum quantity %s":                                               "%s er under minimumsmængden %s",
	"%s is too large: a price has at most 12 digits before the point":                   "%s er for stor: en pris har højst 12 cifre før kommaet",
	"%s is too large: a quantity has at most 12 digits before the point":                "%s er for stor: en mængde har højst 12 cifre før kommaet",
	"%s is too large: an amount has at most 16 digits before the point":                 "%s er for stort: et beløb har højst 16 cifre før kommaet",
	"%s x %s is too large: a total has at most 16 digits before the point":              "%s x %s er for stort: en total har højst 16 cifre før kommaet",
	"a price cannot be negative (got %s)":                                               "en pris kan ikke være negativ (fik %s)",
	"cannot be negative (got %s)":                                                       "kan ikke være negativ (fik %s)",
	"must be positive (got %s)":                                                         "skal være positiv (fik %s)",
	"quantity cannot be negative (got %s)":                                              "mængden kan ikke være negativ (fik %s)",
	"the value cannot be negative (got %s)":                                             "værdien kan ikke være negativ (fik %s)",
	"cannot combine %s with %s; convert with an exchange rate first":                    "kan ikke lægge %s sammen med %s; omregn først med en valutakurs",
	"%q is not an ISO 4217 currency code (three upper-case letters such as DKK or EUR)": "%q er ikke en ISO 4217-valutakode (tre store bogstaver som DKK eller EUR)",
	"a VAT rate is a fraction from 0 up to 1, such as 0.25 for 25%% (got %s)":           "en momssats er en brøk fra 0 op til 1, f.eks. 0.25 for 25 %% (fik %s)",
	"a percentage must be a whole basis point, at most 2 decimals (got %s)":             "en procentsats skal være et helt basispoint, højst 2 decimaler (fik %s)",
	"a percentage must be between 0 and 100 (got %s)":                                   "en procentsats skal være mellem 0 og 100 (fik %s)",

	// Tier ladders.
	"a price ladder needs at least one tier":                                           "en prisstige skal have mindst ét pristrin",
	"a larger quantity may not cost more per unit: %s is above the previous tier's %s": "en større mængde må ikke koste mere pr. enhed: %s er over det forrige pristrins %s",
	"minimum quantities must ascend: %s does not exceed the previous tier's %s":        "minimumsmængderne skal stige: %s er ikke over det forrige pristrins %s",
	"minimum quantity cannot be negative (got %s)":                                     "minimumsmængden kan ikke være negativ (fik %s)",

	// Exchange rates and baselines.
	"an exchange rate has at most %d decimals (got %s)":                                     "en valutakurs har højst %d decimaler (fik %s)",
	"an exchange rate must be positive (got %s)":                                            "en valutakurs skal være positiv (fik %s)",
	"an exchange rate of %s is too large: at most 10 digits before the point":               "en valutakurs på %s er for stor: højst 10 cifre før kommaet",
	"more than one rate from %s":                                                            "mere end én kurs fra %s",
	"no exchange rate from %s to %s":                                                        "ingen valutakurs fra %s til %s",
	"the rate from %s to itself is 1 (got %s)":                                              "kursen fra %s til sig selv er 1 (fik %s)",
	"the rate table converts into %s, but the lot is evaluated in %s":                       "kurstabellen omregner til %s, men delaftalen evalueres i %s",
	"the table converts into %s, not %s":                                                    "tabellen omregner til %s, ikke %s",
	"the median needs at least one list price":                                              "medianen kræver mindst én listepris",
	"no price before %s":                                                                    "ingen pris før %s",
	"two different prices (%s and %s) at the same time %s: the previous price is ambiguous": "to forskellige priser (%s og %s) på samme tidspunkt %s: den forrige pris er tvetydig",
	"unknown baseline method %q (use %q or %q)":                                             "ukendt metode til referencepris %q (brug %q eller %q)",
	"quartiles of no values":                                                                "kvartiler af ingen værdier",

	// Bids and their evaluation.
	"a lot needs at least one item":                                           "en delaftale skal have mindst én vare",
	"a score must be from 0 to 100 (got %s)":                                  "en score skal være fra 0 til 100 (fik %s)",
	"a weight cannot be negative":                                             "en vægt kan ikke være negativ",
	"bid id %q appears more than once":                                        "bud-id %q forekommer mere end én gang",
	"bid id is missing":                                                       "bud-id mangler",
	"criterion %q appears more than once":                                     "kriteriet %q forekommer mere end én gang",
	"criterion name is missing":                                               "kriteriets navn mangler",
	"item %q is not in the lot":                                               "vare %q er ikke i delaftalen",
	"item %q is priced more than once":                                        "vare %q har pris mere end én gang",
	"item %q of the lot has no price: a bid must price every item":            "vare %q i delaftalen har ingen pris: et bud skal sætte pris på alle varer",
	"item id %q appears more than once":                                       "vare-id %q forekommer mere end én gang",
	"item id is missing":                                                      "vare-id mangler",
	"no value for criterion %q":                                               "ingen værdi for kriteriet %q",
	"the pooled quantity must be positive (got %s)":                           "den samlede mængde skal være positiv (fik %s)",
	"the price weight and criterion weights must sum to 100 (they sum to %s)": "prisens vægt og kriteriernes vægte skal give 100 tilsammen (de giver %s)",
	"unknown direction %q (use %q, %q or %q)":                                 "ukendt retning %q (brug %q, %q eller %q)",

	// Allocation (the surplus).
	"cannot allocate a negative amount (%s)":                            "kan ikke fordele et negativt beløb (%s)",
	"cannot split a negative allocation (%s)":                           "kan ikke dele en negativ tildeling (%s)",
	"carry-in for %q, who has no share; give it a share with weight 0":  "overført beløb for %q, som ingen andel har; giv en andel med vægt 0",
	"cash and carry-in cannot be negative":                              "kontant og overført beløb kan ikke være negative",
	"key %q appears more than once":                                     "nøglen %q forekommer mere end én gang",
	"key is missing":                                                    "nøglen mangler",
	"nothing to allocate to: no shares":                                 "intet at fordele til: ingen andele",
	"the weights sum to zero, so there is no proportion to allocate by": "vægtene giver nul tilsammen, så der er intet forhold at fordele efter",
	"weight cannot be negative (got %s)":                                "vægten kan ikke være negativ (fik %s)",
	"weight has more than %d decimals":                                  "vægten har mere end %d decimaler",
}

func init() {
	for en, da := range problemsPricingDA {
		if _, dup := problemsDA[en]; dup {
			panic("web: problem message " + en + " defined twice")
		}
		problemsDA[en] = da
	}
}
