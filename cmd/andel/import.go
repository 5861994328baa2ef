package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"andel/domain"
	"andel/suppliers"

	"github.com/schollz/progressbar/v3"
)

// errRejected makes `andel import` exit non-zero for a rejected list.
var errRejected = errors.New("the price list was rejected; nothing in the catalogue changed")

// importCmd: andel import price-list FILE --supplier ID [--format csv|json|ubl|xlsx] [--sheet NAME] [--charset C]
func importCmd(ctx context.Context, cfg Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "price-list" {
		return usageError{"import takes the kind price-list"}
	}
	fs := flag.NewFlagSet("import price-list", flag.ContinueOnError)
	supplier := fs.Int64("supplier", 0, "the supplier whose price list this is")
	format := fs.String("format", "", "csv, json, ubl or xlsx (default: from the file name)")
	sheet := fs.String("sheet", "", "the worksheet of an .xlsx file to read (default: the first)")
	charset := fs.String("charset", "", "the file's character set, e.g. windows-1252 (default: detected)")
	// Flags may come before or after the file name.
	var file string
	rest := args[1:]
	for len(rest) > 0 {
		if err := fs.Parse(rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		if file != "" {
			return usageError{"import price-list takes one file"}
		}
		file, rest = fs.Arg(0), fs.Args()[1:]
	}
	if file == "" || *supplier <= 0 {
		return usageError{"import price-list needs a FILE and --supplier ID"}
	}
	contentType, err := contentTypeFor(file, *format, *charset)
	if err != nil {
		return usageError{err.Error()}
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()

	return withDatabase(ctx, cfg, log, true, func(db *database) error {
		svc := newServices(db.DB, cfg)
		ctx := domain.WithActor(ctx, domain.SystemActor("import"))
		im := svc.Importer
		rec, err := im.Receive(ctx, *supplier, contentType, f, "import")
		if err != nil {
			return err
		}
		rec.Sheet = *sheet
		var progress func(read, total int64)
		if isTerminal(os.Stderr) {
			bar := progressbar.NewOptions64(rec.Bytes, progressbar.OptionSetWriter(os.Stderr),
				progressbar.OptionShowBytes(true), progressbar.OptionSetDescription(filepath.Base(file)),
				progressbar.OptionClearOnFinish())
			progress = func(read, _ int64) { _ = bar.Set64(read) }
			defer bar.Finish()
		}
		pl, err := im.Load(ctx, rec, progress)
		if err != nil {
			return err
		}
		printReport(stdout, pl, rec.Created)
		if pl.Status == domain.PriceListRejected {
			return errRejected
		}
		return nil
	})
}

// contentTypeFor names the Content-Type the importer reads file as.
func contentTypeFor(file, format, charset string) (string, error) {
	if format == "" {
		switch strings.ToLower(filepath.Ext(file)) {
		case ".csv", ".txt":
			format = "csv"
		case ".json":
			format = "json"
		case ".xml":
			format = "ubl"
		case ".xlsx":
			format = "xlsx"
		default:
			return "", fmt.Errorf("cannot tell the format of %s from its name: give --format csv, json, ubl or xlsx", file)
		}
	}
	ct := map[string]string{"csv": "text/csv", "json": "application/json", "ubl": "application/xml", "xlsx": suppliers.XLSXMediaType}[format]
	if ct == "" {
		return "", fmt.Errorf("unknown --format %q (csv, json, ubl or xlsx)", format)
	}
	if format == "xlsx" {
		return ct, nil // a workbook has no charset
	}
	if charset != "" {
		ct += "; charset=" + charset
	}
	return ct, nil
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// printReport writes the validation report people read after an import.
func printReport(w io.Writer, pl *domain.PriceList, created bool) {
	if !created {
		fmt.Fprintf(w, "This file was imported before as price list %d (%s).\n", pl.ID, pl.Status)
		return
	}
	fmt.Fprintf(w, "Price list %d: %s. %d rows read, %d valid; %d errors, %d warnings.\n",
		pl.ID, pl.Status, pl.RowsRead, pl.RowsValid, pl.ErrorCount, pl.WarningCount)
	var problems []domain.PriceListProblem
	_ = json.Unmarshal(pl.Problems, &problems) // written by us
	for _, p := range problems {
		place := ""
		if p.Line > 0 {
			place = fmt.Sprintf("line %d", p.Line)
		}
		if p.Path != "" {
			place = strings.TrimSpace(place + " " + p.Path)
		}
		if p.Field != "" {
			place += " [" + p.Field + "]"
		}
		fmt.Fprintf(w, "  %-7s %s: %s\n", p.Severity, place, p.Message)
	}
	if shown := int64(len(problems)); shown < pl.ErrorCount+pl.WarningCount {
		fmt.Fprintf(w, "  (%d more not shown)\n", pl.ErrorCount+pl.WarningCount-shown)
	}
}
