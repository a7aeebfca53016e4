-- partitioning: a partition detached (stays as a plain table with its own index), a column added to the parent, partitioned index changed
CREATE TABLE public.logs (id bigint NOT NULL, at date NOT NULL, msg text, level int) PARTITION BY RANGE (at);
CREATE TABLE public.logs_2023 PARTITION OF public.logs FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE INDEX logs_at_idx ON public.logs (at, level);
CREATE TABLE public.logs_2022 (id bigint NOT NULL, at date NOT NULL, msg text);
CREATE INDEX logs_2022_at_idx ON public.logs_2022 (at);
