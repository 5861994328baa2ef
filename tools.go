//go:build tools

// Package tools pins dependencies that later code uses, so go mod tidy keeps them.
package tools

import (
	_ "github.com/alexedwards/argon2id"
	_ "github.com/alexedwards/scs/pgxstore"
	_ "github.com/alexedwards/scs/v2"
	_ "github.com/caarlos0/env/v11"
	_ "github.com/chromedp/chromedp"
	_ "github.com/go-playground/validator/v10"
	_ "github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/labstack/echo-contrib/echoprometheus"
	_ "github.com/labstack/echo/v4"
	_ "github.com/pressly/goose/v3"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/robfig/cron/v3"
	_ "github.com/santhosh-tekuri/jsonschema/v6"
	_ "github.com/schollz/progressbar/v3"
	_ "github.com/shopspring/decimal"
	_ "golang.org/x/net/html/charset"
	_ "golang.org/x/text/encoding/charmap"
	_ "gorm.io/driver/postgres"
	_ "gorm.io/gorm"
)
