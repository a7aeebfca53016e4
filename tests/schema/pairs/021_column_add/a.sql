CREATE TABLE public.products (id int PRIMARY KEY, name text NOT NULL);
