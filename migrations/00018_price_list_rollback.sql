-- +goose Up
-- The same body from the same supplier is the same price list while that
-- list is being validated, scheduled or in force. Once it was superseded,
-- uploading it again is a roll back: a new version of the list, with those
-- prices, replacing the one in force.
DROP INDEX price_lists_supplier_sha_key;
CREATE UNIQUE INDEX price_lists_supplier_sha_key ON price_lists (supplier_id, body_sha256)
    WHERE status NOT IN ('rejected', 'superseded');

-- +goose Down
-- Keep only the newest list of each body that is not rejected.
UPDATE price_lists p SET status = 'rejected'
WHERE p.status = 'superseded' AND EXISTS (SELECT 1 FROM price_lists q
    WHERE q.supplier_id = p.supplier_id AND q.body_sha256 = p.body_sha256 AND q.status <> 'rejected' AND q.id > p.id);
DROP INDEX price_lists_supplier_sha_key;
CREATE UNIQUE INDEX price_lists_supplier_sha_key ON price_lists (supplier_id, body_sha256) WHERE status <> 'rejected';
