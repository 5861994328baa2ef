-- +goose Up
-- Suppliers upload price lists as Excel workbooks (.xlsx) too.
ALTER TABLE price_lists DROP CONSTRAINT price_lists_format_check;
ALTER TABLE price_lists ADD CONSTRAINT price_lists_format_check CHECK (format IN ('csv', 'json', 'ubl', 'xlsx'));

-- +goose Down
-- Refused while .xlsx lists exist: their offers and orders refer to them.
ALTER TABLE price_lists DROP CONSTRAINT price_lists_format_check;
ALTER TABLE price_lists ADD CONSTRAINT price_lists_format_check CHECK (format IN ('csv', 'json', 'ubl'));
