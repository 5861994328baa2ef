-- +goose Up
-- A price list being validated is held by its load for a short lease,
-- renewed while the load runs: one whose process died (lease over) is
-- rejected as interrupted when the same body is sent again or at the next
-- catalog-refresh, instead of blocking its body for an hour.
ALTER TABLE price_lists ADD COLUMN lease_until timestamptz;

-- +goose Down
ALTER TABLE price_lists DROP COLUMN lease_until;
