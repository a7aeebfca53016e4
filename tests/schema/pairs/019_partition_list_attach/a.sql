CREATE TABLE public.customers (id int NOT NULL, region text NOT NULL, name text) PARTITION BY LIST (region);
CREATE TABLE public.customers_eu PARTITION OF public.customers FOR VALUES IN ('de', 'fr', 'it');
CREATE TABLE public.customers_us (id int NOT NULL, region text NOT NULL, name text);
