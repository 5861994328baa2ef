-- +goose Up
-- Group purchasing: members' expected demand, tenders with lots, criteria
-- and sealed bids, the stored evaluation, awards, and the contracts (with
-- their lines' contract and baseline prices) that orders are priced from.
--
-- Every large table carries its tenant key (member_id or supplier_id) so
-- that it could be distributed by tenant later. Amounts are NUMERIC; unit
-- prices keep 6 decimals (pricing.MaxPriceDecimals).

-- A member's expected quantity of a product for a period ("2027",
-- "2027-H1", "2027-Q3" or "2027-05"), always in the product's base unit.
-- entered_* keep what the member typed when it was a pack unit.
CREATE TABLE demand_lines (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id        bigint        NOT NULL REFERENCES members (id),
    period           text          NOT NULL CHECK (period ~ '^[0-9]{4}(-H[12]|-Q[1-4]|-(0[1-9]|1[0-2]))?$'),
    product_id       bigint        NOT NULL REFERENCES products (id),
    quantity         numeric(18,6) NOT NULL CHECK (quantity > 0),
    base_unit        text          NOT NULL,
    entered_quantity numeric(18,6) NOT NULL,
    entered_unit     text          NOT NULL,
    pack_content     numeric(18,6), -- base units per entered pack unit, when one was used
    created_at       timestamptz   NOT NULL DEFAULT now(),
    updated_at       timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT demand_lines_member_period_product_key UNIQUE (member_id, period, product_id)
);
CREATE INDEX demand_lines_period_product_idx ON demand_lines (period, product_id);

-- A tender: draft -> published -> closed -> awarded, or cancelled (from
-- draft, published or closed) or unsuccessful (closed with no compliant bid).
CREATE TABLE tenders (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title                  text          NOT NULL CHECK (btrim(title) <> ''),
    description            text          NOT NULL DEFAULT '',
    category               text          NOT NULL DEFAULT '',
    currency               char(3)       NOT NULL,
    -- the validity of the contracts the tender leads to
    contract_from          date          NOT NULL,
    contract_to            date          NOT NULL,
    bid_deadline           timestamptz   NOT NULL,
    -- the share of contract turnover the supplier pays the cooperative
    rebate_rate            numeric(9,6)  NOT NULL DEFAULT 0 CHECK (rebate_rate >= 0 AND rebate_rate < 1),
    price_weight           numeric(9,6)  NOT NULL CHECK (price_weight > 0 AND price_weight <= 100),
    allow_increasing_tiers boolean       NOT NULL DEFAULT false,
    demand_period          text,         -- the demand period its quantities were pooled from, if any
    status                 text          NOT NULL DEFAULT 'draft'
                           CHECK (status IN ('draft', 'published', 'closed', 'awarded', 'cancelled', 'unsuccessful')),
    created_by             text          NOT NULL,
    created_at             timestamptz   NOT NULL DEFAULT now(),
    updated_at             timestamptz   NOT NULL DEFAULT now(),
    published_at           timestamptz,
    closed_at              timestamptz,  -- bids unsealed and evaluated
    awarded_at             timestamptz,
    cancelled_at           timestamptz,
    cancel_reason          text          NOT NULL DEFAULT '',
    CONSTRAINT tenders_contract_period CHECK (contract_to >= contract_from)
);
CREATE INDEX tenders_status_deadline_idx ON tenders (status, bid_deadline);

-- The non-price award criteria of a tender (price is tenders.price_weight);
-- price_weight + sum(weight) = 100.
CREATE TABLE tender_criteria (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tender_id  bigint       NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    position   integer      NOT NULL,
    name       text         NOT NULL CHECK (name ~ '^[a-z][a-z0-9_]{0,49}$' AND name <> 'price'),
    weight     numeric(9,6) NOT NULL CHECK (weight > 0 AND weight < 100),
    direction  text         NOT NULL CHECK (direction IN ('lower_is_better', 'higher_is_better', 'score')),
    CONSTRAINT tender_criteria_name_key UNIQUE (tender_id, name)
);

CREATE TABLE tender_lots (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tender_id   bigint  NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    position    integer NOT NULL,
    title       text    NOT NULL CHECK (btrim(title) <> ''),
    description text    NOT NULL DEFAULT '',
    CONSTRAINT tender_lots_position_key UNIQUE (tender_id, position)
);

