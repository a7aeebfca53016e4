-- Customers who place orders.
-- strata:up
CREATE TABLE customers (
    id         integer PRIMARY KEY,
    name       text NOT NULL,
    created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- strata:down
DROP TABLE customers;
