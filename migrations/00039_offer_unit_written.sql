-- +goose Up
-- The pack unit as the supplier wrote it in the price list ("æsk", "stk",
-- "fl"), beside pack_unit, the Rec 20 code it was read as (XBX, H87, XBO):
-- the shop shows the supplier's word with the code. NULL when the list
-- wrote the code itself (UBL always does), and for rows written before.
-- The view offers lists the columns of offer_rows as they were when it was
-- made (SELECT * is expanded then), so it is made again.
ALTER TABLE offer_rows ADD COLUMN unit_written text;

DROP VIEW offers;
CREATE VIEW offers AS
    SELECT * FROM offer_rows o
    WHERE o.lowest AND EXISTS (SELECT 1 FROM price_lists p WHERE p.id = o.price_list_id AND p.status = 'active');

-- +goose Down
DROP VIEW offers;
ALTER TABLE offer_rows DROP COLUMN unit_written;
CREATE VIEW offers AS
    SELECT * FROM offer_rows o
    WHERE o.lowest AND EXISTS (SELECT 1 FROM price_lists p WHERE p.id = o.price_list_id AND p.status = 'active');