-- A product of a lot with the pooled quantity (in the product's base unit).
-- members_count is how many members' demand stands behind the quantity
-- (shown to staff only; never which members).
CREATE TABLE tender_lot_items (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tender_id     bigint        NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    lot_id        bigint        NOT NULL REFERENCES tender_lots (id) ON DELETE CASCADE,
    position      integer       NOT NULL,
    product_id    bigint        NOT NULL REFERENCES products (id),
    base_unit     text          NOT NULL,
    quantity      numeric(18,6) NOT NULL CHECK (quantity > 0),
    members_count integer       NOT NULL DEFAULT 0,
    CONSTRAINT tender_lot_items_product_key UNIQUE (lot_id, product_id)
);
CREATE INDEX tender_lot_items_tender_idx ON tender_lot_items (tender_id);

-- A supplier's sealed bid for a tender (one per supplier and tender; a
-- replacement rewrites it, a withdrawal marks it). values holds the raw
-- value of each non-price criterion by name, as decimal strings.
CREATE TABLE bids (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tender_id     bigint      NOT NULL REFERENCES tenders (id),
    supplier_id   bigint      NOT NULL REFERENCES suppliers (id),
    currency      char(3)     NOT NULL,
    criteria_values jsonb     NOT NULL DEFAULT '{}',
    status        text        NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'withdrawn')),
    submitted_at  timestamptz NOT NULL,
    withdrawn_at  timestamptz,
    revision      integer     NOT NULL DEFAULT 1,
    CONSTRAINT bids_tender_supplier_key UNIQUE (tender_id, supplier_id)
);
CREATE INDEX bids_supplier_idx ON bids (supplier_id, id);

-- A bid's price for one lot item: the price of one pack and what the pack
-- holds (in the item's base unit).
CREATE TABLE bid_items (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    bid_id       bigint        NOT NULL REFERENCES bids (id) ON DELETE CASCADE,
    supplier_id  bigint        NOT NULL,
    tender_id    bigint        NOT NULL,
    lot_item_id  bigint        NOT NULL REFERENCES tender_lot_items (id),
    pack_unit    text          NOT NULL,
    pack_content numeric(18,6) NOT NULL CHECK (pack_content > 0),
    base_unit    text          NOT NULL,
    pack_price   numeric(18,6) NOT NULL CHECK (pack_price >= 0),
    currency     char(3)       NOT NULL,
    CONSTRAINT bid_items_item_key UNIQUE (bid_id, lot_item_id)
);

-- Quantity tiers of a bid item: pack_price per pack from min_packs packs.
CREATE TABLE bid_item_tiers (
    bid_item_id  bigint        NOT NULL REFERENCES bid_items (id) ON DELETE CASCADE,
    supplier_id  bigint        NOT NULL,
    min_packs    numeric(18,6) NOT NULL CHECK (min_packs > 0),
    pack_price   numeric(18,6) NOT NULL CHECK (pack_price >= 0),
    PRIMARY KEY (bid_item_id, min_packs)
);

-- The evaluation of one lot, stored when the tender closes: the
-- pricing.Evaluation table as JSON (every number as a decimal string).
CREATE TABLE tender_evaluations (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tender_id    bigint      NOT NULL REFERENCES tenders (id),
    lot_id       bigint      NOT NULL REFERENCES tender_lots (id),
    evaluated_at timestamptz NOT NULL,
    bids_count   integer     NOT NULL,
    compliant    integer     NOT NULL,
    winner_bid_id bigint,
    result       jsonb       NOT NULL,
    explanation  text        NOT NULL DEFAULT '',
    CONSTRAINT tender_evaluations_lot_key UNIQUE (lot_id)
);

-- The award of a lot to a bid; reason is required when the bid chosen is
-- not the top-ranked one.
CREATE TABLE tender_awards (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tender_id   bigint      NOT NULL REFERENCES tenders (id),
    lot_id      bigint      NOT NULL REFERENCES tender_lots (id),
    bid_id      bigint      NOT NULL REFERENCES bids (id),
    supplier_id bigint      NOT NULL REFERENCES suppliers (id),
    rank        integer     NOT NULL,
    top_ranked  boolean     NOT NULL,
    reason      text        NOT NULL DEFAULT '',
    awarded_at  timestamptz NOT NULL,
    awarded_by  text        NOT NULL,
    CONSTRAINT tender_awards_lot_key UNIQUE (lot_id),
    CONSTRAINT tender_awards_reason CHECK (top_ranked OR btrim(reason) <> '')
);

-- A contract: the prices a supplier won in one tender, for the tender's
-- contract period, and the rebate the supplier pays the cooperative.
CREATE TABLE contracts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tender_id   bigint       NOT NULL REFERENCES tenders (id),
    supplier_id bigint       NOT NULL REFERENCES suppliers (id),
    currency    char(3)      NOT NULL,
    rebate_rate numeric(9,6) NOT NULL CHECK (rebate_rate >= 0 AND rebate_rate < 1),
    valid_from  date         NOT NULL,
    valid_to    date         NOT NULL,
    -- active while valid (expired after valid_to), terminated by hand.
    status      text         NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'expired', 'terminated')),
    created_at  timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT contracts_tender_supplier_key UNIQUE (tender_id, supplier_id),
    CONSTRAINT contracts_valid_period CHECK (valid_to >= valid_from)
);
CREATE INDEX contracts_supplier_idx ON contracts (supplier_id, id);

