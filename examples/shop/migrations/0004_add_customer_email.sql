-- strata:up
ALTER TABLE customers ADD COLUMN email text;
CREATE UNIQUE INDEX customers_email_key ON customers (email);

-- strata:down
DROP INDEX customers_email_key;
ALTER TABLE customers DROP COLUMN email;
