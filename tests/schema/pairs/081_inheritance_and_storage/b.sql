-- tables: column storage and statistics targets changed, autovacuum storage parameters, a check on an inheritance parent
CREATE TABLE public.base (id int, created timestamptz DEFAULT now(), CONSTRAINT base_id_check CHECK (id > 0));
CREATE TABLE public.docs (body text) INHERITS (public.base);
CREATE TABLE public.big (id int PRIMARY KEY, payload text) WITH (autovacuum_vacuum_scale_factor = 0.01, autovacuum_enabled = false);
ALTER TABLE public.big ALTER COLUMN payload SET STORAGE EXTERNAL;
ALTER TABLE public.big ALTER COLUMN id SET STATISTICS 500;
ALTER TABLE public.docs ALTER COLUMN body SET COMPRESSION pglz;
