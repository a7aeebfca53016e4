CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account_id bigint REFERENCES accounts (id), created_at timestamptz, updated_at timestamptz);
CREATE INDEX idx_orders_account_id ON orders (account_id);
