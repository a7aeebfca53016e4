-- partitioning: hash partitions detached/dropped and re-created with a new modulus; a sub-partitioned list/range table added
CREATE TABLE public.sessions (id uuid NOT NULL, user_id int NOT NULL, data jsonb) PARTITION BY HASH (user_id);
CREATE TABLE public.sessions_p0 PARTITION OF public.sessions FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE public.sessions_p1 PARTITION OF public.sessions FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE TABLE public.sessions_p3 PARTITION OF public.sessions FOR VALUES WITH (MODULUS 4, REMAINDER 3);
CREATE TABLE public.sales (id int NOT NULL, kind text NOT NULL, sold_on date NOT NULL) PARTITION BY LIST (kind);
CREATE TABLE public.sales_web PARTITION OF public.sales FOR VALUES IN ('web') PARTITION BY RANGE (sold_on);
CREATE TABLE public.sales_web_2024 PARTITION OF public.sales_web FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE public.sales_shop PARTITION OF public.sales FOR VALUES IN ('shop');
