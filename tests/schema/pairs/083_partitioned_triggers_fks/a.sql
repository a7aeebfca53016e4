CREATE TABLE public.tenants (id int PRIMARY KEY);
CREATE TABLE public.events (tenant_id int NOT NULL, id bigint NOT NULL, kind text NOT NULL) PARTITION BY LIST (kind);
CREATE TABLE public.events_click PARTITION OF public.events FOR VALUES IN ('click');
CREATE TABLE public.events_view PARTITION OF public.events FOR VALUES IN ('view');
