-- +goose Up
-- The contract a price list was issued under (a PEPPOL catalogue's
-- cac:ReferencedContract/cbc:ID; '' for the supplier's default catalogue,
-- and for CSV and JSON lists). A list replaces or deletes only the lists
-- issued under the same reference.
ALTER TABLE price_lists ADD COLUMN contract_ref text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE price_lists DROP COLUMN contract_ref;
