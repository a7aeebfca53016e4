-- indexes: gin on jsonb (default and jsonb_path_ops), gin on arrays, gin trigram, gin on tsvector with fastupdate off
CREATE EXTENSION pg_trgm;
CREATE TABLE public.docs (id int PRIMARY KEY, body jsonb, tags text[], title text, tsv tsvector);
CREATE INDEX docs_body_idx ON public.docs USING gin (body);
CREATE INDEX docs_body_path_idx ON public.docs USING gin (body jsonb_path_ops);
CREATE INDEX docs_tags_idx ON public.docs USING gin (tags);
CREATE INDEX docs_title_trgm_idx ON public.docs USING gin (title gin_trgm_ops);
CREATE INDEX docs_tsv_idx ON public.docs USING gin (tsv) WITH (fastupdate = off);
