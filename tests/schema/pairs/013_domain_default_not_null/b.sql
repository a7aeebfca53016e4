-- domains: default changed/dropped/set, NOT NULL dropped/set
CREATE DOMAIN public.qty AS int DEFAULT 1 NOT NULL;
CREATE DOMAIN public.label AS text;
CREATE DOMAIN public.money2 AS numeric(10,2) DEFAULT 0.00;
CREATE TABLE public.items (id int PRIMARY KEY, qty public.qty, label public.label, price public.money2);
