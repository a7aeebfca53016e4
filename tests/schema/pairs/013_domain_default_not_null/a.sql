CREATE DOMAIN public.qty AS int DEFAULT 0;
CREATE DOMAIN public.label AS text NOT NULL;
CREATE DOMAIN public.money2 AS numeric(10,2);
CREATE TABLE public.items (id int PRIMARY KEY, qty public.qty, label public.label, price public.money2);
