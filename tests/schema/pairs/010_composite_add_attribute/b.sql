-- composite type: an attribute added at the end (ALTER TYPE ... ADD ATTRIBUTE), type used by a table
CREATE TYPE public.address AS (street text, city text, zip varchar(10));
CREATE TABLE public.shops (id int PRIMARY KEY, addr public.address);
