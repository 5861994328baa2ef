-- +goose Up
-- The cooperative's figures per category (and over all purchases) for
-- every period, computed by the savings-rollup job from benchmark_rollup:
-- a data package or a practice's Compare page shows them beside a
-- cluster's, and reading them costs one row per category instead of one
-- per practice. What the anonymity rules need is kept (how many practices,
-- the largest one's spend), not the verdict: the rules (and the configured
-- threshold) are applied when the figures are read.
CREATE TABLE benchmark_summary (
    dim               text          NOT NULL CHECK (dim IN ('category', 'total')),
    grain             text          NOT NULL CHECK (grain IN ('month', 'quarter', 'year')),
    period            date          NOT NULL,
    currency          char(3)       NOT NULL,
    key               text          NOT NULL,
    practices         integer       NOT NULL,
    -- practices with a price per unit; 0 when the products are in several units
    priced            integer       NOT NULL,
    -- hundredths, like benchmark_rollup
    spend             bigint        NOT NULL,
    baseline_spend    bigint        NOT NULL,
    on_contract_spend bigint        NOT NULL,
    top_spend         bigint        NOT NULL,
    -- quartiles of the practices' prices per base unit (pricing.QuartilesMicro)
    q1                numeric(18,6),
    median            numeric(18,6),
    q3                numeric(18,6),
    PRIMARY KEY (dim, grain, period, currency, key)
);

-- Built by the next savings-rollup, with the rows of 00031.
INSERT INTO savings_changes (order_id) SELECT id FROM orders;

-- +goose Down
DROP TABLE benchmark_summary;
