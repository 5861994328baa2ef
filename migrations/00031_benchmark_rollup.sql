-- +goose Up
-- Cluster benchmarking reads pre-aggregated figures, never order_lines:
-- per practice, product (or category), period and base unit, what it
-- bought (quantity in base units), spent, would have spent at the
-- baseline, and spent on contract, over orders not cancelled or rejected;
-- and the same over all its purchases (dim 'total').
-- Kept by the savings-rollup job (BenchmarkRollup, from the changed
-- member-months): month rows from the order lines, quarter and year rows
-- from the month rows, so that any period a benchmark asks for (2026,
-- 2026-Q3, 2026-05) is read by its key: at most one row per practice and
-- base unit for a product or category.
CREATE TABLE benchmark_rollup (
    dim               text          NOT NULL CHECK (dim IN ('product', 'category', 'total')),
    grain             text          NOT NULL CHECK (grain IN ('month', 'quarter', 'year')),
    period            date          NOT NULL, -- the period's first day
    currency          char(3)       NOT NULL,
    key               text          NOT NULL, -- product id, category, or '' for all purchases
    member_id         bigint        NOT NULL,
    base_unit         text          NOT NULL,
    lines             bigint        NOT NULL,
    base_quantity     numeric(24,6) NOT NULL,
    -- amounts in hundredths (øre for DKK), exact, like savings_rollup
    spend             bigint        NOT NULL,
    baseline_spend    bigint        NOT NULL,
    on_contract_spend bigint        NOT NULL,
    PRIMARY KEY (dim, grain, period, currency, key, member_id, base_unit)
);
-- the rollup rewrites a practice's periods
CREATE INDEX benchmark_rollup_member_idx ON benchmark_rollup (member_id, grain, period);

-- Build the figures of the orders placed so far: the next savings-rollup
-- recomputes every order.
INSERT INTO savings_changes (order_id) SELECT id FROM orders;

-- +goose Down
DROP TABLE benchmark_rollup;
