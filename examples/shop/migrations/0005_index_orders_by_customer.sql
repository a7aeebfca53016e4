-- Orders are listed per customer on every account page.
-- strata:up
CREATE INDEX orders_customer_id_idx ON orders (customer_id, placed_at);

-- strata:down
DROP INDEX orders_customer_id_idx;
