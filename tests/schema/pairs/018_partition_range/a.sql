CREATE TABLE public.measurements (
    id bigint NOT NULL,
    taken_at date NOT NULL,
    value numeric
) PARTITION BY RANGE (taken_at);
CREATE TABLE public.measurements_2023 PARTITION OF public.measurements FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
