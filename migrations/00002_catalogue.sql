-- +goose Up
-- The supplier catalogue: price lists as uploaded, their lines (offers) with
-- quantity tiers, exchange rates, and the idempotency keys that make every
-- creating request safe to retry.

CREATE TABLE price_lists (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    supplier_id      bigint      NOT NULL REFERENCES suppliers (id),
    format           text        NOT NULL CHECK (format IN ('csv', 'json', 'ubl')),
    content_type     text        NOT NULL,
    body_sha256      bytea       NOT NULL,
    body_bytes       bigint      NOT NULL,
    source           text        NOT NULL DEFAULT 'upload' CHECK (source IN ('upload', 'feed', 'import')),
    -- What the list does to the supplier's catalogue when it takes effect
    -- (UBL header ActionCode; CSV and JSON lists replace).
    action           text        NOT NULL DEFAULT 'replace' CHECK (action IN ('add', 'replace', 'update', 'delete')),
    currency         char(3),
    valid_from       date,
    valid_to         date,
    status           text        NOT NULL DEFAULT 'validating'
                     CHECK (status IN ('validating', 'rejected', 'scheduled', 'active', 'superseded')),
    rows_read        bigint      NOT NULL DEFAULT 0,
    rows_valid       bigint      NOT NULL DEFAULT 0,
    error_count      bigint      NOT NULL DEFAULT 0,
    warning_count    bigint      NOT NULL DEFAULT 0,
    -- The first problems found (capped), each {line, path, field, message, severity}.
    problems         jsonb       NOT NULL DEFAULT '[]',
    created_by       text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    validated_at     timestamptz,
    activated_at     timestamptz,
    superseded_at    timestamptz,
    CONSTRAINT price_lists_valid_period CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from)
);
-- The same body from the same supplier is the same price list, unless it
-- was rejected: then it is read afresh (an exchange rate may have been set).
CREATE UNIQUE INDEX price_lists_supplier_sha_key ON price_lists (supplier_id, body_sha256) WHERE status <> 'rejected';
CREATE INDEX price_lists_supplier_idx ON price_lists (supplier_id, id DESC);
CREATE INDEX price_lists_status_idx ON price_lists (status) WHERE status IN ('validating', 'scheduled');

-- Every price point of a price list exactly as uploaded (a CSV row, a JSON
-- line or tier, a UBL RequiredItemLocationQuantity), copied in with COPY.
-- Grouping, duplicate and consistency checks run here in SQL, so that the
-- importer's memory does not grow with the list. The rows of one SKU are
-- that offer's quantity tiers.
--
-- No foreign keys here or on offers: both are written only by the price-list
-- loader, from the rows of their own list and joins to existing products,
-- so the references hold by construction; as constraints they would fire a
-- trigger per row and per key, which measured at half the time of loading a
-- million-line list (BENCHMARKS.md).
CREATE TABLE price_list_lines (
    price_list_id  bigint        NOT NULL,
    supplier_id    bigint        NOT NULL,
    line_no        bigint        NOT NULL,
    path           text          NOT NULL DEFAULT '',
    action         text          NOT NULL DEFAULT 'add' CHECK (action IN ('add', 'update', 'delete')),
    sku            text          NOT NULL,
    gtin           text,
    name           text          NOT NULL DEFAULT '',
    description    text          NOT NULL DEFAULT '',
    category       text          NOT NULL DEFAULT '',
    pack_unit      text          NOT NULL,
    pack_content   numeric(18,6) NOT NULL,
    base_unit      text          NOT NULL,
    pack_price     numeric(18,6) NOT NULL,
    currency       char(3)       NOT NULL,
    min_qty        bigint        NOT NULL,
    valid_from     date,
    valid_to       date
);
CREATE INDEX price_list_lines_sku_idx ON price_list_lines (price_list_id, sku, min_qty);

