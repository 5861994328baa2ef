-- +goose Up
-- Standard lists ("standardlister"): named lists of products and
-- quantities a practice orders again and again, put in the cart in one go.
CREATE TABLE standard_lists (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id  bigint      NOT NULL REFERENCES members (id),
    name       text        NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 100),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (member_id, name)
);

CREATE TABLE standard_list_lines (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    list_id    bigint NOT NULL REFERENCES standard_lists (id) ON DELETE CASCADE,
    member_id  bigint NOT NULL REFERENCES members (id),
    product_id bigint NOT NULL REFERENCES products (id),
    offer_id   bigint,   -- offer_rows (id), as on cart_lines
    quantity   bigint NOT NULL CHECK (quantity > 0 AND quantity <= 1000000)
);
CREATE UNIQUE INDEX standard_list_lines_item ON standard_list_lines (list_id, product_id, coalesce(offer_id, 0));

-- +goose Down
DROP TABLE standard_list_lines;
DROP TABLE standard_lists;
