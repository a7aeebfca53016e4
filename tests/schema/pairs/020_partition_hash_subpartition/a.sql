CREATE TABLE public.sessions (id uuid NOT NULL, user_id int NOT NULL, data jsonb) PARTITION BY HASH (user_id);
CREATE TABLE public.sessions_p0 PARTITION OF public.sessions FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE public.sessions_p1 PARTITION OF public.sessions FOR VALUES WITH (MODULUS 2, REMAINDER 1);