-- An offer: one SKU of one price list, matched to a product. pack_price is
-- the price at the lowest tier (min_qty); all tiers are the price_list_lines
-- of the same price list and SKU.
CREATE TABLE offers (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    supplier_id    bigint        NOT NULL, -- suppliers (id)
    price_list_id  bigint        NOT NULL, -- price_lists (id)
    line_no        bigint        NOT NULL,
    sku            text          NOT NULL,
    gtin           text,
    name           text          NOT NULL DEFAULT '',
    description    text          NOT NULL DEFAULT '',
    category       text          NOT NULL DEFAULT '',
    product_id     bigint,                 -- products (id)
    pack_unit      text          NOT NULL,
    pack_content   numeric(18,6) NOT NULL CHECK (pack_content > 0),
    base_unit      text          NOT NULL,
    pack_price     numeric(18,6) NOT NULL CHECK (pack_price >= 0),
    currency       char(3)       NOT NULL,
    min_qty        bigint        NOT NULL DEFAULT 1 CHECK (min_qty >= 1),
    valid_from     date,
    valid_to       date,
    -- add/update lines take effect, delete lines withdraw the SKU.
    action         text          NOT NULL DEFAULT 'add' CHECK (action IN ('add', 'update', 'delete')),
    -- pending until its list takes effect; then active until superseded
    -- by a later list, withdrawn, or past valid_to (expired).
    status         text          NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'active', 'superseded', 'withdrawn', 'expired')),
    CONSTRAINT offers_valid_period CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from)
);
CREATE INDEX offers_price_list_idx ON offers (price_list_id);
CREATE INDEX offers_product_active_idx ON offers (product_id) WHERE status = 'active';
CREATE INDEX offers_supplier_sku_active_idx ON offers (supplier_id, sku) WHERE status = 'active';

-- A product first seen in a supplier's list without a known GTIN is a
-- candidate that remembers where it came from, so that the next list of
-- that supplier matches it again.
ALTER TABLE products ADD COLUMN origin_supplier_id bigint REFERENCES suppliers (id);
ALTER TABLE products ADD COLUMN origin_sku text;
CREATE UNIQUE INDEX products_origin_key ON products (origin_supplier_id, origin_sku)
    WHERE origin_supplier_id IS NOT NULL AND status <> 'merged';

-- One unit of currency in the cooperative's currency (ANDEL_CURRENCY).
CREATE TABLE exchange_rates (
    currency    char(3)       PRIMARY KEY,
    rate        numeric(18,8) NOT NULL CHECK (rate > 0),
    updated_at  timestamptz   NOT NULL DEFAULT now(),
    updated_by  text          NOT NULL
);

-- What the last conditional GET of a supplier's catalogue feed returned.
CREATE TABLE supplier_feeds (
    supplier_id     bigint      PRIMARY KEY REFERENCES suppliers (id),
    etag            text        NOT NULL DEFAULT '',
    last_modified   text        NOT NULL DEFAULT '',
    last_checked_at timestamptz,
    last_status     text        NOT NULL DEFAULT '',
    last_error      text        NOT NULL DEFAULT '',
    failures        integer     NOT NULL DEFAULT 0
);

-- Product search over names and the SKUs that suppliers sell them under.
ALTER TABLE products ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', name || ' ' || coalesce(gtin, '') || ' ' || category)) STORED;
CREATE INDEX products_search_idx ON products USING gin (search);
CREATE INDEX products_category_idx ON products (category);

-- A creating request (order, price list, bid) retried with the same
-- Idempotency-Key by the same caller gets the first answer again.
CREATE TABLE idempotency_keys (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    caller         text        NOT NULL, -- "user:<id>" or "supplier:<id>"
    key            text        NOT NULL,
    method         text        NOT NULL,
    path           text        NOT NULL,
    request_sha256 bytea       NOT NULL,
    status         integer,              -- NULL while the first request runs
    content_type   text        NOT NULL DEFAULT '',
    response       bytea,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT idempotency_keys_caller_key UNIQUE (caller, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
DROP INDEX products_category_idx;
DROP INDEX products_search_idx;
ALTER TABLE products DROP COLUMN search;
DROP TABLE supplier_feeds;
DROP TABLE exchange_rates;
DROP INDEX products_origin_key;
ALTER TABLE products DROP COLUMN origin_sku;
ALTER TABLE products DROP COLUMN origin_supplier_id;
DROP TABLE offers;
DROP TABLE price_list_lines;
DROP TABLE price_lists;
