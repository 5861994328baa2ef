-- +goose Up
-- Each bid keeps the receipt it was given: the SHA-256 of its canonical
-- form as received and the cooperative's Ed25519 signature over it, so the
-- evaluation can list each opened bid's hash.
ALTER TABLE bids
    ADD COLUMN receipt_sha256    text NOT NULL DEFAULT '',
    ADD COLUMN receipt_signature text NOT NULL DEFAULT '',
    ADD COLUMN receipt_key_id    text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE bids DROP COLUMN receipt_sha256, DROP COLUMN receipt_signature, DROP COLUMN receipt_key_id;
