package domain_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/demo"
	"andel/internal/pgtest"
)

// TestLoginThrottling: concurrent guesses are counted one at a time (no
// more than the limit reach the password check); a stranger's failures
// lock the stranger's address, not the owner, who waits seconds at most.
func TestLoginThrottling(t *testing.T) {
	t.Parallel()
	svc := domain.NewServices(pgtest.DB(t), domain.Options{})
	ctx := context.Background()
	if _, err := demo.Seed(domain.WithActor(ctx, domain.SystemActor("test")), svc, ""); err != nil {
		t.Fatal(err)
	}
	// 30 concurrent wrong passwords from one address on one account.
	var wg sync.WaitGroup
	codes := make([]string, 30)
	for i := range codes {
		wg.Go(func() {
			_, err := svc.Users.Login(ctx, demo.BoardEmail, "wrong-password", "203.0.113.7")
			codes[i] = domain.ErrorCode(err)
		})
	}
	wg.Wait()
	checked := 0
	for _, c := range codes {
		switch c {
		case domain.EUNAUTHORIZED:
			checked++
		case domain.ETOOMANY:
		default:
			t.Errorf("a guess answered %q", c)
		}
	}
	if checked > 5 {
		t.Errorf("%d of 30 concurrent guesses reached the password check, want at most 5", checked)
	}
	// The stranger's address is locked for the account ...
	if _, err := svc.Users.Login(ctx, demo.BoardEmail, demo.Password, "203.0.113.7"); domain.ErrorCode(err) != domain.ETOOMANY {
		t.Errorf("the guessing address logged in: %v", err)
	}
	// ... while the owner, elsewhere, is at most delayed by seconds: wait
	// out the delay (a few seconds at most) and log in.
	var err error
	for range 40 {
		if _, err = svc.Users.Login(ctx, demo.BoardEmail, demo.Password, "198.51.100.20"); domain.ErrorCode(err) != domain.ETOOMANY {
			break
		}
		sleepBriefly()
	}
	if err != nil {
		t.Errorf("the owner could not log in from its own address: %v", err)
	}
}

func sleepBriefly() { <-time.After(250 * time.Millisecond) }
