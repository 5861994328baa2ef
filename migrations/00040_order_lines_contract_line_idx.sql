-- +goose Up
-- A tier crossing trues up every earlier line on the contract line
-- (domain trueUp: order_lines WHERE contract_line_id = ?), inside the
-- order's transaction and under the contract line's lock: without an index
-- that is a scan of every order line of the cooperative (seconds at 10M
-- lines) while the other orders on the line wait. Off-contract lines have
-- none and stay out of the index.
CREATE INDEX order_lines_contract_line_idx ON order_lines (contract_line_id) WHERE contract_line_id IS NOT NULL;

-- +goose Down
DROP INDEX order_lines_contract_line_idx;
