-- Sample data for developers only: runs with --env dev, skipped elsewhere.
-- strata:env dev
-- strata:up
INSERT INTO products (sku, title, price_cents) VALUES
    ('MUG-01', 'Enamel mug', 1200),
    ('TEE-01', 'T-shirt', 2500),
    ('CAP-01', 'Cap', 1800);

-- strata:down
DELETE FROM products WHERE sku IN ('MUG-01', 'TEE-01', 'CAP-01');
