-- +goose Up
-- Orders at contract prices: one order per member and supplier, lines that
-- snapshot every price they were placed with, the outbox that delivers
-- orders to suppliers' webhooks, and the savings rollup.

-- The secret a supplier's webhook receiver checks our HMAC signature with
-- (shown once when issued; kept in clear because we must sign with it).
ALTER TABLE suppliers ADD COLUMN webhook_secret text;

CREATE TABLE orders (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id     bigint        NOT NULL REFERENCES members (id),
    supplier_id   bigint        NOT NULL REFERENCES suppliers (id),
    status        text          NOT NULL DEFAULT 'placed'
                  CHECK (status IN ('placed', 'confirmed', 'shipped', 'delivered', 'cancelled', 'rejected')),
    status_reason text          NOT NULL DEFAULT '',
    currency      char(3)       NOT NULL,
    -- the day the order counts on in the savings rollup
    placed_on     date          NOT NULL,
    placed_at     timestamptz   NOT NULL DEFAULT now(),
    placed_by     text          NOT NULL DEFAULT '',
    net_total      numeric(18,2) NOT NULL,
    vat_total      numeric(18,2) NOT NULL,
    gross_total    numeric(18,2) NOT NULL,
    baseline_total numeric(18,2) NOT NULL,
    savings_total  numeric(18,2) NOT NULL,
    updated_at    timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX orders_member_idx ON orders (member_id, id);
CREATE INDEX orders_supplier_idx ON orders (supplier_id, id);

CREATE TABLE order_lines (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id            bigint        NOT NULL REFERENCES orders (id),
    -- tenant keys, copied from the order (sharding, walls)
    member_id           bigint        NOT NULL,
    supplier_id         bigint        NOT NULL,
    line_no             integer       NOT NULL,
    product_id          bigint        NOT NULL,
    category            text          NOT NULL DEFAULT '',
    offer_id            bigint,
    contract_id         bigint,
    contract_line_id    bigint,
    on_contract         boolean       NOT NULL,
    sku                 text          NOT NULL DEFAULT '',
    pack_unit           text          NOT NULL,
    pack_content        numeric(18,6) NOT NULL,
    base_unit           text          NOT NULL,
    quantity            bigint        NOT NULL CHECK (quantity > 0), -- packs
    base_quantity       numeric(24,6) NOT NULL,                      -- in base_unit
    pack_price          numeric(18,6) NOT NULL,
    unit_price          numeric(18,6) NOT NULL, -- per base unit, paid
    baseline_unit_price numeric(18,6) NOT NULL,
    baseline_method     text          NOT NULL,
    rebate_rate         numeric(9,6)  NOT NULL DEFAULT 0,
    vat_rate            numeric(9,6)  NOT NULL,
    currency            char(3)       NOT NULL,
    net_total           numeric(18,2) NOT NULL,
    vat_total           numeric(18,2) NOT NULL,
    gross_total         numeric(18,2) NOT NULL,
    baseline_total      numeric(18,2) NOT NULL,
    savings             numeric(18,2) NOT NULL,
    -- net_total x rebate_rate once the order is delivered, else 0
    rebate_accrued      numeric(18,2) NOT NULL DEFAULT 0,
    UNIQUE (order_id, line_no)
);
CREATE INDEX order_lines_member_idx ON order_lines (member_id, order_id);

-- Messages to suppliers, written in the order's transaction.
CREATE TABLE order_outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id        bigint      NOT NULL REFERENCES orders (id),
    supplier_id     bigint      NOT NULL,
    event           text        NOT NULL,
    delivery_id     text        NOT NULL UNIQUE,
    body            text        NOT NULL, -- the exact bytes signed and sent
    status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text        NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz
);
CREATE INDEX order_outbox_due_idx ON order_outbox (next_attempt_at) WHERE status = 'pending';

-- Orders whose figures changed since the last savings rollup.
CREATE TABLE savings_changes (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id bigint NOT NULL
);

-- Dashboard aggregates, kept by the savings-rollup job: per day, member,
-- supplier, category and currency, over orders not cancelled or rejected.
CREATE TABLE savings_daily (
    day               date          NOT NULL,
    member_id         bigint        NOT NULL,
    supplier_id       bigint        NOT NULL,
    category          text          NOT NULL,
    currency          char(3)       NOT NULL,
    lines             bigint        NOT NULL,
    spend             numeric(18,2) NOT NULL,
    baseline_spend    numeric(18,2) NOT NULL,
    savings           numeric(18,2) NOT NULL,
    on_contract_spend numeric(18,2) NOT NULL,
    rebates           numeric(18,2) NOT NULL,
    PRIMARY KEY (day, member_id, supplier_id, category, currency)
);
CREATE INDEX savings_daily_member_idx ON savings_daily (member_id, day);

-- +goose Down
DROP TABLE savings_daily;
DROP TABLE savings_changes;
DROP TABLE order_outbox;
DROP TABLE order_lines;
DROP TABLE orders;
ALTER TABLE suppliers DROP COLUMN webhook_secret;
