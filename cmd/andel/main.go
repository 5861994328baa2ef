// Command andel runs the Andel purchasing cooperative: its HTTP API (there
// are no web pages yet), its background jobs, and the administrative
// commands around them. It wires the packages together and holds no rules:
// the demo data and the benchmark year come from internal/demo, price lists
// are imported through suppliers.Importer, orders are delivered by
// suppliers.Webhook.
//
//	andel serve [-migrate] [-seed]     serve the API (and run the job schedule)
//	andel migrate [up|status]          apply or list database migrations
//	andel seed                         create the demo cooperative (idempotent)
//	andel user create --email E --role R [--member ID|--supplier ID]
//	                                   create a user; the password is read from stdin
//	andel job NAME                     run one background job now
//	andel job list                     list the jobs
//	andel import price-list FILE --supplier ID
//	                                   import a supplier's price list from a file
//	andel generate year [--practices N] ...
//	                                   fill the database with a synthetic year (benchmarks)
//	andel verify-receipt FILE [--public-key K]
//	                                   check a sealed-bid receipt (offline with the public key)
//
// Configuration comes from the environment (see config.go and the README).
// Without DATABASE_URL every command starts a private PostgreSQL under
// ANDEL_DATA_DIR, so a newcomer needs nothing but the server programs; while
// `andel serve` runs there, the other commands use its server.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "andel:", err)
		}
		os.Exit(exitCode(err))
	}
}

// usageError marks a mistake in the command line (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg + "\n" + usage }

const usage = `usage:
  andel serve [-migrate] [-seed]
  andel migrate [up|status]
  andel seed
  andel user create --email E --role admin|board|member|supplier [--member ID|--supplier ID]  (password on stdin)
  andel job NAME | andel job list
  andel import price-list FILE --supplier ID [--format csv|json|ubl|xlsx] [--sheet NAME] [--charset C]
  andel generate year [--practices 1600] [--suppliers 50] [--lines 10000000] [--year Y] [--seed S] [--more]  (benchmark data)
  andel verify-receipt FILE [--public-key BASE64]  (check a sealed-bid receipt; - reads standard input)`

func exitCode(err error) int {
	var ue usageError
	if errors.As(err, &ue) || errors.Is(err, flag.ErrHelp) {
		return 2
	}
	return 1
}

// run is the whole program, callable from tests: args without the program
// name, stdin for passwords, stdout for what people read.
func run(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return usageError{"no command given"}
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	log := newLogger(cfg)
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return serve(ctx, cfg, log, rest, stdout)
	case "migrate":
		return migrateCmd(ctx, cfg, log, rest, stdout)
	case "seed":
		return seedCmd(ctx, cfg, log, rest, stdout)
	case "user":
		return userCmd(ctx, cfg, log, rest, stdin, stdout)
	case "job":
		return jobCmd(ctx, cfg, log, rest, stdout)
	case "import":
		return importCmd(ctx, cfg, log, rest, stdout)
	case "generate":
		return generateCmd(ctx, cfg, log, rest, stdout)
	case "verify-receipt":
		return verifyReceiptCmd(ctx, cfg, log, rest, stdin, stdout)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return usageError{fmt.Sprintf("unknown command %q", cmd)}
}
