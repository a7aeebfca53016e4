-- schemas: objects referencing across schemas (FK, view, function, trigger, index) and same names in two schemas
CREATE SCHEMA core;
CREATE SCHEMA reporting;
CREATE TABLE core.customers (id int PRIMARY KEY, name text);
CREATE TABLE reporting.customers (id int PRIMARY KEY REFERENCES core.customers (id), score int);
CREATE FUNCTION reporting.score_of(c int) RETURNS int LANGUAGE sql STABLE AS $$ SELECT score FROM reporting.customers WHERE id = c $$;
CREATE VIEW core.customer_scores AS SELECT c.id, c.name, reporting.score_of(c.id) AS score FROM core.customers c;
CREATE FUNCTION core.trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$;
CREATE TRIGGER customers_trg AFTER INSERT ON reporting.customers FOR EACH ROW EXECUTE FUNCTION core.trg();
CREATE INDEX customers_score_idx ON reporting.customers (score);
