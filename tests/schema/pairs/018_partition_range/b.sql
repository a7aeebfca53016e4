-- partitioning: range-partitioned table gets a primary key on the parent, a new partition, a default partition and a partitioned index
CREATE TABLE public.measurements (
    id bigint NOT NULL,
    taken_at date NOT NULL,
    value numeric,
    CONSTRAINT measurements_pkey PRIMARY KEY (id, taken_at)
) PARTITION BY RANGE (taken_at);
CREATE TABLE public.measurements_2023 PARTITION OF public.measurements FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE public.measurements_2024 PARTITION OF public.measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE public.measurements_other PARTITION OF public.measurements DEFAULT;
CREATE INDEX measurements_value_idx ON public.measurements (value);
