-- mixed: many kinds of change in one schema at once (enum value, domain check, column add/type/default/not null, index, FK action, view, function, trigger, comment, RLS)
CREATE EXTENSION citext;
CREATE SCHEMA shop;
CREATE TYPE shop.status AS ENUM ('open', 'closed', 'archived');
CREATE DOMAIN shop.price AS numeric(10,2) CHECK (VALUE >= 0 AND VALUE < 100000);
CREATE TABLE shop.products (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name citext NOT NULL, price shop.price NOT NULL, status shop.status DEFAULT 'closed', sku text);
CREATE TABLE shop.orders (id bigserial PRIMARY KEY, product_id int REFERENCES shop.products (id) ON DELETE SET NULL, qty bigint NOT NULL CHECK (qty > 0), placed_at timestamptz DEFAULT clock_timestamp(), updated_at timestamptz);
CREATE INDEX orders_product_idx ON shop.orders (product_id, placed_at DESC);
CREATE UNIQUE INDEX products_sku_key ON shop.products (sku) WHERE sku IS NOT NULL;
CREATE VIEW shop.open_products AS SELECT id, name, price, sku FROM shop.products WHERE status = 'open';
CREATE FUNCTION shop.order_total(o bigint) RETURNS numeric LANGUAGE sql STABLE AS $$
    SELECT o2.qty * p.price FROM shop.orders o2 JOIN shop.products p ON p.id = o2.product_id WHERE o2.id = o AND o2.qty > 0
$$;
CREATE FUNCTION shop.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END; $$;
CREATE TRIGGER orders_touch BEFORE UPDATE ON shop.orders FOR EACH ROW EXECUTE FUNCTION shop.touch();
ALTER TABLE shop.orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY orders_all ON shop.orders USING (true);
COMMENT ON TABLE shop.products IS 'the catalog';
COMMENT ON COLUMN shop.orders.qty IS 'how many';
