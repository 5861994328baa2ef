-- +goose Up
-- Idempotency keys as Stripe keeps them: a key is held by its request for a
-- lease (a request that died with its server releases it when the lease
-- ends), and the transaction that changes data records in `executed` what it
-- made ("order:12"), so that a key's answer is kept exactly when its request
-- executed, and a retry after a crash between the commit and the stored
-- answer replays the objects made instead of making them again.
ALTER TABLE idempotency_keys
    ADD COLUMN locked_until timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN executed     text        NOT NULL DEFAULT ''; -- "order:12,order:13"

-- +goose Down
ALTER TABLE idempotency_keys DROP COLUMN locked_until, DROP COLUMN executed;
