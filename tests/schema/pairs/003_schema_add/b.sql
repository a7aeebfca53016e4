-- schemas: a new schema with a table in it
CREATE TABLE public.t (id int PRIMARY KEY);
CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id int PRIMARY KEY, amount numeric(12,2) NOT NULL);
