CREATE TABLE public.logs (id bigint NOT NULL, at date NOT NULL, msg text) PARTITION BY RANGE (at);
CREATE TABLE public.logs_2022 PARTITION OF public.logs FOR VALUES FROM ('2022-01-01') TO ('2023-01-01');
CREATE TABLE public.logs_2023 PARTITION OF public.logs FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE INDEX logs_at_idx ON public.logs (at);
