-- +goose Up
-- Product search finds products by the SKUs suppliers sell them under
-- (ILIKE '%fragment%'): a trigram index over the SKUs of offers in force,
-- so that a search reads the few matching offers instead of every offer
-- of every product it looks at (1,000,000 offers: seconds before, a
-- bitmap scan of this index after; see BENCHMARKS.md, web).
CREATE INDEX offer_rows_sku_trgm_idx ON offer_rows USING gin (sku gin_trgm_ops) WHERE status = 'active' AND lowest;

-- +goose Down
DROP INDEX offer_rows_sku_trgm_idx;
