-- tables: same shape under another name without a rename hint: one table dropped, one created
CREATE TABLE public.customers (id int PRIMARY KEY, name text NOT NULL);
CREATE INDEX customers_name_idx ON public.customers (name);
