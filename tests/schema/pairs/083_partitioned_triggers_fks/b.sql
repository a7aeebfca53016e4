-- partitioning: a row trigger, a foreign key, a unique constraint and a check on the partitioned parent (cloned to partitions)
CREATE TABLE public.tenants (id int PRIMARY KEY);
CREATE TABLE public.events (tenant_id int NOT NULL, id bigint NOT NULL, kind text NOT NULL,
    CONSTRAINT events_tenant_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants (id) ON DELETE CASCADE,
    CONSTRAINT events_id_kind_key UNIQUE (id, kind),
    CONSTRAINT events_id_check CHECK (id > 0)) PARTITION BY LIST (kind);
CREATE TABLE public.events_click PARTITION OF public.events FOR VALUES IN ('click');
CREATE TABLE public.events_view PARTITION OF public.events FOR VALUES IN ('view');
CREATE FUNCTION public.ev_trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$;
CREATE TRIGGER events_trg BEFORE INSERT ON public.events FOR EACH ROW EXECUTE FUNCTION public.ev_trg();
