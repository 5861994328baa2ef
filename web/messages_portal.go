package web

// The supplier portal's second round of messages (price-list diff and
// report pages, bids by CSV, withdrawing a bid): Danish and English, the
// same keys (TestCataloguesComplete checks).

func init() {
	registerMessages(portalDA, portalEN)
	// Templates of these pages hand a part of their data on with the
	// page's language: {{template "x" (withL $.L .)}}.
	funcs["withL"] = func(l *Localizer, data any) withL { return withL{L: l, Data: data} }
	validFlash["bid-withdrawn"] = true
}

// withL is a sub-template's data with the page's Localizer.
type withL struct {
	L    *Localizer
	Data any
}

var portalDA = map[string]string{
	"bidform.tiers":       "Trin (valgfrit): fra antal pakninger, pris pr. pakning",
	"bidform.tiermin":     "Trin %d fra antal pakninger",
	"bidform.tierprice":   "Trin %d pris pr. pakning",
	"bidform.tierof":      "fra %s: %s",
	"bidform.withdraw":    "Træk buddet tilbage",
	"bidform.content":     "Bud %s: hvad det tilbyder",
	"bidcsv.heading":      "Byd med en CSV-fil",
	"bidcsv.help":         "Hent skabelonen (en række pr. vare), udfyld pakning, indhold og pris pr. pakning i et regneark, og send den. En række med min_antal over 1 er et trin af varens pris. Engelske overskrifter og decimalpunktum læses også. Er der fejl, modtages intet, og hver fejl vises med sin linje.",
	"bidcsv.template":     "Hent skabelonen (CSV)",
	"bidcsv.file":         "Budfil (CSV)",
	"bidcsv.submit":       "Send buddet fra filen",
	"bidcsv.line":         "Linje %d",
	"bidcsv.at":           "Linje %d, %s",
	"flash.bid-withdrawn": "Buddet er trukket tilbage.",
	"pldiff.heading":      "Ændringer mod den aktive prisliste",
	"pldiff.against":      "Sammenlignet med prisliste %s, som denne liste afløser.",
	"pldiff.first":        "Der er ingen tidligere prisliste: alle varer er nye.",
	"pldiff.added":        "Nye varer",
	"pldiff.removed":      "Udgåede varer",
	"pldiff.up":           "Dyrere",
	"pldiff.down":         "Billigere",
	"pldiff.pack":         "Ny pakning",
	"pldiff.unchanged":    "Uændrede",
	"pldiff.flagged":      "%s på varer under kontrakt",
	"pldiff.truncated":    "Siden viser de første %s af hver slags; hele listen er i CSV-filen.",
	"pldiff.csv":          "Hent alle ændringer som CSV",
	"pldiff.changes":      "Prisændringer",
	"pldiff.name":         "Varenavn",
	"pldiff.oldpack":      "Før pr. pakning",
	"pldiff.newpack":      "Nu pr. pakning",
	"pldiff.oldunit":      "Før pr. enhed",
	"pldiff.newunit":      "Nu pr. enhed",
	"pldiff.change":       "Ændring",
	"pldiff.contract":     "under kontrakt",
	"pldiff.addedh":       "Nye varer",
	"pldiff.removedh":     "Udgåede varer",
	"pldiff.packchangedh": "Varer i ny pakning",
	"pldiff.packh":        "Pakning",
	"pldiff.oldpackh":     "Før",
	"pldiff.newpackh":     "Nu",
	"pldiff.packprice":    "Pris pr. pakning",
	"pldiff.unitprice":    "Pris pr. enhed",
	"pldiff.ask":          "Vis ændringerne (en stor liste tager lidt tid)",
	"pldiff.pages":        "Rapportens sider",
	"pldiff.reportshown":  "Viser %s–%s af %s.",
	"pldiff.prev":         "Forrige side",
	"pldiff.next":         "Næste side",
}

var portalEN = map[string]string{
	"bidform.tiers":       "Tiers (optional): from packs, price per pack",
	"bidform.tiermin":     "Tier %d from packs",
	"bidform.tierprice":   "Tier %d price per pack",
	"bidform.tierof":      "from %s: %s",
	"bidform.withdraw":    "Withdraw the bid",
	"bidform.content":     "Bid %s: what it offers",
	"bidcsv.heading":      "Bid with a CSV file",
	"bidcsv.help":         "Download the template (one row per item), fill in your pack, content and pack price in a spreadsheet, and send it. A row with min_packs above 1 is a tier of the item's price. Danish headers and decimal commas are read too. With any problem nothing is received, and every problem is shown with its line.",
	"bidcsv.template":     "Download the template (CSV)",
	"bidcsv.file":         "Bid file (CSV)",
	"bidcsv.submit":       "Send the bid from the file",
	"bidcsv.line":         "Line %d",
	"bidcsv.at":           "Line %d, %s",
	"flash.bid-withdrawn": "The bid is withdrawn.",
	"pldiff.heading":      "Changes against the active price list",
	"pldiff.against":      "Compared with price list %s, which this list replaces.",
	"pldiff.first":        "There is no earlier price list: every item is new.",
	"pldiff.added":        "New items",
	"pldiff.removed":      "Items removed",
	"pldiff.up":           "Dearer",
	"pldiff.down":         "Cheaper",
	"pldiff.pack":         "New pack",
	"pldiff.unchanged":    "Unchanged",
	"pldiff.flagged":      "%s on items under contract",
	"pldiff.truncated":    "The page shows the first %s of each kind; the CSV file has them all.",
	"pldiff.csv":          "Download every change as CSV",
	"pldiff.changes":      "Price changes",
	"pldiff.name":         "Item name",
	"pldiff.oldpack":      "Before, per pack",
	"pldiff.newpack":      "Now, per pack",
	"pldiff.oldunit":      "Before, per unit",
	"pldiff.newunit":      "Now, per unit",
	"pldiff.change":       "Change",
	"pldiff.contract":     "under contract",
	"pldiff.addedh":       "New items",
	"pldiff.removedh":     "Items removed",
	"pldiff.packchangedh": "Items in a new pack",
	"pldiff.packh":        "Pack",
	"pldiff.oldpackh":     "Before",
	"pldiff.newpackh":     "Now",
	"pldiff.packprice":    "Price per pack",
	"pldiff.unitprice":    "Price per unit",
	"pldiff.ask":          "Show the changes (a large list takes a moment)",
	"pldiff.pages":        "Pages of the report",
	"pldiff.reportshown":  "Showing %s–%s of %s.",
	"pldiff.prev":         "Previous page",
	"pldiff.next":         "Next page",
}