-- A contract price of one product. unit_price is pack_price per base unit
-- (pricing.PackOffer.PerUnit, 6 decimals) at the plain pack price; tiers
-- (contract_line_tiers) apply by ordered packs. The baseline is the price
-- per base unit that savings are counted against, fixed at the award with
-- its method ('median_list_price', 'previous_price', or 'none' = no offers
-- existed, baseline = contract unit price, zero savings) and the inputs used
-- (jsonb: {"prices": ["0.50", ...], "offer_ids": [...], "on": "YYYY-MM-DD"}).
CREATE TABLE contract_lines (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contract_id         bigint        NOT NULL REFERENCES contracts (id),
    supplier_id         bigint        NOT NULL,
    tender_id           bigint        NOT NULL,
    lot_item_id         bigint        NOT NULL REFERENCES tender_lot_items (id),
    product_id          bigint        NOT NULL REFERENCES products (id),
    pack_unit           text          NOT NULL,
    pack_content        numeric(18,6) NOT NULL CHECK (pack_content > 0),
    base_unit           text          NOT NULL,
    unit_price          numeric(18,6) NOT NULL CHECK (unit_price >= 0),
    pack_price          numeric(18,6) NOT NULL CHECK (pack_price >= 0),
    currency            char(3)       NOT NULL,
    baseline_unit_price numeric(18,6) NOT NULL CHECK (baseline_unit_price >= 0),
    baseline_method     text          NOT NULL CHECK (baseline_method IN ('median_list_price', 'previous_price', 'none')),
    baseline_inputs     jsonb         NOT NULL DEFAULT '{}',
    rebate_rate         numeric(9,6)  NOT NULL CHECK (rebate_rate >= 0 AND rebate_rate < 1),
    valid_from          date          NOT NULL,
    valid_to            date          NOT NULL,
    status              text          NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'expired', 'terminated')),
    CONSTRAINT contract_lines_product_key UNIQUE (contract_id, product_id),
    CONSTRAINT contract_lines_valid_period CHECK (valid_to >= valid_from)
);
CREATE INDEX contract_lines_product_idx ON contract_lines (product_id, valid_from, valid_to) WHERE status = 'active';
CREATE INDEX contract_lines_supplier_idx ON contract_lines (supplier_id, product_id);

-- Tiers of a contract line: pack_price (and its unit_price per base unit)
-- for every pack of an order of at least min_packs packs.
CREATE TABLE contract_line_tiers (
    contract_line_id bigint        NOT NULL REFERENCES contract_lines (id),
    supplier_id      bigint        NOT NULL,
    min_packs        numeric(18,6) NOT NULL CHECK (min_packs > 0),
    pack_price       numeric(18,6) NOT NULL CHECK (pack_price >= 0),
    unit_price       numeric(18,6) NOT NULL CHECK (unit_price >= 0),
    PRIMARY KEY (contract_line_id, min_packs)
);

-- +goose Down
DROP TABLE contract_line_tiers;
DROP TABLE contract_lines;
DROP TABLE contracts;
DROP TABLE tender_awards;
DROP TABLE tender_evaluations;
DROP TABLE bid_item_tiers;
DROP TABLE bid_items;
DROP TABLE bids;
DROP TABLE tender_lot_items;
DROP TABLE tender_lots;
DROP TABLE tender_criteria;
DROP TABLE tenders;
DROP TABLE demand_lines;
