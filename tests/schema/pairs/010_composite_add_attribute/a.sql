CREATE TYPE public.address AS (street text, city text);
CREATE TABLE public.shops (id int PRIMARY KEY, addr public.address);
