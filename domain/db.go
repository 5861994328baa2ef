package domain

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"
)

// OpenDB connects GORM to the PostgreSQL database at url (a postgres:// URL or
// a key=value DSN) with the settings every part of Andel relies on:
// constraint violations translated into gorm errors, UTC timestamps, and SQL
// logged only when slow.
func OpenDB(url string) (*gorm.DB, error) {
	db, err := gorm.Open(postgres.Open(url), &gorm.Config{
		TranslateError:         true,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
		Logger: quietConstraints{logger.NewSlogLogger(slog.Default(), logger.Config{
			SlowThreshold:             500 * time.Millisecond,
			LogLevel:                  logger.Warn,
			IgnoreRecordNotFoundError: true,
			// Never write members' data into the log: statements are
			// logged with placeholders, not values.
			ParameterizedQueries: true,
		})},
	})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	sqlDB.SetMaxOpenConns(20)
	sqlDB.SetMaxIdleConns(5)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	return db, nil
}

// forUpdate locks the selected rows until the transaction ends, so that two
// concurrent changes of one object are applied one after the other.
var forUpdate = clause.Locking{Strength: "UPDATE"}

// quietConstraints drops gorm's error log of constraint violations: the
// services turn them into answers (409, 422) and they are no fault of ours.
type quietConstraints struct{ logger.Interface }

func (q quietConstraints) LogMode(l logger.LogLevel) logger.Interface {
	return quietConstraints{q.Interface.LogMode(l)}
}

func (q quietConstraints) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	if err != nil && constraintViolated(err) != "" {
		err = nil
	}
	q.Interface.Trace(ctx, begin, fc, err)
}
