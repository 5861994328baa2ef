-- +goose Up
-- Supplier scorecards: how suppliers actually perform.
--
-- A contract promises delivery within delivery_days of confirmation: the
-- awarded bid's value of the tender's delivery_days criterion (NULL when
-- the tender had none). An order keeps the promise of its contract lines
-- (the shortest, when several contracts), like its prices, and when each
-- move happened by the server's clock.
ALTER TABLE contracts ADD COLUMN delivery_days numeric(9,2) CHECK (delivery_days >= 0);
UPDATE contracts c SET delivery_days = (b.criteria_values->>'delivery_days')::numeric
FROM bids b
WHERE b.tender_id = c.tender_id AND b.supplier_id = c.supplier_id AND b.criteria_values ? 'delivery_days';

ALTER TABLE orders
    ADD COLUMN promised_days numeric(9,2),
    ADD COLUMN confirmed_at  timestamptz,
    ADD COLUMN shipped_at    timestamptz,
    ADD COLUMN delivered_at  timestamptz,
    ADD COLUMN rejected_at   timestamptz;
-- Orders moved before this migration: their moves from the audit log.
UPDATE orders o SET confirmed_at = a.confirmed_at, shipped_at = a.shipped_at,
    delivered_at = a.delivered_at, rejected_at = a.rejected_at
FROM (SELECT entity_id,
        min(occurred_at) FILTER (WHERE action = 'order.confirmed') AS confirmed_at,
        min(occurred_at) FILTER (WHERE action = 'order.shipped') AS shipped_at,
        min(occurred_at) FILTER (WHERE action = 'order.delivered') AS delivered_at,
        min(occurred_at) FILTER (WHERE action = 'order.rejected') AS rejected_at
    FROM audit_events WHERE entity = 'order' AND action IN ('order.confirmed', 'order.shipped', 'order.delivered', 'order.rejected')
    GROUP BY entity_id) a
WHERE o.id = a.entity_id;
UPDATE orders o SET promised_days = p.days
FROM (SELECT l.order_id, min(c.delivery_days) AS days
    FROM order_lines l JOIN contracts c ON c.id = l.contract_id
    WHERE l.on_contract AND c.delivery_days IS NOT NULL GROUP BY l.order_id) p
WHERE o.id = p.order_id;
-- The scorecard rollup reads a supplier's orders by the day they were placed.
CREATE INDEX orders_supplier_day_idx ON orders (supplier_id, placed_on);

-- The weights of a scorecard's parts, set by staff; they sum to 100.
CREATE TABLE scorecard_weights (
    id          boolean     PRIMARY KEY DEFAULT true CHECK (id),
    on_time     integer     NOT NULL CHECK (on_time BETWEEN 0 AND 100),
    rejections  integer     NOT NULL CHECK (rejections BETWEEN 0 AND 100),
    response    integer     NOT NULL CHECK (response BETWEEN 0 AND 100),
    price_lists integer     NOT NULL CHECK (price_lists BETWEEN 0 AND 100),
    tenders     integer     NOT NULL CHECK (tenders BETWEEN 0 AND 100),
    updated_by  text        NOT NULL DEFAULT '',
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT scorecard_weights_sum CHECK (on_time + rejections + response + price_lists + tenders = 100)
);
INSERT INTO scorecard_weights (on_time, rejections, response, price_lists, tenders) VALUES (30, 20, 20, 15, 15);

-- Order outcomes per supplier and named period ("2026", "2026-H1",
-- "2026-Q2", "2026-05"), of the orders placed in it and not cancelled by
-- the practice: kept by the savings-rollup job for the periods of the
-- days whose orders changed, so that a scorecard reads one row.
CREATE TABLE supplier_order_outcomes (
    supplier_id        bigint NOT NULL,
    period             text   NOT NULL,
    orders             bigint NOT NULL, -- placed and not cancelled
    rejected           bigint NOT NULL,
    confirmed          bigint NOT NULL, -- with a confirmation time
    confirmed_in_day   bigint NOT NULL, -- confirmed within 24 hours of placing
    delivered_promised bigint NOT NULL, -- delivered, with a promised delivery time
    on_time            bigint NOT NULL, -- of those, delivered within it after confirmation
    response_median_s  bigint,          -- placed to confirmed, nearest-rank median, seconds
    response_p90_s     bigint,          -- and 90th percentile
    PRIMARY KEY (supplier_id, period)
);

-- A tender's evaluation records the inputs of criteria the server scores
-- (past_performance: each bidder's scorecard at the deadline).
ALTER TABLE tender_evaluations ADD COLUMN inputs jsonb NOT NULL DEFAULT '{}';

INSERT INTO savings_changes (order_id) SELECT id FROM orders;

-- +goose Down
ALTER TABLE tender_evaluations DROP COLUMN inputs;
DROP TABLE supplier_order_outcomes;
DROP TABLE scorecard_weights;
DROP INDEX orders_supplier_day_idx;
ALTER TABLE orders DROP COLUMN promised_days, DROP COLUMN confirmed_at, DROP COLUMN shipped_at,
    DROP COLUMN delivered_at, DROP COLUMN rejected_at;
ALTER TABLE contracts DROP COLUMN delivery_days;
