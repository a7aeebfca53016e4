CREATE EXTENSION pg_trgm;
CREATE TABLE public.docs (id int PRIMARY KEY, body jsonb, tags text[], title text, tsv tsvector);
