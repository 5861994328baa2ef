-- +goose Up
-- Contract compliance (leakage): what practices buy off contract while a
-- contract exists for the product, and what the contract would have saved.
--
-- An off-contract line placed while its product had an active contract
-- stores that contract's price per base unit on that day, converted into
-- the line's currency (contract_unit_price), and the savings missed:
-- (unit_price - contract_unit_price) x base_quantity rounded once
-- (pricing.MissedSaving), both fixed when the line is placed, like every
-- other price on it. Lines placed before this migration have no contract
-- price recorded (NULL) and miss nothing (0): their day's contract price
-- was not kept.
ALTER TABLE order_lines
    ADD COLUMN contract_unit_price numeric(18,6),
    ADD COLUMN missed_savings      numeric(18,2) NOT NULL DEFAULT 0;

-- The rollups carry, beside the off-contract spend (spend -
-- on_contract_spend), the leakage: the off-contract spend on lines whose
-- product had a contract that day, and its savings missed.
ALTER TABLE savings_daily
    ADD COLUMN leakage_spend  numeric(18,2) NOT NULL DEFAULT 0,
    ADD COLUMN missed_savings numeric(18,2) NOT NULL DEFAULT 0;
-- in hundredths, like the other amounts of these two
ALTER TABLE savings_rollup
    ADD COLUMN leakage_spend  bigint NOT NULL DEFAULT 0,
    ADD COLUMN missed_savings bigint NOT NULL DEFAULT 0;
ALTER TABLE savings_member_running
    ADD COLUMN leakage_spend  bigint NOT NULL DEFAULT 0,
    ADD COLUMN missed_savings bigint NOT NULL DEFAULT 0;

-- A practice's off-contract lines per day, supplier and product: what it
-- most often buys off contract, read by the practice for its own rows
-- (index on member, day). Kept by the savings-rollup job with savings_daily.
CREATE TABLE compliance_products (
    day            date          NOT NULL,
    member_id      bigint        NOT NULL,
    supplier_id    bigint        NOT NULL,
    product_id     bigint        NOT NULL,
    currency       char(3)       NOT NULL,
    lines          bigint        NOT NULL,
    spend          numeric(18,2) NOT NULL, -- off-contract spend
    leakage_spend  numeric(18,2) NOT NULL,
    missed_savings numeric(18,2) NOT NULL,
    PRIMARY KEY (member_id, day, supplier_id, product_id, currency)
);
CREATE INDEX compliance_products_day_idx ON compliance_products (day, member_id, supplier_id);

-- Rebuild the rollups with the new columns: the next savings-rollup
-- recomputes every order.
INSERT INTO savings_changes (order_id) SELECT id FROM orders;

-- +goose Down
DROP TABLE compliance_products;
ALTER TABLE savings_member_running DROP COLUMN leakage_spend, DROP COLUMN missed_savings;
ALTER TABLE savings_rollup DROP COLUMN leakage_spend, DROP COLUMN missed_savings;
ALTER TABLE savings_daily DROP COLUMN leakage_spend, DROP COLUMN missed_savings;
ALTER TABLE order_lines DROP COLUMN contract_unit_price, DROP COLUMN missed_savings;
