package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"andel/domain"
	"andel/jobs"
	"andel/migrations"
)

// withDatabase opens the database for a one-shot command and closes it
// (stopping a private server it started) afterwards. While `andel serve`
// runs on the private server, the command uses that server.
func withDatabase(ctx context.Context, cfg Config, log *slog.Logger, migrated bool, fn func(*database) error) (err error) {
	db, err := openDatabase(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, db.Close()) }()
	if migrated {
		// A private development database is brought up to date on the way;
		// a real one must be migrated on purpose.
		if db.Private() {
			if err := db.migrate(ctx); err != nil {
				return err
			}
		} else if err := db.checkSchema(ctx); err != nil {
			return err
		}
	}
	return fn(db)
}

func migrateCmd(ctx context.Context, cfg Config, log *slog.Logger, args []string, stdout io.Writer) error {
	action := "up"
	if len(args) > 1 {
		return usageError{"migrate takes one argument: up or status"}
	}
	if len(args) == 1 {
		action = args[0]
	}
	if action != "up" && action != "status" {
		return usageError{fmt.Sprintf("unknown migrate action %q", action)}
	}
	return withDatabase(ctx, cfg, log, false, func(db *database) error {
		if action == "up" {
			if err := db.migrate(ctx); err != nil {
				return err
			}
		}
		sqlDB, err := db.DB.DB()
		if err != nil {
			return err
		}
		statuses, err := migrations.Status(ctx, sqlDB)
		if err != nil {
			return err
		}
		for _, st := range statuses {
			applied := "pending"
			if !st.AppliedAt.IsZero() {
				applied = "applied " + st.AppliedAt.UTC().Format("2006-01-02 15:04:05Z")
			}
			fmt.Fprintf(stdout, "%05d  %-40s %s\n", st.Source.Version, st.Source.Path, applied)
		}
		return nil
	})
}

func seedCmd(ctx context.Context, cfg Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) > 0 {
		return usageError{"seed takes no arguments"}
	}
	return withDatabase(ctx, cfg, log, true, func(db *database) error {
		seeded, err := seedDemo(ctx, newServices(db.DB, cfg), cfg.DemoPassword)
		if err != nil {
			return err
		}
		sum, tenders, surplus := seeded.demo, seeded.tenders, seeded.surplus
		fmt.Fprintf(stdout, "Demo cooperative ready: %d practices, %d suppliers, %d products; logins %s (password %q).\n",
			sum.Members, sum.Suppliers, sum.Products, strings.Join(sum.Logins, ", "), cfg.DemoPassword)
		fmt.Fprintf(stdout, "Demo tenders: tender %d open for bids, tender %d awarded into contracts.\n",
			tenders.OpenTenderID, tenders.AwardedTenderID)
		if !surplus.Skipped {
			fmt.Fprintf(stdout, "Demo surplus: %d orders in %d, draft surplus run %d for the board to approve.\n",
				surplus.Orders, surplus.Year, surplus.RunID)
		}
		return nil
	})
}

func userCmd(ctx context.Context, cfg Config, log *slog.Logger, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return usageError{"user takes the action create"}
	}
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	email := fs.String("email", "", "the user's e-mail address")
	role := fs.String("role", "", "admin, board, member or supplier")
	member := fs.Int64("member", 0, "the member (practice) id, for role member")
	supplier := fs.Int64("supplier", 0, "the supplier id, for role supplier")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	r, err := domain.ParseRole(*role)
	if err != nil {
		return usageError{err.Error()}
	}
	if *email == "" {
		return usageError{"--email is required"}
	}
	password, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("reading the password from stdin: %w", err)
	}
	password = strings.TrimRight(password, "\r\n")
	return withDatabase(ctx, cfg, log, true, func(db *database) error {
		ctx := domain.WithActor(ctx, domain.SystemActor("cli"))
		u, err := newServices(db.DB, cfg).Users.Create(ctx, domain.NewUser{Email: *email, Password: password,
			Role: r, MemberID: *member, SupplierID: *supplier})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created user %d %s (%s)\n", u.ID, u.Email, u.Role)
		return nil
	})
}

func jobCmd(ctx context.Context, cfg Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return usageError{"job takes one argument: a job name, or list"}
	}
	return withDatabase(ctx, cfg, log, true, func(db *database) error {
		runner := jobs.NewRunner(newServices(db.DB, cfg), log)
		if args[0] == "list" {
			for _, n := range runner.Names() {
				fmt.Fprintln(stdout, n)
			}
			return nil
		}
		if !runner.Has(args[0]) {
			return usageError{fmt.Sprintf("unknown job %q (known: %s)", args[0], strings.Join(runner.Names(), ", "))}
		}
		run, err := runner.RunNow(ctx, args[0])
		if run != nil {
			fmt.Fprintf(stdout, "job %s: %s %s\n", run.Job, run.Status, run.Counts)
		}
		return err
	})
}
