-- +goose Up
-- A practice's shopping cart, kept on the server so that it survives a
-- logout and follows the practice to another device: one row per product
-- and chosen offer (none: the contract's), quantities in packs.
CREATE TABLE cart_lines (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id  bigint      NOT NULL REFERENCES members (id),
    product_id bigint      NOT NULL REFERENCES products (id),
    offer_id   bigint,     -- offer_rows (id); no key: offers are rows of the loader (00002)
    quantity   bigint      NOT NULL CHECK (quantity > 0 AND quantity <= 1000000),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX cart_lines_item ON cart_lines (member_id, product_id, coalesce(offer_id, 0));

-- +goose Down
DROP TABLE cart_lines;
