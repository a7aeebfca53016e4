CREATE DOMAIN public.nonempty AS text CHECK (VALUE <> '');
CREATE TABLE public.t (id int PRIMARY KEY, names text[], tag text);
