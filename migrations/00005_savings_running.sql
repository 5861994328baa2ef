-- +goose Up
-- Running totals per practice, for the board's savings by member.
--
-- Summing a range of daily or monthly rows for each of 1,600 practices reads
-- tens of thousands of rows (a year: 19,200 month rows; edge days 1,600 rows
-- each). A running total turns any range into two days:
--     figures(from..to) = running(to) - running(from - 1)
-- so the grouping reads 2 x 1,600 rows, whatever the range. Rows are dense:
-- one per member and currency for every day from the member's first order
-- in that currency through the latest day with orders, so that both days are
-- exact key lookups. The savings-rollup job keeps them, from the earliest
-- changed day of each member onwards.
CREATE TABLE savings_member_running (
    day               date    NOT NULL,
    member_id         bigint  NOT NULL,
    currency          char(3) NOT NULL,
    lines             bigint  NOT NULL,
    -- hundredths (øre for DKK), like savings_rollup
    spend             bigint  NOT NULL,
    baseline_spend    bigint  NOT NULL,
    savings           bigint  NOT NULL,
    on_contract_spend bigint  NOT NULL,
    rebates           bigint  NOT NULL,
    PRIMARY KEY (day, member_id, currency)
);
-- the rollup rewrites a member's rows from a day onwards
CREATE INDEX savings_member_running_member_idx ON savings_member_running (member_id, day);

-- The member dimension of savings_rollup is no longer read (nor kept).
DELETE FROM savings_rollup WHERE dim = 'member';

-- Build the running totals of the orders placed so far: the next
-- savings-rollup recomputes every order.
INSERT INTO savings_changes (order_id) SELECT id FROM orders;

-- +goose Down
DROP TABLE savings_member_running;
INSERT INTO savings_changes (order_id) SELECT id FROM orders;
