-- +goose Up
-- What a supplier says about ordering an item, kept with each price-list
-- line (PEPPOL OrderableIndicator, MinimumOrderQuantity,
-- MaximumOrderQuantity, OrderQuantityIncrementNumeric; the same columns in
-- CSV, .xlsx and JSON) and a price's MaximumQuantity (max_qty: the tier
-- applies up to that many packs). not_orderable marks an item listed for
-- information only (false, the default, so that every row written before
-- stays orderable). Quantities are whole packs of the
-- orderable unit; NULL is no limit. The item's rules are read from its
-- offer (the lowest tier's row); tiers carry them as written.
-- The view offers lists the columns of offer_rows as they were when it was
-- made (SELECT * is expanded then), so it is made again.
ALTER TABLE offer_rows
    ADD COLUMN not_orderable boolean NOT NULL DEFAULT false,
    ADD COLUMN max_qty bigint CHECK (max_qty >= 1),
    ADD COLUMN min_order_qty bigint CHECK (min_order_qty >= 1),
    ADD COLUMN max_order_qty bigint CHECK (max_order_qty >= 1),
    ADD COLUMN order_multiple bigint CHECK (order_multiple >= 1);

DROP VIEW offers;
CREATE VIEW offers AS
    SELECT * FROM offer_rows o
    WHERE o.lowest AND EXISTS (SELECT 1 FROM price_lists p WHERE p.id = o.price_list_id AND p.status = 'active');

-- +goose Down
DROP VIEW offers;
ALTER TABLE offer_rows
    DROP COLUMN not_orderable,
    DROP COLUMN max_qty,
    DROP COLUMN min_order_qty,
    DROP COLUMN max_order_qty,
    DROP COLUMN order_multiple;
CREATE VIEW offers AS
    SELECT * FROM offer_rows o
    WHERE o.lowest AND EXISTS (SELECT 1 FROM price_lists p WHERE p.id = o.price_list_id AND p.status = 'active');
