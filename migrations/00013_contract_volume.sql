-- +goose Up
-- Contracts a cooperative can defend: a contract line names what to ship
-- (the awarded bid item's SKU and GTIN, besides its pack), carries the
-- volume the tender committed (the packs its pooled quantity needs) and the
-- volume ordered so far, and members are paid back the difference when the
-- cooperative's cumulative volume reaches a lower tier (true-up credits).

-- A bid may name the supplier's item (its own SKU and the GTIN of the pack).
ALTER TABLE bid_items
    ADD COLUMN sku  text NOT NULL DEFAULT '',
    ADD COLUMN gtin text NOT NULL DEFAULT '' CHECK (gtin = '' OR gtin ~ '^([0-9]{8}|[0-9]{12,14})$');

-- committed_quantity: the packs of the tender's pooled quantity in the
-- awarded pack (rounded up, as the evaluation counted them); the line's
-- price is at least the tier of this volume.
-- ordered_quantity: packs on orders placed, confirmed, shipped or
-- delivered (cancelled and rejected orders removed).
-- peak_quantity: the highest ordered_quantity ever reached; the tier
-- reached never goes down (credits once granted stand: no claw-back).
-- superseded_by: the line of a later award that ended this one.
ALTER TABLE contract_lines
    ADD COLUMN sku                text          NOT NULL DEFAULT '',
    ADD COLUMN gtin               text          NOT NULL DEFAULT '',
    ADD COLUMN committed_quantity numeric(18,6) NOT NULL DEFAULT 0 CHECK (committed_quantity >= 0),
    ADD COLUMN ordered_quantity   numeric(18,6) NOT NULL DEFAULT 0 CHECK (ordered_quantity >= 0),
    ADD COLUMN peak_quantity      numeric(18,6) NOT NULL DEFAULT 0 CHECK (peak_quantity >= 0),
    ADD COLUMN superseded_by      bigint REFERENCES contract_lines (id);

-- Lines awarded before this migration: their committed volume from their
-- lot item, their ordered volume from their orders.
UPDATE contract_lines l SET committed_quantity = ceil(i.quantity / l.pack_content)
    FROM tender_lot_items i WHERE i.id = l.lot_item_id;
UPDATE contract_lines l SET ordered_quantity = s.packs, peak_quantity = s.packs
    FROM (SELECT ol.contract_line_id, sum(ol.quantity) AS packs FROM order_lines ol JOIN orders o ON o.id = ol.order_id
          WHERE o.status NOT IN ('cancelled', 'rejected') AND ol.contract_line_id IS NOT NULL
          GROUP BY ol.contract_line_id) s
    WHERE s.contract_line_id = l.id;

-- A true-up credit owed to a member for one order line: the line was paid
-- at from_pack_price, the tier the cooperative reached later is
-- to_pack_price; amount = (from - to) x quantity, rounded once to the
-- currency's minor unit (pricing.TrueUpCredit). A reversal (negative)
-- takes back the credits of a line whose order was cancelled or rejected.
-- The supplier owes the sum to the members (its settlement).
CREATE TABLE contract_credits (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contract_id      bigint        NOT NULL REFERENCES contracts (id),
    contract_line_id bigint        NOT NULL REFERENCES contract_lines (id),
    supplier_id      bigint        NOT NULL,
    member_id        bigint        NOT NULL REFERENCES members (id),
    order_id         bigint        NOT NULL REFERENCES orders (id),
    order_line_id    bigint        NOT NULL REFERENCES order_lines (id),
    kind             text          NOT NULL CHECK (kind IN ('true_up', 'reversal')),
    quantity         bigint        NOT NULL CHECK (quantity > 0), -- packs
    from_pack_price  numeric(18,6) NOT NULL,
    to_pack_price    numeric(18,6) NOT NULL,
    amount           numeric(18,2) NOT NULL,
    currency         char(3)       NOT NULL,
    -- the order whose volume reached the tier (true_up), or the order
    -- cancelled or rejected (reversal)
    cause_order_id   bigint        NOT NULL,
    created_at       timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX contract_credits_member_idx ON contract_credits (member_id, id);
CREATE INDEX contract_credits_contract_idx ON contract_credits (contract_id, id);
CREATE INDEX contract_credits_line_idx ON contract_credits (order_line_id);

-- +goose Down
DROP TABLE contract_credits;
ALTER TABLE contract_lines DROP COLUMN sku, DROP COLUMN gtin, DROP COLUMN committed_quantity,
    DROP COLUMN ordered_quantity, DROP COLUMN peak_quantity, DROP COLUMN superseded_by;
ALTER TABLE bid_items DROP COLUMN sku, DROP COLUMN gtin;
