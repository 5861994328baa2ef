-- +goose Up
-- A supplier chooses how its webhook receives orders: Andel's JSON message
-- or a PEPPOL BIS Order 3 document, signed the same way.
ALTER TABLE suppliers
    ADD COLUMN order_format text NOT NULL DEFAULT 'json' CHECK (order_format IN ('json', 'peppol'));

-- +goose Down
ALTER TABLE suppliers DROP COLUMN order_format;
