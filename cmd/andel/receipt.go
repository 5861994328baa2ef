package main

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"andel/domain"
)

// verifyReceiptCmd checks a sealed-bid receipt (the JSON the supplier got
// when it bid): with --public-key offline, against the signature alone;
// otherwise against this cooperative's key and, once the tender is opened,
// the opened bid.
func verifyReceiptCmd(ctx context.Context, cfg Config, log *slog.Logger, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("verify-receipt", flag.ContinueOnError)
	pubB64 := fs.String("public-key", "", "the cooperative's public key (base64, GET /api/v1/receipts/key): check offline")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() != 1 {
		return usageError{"verify-receipt takes one receipt file (- for standard input)"}
	}
	var in io.Reader = stdin
	if name := fs.Arg(0); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	var r domain.BidReceipt
	if err := json.NewDecoder(in).Decode(&r); err != nil {
		return fmt.Errorf("the receipt is not JSON: %w", err)
	}
	if *pubB64 != "" {
		pub, err := base64.StdEncoding.DecodeString(*pubB64)
		if err != nil || len(pub) != ed25519.PublicKeySize {
			return usageError{"--public-key must be a base64 Ed25519 public key (32 bytes)"}
		}
		if err := domain.VerifyReceipt(r, pub, nil); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "valid: bid %d (revision %d) of tender %d, sha256 %s, received %s, signed by key %s\n",
			r.BidID, r.Revision, r.TenderID, r.SHA256, r.ReceivedAt.Format("2006-01-02 15:04:05.000000Z07:00"), r.KeyID)
		return nil
	}
	return withDatabase(ctx, cfg, log, true, func(db *database) error {
		svc := newServices(db.DB, cfg)
		check, err := svc.Tenders.VerifyReceipt(domain.WithActor(ctx, domain.SystemActor("verify-receipt")), r)
		if err != nil {
			return err
		}
		compared := "the tender is not opened yet: the signature holds"
		if check.BidCompared {
			compared = "the opened bid is the bid as sent"
		}
		fmt.Fprintf(stdout, "valid: bid %d (revision %d) of tender %d, received %s; %s\n",
			r.BidID, r.Revision, r.TenderID, r.ReceivedAt.Format("2006-01-02 15:04:05.000000Z07:00"), compared)
		return nil
	})
}
