-- +goose Up
-- What a supplier needs to deliver: members get delivery addresses (one
-- default), an optional GLN and an order contact; an order keeps the
-- buyer and the delivery address as they were when it was placed (a
-- snapshot, like its prices), and each line the item's GTIN and name.
ALTER TABLE members
    ADD COLUMN gln                 char(13) CHECK (gln ~ '^[0-9]{13}$'),
    ADD COLUMN order_contact_name  text NOT NULL DEFAULT '',
    ADD COLUMN order_contact_email text NOT NULL DEFAULT '',
    ADD COLUMN order_contact_phone text NOT NULL DEFAULT '';

CREATE TABLE member_addresses (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id   bigint      NOT NULL REFERENCES members (id),
    label       text        NOT NULL DEFAULT '',
    street      text        NOT NULL CHECK (btrim(street) <> ''),
    postcode    text        NOT NULL CHECK (btrim(postcode) <> ''),
    city        text        NOT NULL CHECK (btrim(city) <> ''),
    country     char(2)     NOT NULL DEFAULT 'DK' CHECK (country ~ '^[A-Z]{2}$'),
    is_default  boolean     NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX member_addresses_member_idx ON member_addresses (member_id, id);
-- At most one default address per member.
CREATE UNIQUE INDEX member_addresses_default_key ON member_addresses (member_id) WHERE is_default;

ALTER TABLE orders
    ADD COLUMN member_name       text    NOT NULL DEFAULT '',
    ADD COLUMN member_cvr        text    NOT NULL DEFAULT '',
    ADD COLUMN member_gln        text    NOT NULL DEFAULT '',
    ADD COLUMN contact_name      text    NOT NULL DEFAULT '',
    ADD COLUMN contact_email     text    NOT NULL DEFAULT '',
    ADD COLUMN contact_phone     text    NOT NULL DEFAULT '',
    ADD COLUMN delivery_address_id bigint,
    ADD COLUMN delivery_label    text    NOT NULL DEFAULT '',
    ADD COLUMN delivery_street   text    NOT NULL DEFAULT '',
    ADD COLUMN delivery_postcode text    NOT NULL DEFAULT '',
    ADD COLUMN delivery_city     text    NOT NULL DEFAULT '',
    ADD COLUMN delivery_country  text    NOT NULL DEFAULT '';

ALTER TABLE order_lines
    ADD COLUMN gtin      text NOT NULL DEFAULT '',
    ADD COLUMN item_name text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE order_lines DROP COLUMN gtin, DROP COLUMN item_name;
ALTER TABLE orders DROP COLUMN member_name, DROP COLUMN member_cvr, DROP COLUMN member_gln,
    DROP COLUMN contact_name, DROP COLUMN contact_email, DROP COLUMN contact_phone,
    DROP COLUMN delivery_address_id, DROP COLUMN delivery_label, DROP COLUMN delivery_street,
    DROP COLUMN delivery_postcode, DROP COLUMN delivery_city, DROP COLUMN delivery_country;
DROP TABLE member_addresses;
ALTER TABLE members DROP COLUMN gln, DROP COLUMN order_contact_name, DROP COLUMN order_contact_email,
    DROP COLUMN order_contact_phone;
