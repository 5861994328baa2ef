package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"andel/internal/pgtest"
)

func TestGenerateYear(t *testing.T) {
	t.Setenv("DATABASE_URL", pgtest.URL(t))
	t.Setenv("ANDEL_LOG_LEVEL", "warn")
	exec := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), args, strings.NewReader(""), &out)
		return out.String(), err
	}
	out, err := exec("generate", "year", "--practices", "20", "--suppliers", "3", "--products", "30", "--lines", "800", "--year", "2026")
	if err != nil || !strings.Contains(out, "800 order lines") || !strings.Contains(out, "20 practices") {
		t.Fatalf("generate: %q, %v", out, err)
	}
	if out, err := exec("job", "savings-rollup"); err != nil || !strings.Contains(out, "succeeded") {
		t.Errorf("rollup: %q, %v", out, err)
	}
	if _, err := exec("generate", "decade"); exitCode(err) != 2 {
		t.Errorf("generate decade: %v", err)
	}
	if _, err := exec("generate", "year", "--lines", "many"); exitCode(err) != 2 {
		t.Errorf("bad flag: %v", err)
	}
}
