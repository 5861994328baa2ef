-- +goose Up
-- One row per price-list line, written once, and offers that follow their
-- list.
--
-- offer_rows holds every line of every list: a SKU's lowest tier is its
-- offer (lowest), the lines above it its quantity tiers. The importer COPYs
-- them in one pass. A row's status is the row's own: active, or withdrawn
-- (a delete line), later superseded or withdrawn by an update list, or
-- expired. Whether the list is in force is the list's: the view offers,
-- which the catalogue reads, shows the offers of active lists, so a list
-- takes effect (and the one it replaces retires) by changing one
-- price_lists row, not every offer. catalog-refresh later marks the rows of
-- replaced lists superseded, keeping the indexes of active offers small.
-- The view is simple enough to be updatable: UPDATE offers touches the
-- offers of active lists only.
ALTER TABLE offers RENAME TO offer_rows;
ALTER TABLE offer_rows ADD COLUMN lowest boolean NOT NULL DEFAULT true;
UPDATE offer_rows SET status = 'active' WHERE status = 'pending';
ALTER TABLE offer_rows ALTER COLUMN status SET DEFAULT 'active';

-- The tiers: the lines above each offer's lowest.
INSERT INTO offer_rows (supplier_id, price_list_id, line_no, sku, gtin, name, description, category, pack_unit,
    pack_content, base_unit, pack_price, currency, min_qty, valid_from, valid_to, action, status, lowest)
SELECT l.supplier_id, l.price_list_id, l.line_no, l.sku, l.gtin, l.name, l.description, l.category, l.pack_unit,
    l.pack_content, l.base_unit, l.pack_price, l.currency, l.min_qty, l.valid_from, l.valid_to, l.action,
    CASE WHEN l.action = 'delete' THEN 'withdrawn' ELSE 'active' END, false
FROM price_list_lines l JOIN offer_rows o ON o.price_list_id = l.price_list_id AND o.sku = l.sku
WHERE l.min_qty > o.min_qty;
DROP TABLE price_list_lines;

-- Each row enters one of the first two indexes. One offer per list and
-- SKU: the importer relies on it to notice a SKU whose lines are apart in
-- the body (it then loads the list sorted).
DROP INDEX offers_price_list_idx;
DROP INDEX offers_product_active_idx;
DROP INDEX offers_supplier_sku_active_idx;
CREATE UNIQUE INDEX offer_rows_list_sku_key ON offer_rows (price_list_id, sku) WHERE lowest;
CREATE INDEX offer_rows_tiers_idx ON offer_rows (price_list_id, sku, min_qty) WHERE NOT lowest;
CREATE INDEX offer_rows_product_active_idx ON offer_rows (product_id) WHERE status = 'active' AND lowest;
CREATE INDEX offer_rows_supplier_sku_active_idx ON offer_rows (supplier_id, sku) WHERE status = 'active' AND lowest;
-- what catalog-refresh expires
CREATE INDEX offer_rows_expiry_idx ON offer_rows (valid_to) WHERE status = 'active' AND lowest AND valid_to IS NOT NULL;

-- Whether catalog-refresh has marked a superseded list's rows (so that it
-- visits each list once, not the whole history every run). The lists
-- superseded so far had their offers marked one by one.
ALTER TABLE price_lists ADD COLUMN offers_retired boolean NOT NULL DEFAULT false;
UPDATE price_lists SET offers_retired = true WHERE status = 'superseded';

CREATE VIEW offers AS
    SELECT * FROM offer_rows o
    WHERE o.lowest AND EXISTS (SELECT 1 FROM price_lists p WHERE p.id = o.price_list_id AND p.status = 'active');

-- +goose Down
DROP VIEW offers;
ALTER TABLE price_lists DROP COLUMN offers_retired;
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
INSERT INTO price_list_lines (price_list_id, supplier_id, line_no, action, sku, gtin, name, description, category,
    pack_unit, pack_content, base_unit, pack_price, currency, min_qty, valid_from, valid_to)
SELECT price_list_id, supplier_id, line_no, action, sku, gtin, name, description, category,
    pack_unit, pack_content, base_unit, pack_price, currency, min_qty, valid_from, valid_to
FROM offer_rows;
DELETE FROM offer_rows WHERE NOT lowest;
DROP INDEX offer_rows_list_sku_key;
DROP INDEX offer_rows_tiers_idx;
DROP INDEX offer_rows_product_active_idx;
DROP INDEX offer_rows_supplier_sku_active_idx;
DROP INDEX offer_rows_expiry_idx;
CREATE INDEX offers_price_list_idx ON offer_rows (price_list_id);
CREATE INDEX offers_product_active_idx ON offer_rows (product_id) WHERE status = 'active';
CREATE INDEX offers_supplier_sku_active_idx ON offer_rows (supplier_id, sku) WHERE status = 'active';
ALTER TABLE offer_rows DROP COLUMN lowest;
ALTER TABLE offer_rows ALTER COLUMN status SET DEFAULT 'pending';
UPDATE offer_rows o SET status = CASE WHEN p.status = 'scheduled' THEN 'pending' ELSE 'superseded' END
FROM price_lists p WHERE p.id = o.price_list_id AND p.status <> 'active' AND o.status = 'active';
ALTER TABLE offer_rows RENAME TO offers;
