CREATE EXTENSION citext;
CREATE SCHEMA shop;
CREATE TYPE shop.status AS ENUM ('open', 'closed');
CREATE DOMAIN shop.price AS numeric(10,2) CHECK (VALUE >= 0);
CREATE TABLE shop.products (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name citext NOT NULL, price shop.price, status shop.status DEFAULT 'open');
CREATE TABLE shop.orders (id bigserial PRIMARY KEY, product_id int REFERENCES shop.products (id), qty int NOT NULL CHECK (qty > 0), placed_at timestamptz DEFAULT now());
CREATE INDEX orders_product_idx ON shop.orders (product_id);
CREATE VIEW shop.open_products AS SELECT id, name, price FROM shop.products WHERE status = 'open';
CREATE FUNCTION shop.order_total(o bigint) RETURNS numeric LANGUAGE sql STABLE AS $$
    SELECT o2.qty * p.price FROM shop.orders o2 JOIN shop.products p ON p.id = o2.product_id WHERE o2.id = o
$$;
COMMENT ON TABLE shop.products IS 'catalog';
